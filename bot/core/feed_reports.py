"""What a poll of the feeds did, feed by feed and entry by entry, as the CLI, Slack and
the log show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EntryOutcome = Literal["added", "updated", "unchanged", "failed", "skipped"]
#: ``removed``: the feed was unfollowed during its poll, which stopped there (not a failure).
FeedStatus = Literal["updated", "not_modified", "failed", "busy", "removed"]


@dataclass(frozen=True)
class EntryReport:
    link: str | None
    title: str | None
    outcome: EntryOutcome
    reason: str | None = None
    #: Stored from the feed's summary because the page could not be used.
    from_summary: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "link": self.link,
            "title": self.title,
            "outcome": self.outcome,
            "reason": self.reason,
            "from_summary": self.from_summary,
        }


@dataclass
class FeedReport:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    title: str | None
    status: FeedStatus
    error: str | None = None
    entries: list[EntryReport] = field(default_factory=list)

    def count(self, outcome: EntryOutcome) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome)

    @property
    def added(self) -> int:
        return self.count("added") + self.count("updated")

    @property
    def summaries(self) -> int:
        return sum(1 for e in self.entries if e.from_summary and e.outcome in ("added", "updated"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.feed_id,
            "url": self.url,
            "title": self.title,
            "status": self.status,
            "error": self.error,
            "added": self.added,
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "skipped": self.count("skipped"),
            "from_summary": self.summaries,
            "entries": [e.as_dict() for e in self.entries],
        }


@dataclass
class PollReport:
    feeds: list[FeedReport] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether any feed, or any entry, failed in this poll."""
        return any(f.status == "failed" or f.count("failed") for f in self.feeds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "feeds": [f.as_dict() for f in self.feeds],
            "added": sum(f.added for f in self.feeds),
            "unchanged": sum(f.count("unchanged") for f in self.feeds),
            "failed": sum(f.count("failed") for f in self.feeds),
            "failed_feeds": sum(1 for f in self.feeds if f.status == "failed"),
        }
