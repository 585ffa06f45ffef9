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
from storage.upsert import SOURCE_CHARS

BYLINE = re.compile(
    r"^(?:by|von|por|par)\s+[A-ZÀ-Þ]"
    r"|^(?:published|updated|posted|last\s+updated|first\s+published|filed)\b"
    r"|^(?:photo|photograph|image|picture|credit|caption|reporting\s+by|editing\s+by|"
    r"writing\s+by|additional\s+reporting|copyright|©)",
    re.IGNORECASE,
)
# "TEGUCIGALPA, Honduras (Reuters) — " or "WASHINGTON - ": an upper-case place, perhaps a
# region or a date, perhaps an agency, then a dash. A hyphen is part of a word only
# before a letter ("WINSTON-SALEM"), so the dash after it ("WASHINGTON-- ") is read one
# way only: a line of 100,000 hyphens is read once, not once for every hyphen.
DATELINE = re.compile(
    r"^[A-ZÀ-Þ](?:[A-ZÀ-Þ'’.]|-(?=[A-ZÀ-Þ]))+(?:\s+[A-ZÀ-Þ](?:[A-ZÀ-Þ'’.]|-(?=[A-ZÀ-Þ]))+)*"
    r"(?:,\s*[A-ZÀ-Þ0-9](?:[\w'’.]|-(?=\w))*(?:\s+[A-ZÀ-Þ0-9](?:[\w'’.]|-(?=\w))*){0,3})?"
    r"(?:,?\s*\((?P<agency>[^()\n]{1,40})\))?\s*[-–—]+\s+"
)
# "By Oriel Hathaway, Merrowgate Courier": a name, then (after a comma, a dash, a bar or
# "of the") the rest of the line, in parts: what the writer is, the outlet, where and when
# ("By Ilse Marwick, health correspondent, The Caldry Times, 3 March 2028"). A writer's
# name has two words or more: "By Tuesday, Lenhaven City Council, which ..." starts a
# sentence.
_BYLINE = re.compile(
    r"^By\s+(?P<writer>[A-ZÀ-Þ][\w'’.\-]*(?:\s+[A-ZÀ-Þ][\w'’.\-]*){1,3})"
    r"(?P<rest>(?:\s*,\s*|\s+[-–—|]\s+|\s+of\s+).*)$"
)
_BYLINE_PARTS = re.compile(r"\s*,\s*|\s+[-–—|]\s+|^\s+of\s+")
# An outlet's name: every word of it capitalised ("The Guardian", "Miami Herald", "Tarn
# News Service", "Harbour & Freight Review").
_OUTLET = re.compile(
    r"(?:The\s+|the\s+)?[A-ZÀ-Þ][\w'’.&\-]*(?:\s+(?:[A-ZÀ-Þ&][\w'’.&\-]*|of|and))*"
)
#: Words that make capitalised words a phrase rather than a name, anywhere but as its
#: first "The": "For The Washington Post", "Photos By Mark Lee", "In Kyiv", "Welcome To
#: The Lenhaven Courier", "Download The App", "Lenhaven Courier Is Your Trusted Source".
_NOT_IN_A_NAME = frozenset(
    "the at by for from in on to with is are was were will we you our your".split()
)
#: The words a paper's name ends with ("Meridian Coast Times", "Evening Standard"): in
#: a link's text, a name of English words alone may be a masthead's with one.
_PAPER_WORDS = frozenset(
    "times post herald courier courant gazette tribune journal chronicle observer standard "
    "echo express mail telegraph guardian independent mirror star sun press monitor "
    "bulletin dispatch examiner inquirer enquirer register sentinel advertiser argus "
    "globe ledger record review daily weekly".split()
)
#: What a byline says before the outlet of a writer not on its staff: "Special to The
#: Post", "for The Washington Post".
_WRITING_FOR = re.compile(r"^(?:special\s+)?(?:to|for)\s+", re.I)
#: The words of a byline that say what the writer is, not where the story appeared
#: ("By Ana Ruiz, Staff Writer", "By Lee Park, Senior Correspondent"): the titles of
#: newsroom jobs.
_STAFF_TITLES = frozenset(
    "writer correspondent reporter editor columnist contributor staff producer "
    "photographer journalist bureau desk intern stringer critic commentator presenter "
    "broadcaster host cartoonist photojournalist".split()
)
#: The letters after a name that give a degree or an office ("By Ana Ruiz, PhD"), which a
#: byline's outlet may otherwise look like.
_POST_NOMINALS = frozenset(
    "phd md dphil mba ma msc bsc ba jd llm rn esq jr sr mp mep qc kc obe mbe cbe".split()
)
#: Lines read for a byline or a dateline: the article's first few.
_HEAD_LINES = 4
#: The longest line read as a byline: a byline is short, even with the story's first
#: sentence after it, and each of its parts is looked up in WordNet.
_BYLINE_CHARS = 1_000


def outlet_named(text: str) -> str | None:
    """The outlet the article names in its byline or dateline, if it names one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:_HEAD_LINES]
    for line in lines:
        dateline = DATELINE.match(line)
        if dateline is not None:
            # A dateline's agency is named as a byline's outlet is: "(Tarn News Service)",
            # not "(File photo)" or "(Updated: 3pm)"; a byline may follow the dateline
            # ("PORT ELVERY, 17 May 2028 - By Callan Whitrow, The Elvery Echo").
            agency = (dateline.group("agency") or "").strip()
            if agency and (named := outlet_name(agency)) is not None:
                return named
            line = line[dateline.end() :]
        byline = _BYLINE.match(line) if len(line) <= _BYLINE_CHARS else None
        if byline is None or wordnet().commonest_file(byline.group("writer")) == "noun.time":
            continue  # "By Election Day, Lenhaven City Council, which ...": a sentence
        if (named := _one_outlet(byline.group("rest"))) is not None:
            return named
    return None


def outlet_name(name: str) -> str | None:
    """``name``, stripped, when it may be an outlet's name: every word capitalised, no
    digits, not a phrase (:data:`_NOT_IN_A_NAME`), a credit or a time stamp ("Photos by
    ...", "Published Monday"), and not a place, a time or what a person is
    (:func:`_may_name_an_outlet`). A name longer than the source column is none: cut
    short, it would name another outlet, or none."""
    name = name.strip()
    if (
        not name
        or len(name) > SOURCE_CHARS
        or any(ch.isdigit() for ch in name)
        or _OUTLET.fullmatch(name) is None
        or _is_a_phrase(name)
        or BYLINE.match(name)
        or not _may_name_an_outlet(name)
    ):
        return None
    return name


def masthead_name(name: str) -> str | None:
    """``name``, stripped, when it may be an outlet's name (:func:`outlet_name`) with
    nothing around it to say it is one, as the text of a link to a site's home page: it
    starts with "The" ("The Lenhaven Courier"), or it has two words or more, one of them a
    name rather than English ("Lenhaven Courier", "BBC News") or the last a paper's
    ("Meridian Coast Times", "Daily Mail"). A site's own labels are English
    words ("Home Page", "Skip To Content", "Privacy Policy", "Site Logo"), and one word
    alone may be a language ("Deutsch") or a part of the site ("Sitemap")."""
    named = outlet_name(name)
    if named is None or named.startswith("The "):
        return named
    net = wordnet()
    names = named.split()
    own = [w.lower() for w in names if w.lower() not in STOPWORDS]
    if len(names) > 1 and (
        not all(net.lists_in_lower_case(w) for w in own)
        or (names[-1].lower() in _PAPER_WORDS and len(own) > 1)
    ):
        return named
    return None


def _is_a_phrase(name: str) -> bool:
    """Does ``name`` hold a word of :data:`_NOT_IN_A_NAME`, other than a first "The"?"""
    names = name.split()
    if names[0] in ("The", "the"):
        names = names[1:]
    return any(w.lower() in _NOT_IN_A_NAME for w in names)


def _one_outlet(rest: str) -> str | None:
    """The outlet in a byline's parts after the writer's name, when one part alone may
    name one (:func:`_byline_outlet`). Two are a second writer and the outlet ("By Ana
    Ruiz, Lee Park, The Times", "By Ana Ruiz, Lee Park | Reuters") or two writers'
    outlets, and which is the story's is not sure. A writer who is something outside a
    newsroom ("Senior Fellow", "a professor of law") names where they work beside it
    ("Brookings Institution"), not the outlet."""
    parts = [part.strip() for part in _BYLINE_PARTS.split(rest)]
    if any(_an_outside_writer(part) for part in parts):
        return None
    named = {_byline_outlet(part) for part in parts} - {None}
    return named.pop() if len(named) == 1 else None


def _an_outside_writer(part: str) -> bool:
    """Does ``part`` of a byline say what the writer is, but not a newsroom's job
    (:data:`_STAFF_TITLES`): "Senior Fellow", "Chief Economist", "a professor of law"?"""
    return (
        not part.startswith(("The ", "the "))
        and not any(w in _STAFF_TITLES for w in words(part))
        and _says_what_a_person_is(wordnet(), part)
    )


def _byline_outlet(part: str) -> str | None:
    """``part`` of a byline after the writer's name, when it is the outlet (perhaps
    "Special to" it): not what the writer is ("health correspondent", "Staff Writer"),
    nor a place in capitals as a dateline gives it ("PORT CALVISSE"), nor a date."""
    if any(w in _STAFF_TITLES for w in words(part)) or (part.isupper() and len(part) > 3):
        return None
    return outlet_name(_WRITING_FOR.sub("", part))


def _may_name_an_outlet(name: str) -> bool:
    """May ``name``, at the end of a byline or in a dateline's brackets, be an outlet's, as
    far as WordNet tells? Not a place or a time ("By Ana Ruiz, Tegucigalpa", "..., New
    York", "..., Monday"), nor, unless "The" starts it ("The Guardian"), stop words only
    ("News", "Latest News"), one word of English ("(Updated)", "(Photo)", "Jr.") or
    English words only, one a person ("Chief Economist", "Professor of Law"; but "Miami
    Herald"): what the writer is. In doubt the source is the file's name, which is
    honest, where a wrong outlet would mislead."""
    if name.replace(" ", "").lower().rstrip(".") in _POST_NOMINALS or re.search(r"\w\.\w", name):
        return False  # "By Ana Ruiz, Ph.D." / "MD": a degree, not a paper
    net = wordnet()
    if net.commonest_file(name) in ("noun.location", "noun.time"):
        return False
    if name.startswith(("The ", "the ")):
        return True
    own = [w.lower() for w in name.split() if w.lower() not in STOPWORDS]
    if not own:
        return False  # "News", "Latest News", "US News": a section or a label
    if len(own) == 1 and net.lists_in_lower_case(own[0]):
        return False
    return not _says_what_a_person_is(net, name)


def _says_what_a_person_is(net: WordNet, name: str) -> bool:
    """Is ``name`` English words only, one of them a person ("Chief Economist", "a
    professor of law"; not "Miami Herald")?"""
    own = [w.lower() for w in name.split() if w.lower() not in STOPWORDS]
    return (
        bool(own)
        and all(net.lists_in_lower_case(w) for w in own)
        and any(
            (s := net.senses(w, "n")) and s[0].lexname == "noun.person" and w in s[0].words
            for w in own
        )
    )
