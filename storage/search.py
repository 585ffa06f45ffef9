"""Lexical search inside the database, behind one small interface.

* SQLite: an FTS5 table over ``chunk.text`` (porter stemming), ranked with ``bm25()``;
  document frequencies come from an ``fts5vocab`` table. New chunks are indexed once per
  article (:meth:`SQLiteFTS5.index_article`, one statement); triggers remove deleted or
  changed ones.
* PostgreSQL: a stored ``tsvector`` column (``english`` configuration) with a GIN index,
  queried with ``websearch_to_tsquery`` and ranked with ``ts_rank_cd``.

A query is a bag of alternatives (words and quoted phrases) joined by OR: the caller has
already removed stop words and added synonyms, and ranking decides what matters most.

Full-text search is the one dialect difference retrieval sees, and all of it is in this
file. The others are about connections and writes, each where it is done: the engine's
settings, locks and ``synchronous_commit`` in :mod:`storage.db`, ``COPY`` for chunk rows
in :mod:`storage.upsert`, insert-or-ignore for vectors in :mod:`storage.embeddings`.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import snowballstemmer
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class LexicalQuery:
    """Words and phrases, any of which may match. All lower-case, unstemmed."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = field(default=())

    def is_empty(self) -> bool:
        return not self.words and not self.phrases


class LexicalSearch(Protocol):
    """What retrieval needs from the database's full-text engine."""

    def install(self, conn: Connection) -> None:
        """Create the index structures (run by the migration)."""

    def uninstall(self, conn: Connection) -> None:
        """Drop them again (downgrade)."""

    def index_article(self, conn: Connection, article_id: int) -> None:
        """Make an article's newly written chunks searchable, in the caller's transaction."""

    def search(self, session: Session, query: LexicalQuery, limit: int) -> list[tuple[int, float]]:
        """Chunk ids and scores, best first; a higher score is better."""

    def term_stats(self, session: Session, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many chunks are indexed, and how many contain each word (after the engine's
        own stemming): what IDF weights and the search budget are computed from."""

    def frequencies(self, session: Session, words: Sequence[str]) -> dict[str, int]:
        """How many chunks contain each word: :meth:`term_stats` without the count of
        chunks, for a typo's hundreds of candidates."""

    def chunk_count(self, session: Session) -> int:
        """How many chunks are indexed."""


def _fold(word: str) -> str:
    # unicode61 with remove_diacritics folds accents away; do the same before stemming.
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class SQLiteFTS5:
    """FTS5 with bm25 ranking. The FTS table is an external-content index of ``chunk``:
    new chunks are added by :meth:`index_article`, and triggers remove deleted or
    changed ones (including rows removed by the cascade from ``article``)."""

    _DDL = (
        "CREATE VIRTUAL TABLE chunk_fts USING fts5(text, content='chunk', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE VIRTUAL TABLE chunk_fts_vocab USING fts5vocab(chunk_fts, 'row')",
        "CREATE TRIGGER chunk_fts_ad AFTER DELETE ON chunk BEGIN "
        "INSERT INTO chunk_fts(chunk_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
        "CREATE TRIGGER chunk_fts_au AFTER UPDATE OF text ON chunk BEGIN "
        "INSERT INTO chunk_fts(chunk_fts, rowid, text) VALUES ('delete', old.id, old.text); "
        "INSERT INTO chunk_fts(rowid, text) VALUES (new.id, new.text); END",
    )

    def __init__(self) -> None:
        self._stem_lock = threading.Lock()
        # FTS5's porter tokenizer is Martin Porter's original algorithm, as is snowball's
        # "porter"; stemming the same way lets us look words up in the vocab table.
        self._stemmer = snowballstemmer.stemmer("porter")
        self._stems: dict[str, str] = {}

    def install(self, conn: Connection) -> None:
        for statement in self._DDL:
            conn.execute(text(statement))

    def uninstall(self, conn: Connection) -> None:
        for name in ("chunk_fts_ad", "chunk_fts_au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(text("DROP TABLE IF EXISTS chunk_fts_vocab"))
        conn.execute(text("DROP TABLE IF EXISTS chunk_fts"))

    def index_article(self, conn: Connection, article_id: int) -> None:
        conn.execute(self._INDEX_ARTICLE, {"article_id": article_id})

    _INDEX_ARTICLE = text(
        "INSERT INTO chunk_fts(rowid, text) SELECT id, text FROM chunk "
        "WHERE article_id = :article_id"
    )

    @staticmethod
    def match_expression(query: LexicalQuery) -> str:
        parts = [f'"{w}"' for w in query.words]
        parts += ['"' + " ".join(p) + '"' for p in query.phrases]
        return " OR ".join(parts)

    def search(self, session: Session, query: LexicalQuery, limit: int) -> list[tuple[int, float]]:
        if query.is_empty():
            return []
        rows = session.execute(
            text(
                "SELECT rowid, bm25(chunk_fts) AS score FROM chunk_fts "
                "WHERE chunk_fts MATCH :q ORDER BY score LIMIT :k"
            ),
            {"q": self.match_expression(query), "k": limit},
        )
        # bm25() is lower-is-better and negative; flip it so higher is better everywhere.
        return [(int(r[0]), -float(r[1])) for r in rows]

    def _stem(self, words: Iterable[str]) -> dict[str, str]:
        with self._stem_lock:
            out = {}
            for w in words:
                if w not in self._stems:
                    if len(self._stems) > 100_000:
                        self._stems.clear()
                    self._stems[w] = self._stemmer.stemWord(_fold(w))
                out[w] = self._stems[w]
            return out

    def term_stats(self, session: Session, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        return self.chunk_count(session), self.frequencies(session, words)

    def frequencies(self, session: Session, words: Sequence[str]) -> dict[str, int]:
        if not words:
            return {}
        stems = self._stem(words)
        rows = session.execute(self._VOCABULARY, {"terms": sorted(set(stems.values()))})
        found = {str(r[0]): int(r[1]) for r in rows}
        return {w: found.get(s, 0) for w, s in stems.items()}

    #: (one statement, its list of terms expanded when it runs: parsing a statement of
    #: hundreds of named parameters cost more than running it)
    _VOCABULARY = text("SELECT term, doc FROM chunk_fts_vocab WHERE term IN :terms").bindparams(
        bindparam("terms", expanding=True)
    )

    def chunk_count(self, session: Session) -> int:
        return int(session.execute(text("SELECT count(*) FROM chunk")).scalar_one())


def _accent_table() -> tuple[str, str]:
    """The Latin letters with accents, and their letters without (``translate``'s two
    strings): each letter of U+00C0 to U+024F and U+1E00 to U+1EFF that Unicode
    decomposes into an ASCII letter and accents. Built from Unicode itself, so it folds
    what :func:`_fold` folds for a question's words (and SQLite's ``remove_diacritics``
    for the text)."""
    accented: list[str] = []
    plain: list[str] = []
    for block in (range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        for code in block:
            char = chr(code)
            folded = _fold(char) if char.islower() else _fold(char).upper()
            if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != char:
                accented.append(char)
                plain.append(folded)
    return "".join(accented), "".join(plain)


ACCENTED, UNACCENTED = _accent_table()


class PostgresTSVector:
    """A generated ``tsvector`` column with a GIN index; ``websearch_to_tsquery`` queries.
    The text is indexed with its accents folded away (``translate`` with
    :data:`ACCENTED`), as a question's words are (:func:`bot.core.words.words`): a name
    asked as "Åkerlund" or "akerlund" finds the text's "Åkerlund", as on SQLite."""

    CONFIG = "english"

    def __init__(self) -> None:
        # Document frequencies only change when the corpus does; remember them per corpus
        # version (max chunk id, chunk count) so a question costs one count per new word.
        self._df_cache: dict[tuple[tuple[int, int, str], str], int] = {}
        self._lock = threading.Lock()

    def install(self, conn: Connection) -> None:
        # (the strings are literals: a generated column's expression takes no parameters;
        # they hold letters only, no quote)
        conn.execute(
            text(
                "ALTER TABLE chunk ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('{self.CONFIG}', translate(text, '{ACCENTED}', '{UNACCENTED}')))"
                " STORED"
            )
        )
        conn.execute(text("CREATE INDEX ix_chunk_tsv ON chunk USING GIN (tsv)"))

    def index_article(self, conn: Connection, article_id: int) -> None:
        """Nothing to do: ``tsv`` is a generated column, indexed as the row is written."""

    def uninstall(self, conn: Connection) -> None:
        conn.execute(text("DROP INDEX IF EXISTS ix_chunk_tsv"))
        conn.execute(text("ALTER TABLE chunk DROP COLUMN IF EXISTS tsv"))

    @staticmethod
    def websearch_expression(query: LexicalQuery) -> str:
        parts = list(query.words) + ['"' + " ".join(p) + '"' for p in query.phrases]
        return " or ".join(parts)

    def search(self, session: Session, query: LexicalQuery, limit: int) -> list[tuple[int, float]]:
        if query.is_empty():
            return []
        rows = session.execute(
            text(
                "SELECT id, ts_rank_cd(tsv, q) AS score "
                f"FROM chunk, websearch_to_tsquery('{self.CONFIG}', :q) AS q "
                "WHERE tsv @@ q ORDER BY score DESC, id LIMIT :k"
            ),
            {"q": self.websearch_expression(query), "k": limit},
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def _version(self, session: Session) -> tuple[int, int, str]:
        row = session.execute(
            text(
                "SELECT (SELECT coalesce(max(id), 0) FROM chunk), (SELECT count(*) FROM chunk), "
                "(SELECT coalesce(max(content_hash), '') FROM article)"
            )
        ).one()
        return int(row[0]), int(row[1]), str(row[2])

    def term_stats(self, session: Session, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        # One query gives both the chunk count and the cache key for the frequencies.
        version = self._version(session)
        out: dict[str, int] = {}
        missing: list[str] = []
        with self._lock:
            for word in words:
                cached = self._df_cache.get((version, word))
                if cached is None:
                    missing.append(word)
                else:
                    out[word] = cached
        if missing:
            # One round trip for all the words the cache lacks (a typo's candidates may be
            # hundreds); each count is an index lookup.
            rows = session.execute(
                text(
                    "SELECT w, (SELECT count(*) FROM chunk "
                    f"WHERE tsv @@ plainto_tsquery('{self.CONFIG}', w)) "
                    "FROM unnest(CAST(:words AS text[])) AS w"
                ),
                {"words": missing},
            )
            found = {str(r[0]): int(r[1]) for r in rows}
            with self._lock:
                if len(self._df_cache) > 50_000:
                    self._df_cache.clear()
                for word in missing:
                    out[word] = self._df_cache[(version, word)] = found.get(word, 0)
        return version[1], out

    def frequencies(self, session: Session, words: Sequence[str]) -> dict[str, int]:
        return self.term_stats(session, words)[1]

    def chunk_count(self, session: Session) -> int:
        return self._version(session)[1]


@functools.cache
def lexical_search_for(dialect: str) -> LexicalSearch:
    """The search backend for a SQLAlchemy dialect name (``sqlite`` or ``postgresql``);
    one per process (they hold only caches of pure functions of the corpus)."""
    if dialect == "sqlite":
        return SQLiteFTS5()
    if dialect == "postgresql":
        return PostgresTSVector()
    raise ValueError(f"briefbot supports SQLite and PostgreSQL, not {dialect}")
