"""The ``briefbot`` console script: run the command, then leave at once.

When a command is done, everything it opened is closed (the database is disposed, files
and progress bars are closed, worker threads joined) and its output is written. What is
left is Python's own teardown: freeing some 500 modules and 80,000 objects one by one,
which takes about 0.15 s after an extractive ``briefbot ask`` (a third of its wall time)
and does nothing a user needs. So the console script flushes the output streams, shuts
logging down (flushing its handlers) and ends the process with :func:`os._exit` and the
command's exit status.

Only a command that ended normally (or with a ``SystemExit`` and its status, or with a
Ctrl-C while it loaded) leaves this way. Anything else (``BRIEFBOT_DEBUG=1`` lets
exceptions through) takes Python's usual path, traceback included. ``python -m bot.cli``
and the tests call :func:`bot.cli.main` directly and keep the usual exit.
"""

from __future__ import annotations

import logging
import os
import sys


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` would give (a message is printed, as it does)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def main() -> None:
    try:
        from bot.cli import main as run

        run()
        status = 0
    except SystemExit as exc:
        status = _status(exc.code)
    except KeyboardInterrupt:
        # Ctrl-C in the half second bot.cli and its libraries take to load, before
        # bot.cli.main is there to say it in one line.
        print("error: interrupted", file=sys.stderr)
        status = 130
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (`>&-`): what was written is lost
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # a reader that left (`| head`): as bot.cli.main says
            if not status:  # the command ran, so bot.cli is loaded
                from bot.cli import READER_GONE

                status = READER_GONE
        except (ValueError, OSError):
            status = status or 1
    logging.shutdown()
    os._exit(status)
