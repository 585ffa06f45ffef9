"""What every ``briefbot`` command shares: the settings, the briefing service, JSON out."""

from __future__ import annotations

import io
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from pydantic import ValidationError

from bot.config import Settings
from bot.errors import ConfigError
from bot.logsetup import install_redaction

if TYPE_CHECKING:  # the core is imported by the commands that use it
    from bot.core.briefing import Briefing


def load_settings() -> Settings:
    """Settings from the environment and .env, checked; their secrets are masked in the
    log from now on. A setting that is wrong is a ConfigError naming its variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first.get("loc", ())
        name = Settings.env_name(str(loc[0])) if loc else "a setting"
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f".env is not UTF-8 text ({exc.reason})") from exc
    _check_env_file(Path(str(Settings.model_config.get("env_file"))))
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_DATA_DIR: {settings.data_dir} is not a folder")
    if settings.corpus_dir is not None and not settings.corpus_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_CORPUS_DIR: {settings.corpus_dir} is not a folder")
    install_redaction(settings.secret_values())
    return settings


def _check_env_file(path: Path) -> None:
    """Refuse a .env file with a line python-dotenv cannot parse (an unclosed quote). It
    skips the line with a warning only ``-v`` shows, so the setting on it would be
    silently unset: ``DATABASE_URL="postgresql://...`` with its quote left open would run
    every command on the default SQLite file. The line is named by its number, never
    shown: it may hold a password. Only a regular file is read again: a named pipe (a
    secret manager's) was read by Settings(), and a second open would wait for a writer
    for ever; it is opened without blocking to find out."""
    from dotenv.parser import parse_stream

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):  # none, or Settings() has said what is wrong
        return
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise ConfigError(
                f".env line {binding.original.line} cannot be read (a quote left open?); "
                "write it as NAME=value"
            )


@contextmanager
def open_briefing() -> Iterator[Briefing]:
    """The service; an empty database gets the bundled corpus first, whatever the command."""
    from bot.core.briefing import Briefing

    briefing = Briefing.open(load_settings())
    try:
        yield briefing
    finally:
        briefing.close()


def print_json(data: Any) -> None:
    click.echo(json_text(data, indent=2))


def json_text(data: Any, *, indent: int | None = None) -> str:
    """``data`` as JSON that is safe to print: UTF-8 text as it is, except what a terminal
    acts on (:data:`_ACTING`), which ``json.dumps`` leaves raw (C1 controls, bidi marks)
    and is written as a ``\\u`` escape here. Still valid JSON, and the same data: those
    characters appear only inside strings, where an escape means the character."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    return _ACTING.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


#: Characters a terminal acts on rather than shows: C0 controls (a line break and a tab
#: aside), DEL, C1 controls, and the marks that reorder text (bidirectional overrides and
#: isolates). A title or a file name from a hostile source must not clear the screen,
#: retitle the window, or start a forged "failed:" line.
_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str, *, lines: bool = True) -> str:
    """``text`` safe to print: each character a terminal would act on written as an
    escape (``\\x1b``, ``\\u202e``); with ``lines`` false, line breaks too (one line per
    item: a file name may hold one)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = _ACTING.sub(escape, text)
    return text if lines else text.replace("\n", "\\n")


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of text that may hold what sources and users wrote (:func:`shown`)."""
    click.echo(shown(text), err=err, nl=nl)
