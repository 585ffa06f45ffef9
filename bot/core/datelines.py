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

from bot.core.wordnet import WordNet, wordnet
from bot.core.words import STOPWORDS, words

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
_OUTLET = r"(?:The\s+|the\s+)?[A-ZÀ-Þ][\w'’.&\-]*(?:\s+(?:[A-ZÀ-Þ&][\w'’.&\-]*|of|and))*"
_BYLINE_OUTLET = re.compile(
    r"^By\s+[A-ZÀ-Þ][\w'’.\-]*(?:\s+[A-ZÀ-Þ][\w'’.\-]*){0,3}"
    r"(?:\s*,\s*|\s+[-–—|]\s+|\s+of\s+)"
    rf"(?P<outlet>{_OUTLET})"
    r"\s*$"
)
#: A dateline's agency is named as a byline's outlet is, every word capitalised: "(Tarn
#: News Service)", not "(File photo)" or "(Updated: 3pm)".
_AGENCY = re.compile(rf"{_OUTLET}$")
#: The words of a byline that say what the writer is, not where the story appeared
#: ("By Ana Ruiz, Staff Writer", "By Lee Park, Senior Correspondent"): the titles of
#: newsroom jobs.
_STAFF_TITLES = frozenset(
    "writer correspondent reporter editor columnist contributor staff producer "
    "photographer journalist bureau desk intern stringer".split()
)
#: The letters after a name that give a degree or an office ("By Ana Ruiz, PhD"), which a
#: byline's outlet may otherwise look like.
_POST_NOMINALS = frozenset(
    "phd md dphil mba ma msc bsc ba jd llm rn esq jr sr mp mep qc kc obe mbe cbe".split()
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
            if (
                _AGENCY.match(agency)
                and not any(ch.isdigit() for ch in agency)
                and _may_name_an_outlet(agency)
            ):
                return agency
        byline = _BYLINE_OUTLET.match(line)
        if byline is not None:
            outlet = byline.group("outlet").strip()
            if not any(w in _STAFF_TITLES for w in words(outlet)) and _may_name_an_outlet(outlet):
                return outlet
    return None


def _may_name_an_outlet(name: str) -> bool:
    """May ``name``, at the end of a byline or in a dateline's brackets, be an outlet's, as
    far as WordNet tells? Not a place or a time ("By Ana Ruiz, Tegucigalpa", "..., New
    York", "..., Monday"), nor, unless "The" starts it ("The Guardian"), one word of
    English ("(Updated)", "(Photo)", "Jr.") or English words only, one a person ("Chief
    Economist", "Professor of Law"; but "Miami Herald"): what the writer is. In doubt the source
    is the file's name, which is honest, where a wrong outlet would mislead."""
    if name.replace(" ", "").lower().rstrip(".") in _POST_NOMINALS or re.search(r"\w\.\w", name):
        return False  # "By Ana Ruiz, Ph.D." / "MD": a degree, not a paper
    net = wordnet()
    if net.commonest_file(name) in ("noun.location", "noun.time"):
        return False
    if name.startswith(("The ", "the ")):
        return True
    own = [w.lower() for w in name.split() if w.lower() not in STOPWORDS]
    english = [w for w in own if _english(net, w)]
    if len(own) == 1 and english:
        return False
    person = any(
        (s := net.senses(w, "n")) and s[0].lexname == "noun.person" and w in s[0].words
        for w in english
    )
    return not (own and english == own and person)


def _english(net: WordNet, word: str) -> bool:
    """Is ``word`` a word WordNet lists in lower case ("herald", "updated"), not only a
    name ("Miami", "Sunday")?"""
    return any(
        lemma in s.words
        for pos in "nvar"
        for lemma in net.base_forms(word, pos)
        for s in net.senses(lemma, pos)
    )
