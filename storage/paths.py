"""Paths as a user writes them in settings and on the command line. No dependencies: the
settings read it before any command runs."""

from __future__ import annotations

from pathlib import Path


def home_expanded(path: Path) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded, or as given when there is no
    such home (the shell leaves ``~nobody`` as typed too)."""
    try:
        return path.expanduser()
    except RuntimeError:
        return path
