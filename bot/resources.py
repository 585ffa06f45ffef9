"""Where the bundled prompts and corpus live.

In a wheel they are copied into ``bot/_bundled/`` (see ``pyproject.toml``); in a checkout
or an editable install they are the repository's top-level ``prompts/`` and ``corpus/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder for ``name`` ("prompts" or "corpus")."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefbot's bundled {name}/ folder is missing from this install")
