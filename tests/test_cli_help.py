"""``briefbot`` explains itself: help for a bare command, "did you mean" for a typo, and
two example lines that work on the corpus."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from bot.cli.help import FALLBACK_QUESTION, FALLBACK_TOPIC, shell_quoted
from conftest import Result, run_briefbot, settings_env

STORY = Path(__file__).resolve().parent / "fixtures" / "story-bridge"
COMMANDS = ["ask", "db", "eval", "feeds", "ingest", "logs", "quote", "serve", "sources"]


def examples(out: str) -> list[str]:
    return out.rstrip("\n").splitlines()[-2:]


@pytest.mark.slow  # starts the installed console script
def test_briefbot_alone_prints_the_help_and_exits_0(settings) -> None:
    result = run_briefbot(env=settings_env(settings))
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.startswith("Usage: briefbot [OPTIONS] COMMAND [ARGS]...")
    listed = result.out.split("Commands:")[1]
    for name in COMMANDS:
        assert f"\n  {name} " in listed, name
    assert examples(result.out) == [
        '  briefbot ask "What does the memorandum commit the countries to?"',
        '  briefbot quote "non-binding commitment"',
    ]


def test_the_examples_work_on_the_bundled_corpus(cli) -> None:
    shown = examples(cli().out)
    asked = cli(*shlex.split(shown[0])[1:])
    assert asked.code == 0 and "Sources:" in asked.out
    quoted = cli(*shlex.split(shown[1])[1:])
    assert quoted.code == 0 and quoted.out.startswith("1. “")


def test_an_unknown_command_shows_the_help_and_a_suggestion(cli) -> None:
    result: Result = cli("aks", "What does the memorandum commit to?")
    assert result.code == 2
    assert result.out == ""
    assert "Commands:" in result.err and 'briefbot quote "' in result.err
    assert result.err.rstrip().splitlines()[-1] == (
        "error: No such command 'aks'. Did you mean 'ask'?"
    )


def test_options_without_a_command_print_the_help_too(cli) -> None:
    result = cli("-v")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("Usage: briefbot [OPTIONS] COMMAND [ARGS]...")
    assert examples(result.out)[1].startswith("  briefbot quote ")


def test_a_subgroup_alone_or_mistyped_explains_itself_too(cli) -> None:
    alone = cli("feeds")
    assert alone.code == 0 and "Usage: briefbot feeds" in alone.out
    assert "  poll " in alone.out and alone.err == ""
    typo = cli("feeds", "lst")
    assert typo.code == 2 and "Usage: briefbot feeds" in typo.err
    assert typo.err.rstrip().splitlines()[-1].endswith("Did you mean 'list'?")


def test_the_examples_come_from_the_story_profile(cli) -> None:
    out = cli(env={"BRIEFBOT_CORPUS_DIR": str(STORY)}).out
    assert examples(out) == [
        '  briefbot ask "Why did the Wendmoor ferry close?"',
        '  briefbot quote "corrosion in the hull"',
    ]


def test_help_works_whatever_the_configuration(cli) -> None:
    result = cli(env={"BRIEFBOT_TOP_K": "many"})
    assert result.code == 0
    assert examples(result.out) == [
        f'  briefbot ask "{FALLBACK_QUESTION}"',
        f'  briefbot quote "{FALLBACK_TOPIC}"',
    ]


def test_examples_are_quoted_for_the_shell() -> None:
    assert shell_quoted("Why?") == '"Why?"'
    tricky = 'What did "the $5 deal" say!'
    assert shlex.split(f"ask {shell_quoted(tricky)}") == ["ask", tricky]
