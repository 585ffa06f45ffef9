"""The ``briefbot`` command: thin wrappers that parse arguments, call the core, and print.

Every failure a user can cause ends in one line on stderr (``error: ...``) and a non-zero
exit status; nothing here prints a traceback unless ``BRIEFBOT_DEBUG=1``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from pydantic import ValidationError

from bot.cli_help import HelpfulGroup
from bot.config import Settings
from bot.core import jsonl
from bot.core.model_choice import NO_KEY
from bot.core.models import Answer, Turn, writer_line
from bot.errors import BriefbotError, ConfigError, DatabaseError, InputError
from bot.logsetup import configure as configure_logging
from bot.logsetup import install_redaction, show_library_logs, show_tracebacks
from storage.db import DatabaseUnavailable, DatabaseUnusable, DatabaseUrlError

if TYPE_CHECKING:
    # Each command imports what it uses, so `briefbot ask` loads neither Slack, nor the
    # evaluation, nor what only ingest needs (see bench/cli_start.py).
    from bot.core.briefing import Briefing
    from bot.core.evaluate import Split

log = logging.getLogger("briefbot")


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first.get("loc", ())
        name = Settings.env_name(str(loc[0])) if loc else "a setting"
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f".env is not UTF-8 text ({exc.reason})") from exc
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_DATA_DIR: {settings.data_dir} is not a folder")
    if settings.corpus_dir is not None and not settings.corpus_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_CORPUS_DIR: {settings.corpus_dir} is not a folder")
    install_redaction(settings.secret_values())
    return settings


@contextmanager
def _briefing() -> Iterator[Briefing]:
    """The service; an empty database gets the bundled corpus first, whatever the command."""
    from bot.core.briefing import Briefing

    briefing = Briefing.open(_settings())
    try:
        yield briefing
    finally:
        briefing.close()


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _source_line(title: str, source: str | None, published: date | None) -> str:
    """``Title — Source, 2019-03-29``; a missing date says so rather than vanish."""
    meta = ", ".join(
        [source or "unknown source", published.isoformat() if published else "undated"]
    )
    return f"{title} — {meta}"


def print_answer(answer: Answer) -> None:
    """The human-readable answer: text, then numbered sources."""
    click.echo(answer.answer)
    if answer.note:
        click.echo(f"\n(note: {answer.note})")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            click.echo(f"  [{c.marker}] {_source_line(c.title, c.source, c.published)}")
            if c.url:
                click.echo(f"      {c.url}")
            if c.paragraph:
                click.echo(f"      paragraph {c.paragraph}")
    hint = ""
    if answer.extractive_reason == NO_KEY:
        hint = ": set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) for a model's answers"
    click.echo(f"\n— {writer_line(answer.written_by)}{hint}")


@click.group(
    cls=HelpfulGroup,
    with_examples=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("-v", "--verbose", is_flag=True, help="Log what briefbot is doing to stderr.")
@click.version_option(package_name="briefbot")
def cli(verbose: bool) -> None:
    """briefbot: grounded, cited briefings on one story, from stored articles.

    Configuration comes from the environment (and a .env file); see the README.
    """
    configure_logging(verbose, tracebacks=os.environ.get("BRIEFBOT_DEBUG") == "1")


# ---------------------------------------------------------------------- ingest


@cli.command()
# Plain strings, not click.Path: an http(s):// URL is a web page to fetch, and a path that
# cannot be read is one failed item in the summary, like a missing one; the rest still land.
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(paths: tuple[str, ...], as_json: bool) -> None:
    """Ingest article files (.txt, .md, .html), folders of them, and web pages (URLs).

    Each article is stored in its own transaction: a bad file or a page that cannot be
    fetched is reported and skipped, the others still land. Exits 1 if any item failed.
    """
    from tqdm import tqdm

    with _briefing() as briefing:
        bar: tqdm[Any] | None = None

        def start(total: int) -> None:
            nonlocal bar
            bar = tqdm(total=total, unit="file", file=sys.stderr, disable=None, leave=False)

        def step(_label: str) -> None:
            if bar is not None:
                bar.update(1)

        try:
            summary = briefing.ingest(list(paths), on_start=start, on_item=step)
        finally:
            if bar is not None:
                bar.close()
    if as_json:
        _print_json(summary.as_dict())
    else:
        for path, error in summary.failed:
            click.echo(f"failed: {path}: {error}", err=True)
        click.echo(
            f"added {summary.added}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, failed {len(summary.failed)} "
            f"({summary.chunks} chunks written)"
        )
    if summary.failed:
        sys.exit(1)


# ---------------------------------------------------------------------- feeds


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


@cli.group()
def feeds() -> None:
    """RSS and Atom feeds: each new entry's page is stored as an article."""


@feeds.command(name="add")
@click.argument("url")
def feeds_add(url: str) -> None:
    """Follow the feed at URL (or the feed a web page at URL links to)."""
    with _briefing() as briefing:
        row = briefing.web.feeds.add(url)
    click.echo(f"following feed {row.id}: {row.title or row.url}\n  {row.url}")
    click.echo("its entries are stored at the next poll (`briefbot feeds poll`, or the clock)")


@feeds.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
def feeds_list(as_json: bool) -> None:
    """List the feeds followed, with each one's last poll, last success and last error."""
    from bot.core.feeds import feed_view

    with _briefing() as briefing:
        rows = briefing.web.feeds.list()
    if as_json:
        _print_json([feed_view(r) for r in rows])
        return
    if not rows:
        click.echo("No feeds yet. Follow one with `briefbot feeds add URL`.")
    for r in rows:
        click.echo(f"{r.id:>4}  {r.title or '(untitled feed)'}  ({r.entries} articles)")
        click.echo(f"      {r.url}")
        click.echo(
            f"      last poll {_when(r.last_polled_at)}, last success {_when(r.last_success_at)}, "
            f"next poll {_when(r.next_poll_at)}"
        )
        if r.last_error:
            failing = f", {r.failures} failure(s) in a row" if r.failures else ""
            click.echo(f"      last error ({_when(r.last_error_at)}{failing}): {r.last_error}")


@feeds.command(name="remove")
@click.argument("ref", metavar="URL|ID")
def feeds_remove(ref: str) -> None:
    """Stop following a feed. The articles already stored from it stay."""
    with _briefing() as briefing:
        row = briefing.web.feeds.remove(ref)
    click.echo(f"removed feed {row.id}: {row.title or row.url}")


@feeds.command(name="poll")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--due", is_flag=True, help="Only the feeds that are due (what the clock polls).")
def feeds_poll(as_json: bool, due: bool) -> None:
    """Poll the feeds now and store their new entries.

    Reports added, unchanged and failed entries per feed; exits 1 if a feed or an entry
    failed (the others still land).
    """
    with _briefing() as briefing:
        report = briefing.web.feeds.poll(due_only=due)
    if as_json:
        _print_json(report.as_dict())
    else:
        if not report.feeds:
            click.echo("No feeds to poll." if not due else "No feed is due.")
        for f in report.feeds:
            data = f.as_dict()
            name = f.title or f.url
            if f.status == "failed" and f.error:
                click.echo(f"feed {f.feed_id} {name}: failed: {f.error}")
            elif f.status == "busy":
                click.echo(f"feed {f.feed_id} {name}: skipped, another poll is running")
            elif f.status == "not_modified":
                click.echo(f"feed {f.feed_id} {name}: not modified")
            else:
                extra = (
                    f", {data['from_summary']} from the feed's summary only" if f.summaries else ""
                )
                click.echo(
                    f"feed {f.feed_id} {name}: added {data['added']}, unchanged "
                    f"{data['unchanged']}, failed {data['failed']}{extra}"
                )
            for e in f.entries:
                if e.outcome == "failed" or e.from_summary:
                    label = "failed" if e.outcome == "failed" else "summary only"
                    click.echo(f"  {label}: {e.link or e.title}: {e.reason}", err=True)
    if report.failed:
        sys.exit(1)


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


@cli.command()
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
    with _briefing() as briefing:
        answer = briefing.ask(question, history=turns)
    if as_json:
        _print_json(answer.as_dict())
    else:
        print_answer(answer)


# ---------------------------------------------------------------------- quote


@cli.command()
@click.argument("topic")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--json", "as_json", is_flag=True, help="Print the quotes as JSON.")
def quote(topic: str, limit: int, as_json: bool) -> None:
    """Verbatim quotes on TOPIC from the stored articles (never invented)."""
    with _briefing() as briefing:
        quotes = briefing.quote(topic, limit)
    if as_json:
        _print_json({"topic": topic, "quotes": [q.as_dict() for q in quotes]})
        return
    if not quotes:
        click.echo("No quotes on that topic in the sources.")
        return
    for i, q in enumerate(quotes, start=1):
        click.echo(f"{i}. “{' '.join(q.text.split())}”")
        click.echo(
            f"   — {q.title}, paragraph {q.paragraph}" + (f"\n     {q.url}" if q.url else "")
        )


# ---------------------------------------------------------------------- sources


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def sources(as_json: bool) -> None:
    """List the stored articles."""
    with _briefing() as briefing:
        items = briefing.sources()
    if as_json:
        _print_json([s.as_dict() for s in items])
        return
    if not items:
        click.echo("No articles yet. Add some with `briefbot ingest PATH`.")
    for s in items:
        click.echo(
            f"{s.id:>4}  {_source_line(s.title, s.source, s.published)}  ({s.chunks} chunks)"
        )
        if s.url:
            click.echo(f"      {s.url}")


# ---------------------------------------------------------------------- eval


@cli.command(name="eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--min-recall", type=click.FloatRange(0, 1), help="Fail below this recall@5.")
@click.option("--min-facts", type=click.FloatRange(0, 1), help="Fail below this fact coverage.")
@click.option(
    "--min-refusals", type=click.FloatRange(0, 1), help="Fail below this correct-refusal rate."
)
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
    with _briefing() as briefing:
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
        _print_json(report.as_dict(with_cases=not quiet))
    else:
        if not quiet:
            for c in report.cases:
                if c.in_scope and (c.missing_titles or c.missing_facts or not c.answered):
                    click.echo(f"- {c.question}")
                    if not c.answered:
                        click.echo("    refused an in-scope question")
                    for t in c.missing_titles:
                        click.echo(f"    missing source: {t}")
                    for f in c.missing_facts:
                        click.echo(f"    missing fact: {f}")
                elif not c.in_scope and c.answered:
                    click.echo(f"- {c.question}\n    answered an out-of-scope question")
        click.echo(
            f"{report.questions} questions ({report.in_scope} in scope, "
            f"{report.out_of_scope} out of scope)\n"
            f"retrieval recall@5  {report.recall_at_5:.3f}\n"
            f"fact coverage       {report.fact_coverage:.3f}\n"
            f"correct refusals    {report.correct_refusals:.3f}\n"
            f"false refusals      {report.false_refusals} ({report.false_refusal_rate:.1%})"
        )
        if report.baseline is not None:
            click.echo(
                f"{report.baseline['name']}: fact coverage "
                f"{report.baseline['fact_coverage']:.3f}, recall@5 "
                f"{report.baseline['recall_at_5']:.3f}"
            )
    if failures:
        raise BriefbotError("below threshold: " + "; ".join(failures))


# ---------------------------------------------------------------------- serve


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), help="HTTP port (default: $PORT or 3000).")
def serve(port: int | None) -> None:
    """Run the Slack app: Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT.

    Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. Events, slash commands and
    interactivity all arrive at POST /slack/events. SIGTERM stops it gracefully.
    """
    from bot.core.model_choice import ModelResolver
    from bot.slack.server import serve as run

    show_tracebacks()  # a server's log is read by whoever debugs it
    show_library_logs()  # and there Bolt's, slack_sdk's and the HTTP server's records matter
    settings = _settings()
    # Several models and none named is a setting to fix: say so now, not at every answer.
    # (A server that cannot be reached now is asked again when answers need it.)
    ModelResolver(settings).choice()
    run(settings, port)


# ---------------------------------------------------------------------- doctor


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(as_json: bool) -> None:
    """Check this deployment: settings, database, tokenizer, model, Slack.

    One line per check: ✓, ✗ with the fix, or skipped with the reason. Exits 1 when a
    check fails. Changes nothing, posts nothing to Slack, prints no secret.
    """
    from bot.doctor import run_checks

    checks = []
    for check in run_checks(_settings):
        checks.append(check)
        if not as_json:
            click.echo(check.line())
    passed = all(c.status != "failed" for c in checks)
    if as_json:
        _print_json({"ok": passed, "checks": [c.as_dict() for c in checks]})
    if not passed:
        sys.exit(1)


# ---------------------------------------------------------------------- digest


@cli.command()
@click.option("--since", metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Day after the last (YYYY-MM-DD, exclusive).")
@click.option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2019-W13.")
@click.option("--dry-run", "mode", flag_value="dry-run", default=True, help="Print it (default).")
@click.option("--post", "mode", flag_value="post", help="Post it to the channels.")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="C",
    help="Post here instead of the configured channels (repeatable; a channel ID).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the digest as JSON.")
def digest(
    since: str | None,
    until: str | None,
    week: str | None,
    mode: str,
    channels: tuple[str, ...],
    as_json: bool,
) -> None:
    """The weekly digest: new articles, what each side says, what the team asked.

    The default period is the last full week (Monday to Monday) in BRIEFBOT_TIMEZONE.
    --post posts it to BRIEFBOT_DIGEST_CHANNELS and the subscribed channels (or to each
    --channel), once per channel and period however often it runs; exits 1 if a post
    failed.
    """
    from bot.core.period import choose_period
    from bot.schedule import channel_ids

    settings = _settings()
    period = choose_period(
        since=since, until=until, week=week, timezone=settings.timezone, now=datetime.now(UTC)
    )
    try:
        chosen = channel_ids(" ".join(channels))
    except ValueError as exc:
        raise InputError(f"--channel: {exc}") from exc
    if mode == "post":
        settings.require_bot_token("briefbot digest --post")
    with _briefing() as briefing:
        if mode != "post":
            built = briefing.digests.digest(period)
            if as_json:
                _print_json(built.as_dict())
            else:
                click.echo(built.text, nl=False)
            if built.empty and settings.digest_empty == "skip":
                click.echo(
                    "(no new articles: with BRIEFBOT_DIGEST_EMPTY=skip it is not posted)", err=True
                )
            return
        from bot.slack.app import make_web_client
        from bot.slack.digest_post import DigestPoster, PostReport

        poster = DigestPoster(briefing, make_web_client(settings, "briefbot digest --post"))
        targets = chosen or poster.destinations()
        if not targets:
            raise InputError(
                "--post needs a channel: give --channel C0123ABCD, set BRIEFBOT_DIGEST_CHANNELS, "
                "or /brief subscribe in a channel"
            )
        built = briefing.digests.digest(period)
        if built.empty and settings.digest_empty == "skip":
            report = PostReport(period, (), note="no new articles; BRIEFBOT_DIGEST_EMPTY=skip")
        else:
            report = poster.post(built, targets)
    if as_json:
        _print_json({**built.as_dict(), "post": report.as_dict()})
    else:
        for outcome in report.outcomes:
            click.echo(outcome.line())
        click.echo(report.summary())
    if report.failed:
        sys.exit(1)


# ---------------------------------------------------------------------- clock


@cli.command()
def clock() -> None:
    """Run scheduled work until SIGTERM: the weekly digest (BRIEFBOT_DIGEST_CRON in
    BRIEFBOT_TIMEZONE, catching up a missed one) and log retention.

    Needs SLACK_BOT_TOKEN. Several clocks may run at once; each digest is still posted
    once per channel.
    """
    from bot.clock import run_clock
    from bot.core.model_choice import ModelResolver

    show_tracebacks()
    logging.getLogger("bot").setLevel(logging.INFO)  # a server process says what it does
    settings = _settings()
    ModelResolver(settings).choice()  # as for serve: no single model named is fixed first
    run_clock(settings)


# ---------------------------------------------------------------------- db


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command()
def upgrade() -> None:
    """Apply pending migrations (every command also does this by itself)."""
    from storage import migrate
    from storage.db import Database

    settings = _settings()
    database = Database.connect(settings.resolved_database_url, migrate=False)
    try:
        before = migrate.current(database.engine)
        changed = database.upgrade()
        after = migrate.current(database.engine)
    finally:
        database.dispose()
    click.echo(f"upgraded {before or 'empty'} -> {after}" if changed else f"already at {after}")


# ---------------------------------------------------------------------- logs


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        # Stored times are UTC; SQLite compares them as text, so the bound must be UTC too.
        # At the calendar's edges an offset moves it out of range (OverflowError).
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise InputError(f"--since {value!r} is not a date (use YYYY-MM-DD)") from exc


@cli.group()
def logs() -> None:
    """The conversation log: every question asked and what was answered."""


@logs.command(name="export")
@click.option("--since", metavar="DATE", help="Only exchanges on or after DATE (YYYY-MM-DD).")
def logs_export(since: str | None) -> None:
    """Print the log as JSON lines, one exchange per line, oldest first."""
    start = _parse_since(since)
    with _briefing() as briefing:
        for row in briefing.log.export(start):
            click.echo(json.dumps(row, ensure_ascii=False, default=str))


@logs.command(name="purge")
@click.option("--older-than", "days", required=True, type=click.IntRange(0, 36_500), metavar="DAYS")
def logs_purge(days: int) -> None:
    """Delete exchanges older than DAYS days."""
    with _briefing() as briefing:
        removed = briefing.log.purge(days)
    click.echo(f"removed {removed} exchange(s) older than {days} day(s)")


# ---------------------------------------------------------------------- entry point


def _fail(message: str, code: int) -> NoReturn:
    lines = message.strip().splitlines() or [""]
    click.echo(f"error: {lines[0]}", err=True)  # one line, whatever a library raised
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the CLI and turns failures into one line."""
    debug = os.environ.get("BRIEFBOT_DEBUG") == "1"
    run: Callable[..., Any] = cli.main
    try:
        run(args=argv, prog_name="briefbot", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except BriefbotError as exc:
        _fail(exc.message, exc.exit_code)
    except (DatabaseUrlError, DatabaseUnusable) as exc:  # DATABASE_URL names the wrong thing
        _fail(str(exc), ConfigError.exit_code)
    except DatabaseUnavailable as exc:  # exit 3 means this, and only this
        _fail(str(exc), DatabaseError.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:
        if debug:
            raise
        log.debug("unexpected failure", exc_info=True)
        _fail(f"unexpected {type(exc).__name__}: {exc} (set BRIEFBOT_DEBUG=1 for details)", 1)


if __name__ == "__main__":
    main()
