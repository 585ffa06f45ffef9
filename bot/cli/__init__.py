"""The ``briefbot`` command: thin wrappers that parse arguments, call the core, and print.

Each group of commands has its own module: :mod:`bot.cli.answers` (ask, quote, sources,
eval), :mod:`bot.cli.ingest` (ingest, feeds), :mod:`bot.cli.digest`,
:mod:`bot.cli.service` (serve, clock, doctor, db) and :mod:`bot.cli.logs`. A command
imports what it uses when it runs, so ``briefbot ask`` loads neither Slack, nor the
evaluation, nor what only ingest needs (``tests/test_cli_start.py`` checks it).

Every failure a user can cause ends in one line on stderr (``error: ...``) and a non-zero
exit status; nothing here prints a traceback unless ``BRIEFBOT_DEBUG=1``. A reader that
goes away (``briefbot logs export | head``) is no failure: the command ends quietly with
:data:`READER_GONE`, as a Unix tool that SIGPIPE ends.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from bot.cli import answers, digest, ingest, logs, service
from bot.cli.common import shown
from bot.cli.help import HelpfulGroup
from bot.errors import BriefbotError, ConfigError, DatabaseError
from bot.logsetup import configure as configure_logging
from bot.logsetup import redact
from storage.db import DatabaseUnavailable, DatabaseUnusable, DatabaseUrlError, explained

log = logging.getLogger("briefbot")

#: The exit status when stdout's reader went away: 141, as the shell reports a tool that
#: SIGPIPE ended (``cat``, ``grep``), so ``set -o pipefail`` reads briefbot as it reads them.
READER_GONE = 128 + signal.SIGPIPE


class ReaderGone(Exception):
    """stdout is a pipe whose reader has gone away; :func:`main` ends quietly."""


def _stdout_reader_gone() -> bool:
    """Is stdout a pipe nobody reads any more (poll says POLLERR)? Not a socket of some
    library's that broke: that failure is its own."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll, no file descriptor
        return False


@contextmanager
def _reader_watched() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError as exc:
        if not _stdout_reader_gone():
            raise
        raise ReaderGone from exc


class _Briefbot(HelpfulGroup):
    """The root command. click takes a write to a pipe whose reader left (EPIPE) for a
    failure and exits 1 without a word; here it is :class:`ReaderGone` instead, for
    :func:`main` to end quietly with :data:`READER_GONE`."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _reader_watched():  # --help is printed while the arguments are parsed
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _reader_watched():
            return super().invoke(ctx)


@click.group(
    cls=_Briefbot,
    with_examples=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("-v", "--verbose", is_flag=True, help="Log what briefbot is doing to stderr.")
@click.version_option(package_name="briefbot")
def cli(verbose: bool) -> None:
    """briefbot: grounded, cited briefings on one story, from stored articles.

    Configuration comes from the environment (and a .env file); see the README.
    """
    configure_logging(verbose, tracebacks=os.environ.get("BRIEFBOT_DEBUG") == "1")


for command in (
    answers.ask,
    answers.quote,
    answers.sources,
    answers.eval_,
    ingest.ingest,
    ingest.feeds,
    digest.digest,
    service.serve,
    service.clock,
    service.doctor,
    service.db,
    logs.logs,
):
    cli.add_command(command)


# ---------------------------------------------------------------------- entry point


def _fail(message: str, code: int) -> NoReturn:
    lines = message.strip().splitlines() or [""]
    # One line, whatever a library raised, and masked as log lines are: a driver's
    # message may repeat a secret (a password it was given). What a terminal acts on is
    # escaped: the line may name a file, or a model a server listed.
    click.echo(f"error: {shown(redact(lines[0]))}", err=True)
    sys.exit(code)


def _reader_left() -> NoReturn:
    """End quietly: what is still buffered for stdout goes nowhere (not to the pipe, where
    flushing it would fail again at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    sys.exit(READER_GONE)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the CLI and turns failures into one line."""
    debug = os.environ.get("BRIEFBOT_DEBUG") == "1"
    run: Callable[..., Any] = cli.main
    try:
        run(args=argv, prog_name="briefbot", standalone_mode=False)
    except ReaderGone:
        _reader_left()
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except BriefbotError as exc:
        _fail(exc.message, exc.exit_code)
    except (DatabaseUrlError, DatabaseUnusable) as exc:  # DATABASE_URL names the wrong thing
        _fail(str(exc), ConfigError.exit_code)
    except DatabaseUnavailable as exc:  # exit 3 means this, and only this
        _fail(str(exc), DatabaseError.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:
        if debug:
            raise
        log.debug("unexpected failure", exc_info=True)
        known = explained(exc)  # a database failure met mid-command
        if isinstance(known, DatabaseUnusable):
            _fail(str(known), ConfigError.exit_code)
        if isinstance(known, DatabaseUnavailable):
            _fail(str(known), DatabaseError.exit_code)
        _fail(f"unexpected {type(exc).__name__}: {exc} (set BRIEFBOT_DEBUG=1 for details)", 1)


if __name__ == "__main__":
    main()
