"""Text as the database can store it: one function for every value that is written.

PostgreSQL's ``text`` and ``json`` cannot hold NUL, and neither backend can encode a lone
surrogate (what Python makes of bytes that are not UTF-8, or of a JSON ``"\\ud800"``).
Such characters arrive from outside (a Slack message, a command-line argument, a model's
answer); each becomes U+FFFD, so the exchange is logged with a visible mark where the
character was, instead of the write failing and the exchange being lost.
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: Any) -> Any:
    """``value`` with every string in it (inside lists and dicts too) made storable."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
