"""Reading articles from files and storing them, one transaction per article.

Formats:

* ``.txt``: the first non-empty line is the title; the rest is the body.
* ``.md``: optional YAML front matter (``title``, ``url``, ``source``, ``author``,
  ``published``); without a ``title`` the first ``# heading`` (or line) is the title.
* ``.html`` / ``.htm``: trafilatura extracts the main text and the metadata.

Identity and idempotence: an article's *origin* is its url when it has one, else its
resolved file path. A url is normalised first (:func:`normalise_url`: scheme and host in
lower case, no default port, no fragment, no trailing slash), so its spellings are one
article. A text is stored once. Ingesting the same text again (from any path) adds
nothing; a changed text at the same origin replaces the old version and its chunks;
changed metadata with the same text updates the stored article. When a text arrives that
is already stored under another origin:

* the article stored at the arriving origin, if any, is an old version and is removed;
* an article with a url (the page moved, or its front matter's url changed) takes the
  stored text over: origin and metadata become the arriving ones (``updated``), unless
  the same text came earlier in the same run (then the first one keeps it, so a run of
  two copies is idempotent);
* an article without a url is a copy and adds nothing (``unchanged``). Removing a url
  from front matter therefore leaves the stored article under its old url.

A run settles in one pass: after it, every file's current text is stored, so the next
run with nothing changed reports everything unchanged. Two rules make that so. A copy
met earlier in the run keeps the text it copied when the original then changes (the old
version moves to the copy; see :func:`storage.articles.upsert_article`). And two files
that claim one url with different text are a conflict: the first in the order given is
stored, the later one fails with a reason naming both (so it is not rewritten every run).
A file named twice (a folder given twice) is read once.

Whatever reading or parsing one file raises fails that file alone, with the exception's
first line as its reason; so does a front-matter value YAML cannot build (a date that
does not exist, an integer of thousands of digits). What is refused (each a failed item
with a one-line reason; the other files still land):
a file with a NUL byte anywhere (binary); a file name or path that is not valid UTF-8
or is longer than 2,000 bytes; front matter that uses YAML aliases (``*name``) or nests
too deeply; a front-matter title, source or author that is not a scalar (a list or a
mapping), or true/false; a ``published`` that is not a date; a ``url`` that is not an
http(s) URL string of at most 2,000 UTF-8 bytes (it is the article's identity and is
indexed); NUL characters or invalid Unicode in any field; anything the database refuses
as data (a ``DataError``). What is repaired: a title longer than 1,000 characters, or a
source or author longer than 500, is shortened to fit and ends with "…". A page url
found in HTML that is not a usable http(s) URL is ignored (the page's identity is then
its file path), as an unparseable page date is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.core.chunking import chunk_text, strip_boilerplate
from bot.core.text import squash
from bot.core.tokens import TokenCounter
from bot.core.urls import normalise_url
from bot.errors import IngestError, InputError
from storage.articles import (
    AUTHOR_CHARS,
    IDENTITY_BYTES,
    SOURCE_CHARS,
    TITLE_CHARS,
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
    #: Where ``url`` led after redirects, for a page fetched from the web.
    final_url: str | None = None

    def __post_init__(self) -> None:
        """Make the article fit the article table, or raise :class:`IngestError`.

        A title, source or author longer than its column is shortened and ends with "…";
        an origin or url longer than :data:`IDENTITY_BYTES` UTF-8 bytes, a NUL character
        in any field and a field that is not valid Unicode are refused (the text's own
        encoding is checked once, by :attr:`content_hash`). Per article, not per chunk: a
        length check, a scan of the text for NUL, and the fields' encoding.

        A url is normalised (:func:`bot.core.urls.normalise_url`) here, once for every
        format: it is the article's identity, so two spellings of one address are one
        article.
        """
        if self.url is not None:
            try:
                url = normalise_url(self.url)
            except InputError as exc:
                raise IngestError(f"the url is not one briefbot stores: {exc.message}") from None
            if self.origin == self.url:
                object.__setattr__(self, "origin", url)
            object.__setattr__(self, "url", url)
        for name, limit in (
            ("title", TITLE_CHARS),
            ("source", SOURCE_CHARS),
            ("author", AUTHOR_CHARS),
        ):
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                object.__setattr__(self, name, value[: limit - 1].rstrip() + "…")
        for name in ("origin", "title", "url", "final_url", "source", "author", "format", "text"):
            value = getattr(self, name)
            if value is None:
                continue
            label = "url" if name == "origin" and value == self.url else name
            if "\x00" in value:
                raise IngestError(f"the {label} contains a NUL character")
            if name == "text":  # encoded (and so checked) by content_hash
                continue
            try:
                size = len(value.encode("utf-8"))
            except UnicodeEncodeError:
                raise IngestError(f"the {label} is not valid Unicode") from None
            if name in ("origin", "url", "final_url") and size > IDENTITY_BYTES:
                raise IngestError(
                    f"the {label} is {size:,} bytes long; the limit is {IDENTITY_BYTES:,}"
                )

    @cached_property
    def content_hash(self) -> str:
        try:
            squashed = squash(self.text).encode("utf-8")
        except UnicodeEncodeError:
            raise IngestError("the text is not valid Unicode") from None
        return hashlib.sha256(squashed).hexdigest()


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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("file is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:  # anywhere: no text column takes NUL, and text files have none
        raise IngestError("file is binary, not text (it contains a NUL byte)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _declared_html(raw, path)
        if declared is None:
            raise IngestError(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            ) from exc
        text = declared
    return text.replace("\r\n", "\n").replace("\r", "\n")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def _declared_html(raw: bytes, path: Path) -> str | None:
    """A saved web page that is not UTF-8, decoded with the charset its ``<meta>`` declares
    (pages in windows-1252 or ISO-8859-1 are common); None for anything else. Text and
    Markdown files must be UTF-8: they declare nothing."""
    if path.suffix.lower() not in (".html", ".htm"):
        return None
    declared = _META_CHARSET.search(raw[:4096])
    if declared is None:
        return None
    try:
        return raw.decode(declared.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _parse_date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise IngestError(f"{where} must be a date (YYYY-MM-DD), not {_kind(value)}")
    text = str(value).strip()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except (ValueError, OverflowError):
            continue
    raise IngestError(f"{where} date {_shown(text, 40)!r} is not a date (use YYYY-MM-DD)")


def _kind(value: Any) -> str:
    """What a YAML value is, for a reason: "a list", "a mapping", "true/false"."""
    if isinstance(value, bool):
        return "true/false (quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, set | frozenset):
        return "a set"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"


def _clean_str(value: str | None) -> str | None:
    if value is None:
        return None
    text = squash(value)
    return text or None


def _meta_text(meta: dict[Any, Any], name: str) -> str | None:
    """A front-matter field that holds text: a string, or a number or date written
    unquoted (kept as written). Anything else is refused, naming the field; it is never
    turned into text, which for a structure could take more memory than there is."""
    value = meta.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise IngestError(f"front matter {name} must be text, not {_kind(value)}")
    return _clean_str(str(value))


def _http_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host and no spaces."""
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:  # e.g. an unclosed [IPv6] host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _shown(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _storable_url(value: str) -> bool:
    """Whether ``value`` normalises to a url that fits the article table."""
    try:
        return _fits_identity(normalise_url(value))
    except InputError:
        return False


def _fits_identity(value: str) -> bool:
    return len(value.encode("utf-8", "surrogatepass")) <= IDENTITY_BYTES


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: ``*name`` can make a 500-byte document into
    gigabytes of structure, and front matter never needs one.

    A value that looks like a timestamp but is not a real one (``2019-02-30``, an hour
    of 25) stays text, so the field that holds it is refused with its name (see
    :func:`_parse_date`) instead of the YAML loader raising ``ValueError``.
    """

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp
)


def _load_front_matter(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError:
        raise IngestError("front matter is nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML starts on the opening "---" line (after the dashes): line 0 is line 1.
        where = f" (line {mark.line + 1})" if mark is not None else ""
        if getattr(exc, "problem", None) == "YAML aliases are not allowed":
            raise IngestError(
                f"front matter uses a YAML alias (*name){where}; write the value out"
            ) from exc
        raise IngestError(f"front matter is not valid YAML{where}") from exc
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an integer of 5,000 digits
        reason = _shown(_first_line(exc), 120)
        raise IngestError(f"front matter holds a value YAML cannot read ({reason})") from exc


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
        loaded = _load_front_matter(first)
        if loaded is not None and not isinstance(loaded, dict):
            raise IngestError("front matter must be a mapping of keys to values")
        meta = loaded or {}
        body = rest.split("\n", 1)[1] if "\n" in rest else ""
    title = _meta_text(meta, "title")
    url = _front_matter_url(meta.get("url"))
    source = _meta_text(meta, "source")
    author = _meta_text(meta, "author")
    published = _parse_date(meta.get("published"), "front matter published")
    lines = body.strip().split("\n")
    if not title and lines and _MD_HEADING.match(lines[0]):
        title = squash(lines[0].lstrip("#"))
        body = "\n".join(lines[1:])
    return ParsedArticle(
        origin=url or origin,
        title=title or fallback_title,
        text=_body(markdown_to_text(body), "file"),
        format="md",
        url=url,
        source=source,
        author=author,
        published=published,
    )


def _front_matter_url(value: Any) -> str | None:
    """The front matter's url: absent, or an http(s) URL string (it becomes the article's
    identity, so anything else fails the file rather than be stored as one)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise IngestError(f"front matter url must be an http(s) URL, not {_kind(value)}")
    url = _clean_str(value)
    if url is None:
        return None
    if not _http_url(url):
        shown = url if len(url) <= 60 else url[:59] + "…"
        raise IngestError(f"front matter url {shown!r} is not an http(s) URL")
    return url


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
    title = _clean_str(_str_or_none(getattr(doc, "title", None))) or fallback_title
    lines = [squash(line) for line in raw.split("\n")]
    if lines and lines[0] == title:
        lines = lines[1:]
    page_url = url or _clean_str(_str_or_none(getattr(doc, "url", None)))
    if page_url is not None and not (_http_url(page_url) and _storable_url(page_url)):
        log.info("ignoring the page url of %s: not a usable http(s) URL", origin)
        page_url = None
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
        source=_clean_str(_str_or_none(getattr(doc, "sitename", None)))
        or _clean_str(_str_or_none(getattr(doc, "hostname", None))),
        author=_clean_str(_str_or_none(getattr(doc, "author", None))),
        published=published,
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_file(path: Path, max_bytes: int) -> ParsedArticle:
    """Read and parse one file, or raise :class:`IngestError` with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use .txt, .md or .html")
    text = _read_text(path, max_bytes)
    origin = str(path.resolve())
    try:
        origin.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name, kept as surrogates
        raise IngestError("the file name (or its folder's) is not valid UTF-8; rename it") from None
    fallback = path.stem.replace("-", " ").replace("_", " ").strip() or path.name
    if suffix == ".txt":
        return parse_txt(text, origin)
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, origin, fallback)
    return parse_html(text, origin, fallback)


def discover(
    paths: Sequence[str | os.PathLike[str]], seen: set[Path] | None = None
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively, supported suffixes only, hidden entries skipped).

    Returns the files and, separately, the paths that do not exist or cannot be listed
    (a folder anywhere in the tree that cannot be read is reported, not skipped silently),
    labelled with :func:`display_path`. A file reached twice (a folder named twice, or a
    file and its folder) is listed once, where it was first reached; ``seen`` carries
    the files already listed across calls (one ingest run that takes paths one by one).
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found, unlisted = _walk(path)
            files.extend(found)
            problems.extend(
                (display_path(raw if p == path else p), f"cannot list folder: {reason}")
                for p, reason in unlisted
            )
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append((display_path(raw), "not a regular file or folder"))
        else:
            problems.append((display_path(raw), "no such file or folder"))
    return _once_each(files, set() if seen is None else seen), problems


def _once_each(files: list[Path], seen: set[Path]) -> list[Path]:
    unique: list[Path] = []
    for path in files:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: it fails alone, later
            key = path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and written as UTF-8 JSON: bytes of the name
    that are not UTF-8 are shown escaped (``caf\\xe9.txt``), never written raw."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


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

    ``after_store`` runs after the article's transaction has committed, with the new
    chunk ids (dense embeddings use it, so a chunk is embedded when it is written). It
    runs outside that transaction on purpose: an embeddings request can take seconds,
    and on SQLite an open write transaction holds the one write lock, so the server
    would find the database locked meanwhile.
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
            record=_record(parsed, parsed.text),
            make_chunks=self.chunk_rows if rows is None else lambda _text: rows,
            unseen=unseen,
            claim=parsed.url is not None and not repeated,
            heirs=heirs,
        )
        return outcome, written, article_id if written else None

    def stored(self, session: Session, article_id: int | None) -> None:
        """Run :attr:`after_store` for an article whose transaction has committed."""
        if article_id is None or self.after_store is None:
            return
        with session.begin():
            ids = chunk_ids(session=session, article_id=article_id)
        self.after_store(session, ids)


def _record(parsed: ParsedArticle, text: str) -> ArticleRecord:
    return ArticleRecord(
        origin=parsed.origin,
        title=parsed.title,
        text=text,
        content_hash=parsed.content_hash,
        format=parsed.format,
        url=parsed.url,
        source=parsed.source,
        author=parsed.author,
        published=parsed.published,
        final_url=parsed.final_url,
    )


Loader = Callable[[], ParsedArticle]


@dataclass
class _Prepared:
    """One item after the preparing thread: parsed and chunked, or why it failed."""

    label: str
    index: int
    parsed: ParsedArticle | None = None
    rows: list[ChunkRow] | None = None
    error: BaseException | None = None
    #: Neither its origin nor its text was stored when the run began or came earlier in
    #: the run, so the writer can insert it without looking first.
    unseen: bool = False
    #: Its text came earlier in the run (see :meth:`ArticleStore.store`).
    repeated: bool = False
    #: The earlier items of the run that may touch the same stored article; they are
    #: stored first (see :class:`_RunPlan`).
    after: tuple[int, ...] = ()


#: Prepared items travel to the writer in batches of this many: each hand-over between
#: the threads costs a wake-up and two GIL transfers, so fewer is faster.
BATCH = 8


class _RunPlan:
    """What the preparing thread knows of an ingest run, item by item, in the order given.

    * Which origins and texts are stored or will be (``origins``: origin to content
      hash, as stored when the run began and then as the run leaves them), so known
      text is not chunked again and new articles need no lookup.
    * Conflicts: a later item with the origin (url) of an earlier one and different
      text fails, naming the earlier one, which is kept. Without this rule both would be
      stored in turn and the run would report ``updated`` for them every time.
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
        self.first: dict[str, tuple[str, str]] = {}
        self.heirs: dict[str, ArticleRecord] = {}
        self._last: dict[int, int] = {}
        self._count = 0

    def next_index(self) -> int:
        self._count += 1
        return self._count

    def known(self, parsed: ParsedArticle) -> bool:
        return parsed.content_hash in self.hashes

    def admit(self, item: _Prepared, parsed: ParsedArticle) -> None:
        """Place ``parsed`` in the run, or raise :class:`IngestError` for a conflict."""
        origin, digest = parsed.origin, parsed.content_hash
        first = self.first.get(origin)
        if first is not None and first[1] != digest:
            what = "url" if parsed.url is not None else "origin"
            raise IngestError(
                f"{first[0]} has the same {what} ({_shown(origin)}) with different text; "
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
            self.heirs[digest] = _record(parsed, "")  # metadata only; the text is stored
        self.first.setdefault(origin, (item.label, digest))
        self.origins[origin] = digest
        self.hashes.add(digest)


def _prepare(
    items: Iterable[tuple[str, Loader]],
    store: ArticleStore,
    plan: _RunPlan,
    out: queue.Queue[list[_Prepared] | None],
    stop: threading.Event,
) -> None:
    """Parse and chunk each item, in order, for the writers (runs in its own thread).

    Each item is placed in ``plan``. Text already known is not chunked: the writer will
    find it unchanged (or only its metadata changed). Any error is handed to the writer
    with its item. ``None`` marks the end.
    """

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
            prepared = _Prepared("(the list of items)", plan.next_index(), error=exc)
        else:
            prepared = _prepare_one(label, load, store, plan)
        batch.append(prepared)
        fatal = prepared.error is not None and not _is_item_error(prepared.error)
        if len(batch) >= BATCH or fatal:
            if not put(batch) or fatal:
                return
            batch = []
    if not batch or put(batch):
        put(None)


def _prepare_one(label: str, load: Loader, store: ArticleStore, plan: _RunPlan) -> _Prepared:
    """Read, parse and chunk one item. Whatever goes wrong on the way fails this item
    alone: a reader or parser (YAML, trafilatura, lxml, our own) can raise almost
    anything on hostile input, and what it raised becomes the item's one-line reason."""
    prepared = _Prepared(label, plan.next_index())
    try:
        parsed = load()
        rows = None if plan.known(parsed) else store.chunk_rows(parsed.text)
        plan.admit(prepared, parsed)
        prepared.parsed, prepared.rows = parsed, rows
    except (IngestError, InputError) as exc:
        prepared.error = exc
    except Exception as exc:
        log.debug("could not read %s", label, exc_info=True)
        prepared.error = IngestError(
            f"could not be read ({type(exc).__name__}: {_shown(_first_line(exc), 120)})"
        )
    except BaseException as exc:  # an interrupt: the writer raises it
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
        plan = _RunPlan(stored_identities(session=session))
    run = _WriteRun(db, store, summary, on_item, plan.heirs)
    preparer = threading.Thread(
        target=_prepare,
        args=(items, store, plan, run.prepared, run.stop),
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
        for helper in helpers:  # they stop at the end mark, or when one of them fails
            helper.join()
    finally:
        run.stop.set()  # the run failed, or is over: the preparer must not wait on a full queue
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
        heirs: Mapping[str, ArticleRecord],
    ) -> None:
        self.db = db
        self.store = store
        self.summary = summary
        self.on_item = on_item
        self.heirs = heirs
        self.prepared: queue.Queue[list[_Prepared] | None] = queue.Queue(maxsize=4)
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

    def _write(self, session: Session, item: _Prepared) -> None:
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
        """Wait until the ``earlier`` items are stored (see :class:`_RunPlan`); False if
        the run stops meanwhile. They are always in batches already taken by a writer,
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
    item: _Prepared,
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
        if _is_item_error(item.error):
            return str(item.error)
        raise item.error
    assert item.parsed is not None  # set whenever error is not
    try:
        try:
            return _store_in_transaction(session, store, item, item.unseen, heirs)
        except IntegrityError:
            pass
        # Another process stored an article with this origin or text after we looked.
        # Look again, once: it is committed now.
        try:
            return _store_in_transaction(session, store, item, False, heirs)
        except IntegrityError:
            return "unchanged", 0
    except (DataError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not _is_limit_exceeded(exc):
            raise
        return f"the database refused it: {_first_line(exc.orig)}"


def _is_limit_exceeded(exc: OperationalError) -> bool:
    """PostgreSQL's "program limit exceeded" (SQLSTATE class 54, e.g. an index row too
    big): about this statement's data, though psycopg reports it as operational."""
    return str(getattr(exc.orig, "sqlstate", None) or "").startswith("54")


def _first_line(error: BaseException | None) -> str:
    lines = str(error or "").strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def _store_in_transaction(
    session: Session,
    store: ArticleStore,
    item: _Prepared,
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
