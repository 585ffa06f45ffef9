"""Reading and writing articles and chunks. Plain data in, plain data out.

Every function takes the session as a keyword-only argument; the caller owns the
transaction (one per article when ingesting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, TypedDict, cast

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from storage.models import Article, Chunk
from storage.search import lexical_search_for

Outcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class ArticleRecord:
    """An article as the core hands it to storage."""

    origin: str
    title: str
    text: str
    content_hash: str
    format: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: date | None = None
    final_url: str | None = None


class ChunkRow(TypedDict):
    ordinal: int
    char_start: int
    char_end: int
    paragraph: int
    token_count: int


@dataclass(frozen=True)
class Passage:
    """A stored chunk with what a reader needs to find it in its article."""

    chunk_id: int
    article_id: int
    title: str
    url: str | None
    source: str | None
    published: date | None
    paragraph: int
    text: str
    char_start: int
    char_end: int
    score: float = 0.0


@dataclass(frozen=True)
class ListedArticle:
    """An article as it is listed (the columns of ``_LISTED``), without its text."""

    id: int
    title: str
    source: str | None
    url: str | None
    published: date | None
    ingested_at: datetime


@dataclass(frozen=True)
class ArticleSummary(ListedArticle):
    chunks: int


_METADATA = ("title", "url", "final_url", "source", "author", "published", "format")


def _copy_metadata(article: Article, record: ArticleRecord) -> bool:
    changed = False
    for name in _METADATA:
        value = getattr(record, name)
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    return changed


# Plain Core statements for the ingest path, built once: a new article is written with no
# ORM objects and no statement construction per article.
_ARTICLE = cast(Table, Article.__table__)
_CHUNK = cast(Table, Chunk.__table__)


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
) -> tuple[Outcome, int | None, int]:
    """Insert a new article, replace a changed one, or do nothing for known text.

    Returns the outcome, the id of the article whose chunks were written (None when none
    were) and how many were. One query finds both an article at the same origin and one
    with the same text; ``unseen=True`` skips it, for a caller that already knows
    neither is stored (the unique constraints on origin and hash still hold, so if one
    was stored meanwhile the insert raises ``IntegrityError``). A new article, the
    common case when ingesting, is written with plain Core statements on the session's
    connection: no ORM objects.

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
    now = datetime.now(UTC)
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
        article = session.get_one(Article, same_origin)
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
    if same_origin is not None and same_origin != same_text:
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


def count_articles(*, session: Session) -> int:
    return int(session.scalar(select(func.count(Article.id))) or 0)


_PASSAGES = (
    select(
        _CHUNK.c.id,
        _CHUNK.c.article_id,
        _ARTICLE.c.title,
        _ARTICLE.c.url,
        _ARTICLE.c.source,
        _ARTICLE.c.published,
        _CHUNK.c.paragraph,
        _CHUNK.c.text,
        _CHUNK.c.char_start,
        _CHUNK.c.char_end,
    )
    .join(_ARTICLE, _ARTICLE.c.id == _CHUNK.c.article_id)
    .where(_CHUNK.c.id.in_(bindparam("ids", expanding=True)))
)


def passages(*, session: Session, chunk_ids: Sequence[int]) -> dict[int, Passage]:
    """The passages for ``chunk_ids`` (missing ids are simply absent)."""
    if not chunk_ids:
        return {}
    if session.autoflush:  # as an ORM query would; the statement itself is plain Core
        session.flush()
    rows = session.execute(_PASSAGES, {"ids": list(chunk_ids)})
    return {r[0]: Passage(*r) for r in rows}


def chunk_texts(*, session: Session) -> list[tuple[str, str]]:
    """(chunk text, article title) for every stored chunk, in id order (for comparisons
    with other rankers over exactly what briefbot stored)."""
    rows = session.execute(select(Chunk.text, Article.title).join(Article).order_by(Chunk.id))
    return [(str(r[0]), str(r[1])) for r in rows]


def article_texts(*, session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    if not article_ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.text).where(Article.id.in_(list(article_ids)))
    )
    return {int(r[0]): str(r[1]) for r in rows}


#: The columns of a ListedArticle.
_LISTED = (
    Article.id,
    Article.title,
    Article.source,
    Article.url,
    Article.published,
    Article.ingested_at,
)


def list_articles(
    *, session: Session, since: datetime | None = None, until: datetime | None = None
) -> list[ArticleSummary]:
    """Articles with their chunk counts, newest first (by published date, then ingestion);
    ``since``/``until`` filter on when they were ingested."""
    counts = (
        select(Chunk.article_id, func.count(Chunk.id).label("n"))
        .group_by(Chunk.article_id)
        .subquery()
    )
    query = (
        select(*_LISTED, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.published.desc().nulls_last(), Article.ingested_at.desc(), Article.id)
    )
    if since is not None:
        query = query.where(Article.ingested_at >= since)
    if until is not None:
        query = query.where(Article.ingested_at <= until)
    return [ArticleSummary(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class DatedArticle(ListedArticle):
    """An article with its text, for the digest of a period."""

    text: str


def articles_in_period(
    *, session: Session, first_day: date, end_day: date, since: datetime, until: datetime
) -> list[DatedArticle]:
    """Articles published on the days ``first_day`` to ``end_day`` (exclusive), and undated
    ones ingested between ``since`` and ``until`` (exclusive): newest first."""
    start, stop = since.astimezone(UTC), until.astimezone(UTC)
    query = (
        select(*_LISTED, Article.text)
        .where(
            or_(
                (Article.published >= first_day) & (Article.published < end_day),
                Article.published.is_(None)
                & (Article.ingested_at >= start)
                & (Article.ingested_at < stop),
            )
        )
        .order_by(Article.id)
    )
    out = []
    for row in session.execute(query):
        ingested = row[5] if row[5].tzinfo else row[5].replace(tzinfo=UTC)
        out.append(DatedArticle(row[0], row[1], row[2], row[3], row[4], ingested, row[6]))
    return out


def article_passages(*, session: Session, article_ids: Sequence[int]) -> dict[int, list[Passage]]:
    """Every passage (chunk) of each article, in reading order."""
    if not article_ids:
        return {}
    out: dict[int, list[Passage]] = {}
    rows = session.execute(
        select(*_PASSAGES.selected_columns)
        .join_from(_CHUNK, _ARTICLE, _ARTICLE.c.id == _CHUNK.c.article_id)
        .where(_CHUNK.c.article_id.in_(list(article_ids)))
        .order_by(_CHUNK.c.article_id, _CHUNK.c.ordinal)
    )
    for r in rows:
        out.setdefault(int(r[1]), []).append(Passage(*r))
    return out
