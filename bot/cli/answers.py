"""``briefbot ask``, ``quote``, ``sources`` and ``eval``: questions to the stored articles."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import echo, open_briefing, print_json
from bot.core import jsonl
from bot.core.model_choice import NO_KEY
from bot.core.models import Answer, Turn, writer_line
from bot.core.urls import with_text_fragment
from bot.errors import BriefbotError, InputError

if TYPE_CHECKING:
    from bot.core.evaluate import Split


def _source_line(title: str, source: str | None, published: date | None) -> str:
    """``Title — Source, 2019-03-29``; a missing date says so rather than vanish."""
    meta = ", ".join(
        [source or "unknown source", published.isoformat() if published else "undated"]
    )
    return f"{title} — {meta}"


def print_answer(answer: Answer) -> None:
    """The human-readable answer: text, then numbered sources."""
    echo(answer.answer)
    if answer.note:
        echo(f"\n(note: {answer.note})")
    if answer.citations:
        echo("\nSources:")
        for c in answer.citations:
            echo(f"  [{c.marker}] {_source_line(c.title, c.source, c.published)}")
            if c.url:
                echo(f"      {c.url}")
            if c.paragraphs:
                echo(f"      {c.paragraphs}")
    hint = ""
    if answer.extractive_reason == NO_KEY:
        hint = ": set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) for a model's answers"
    echo(f"\n— {writer_line(answer.written_by)}{hint}")


# ---------------------------------------------------------------------- ask


def _load_history(path: Path | None, after: tuple[str, ...]) -> list[Turn]:
    """Earlier turns: ``--after`` questions, then the ``--history`` file's turns (a JSON
    list, or JSON Lines with one turn per line; see :mod:`bot.core.jsonl`)."""
    turns = [Turn("user", text) for text in after]
    if path is None:
        return turns
    what = f"--history {path}"
    raw = jsonl.read_text(path, what)
    try:
        data = jsonl.parse(raw, what)
    except InputError:
        try:  # JSON lines, one turn per line
            data = [jsonl.parse(line, f"line {n}") for n, line in jsonl.lines(raw)]
        except InputError as exc:
            raise InputError(f"{what}: not JSON or JSON lines ({exc.message})") from exc
    if isinstance(data, str | dict):  # one turn: a file of one line of JSON Lines
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"--history {path}: expected a JSON list of turns")
    for item in data:
        if isinstance(item, str):
            turns.append(Turn("user", item))
        elif isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            turns.append(Turn(item["role"], str(item.get("text") or item.get("content") or "")))
        else:
            raise InputError(
                f'--history {path}: each turn is a string or {{"role": "user"|"assistant", '
                '"text": "..."}'
            )
    return turns


@click.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option(
    "--history",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Earlier turns: a JSON list of strings or {role, text} objects.",
)
@click.option(
    "--after",
    multiple=True,
    metavar="QUESTION",
    help="An earlier question in the same conversation (repeatable, oldest first).",
)
def ask(question: str, as_json: bool, history: Path | None, after: tuple[str, ...]) -> None:
    """Answer QUESTION from the stored articles, with numbered citations."""
    turns = _load_history(history, after)
    with open_briefing() as briefing:
        answer = briefing.ask(question, history=turns)
    if as_json:
        print_json(answer.as_dict())
    else:
        print_answer(answer)


# ---------------------------------------------------------------------- quote


#: Quotation marks a quote may begin with.
_OPENING_MARKS = "\"“‘'«„"


@click.command()
@click.argument("topic")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--json", "as_json", is_flag=True, help="Print the quotes as JSON.")
def quote(topic: str, limit: int, as_json: bool) -> None:
    """Verbatim quotes on TOPIC from the stored articles (never invented); logged, like a
    question."""
    with open_briefing() as briefing:
        quotes, _ = briefing.quote_logged(topic, limit)
    if as_json:
        print_json({"topic": topic, "quotes": [q.as_dict() for q in quotes]})
        return
    if not quotes:
        echo("No quotes on that topic in the sources.")
        return
    for i, q in enumerate(quotes, start=1):
        text = " ".join(q.text.split())
        # a sentence that holds quoted speech already has its marks: none around it too
        echo(f"{i}. {text}" if text[:1] in _OPENING_MARKS else f"{i}. “{text}”")
        # the link opens the article at the quote, where browsers support text fragments
        link = f"\n     {with_text_fragment(q.url, q.text)}" if q.url else ""
        echo(f"   — {q.title}, paragraph {q.paragraph}{link}")


# ---------------------------------------------------------------------- sources


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def sources(as_json: bool) -> None:
    """List the stored articles."""
    with open_briefing() as briefing:
        items = briefing.sources()
    if as_json:
        print_json([s.as_dict() for s in items])
        return
    if not items:
        echo("No articles yet. Add some with `briefbot ingest PATH`.")
    for s in items:
        echo(f"{s.id:>4}  {_source_line(s.title, s.source, s.published)}  ({s.chunks} chunks)")
        if s.url:
            echo(f"      {s.url}")


# ---------------------------------------------------------------------- eval


class Share(click.FloatRange):
    """A share from 0 to 1. ``click.FloatRange`` lets NaN through (it compares false with
    both ends); as a threshold nothing falls below it, so it is refused as they are."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        result = super().convert(value, param, ctx)
        if math.isnan(result):
            self.fail(f"{value!r} is not in the range {self._describe_range()}.", param, ctx)
        return result


@click.command(name="eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--min-recall", type=Share(0, 1), help="Fail below this recall@5.")
@click.option("--min-facts", type=Share(0, 1), help="Fail below this fact coverage.")
@click.option("--min-refusals", type=Share(0, 1), help="Fail below this correct-refusal rate.")
@click.option("-q", "--quiet", is_flag=True, help="Only the totals, not each miss.")
@click.option(
    "--split",
    type=click.Choice(["dev", "test"]),
    help="Only one half of the set (by each row's group): tune on dev, report test.",
)
def eval_(
    file: Path,
    as_json: bool,
    min_recall: float | None,
    min_facts: float | None,
    min_refusals: float | None,
    quiet: bool,
    split: Split | None,
) -> None:
    """Run a JSONL question set and report recall@5, fact coverage and correct refusals.

    Each line: {"question", "expected_titles": [...], "expected_facts": [...], "in_scope"}.
    With --min-* thresholds, exits 1 when a figure falls below its threshold.
    """
    from bot.core.evaluate import bm25_baseline, choose_split, load_cases, run_eval

    cases = choose_split(load_cases(file), split)
    with open_briefing() as briefing:
        baseline = bm25_baseline(briefing.chunk_texts())
        report = run_eval(cases, briefing.answer_unlogged, baseline)
    failures = [
        f"{name} {value:.3f} < {floor:.3f}"
        for name, value, floor in (
            ("recall@5", report.recall_at_5, min_recall),
            ("fact coverage", report.fact_coverage, min_facts),
            ("correct refusals", report.correct_refusals, min_refusals),
        )
        if floor is not None and value < floor
    ]
    if as_json:
        print_json(report.as_dict(with_cases=not quiet))
    else:
        if not quiet:
            for c in report.cases:
                if c.in_scope and (c.missing_titles or c.missing_facts or not c.answered):
                    echo(f"- {c.question}")
                    if not c.answered:
                        echo("    refused an in-scope question")
                    for t in c.missing_titles:
                        echo(f"    missing source: {t}")
                    for f in c.missing_facts:
                        echo(f"    missing fact: {f}")
                elif not c.in_scope and c.answered:
                    echo(f"- {c.question}\n    answered an out-of-scope question")
        echo(
            f"{report.questions} questions ({report.in_scope} in scope, "
            f"{report.out_of_scope} out of scope)\n"
            f"retrieval recall@5  {report.recall_at_5:.3f}\n"
            f"fact coverage       {report.fact_coverage:.3f}\n"
            f"fact first          {report.fact_first:.3f}\n"
            f"correct refusals    {report.correct_refusals:.3f}\n"
            f"false refusals      {report.false_refusals} ({report.false_refusal_rate:.1%})"
        )
        if report.baseline is not None:
            echo(
                f"{report.baseline['name']}: fact coverage "
                f"{report.baseline['fact_coverage']:.3f}, recall@5 "
                f"{report.baseline['recall_at_5']:.3f}"
            )
    if failures:
        raise BriefbotError("below threshold: " + "; ".join(failures))
