"""Reading articles from files and storing them, one transaction per article.

Formats:

* ``.txt``: the first non-empty line is the title; the rest is the body.
* ``.md``: optional YAML front matter (``title``, ``url``, ``source``, ``author``,
  ``published``); without a ``title`` the first ``# heading`` (or line) is the title.
* ``.html`` / ``.htm``: trafilatura extracts the main text and the metadata.

Identity and idempotence: an article's *origin* is its url when it has one, else its
resolved file path. Ingesting the same text again (from any path) adds nothing; a changed
text at the same origin replaces the old version and its chunks.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.chunking import chunk_text, strip_boilerplate
from bot.core.text import squash
from bot.core.tokens import TokenCounter
from bot.errors import IngestError, InputError
from storage.articles import (
    ArticleRecord,
    ChunkRow,
    Outcome,
    chunk_ids,
    stored_identities,
    upsert_article,
)
from storage.db import Database

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class ParsedArticle:
    """An article read from somewhere, before it is stored."""

    origin: str
    title: str
    text: str
    format: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: date | None = None

    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(squash(self.text).encode("utf-8")).hexdigest()


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


# --------------------------------------------------------------------------- parsing


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise IngestError(
            f"file is {size / 1_000_000:.1f} MB; the limit is {max_bytes / 1_000_000:g} MB "
            "(BRIEFBOT_MAX_FILE_MB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise IngestError("file is empty")
    if b"\x00" in raw[:8192]:
        raise IngestError("file is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for candidate in (text, text[:10]):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    raise IngestError(f"{where} date {text!r} is not a date (use YYYY-MM-DD)")


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = squash(str(value))
    return text or None


def _body(text: str, what: str) -> str:
    body = strip_boilerplate(text)
    if not body.strip():
        raise IngestError(f"{what} has no article text")
    return body


def parse_txt(text: str, origin: str) -> ParsedArticle:
    """Plain text has no metadata; its source is the file it came from, which is honest
    and lets a reader find it."""
    lines = text.strip().split("\n")
    return ParsedArticle(
        origin=origin,
        title=squash(lines[0]),
        text=_body("\n".join(lines[1:]), "file"),
        format="txt",
        source=Path(origin).name,
    )


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


def markdown_to_text(body: str) -> str:
    """Markdown as plain article text: headings become their own paragraphs, links keep
    their words, emphasis, code, blockquote marks and horizontal rules go. Quotes and
    citations are checked against this text, so it must read as the article reads, without
    markup. List items keep their bullets: they read as a list."""
    out: list[str] = []
    for raw in body.split("\n"):
        if _MD_RULE.match(raw):
            out.append("")
            continue
        line = _MD_BLOCKQUOTE.sub("", raw)
        heading = _MD_HEADING.match(line)
        if heading:
            out.extend(["", heading.group(1), ""])
            continue
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        out.append(line.rstrip())
    return "\n".join(out)


def parse_markdown(text: str, origin: str, fallback_title: str) -> ParsedArticle:
    meta: dict[str, Any] = {}
    body = text.lstrip("\ufeff")
    if body.startswith("---"):
        first, sep, rest = body[3:].partition("\n---")
        if not sep:
            raise IngestError("front matter starts with --- but never ends")
        try:
            loaded = yaml.safe_load(first)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            raise IngestError(f"front matter is not valid YAML{where}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise IngestError("front matter must be a mapping of keys to values")
        meta = loaded or {}
        body = rest.split("\n", 1)[1] if "\n" in rest else ""
    title = _clean_str(meta.get("title"))
    lines = body.strip().split("\n")
    if not title and lines and _MD_HEADING.match(lines[0]):
        title = squash(lines[0].lstrip("#"))
        body = "\n".join(lines[1:])
    url = _clean_str(meta.get("url"))
    return ParsedArticle(
        origin=url or origin,
        title=title or fallback_title,
        text=_body(markdown_to_text(body), "file"),
        format="md",
        url=url,
        source=_clean_str(meta.get("source")),
        author=_clean_str(meta.get("author")),
        published=_parse_date(meta.get("published"), "published"),
    )


def parse_html(
    html: str, origin: str, fallback_title: str, url: str | None = None
) -> ParsedArticle:
    """Main text and metadata of a web page, extracted by trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    raw = getattr(doc, "text", None) if doc is not None else None
    if not raw or not raw.strip():
        raise IngestError("no article text found in the HTML")
    title = _clean_str(getattr(doc, "title", None)) or fallback_title
    lines = [squash(line) for line in raw.split("\n")]
    if lines and lines[0] == title:
        lines = lines[1:]
    page_url = url or _clean_str(getattr(doc, "url", None))
    published = None
    try:
        published = _parse_date(getattr(doc, "date", None), "published")
    except IngestError:
        log.info("ignoring unparseable page date in %s", origin)
    return ParsedArticle(
        origin=page_url or origin,
        title=title,
        text=_body("\n\n".join(line for line in lines if line), "page"),
        format="html",
        url=page_url,
        source=_clean_str(getattr(doc, "sitename", None))
        or _clean_str(getattr(doc, "hostname", None)),
        author=_clean_str(getattr(doc, "author", None)),
        published=published,
    )


def parse_file(path: Path, max_bytes: int) -> ParsedArticle:
    """Read and parse one file, or raise :class:`IngestError` with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use .txt, .md or .html")
    text = _read_text(path, max_bytes)
    origin = str(path.resolve())
    fallback = path.stem.replace("-", " ").replace("_", " ").strip() or path.name
    if suffix == ".txt":
        return parse_txt(text, origin)
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, origin, fallback)
    return parse_html(text, origin, fallback)


def discover(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively, supported suffixes only, hidden entries skipped).

    Returns the files and, separately, the paths that do not exist or cannot be listed
    (a folder anywhere in the tree that cannot be read is reported, not skipped silently).
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found, unlisted = _walk(path)
            files.extend(found)
            problems.extend(
                (str(raw) if p == path else str(p), f"cannot list folder: {reason}")
                for p, reason in unlisted
            )
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append((str(raw), "not a regular file or folder"))
        else:
            problems.append((str(raw), "no such file or folder"))
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Supported, non-hidden files under ``folder`` in sorted order, and the folders that
    could not be listed with the reason."""
    found: list[Path] = []
    unlisted: list[tuple[Path, str]] = []

    def failed(exc: OSError) -> None:
        unlisted.append((Path(exc.filename or folder), exc.strerror or str(exc)))

    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root) / name
            for name in sorted(names)
            if not name.startswith(".")
            and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
            and (Path(root) / name).is_file()
        )
    return sorted(found), unlisted


# --------------------------------------------------------------------------- storing


class ArticleStore:
    """Chunks parsed articles and hands them to storage, one article at a time.

    ``after_store`` runs in the article's transaction with the new chunk ids (dense
    embeddings use it, so a chunk is embedded when it is written).
    """

    def __init__(
        self,
        counter: TokenCounter,
        chunk_tokens: int,
        overlap_tokens: int,
        after_store: Callable[[Session, list[int]], None] | None = None,
    ) -> None:
        self.counter = counter
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self.after_store = after_store

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
    ) -> tuple[Outcome, int]:
        """Insert or replace one article; return the outcome and the number of new chunks.

        ``rows`` are the article's chunks when they were made ahead of time (see
        :func:`ingest_parsed`); otherwise they are made here, and only if needed.
        ``unseen`` is passed on to :func:`upsert_article`.
        """
        record = ArticleRecord(
            origin=parsed.origin,
            title=parsed.title,
            text=parsed.text,
            content_hash=parsed.content_hash,
            format=parsed.format,
            url=parsed.url,
            source=parsed.source,
            author=parsed.author,
            published=parsed.published,
        )
        outcome, article_id, written = upsert_article(
            session=session,
            record=record,
            make_chunks=self.chunk_rows if rows is None else lambda _text: rows,
            unseen=unseen,
        )
        if written and article_id is not None and self.after_store is not None:
            self.after_store(session, chunk_ids(session=session, article_id=article_id))
        return outcome, written


Loader = Callable[[], ParsedArticle]


@dataclass
class _Prepared:
    """One item after the preparing thread: parsed and chunked, or why it failed."""

    label: str
    parsed: ParsedArticle | None = None
    rows: list[ChunkRow] | None = None
    error: BaseException | None = None
    #: Neither its origin nor its text was stored when the run began or came earlier in
    #: the run, so the writer can insert it without looking first.
    unseen: bool = False


#: Prepared items travel to the writer in batches of this many: each hand-over between
#: the threads costs a wake-up and two GIL transfers, so fewer is faster.
BATCH = 8


def _prepare(
    items: Iterable[tuple[str, Loader]],
    store: ArticleStore,
    known: tuple[set[str], set[str]],
    out: queue.Queue[list[_Prepared] | None],
    stop: threading.Event,
) -> None:
    """Parse and chunk each item, in order, for the writers (runs in its own thread).

    ``known`` holds the origins and content hashes stored when the run began; this
    thread adds each item's as it goes. Text already known is not chunked: the writer
    will find it unchanged (or only its metadata changed). Any error is handed to the
    writer with its item. ``None`` marks the end.
    """
    origins, hashes = known

    def put(batch: list[_Prepared] | None) -> bool:
        while not stop.is_set():
            try:
                out.put(batch, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    batch: list[_Prepared] = []
    iterator = iter(items)
    while True:
        try:
            label, load = next(iterator)
        except StopIteration:
            break
        except BaseException as exc:  # the items themselves failed: hand that over too
            prepared = _Prepared("(the list of items)", error=exc)
        else:
            prepared = _prepare_one(label, load, store, origins, hashes)
        batch.append(prepared)
        fatal = prepared.error is not None and not _is_item_error(prepared.error)
        if len(batch) >= BATCH or fatal:
            if not put(batch) or fatal:
                return
            batch = []
    if not batch or put(batch):
        put(None)


def _prepare_one(
    label: str, load: Loader, store: ArticleStore, origins: set[str], hashes: set[str]
) -> _Prepared:
    prepared = _Prepared(label)
    try:
        parsed = prepared.parsed = load()
        digest = parsed.content_hash
        prepared.unseen = parsed.origin not in origins and digest not in hashes
        if digest not in hashes:
            prepared.rows = store.chunk_rows(parsed.text)
        origins.add(parsed.origin)
        hashes.add(digest)
    except BaseException as exc:  # handed over; the writer decides what it means
        prepared.error = exc
    return prepared


def _is_item_error(exc: BaseException) -> bool:
    """An error that fails one item (reported in the summary), not the whole run."""
    return isinstance(exc, IngestError | InputError)


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

    The run starts by reading every stored article's origin and content hash (about
    1 ms per thousand articles), so known text is not chunked again and new articles
    need no lookup.
    """
    summary = summary or IngestSummary()
    with db.session() as session:
        known = stored_identities(session=session)
    run = _WriteRun(db, store, summary, on_item)
    preparer = threading.Thread(
        target=_prepare,
        args=(items, store, known, run.prepared, run.stop),
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
    try:
        run.write_all()
    finally:
        run.stop.set()
        for thread in (preparer, *helpers):
            thread.join()
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
    ) -> None:
        self.db = db
        self.store = store
        self.summary = summary
        self.on_item = on_item
        self.prepared: queue.Queue[list[_Prepared] | None] = queue.Queue(maxsize=4)
        self.stop = threading.Event()
        self.lock = threading.Lock()  # guards summary, errors and on_item
        self.errors: list[BaseException] = []

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

    def _write(self, session: Session, item: _Prepared) -> None:
        try:
            outcome = _store_one(session, self.store, item)
        finally:
            if self.on_item is not None:
                with self.lock:
                    self.on_item(item.label)
        with self.lock:
            if isinstance(outcome, str):
                self.summary.failed.append((item.label, outcome))
            else:
                self.summary.count(outcome[0])
                self.summary.chunks += outcome[1]


def _store_one(session: Session, store: ArticleStore, item: _Prepared) -> tuple[Outcome, int] | str:
    """Store one prepared item in its own transaction on ``session``: the outcome and the
    number of chunks written, or the one-line reason it failed."""
    if item.error is not None:
        if _is_item_error(item.error):
            return str(item.error)
        raise item.error
    assert item.parsed is not None  # set whenever error is not
    try:
        return _store_in_transaction(session, store, item.parsed, item.rows, item.unseen)
    except IntegrityError:
        pass
    # Another writer (here or in another process) stored an article with this origin or
    # text after we looked. Look again, once: it is committed now.
    try:
        return _store_in_transaction(session, store, item.parsed, item.rows, False)
    except IntegrityError:
        return "unchanged", 0


def _store_in_transaction(
    session: Session,
    store: ArticleStore,
    parsed: ParsedArticle,
    rows: list[ChunkRow] | None,
    unseen: bool,
) -> tuple[Outcome, int] | str:
    try:
        with session.begin():
            return store.store(session, parsed, rows, unseen=unseen)
    except (IngestError, InputError) as exc:
        return str(exc)
