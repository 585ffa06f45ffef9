"""One typed Settings object, built from the environment and an optional .env file.

Names follow the conventions users already know: ``DATABASE_URL``, ``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, ``SLACK_BOT_TOKEN`` and friends keep their usual names; everything that
is ours carries the ``BRIEFBOT_`` prefix. Tests build ``Settings(...)`` explicitly with
``Settings.isolated(...)`` so a developer's own environment never leaks into them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError
from storage.paths import home_expanded


def default_data_dir() -> Path:
    """Where briefbot keeps its SQLite file and caches: ``$XDG_DATA_HOME/briefbot``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "briefbot"


#: Every setting of briefbot's own is read from BRIEFBOT_<FIELD NAME>.
ENV_PREFIX = "BRIEFBOT_"
#: When the clock posts the digest unless BRIEFBOT_DIGEST_CRON says otherwise.
DEFAULT_DIGEST_CRON = "0 9 * * mon"
#: A URL's scheme (if any) and everything up to its last "@": the user part, which may
#: hold a password (unencoded "/" or ":" in it included).
_USER_PART = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", re.DOTALL)
#: Lone surrogates: what Python makes of bytes in the environment that are not UTF-8.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")
#: The settings that are paths: a file name may hold any bytes.
_PATHS = frozenset({"data_dir", "corpus_dir", "profile"})


class Settings(BaseSettings):
    """Every knob briefbot has. See the README's configuration table.

    A field named ``top_k`` is read from ``BRIEFBOT_TOP_K`` (the ``env_prefix``); the
    names users already know (``DATABASE_URL``, ``OPENAI_*``, ``SLACK_*``, ``PORT``) are
    aliases. An empty variable (``SLACK_APP_TOKEN=``) is unset (``env_ignore_empty``): it
    must not turn on Socket Mode, and ``BRIEFBOT_LOG_RETENTION_DAYS=`` keeps the log.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        allow_inf_nan=False,  # BRIEFBOT_MAX_FILE_MB=inf is a mistake, not a setting
    )

    # Storage
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")

    # Corpus and chunking
    corpus_dir: Path | None = None
    #: The story's profile (see bot/core/profile.py); default: profile.toml in the corpus.
    profile: Path | None = None
    chunk_tokens: int = Field(default=180, ge=32, le=2000)
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=1000)
    tokenizer: str = "o200k_base"
    # Upper bounds here and below keep a value from overflowing what it becomes (bytes,
    # a deadline, a date): 1e308 is a valid float but no deadline or age.
    max_file_mb: float = Field(default=10.0, gt=0, le=100_000)

    # Retrieval
    top_k: int = Field(default=6, ge=1, le=50)
    min_coverage: float = Field(default=0.45, ge=0.0, le=1.0)
    embedding_model: str | None = None
    min_dense_similarity: float = Field(default=0.55, ge=-1.0, le=1.0)
    answer_words: int = Field(default=150, ge=20, le=600)
    max_question_chars: int = Field(default=2000, ge=10)

    # LLM (any OpenAI-compatible Chat Completions server)
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    model: str | None = None
    context_tokens: int = Field(default=3000, ge=200)
    answer_tokens: int = Field(default=500, ge=16)
    llm_timeout: float = Field(default=20.0, gt=0, le=3600)
    # USD per million tokens: a million is far past any model's price, and keeps the
    # cost of an answer finite (an infinite one is no JSON: "Infinity").
    price_prompt_per_mtok: float = Field(default=0.0, ge=0, le=1_000_000)
    price_completion_per_mtok: float = Field(default=0.0, ge=0, le=1_000_000)

    # Slack
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")
    # Threads are started when serve starts (and the answer pool's as load comes): a
    # count no process can start is the setting's error, said at start.
    web_threads: int = Field(default=8, ge=1, le=256)
    #: Seconds a ``serve`` connection may stay silent, or take to send one whole request.
    web_timeout: int = Field(default=10, ge=1, le=86_400)
    #: Seconds work in hand gets after SIGTERM; None: serve's and clock's own defaults.
    stop_grace: float | None = Field(default=None, ge=0, le=3600)
    # Answering is mostly CPU work under one GIL; a few workers keep acks fast.
    answer_workers: int = Field(default=8, ge=1, le=256)
    log_retention_days: int | None = Field(default=None, ge=1, le=36_500)  # as `logs purge`
    #: Slack user ids who may add articles and feeds from Slack; unset means everyone.
    admins: str | None = None

    # Web pages and feeds
    allow_private_urls: bool = False
    fetch_timeout: float = Field(default=20.0, gt=0, le=300)
    fetch_host_delay: float = Field(default=1.0, ge=0, le=60)
    feed_interval: float = Field(default=3600.0, ge=60, le=7 * 86400)

    # The weekly digest and the clock
    timezone: str = "UTC"
    digest_cron: str = DEFAULT_DIGEST_CRON
    digest_channels: str = ""
    digest_empty: Literal["post", "skip"] = "post"
    digest_catchup_hours: int = Field(default=72, ge=0, le=24 * 28)

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable a field (or a validation error's location) is read
        from: ``top_k`` is ``BRIEFBOT_TOP_K``, ``database_url`` is ``DATABASE_URL``."""
        info = cls.model_fields.get(field)
        if info is None:  # already a variable's name (an alias)
            return field.upper()
        alias = info.validation_alias
        return alias if isinstance(alias, str) else f"{ENV_PREFIX}{field.upper()}"

    @classmethod
    def env_names(cls) -> list[str]:
        """Every environment variable Settings reads."""
        return [cls.env_name(name) for name in cls.model_fields]

    def secret_values(self) -> list[str]:
        """The configured secrets themselves, for the log redactor: the tokens and keys,
        the password in ``DATABASE_URL`` (a driver's error may repeat it), and one in
        ``OPENAI_BASE_URL`` or ``SLACK_API_URL``."""
        from storage.db import url_secrets  # SQLAlchemy, which every database command loads

        secrets = (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.openai_api_key,
        )
        found = [s.get_secret_value() for s in secrets if s is not None]
        found += url_secrets(self.database_url) if self.database_url else []
        # A proxy in front of the model server or the Web API may take a password in the
        # URL (https://user:pw@proxy/v1); the HTTP client logs every request's URL.
        for url in (self.openai_base_url, self.slack_api_url):
            password = urlsplit(url).password if url else None
            if password:
                found += dict.fromkeys([password, unquote(password)])
        return found

    @model_validator(mode="before")
    @classmethod
    def _spaces_are_empty(cls, data: Any) -> Any:
        """A value of only spaces is unset, like an empty one: ``env_ignore_empty`` drops
        ``BRIEFBOT_LOG_RETENTION_DAYS=`` but not ``BRIEFBOT_LOG_RETENTION_DAYS=" "``."""
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}

    @field_validator("*", mode="before")
    @classmethod
    def _utf8(cls, value: Any, info: ValidationInfo) -> Any:
        """A value with bytes that are not UTF-8 is refused, naming its variable: no key,
        url or model name holds them, and neither the HTTP clients nor the database can
        send them (a command failed later, as "unexpected UnicodeEncodeError"). A path
        may hold them, and so may a SQLite URL, which is one."""
        if (
            isinstance(value, str)
            and _NOT_UTF8.search(value)
            and info.field_name not in _PATHS
            and not (info.field_name == "database_url" and value.strip().startswith("sqlite"))
        ):
            raise ValueError("holds bytes that are not UTF-8")
        return value

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str | None) -> str | None:
        return normalise_database_url(value.strip()) if value is not None else None

    @field_validator("data_dir", "corpus_dir", "profile")
    @classmethod
    def _home_expanded(cls, value: Path | None) -> Path | None:
        """A leading ``~`` expanded, as a shell would: a .env file or a service's
        environment leaves it as written, and ``~/bb`` is not a folder named "~". A NUL
        (only a .env file can hold one) is refused here, so the error names the
        variable, not whatever opens the path first."""
        if value is not None and "\x00" in str(value):
            raise ValueError("a path cannot hold a NUL character")
        return home_expanded(value) if value is not None else None  # (~nobody: as written)

    @field_validator("tokenizer")
    @classmethod
    def _known_tokenizer(cls, value: str) -> str:
        """Checked here, so every command refuses an unknown tokenizer alike, not only
        the ones that happen to count tokens (``ingest``) while ``ask`` carries on."""
        from bot.core.tokenizers import EXPECTED_SHA256  # not tokens: no tiktoken here

        name = value.strip()
        if name not in EXPECTED_SHA256:
            raise ValueError(f"unknown tokenizer {value!r}; use {' or '.join(EXPECTED_SHA256)}")
        return name

    @field_validator("openai_base_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # Shown without what comes before its last "@": a proxy's password, which the
        # log redactor does not know yet (the settings did not parse).
        shown = _USER_PART.sub(r"\1***@", value)
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError(f"{shown!r} is not an http(s) URL")
        try:
            parts.port  # noqa: B018 (read for its check: a port past 65535, or not a number)
        except ValueError as exc:
            raise ValueError(f"{shown!r} has no valid port ({exc})") from None
        return value

    @field_validator("chunk_overlap_tokens")
    @classmethod
    def _overlap_below_size(cls, value: int, info: ValidationInfo) -> int:
        size = info.data.get("chunk_tokens")
        if size is not None and value >= size:
            raise ValueError(f"must be smaller than BRIEFBOT_CHUNK_TOKENS ({size})")
        return value

    @field_validator("feed_interval", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        """``3600``, ``90s``, ``30m``, ``1h`` or ``1d``: a duration, in seconds."""
        if not isinstance(value, str):
            return value
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
        if found is None:
            raise ValueError("must be a duration such as 3600, 90s, 30m, 1h or 1d")
        return (
            float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[found.group(2)]
        )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        name = value.strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {name!r} (use an IANA name such as Europe/London)"
            ) from exc
        return name

    @field_validator("digest_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        expr = " ".join(value.split())
        # pydantic-settings validates defaults too; the default needs no check (a test
        # parses it), and checking it would import APScheduler in every command.
        if expr != DEFAULT_DIGEST_CRON:
            from bot.schedule import parse_crontab  # imports APScheduler

            parse_crontab(expr, ZoneInfo("UTC"))  # raises ValueError with the reason
        return expr

    @field_validator("digest_channels")
    @classmethod
    def _channel_ids(cls, value: str) -> str:
        if not value.strip():  # nothing to check, and bot.schedule imports APScheduler
            return ""
        from bot.schedule import channel_ids

        return ",".join(channel_ids(value))

    @field_validator("digest_empty", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def tz(self) -> ZoneInfo:
        """``BRIEFBOT_TIMEZONE`` as a time zone: digest weeks begin at its midnight."""
        return ZoneInfo(self.timezone)

    @property
    def digest_channel_ids(self) -> list[str]:
        """The channels in ``BRIEFBOT_DIGEST_CHANNELS``, in the order given."""
        return [c for c in self.digest_channels.split(",") if c]

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the default SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'briefbot.db'}"

    @property
    def admin_ids(self) -> frozenset[str]:
        """The Slack user ids in ``BRIEFBOT_ADMINS`` (commas or spaces between them)."""
        return (
            frozenset(re.split(r"[\s,]+", self.admins.strip())) - {""}
            if self.admins
            else (frozenset())
        )

    def may_change_sources(self, user_id: str | None) -> bool:
        """Whether a Slack user may add articles and add or remove feeds: anyone when
        ``BRIEFBOT_ADMINS`` is unset, else the users it lists."""
        ids = self.admin_ids
        return not ids or (user_id is not None and user_id in ids)

    def grace(self, default: float) -> float:
        """Seconds work in hand gets after SIGTERM: ``BRIEFBOT_STOP_GRACE``, or the
        process's own ``default`` when it is unset."""
        return default if self.stop_grace is None else self.stop_grace

    @property
    def llm_enabled(self) -> bool:
        """A chat model may write answers: there is a key or a server to ask, and
        ``BRIEFBOT_MODEL`` is not ``none``. Which model is decided by
        :mod:`bot.core.model_choice` (``OPENAI_API_KEY`` alone means OpenAI's default
        model; a local server with no model set is asked for its models)."""
        off = (self.model or "").strip().lower() == "none"
        return bool(self.openai_api_key or self.openai_base_url) and not off

    def require_bot_token(self, command: str) -> None:
        """Fail at start if ``command`` cannot post to Slack for want of a bot token."""
        if self.slack_bot_token is None or not self.slack_bot_token.get_secret_value().strip():
            raise ConfigError(f"SLACK_BOT_TOKEN is not set; `{command}` needs it to post to Slack.")

    def require_slack(self) -> None:
        """Fail at start with a sentence that names the missing Slack secret."""
        for name, value in (
            ("SLACK_BOT_TOKEN", self.slack_bot_token),
            ("SLACK_SIGNING_SECRET", self.slack_signing_secret),
        ):
            if value is None or not value.get_secret_value().strip():
                raise ConfigError(f"{name} is not set; `briefbot serve` needs it to talk to Slack.")

    @classmethod
    def isolated(cls, **values: Any) -> Settings:
        """Settings from ``values`` alone: no environment, no .env file. For tests and tools."""
        return _IsolatedSettings(**values)


class _IsolatedSettings(Settings):
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def normalise_database_url(url: str) -> str:
    """Accept the URL forms Heroku-style platforms hand out and pick the psycopg 3 driver.

    ``postgres://`` and ``postgresql://`` both become ``postgresql+psycopg://``; anything
    else (``sqlite:///...``, an explicit driver) is left alone.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
