"""The story's words live in a profile beside the corpus: another story needs another
profile, and no code (tests/fixtures/story-bridge holds a second, small one)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.profile import Profile, find_profile, load_profile
from bot.errors import ConfigError
from bot.slack.answer_blocks import help_text
from conftest import CORPUS, make_settings, run_briefbot, settings_env

STORY = Path(__file__).resolve().parent / "fixtures" / "story-bridge"


@pytest.fixture
def ferry(database_url: str, tmp_path: Path) -> Briefing:
    with Briefing.open(make_settings(database_url, tmp_path, corpus_dir=STORY)) as b:
        yield b


def test_another_story_brings_its_own_words(ferry: Briefing) -> None:
    profile = ferry.profile
    assert profile.name == "the Wendmoor ferry closure"
    assert profile.greeting.startswith("Hello! Ask me anything about the Wendmoor")
    assert "Wendmoor ferry closure" in help_text(profile)
    assert "why did the Wendmoor ferry close?" in help_text(profile)
    helped = ferry.ask("tell me about it")
    assert helped.mode == "help" and "Why did the Wendmoor ferry close?" in helped.answer
    assert "memorandum" not in helped.answer.lower()


def test_its_synonyms_and_sides_are_used(ferry: Briefing) -> None:
    # "WRFA" is only in the profile: the article says "Wendmoor River Ferry Authority".
    answer = ferry.ask("When did the WRFA end the crossing?")
    assert answer.answered and "Friday" in answer.answer
    # Officials speak, and so do residents: the answer hears both sides.
    both = ferry.ask("What will the replacement boat cost?")
    assert both.answered and "2.1 million pounds" in both.answer
    sides = set().union(*(ferry.profile.stances(c.text) for c in both.citations))
    assert sides == {"council", "residents"}


def test_no_profile_is_a_neutral_profile(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("A title\n\nSome text.\n", encoding="utf-8")
    neutral = find_profile(None, tmp_path, CORPUS)
    assert neutral == Profile() and neutral.sides == () and neutral.example is None
    assert find_profile(None, None, CORPUS).name.startswith("the US–Central America")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[topic\nname = 1", "not valid TOML"),
        ("[topic]\nname = 3\n", "topic.name must be a string"),
        ("[[synonyms]]\nwords = ['a', 'b']\n", "needs a `why`"),
        ("[[sides]]\nlabel = 'x'\n", "side 1 needs a key"),
    ],
)
def test_a_bad_profile_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_profile(path)


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "folder", "too large"])
def test_a_profile_that_is_no_small_file_is_refused_not_read(
    settings: Settings, tmp_path: Path, kind: str
) -> None:
    """``/dev/zero`` never ends and a FIFO blocks until someone writes to it: read whole,
    they hung every command (in a subprocess here, so the old hang is a failed test). A
    profile is a small regular file; anything else is one config error line, exit 2."""
    path = Path(kind) if kind.startswith("/") else tmp_path / "profile.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "too large":
        path.write_text("# a comment\n" * 100_000, encoding="utf-8")
    env = {**settings_env(settings), "BRIEFBOT_PROFILE": str(path)}
    for args in (("sources",), ("ask", "What does the memorandum commit to?")):
        result = run_briefbot(*args, env=env, timeout=60)
        assert (result.code, result.err.count("\n")) == (2, 1), result.err
        reason = "larger than 1,000,000 bytes" if kind == "too large" else "not a regular file"
        assert result.err.startswith(f"error: profile {path}: {reason}"), result.err


def test_the_setting_points_at_a_profile(cli, tmp_path: Path) -> None:
    missing = cli("ask", "anything", env={"BRIEFBOT_PROFILE": str(tmp_path / "nope.toml")})
    assert missing.code == 2 and "nope.toml: no such file" in missing.err
    chosen = cli("ask", "tell me about it", env={"BRIEFBOT_PROFILE": str(STORY / "profile.toml")})
    assert chosen.code == 0 and "Wendmoor ferry closure" in chosen.out


def test_settings_take_the_profile_path(tmp_path: Path) -> None:
    assert Settings.isolated(profile=str(STORY / "profile.toml")).profile == STORY / "profile.toml"
