"""``briefbot doctor``: check a deployment before the first Slack message does.

The checks run in this order, one line each: ✓, ✗ with the fix, or skipped with the
reason. A check whose premise failed (no database, no key) is skipped, not failed again.

====================  ======================================================================
settings              the environment and .env parse into Settings
profile               the story's profile (``BRIEFBOT_PROFILE`` or the corpus's) reads
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
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.config import Settings
from bot.doctor import local, model, slack
from bot.doctor.checks import CHECKS, Check, failed, ok, skipped
from bot.errors import BriefbotError

__all__ = ["CHECKS", "Check", "run_checks"]

log = logging.getLogger(__name__)


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
        (local.profile, ("profile",)),
        (local.database, ("database", "migrations", "corpus")),
        (local.tokenizer, ("tokenizer",)),
        (model.llm, ("llm_server", "llm_model", "llm_completion")),
        (model.embeddings, ("embeddings",)),
        (slack.slack, ("slack_token", "slack_scopes", "signing_secret", "socket_mode")),
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
