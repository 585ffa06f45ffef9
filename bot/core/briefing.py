"""The briefing service: the one object the CLI, Slack and the clock talk to.

It owns the database, the token counter and the optional LLM and embedder, and answers:
ingest, ask, quote, sources. Around it, one object per job, which the adapters use
directly: :attr:`Briefing.log` (the conversation log), :attr:`Briefing.digests` (the
weekly digest and its subscriptions), :attr:`Briefing.web` (pages and feeds) and
:attr:`Briefing.writers` (who writes answers and digests). It knows nothing of Slack.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.answer import NOT_IN_SOURCES, NOT_SAID_IN_SOURCES, extractive_answer
from bot.core.candidates import answerable_in_kind
from bot.core.digest_service import Digests
from bot.core.exchange_log import ExchangeLog
from bot.core.followup import condense_lexically, stands_alone
from bot.core.lexicon import Lexicon
from bot.core.model_choice import NOT_SENT, ModelResolver
from bot.core.models import Answer, ExchangeContext, Quote, SourceInfo, Turn, Usage
from bot.core.phrasing import acknowledges, question_parts
from bot.core.profile import find_profile
from bot.core.query import Query
from bot.core.quotes import find_quotes
from bot.core.retrieve import Retrieval, Retriever
from bot.core.timing import REAL_TIME, Timing
from bot.core.web_sources import WebSources
from bot.core.writer import AnswerWriter, WritingFailed
from bot.core.writers import Writers
from bot.errors import BriefbotError, ConfigError, DatabaseError, InputError, apology, new_log_id
from bot.resources import bundled_dir
from storage.articles import chunk_texts, count_articles, list_articles
from storage.db import Database, DatabaseUnavailable, DatabaseUnusable, DatabaseUrlError
from storage.models import utcnow

if TYPE_CHECKING:
    # Imported where they are used, so that answering a question never loads what only
    # ingest, web pages, feeds or embeddings need (yaml, lxml, httpx2, tiktoken, numpy,
    # openai): `briefbot ask` starts in about half the time.
    from bot.core.embeddings import Embedder
    from bot.core.fetch import Fetcher
    from bot.core.ingest import ArticleStore, IngestSummary
    from bot.core.prepare import Loader
    from bot.core.tokens import TokenCounter

log = logging.getLogger(__name__)

OnText = Callable[[str], None]


class AnswerFailed(BriefbotError):
    """Answering failed unexpectedly; the exchange was logged under ``exchange_id``."""

    def __init__(self, exchange_id: str) -> None:
        super().__init__(apology(exchange_id))
        self.exchange_id = exchange_id


class QuestionDeclined(InputError):
    """A question briefbot declined to read (empty, punctuation, over-long, not text),
    logged under ``exchange_id`` with the reply (None if the log refused it)."""

    def __init__(self, message: str, exchange_id: str | None) -> None:
        super().__init__(message)
        self.exchange_id = exchange_id


def _open_database(url: str) -> Database:
    try:
        return Database.connect(url)
    except (DatabaseUrlError, DatabaseUnusable) as exc:  # a setting to fix, not a server
        raise ConfigError(str(exc)) from exc
    except DatabaseUnavailable as exc:
        raise DatabaseError(str(exc)) from exc


class Briefing:
    """Ingest, ask, quote and list sources over one database. ``clock`` is the wall clock
    (when articles, exchanges and digests happen); ``timing`` is the model clients' clock
    for deadlines, and their sleep (:mod:`bot.core.timing`)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        counter: TokenCounter | None = None,
        summariser: AnswerWriter | None = None,
        embedder: Embedder | None = None,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] | None = None,
        models: ModelResolver | None = None,
        timing: Timing = REAL_TIME,
    ) -> None:
        self.settings = settings
        self.db = db
        self._counter = counter
        self.clock = clock or utcnow
        self.embedder = embedder
        self.profile = find_profile(settings.profile, settings.corpus_dir, bundled_dir("corpus"))
        self.retriever = Retriever(
            search=db.search,
            lexicon=Lexicon(self.profile.synonyms, [side.cues for side in self.profile.sides]),
            profile=self.profile,
            top_k=settings.top_k,
            min_coverage=settings.min_coverage,
            embedder=embedder,
            min_dense_similarity=settings.min_dense_similarity,
        )
        self._store: ArticleStore | None = None
        self.writers = Writers(settings, lambda: self.counter, models, summariser, timing=timing)
        self.log = ExchangeLog(db, self.clock)
        self.digests = Digests(settings, db, self.profile, self.writers, self.clock)
        self.web = WebSources(settings, db, lambda: self.store, self.clock, fetcher)

    @property
    def counter(self) -> TokenCounter:
        """The tokenizer, loaded on first use (it takes most of a second)."""
        if self._counter is None:
            from bot.core.tokens import counter_for

            self._counter = counter_for(self.settings.tokenizer, self.settings.data_dir)
        return self._counter

    @property
    def store(self) -> ArticleStore:
        if self._store is None:
            from bot.core.ingest import ArticleStore

            self._store = ArticleStore(
                self.counter,
                self.settings.chunk_tokens,
                self.settings.chunk_overlap_tokens,
                after_store=self.embedder.after_store if self.embedder is not None else None,
                clock=self.clock,
            )
        return self._store

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        bootstrap: bool = True,
        clock: Callable[[], datetime] | None = None,
        timing: Timing = REAL_TIME,
    ) -> Briefing:
        """Connect, migrate, wire the optional LLM and embedder (their deadlines and waits
        are ``timing``'s), and fill an empty database with the bundled corpus (so
        ``briefbot ask`` works right after install). ``clock``: the wall clock (UTC)."""
        db = _open_database(settings.resolved_database_url)
        models = ModelResolver(settings, clock=timing.clock)
        briefing = cls(settings, db, models=models, clock=clock, timing=timing)
        if settings.embedding_model:
            # The openai package takes most of a second to import; only pay when used.
            from bot.core.embeddings import build_embedder

            briefing.embedder = briefing.retriever.embedder = build_embedder(settings, timing)
        if bootstrap:
            briefing.ingest_corpus_if_empty()
        return briefing

    def close(self) -> None:
        self.web.close()
        self.db.dispose()

    def __enter__(self) -> Briefing:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest

    def ingest(
        self,
        paths: Sequence[str | Path],
        on_start: Callable[[int], None] | None = None,
        on_item: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Ingest files, folders and web pages (``http(s)://`` URLs), in the order given;
        each article in its own transaction. A URL that cannot be fetched or has no
        article in it is one failed item, like a file that cannot be read."""
        from bot.core.files import discover, display_path
        from bot.core.ingest import IngestSummary, ingest_parsed
        from bot.core.urls import looks_like_url

        max_bytes = int(self.settings.max_file_mb * 1_000_000)
        items: list[tuple[str, Loader]] = []
        problems: list[tuple[str, str]] = []
        seen: set[Path] = set()  # a file reached twice (a folder named twice) is read once
        for raw in paths:
            if isinstance(raw, str) and looks_like_url(raw):
                items.append((raw, self._page_loader(raw)))
                continue
            files, unreadable = discover([raw], seen)
            problems.extend(unreadable)
            items.extend((display_path(f), self._file_loader(f, max_bytes)) for f in files)
        summary = IngestSummary(failed=problems)
        if on_start is not None:
            on_start(len(items))
        return ingest_parsed(self.db, self.store, items, summary, on_item)

    def _page_loader(self, url: str) -> Loader:
        return lambda: self.web.fetch_page(url)

    @staticmethod
    def _file_loader(path: Path, max_bytes: int) -> Loader:
        from bot.core.parse import parse_file

        return lambda: parse_file(path, max_bytes)

    def ingest_corpus_if_empty(self) -> IngestSummary | None:
        with self.db.session() as session:
            if count_articles(session=session):
                return None
        corpus = self.settings.corpus_dir or bundled_dir("corpus")
        summary = self.ingest([corpus])
        log.info(
            "empty database: ingested the bundled corpus (%d added, %d failed)",
            summary.added,
            len(summary.failed),
        )
        return summary

    # ------------------------------------------------------------------ questions

    def check_question(self, question: str, what: str = "question") -> str:
        """The question (or topic) as briefbot reads, searches and logs it: whitespace
        runs as one space, NUL (which PostgreSQL cannot store) as a space. Every question
        and topic enters the core here, from the command line and from Slack alike."""
        text = " ".join(question.replace("\x00", " ").split())
        if not text.isprintable() and any("\ud800" <= ch <= "\udfff" for ch in text):
            raise InputError(f"The {what} is not valid text: it has bytes that are not UTF-8.")
        if not any(ch.isalnum() for ch in text):
            empty = "empty" if not text else "only punctuation"
            raise InputError(f"The {what} is {empty}. {self.profile.hint()}.")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise InputError(
                f"The {what} is {len(text):,} characters long; the limit is {limit:,}."
            )
        return text

    def corpus_uses(self, words: Sequence[str]) -> set[str]:
        """Which of ``words`` the stored articles use: one look-up of the search index's
        vocabulary (the document frequencies retrieval weighs terms by). What tells a
        name or a word from outside the story ("thanks Maria", ``/brief Soares``) from
        one of its terms."""
        with self.db.session() as session:
            found = self.retriever.search.frequencies(session, words)
        return {w for w, n in found.items() if n}

    def acknowledges(self, message: str) -> bool:
        """:func:`~bot.core.phrasing.acknowledges`, with the stored articles to tell who
        is thanked ("thanks Maria") from what is asked ("ok, the critics")."""
        return acknowledges(message, self.corpus_uses)

    def retrieve(self, question: str) -> Retrieval:
        """The passages for ``question`` and the verdict on them (and on their sentences)."""
        with self.db.session() as session:
            return answerable_in_kind(self.retriever.retrieve(session, question))

    def retrieve_in_part(self, question: str, model: bool = False) -> tuple[str, Retrieval]:
        """The question to answer and its retrieval: ``question`` as asked, or, when the
        sources cannot answer all it asks but can answer one of its parts ("How many
        points did Rostholm lose, and where does that leave them?"), the first such part,
        from the article the whole question found first (a part alone may name less than
        the question does: "how much trade is at stake" is the Duvessa story's trade), and
        that stands alone ("where would *it* be held" does not). With a ``model`` to write
        the answer, a question it may be shown whole is shown whole: it may answer both
        parts from the passages."""
        retrieval = self.retrieve(question)
        if retrieval.answerable or (model and retrieval.worth_asking) or not retrieval.passages:
            return question, retrieval
        story = retrieval.passages[0].article_id
        for part in question_parts(question)[:MAX_PARTS]:
            if not stands_alone(part):
                continue  # "where would *it* be held": it needs the part before
            answered = self.retrieve(part)
            if answered.answerable and answered.passages[0].article_id == story:
                return part, answered
        return question, retrieval

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Turn] = (),
        context: ExchangeContext | None = None,
        on_text: OnText | None = None,
        exchange_id: str | None = None,
    ) -> Answer:
        """Answer ``question`` from the sources and log the exchange (under
        ``exchange_id`` when the caller chose it: see
        :meth:`~bot.core.exchange_log.ExchangeLog.record_interrupted`).

        ``history`` holds earlier turns of the conversation: a follow-up is condensed into
        a standalone question before retrieval, unless it only acknowledges ("thanks!":
        :func:`~bot.core.phrasing.acknowledges`), which asks nothing. If the sources
        cannot answer the condensed question but can answer the question as asked, the
        question as asked is answered (a Slack thread's follow-ups take this path too).
        ``on_text`` receives answer text as an LLM streams it (the final, guarded answer
        is the returned one).
        """
        context = context or ExchangeContext()
        started = time.perf_counter()
        text = self._checked(question, "question", context, started)
        standalone = text
        exchange_id = exchange_id or new_log_id()
        condensing: Usage | None = None

        def record_failure(error: str, failed: Answer | None = None) -> None:
            """Log the question with ``error`` (and what a model spent, in ``failed``)."""
            if failed is None:
                failed = Answer(question=text, answer="", answered=False, mode="extractive")
            self.log.record(
                exchange_id, context, failed, standalone, latency_ms=_ms(started), error=error
            )

        try:
            summariser, reason = self.writers.answers()
            deadline = summariser.deadline() if summariser is not None else 0.0
            follows_up = bool(history) and not self.acknowledges(text)
            if follows_up:
                standalone, retrieval, condensing = self._follow_up(
                    text, history, deadline, summariser
                )
            else:
                # Nothing to condense, or nothing asked: "thanks!" after an answer is
                # decided as said (the help reply), not condensed with the thread's
                # terms into the last question again.
                standalone, retrieval = self.retrieve_in_part(text, summariser is not None)
            answer = self._answer(
                text, standalone, retrieval, on_text, deadline, summariser, reason
            )
            if not follows_up:
                answer = answered_in_part(answer, standalone)
            if condensing is not None:  # the follow-up's condensing counts too
                answer = replace(answer, usage=condensing.plus(answer.usage))
        except BriefbotError as exc:
            # One the asker is told (no single model named, a tokenizer cache that cannot
            # be written): the question was asked all the same, so it is logged, with it.
            record_failure(f"{type(exc).__name__}: {exc.message}")
            raise
        except Exception as exc:
            log.exception("answering failed (log id %s)", exchange_id)
            spent: Answer | None = None
            cause: BaseException = exc
            if isinstance(exc, WritingFailed):  # after the model was called: which, and cost
                usage = exc.spent.usage
                spent = replace(exc.spent, usage=condensing.plus(usage) if condensing else usage)
                cause = exc.__cause__ or exc
            record_failure(f"{type(cause).__name__}: {cause}", spent)
            raise AnswerFailed(exchange_id) from exc
        logged = self.log.record(exchange_id, context, answer, standalone, latency_ms=_ms(started))
        # one line per answer (-v, serve): what it was, not what was asked
        log.info(
            "exchange %s (%s): %s, %s, %d citation(s), %d ms",
            exchange_id,
            context.surface,
            "answered" if answer.answered else "not answered",
            answer.written_by,
            len(answer.citations),
            _ms(started),
        )
        return replace(answer, exchange_id=exchange_id if logged else None, latency_ms=_ms(started))

    def answer_unlogged(self, question: str) -> tuple[Answer, Retrieval]:
        """Answer without touching the conversation log (``briefbot eval`` uses this)."""
        text = self.check_question(question)
        summariser, reason = self.writers.answers()
        standalone, retrieval = self.retrieve_in_part(text, summariser is not None)
        deadline = summariser.deadline() if summariser is not None else 0.0
        answer = self._answer(text, standalone, retrieval, None, deadline, summariser, reason)
        return answered_in_part(answer, standalone), retrieval

    def _follow_up(
        self,
        question: str,
        history: Sequence[Turn],
        deadline: float,
        summariser: AnswerWriter | None,
    ) -> tuple[str, Retrieval, Usage | None]:
        """The question a follow-up asks (standalone), its retrieval, and what an LLM
        spent condensing it (if one did)."""
        as_asked = self.retrieve(question) if stands_alone(question) else None
        if as_asked is not None and as_asked.answerable:
            # A question that stands on its own is answered as asked: condensing it
            # with an off-topic turn before it could only make it worse.
            return question, as_asked, None
        standalone, condensing = self._condense(question, history, deadline, summariser)
        retrieval = self.retrieve(standalone)
        if not retrieval.answerable and standalone != question:
            # The condensed question fails the gate where the question as asked may
            # pass it (an off-topic turn came before): then answer that.
            as_asked = as_asked or self.retrieve(question)
            if as_asked.answerable:
                return question, as_asked, condensing
        return standalone, retrieval, condensing

    def _condense(
        self,
        question: str,
        history: Sequence[Turn],
        deadline: float,
        summariser: AnswerWriter | None,
    ) -> tuple[str, Usage | None]:
        """The standalone question, and what an LLM spent condensing it (if one did)."""
        if not history:
            return question, None
        usage = None
        if summariser is not None:
            condensed, usage = summariser.condense(question, history, deadline)
            if condensed:
                return condensed, usage
        return condense_lexically(question, history), usage

    def _answer(
        self,
        question: str,
        standalone: str,
        retrieval: Retrieval,
        on_text: OnText | None,
        deadline: float,
        summariser: AnswerWriter | None,
        reason: str | None,
    ) -> Answer:
        """The answer; ``reason`` says why no model writes it (None when one does)."""
        help_text = self._help_for(question, retrieval.query)
        if help_text is not None:
            return Answer(
                question,
                help_text,
                False,
                "help",
                standalone_question=standalone,
                extractive_reason=reason or NOT_SENT,
            )
        if not retrieval.worth_asking:
            # refused before any model is asked, so not the model's (whatever is set up)
            refusal = self._refusal(question, standalone, retrieval)
            return replace(refusal, extractive_reason=reason or NOT_SENT)
        if summariser is not None:
            return summariser.answer(
                question,
                standalone,
                retrieval,
                on_text,
                lambda note: self.extractive(question, standalone, retrieval, note),
                deadline,
            )
        return replace(self.extractive(question, standalone, retrieval), extractive_reason=reason)

    def _help_for(self, question: str, query: Query) -> str | None:
        """A reply for a question (``question`` as asked, ``query`` as searched) that asks
        nothing briefbot can look up: only framing ("tell me about it"), an
        acknowledgement ("thanks!", "got it"), or another language. Thanks in another
        language ("merci beaucoup") is thanks first: it gets the reply thanks gets, not
        the note that questions are read in English only."""
        acknowledged = self.acknowledges(question)
        if query.language != "en" and not acknowledged:
            return (
                "I can only read questions in English (the stored articles are in English). "
                f"{self.profile.hint()}."
            )
        if query.framing_only or acknowledged:
            return (
                f"I brief you on {self.profile.name}, from the stored articles. Ask me "
                "something specific"
                + (f", for example: “{self.profile.example}”" if self.profile.example else "")
                + "."
            )
        return None

    def _refusal(self, question: str, standalone: str, retrieval: Retrieval) -> Answer:
        """The gate's "Not in the sources", written by briefbot itself (mode
        "extractive"; a model's own refusal is the model's, "llm")."""
        borderline = retrieval.verdict.decision == "borderline"
        return Answer(
            question=question,
            answer=NOT_SAID_IN_SOURCES if borderline else NOT_IN_SOURCES,
            answered=False,
            mode="extractive",
            standalone_question=standalone,
            refusal=retrieval.verdict.as_dict(),
        )

    def extractive(
        self, question: str, standalone: str, retrieval: Retrieval, note: str | None = None
    ) -> Answer:
        if not retrieval.answerable:
            return replace(self._refusal(question, standalone, retrieval), note=note)
        text, citations = extractive_answer(retrieval, self.settings.answer_words, self.profile)
        return Answer(
            question=question,
            answer=text,
            answered=bool(citations),
            mode="extractive",
            citations=citations,
            standalone_question=standalone,
            note=note,
        )

    # ------------------------------------------------------------------ quotes, sources, log

    def _checked(self, question: str, what: str, context: ExchangeContext, started: float) -> str:
        """:meth:`check_question`, logging a question it declines (empty, punctuation,
        over-long, not text) with mode "declined" and the reply the user got, and
        raising it as :class:`QuestionDeclined` with the row's id: every question asked
        is in the log, even one briefbot could not read."""
        try:
            return self.check_question(question, what)
        except InputError as exc:
            logged = self.log.record_declined(
                question, exc.message, context, latency_ms=_ms(started)
            )
            raise QuestionDeclined(exc.message, logged) from exc

    def quote(self, topic: str, limit: int = 3) -> list[Quote]:
        """Verbatim quotes on ``topic`` (possibly none: never invented); not logged."""
        text = self.check_question(topic, "topic")
        return self._quotes(text, limit)

    def _quotes(self, text: str, limit: int) -> list[Quote]:
        if limit < 1:
            raise InputError("Ask for at least one quote.")
        with self.db.session() as session:
            retrieval = self.retriever.retrieve(session, text)
            return find_quotes(session, retrieval, limit)

    def quote_logged(
        self, topic: str, limit: int = 3, context: ExchangeContext | None = None
    ) -> tuple[list[Quote], str | None]:
        """:meth:`quote`, logged like a question (the quotes are its citations, with the
        latency): the quotes and the log id (None if the log refused them). A topic
        briefbot declines is logged too; a failure is logged with its error and raised
        as :class:`AnswerFailed`."""
        context = context or ExchangeContext(surface="cli")
        started = time.perf_counter()
        text = self._checked(topic, "topic", context, started)
        try:
            quotes = self._quotes(text, limit)
        except BriefbotError:
            raise
        except Exception as exc:
            exchange_id = new_log_id()
            log.exception("finding quotes failed (log id %s)", exchange_id)
            self.log.record_quotes(
                text, [], context, latency_ms=_ms(started), exchange_id=exchange_id,
                error=f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
            raise AnswerFailed(exchange_id) from exc
        try:
            return quotes, self.log.record_quotes(text, quotes, context, latency_ms=_ms(started))
        except Exception:  # the quotes are found: a log that refuses must not cost them
            log.exception("could not store the quotes on %r", text)
            return quotes, None

    def chunk_texts(self) -> list[tuple[str, str]]:
        """(text, article title) of every stored chunk, for comparisons in ``eval``."""
        with self.db.session() as session:
            return chunk_texts(session=session)

    def sources(self) -> list[SourceInfo]:
        with self.db.session() as session:
            return [
                SourceInfo(
                    id=a.id,
                    title=a.title,
                    source=a.source,
                    url=a.url,
                    published=a.published,
                    chunks=a.chunks,
                    ingested_at=a.ingested_at.isoformat(),
                )
                for a in list_articles(session=session)
            ]


def _ms(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.perf_counter()``)."""
    return int((time.perf_counter() - started) * 1000)


#: The most parts of a question asked on their own (each is a retrieval): a question of
#: more parts is answered whole, or in one of its first ones.
MAX_PARTS = 3


def answered_in_part(answer: Answer, part: str) -> Answer:
    """``answer``, noted as the answer to ``part`` of its question when that is all the
    sources answer (:meth:`Briefing.retrieve_in_part`), so that the asker knows the rest
    was not found rather than overlooked."""
    if part == answer.question or not answer.answered:
        return answer
    said = f"The sources answer only part of this: “{part}”."
    return replace(answer, note=f"{answer.note} {said}" if answer.note else said)
