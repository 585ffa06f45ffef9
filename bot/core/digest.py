"""The weekly digest: what is new in the sources in a period, what each side says, and what
the team asked.

An article belongs to the period of its published date, or of its ingestion time when it
has none (see the README for why). The digest is built in two steps: :func:`load` reads
everything it needs in one short transaction, and :func:`compose` writes it, with no
database connection held while a language model works.

Sections:

* *New this week*: each article, newest first, with a summary of one or two sentences:
  verbatim and cited (:mod:`bot.core.summaries`), or written by the LLM and checked by the
  citation guard when one is configured.
* *What each side says*: statements of each side of the story, each cited and attributed
  to who said it (:mod:`bot.core.sides`), or written by the LLM and guarded.
* *What the team asked*: from the log, without names (:mod:`bot.core.asked`).

Citation markers are numbered across the whole digest, in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.core.answer import citation_for, with_marker
from bot.core.asked import NOT_QUESTIONS, TeamQuestions, team_questions
from bot.core.lexicon import Lexicon
from bot.core.models import Citation
from bot.core.period import Period
from bot.core.profile import Profile
from bot.core.sides import attributed_sentences, choose_statements, story_sides
from bot.core.summaries import summary_sentences
from bot.core.text import has_bracketed_number, paragraph_spans, sentence_spans, squash
from bot.core.words import script_word_count
from storage.articles import DatedArticle, Passage, article_passages, articles_in_period
from storage.exchanges import LoggedQuestion, questions_between

#: A lead that is a whole first paragraph (no sentence found) is cut to about this many
#: characters, at a word, and ends with "…".
MAX_LEAD_CHARS = 400
_SENTENCE_ENDINGS = (".", "!", "?", "…", "”", '"', "’", "。", "！", "？")
MARKER = re.compile(r"\[(\d+)\]")


# ---------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class DigestArticle:
    article_id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    added: datetime
    summary: str  # with citation markers [n], numbered across the digest
    citations: tuple[Citation, ...]

    @property
    def day(self) -> date:
        """The date the article is filed under: its own, or the day it was added."""
        return self.published or self.added.date()

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "added": self.added.isoformat(),
            "summary": self.summary,
            "citations": [c.as_dict() for c in self.citations],
        }


@dataclass(frozen=True)
class Statement:
    """One sentence of a side, with who said it and its citation markers."""

    speaker: str
    text: str
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "text": self.text,
            "citations": [c.marker for c in self.citations],
        }


@dataclass(frozen=True)
class SideView:
    key: str
    name: str
    statements: tuple[Statement, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "side": self.key,
            "name": self.name,
            "statements": [s.as_dict() for s in self.statements],
        }


@dataclass(frozen=True)
class Digest:
    period: Period
    articles: tuple[DigestArticle, ...]
    sides: tuple[SideView, ...]
    questions: TeamQuestions
    mode: str = "extractive"  # "llm" when a language model wrote part of it
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """No new articles (the questions section may still have something to say)."""
        return not self.articles

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every source cited, once, by marker."""
        seen: dict[int, Citation] = {}
        for c in (
            *(c for a in self.articles for c in a.citations),
            *(c for s in self.sides for st in s.statements for c in st.citations),
        ):
            seen.setdefault(c.marker, c)
        return tuple(seen[m] for m in sorted(seen))

    @property
    def text(self) -> str:
        from bot.core.digest_text import digest_text

        return digest_text(self)

    def as_dict(self) -> dict[str, Any]:
        from bot.core.digest_text import sections

        return {
            "period": self.period.as_dict(),
            "mode": self.mode,
            "articles": [a.as_dict() for a in self.articles],
            "sections": sections(self),
            "sources": [c.as_dict() for c in self.citations],
            "notes": list(self.notes),
            "text": self.text,
        }


# ---------------------------------------------------------------------- loading


@dataclass(frozen=True)
class DigestSource:
    """Everything the digest of a period is written from."""

    period: Period
    articles: tuple[DatedArticle, ...]
    passages: dict[int, list[Passage]]
    questions: tuple[LoggedQuestion, ...]

    def fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever the digest would: for caching a written digest."""
        return (
            self.period.key,
            tuple((a.id, a.title, a.published, hash(a.text)) for a in self.articles),
            tuple((q.question, q.answered, q.feedback, q.created_at) for q in self.questions),
        )


def load(*, session: Session, period: Period) -> DigestSource:
    articles = articles_in_period(
        session=session,
        first_day=period.start,
        end_day=period.end,
        since=period.since,
        until=period.until,
    )
    # An undated article's day is the team's (the period's time zone), as its filing is.
    tz = period.tz
    articles.sort(
        key=lambda a: (a.published or a.ingested_at.astimezone(tz).date(), a.ingested_at),
        reverse=True,
    )
    passages = article_passages(session=session, article_ids=[a.id for a in articles])
    questions = questions_between(
        session=session, since=period.since, until=period.until, exclude_surfaces=NOT_QUESTIONS
    )
    return DigestSource(period, tuple(articles), passages, tuple(questions))


# ---------------------------------------------------------------------- writing


@dataclass
class Markers:
    """Citation markers numbered across the digest: one per passage, in order of use."""

    by_chunk: dict[int, int] = field(default_factory=dict)

    def cite(self, passage: Passage) -> Citation:
        marker = self.by_chunk.setdefault(passage.chunk_id, len(self.by_chunk) + 1)
        return citation_for(marker, passage)


@dataclass(frozen=True)
class Written:
    """Text a writer produced with local markers [1]..[n] pointing at ``passages``."""

    text: str
    passages: tuple[Passage, ...]


def renumber(written: Written, markers: Markers) -> tuple[str, tuple[Citation, ...]]:
    """``written.text`` with its local markers replaced by the digest's, and their
    citations in order of use."""
    used: list[Citation] = []

    def swap(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(written.passages):
            return ""
        citation = markers.cite(written.passages[n - 1])
        if citation.marker not in {c.marker for c in used}:
            used.append(citation)
        return f"[{citation.marker}]"

    return MARKER.sub(swap, written.text), tuple(used)


class DigestWriter(Protocol):
    """Writes parts of the digest with a language model. ``None`` means "could not": that
    part is then extractive."""

    def summarise(
        self, articles: Sequence[tuple[DatedArticle, list[Passage]]]
    ) -> list[Written | None]:
        """A one- or two-sentence summary of each article, citing its passages."""

    def sides(
        self, period: Period, passages: Sequence[Passage], names: Sequence[tuple[str, str]]
    ) -> dict[str, list[tuple[str, Written]]] | None:
        """For each side key, its statements as (speaker, text citing ``passages``)."""

    @property
    def notes(self) -> list[str]:
        """What went wrong, for the reader (a model that timed out...)."""


def _extractive_summary(
    article: DatedArticle, passages: list[Passage]
) -> tuple[Written, set[tuple[int, int]]]:
    """The verbatim summary, and where its sentences start (article id, offset)."""
    chosen = summary_sentences(article.title, article.text, passages)
    if not chosen:
        lead = lead_sentence(article.text)
        first = passages[0] if passages else None
        if first is None or not lead:
            return Written("", ()), set()
        return Written(with_marker(lead, 1), (first,)), set()
    order: list[Passage] = []
    parts = []
    for s in chosen:
        if s.passage not in order:
            order.append(s.passage)
        parts.append(with_marker(s.text, order.index(s.passage) + 1))
    return Written(" ".join(parts), tuple(order)), {(article.id, s.start) for s in chosen}


def compose(
    source: DigestSource, writer: DigestWriter | None = None, profile: Profile | None = None
) -> Digest:
    """The digest of ``source``; parts the writer cannot write are extractive. The sides
    come from ``profile`` (none with the neutral profile)."""
    profile = profile or Profile()
    markers = Markers()
    pairs = [(a, source.passages.get(a.id, [])) for a in source.articles]
    llm_summaries: list[Written | None] = (
        writer.summarise(pairs) if writer is not None and pairs else [None] * len(pairs)
    )
    mode = "extractive"
    articles: list[DigestArticle] = []
    summary_spans: set[tuple[int, int]] = set()
    for (article, passages), llm in zip(pairs, llm_summaries, strict=True):
        if llm is not None and llm.text:
            written, mode = llm, "llm"
        else:
            written, spans = _extractive_summary(article, passages)
            summary_spans.update(spans)
        text, citations = renumber(written, markers)
        articles.append(
            DigestArticle(
                article.id,
                article.title,
                article.source,
                article.url,
                article.published,
                # in the period's time zone: the day shown ("added 2019-03-31") is the
                # team's, the one it was filed under, not UTC's
                article.ingested_at.astimezone(source.period.tz),
                squash(text),
                citations,
            )
        )
    sides, sides_by_llm = _sides(source, writer, markers, summary_spans, profile)
    if sides_by_llm:
        mode = "llm"
    return Digest(
        period=source.period,
        articles=tuple(articles),
        sides=sides,
        questions=team_questions(source.questions, Lexicon(profile.synonyms)),
        mode=mode,
        notes=tuple(writer.notes) if writer is not None else (),
    )


def _sides(
    source: DigestSource,
    writer: DigestWriter | None,
    markers: Markers,
    avoid: set[tuple[int, int]],
    profile: Profile,
) -> tuple[tuple[SideView, ...], bool]:
    """The sides section, and whether the language model wrote it."""
    names = story_sides(profile)
    found = [
        a
        for article in source.articles
        for a in attributed_sentences(article, source.passages.get(article.id, []), profile)
    ]
    if writer is not None and found:
        pool: list[Passage] = []
        for a in found:
            if a.passage not in pool:
                pool.append(a.passage)
        written = writer.sides(source.period, pool, names)
        if written is not None:
            views = []
            for key, name in names:
                statements = []
                for speaker, w in written.get(key, []):
                    text, citations = renumber(w, markers)
                    if citations:
                        statements.append(Statement(speaker, squash(text), citations))
                views.append(SideView(key, name, tuple(statements)))
            return tuple(views), True
    chosen = choose_statements(found, avoid, profile)
    views = []
    for key, name in names:
        statements = []
        for a in chosen.get(key, []):
            citation = markers.cite(a.passage)
            text = with_marker(a.text, citation.marker)
            statements.append(Statement(a.speaker, text, (citation,)))
        views.append(SideView(key, name, tuple(statements)))
    return tuple(views), False


# ---------------------------------------------------------------------- the lead


def lead_sentence(text: str) -> str:
    """The first full sentence of the article (verbatim), or the start of its first
    paragraph (verbatim, cut at a word to about ``MAX_LEAD_CHARS``, then "…"). The
    summary of last resort, when no sentence qualifies (:mod:`bot.core.summaries`)."""
    for para in paragraph_spans(text):
        for span in sentence_spans(text, [para]):
            sentence = span.of(text).rstrip()
            if (
                script_word_count(sentence) >= 6
                and sentence.endswith(_SENTENCE_ENDINGS)
                and not has_bracketed_number(sentence)  # it would read as a citation
            ):
                return squash(sentence)
    first = paragraph_spans(text)
    lead = squash(first[0].of(text)) if first else ""
    if len(lead) > MAX_LEAD_CHARS:
        cut = lead.rfind(" ", 0, MAX_LEAD_CHARS)
        lead = lead[: cut if cut > MAX_LEAD_CHARS // 2 else MAX_LEAD_CHARS].rstrip() + "…"
    return lead
