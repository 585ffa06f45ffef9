"""The lines of a news article that are about it rather than of it: a byline ("By Ana
Ruiz, Staff Writer"), a dateline ("TEGUCIGALPA, March 28 (Reuters) — "), a publication
stamp, a credit; and the outlet they name.

A plain-text article has no metadata, but news names its outlet in its first lines: a
wire story in its dateline ("BRENMOUTH, 30 November (Northern News Service) — A fire
..."), a paper's story in its byline ("By Oriel Hathaway, Merrowgate Courier").
:func:`outlet_named` reads it there, so that "What does the news service say?" finds the
story, and a citation says where the story comes from.
"""

from __future__ import annotations

import re

BYLINE = re.compile(
    r"^(?:by|von|por|par)\s+[A-ZÀ-Þ]"
    r"|^(?:published|updated|posted|last\s+updated|first\s+published|filed)\b"
    r"|^(?:photo|photograph|image|picture|credit|caption|reporting\s+by|editing\s+by|"
    r"writing\s+by|additional\s+reporting|copyright|©)",
    re.IGNORECASE,
)
# "TEGUCIGALPA, Honduras (Reuters) — " or "WASHINGTON - ": an upper-case place, perhaps a
# region or a date, perhaps an agency, then a dash.
DATELINE = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]+)*"
    r"(?:,\s*[A-ZÀ-Þ0-9][\w'’.\-]*(?:\s+[A-ZÀ-Þ0-9][\w'’.\-]*){0,3})?"
    r"(?:,?\s*\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]+\s+"
)
# "By Oriel Hathaway, Merrowgate Courier": a name, then (after a comma, a dash or "of
# the") the outlet, every word of it capitalised.
_BYLINE_OUTLET = re.compile(
    r"^By\s+[A-ZÀ-Þ][\w'’.\-]*(?:\s+[A-ZÀ-Þ][\w'’.\-]*){0,3}"
    r"(?:\s*,\s*|\s+[-–—|]\s+|\s+of\s+)"
    r"(?P<outlet>(?:The\s+|the\s+)?[A-ZÀ-Þ][\w'’.&\-]*(?:\s+(?:[A-ZÀ-Þ&][\w'’.&\-]*|of|and))*)"
    r"\s*$"
)
#: The words of a byline that say what the writer is, not where the story appeared
#: ("By Ana Ruiz, Staff Writer", "By Lee Park, Senior Correspondent"): the titles of
#: newsroom jobs.
_STAFF_TITLES = frozenset(
    "writer correspondent reporter editor columnist contributor staff producer "
    "photographer journalist bureau desk intern stringer".split()
)
#: Lines read for a byline or a dateline: the article's first few.
_HEAD_LINES = 4


def outlet_named(text: str) -> str | None:
    """The outlet the article names in its byline or dateline, if it names one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:_HEAD_LINES]
    for line in lines:
        dateline = DATELINE.match(line)
        if dateline is not None and dateline.group("agency"):
            agency = dateline.group("agency").strip()
            if agency[:1].isupper() and not any(ch.isdigit() for ch in agency):
                return agency
        byline = _BYLINE_OUTLET.match(line)
        if byline is not None:
            outlet = byline.group("outlet").strip()
            if not any(w.lower() in _STAFF_TITLES for w in outlet.split()):
                return outlet
    return None
