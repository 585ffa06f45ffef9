"""People named by their role: who holds the role a question asks about.

News gives a person's full name and role once ("said Marisol Quintanar, the coalition's
spokesperson") and the surname alone after ("Quintanar said the group was not opposed to
fighting human trafficking"). A question that asks about the role ("What did the
coalition's spokeswoman say about trafficking?") is answered by the later sentence too:
in that article, the surname names the spokeswoman.
"""

from __future__ import annotations

import re

from bot.core.lexicon import respellings
from bot.core.query import Query
from bot.core.terms import Term
from bot.core.wordnet import WordNet, wordnet
from bot.core.words import STOPWORDS, fold, stem

#: A person's full name: two or more capitalised words ("Marisol Quintanar", "Priya
#: Castellanos-Moore").
_FULL_NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+")
_WORD = re.compile(r"[^\W_]+")


def could_be_surname(word: str) -> bool:
    """A capitalised word that may be someone's name: WordNet knows it, if at all, only as
    a person ("Nielsen", "Kowalczyk"; not "Tuesday", "Honduras" or "Summit")."""
    if not word[:1].isupper():
        return False
    senses = [s for pos in "nvar" for s in wordnet().senses(word, pos)]
    return all(s.lexname == "noun.person" and s.words[0][:1].isupper() for s in senses)


def spellings(surnames: set[str]) -> frozenset[str]:
    """``surnames`` with the other spellings news may give them (:func:`respellings`:
    "nielson" for "nielsen"; the seed misspells her in the very sentence that says what
    the secretary called the memorandum)."""
    return frozenset(surnames).union(*(respellings(name) for name in surnames))


def role_terms(query: Query) -> list[Term]:
    """The roles ``query`` asks about: the one whose words it asks for ("the *spokeswoman*"
    in "What did the spokeswoman say?"), the person a "who" question must find named
    ("Who is the *captain*?"), or any other noun that is first a person ("Why does the
    *chairman* say fencing won't work?"), in the singular: one person holds it ("the
    activists" are not the person named beside them)."""
    net = wordnet()
    return [
        t
        for t in query.terms
        if not t.anchor
        and (t.required or t.word == query.speaker or _a_person(net, t.word))
        and t.word in net.base_forms(t.word, "n")
    ]


def _a_person(net: WordNet, word: str) -> bool:
    """Is ``word`` first of all a noun for a person ("chairman", "spokeswoman")?"""
    return net.commonest_file(word) == "noun.person"


def holders_of(term: Term, text: str, text_stems: list[str] | tuple[str, ...]) -> set[str]:
    """The surname (folded: lower case, no accents) of the person ``text`` names beside
    the role ``term`` (:func:`_beside`): the full name nearest the role's word, when its
    last word may be a person's name. Empty when ``text`` does not name the role by its
    word (or a kind of it)."""
    if term.credit(text_stems, frozenset(text_stems)) < 1.0:
        return set()
    at = [m.span() for m in _WORD.finditer(text) if stem(m.group(0).lower()) in term.stems]
    names = [
        m
        for m in _FULL_NAME.finditer(text)
        if could_be_surname(m.group(0).split()[-1]) and any(_beside(text, m.span(), a) for a in at)
    ]
    if not names:
        return set()
    nearest = min(names, key=lambda m: min(abs(m.start() - a) for a, _ in at))
    return {fold(nearest.group(0).split()[-1])}


#: The words that may stand between a name and its role: "Ivo Drescott, *the growers'*
#: chairman", "Anton Reyes, *a* spokesman"; not a verb ("Ana Ruiz *said the* victim").
_BETWEEN = frozenset("the a an s of for its their his her".split())
_MAX_BETWEEN = 4


def _beside(text: str, name: tuple[int, int], role: tuple[int, int]) -> bool:
    """Is the name at ``name`` beside the role's word at ``role`` in ``text``: at most a
    few words apart, none of them a function word in lower case but for an article, a
    possessive or a preposition of the role ("of", "for"; "Kirstjen Nielsen, the *US*
    Secretary" is beside, "Ana Ruiz *said* the victim" is not)?"""
    gap = text[name[1] : role[0]] if name[1] <= role[0] else text[role[1] : name[0]]
    between = _WORD.findall(gap)
    return len(between) <= _MAX_BETWEEN and all(
        w in _BETWEEN or w not in STOPWORDS or w[:1].isupper() for w in between
    )
