"""Adding one web page to the sources, and telling what it became.

``/brief add <url>`` (and anything else that adds a single page) goes through
:func:`add_page`: fetch, extract, store through the ingest pipeline in its own
transaction, then read back what is stored, so the reply can say the title, source, date
and number of passages, or the one-line reason nothing was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.ingest import ArticleStore, ingest_parsed
from bot.core.parse import ParsedArticle
from bot.core.urls import normalise_url
from bot.errors import IngestError
from storage.db import Database
from storage.feeds import article_with_text
from storage.stored import StoredArticle, article_by_id, article_by_origin


@dataclass(frozen=True)
class AddedPage:
    """What a url became: ``outcome`` is added, updated or unchanged (already stored)."""

    outcome: str
    title: str
    source: str | None
    published: date | None
    passages: int
    url: str | None
    final_url: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "passages": self.passages,
            "url": self.url,
            "final_url": self.final_url,
        }


def add_page(
    db: Database, store: ArticleStore, url: str, fetch: Callable[[str], ParsedArticle]
) -> AddedPage:
    """Fetch ``url`` and store its article; :class:`IngestError` (or ``InputError``) with
    the reason when nothing could be stored."""
    target = normalise_url(url)
    parsed: list[ParsedArticle] = []

    def load() -> ParsedArticle:
        parsed.append(fetch(target))
        return parsed[0]

    summary = ingest_parsed(db, store, [(target, load)])
    if summary.failed:
        raise IngestError(summary.failed[0][1])
    outcome = "added" if summary.added else "updated" if summary.updated else "unchanged"
    with db.session() as session:
        stored: StoredArticle | None = article_by_origin(session=session, origin=target)
        if stored is None and parsed:  # the same text is stored under another url
            other = article_with_text(session=session, content_hash=parsed[0].content_hash)
            stored = article_by_id(session=session, article_id=other) if other else None
    if stored is None:
        raise IngestError("the page was fetched but nothing could be stored")
    return AddedPage(
        outcome=outcome,
        title=stored.title,
        source=stored.source,
        published=stored.published,
        passages=stored.passages,
        url=stored.url,
        final_url=stored.final_url,
    )
