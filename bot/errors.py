"""Errors a user can act on.

Every failure that reaches a person (a CLI user, a Slack user) is a :class:`BriefbotError`
with a one-line message. The CLI prints it and exits non-zero; Slack replies politely.
Anything else is a bug and is logged with its traceback, never shown raw to a user.
"""

from __future__ import annotations

import uuid


def new_log_id() -> str:
    """An id for one failure or one exchange, shown to the person it happened to and
    written beside it in the application log (an answer's is its conversation log row's)."""
    return uuid.uuid4().hex[:12]


def apology(log_id: str, doing: str = "answering") -> str:
    """What a person sees when something failed that they cannot fix: a short apology and
    the id that finds the failure in the conversation log or the application log."""
    return f"Sorry, something went wrong while {doing}. The log id is {log_id}."


def restart_apology(log_id: str, doing: str = "answering") -> str:
    """What a person sees when briefbot stopped (a restart, a deploy) before it was done."""
    return (
        f"Sorry, briefbot restarted before it finished {doing}; please try again. "
        f"The log id is {log_id}."
    )


class BriefbotError(Exception):
    """A failure with a one-line, user-facing explanation."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(BriefbotError):
    """A setting is missing or wrong."""

    exit_code = 2


class DatabaseError(BriefbotError):
    """The database cannot be reached or migrated."""

    exit_code = 3


class InputError(BriefbotError):
    """A question, topic, file or argument that briefbot cannot use."""

    exit_code = 2


class IngestError(BriefbotError):
    """One article could not be ingested; the others still are."""
