"""How ``briefbot`` explains itself: help for a bare command, and for a mistyped one.

* ``briefbot`` alone (or ``briefbot feeds`` alone, or with options only: ``briefbot -v``)
  prints that command's help and exits 0.
* An unknown command prints the help on stderr, then one ``error:`` line with click's
  "Did you mean ...?", and exits 2 (it is still a mistake to fix).
* The top-level help ends with two example lines, a question and a quote topic, taken from
  the story's profile (``examples`` and ``quote_examples``), so they work on the corpus.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import click

#: Used when the profile has no examples (the neutral profile).
FALLBACK_QUESTION = "What are the main points of the stored articles?"
FALLBACK_TOPIC = "the main point"

_PLAIN = re.compile(r'[^"$`\\!]*')


def shell_quoted(text: str) -> str:
    """``text`` as one shell word: in double quotes when that is safe, else quoted by
    shlex (single quotes)."""
    return f'"{text}"' if _PLAIN.fullmatch(text) else shlex.quote(text)


def example_lines() -> list[str]:
    """``briefbot ask "..."`` and ``briefbot quote "..."`` with the profile's own examples.

    Help must work whatever the configuration, so a setting or profile that cannot be
    read gives the neutral examples rather than an error.
    """
    question, topic = FALLBACK_QUESTION, FALLBACK_TOPIC
    try:
        from bot.config import Settings
        from bot.core.profile import find_profile
        from bot.resources import bundled_dir

        settings = Settings()
        profile = find_profile(settings.profile, settings.corpus_dir, bundled_dir("corpus"))
        question = profile.example or question
        topic = profile.quote_examples[0] if profile.quote_examples else topic
    except Exception:  # noqa: S110 - see the docstring: help never fails
        pass
    return [f"briefbot ask {shell_quoted(question)}", f"briefbot quote {shell_quoted(topic)}"]


class HelpfulGroup(click.Group):
    """A click group that shows its help instead of a usage error (see the module
    docstring). Its subgroups are helpful groups too."""

    group_class = type  # @group.group() makes another HelpfulGroup

    def __init__(self, *args: Any, with_examples: bool = False, **kwargs: Any) -> None:
        # Its own callback runs without a subcommand too (options still apply), then
        # invoke() shows the help instead of click's "Missing command." error.
        kwargs.setdefault("invoke_without_command", True)
        kwargs.setdefault("subcommand_metavar", "COMMAND [ARGS]...")  # still needs one
        super().__init__(*args, **kwargs)
        self.with_examples = with_examples

    def invoke(self, ctx: click.Context) -> Any:
        result = super().invoke(ctx)
        if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return result

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            click.echo(ctx.get_help() + "\n", err=True, color=ctx.color)
            raise  # "No such command 'aks'. Did you mean 'ask'?" becomes the error line

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if self.with_examples:
            formatter.write_paragraph()
            formatter.write_text("Examples:")
            for line in example_lines():
                formatter.write(f"{' ' * (formatter.current_indent + 2)}{line}\n")
