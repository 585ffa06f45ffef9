"""The tokenizer works with no network, from a hash-verified BPE file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import stat
import threading
import time
from pathlib import Path

import pytest
import tiktoken.load

from bot.core import tokens
from bot.errors import ConfigError


def test_bundled_bpe_matches_openai_published_hash() -> None:
    for name, expected in tokens.EXPECTED_SHA256.items():
        assert hashlib.sha256(tokens.bundled_bpe(name)).hexdigest() == expected


def test_counts_tokens_without_touching_the_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_network(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to fetch {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    monkeypatch.setattr(tokens, "_encodings", {})
    counter = tokens.TokenCounter("o200k_base", tmp_path / "cache")
    assert counter.count("The memorandum is non-binding.") == len(
        counter.encode("The memorandum is non-binding.")
    )
    assert counter.count("hello world") == 2
    assert counter.decode(counter.encode("Tegucigalpa")) == "Tegucigalpa"
    # The verified file sits in the cache under tiktoken's own key.
    cached = tmp_path / "cache" / tokens.cache_file_name("o200k_base")
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["o200k_base"]


def test_a_tampered_cache_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / tokens.cache_file_name("cl100k_base")
    target.write_bytes(b"not a bpe file")
    tokens.prime_cache("cl100k_base", tmp_path)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["cl100k_base"]


def test_a_named_pipe_in_the_cache_s_place_is_replaced_not_read(tmp_path: Path) -> None:
    """Reading a FIFO there waited for a writer for ever, in every command that counts
    tokens (ingest among them)."""
    target = tmp_path / tokens.cache_file_name("cl100k_base")
    os.mkfifo(target)
    done = threading.Event()

    def release() -> None:  # a reader waiting for a writer: let it go (no hang)
        if not done.wait(15):
            with contextlib.suppress(OSError):
                os.close(os.open(target, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=release, daemon=True).start()
    started = time.monotonic()
    tokens.prime_cache("cl100k_base", tmp_path)
    done.set()
    assert time.monotonic() - started < 10
    assert hashlib.sha256(target.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["cl100k_base"]


@pytest.mark.usefixtures("umask_022")
def test_the_folders_it_makes_for_the_cache_are_private(tmp_path: Path) -> None:
    """The cache is made in briefbot's data folder, which holds the SQLite database too:
    a data folder made here is its owner's alone, as the database's own is."""
    data_dir = tmp_path / "briefbot"
    tokens.prime_cache("cl100k_base", tokens.cache_dir_for(data_dir))
    for folder in (data_dir, data_dir / "tiktoken"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_cache_folder_that_cannot_be_made_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A data folder under a file (or read-only) names the setting in one line; it used
    to surface as an unexpected NotADirectoryError (or PermissionError)."""
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    (tmp_path / "file").write_text("in the way", "utf-8")
    with pytest.raises(ConfigError, match=r"^BRIEFBOT_DATA_DIR: cannot use the tokenizer's"):
        tokens.prime_cache("cl100k_base", tokens.cache_dir_for(tmp_path / "file" / "data"))
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "file" / "cache"))
    with pytest.raises(ConfigError, match=r"^TIKTOKEN_CACHE_DIR: .*Not a directory"):
        tokens.prime_cache("cl100k_base", tmp_path / "file" / "cache")


def test_a_bundled_file_with_the_wrong_hash_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(tokens.EXPECTED_SHA256, "o200k_base", "0" * 64)
    with pytest.raises(ConfigError, match="refusing to use it"):
        tokens.bundled_bpe("o200k_base")


def test_unknown_tokenizer_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="Unknown tokenizer 'p50k_base'"):
        tokens.bundled_bpe("p50k_base")


def test_environment_is_left_as_it_was(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    monkeypatch.setattr(tokens, "_encodings", {})
    tokens.TokenCounter("cl100k_base", tmp_path)
    assert "TIKTOKEN_CACHE_DIR" not in os.environ


# Characters that meet at the edges of tiktoken's pre-tokenizer pieces: spaces, tabs and
# newlines of every kind, the punctuation run that swallows "\n" and "/", contractions,
# digits, accents, a combining mark, CJK, an emoji, NBSP and separators Python calls space.
_ALPHABET = [
    *"aeiou tnrsE ",
    "  ",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    ".",
    ",",
    "?",
    "!",
    "/",
    '"',
    "“",
    "”",
    "'",
    "’",
    "'s",
    "'ll",
    "(",
    ")",
    "-",
    "—",
    "…",
    "1",
    "23",
    "4567",
    "é",
    "e\u0301",
    "Ñ",
    "漢字",
    "🙂",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\x85",
    "\u2000",
    "\u202f",
    "\x0b",
    "\x1c",
    "#",
    "$",
    "Tegucigalpa",
    "The",
    "memorandum",
    "U.S.",
    "http://x.org/a",
]


def _adversarial_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


@pytest.mark.parametrize("name", sorted(tokens.EXPECTED_SHA256))
def test_layout_counts_every_span_exactly(name: str, tmp_path: Path) -> None:
    """The one-encode span count equals encoding the span itself, on text built to break
    it (the argument is in TokenLayout's docstring; this is its check)."""
    counter = tokens.TokenCounter(name, tmp_path)
    rng = random.Random(20190327)
    checked = 0
    for _ in range(60):
        text = _adversarial_text(rng, rng.randint(1, 120))
        layout = counter.layout(text)
        for _ in range(60):
            start = rng.randrange(len(text))
            end = rng.randint(start + 1, len(text))
            assert layout.count(start, end) == counter.count(text[start:end]), (text, start, end)
            checked += 1
    # Long prose, where nearly every span takes the fast path.
    prose = (Path(__file__).resolve().parent.parent / "corpus").glob("*.txt")
    for path in prose:
        text = path.read_text(encoding="utf-8")
        layout = counter.layout(text)
        for _ in range(200):
            start = rng.randrange(len(text))
            end = rng.randint(start + 1, min(len(text), start + 3000))
            assert layout.count(start, end) == counter.count(text[start:end])
            checked += 1
    assert checked > 3000


def test_layout_takes_the_fast_path_on_prose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A long span is not encoded again: only its edge words are."""
    counter = tokens.TokenCounter("o200k_base", tmp_path)
    text = " ".join(f"Sentence {i} on the border memorandum." for i in range(200))
    layout = counter.layout(text)
    encoded: list[str] = []
    real = counter._enc.encode_ordinary
    monkeypatch.setattr(counter._enc, "encode_ordinary", lambda t: encoded.append(t) or real(t))
    assert layout.count(0, len(text)) == len(real(text))
    assert max(map(len, encoded)) < 20


def test_layout_copes_with_lone_surrogates(tmp_path: Path) -> None:
    counter = tokens.TokenCounter("o200k_base", tmp_path)
    text = "A broken \ud800 character in a sentence. " * 20
    layout = counter.layout(text)
    assert layout.count(2, len(text) - 1) == counter.count(text[2:-1])
    assert layout.tokens_ending_by([len(text)])[0] == counter.count(text)


def test_text_without_spaces_is_counted_without_encoding_it_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Tabs and line breaks after words fence tokens off as spaces do: a table or a list
    of lines (no space in it) is not encoded again for every span counted, which made
    chunking a 1 MB table take minutes."""
    counter = tokens.TokenCounter("o200k_base", tmp_path)
    text = "\n".join("\t".join(["border", "memo", f"{i}", "Honduras"]) for i in range(300))
    layout = counter.layout(text)
    encoded: list[str] = []
    real = counter._enc.encode_ordinary
    monkeypatch.setattr(counter._enc, "encode_ordinary", lambda t: encoded.append(t) or real(t))
    assert layout.count(3, len(text) - 2) == len(real(text[3:-2]))
    assert max(map(len, encoded)) < 20
