"""What each side of the story says, extractively: verbatim sentences with who said them.

The sides (and the words that mark them) belong to the story, not to this code: they come
from the corpus profile (:class:`bot.core.profile.Profile`), through :func:`story_sides`
and :func:`sides_of`.

A sentence is a statement of a side when someone says it, and the sentence names them:

* ``“...,” said Marisol Quintanar, the coalition's spokesperson, ...`` (speech, then who);
* ``“...,” the minister said.``;
* ``..., according to the Department of Homeland Security.``;
* ``Many activists from Central America have questioned ...`` (a subject that says,
  warns, describes, criticises... something).

The speaker must be a person or a body: a name (a capitalised word after the first), or
a word for people or organisations ("activists", "officials", "the coalition"); "it",
"the document" or "the text" are not speakers. Its side is the speaker's own when the
speaker's words mark one ("rights groups"), else the sentence's, else the whole
article's (its title and first paragraph), and the sentence is left out when that is
not exactly one side. Only articles whose title or first paragraph name a side take part:
"Opponents on the council raised concerns" about bus lanes is not a critic of the story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.profile import Profile
from bot.core.summaries import holder
from bot.core.text import has_bracketed_number, paragraph_spans, sentence_spans, squash
from bot.core.words import word_count, words
from storage.articles import DatedArticle, Passage

MAX_STATEMENTS = 3
MAX_SPEAKER_WORDS = 14
MAX_SENTENCE_WORDS = 70


def story_sides(profile: Profile) -> list[tuple[str, str]]:
    """The sides of the story, as (key, label) pairs, in the order the digest shows them."""
    return [(side.key, side.label) for side in profile.sides]


def sides_of(text: str, profile: Profile) -> set[str]:
    """The sides whose words ``text`` holds (keys of :func:`story_sides`)."""
    return profile.stances(text)


_VERBS = (
    "said|says|say|told|tells|tell|stated|states|state|argued|argues|argue|warned|warns|"
    "warn|described|describes|describe|called|calls|call|criticised|criticized|criticises|"
    "criticizes|criticise|criticize|condemned|condemns|condemn|praised|praises|praise|"
    "welcomed|welcomes|welcome|hailed|hails|hail|questioned|questions|question|added|adds|"
    "insisted|insists|insist|noted|notes|note|wrote|writes|write|announced|announces|"
    "maintained|maintains|maintain|claimed|claims|claim|urged|urges|urge|cautioned|cautions|"
    "caution|acknowledged|acknowledges|acknowledge|defended|defends|defend|dismissed|"
    "dismisses|dismiss|rejected|rejects|reject|accused|accuses|accuse|believes|believe|"
    "believed|contended|contends|contend|pointed out|points out|point out|expressed|"
    "expresses|express|raised|raises|raise"
)
_SAID = "said|says|added|adds|told|wrote|writes|stated|states|insisted|noted|argued|warned"
# The end of quoted speech: punctuation, then the closing mark ("...,” said").
_CLOSE = "[,!?…][”\"’']"
# speech, then the verb, then who: “...,” said Marisol Quintanar, the spokesperson, at ...
_AFTER_SPEECH_VERB_WHO = re.compile(rf"{_CLOSE}\s*(?:{_SAID})\s+(?P<who>[^.;:!?“”\"]+)")
# speech, then who, then the verb: “...,” the minister said.
_AFTER_SPEECH_WHO_VERB = re.compile(rf"{_CLOSE}\s*(?P<who>[^.;:!?“”\",]{{2,120}}?)\s+(?:{_SAID})\b")
# "Kirstjen Nielsen, the US Secretary of Homeland Security, said": a name, then its role.
_NAME_AND_ROLE = re.compile(
    r"^[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,4},\s+(?:the|a|an)\b[^,]+,?$"
)
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^.;:!?“”\"]+)", re.IGNORECASE)
# who, then the verb, at the start: Nielsen has described ...; A coalition ... has criticised
_SUBJECT = re.compile(
    r"^(?P<who>[^“”\"]{2,160}?)\s+(?:(?:has|have|had|also|again|publicly|repeatedly|"
    r"strongly|sharply|openly|recently|previously|had\s+also|have\s+also|has\s+also)\s+)*"
    rf"(?:{_VERBS})\b"
)
_PRONOUNS = frozenset(
    "he she they it we i you this that these those who which one some others many".split()
)
# Heads of noun phrases that name people or bodies: who can say something.
_PEOPLE = re.compile(
    r"\b(?:activists?|advocates?|analysts?|ambassadors?|authorit(?:y|ies)|board|campaigners?|"
    r"chairs?|chairman|chairwoman|coalitions?|commissions?|committees?|congress|"
    r"correspondents?|councils?|councillors?|critics?|delegates?|delegations?|departments?|"
    r"diplomats?|directors?|economists?|experts?|farmers?|governments?|governors?|groups?|"
    r"journalists?|judges?|lawmakers?|lawyers?|leaders?|legislators?|mayors?|members?|"
    r"ministers?|ministr(?:y|ies)|mission|networks?|ngos?|observers?|officials?|"
    r"organi[sz]ations?|parliament|people|police|presidents?|prosecutors?|proponents?|"
    r"protesters?|researchers?|residents?|scholars?|secretar(?:y|ies)|senators?|"
    r"spokes(?:man|men|woman|women|person|people)|staff|supporters?|unions?|voters?|"
    r"workers?)\b",
    re.IGNORECASE,
)


# Where and when, after who: "... the spokesperson, at a press conference on Thursday".
_CIRCUMSTANCE = re.compile(
    r"\s+(?:on|at|in|during|after|before|when|while|last|this|yesterday)\b.*$"
)


@dataclass(frozen=True)
class Attributed:
    """A sentence of an article, verbatim, with who says it and the side they are on."""

    article_id: int
    start: int
    end: int
    text: str
    speaker: str
    side: str
    passage: Passage
    speech: bool


def _trim_speaker(raw: str) -> str:
    """Who, without the trailing circumstance: "Ana Ruiz, the spokesperson, at a press
    conference" -> "Ana Ruiz, the spokesperson"."""
    parts = [p.strip() for p in raw.split(",")]
    who = parts[0]
    if len(parts) > 1 and re.match(r"^(?:the|a|an|its|their|his|her)\b", parts[1], re.I):
        who = f"{who}, {parts[1]}"
    return squash(_CIRCUMSTANCE.sub("", who)).strip(" -–—")


def _is_speaker(who: str, at_sentence_start: bool) -> bool:
    found = words(who)
    if not found or len(who.split()) > MAX_SPEAKER_WORDS:
        return False
    if len(found) == 1 and found[0] in _PRONOUNS:
        return False
    if found[0] in ("it", "its", "this", "that", "these", "those", "there", "their", "his", "her"):
        return False
    tokens = who.split()
    named = any(t[:1].isupper() for t in (tokens[1:] if at_sentence_start else tokens))
    if at_sentence_start and len(tokens) == 1 and tokens[0][:1].isupper():
        named = found[0] not in _PRONOUNS
    return named or bool(_PEOPLE.search(who))


def is_named(speaker: str) -> bool:
    """A speaker with a name ("Nielsen", "Marisol Quintanar, the spokesperson"), not only
    a description ("Critics", "Rights groups in the region")."""
    tokens = speaker.split(",")[0].split()
    if len(tokens) == 1:
        return tokens[0][:1].isupper() and not _PEOPLE.fullmatch(tokens[0])
    return all(t[:1].isupper() for t in tokens)


def speaker_of(sentence: str) -> tuple[str, bool] | None:
    """Who says ``sentence`` (as the sentence names them), and whether it is speech."""
    for pattern in (_AFTER_SPEECH_VERB_WHO, _AFTER_SPEECH_WHO_VERB):
        match = pattern.search(sentence)
        if match is not None:
            who = _trim_speaker(match["who"])
            if _is_speaker(who, at_sentence_start=False):
                return who, True
    match = _ACCORDING.search(sentence)
    if match is not None:
        who = _trim_speaker(match["who"])
        if _is_speaker(who, at_sentence_start=False):
            return who, False
    match = _SUBJECT.match(sentence.strip())
    if match is not None:
        who = match["who"].strip()
        if "," in who and _NAME_AND_ROLE.match(who) is None:
            return None  # a clause, not a subject: "In March, officials said ..."
        who = squash(who)
        if _is_speaker(who, at_sentence_start=True):
            return who, False
    return None


def _opening_sides(article: DatedArticle, profile: Profile) -> set[str]:
    """The sides named in the article's title and first paragraph."""
    paragraphs = paragraph_spans(article.text)
    lead = paragraphs[0].of(article.text) if paragraphs else ""
    return sides_of(f"{article.title}\n{lead}", profile)


def attributed_sentences(
    article: DatedArticle, passages: Sequence[Passage], profile: Profile
) -> list[Attributed]:
    """Every sentence of ``article`` that someone named in it says, with their side."""
    known = {key for key, _ in story_sides(profile)}
    opening = _opening_sides(article, profile)
    if not opening:
        return []  # the article is not part of the debate (a council's bus lanes, a match)
    overall = next(iter(opening)) if len(opening) == 1 else None
    out: list[Attributed] = []
    text = article.text
    for span in sentence_spans(text):
        sentence = span.of(text).rstrip()
        if word_count(sentence) > MAX_SENTENCE_WORDS or word_count(sentence) < 6:
            continue
        found = speaker_of(sentence)
        if found is None or has_bracketed_number(sentence):  # "[1]" would read as a citation
            continue
        speaker, speech = found
        side = None
        for view in (sides_of(speaker, profile), sides_of(sentence, profile)):
            if len(view) == 1:
                side = next(iter(view))
                break
            if len(view) > 1:
                break
        side = side or overall
        if side not in known:
            continue
        whole = holder(span.start, span.start + len(sentence), passages)
        if whole is None:
            continue
        out.append(
            Attributed(
                article.id,
                span.start,
                span.start + len(sentence),
                sentence,
                speaker,
                side,
                whole,
                speech,
            )
        )
    return out


def choose_statements(
    found: Sequence[Attributed],
    avoid: set[tuple[int, int]],
    profile: Profile,
    limit: int = MAX_STATEMENTS,
) -> dict[str, list[Attributed]]:
    """Up to ``limit`` statements per side: from as many articles as possible, named
    speakers and speech first, sentences in ``avoid`` (article, start) last."""

    def rank(a: Attributed) -> tuple[bool, bool, bool]:
        return ((a.article_id, a.start) in avoid, not a.speech, not is_named(a.speaker))

    chosen: dict[str, list[Attributed]] = {}
    for key, _ in story_sides(profile):
        pool = sorted((a for a in found if a.side == key), key=rank)
        picked: list[Attributed] = []
        used_articles: set[int] = set()
        for a in pool:  # first one per article
            if len(picked) < limit and a.article_id not in used_articles:
                picked.append(a)
                used_articles.add(a.article_id)
        for a in pool:  # then more from the same articles, if there is room
            if len(picked) < limit and a not in picked:
                picked.append(a)
        chosen[key] = picked
    return chosen
