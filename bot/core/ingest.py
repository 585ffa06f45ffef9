"""Storing parsed articles, each in its own transaction: what a run adds, updates or
leaves alone.

Identity: an article's *origin* is its url when it has one (normalised, so its spellings
are one article), else its file path. A text is stored once: the same text again, from
any path, adds nothing; a changed text at the same origin replaces the old version and
its chunks; changed metadata with the same text updates the stored article (a source,
author or date the new version lacks keeps the stored one: see
:func:`storage.upsert.upsert_article`). A text that
arrives already stored under another origin removes the old version at the arriving
origin, if any; then an article with a url (the page moved, its front matter's url
changed) takes the stored text over, while one without is a copy and adds nothing. So
removing a url from front matter leaves the stored article under its old url.

A run settles in one pass: afterwards every item's current text is stored, so the next
run with nothing changed reports everything unchanged. Three rules make that so: a copy
met earlier in the run keeps the text it copied when the original then changes (see
:func:`storage.upsert.upsert_article`); two items that claim one url with different
text are a conflict, and the first in the order given wins (see
:class:`bot.core.prepare.RunPlan`); and a file named twice is read once.

One item fails alone: whatever reading it raised, or data the database refuses for it.
Only a failure of the database itself ends a run.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError, NoResultFound, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.core.chunking import chunk_text
from bot.core.parse import ParsedArticle
from bot.core.prepare import Loader, Prepared, RunPlan, is_item_error, prepare
from bot.core.text import first_line
from bot.core.tokens import TokenCounter
from bot.errors import IngestError, InputError
from storage.db import Database
from storage.models import utcnow
from storage.upsert import (
    ArticleRecord,
    ChunkRow,
    Outcome,
    chunk_ids,
    stored_identities,
    upsert_article,
)

log = logging.getLogger(__name__)

#: What storing an article raises when another process changed the articles it looked
#: up before it wrote (see :func:`_store_one`): one stored with the same origin or text
#: (a unique constraint), or one it found removed (its row is gone when it is read or
#: updated: another ``briefbot ingest`` whose file at that url changed to a text stored
#: elsewhere). Each is a reason to look again, not a failure of the database.
_RACED = (IntegrityError, NoResultFound, StaleDataError)


@dataclass
class IngestSummary:
    """What an ingest run did. ``failed`` holds (path, one-line reason) pairs."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = [{"path": p, "error": e} for p, e in self.failed]
        return data


class ArticleStore:
    """Chunks parsed articles and hands them to storage, one article at a time.

    ``clock`` gives the time an article is stored at (UTC). ``after_store`` runs after
    the article's transaction has committed, with the new chunk ids (dense embeddings use
    it, so a chunk is embedded when it is written). It runs outside that transaction on
    purpose: an embeddings request can take seconds, and on SQLite an open write
    transaction holds the one write lock, so the server would find the database locked
    meanwhile.
    """

    def __init__(
        self,
        counter: TokenCounter,
        chunk_tokens: int,
        overlap_tokens: int,
        after_store: Callable[[Session, list[int]], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.counter = counter
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self.after_store = after_store
        self.clock = clock

    def chunk_rows(self, text: str) -> list[ChunkRow]:
        return [
            ChunkRow(
                ordinal=c.ordinal,
                char_start=c.start,
                char_end=c.end,
                paragraph=c.paragraph,
                token_count=c.token_count,
            )
            for c in chunk_text(text, self.counter, self.chunk_tokens, self.overlap_tokens)
        ]

    def store(
        self,
        session: Session,
        parsed: ParsedArticle,
        rows: list[ChunkRow] | None = None,
        unseen: bool = False,
        repeated: bool = False,
        heirs: Mapping[str, ArticleRecord] | None = None,
    ) -> tuple[Outcome, int, int | None]:
        """Insert or replace one article; return the outcome, the number of new chunks and,
        when chunks were written, the article's id (for :attr:`after_store`).

        ``rows`` are the article's chunks when they were made ahead of time (see
        :func:`ingest_parsed`); otherwise they are made here, and only if needed.
        ``unseen`` is passed on to :func:`upsert_article`. An article with a url takes
        over its text when that is stored under another origin (see the module
        docstring), unless ``repeated``: the same text came earlier in this run.
        ``heirs`` are the run's earlier copies of a text (see :func:`upsert_article`).
        """
        outcome, article_id, written = upsert_article(
            session=session,
            record=parsed,
            make_chunks=self.chunk_rows if rows is None else lambda _text: rows,
            unseen=unseen,
            claim=parsed.url is not None and not repeated,
            heirs=heirs,
            now=self.clock(),
        )
        return outcome, written, article_id if written else None

    def stored(self, session: Session, article_id: int | None) -> None:
        """Run :attr:`after_store` for an article whose transaction has committed."""
        if article_id is None or self.after_store is None:
            return
        with session.begin():
            ids = chunk_ids(session=session, article_id=article_id)
        self.after_store(session, ids)


def ingest_parsed(
    db: Database,
    store: ArticleStore,
    items: Iterable[tuple[str, Loader]],
    summary: IngestSummary | None = None,
    on_item: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Store each (label, loader) in its own transaction; failures are recorded, not raised.

    The stages overlap. A thread parses and chunks the next articles (tiktoken works
    outside the GIL) while writers store the ones before them, each article in its own
    transaction. SQLite has one writer, this thread, so articles are stored and reported
    in the order given. PostgreSQL takes :attr:`Database.writers` of them, each on its
    own connection, because the server's full-text indexing is the slowest part and it
    runs in parallel there; articles are then reported in the order they are stored. A
    parse error is one failed item, like a store error; anything else stops the run and
    is raised.

    The run starts by reading every stored article's origin and content hash (one
    query), so known text is not chunked again and new articles need no lookup.
    """
    summary = summary or IngestSummary()
    with db.session() as session:
        plan = RunPlan(stored_identities(session=session))
    run = _WriteRun(db, store, summary, on_item, plan.heirs)
    preparer = threading.Thread(
        target=prepare,
        args=(items, store.chunk_rows, plan, run.prepared, run.stop),
        name="briefbot-ingest-prepare",
        daemon=True,
    )
    helpers = [
        threading.Thread(target=run.write_all, name=f"briefbot-ingest-write-{n}", daemon=True)
        for n in range(1, db.writers)
    ]
    preparer.start()
    for helper in helpers:
        helper.start()
    interrupted = False
    try:
        run.write_all()
        for helper in helpers:  # they stop at the end mark, or when one of them fails
            helper.join()
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        run.stop.set()  # the run failed, or is over: the preparer must not wait on a full queue
        for helper in helpers:  # each finishes the article in hand: its own transaction
            helper.join()
        # On Ctrl-C the preparer is not waited for: it may be in the middle of fetching a
        # page that takes its whole timeout, and the process is ending. It stores nothing,
        # and fetches nothing more once it sees the stop (a daemon thread).
        if not (interrupted or any(isinstance(e, KeyboardInterrupt) for e in run.errors)):
            preparer.join()
    if run.errors:
        raise run.errors[0]
    return summary


class _WriteRun:
    """What the writers of one :func:`ingest_parsed` call share."""

    def __init__(
        self,
        db: Database,
        store: ArticleStore,
        summary: IngestSummary,
        on_item: Callable[[str], None] | None,
        heirs: Mapping[str, ArticleRecord],
    ) -> None:
        self.db = db
        self.store = store
        self.summary = summary
        self.on_item = on_item
        self.heirs = heirs
        self.prepared: queue.Queue[list[Prepared] | None] = queue.Queue(maxsize=4)
        self.stop = threading.Event()
        self.lock = threading.Lock()  # guards summary, errors and on_item
        self.errors: list[BaseException] = []
        self.finished: set[int] = set()  # the items stored or failed, by index
        self.progress = threading.Condition()  # guards finished

    def write_all(self) -> None:
        """Store prepared batches until the end (``None``) or until another writer fails."""
        try:
            with self.db.bulk_session() as session:
                while not self.stop.is_set():
                    try:
                        batch = self.prepared.get(timeout=0.1)
                    except queue.Empty:
                        continue
                    if batch is None:
                        self.prepared.put(None)  # the end, for the other writers too
                        return
                    for item in batch:
                        self._write(session, item)
        except BaseException as exc:
            with self.lock:
                self.errors.append(exc)
            self.stop.set()

    def _write(self, session: Session, item: Prepared) -> None:
        try:
            if not self._wait_for(item.after):
                return  # the run is stopping: another writer failed
            outcome = _store_one(session, self.store, item, self.heirs)
        finally:
            with self.progress:
                self.finished.add(item.index)
                self.progress.notify_all()
            if self.on_item is not None:
                with self.lock:
                    self.on_item(item.label)
        with self.lock:
            if isinstance(outcome, str):
                self.summary.failed.append((item.label, outcome))
            else:
                self.summary.count(outcome[0])
                self.summary.chunks += outcome[1]

    def _wait_for(self, earlier: tuple[int, ...]) -> bool:
        """Wait until the ``earlier`` items are stored (see :class:`RunPlan`); False if the
        run stops meanwhile. They are always in batches already taken by a writer,
        and the earliest unfinished item never waits, so this cannot deadlock."""
        with self.progress:
            while not self.finished.issuperset(earlier):
                if self.stop.is_set():
                    return False
                self.progress.wait(0.1)
        return True


def _store_one(
    session: Session,
    store: ArticleStore,
    item: Prepared,
    heirs: Mapping[str, ArticleRecord] | None = None,
) -> tuple[Outcome, int] | str:
    """Store one prepared item in its own transaction on ``session``: the outcome and the
    number of chunks written, or the one-line reason it failed.

    Data the database refuses for this article (``DataError``: a value too long, a byte
    it cannot store; or a statement limit such as an index row too big) fails the item,
    and its transaction is rolled back. Any other ``OperationalError`` means the
    database itself is in trouble and stops the run.
    """
    if item.error is not None:
        if is_item_error(item.error):
            return str(item.error)
        raise item.error
    assert item.parsed is not None  # set whenever error is not
    try:
        try:
            return _store_in_transaction(session, store, item, item.unseen, heirs)
        except _RACED:
            pass
        # Another process stored an article with this origin or text after we looked, or
        # removed one we found. Look again, once: what it did is committed now.
        try:
            return _store_in_transaction(session, store, item, False, heirs)
        except _RACED:
            return "unchanged", 0
    except (DataError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not _is_limit_exceeded(exc):
            raise
        return f"the database refused it: {first_line(exc.orig)}"


def _is_limit_exceeded(exc: OperationalError) -> bool:
    """PostgreSQL's "program limit exceeded" (SQLSTATE class 54, e.g. an index row too
    big): about this statement's data, though psycopg reports it as operational."""
    return str(getattr(exc.orig, "sqlstate", None) or "").startswith("54")


def _store_in_transaction(
    session: Session,
    store: ArticleStore,
    item: Prepared,
    unseen: bool,
    heirs: Mapping[str, ArticleRecord] | None,
) -> tuple[Outcome, int] | str:
    assert item.parsed is not None
    try:
        with session.begin():
            outcome, written, article_id = store.store(
                session, item.parsed, item.rows, unseen, item.repeated, heirs
            )
    except (IngestError, InputError) as exc:
        return str(exc)
    store.stored(session, article_id)  # committed: embeddings hold no lock while they wait
    return outcome, written
