"""The weekly digest: what was added to the sources in a week, in the articles' own words.

Each item is an article ingested in the window, newest first, with its lead sentence quoted
verbatim. The digest is read in the App Home, asked for in the assistant pane ("This
week's digest"), and is what the weekly channel post is built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.core.text import paragraph_spans, sentence_spans, squash, word_count
from storage.articles import article_texts, list_articles

MAX_ITEMS = 8
#: A lead that is a whole first paragraph (no sentence found) is cut to about this many
#: characters, at a word, and ends with "…".
MAX_LEAD_CHARS = 400
_CJK_STOP = re.compile(r"[。！？]")
_SENTENCE_ENDINGS = (".", "!", "?", "…", "”", '"', "’", "。", "！", "？")


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
    more: int = 0  # articles of the week beyond MAX_ITEMS, not listed

    @property
    def empty(self) -> bool:
        return not self.items


def lead_sentence(text: str) -> str:
    """The first full sentence of the article (verbatim), or the start of its first
    paragraph (verbatim, cut at a word to about ``MAX_LEAD_CHARS``, then "…")."""
    for para in paragraph_spans(text):
        for span in sentence_spans(text, [para]):
            sentence = span.of(text).rstrip()
            # Chinese and Japanese sentences end at a full-width stop with no space after
            # it, which the splitter does not see: the lead ends at the first one.
            stop = _CJK_STOP.search(sentence)
            if stop is not None:
                sentence = sentence[: stop.end()]
            long_enough = word_count(sentence) >= 6 or (
                sentence.endswith(("。", "！", "？")) and len(sentence) >= 12
            )
            if long_enough and sentence.endswith(_SENTENCE_ENDINGS):
                return squash(sentence)
    first = paragraph_spans(text)
    lead = squash(first[0].of(text)) if first else ""
    if len(lead) > MAX_LEAD_CHARS:
        cut = lead.rfind(" ", 0, MAX_LEAD_CHARS)
        lead = lead[: cut if cut > MAX_LEAD_CHARS // 2 else MAX_LEAD_CHARS].rstrip() + "…"
    return lead


def build_digest(*, session: Session, until: datetime, days: int = 7) -> Digest:
    """The articles ingested in the ``days`` before ``until``, most recently added first
    (the digest is about what the sources gained, whatever the articles' own dates), at
    most ``MAX_ITEMS`` of them; ``more`` counts the rest."""
    since = until - timedelta(days=days)
    added = sorted(
        list_articles(session=session, since=since, until=until),
        key=lambda a: (a.ingested_at, a.id),
        reverse=True,
    )
    articles = added[:MAX_ITEMS]
    texts = article_texts(session=session, article_ids=[a.id for a in articles])
    items = tuple(
        DigestItem(a.id, a.title, a.url, a.source, a.published, lead_sentence(texts[a.id]))
        for a in articles
    )
    return Digest(since, until, items, more=len(added) - len(articles))
