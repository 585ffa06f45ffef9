"""The weekly digest: what was added to the sources in a week, in the articles' own words.

Each item is an article ingested in the window, newest first, with its lead sentence quoted
verbatim. The digest is read in the App Home, asked for in the assistant pane ("This
week's digest"), and is what the weekly channel post is built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.text import paragraph_spans, sentence_spans, squash, word_count
from storage.articles import article_texts, list_articles

MAX_ITEMS = 8


@dataclass(frozen=True)
class DigestItem:
    article_id: int
    title: str
    url: str | None
    source: str | None
    published: date | None
    lead: str  # verbatim from the article


@dataclass(frozen=True)
class Digest:
    since: datetime
    until: datetime
    items: tuple[DigestItem, ...]

    @property
    def empty(self) -> bool:
        return not self.items


def lead_sentence(text: str) -> str:
    """The first full sentence of the article (verbatim), or its first paragraph."""
    for para in paragraph_spans(text):
        for span in sentence_spans(text, [para]):
            sentence = span.of(text)
            if word_count(sentence) >= 6 and sentence.rstrip().endswith((".", "!", "?", "”", '"')):
                return squash(sentence)
    first = paragraph_spans(text)
    return squash(first[0].of(text)) if first else ""


def build_digest(*, session: Session, until: datetime, days: int = 7) -> Digest:
    since = until - timedelta(days=days)
    articles = list_articles(session=session, since=since, until=until)[:MAX_ITEMS]
    texts = article_texts(session=session, article_ids=[a.id for a in articles])
    items = tuple(
        DigestItem(a.id, a.title, a.url, a.source, a.published, lead_sentence(texts[a.id]))
        for a in articles
    )
    return Digest(since, until, items)
