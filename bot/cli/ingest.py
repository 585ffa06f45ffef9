"""``briefbot ingest`` and ``briefbot feeds``: adding articles from files, pages and feeds."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import click

from bot.cli.common import echo, open_briefing, print_json, shown
from bot.cli.help import HelpfulGroup

# ---------------------------------------------------------------------- ingest


@click.command()
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

    with open_briefing() as briefing:
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
        print_json(summary.as_dict())
    else:
        for path, error in summary.failed:
            echo(f"failed: {shown(path, lines=False)}: {shown(error, lines=False)}", err=True)
        echo(
            f"added {summary.added}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, failed {len(summary.failed)} "
            f"({summary.chunks} chunks written)"
        )
    if summary.failed:
        sys.exit(1)


# ---------------------------------------------------------------------- feeds


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


@click.group(cls=HelpfulGroup)
def feeds() -> None:
    """RSS and Atom feeds: each new entry's page is stored as an article."""


@feeds.command(name="add")
@click.argument("url")
def feeds_add(url: str) -> None:
    """Follow the feed at URL (or the feed a web page at URL links to)."""
    with open_briefing() as briefing:
        row = briefing.web.feeds.add(url)
    echo(f"following feed {row.id}: {row.title or row.url}\n  {row.url}")
    echo("its entries are stored at the next poll (`briefbot feeds poll`, or the clock)")


@feeds.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
def feeds_list(as_json: bool) -> None:
    """List the feeds followed, with each one's last poll, last success and last error."""
    from bot.core.feeds import feed_view

    with open_briefing() as briefing:
        rows = briefing.web.feeds.list()
    if as_json:
        print_json([feed_view(r) for r in rows])
        return
    if not rows:
        echo("No feeds yet. Follow one with `briefbot feeds add URL`.")
    for r in rows:
        echo(f"{r.id:>4}  {r.title or '(untitled feed)'}  ({r.entries} articles)")
        echo(f"      {r.url}")
        echo(
            f"      last poll {_when(r.last_polled_at)}, last success {_when(r.last_success_at)}, "
            f"next poll {_when(r.next_poll_at)}"
        )
        if r.last_error:
            failing = f", {r.failures} failure(s) in a row" if r.failures else ""
            echo(f"      last error ({_when(r.last_error_at)}{failing}): {r.last_error}")


@feeds.command(name="remove")
@click.argument("ref", metavar="URL|ID")
def feeds_remove(ref: str) -> None:
    """Stop following a feed. The articles already stored from it stay."""
    with open_briefing() as briefing:
        row = briefing.web.feeds.remove(ref)
    echo(f"removed feed {row.id}: {row.title or row.url}")


@feeds.command(name="poll")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--due", is_flag=True, help="Only the feeds that are due (what the clock polls).")
def feeds_poll(as_json: bool, due: bool) -> None:
    """Poll the feeds now and store their new entries.

    Reports added, unchanged and failed entries per feed; exits 1 if a feed or an entry
    failed (the others still land).
    """
    with open_briefing() as briefing:
        report = briefing.web.feeds.poll(due_only=due)
    if as_json:
        print_json(report.as_dict())
    else:
        if not report.feeds:
            echo("No feeds to poll." if not due else "No feed is due.")
        for f in report.feeds:
            data = f.as_dict()
            name = f.title or f.url
            if f.status == "failed" and f.error:
                echo(f"feed {f.feed_id} {name}: failed: {f.error}")
            elif f.status == "busy":
                echo(f"feed {f.feed_id} {name}: skipped, another poll is running")
            elif f.status == "not_modified":
                echo(f"feed {f.feed_id} {name}: not modified")
            elif f.status == "removed":
                echo(f"feed {f.feed_id} {name}: unfollowed during the poll, which stopped")
            else:
                extra = (
                    f", {data['from_summary']} from the feed's summary only" if f.summaries else ""
                )
                echo(
                    f"feed {f.feed_id} {name}: added {data['added']}, unchanged "
                    f"{data['unchanged']}, failed {data['failed']}{extra}"
                )
            for e in f.entries:
                if e.outcome == "failed" or e.from_summary:
                    label = "failed" if e.outcome == "failed" else "summary only"
                    echo(
                        f"  {label}: {shown(e.link or e.title or '', lines=False)}: {e.reason}",
                        err=True,
                    )
    if report.failed:
        sys.exit(1)
