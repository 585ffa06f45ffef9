"""Where the bundled prompts, corpus and Slack manifest live.

In a wheel they are copied into ``bot/_bundled/`` (see ``pyproject.toml``); in a checkout
or an editable install they are the repository's top-level ``prompts/``, ``corpus/`` and
``slack-manifest.yml``.
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


def bundled_file(name: str) -> Path:
    """The file ``name`` ("slack-manifest.yml")."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"briefbot's bundled {name} is missing from this install")
