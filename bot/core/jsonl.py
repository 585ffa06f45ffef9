"""Reading the JSON and JSON Lines files a user hands briefbot (``eval`` question sets,
``ask --history``), as the formats define them, with one-line errors.

* The file is UTF-8, with or without a byte order mark (as ``ingest`` reads text).
* JSON Lines are split on ``\\n`` only (a ``\\r`` before it is JSON whitespace). Python's
  ``str.splitlines`` would also split on U+2028, U+0085 and friends, which are legal,
  unescaped, inside a JSON string.
* A document nested deeper than the parser can follow is refused as such, not with a
  ``RecursionError``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.errors import InputError

#: The most a question set or a history file may hold. Far past any real one, it keeps a
#: file that never ends (``/dev/zero``, ``/dev/urandom``, a pipe from ``yes``) from
#: filling memory: those pass ``click.Path``'s checks, as a pipe must (``<(...)``).
MAX_BYTES = 100_000_000


def read_text(path: Path, what: str, limit: int = MAX_BYTES) -> str:
    """The file's text; ``what`` names it in errors (``"--history turns.json"``).

    The file is opened without blocking: a named pipe that nothing writes to opens at
    once and reads as empty, where a plain open would wait for a writer for ever. Reading
    blocks as usual, so a pipe with a writer (``<(...)``) is read to its end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"{what}: larger than {limit:,} bytes (is it the right file?)")
        return data.decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{what}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        ) from exc
    except OSError as exc:
        raise InputError(f"{what}: cannot read it ({exc.strerror or exc})") from exc


def parse(text: str, what: str) -> Any:
    """One JSON document; ``what`` names it (and its line) in errors."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise InputError(f"{what}: JSON nested too deeply") from exc


def lines(text: str) -> Iterator[tuple[int, str]]:
    """The numbered lines of a JSON Lines text that hold something (blank lines and
    ``#`` comments are skipped)."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip(" \t\r")
        if stripped and not stripped.startswith("#"):
            yield number, line
