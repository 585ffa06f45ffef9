"""The tokenizer works with no network, from a hash-verified BPE file."""

from __future__ import annotations

import hashlib
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


def test_batch_counts_equal_single_counts(tmp_path: Path) -> None:
    counter = tokens.TokenCounter("o200k_base", tmp_path)
    texts = [f"Sentence number {i} about the border memorandum." for i in range(100)]
    assert counter.count_many(texts) == [counter.count(t) for t in texts]
