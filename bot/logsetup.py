"""Logging that cannot leak secrets.

Every log record that reaches a handler, from our code or a library's (slack_sdk logs
request headers at DEBUG), has tokens and keys masked by :class:`RedactSecrets`, in its
message and in its traceback: the configured secret values themselves, and anything
shaped like a Slack token, an OpenAI key or a bearer credential.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_SHAPES = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|sk-[A-Za-z0-9_-]{8,}|"
    r"(?i:bearer)\s+[A-Za-z0-9._~+/=-]+)"
)
MASK = "***"
_secrets: set[str] = set()


def redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, MASK)
    return _SHAPES.sub(MASK, text)


class RedactSecrets(logging.Filter):
    """A handler filter that masks secrets in each record, in place, and lets it through.

    The message is formatted and masked. The traceback is formatted once, masked and kept
    as ``exc_text``, which every formatter prints instead of formatting ``exc_info``
    again; ``exc_info`` itself stays, for a handler that wants the exception (an error
    tracker, pytest's ``caplog``).
    """

    _tracebacks = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the caller's bug; leave it be
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = self._tracebacks.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


REDACTION = RedactSecrets()


def install_redaction(secrets: Iterable[str | None] = ()) -> None:
    """Mask ``secrets`` (and token-shaped strings) from now on, in every handler the root
    logger has (the one :func:`configure` makes, and any a test harness added)."""
    _secrets.update(s for s in secrets if s and len(s) >= 6)
    for handler in logging.getLogger().handlers:
        handler.addFilter(REDACTION)


class _Formatter(logging.Formatter):
    """Log lines that carry a traceback only when asked to.

    A command-line user sees one line per problem ("could not store exchange ..."); the
    traceback is for whoever debugs it (``-v``, ``BRIEFBOT_DEBUG=1``) and for the server's
    log (``briefbot serve`` turns tracebacks on).
    """

    tracebacks = False

    def format(self, record: logging.LogRecord) -> str:
        if self.tracebacks or not (record.exc_info or record.exc_text):
            return super().format(record)
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            return super().format(record) + " (traceback with -v or BRIEFBOT_DEBUG=1)"
        finally:
            record.exc_info, record.exc_text = saved


def show_tracebacks(show: bool = True) -> None:
    """Print tracebacks in log lines (a server wants them; a one-off command does not)."""
    _Formatter.tracebacks = show


#: The loggers whose records are briefbot's own.
OWN_LOGGERS = frozenset({"bot", "storage", "briefbot"})


class _OwnRecords(logging.Filter):
    """Without ``-v``, a command prints its own output and briefbot's own warnings, not
    what the libraries it drives log: trafilatura logs an ERROR for every page it finds
    no text in, which the ingest summary already reports as one failed item. A server
    (``briefbot serve``) shows the libraries' records too (:func:`show_library_logs`)."""

    libraries = False

    def filter(self, record: logging.LogRecord) -> bool:
        return self.libraries or record.name.partition(".")[0] in OWN_LOGGERS


def show_library_logs(show: bool = True) -> None:
    """Let the libraries' log records through too (``-v`` and ``serve`` do)."""
    _OwnRecords.libraries = show


def configure(
    verbose: bool = False, secrets: Iterable[str | None] = (), tracebacks: bool = False
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_OwnRecords())
    handler.addFilter(REDACTION)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    show_tracebacks(tracebacks or verbose)
    show_library_logs(verbose)
    # trafilatura warns about every page it cannot use; the ingest summary already says so.
    logging.getLogger("trafilatura").setLevel(logging.INFO if verbose else logging.ERROR)
    install_redaction(secrets)
