"""What ``/brief add`` stored and which feeds briefbot follows, as Slack messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.slack.blocks import Block, section, truncate
from bot.slack.mrkdwn import escape, link

if TYPE_CHECKING:  # rendering imports neither ingest nor the feeds' storage
    from bot.core.pages import AddedPage
    from storage.feeds import FeedRow


def added_page_message(page: AddedPage) -> tuple[str, list[Block]]:
    """What ``/brief add`` stored: title (linked), source, date and number of passages."""
    verb = {"added": "Added", "updated": "Updated"}.get(page.outcome, "Already in the sources")
    meta = ", ".join(escape(str(x)) for x in (page.source, page.published or "undated") if x)
    title = page.title or "Untitled"
    line = (
        f"{verb}: *{link(page.url, title)}* — {meta} · "
        f"{page.passages} passage{'s' if page.passages != 1 else ''}"
    )
    return truncate(f"{verb}: {escape(title)}"), section(line)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


def feeds_blocks(feeds: Sequence[FeedRow], limit: int = 30) -> list[Block]:
    """The feeds followed, each with its last poll, last success and last error."""
    if not feeds:
        return section("*Feeds*\nNo feeds are followed yet.")
    lines = []
    for f in feeds[:limit]:
        title = link(f.url, f.title or f.url or "Untitled feed")
        state = f"last poll {_when(f.last_polled_at)}, last success {_when(f.last_success_at)}"
        line = f"• `{f.id}` *{title}* — {f.entries} articles; {state}"
        if f.last_error:
            line += f"\n    last error: {escape(f.last_error)}"
        lines.append(line)
    if len(feeds) > limit:
        lines.append(f"…and {len(feeds) - limit} more")
    return section(f"*Feeds ({len(feeds)})*\n" + "\n".join(lines))
