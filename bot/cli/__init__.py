"""The ``briefbot`` command: thin wrappers that parse arguments, call the core, and print.

Each group of commands has its own module: :mod:`bot.cli.answers` (ask, quote, sources,
eval), :mod:`bot.cli.ingest` (ingest, feeds), :mod:`bot.cli.digest`,
:mod:`bot.cli.service` (serve, clock, doctor, db) and :mod:`bot.cli.logs`. A command
imports what it uses when it runs, so ``briefbot ask`` loads neither Slack, nor the
evaluation, nor what only ingest needs (``tests/test_cli_start.py`` checks it).

Every failure a user can cause ends in one line on stderr (``error: ...``) and a non-zero
exit status; nothing here prints a traceback unless ``BRIEFBOT_DEBUG=1``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from bot.cli import answers, digest, ingest, logs, service
from bot.cli.help import HelpfulGroup
from bot.errors import BriefbotError, ConfigError, DatabaseError
from bot.logsetup import configure as configure_logging
from bot.logsetup import redact
from storage.db import DatabaseUnavailable, DatabaseUnusable, DatabaseUrlError, explained

log = logging.getLogger("briefbot")


@click.group(
    cls=HelpfulGroup,
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
    # message may repeat a secret (a password it was given).
    click.echo(f"error: {redact(lines[0])}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the CLI and turns failures into one line."""
    debug = os.environ.get("BRIEFBOT_DEBUG") == "1"
    run: Callable[..., Any] = cli.main
    try:
        run(args=argv, prog_name="briefbot", standalone_mode=False)
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
