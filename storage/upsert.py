"""Storing articles and their chunks: the ingest path, one article per transaction.

Plain data in (:class:`ArticleRecord`, :class:`ChunkRow`), plain data out. Every function
takes the session as a keyword-only argument; the caller owns the transaction. A new
article, the common case when ingesting, is written with plain Core statements built
once: no ORM objects and no statement construction per article.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, TypedDict

from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from storage.models import ARTICLE_TABLE as _ARTICLE
from storage.models import CHUNK_TABLE as _CHUNK
from storage.models import Article, Chunk
from storage.search import lexical_search_for

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class ArticleRecord:
    """An article as the core hands it to storage (the core's ``ParsedArticle`` is one,
    checked to fit the table)."""

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
    #: What identifies the text: stored once, whatever its origin.
    content_hash: str = ""


class ChunkRow(TypedDict):
    ordinal: int
    char_start: int
    char_end: int
    paragraph: int
    token_count: int


_METADATA = ("title", "url", "final_url", "source", "author", "published", "format")
#: What a record that gives none leaves as stored. A source, an author or a date that one
#: source gave is replaced by another value, never erased by a source that says nothing:
#: a page with no date of its own keeps the date its feed gave when it is ingested again
#: (and the feed, which has dealt with the entry, would never give it back).
_KEPT_WHEN_MISSING = frozenset({"source", "author", "published"})


def _copy_metadata(article: Article, record: ArticleRecord) -> bool:
    """Bring ``article``'s metadata up to ``record``'s; True if any of it changed. A
    missing source, author or date keeps the stored one (:data:`_KEPT_WHEN_MISSING`)."""
    changed = False
    for name in _METADATA:
        value = getattr(record, name)
        if value is None and name in _KEPT_WHEN_MISSING:
            continue
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    return changed


def _length(column: str) -> int:
    length = getattr(_ARTICLE.c[column].type, "length", None)
    assert isinstance(length, int), column
    return length


#: The longest title, source and author the article table holds, in characters (the
#: columns' lengths: PostgreSQL refuses longer values, SQLite would keep them).
TITLE_CHARS = _length("title")
SOURCE_CHARS = _length("source")
AUTHOR_CHARS = _length("author")
#: The longest origin or url, in UTF-8 bytes. Both are indexed, and a PostgreSQL btree
#: index row holds at most about 2,700 bytes, so 2,000 characters of CJK text would not
#: fit: the limit is the column's length, counted in bytes.
IDENTITY_BYTES = _length("origin")
_FIND_ARTICLE = select(_ARTICLE.c.id, _ARTICLE.c.origin, _ARTICLE.c.content_hash).where(
    or_(
        _ARTICLE.c.origin == bindparam("origin"),
        _ARTICLE.c.content_hash == bindparam("content_hash"),
    )
)
_INSERT_ARTICLE = insert(_ARTICLE).returning(_ARTICLE.c.id)
# A plain executemany: one short statement that both drivers prepare once. (With
# RETURNING, SQLAlchemy would build a new multi-row statement for every article, which
# psycopg then parses afresh.) Ids are read back only when someone needs them.
_INSERT_CHUNKS = insert(_CHUNK)
#: The article's row, locked until the transaction ends (PostgreSQL; SQLite has one
#: writer and no FOR UPDATE): see :func:`_lock_article`.
_LOCK_ARTICLE = select(_ARTICLE.c.id).where(_ARTICLE.c.id == bindparam("id")).with_for_update()
_CHUNK_IDS = (
    select(_CHUNK.c.id).where(_CHUNK.c.article_id == bindparam("article_id")).order_by(_CHUNK.c.id)
)


_COPY_COLUMNS = tuple(c.name for c in _CHUNK.columns if not c.primary_key)
_COPY_CHUNKS = f"COPY chunk ({', '.join(_COPY_COLUMNS)}) FROM STDIN"


def _insert_chunks(conn: Connection, values: list[dict[str, object]]) -> None:
    """Write chunk rows: with COPY on PostgreSQL (a quarter less work for the server and
    the client than one INSERT per row), with an executemany elsewhere.

    COPY runs on the driver's own connection, so its errors are psycopg's; they are
    raised as SQLAlchemy's, as an INSERT's would be, so that the caller's handling of a
    unique violation (another writer got there first) or refused data applies to both.
    """
    if conn.dialect.name != "postgresql":
        conn.execute(_INSERT_CHUNKS, values)
        return
    import psycopg

    raw = conn.connection.driver_connection  # the psycopg connection, in our transaction
    assert raw is not None
    try:
        with raw.cursor().copy(_COPY_CHUNKS) as copy:
            for row in values:
                copy.write_row([row[column] for column in _COPY_COLUMNS])
    except psycopg.errors.IntegrityError as exc:
        raise IntegrityError(_COPY_CHUNKS, None, exc) from exc
    except psycopg.errors.DataError as exc:
        raise DataError(_COPY_CHUNKS, None, exc) from exc
    except psycopg.errors.OperationalError as exc:  # "program limit exceeded" (54000) too
        raise OperationalError(_COPY_CHUNKS, None, exc) from exc


def _chunk_values(article_id: int, text: str, rows: list[ChunkRow]) -> list[dict[str, object]]:
    return [
        {**row, "article_id": article_id, "text": text[row["char_start"] : row["char_end"]]}
        for row in rows
    ]


def upsert_article(
    *,
    session: Session,
    record: ArticleRecord,
    make_chunks: Callable[[str], list[ChunkRow]],
    unseen: bool = False,
    claim: bool = False,
    heirs: Mapping[str, ArticleRecord] | None = None,
    now: datetime | None = None,
) -> tuple[Outcome, int | None, int]:
    """Insert a new article, replace a changed one, or do nothing for known text, at
    ``now`` (the ingestion and update time written; default: the wall clock, in UTC).

    Returns the outcome, the id of the article whose chunks were written (None when none
    were) and how many were. One query finds both an article at the same origin and one
    with the same text; ``unseen=True`` skips it, for a caller that already knows
    neither is stored (the unique constraints on origin and hash still hold, so if one
    was stored meanwhile the insert raises ``IntegrityError``). A new article, the
    common case when ingesting, is written with plain Core statements on the session's
    connection: no ORM objects.

    Metadata follows the record, except that a source, an author or a published date the
    record lacks keeps the stored one (a page with no date of its own, ingested again,
    keeps the date its feed gave): whatever a source gave is replaced, never erased.

    A text is stored once. When the record's text is already stored:

    * at the record's origin: its metadata is brought up to date (``updated`` if any of
      it changed, else ``unchanged``);
    * under another origin: the article stored at the record's origin, if any, is an old
      version and is removed (``updated``). With ``claim=True`` (the record says where
      it lives: the page moved, or its front matter changed) the stored text then takes
      the record's origin and metadata (``updated``); without it the text stays where it
      is, a copy adds nothing (``unchanged`` when nothing was removed).

    ``heirs`` maps a content hash to a copy of that text that an ingest run met earlier
    and reported ``unchanged`` because the text was stored elsewhere. When the old
    version at the record's origin has such an heir, it is not removed or overwritten:
    it moves to the heir's origin and metadata, and the record's text is stored as a new
    article. So a copy of a file stays stored when the file itself changes in the same
    run, and the next run finds everything unchanged.
    """
    if session.autoflush:  # as an ORM query would; the statements here are plain Core
        session.flush()
    conn = session.connection()
    keys = {"origin": record.origin, "content_hash": record.content_hash}
    known = () if unseen else conn.execute(_FIND_ARTICLE, keys).all()
    at_origin = next((r for r in known if r.origin == record.origin), None)
    same_origin = at_origin.id if at_origin is not None else None
    same_text = next((r.id for r in known if r.content_hash == record.content_hash), None)
    now = now or datetime.now(UTC)
    heir = None
    if at_origin is not None and at_origin.content_hash != record.content_hash:
        heir = _heir_for(conn, heirs, at_origin.content_hash, record.origin)
    if heir is not None:
        assert same_origin is not None
        _rehome(conn, same_origin, heir, now)
        session.expire_all()  # an ORM copy of that row, if loaded, is out of date now
        same_origin = None
    if same_text is not None:
        kept = _known_text(session, record, same_text, same_origin, claim, now)
        return ("updated" if heir is not None else kept), None, 0

    outcome: Outcome
    if same_origin is not None and not _lock_article(conn, same_origin):
        same_origin = None  # removed by another writer since it was found: stored anew
    if same_origin is None:
        values = {name: getattr(record, name) for name in _METADATA}
        values.update(
            origin=record.origin,
            text=record.text,
            content_hash=record.content_hash,
            ingested_at=now,
            updated_at=now,
        )
        article_id = int(conn.execute(_INSERT_ARTICLE, values).scalar_one())
        outcome = "updated" if heir is not None else "added"
    else:
        article = session.get_one(Article, same_origin, populate_existing=True)
        session.execute(delete(Chunk).where(Chunk.article_id == article.id))
        article.text = record.text
        article.content_hash = record.content_hash
        article.updated_at = now
        _copy_metadata(article, record)
        session.flush()
        article_id = article.id
        outcome = "updated"
    rows = make_chunks(record.text)
    if not rows:
        return outcome, None, 0
    _insert_chunks(conn, _chunk_values(article_id, record.text, rows))
    lexical_search_for(conn.dialect.name).index_article(conn, article_id)
    return outcome, article_id, len(rows)


_ORIGIN_TAKEN = select(_ARTICLE.c.id).where(_ARTICLE.c.origin == bindparam("origin"))


def _lock_article(conn: Connection, article_id: int) -> bool:
    """Lock article ``article_id``'s row before its chunks are deleted or replaced; False
    if it is gone (another writer removed it since it was looked up).

    Two runs that replace one article at once (two ``briefbot ingest`` of a changed
    folder) then take their turns: without the lock each deleted chunks the other was
    replacing, and PostgreSQL ended one run with "deadlock detected" (the unique index
    on the chunks' ordinals waited on one, the article's row on the other). The second
    replaces the first's version with the same text, whole.
    """
    return conn.execute(_LOCK_ARTICLE, {"id": article_id}).first() is not None


def _heir_for(
    conn: Connection,
    heirs: Mapping[str, ArticleRecord] | None,
    content_hash: str,
    origin: str,
) -> ArticleRecord | None:
    """The copy that should inherit the old version with ``content_hash`` (stored at
    ``origin``), if there is one and its own origin is free."""
    heir = heirs.get(content_hash) if heirs else None
    if heir is None or heir.origin == origin:
        return None
    if conn.execute(_ORIGIN_TAKEN, {"origin": heir.origin}).first() is not None:
        return None
    return heir


def _rehome(conn: Connection, article_id: int, heir: ArticleRecord, now: datetime) -> None:
    """Give article ``article_id`` (text and chunks unchanged) the heir's origin and
    metadata."""
    values = {name: getattr(heir, name) for name in _METADATA}
    conn.execute(
        update(_ARTICLE)
        .where(_ARTICLE.c.id == article_id)
        .values(origin=heir.origin, updated_at=now, **values)
    )


def _known_text(
    session: Session,
    record: ArticleRecord,
    same_text: int,
    same_origin: int | None,
    claim: bool,
    now: datetime,
) -> Outcome:
    """:func:`upsert_article` for a record whose text is stored, as article ``same_text``."""
    removed = False
    if (
        same_origin is not None
        and same_origin != same_text
        and _lock_article(session.connection(), same_origin)
    ):
        # The old version at this origin: its text changed to one stored elsewhere.
        session.execute(delete(_CHUNK).where(_CHUNK.c.article_id == same_origin))
        session.execute(delete(_ARTICLE).where(_ARTICLE.c.id == same_origin))
        removed = True
    if same_origin != same_text and not claim:
        return "updated" if removed else "unchanged"
    article = session.get_one(Article, same_text)
    changed = _copy_metadata(article, record)
    if article.origin != record.origin:
        article.origin = record.origin
        changed = True
    if changed:
        article.updated_at = now
        session.flush()
    return "updated" if changed or removed else "unchanged"


def chunk_ids(*, session: Session, article_id: int) -> list[int]:
    """The ids of an article's chunks, in order."""
    return [int(i) for i in session.connection().scalars(_CHUNK_IDS, {"article_id": article_id})]


def stored_identities(*, session: Session) -> dict[str, str]:
    """Every stored article's content hash, by its origin."""
    rows = session.execute(select(_ARTICLE.c.origin, _ARTICLE.c.content_hash))
    return {r[0]: r[1] for r in rows}
