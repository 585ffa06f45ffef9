"""The preparing side of an ingest run: each item read, parsed and chunked, in the order
given, and placed in the run's plan, while the writers (:mod:`bot.core.ingest`) store the
items before it.

Whatever reading or parsing one item raises fails that item alone, with the exception's
first line as its reason: a reader or parser (YAML, trafilatura, lxml, our own) can raise
almost anything on hostile input. Only an interrupt, or a failure of the list of items
itself, is handed on to stop the run.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.parse import ParsedArticle
from bot.core.text import first_line, shortened
from bot.errors import IngestError, InputError
from storage.upsert import ArticleRecord, ChunkRow

log = logging.getLogger(__name__)

Loader = Callable[[], ParsedArticle]


@dataclass
class Prepared:
    """One item after the preparing thread: parsed and chunked, or why it failed."""

    label: str
    index: int
    parsed: ParsedArticle | None = None
    rows: list[ChunkRow] | None = None
    error: BaseException | None = None
    #: Neither its origin nor its text was stored when the run began or came earlier in
    #: the run, so the writer can insert it without looking first.
    unseen: bool = False
    #: Its text came earlier in the run (see :meth:`bot.core.ingest.ArticleStore.store`).
    repeated: bool = False
    #: The earlier items of the run that may touch the same stored article; they are
    #: stored first (see :class:`RunPlan`).
    after: tuple[int, ...] = ()


#: Prepared items travel to the writers this many at a time: each hand-over between
#: the threads costs a wake-up and two GIL transfers, so fewer is faster.
ITEMS_PER_HANDOVER = 8


class RunPlan:
    """What the preparing thread knows of an ingest run, item by item, in the order given.

    * Which origins and texts are stored or will be (``origins``: origin to content
      hash, as stored when the run began and then as the run leaves them), so known
      text is not chunked again and new articles need no lookup.
    * Conflicts: a later item with the origin (url) of an earlier one and different
      text, or the same text with other details (a title, a date), fails, naming the
      earlier one, which is kept. Without this rule both would be stored in turn and the
      run would report ``updated`` for them every time.
    * ``heirs``: the first item of the run with each text, for :func:`upsert_article`.
    * Order: an item that may touch the same stored article as an earlier one (the same
      origin, the same text, or the text stored at its origin) is stored after it, by
      whichever writer has it. So several writers never race on one article, and a run
      stores exactly what one writer taking the items in order would. Keys are hashed to
      ints to keep the plan small; a collision only orders two items needlessly.
    """

    def __init__(self, stored: dict[str, str]) -> None:
        self.origins = stored
        self.hashes = set(stored.values())
        #: The first item of the run at each origin: its label, text hash and metadata.
        self.first: dict[str, tuple[str, str, ArticleRecord]] = {}
        self.heirs: dict[str, ArticleRecord] = {}
        self._last: dict[int, int] = {}
        self._count = 0

    def next_index(self) -> int:
        self._count += 1
        return self._count

    def known(self, parsed: ParsedArticle) -> bool:
        return parsed.content_hash in self.hashes

    def admit(self, item: Prepared, parsed: ParsedArticle) -> None:
        """Place ``parsed`` in the run, or raise :class:`IngestError` for a conflict."""
        origin, digest = parsed.origin, parsed.content_hash
        first = self.first.get(origin)
        if first is not None and (first[1] != digest or first[2] != parsed.metadata()):
            what = "url" if parsed.url is not None else "origin"
            differs = "different text" if first[1] != digest else "other details (title, date...)"
            raise IngestError(
                f"{first[0]} has the same {what} ({shortened(origin)}) with {differs}; "
                f"{first[0]} is kept, as the first in the order given"
            )
        stored = self.origins.get(origin)
        keys = {hash(("o", origin)), hash(("h", digest))}
        if stored is not None and stored != digest:
            keys.add(hash(("h", stored)))
        item.after = tuple(sorted({self._last[k] for k in keys if k in self._last}))
        for key in keys:
            self._last[key] = item.index
        item.unseen = stored is None and digest not in self.hashes
        item.repeated = digest in self.heirs
        if not item.repeated:
            self.heirs[digest] = parsed.metadata()  # metadata only; the text is stored
        self.first.setdefault(origin, (item.label, digest, parsed.metadata()))
        self.origins[origin] = digest
        self.hashes.add(digest)


def prepare(
    items: Iterable[tuple[str, Loader]],
    chunk_rows: Callable[[str], list[ChunkRow]],
    plan: RunPlan,
    out: queue.Queue[list[Prepared] | None],
    stop: threading.Event,
) -> None:
    """Parse and chunk each item, in order, for the writers (runs in its own thread).

    Each item is placed in ``plan``. Text already known is not chunked: the writer will
    find it unchanged (or only its metadata changed). Any error is handed to the writer
    with its item. ``None`` marks the end.
    """

    def put(batch: list[Prepared] | None) -> bool:
        while not stop.is_set():
            try:
                out.put(batch, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    batch: list[Prepared] = []
    iterator = iter(items)
    while not stop.is_set():  # stopped (Ctrl-C, a failed writer): fetch nothing more
        try:
            label, load = next(iterator)
        except StopIteration:
            break
        except BaseException as exc:  # the items themselves failed: hand that over too
            prepared = Prepared("(the list of items)", plan.next_index(), error=exc)
        else:
            prepared = prepare_one(label, load, chunk_rows, plan)
        batch.append(prepared)
        fatal = prepared.error is not None and not is_item_error(prepared.error)
        if len(batch) >= ITEMS_PER_HANDOVER or fatal:
            if not put(batch) or fatal:
                return
            batch = []
    if stop.is_set():
        return
    if not batch or put(batch):
        put(None)


def prepare_one(
    label: str, load: Loader, chunk_rows: Callable[[str], list[ChunkRow]], plan: RunPlan
) -> Prepared:
    """Read, parse and chunk one item. Whatever goes wrong on the way fails this item
    alone: a reader or parser (YAML, trafilatura, lxml, our own) can raise almost
    anything on hostile input, and what it raised becomes the item's one-line reason."""
    prepared = Prepared(label, plan.next_index())
    try:
        parsed = load()
        rows = None if plan.known(parsed) else chunk_rows(parsed.text)
        plan.admit(prepared, parsed)
        prepared.parsed, prepared.rows = parsed, rows
    except (IngestError, InputError) as exc:
        prepared.error = exc
    except Exception as exc:
        log.debug("could not read %s", label, exc_info=True)
        prepared.error = unreadable(exc)
    except BaseException as exc:  # an interrupt: the writer raises it
        prepared.error = exc
    return prepared


def unreadable(exc: Exception) -> IngestError:
    """The one-line reason for an item whose reader or parser raised ``exc``, something
    other than :class:`IngestError` or :class:`InputError` (see :func:`prepare_one`)."""
    return IngestError(
        f"could not be read ({type(exc).__name__}: {shortened(first_line(exc), 120)})"
    )


def is_item_error(exc: BaseException) -> bool:
    """An error that fails one item (reported in the summary), not the whole run."""
    return isinstance(exc, IngestError | InputError)
