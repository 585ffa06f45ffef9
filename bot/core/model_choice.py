"""Which chat model writes the answers, decided the way OpenAI users expect.

In order:

* ``BRIEFBOT_MODEL=none`` turns the model off: every answer is extractive.
* ``BRIEFBOT_MODEL=NAME`` uses NAME, with ``OPENAI_API_KEY`` (OpenAI, or any server at
  ``OPENAI_BASE_URL``) or with ``OPENAI_BASE_URL`` alone (a local server needs no key).
* No ``BRIEFBOT_MODEL`` and no ``OPENAI_BASE_URL``: ``OPENAI_API_KEY`` alone means OpenAI's
  API with :data:`DEFAULT_MODEL`, as in simonw/llm, the OpenAI CLI and most Slack AI samples.
* No ``BRIEFBOT_MODEL`` but an ``OPENAI_BASE_URL``: the server's ``GET /v1/models`` decides,
  among the models it lists other than ``BRIEFBOT_EMBEDDING_MODEL``. If there is exactly
  one, that one. If there are several and :data:`DEFAULT_MODEL` is among them (OpenAI
  itself, or a proxy of it), the default. Otherwise a :class:`~bot.errors.ConfigError`
  names the choices: briefbot does not guess.
* A server that offers nothing else is there for the embeddings: with
  ``BRIEFBOT_EMBEDDING_MODEL`` set, a list with no other model, or no list at all (404),
  means extractive answers ("no chat model named"); without it, that is an error. With a
  key, a server with no list (404) is used with the default model.
* Neither a key nor a base URL: extractive, for want of a key.

Asking the server happens once per process, when the first answer needs it (``briefbot
sources`` never asks). If the server cannot be reached, that answer is extractive ("model
unreachable") and the server is asked again at a later answer, at most every
:data:`RETRY_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from bot.config import Settings
from bot.errors import ConfigError

#: The model used when only ``OPENAI_API_KEY`` is set (the default of simonw/llm too).
DEFAULT_MODEL = "gpt-4o-mini"
#: ``BRIEFBOT_MODEL`` value that turns the model off.
OFF = "none"
#: How long an unreachable server is left alone before it is asked for its models again.
RETRY_SECONDS = 30.0
#: At most this many model names go into the one-line error.
NAMED_CHOICES = 10

# Why an answer is extractive: short phrases, shown to users after "extractive".
NO_KEY = "no key"
TURNED_OFF = "BRIEFBOT_MODEL=none"
UNREACHABLE = "model unreachable"
KEY_REFUSED = "model refused the key"
UNREADABLE = "unreadable model reply"
CONTENT_FILTER = "content filter"
GUARD_FALLBACK = "guard fallback"
OTHER_LANGUAGE = "model answered in another language"
NOT_SENT = "not sent to the model"
NO_CHAT_MODEL = "no chat model named"


class ModelListFailed(Exception):
    """``GET /v1/models`` gave no usable list. ``reason`` is one of the phrases above, or
    ``"no list"`` when the server has no such endpoint; ``detail`` is for the log."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ModelChoice:
    """The model that writes answers, or None and why not; ``how`` says how it was chosen
    ("BRIEFBOT_MODEL", "the default", "the server's only model"), for ``briefbot doctor``."""

    model: str | None
    reason: str | None = None
    how: str = ""


ListModels = Callable[[Settings], Sequence[str]]


def turned_off(settings: Settings) -> bool:
    return (settings.model or "").strip().lower() == OFF


def choose_without_asking(settings: Settings) -> ModelChoice | None:
    """The choice when the settings alone decide it; None when the server must be asked."""
    if turned_off(settings):
        return ModelChoice(None, TURNED_OFF, "BRIEFBOT_MODEL")
    if not (settings.openai_api_key or settings.openai_base_url):
        return ModelChoice(None, NO_KEY)
    if settings.model:
        return ModelChoice(settings.model, how="BRIEFBOT_MODEL")
    if not settings.openai_base_url:
        return ModelChoice(DEFAULT_MODEL, how="the default for OPENAI_API_KEY")
    return None


def choose_from_list(settings: Settings, listed: Sequence[str]) -> ModelChoice:
    """The choice among the models a server lists (see the module docstring)."""
    names = sorted(dict.fromkeys(m for m in listed if m and m != settings.embedding_model))
    if len(names) == 1:
        return ModelChoice(names[0], how="the server's only model")
    if DEFAULT_MODEL in names:
        return ModelChoice(DEFAULT_MODEL, how="the default, which the server lists")
    where = f"OPENAI_BASE_URL {shown_url(settings.openai_base_url or '')}"
    if not names and settings.embedding_model:
        return ModelChoice(None, NO_CHAT_MODEL)
    if not names:
        raise ConfigError(
            f"{where} lists no models; set BRIEFBOT_MODEL to the model to use "
            "(or BRIEFBOT_MODEL=none for extractive answers)."
        )
    named = ", ".join(names[:NAMED_CHOICES])
    if len(names) > NAMED_CHOICES:
        named += f" and {len(names) - NAMED_CHOICES} more"
    raise ConfigError(
        f"{where} serves {len(names)} models ({named}); set BRIEFBOT_MODEL to one of them "
        "(or BRIEFBOT_MODEL=none for extractive answers)."
    )


def shown_url(url: str) -> str:
    """``url`` without a user name or password, which may hold a credential."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(not a valid URL)"
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _list_with_openai(settings: Settings) -> Sequence[str]:
    from bot.core.chat import list_models  # imports openai: only when a server is asked

    return list_models(settings)


class ModelResolver:
    """Decides the model once per process and remembers it (thread-safe).

    A server that could not be reached is asked again after ``retry_seconds``; a
    configuration error (several models, none listed) is raised again at every call.
    """

    def __init__(
        self,
        settings: Settings,
        list_models: ListModels = _list_with_openai,
        *,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._list_models = list_models
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._decided: ModelChoice | ConfigError | None = choose_without_asking(settings)
        self._failed: tuple[ModelChoice, float] | None = None

    def choice(self) -> ModelChoice:
        """The model that writes answers now, or none and why (the server could not be
        asked); raises ConfigError when the settings and the server together name no
        single model."""
        with self._lock:
            if self._decided is None:
                self._decided = self._ask_server()
            decided, failed = self._decided, self._failed
        if isinstance(decided, ConfigError):
            raise decided
        if decided is None:
            assert failed is not None  # _ask_server records why it decided nothing
            return failed[0]
        return decided

    def _ask_server(self) -> ModelChoice | ConfigError | None:
        """The decision, or None (with ``_failed`` set) while the server cannot be asked.
        Called with the lock held."""
        now = self._clock()
        if self._failed is not None and now - self._failed[1] < self._retry_seconds:
            return None
        try:
            listed = self._list_models(self.settings)
        except ModelListFailed as failure:
            if failure.reason != "no list":
                self._failed = (ModelChoice(None, failure.reason), now)
                return None
            if self.settings.openai_api_key is not None:
                return ModelChoice(DEFAULT_MODEL, how="the default (the server lists no models)")
            if self.settings.embedding_model:
                return ModelChoice(None, NO_CHAT_MODEL)
            return ConfigError(
                f"OPENAI_BASE_URL {shown_url(self.settings.openai_base_url or '')} does not "
                "list its models; set BRIEFBOT_MODEL to the model to use."
            )
        try:
            return choose_from_list(self.settings, listed)
        except ConfigError as error:
            return error
