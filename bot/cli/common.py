"""What every ``briefbot`` command shares: the settings, the briefing service, JSON out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
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
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_DATA_DIR: {settings.data_dir} is not a folder")
    if settings.corpus_dir is not None and not settings.corpus_dir.is_dir():
        raise ConfigError(f"BRIEFBOT_CORPUS_DIR: {settings.corpus_dir} is not a folder")
    install_redaction(settings.secret_values())
    return settings


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
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
