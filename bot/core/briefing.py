"""The briefing service: the one object the CLI, Slack and the clock talk to.

It owns the database, the token counter and the optional LLM and embedder, and offers the
operations a user sees: ingest, ask, quote, sources, feedback. It knows nothing of Slack.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.core.answer import NOT_IN_SOURCES, extractive_answer
from bot.core.followup import condense_lexically, stands_alone
from bot.core.lexicon import Lexicon
from bot.core.model_choice import NOT_SENT, ModelResolver, choose_without_asking
from bot.core.models import (
    Answer,
    Citation,
    ExchangeContext,
    Mode,
    Quote,
    SourceInfo,
    Turn,
    Usage,
)
from bot.core.profile import find_profile
from bot.core.query import Query
from bot.core.quotes import find_quotes
from bot.core.retrieve import Retrieval, Retriever
from bot.core.writer import AnswerWriter as Summariser
from bot.errors import BriefbotError, ConfigError, DatabaseError, InputError, apology
from bot.resources import bundled_dir
from storage import claims, digests, exchanges
from storage.articles import chunk_texts, count_articles, list_articles
from storage.db import Database, DatabaseUnavailable, DatabaseUnusable, DatabaseUrlError

if TYPE_CHECKING:
    # Imported where they are used, so that answering a question never loads what only
    # ingest, web pages, feeds or embeddings need (yaml, lxml, httpx2, tiktoken, numpy,
    # openai): `briefbot ask` starts in about half the time.
    from bot.core.digest import Digest, DigestWriter
    from bot.core.embeddings import Embedder
    from bot.core.feed_reports import PollReport
    from bot.core.feeds import FeedPoller
    from bot.core.fetch import Fetcher
    from bot.core.ingest import ArticleStore, IngestSummary
    from bot.core.llm import LLMAnswerWriter as LLMSummariser
    from bot.core.pages import AddedPage
    from bot.core.parse import ParsedArticle
    from bot.core.period import Period
    from bot.core.prepare import Loader
    from bot.core.tokens import TokenCounter

log = logging.getLogger(__name__)

OnText = Callable[[str], None]
#: Written digests kept per process, so a preview and its "Post to channel" click (or the
#: App Home opened twice) do not pay for the language model twice.
DIGEST_CACHE = 4


class AnswerFailed(BriefbotError):
    """Answering failed unexpectedly; the exchange was logged under ``exchange_id``."""

    def __init__(self, exchange_id: str) -> None:
        super().__init__(apology(exchange_id))
        self.exchange_id = exchange_id


def _open_database(url: str) -> Database:
    try:
        return Database.connect(url)
    except (
        DatabaseUrlError,
        DatabaseUnusable,
    ) as exc:  # a setting to fix, not a server to wait for
        raise ConfigError(str(exc)) from exc
    except DatabaseUnavailable as exc:
        raise DatabaseError(str(exc)) from exc


class Briefing:
    """Ingest, ask, quote and list sources over one database."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        counter: TokenCounter | None = None,
        summariser: Summariser | None = None,
        embedder: Embedder | None = None,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] | None = None,
        models: ModelResolver | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self._counter = counter
        self._fetcher = fetcher
        self.clock = clock or (lambda: datetime.now(UTC))
        self._feeds: FeedPoller | None = None
        self.summariser = summariser
        #: Decides the chat model when the first answer needs one (None: ``summariser``
        #: as given writes the answers, or none does).
        self.models = models
        self._summariser_model: str | None = None
        self._built: LLMSummariser | None = None  # the summariser writer() made
        self._auto_digest_writer: DigestWriter | None = None
        self._digest_writer_for: LLMSummariser | None = None
        self._llm_lock = threading.Lock()
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
        self.digest_writer: DigestWriter | None = None
        self._digests: dict[Any, Digest] = {}
        self._digests_lock = threading.Lock()

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
            )
        return self._store

    @property
    def fetcher(self) -> Fetcher:
        """The HTTP client for pages and feeds, behind the SSRF guard; made on first use."""
        if self._fetcher is None:
            from bot.core.fetch import Fetcher, FetchLimits, HostPacer
            from bot.core.netguard import AddressPolicy

            self._fetcher = Fetcher(
                FetchLimits(
                    int(self.settings.max_file_mb * 1_000_000), self.settings.fetch_timeout
                ),
                policy=AddressPolicy(allow_private=self.settings.allow_private_urls),
                pacer=HostPacer(self.settings.fetch_host_delay),
            )
        return self._fetcher

    @property
    def feeds(self) -> FeedPoller:
        """The feeds briefbot follows: add, list, remove, poll."""
        if self._feeds is None:
            from bot.core.feeds import FeedPoller

            self._feeds = FeedPoller(
                self.db,
                lambda: self.store,
                lambda: self.fetcher,
                timedelta(seconds=self.settings.feed_interval),
                clock=self.clock,
            )
        return self._feeds

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, settings: Settings, *, bootstrap: bool = True) -> Briefing:
        """Connect, migrate, wire the optional LLM and embedder, and fill an empty database
        with the bundled corpus (so ``briefbot ask`` works right after install)."""
        db = _open_database(settings.resolved_database_url)
        briefing = cls(settings, db, models=ModelResolver(settings))
        if settings.embedding_model:
            # The openai package takes most of a second to import; only pay when used.
            from bot.core.embeddings import build_embedder

            briefing.embedder = briefing.retriever.embedder = build_embedder(settings)
        if bootstrap:
            briefing.ingest_corpus_if_empty()
        return briefing

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
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
        return lambda: self.fetch_page(url)

    @staticmethod
    def _file_loader(path: Path, max_bytes: int) -> Loader:
        from bot.core.parse import parse_file

        return lambda: parse_file(path, max_bytes)

    def fetch_page(self, url: str) -> ParsedArticle:
        """The article on the web page at ``url``, fetched and extracted (not stored)."""
        from bot.core.webpage import page_article

        return page_article(self.fetcher.get(url))

    def add_page(self, url: str) -> AddedPage:
        """Fetch and store one web page; say what it became (``/brief add``)."""
        from bot.core.pages import add_page

        return add_page(self.db, self.store, url, self.fetch_page)

    def poll_due_feeds(self, now: datetime | None = None) -> PollReport:
        """Poll the feeds that are due (the clock's job; see :mod:`bot.core.feeds`)."""
        return self.feeds.poll_due(now)

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

    def writer(self) -> tuple[Summariser | None, str | None]:
        """Who writes the next answer: the LLM summariser, or None and why not (the
        reason shown after "extractive"). The model is decided on first use (see
        :mod:`bot.core.model_choice`); raises ConfigError when no single model is named."""
        if self.models is None:
            if self.summariser is not None:
                return self.summariser, None
            decided = choose_without_asking(self.settings)
            return None, (decided.reason if decided and decided.reason else "no model")
        choice = self.models.choice()
        if choice.model is None:
            return None, choice.reason
        with self._llm_lock:
            if self.summariser is None or self._summariser_model != choice.model:
                from bot.core.llm import build_answer_writer as build_summariser  # openai

                self.summariser = self._built = build_summariser(
                    self.settings, lambda: self.counter, choice.model
                )
                self._summariser_model = choice.model
            return self.summariser, None

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

    def retrieve(self, question: str) -> Retrieval:
        with self.db.session() as session:
            return self.retriever.retrieve(session, question)

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Turn] = (),
        context: ExchangeContext | None = None,
        on_text: OnText | None = None,
    ) -> Answer:
        """Answer ``question`` from the sources and log the exchange.

        ``history`` holds earlier turns of the conversation: a follow-up is condensed into
        a standalone question before retrieval. If the sources cannot answer the condensed
        question but can answer the question as asked, the question as asked is answered
        (a Slack thread's follow-ups take this path too). ``on_text`` receives answer
        text as an LLM streams it (the final, guarded answer is the returned one).
        """
        text = self.check_question(question)
        summariser, reason = self.writer()
        context = context or ExchangeContext()
        started = time.perf_counter()
        standalone = text
        exchange_id = exchanges.new_exchange_id()
        deadline = summariser.deadline() if summariser is not None else 0.0
        try:
            condensing = None
            as_asked = self.retrieve(text) if history and stands_alone(text) else None
            if as_asked is not None and as_asked.answerable:
                # A question that stands on its own is answered as asked: condensing it
                # with an off-topic turn before it could only make it worse.
                retrieval = as_asked
            else:
                standalone, condensing = self._condense(text, history, deadline, summariser)
                retrieval = self.retrieve(standalone)
                if not retrieval.answerable and standalone != text:
                    # The condensed question fails the gate where the question as asked
                    # may pass it (an off-topic turn came before): then answer that.
                    as_asked = as_asked or self.retrieve(text)
                    if as_asked.answerable:
                        standalone, retrieval = text, as_asked
            answer = self._answer(
                text, standalone, retrieval, on_text, deadline, summariser, reason
            )
            if condensing is not None:  # the follow-up's condensing counts too
                answer = replace(answer, usage=condensing.plus(answer.usage))
        except BriefbotError:
            raise
        except Exception as exc:
            log.exception("answering failed (log id %s)", exchange_id)
            failed = Answer(question=text, answer="", answered=False, mode="extractive")
            error = f"{type(exc).__name__}: {exc}"
            self._log_safely(exchange_id, context, failed, standalone, started, error)
            raise AnswerFailed(exchange_id) from exc
        logged = self._log_safely(exchange_id, context, answer, standalone, started)
        return replace(
            answer,
            exchange_id=exchange_id if logged else None,
            latency_ms=int((time.perf_counter() - started) * 1000),
        )

    def _log_safely(
        self,
        exchange_id: str,
        context: ExchangeContext,
        answer: Answer,
        standalone: str,
        started: float,
        error: str | None = None,
    ) -> bool:
        """Store the exchange; if the database refuses, say so in the application log.

        A failed write (a locked SQLite file, a lost PostgreSQL connection) must not cost
        the user the answer: the answer is still returned, and the application log gets
        the exchange's id and question at ERROR level, so the exchange is not lost. The
        answer then carries no ``exchange_id``, so no feedback or share button points at a
        row that does not exist.
        """
        try:
            usage = answer.usage
            with self.db.session() as session:
                exchanges.record_exchange(
                    session=session,
                    id=exchange_id,
                    **context.fields(),
                    question=answer.question,
                    standalone_question=standalone if standalone != answer.question else None,
                    answer=answer.answer,
                    answered=answer.answered,
                    citations=[_log_citation(c) for c in answer.citations],
                    mode=answer.mode,
                    model=answer.model,
                    written_by=answer.written_by,
                    prompt_name=answer.prompt_name,
                    prompt_hash=answer.prompt_hash,
                    guard=answer.guard.as_dict() if answer.guard is not None else None,
                    prompt_tokens=usage.prompt_tokens if usage else None,
                    completion_tokens=usage.completion_tokens if usage else None,
                    counted_prompt_tokens=usage.counted_prompt_tokens if usage else None,
                    cost_usd=usage.cost_usd if usage else None,
                    latency_ms=int((time.perf_counter() - started) * 1000),
                    note=answer.note,
                    error=error or answer.error,
                )
        except Exception:
            log.exception(
                "could not store exchange %s (question: %r, answered: %s, error: %s)",
                exchange_id,
                answer.question,
                answer.answered,
                error,
            )
            return False
        return True

    def answer_unlogged(self, question: str) -> tuple[Answer, Retrieval]:
        """Answer without touching the conversation log (``briefbot eval`` uses this)."""
        text = self.check_question(question)
        summariser, reason = self.writer()
        retrieval = self.retrieve(text)
        deadline = summariser.deadline() if summariser is not None else 0.0
        answer = self._answer(text, text, retrieval, None, deadline, summariser, reason)
        return answer, retrieval

    def _condense(
        self,
        question: str,
        history: Sequence[Turn],
        deadline: float,
        summariser: Summariser | None,
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
        summariser: Summariser | None,
        reason: str | None,
    ) -> Answer:
        """The answer; ``reason`` says why no model writes it (None when one does)."""
        mode: Mode = "llm" if summariser is not None else "extractive"
        help_text = self._help_for(retrieval.query)
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
            refusal = self._refusal(question, standalone, retrieval, mode)
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

    def _help_for(self, query: Query) -> str | None:
        """A reply for a question that asks nothing briefbot can look up: only framing
        ("tell me about it"), or another language."""
        if query.language != "en":
            return (
                "I can only read questions in English (the stored articles are in English). "
                f"{self.profile.hint()}."
            )
        if query.framing_only:
            return (
                f"I brief you on {self.profile.name}, from the stored articles. Ask me "
                "something specific"
                + (f", for example: “{self.profile.example}”" if self.profile.example else "")
                + "."
            )
        return None

    def _refusal(self, question: str, standalone: str, retrieval: Retrieval, mode: Mode) -> Answer:
        return Answer(
            question=question,
            answer=NOT_IN_SOURCES,
            answered=False,
            mode=mode,
            standalone_question=standalone,
            refusal=retrieval.verdict.as_dict(),
        )

    def extractive(
        self, question: str, standalone: str, retrieval: Retrieval, note: str | None = None
    ) -> Answer:
        if not retrieval.answerable:
            return replace(self._refusal(question, standalone, retrieval, "extractive"), note=note)
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

    def quote(self, topic: str, limit: int = 3) -> list[Quote]:
        """Verbatim quotes on ``topic`` (possibly none: never invented)."""
        text = self.check_question(topic, "topic")
        if limit < 1:
            raise InputError("--limit must be at least 1.")
        with self.db.session() as session:
            retrieval = self.retriever.retrieve(session, text)
            return find_quotes(session, retrieval, limit)

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

    def log_quotes(self, topic: str, quotes: Sequence[Quote], context: ExchangeContext) -> str:
        """Log a /quote request like any other exchange; the quotes are its citations."""
        with self.db.session() as session:
            return exchanges.record_exchange(
                session=session,
                **context.fields(),
                question=self.check_question(topic, "topic"),
                answer="\n".join(q.text for q in quotes),
                answered=bool(quotes),
                mode="extractive",
                citations=[
                    {**q.as_dict(), "marker": i, "source": q.source}
                    for i, q in enumerate(quotes, start=1)
                ],
            )

    def note_error(self, exchange_id: str, error: str) -> None:
        with self.db.session() as session:
            exchanges.add_error(session=session, exchange_id=exchange_id, error=error)

    def exchange(self, exchange_id: str) -> dict[str, Any] | None:
        with self.db.session() as session:
            return exchanges.get_exchange(session=session, exchange_id=exchange_id)

    def thread_known(self, channel: str, thread_ts: str) -> bool:
        with self.db.session() as session:
            return exchanges.thread_known(session=session, channel=channel, thread_ts=thread_ts)

    def claim(self, key: str) -> bool:
        """Claim a unit of work (a Slack event, a message) for this process; see
        :mod:`storage.claims`."""
        with self.db.session() as session:
            return claims.claim(session=session, key=key)

    def release(self, key: str) -> None:
        """Give up a claim, so the work can be tried again (after it failed)."""
        with self.db.session() as session:
            claims.release(session=session, key=key)

    def digest_writer_now(self) -> DigestWriter | None:
        """Who writes digests: ``digest_writer`` when one was given, else an LLM digest
        writer on the model that writes answers (None: the digest is extractive)."""
        if self.digest_writer is not None:
            return self.digest_writer
        summariser, _ = self.writer()
        with self._llm_lock:
            built = self._built
            if built is None or summariser is not built:
                return None
            if self._digest_writer_for is not built:
                from bot.core.digest_llm import LLMDigestWriter

                self._auto_digest_writer = LLMDigestWriter(
                    self.settings, built, lambda: self.counter
                )
                self._digest_writer_for = built
            return self._auto_digest_writer

    def digest_period(self, now: datetime | None = None) -> Period:
        """The period a digest covers by default: the last full week before ``now``."""
        from bot.core.period import last_full_week

        return last_full_week(now or datetime.now(UTC), self.settings.timezone)

    def digest(self, period: Period | None = None, *, now: datetime | None = None) -> Digest:
        """The digest of ``period`` (default: the last full week before ``now``).

        Written by the LLM where one is configured (extractive otherwise, or where it
        fails); a digest already written for the same articles and questions is reused.
        """
        from bot.core.digest import compose, load

        period = period or self.digest_period(now)
        writer = self.digest_writer_now()
        with self.db.session() as session:
            source = load(session=session, period=period)
        key = (source.fingerprint(), writer is not None)
        # One digest is written at a time: a second caller for the same week (the App
        # Home opened while /brief digest is being written) waits and gets the first's.
        with self._digests_lock:
            cached = self._digests.get(key)
            if cached is not None:
                return cached
            digest = compose(source, writer, self.profile)
            self._digests[key] = digest
            while len(self._digests) > DIGEST_CACHE:
                del self._digests[next(iter(self._digests))]
            return digest

    def subscribe_digest(self, channel: str, user: str | None, workspace: str | None) -> bool:
        """Subscribe ``channel`` to the weekly digest; False if it already was."""
        with self.db.session() as session:
            return digests.subscribe(
                session=session,
                channel=channel,
                user=user,
                workspace=workspace,
                now=datetime.now(UTC),
            )

    def unsubscribe_digest(self, channel: str) -> bool:
        """Stop the weekly digest in ``channel``; False if it was not subscribed."""
        with self.db.session() as session:
            return digests.unsubscribe(session=session, channel=channel)

    def digest_subscriptions(self) -> list[digests.Subscription]:
        with self.db.session() as session:
            return digests.subscriptions(session=session)

    def apply_retention(self) -> int:
        """Purge exchanges older than BRIEFBOT_LOG_RETENTION_DAYS (if set) and claims older
        than two days. Safe to run from several processes at once."""
        removed = 0
        if self.settings.log_retention_days is not None:
            removed = self.purge_log(self.settings.log_retention_days)
        with self.db.session() as session:
            claims.purge_claims(session=session, before=datetime.now(UTC) - timedelta(days=2))
        return removed

    def feedback(self, exchange_id: str, value: int, user: str | None = None) -> bool:
        with self.db.session() as session:
            return exchanges.set_feedback(
                session=session, exchange_id=exchange_id, value=value, user=user
            )

    def export_log(self, since: datetime | None = None) -> list[dict[str, Any]]:
        with self.db.session() as session:
            return list(exchanges.iter_exchanges(session=session, since=since))

    def purge_log(self, older_than_days: int) -> int:
        if older_than_days < 0:
            raise InputError("--older-than must be zero or more days.")
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        with self.db.session() as session:
            return exchanges.purge_exchanges(session=session, before=cutoff)


def _log_citation(c: Citation) -> dict[str, Any]:
    """The citation as logged: everything needed to show it again, passage included."""
    data = c.as_dict()
    data.pop("article_id", None)
    return data
