"""The story briefbot follows, in one file: ``profile.toml`` beside the corpus.

Everything briefbot says or knows about its one story lives in the profile, not in code:
the topic's name, the help and greeting text, example questions and suggested prompts,
the sides of the story and the words that mark each, and the few synonyms that belong to
the story itself (an agency's initials, a region's nickname). Following another story
means writing another profile; no ``.py`` file changes.

Where the profile comes from (first match): ``BRIEFBOT_PROFILE``; ``profile.toml`` in
``BRIEFBOT_CORPUS_DIR``; the bundled corpus's profile when no corpus dir is set. With none
of these, a neutral profile applies: generic wording, no sides, no synonyms. A profile is a
regular file of at most :data:`MAX_PROFILE_BYTES`; anything else is a ConfigError.

Format (every key optional)::

    [topic]
    name = "the border-security memorandum"      # "I brief you on {name}"
    description = "…"                            # one sentence, shown in help
    examples = ["What does the memorandum commit the countries to?"]
    quote_examples = ["non-binding"]             # topics for `briefbot quote` in help
    suggested_prompts = ["What do critics say?"] # Slack's assistant pane
    greeting = "Hi! …"                           # default: built from name

    [[sides]]                                    # both are shown when the sources hold both
    key = "critics"
    label = "Critics"
    cues = ["activist*", "rights group*", "condemn*"]   # words or phrases; * = any ending

    [[synonyms]]                                 # names the story's own actors go by
    words = ["DHS", "Department of Homeland Security"]  # the first is the thing's own name
    why = "the department's initials"            # required: an entry earns its place
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

PROFILE_FILE = "profile.toml"


@dataclass(frozen=True)
class Side:
    key: str
    label: str
    cues: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = []
        for cue in self.cues:
            body = r"\s+".join(re.escape(w) for w in cue.rstrip("*").split())
            parts.append(body + (r"\w*" if cue.endswith("*") else ""))
        return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)

    def marks(self, text: str) -> bool:
        return bool(self.cues) and self.pattern.search(text) is not None


@dataclass(frozen=True)
class Profile:
    """The story's words. ``Profile()`` is the neutral profile."""

    name: str = "the stored articles"
    description: str = ""
    examples: tuple[str, ...] = ()
    quote_examples: tuple[str, ...] = ()
    suggested_prompts: tuple[str, ...] = ()
    greeting_text: str = ""
    sides: tuple[Side, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def greeting(self) -> str:
        return self.greeting_text or (
            f"Hi! I brief you on {self.name}, from the stored articles, with sources. "
            "What would you like to know?"
        )

    @property
    def example(self) -> str | None:
        return self.examples[0] if self.examples else None

    def stances(self, text: str) -> set[str]:
        """The keys of the sides whose cues ``text`` holds."""
        return {side.key for side in self.sides if side.marks(text)}

    def hint(self) -> str:
        """One sentence that tells a user what to ask."""
        example = f", for example: “{self.example}”" if self.example else ""
        return f"Ask me about {self.name}{example}"


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string")
    return value.strip()


#: The most a profile may hold. The bundled one is about 3 KB; the bound only keeps a
#: path that is no profile (a log, a dump) from being read whole.
MAX_PROFILE_BYTES = 1_000_000


def _read(path: Path) -> str:
    """The file's text, read up to :data:`MAX_PROFILE_BYTES`. Only a regular file is read:
    ``/dev/zero`` never ends and a FIFO blocks until something writes to it, so every
    command would hang. The file is opened without blocking (a FIFO opens at once) and
    checked on the open descriptor, so what is checked is what would be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"profile {path}: not a regular file (a profile is a TOML file)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_PROFILE_BYTES:
        raise ConfigError(
            f"profile {path}: larger than {MAX_PROFILE_BYTES:,} bytes (a profile is a small "
            "TOML file: is it the right file?)"
        )
    return data.decode("utf-8")


def load_profile(path: Path) -> Profile:
    """Read and check a profile file; any problem is one ConfigError naming the file."""
    try:
        data = tomllib.loads(_read(path))
    except FileNotFoundError as exc:
        raise ConfigError(f"profile {path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"profile {path}: cannot read it ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"profile {path}: not valid TOML ({exc})") from exc
    try:
        return _profile(data, path)
    except ConfigError as exc:
        raise ConfigError(f"profile {path}: {exc.message}") from exc


def _tables(data: dict[str, Any], key: str) -> list[Any]:
    """The profile's ``[[key]]`` entries: a list (``sides = 5`` is no list to go through,
    and a string or a table would be gone through as its letters or its keys)."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{key} must be an array of tables ([[{key}]])")
    return value


def _profile(data: dict[str, Any], path: Path) -> Profile:
    topic = data.get("topic", {})
    if not isinstance(topic, dict):
        raise ConfigError("[topic] must be a table")
    sides = []
    for i, side in enumerate(_tables(data, "sides"), start=1):
        if not isinstance(side, dict) or not isinstance(side.get("key"), str):
            raise ConfigError(f"side {i} needs a key")
        key = side["key"].strip()
        sides.append(
            Side(
                key,
                _text(side.get("label", key.capitalize()), f"side {key}: label"),
                _strings(side.get("cues", []), f"side {key}: cues"),
            )
        )
    synonyms = []
    for i, group in enumerate(_tables(data, "synonyms"), start=1):
        if not isinstance(group, dict):
            raise ConfigError(f"synonym group {i} must be a table")
        words = _strings(group.get("words", []), f"synonym group {i}: words")
        if len(words) < 2:
            raise ConfigError(f"synonym group {i} needs at least two words")
        if not _text(group.get("why", ""), f"synonym group {i}: why"):
            raise ConfigError(f"synonym group {i} ({words[0]}) needs a `why`")
        synonyms.append(words)
    return Profile(
        name=_text(topic.get("name", Profile.name), "topic.name") or Profile.name,
        description=_text(topic.get("description", ""), "topic.description"),
        examples=_strings(topic.get("examples", []), "topic.examples"),
        quote_examples=_strings(topic.get("quote_examples", []), "topic.quote_examples"),
        suggested_prompts=_strings(topic.get("suggested_prompts", []), "topic.suggested_prompts"),
        greeting_text=_text(topic.get("greeting", ""), "topic.greeting"),
        sides=tuple(sides),
        synonyms=tuple(synonyms),
        source=path,
    )


def find_profile(explicit: Path | None, corpus_dir: Path | None, bundled: Path) -> Profile:
    """The profile that applies (see the module docstring for the order)."""
    if explicit is not None:
        return load_profile(explicit)
    folder = corpus_dir if corpus_dir is not None else bundled
    candidate = folder / PROFILE_FILE
    return load_profile(candidate) if candidate.is_file() else Profile()
