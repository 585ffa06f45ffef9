"""How a question is phrased, apart from what it is about: the words that only frame it,
the kind of answer it asks for, the thing it asks for, and what its wording says a word
is (a noun after "the", a verb after "to").

* **Framing is not focus.** "Tell me about", "according to the story", "can you
  summarise", "what's the deal with" say how a question is asked, not what it is about;
  they are removed before terms are taken (:func:`strip_framing`).
* **Answer type**: why (a cause), yes/no (the sentence that settles it), who, when, where,
  quantity (how many, how much, how long), an overview of a topic ("tl;dr of the deal",
  "give me a rundown on the bus line"), or a plain what (:func:`answer_type`).
* **The thing asked for** ("the *capital* of El Salvador"): :func:`asked_for`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Literal, NamedTuple

from bot.core.lexicon import NUMBER_WORDS, Lexicon, sex_of
from bot.core.wordnet import wordnet
from bot.core.words import STOPWORDS, words

AnswerType = Literal["why", "yesno", "who", "when", "where", "quantity", "overview", "what"]

#: Kinds of nouns (WordNet's files) that name what someone says, thinks or does, or a
#: measure of something, not a thing in the world: "the main *argument* of the
#: activists" is answered by the argument itself, "the *duration* of the contract" by a
#: duration, neither of which need use the word.
_CONTENT_NOUNS = frozenset(
    "noun.communication noun.cognition noun.motive noun.attribute noun.state noun.act "
    "noun.time noun.quantity".split()
)

# -------------------------------------------------------------------------- framing

_SOURCES = (
    r"(?:articles?|story|stories|sources?|coverage|piece|pieces|texts?|reporting|news|"
    r"documents?|material|corpus|reports?)"
)
_IMPERATIVE = (
    r"^\W*(?:please\s+)?(?:list|name|identify|enumerate|specify|state)\s+(?=(?:the|all|every|"
    r"each|some|any|a|an|both|\d+|one|two|three|four|five|six|seven|eight|nine|ten|which|"
    r"who|what|where|when|how|whether|if)\b)"
)
#: How long the asker wants the answer: "in two sentences", "in 1 line", "a one-liner",
#: "briefly", "in short", "short answer" (see :func:`sentences_asked`). Only as a request
#: about the answer, at the question's start or end ("briefly, who ...", "... in two
#: sentences?"), not inside it ("Why was he briefly detained?", "in one line of his
#: speech").
_COUNTED = (
    r"(?:(?:answer|reply|explain|tell\s+me)\s+)?(?:in|within|using)\s+(?:(?:just|only)\s+)?"
    r"(?P<{n}>a|an|one|two|three|four|five|[1-9])\s+(?:short\s+)?(?:lines?|sentences?)"
)
_BRIEF = (
    r"(?P<{one}>(?:as\s+|in\s+)?(?:a\s+)?one[- ]liner)|"
    r"(?P<{brief}>briefly|in\s+brief|in\s+short|(?:a\s+)?(?:short|quick)\s+answer|"
    r"in\s+a\s+nutshell)"
)
_LENGTH_ASKED = (
    # at the start, set off by a comma or a colon: "briefly, who ...", "In two sentences: ..."
    r"^\W*(?:"
    + _COUNTED.format(n="n")
    + "|"
    + _BRIEF.format(one="one", brief="brief")
    + r")\s*[,:;-]+\s*|"
    # at the end: "... in 2 lines", or set off: "who signed it? a one-liner please"
    r"(?:\s+(?:"
    + _COUNTED.format(n="n2")
    + r")|[,;:(?!.-]\s*(?:"
    + _BRIEF.format(one="one2", brief="brief2")
    + r"))\b(?:\s*,?\s*(?:please|pls|plz|thanks))?[\s?!.)]*$"
)
_LENGTH = re.compile(_LENGTH_ASKED, re.IGNORECASE)
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
#: Sentences a request for a brief answer ("briefly", "in short") gets.
BRIEF_SENTENCES = 2


def sentences_asked(question: str) -> int | None:
    """How many sentences the question asks its answer to take, if it says: "in two
    sentences" (or lines) 2, "a one-liner" 1, "briefly" or "in short"
    :data:`BRIEF_SENTENCES`; None when it does not say."""
    found = _LENGTH.search(question)
    if found is None:
        return None
    n = found.group("n") or found.group("n2")
    if n:
        n = n.lower()
        return int(n) if n.isdigit() else _COUNT_WORDS[n]
    return 1 if (found.group("one") or found.group("one2")) else BRIEF_SENTENCES


#: Thanks, as people write it, around a question ("who signed it, thanks?") or alone.
_THANKS = r"thanks|thank you|thx"
#: The words for a person's post: what "What is Ada Lind's job?" asks for.
_POSTS = r"(?:job|role|position|post|title|occupation|profession)"
_FRAMING = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # how long the answer should be: "in 2 lines", "briefly"
        _LENGTH_ASKED,
        # greetings and politeness around the question
        r"^\s*(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|quick question|qq|yo)\b[\s,:!.-]*)+",
        rf"\b(?:please|pls|plz|{_THANKS})\b",
        # a request for help or a greeting, whole: what briefbot covers is the answer (a
        # greeting's first word is gone by now: "hi briefbot" is "briefbot" here)
        r"^\W*(?:help(?:\s+me)?|hi|hello|hey|hiya|yo|what\s+can\s+you\s+do|what\s+do\s+you\s+"
        r"(?:do|know|cover)|how\s+do\s+i\s+use\s+(?:this|you|it|briefbot)|(?:(?:hi|hello|hey|"
        r"hiya)\s+)?briefbot)\W*$",
        # the tail of a yes/no question that only says it is one: "is it binding or nah",
        # "... or not?", "yes or no?"
        r"(?<!\byes)(?:,\s*|\s+)(?:or\s+(?:nah|naw|nope|no|not)|(?<!\ba\s)(?<!\bthe\s)yes\s+or\s+no)"
        r"\s*\W*$",
        # requests to tell, explain or summarise
        r"^\s*(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:tell|give|show|send|walk)"
        r"\s+(?:me|us)(?:\s+(?:a|an|the|some))?(?:\s+(?:quick|short|brief))?"
        r"(?:\s+(?:summary|overview|rundown|recap|gist|lowdown|background|run-?down|tl;?dr|"
        r"breakdown|update|details?|more|everything|something|briefing))?"
        r"(?:\s+(?:of|on|about|regarding|for|through))?\b",
        # an imperative that asks for a list or a name ("Name the countries that ...",
        # "List the three pillars"): "name" is not a word of the topic
        _IMPERATIVE,
        r"^\s*(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:summari[sz]e|explain|"
        r"describe|outline|clarify|recap|brief me on|fill me in on|catch me up on|"
        r"elaborate on)\b",
        r"^\s*(?:i(?:'d|’d| would) like to|i want to|i need to|help me)\s+(?:know|understand|"
        r"learn|find out|hear)(?:\s+(?:more\s+)?(?:about|if|whether))?\b",
        r"^\s*i(?:'m|’m| am) (?:wondering|curious|trying to understand)"
        r"(?:\s+(?:about|if|whether))?\b",
        r"^\s*(?:do|does) (?:you|anyone) know(?:\s+(?:if|whether))?\b",
        r"^\s*what(?:'s|’s|s| is| was)\s+(?:the\s+)?(?:deal|story|situation|latest|gist|"
        r"tl;?dr|lowdown|summary|background|context|scoop|news)(?:\s+(?:with|on|about|"
        r"regarding|behind|of|for)\b|\s*\W*$)",
        # what the question holds its subject up against ("*Unlike the Central American
        # pact*, does the Norland-Estavia deal bind them?", "is it binding *like the
        # Central America one*?"): the standard of a comparison the question makes itself,
        # not what it asks about, so its names need not be in the passage that answers.
        # Set off by a comma: "unlike" inside the clause is what it asks ("Is it *unlike
        # Nielsen* to skip a summit?", "How is the House bill *unlike* the Senate's?").
        r"^\s*unlike\s+[^,;?!.]{1,60}?\s*,",
        r",\s*unlike\s+[^,;?!.]{1,60}?(?:\s*,|(?=\s*[?!.]*\s*$))",
        r"\s+like\s+(?:the|that|this)\s+(?:[\w'’-]+\s+){1,4}ones?\b",
        # references to the sources themselves
        rf"\b(?:according to|as per|based on|from|in|per)\s+(?:the|this|these|your|that)\s+"
        rf"{_SOURCES}\b",
        rf"\b(?:what|how)\s+(?:do|does|did)\s+(?:the|this|these|your)\s+{_SOURCES}\s+(?:say|"
        r"tell us|tell me|report|mention|state|claim|describe|show)(?:\s+(?:about|regarding|"
        r"on))?\b",
        rf"\b(?:do|does|did)\s+(?:the|this|these|your)\s+{_SOURCES}\s+(?:say|mention|report|"
        r"state|claim|explain|describe|tell us)\b",
        rf"^\W*(?:what|how)\s+(?:the|these|your)\s+{_SOURCES}\s+(?:say|said|report|tell us)"
        r"(?:\s+(?:about|regarding|on))?\b",
        r"\b(?:tl;?dr|tldr|eli5)\b",
        # "the key points of the memorandum" asks about the memorandum, while "tied on
        # points" and "how many points" are about points
        r"\b(?:(?:the|its|their)\s+)?(?:key|main|important|major|salient|central|chief|"
        r"big|top|talking)\s+(?:points|takeaways|facts|highlights)(?:\s+(?:of|in|about|from|"
        r"on|for)\b)?",
        # the cue of a "why" question is its answer type, not its topic
        r"\bwhat\s+(?:is|was|are|were)\s+the\s+(?:main\s+)?(?:reasons?|causes?)\s+"
        r"(?:for|of|behind|why)\b",
        r"\bwhat(?:'s|’s|s|\s+is|\s+was)?\s+(?:causes?|caused|causing|drives?|drove|sparked|"
        r"triggered|prompted|started|set\s+off|driving|leads?\s+to|led\s+to|behind|makes?|made|making)\b",
        r"\b(?:the\s+)?reasons?\s+(?:for|why|behind)\b",
        r"^\W*how\s+come\b",
        # "is it true that ...": a yes-or-no question about what follows
        r"^\W*(?:is|was)\s+it\s+(?:really\s+)?(?:true|correct|right|accurate|the\s+case)"
        r"(?:\s+that)?\b",
    )
]


#: "the writer", "the article's author", "the writers gripe": whoever wrote the source,
#: as a question may name it ("What does the writer think makes people migrate?").
_THE_SOURCE_S_MAKER = re.compile(
    rf"\b(?:the|this|that)\s+(?:{_SOURCES}['’]?s?\s+)?"
    r"(?P<maker>writer|author|reporter|journalist|columnist)(?P<owner>['’]s|s['’]?|['’])?(?=\W|$)",
    re.IGNORECASE,
)


def source_s_maker(question: str) -> str | None:
    """The word by which ``question`` names whoever wrote the source ("writer" in "whats
    the writers gripe about ..."), if it does."""
    found = _THE_SOURCE_S_MAKER.search(question)
    if found is None or _NAMED_NEXT.match(question, found.end()):
        return None  # "the writer Mira Ostel": someone the question names
    return found.group("maker").lower()


#: A capitalised word next: the name of the writer just named ("the writer *Mira* Ostel").
_NAMED_NEXT = re.compile(r",?\s+[A-Z][a-z]")


def as_the_source_s(question: str) -> str:
    """``question`` asking of the article where it asks of its writer: "whats the
    writers gripe about X" is "whats the article's gripe about X", "what does the author
    contend" is "what does the article contend". For a corpus that never speaks of a
    writer or an author: there, the one who wrote it is the only one meant."""
    return _THE_SOURCE_S_MAKER.sub(
        lambda m: "the article's" if m.group("owner") else "the article", question, count=1
    )


def strip_framing(question: str) -> str:
    """``question`` without the words that only frame it, a request made with any verb of
    telling or finding out among them ("Could you ascertain how many ...": see
    :func:`_telling_request`)."""
    focus = question
    role = _ROLE_OF.match(question.strip())
    if role is not None and asks_who_someone_is(question):
        # "what is Ada Lind's *job*?" asks who she is: the post is what the answer gives,
        # not a word a passage must hold
        focus = f"who is {role.group('name')}?"
    for pattern in _FRAMING:
        focus = pattern.sub(" ", focus)
    return " ".join(_telling_request(focus.strip()).split())


# -------------------------------------------------------------------------- acknowledgements

#: Thanks in the other languages people thank colleagues in at work ("merci", "danke
#: schön", "gracias"): only thanks, not questions, so a word of it is never a term.
_THANKS_ABROAD = (
    r"merci(?:\s+(?:beaucoup|bien))?|danke(?:\s+(?:sch(?:ö|oe|o)n|sehr))?|(?:muchas\s+)?gracias|"
    r"(?:muito\s+)?obrigad[oa]|grazie(?:\s+mille)?"
)
#: What acknowledges an answer rather than asks anything: thanks, assent, praise.
_ACKNOWLEDGING = re.compile(
    rf"\b(?:{_THANKS}|{_THANKS_ABROAD}|ty|tysm|cheers|much appreciated|appreciate it|"
    r"ok(?:ay)?|kk?|alright|got it|understood|noted|makes sense|sounds good|good to know|"
    r"will do|great|cool|nice|perfect|awesome|excellent|brilliant|lovely|super|helps|helped|"
    r"helpful|useful|interesting|clear|thorough|amazing|fantastic|wonderful|good)\b",
    re.IGNORECASE,
)
#: The small words around an acknowledgement ("thanks *so much for the answer*", "*oh,
#: that's* great", "thanks *a ton*"), who it thanks ("thanks *everyone*", "thank you
#: *both*") and laughter ("*haha* thanks"): they point back at the answer, or at people,
#: not at something to look up.
_AROUND_ACKNOWLEDGING = re.compile(
    r"\b(?:(?:that|it)['’]s|that|this|it|is|was|so|very|much|a lot|a ton|a bunch|"
    r"a million|tons|heaps|loads|really|again|all|for|the|your|you|one|just|oh|ah|yes|"
    r"yeah|yep|answer|reply|summary|info|help|explanation|update|everyone|everybody|"
    r"all of you|guys|folks|team|y['’]?all|both|ha(?:ha)+|he(?:he)+|lol)\b",
    re.IGNORECASE,
)
#: The words that ask for something more, after thanks or not ("thanks! *what* did the
#: activists say", "ok, *more*", "ok, *and the others*"): a message with one asks.
_WORDS_THAT_ASK = frozenset(
    "what which who whom whose when where why how whats whos wheres whys hows more else "
    "also another other others tell explain details detail next further".split()
)
#: The only small words (of STOPWORDS) that may be left beside thanks once
#: _AROUND_ACKNOWLEDGING has taken its own ("thanks *to* you both"). Any other one asks
#: for more: "ok, *and* the US", "thanks, *any* news", "ok, the *latest*", "ok, and
#: *then*", "great, and *before* that". A list of what may stay, not of what asks, as
#: STOPWORDS holds many words that are a follow-up all on their own. ("*many* thanks" is
#: thanks: a "how many" question has its "how".)
_FILLER_BESIDE_THANKS = frozenset("to a an of my our me many".split())
#: At most this many words beside the thanks may be its addressee ("thanks *Maria*",
#: "thanks *Ada Lind*", "thanks *briefbot*"): a longer rest says something of its own.
MAX_ADDRESSEE_WORDS = 3


def _all_used(found: Sequence[str]) -> Collection[str]:
    """Without the stored articles at hand, any word may be one of their terms."""
    return found


def acknowledges(
    message: str, used: Callable[[Sequence[str]], Collection[str]] = _all_used
) -> bool:
    """Does ``message`` only acknowledge what it follows ("thanks!", "ok", "got it",
    "great, thank you", "Thanks, that helps!", "thanks everyone", "haha thanks", "merci",
    "thanks Maria!")? Then it asks nothing: it is not a follow-up to condense with the
    conversation's terms, which would only answer the last question again.

    It does when it starts or ends with thanks, assent or praise, and what else it says
    is the small words around thanks, who is thanked, and at most
    :data:`MAX_ADDRESSEE_WORDS` words that ``used`` (which of some words the stored
    articles use) leaves out: a name ("Maria", "briefbot") is not in the articles, a
    term is. A question mark, a word that asks (:data:`_WORDS_THAT_ASK`), a small word
    other than the few filler ones (:data:`_FILLER_BESIDE_THANKS`: "ok, and the US",
    "thanks, any news", "ok, the latest") or a term
    ("thanks, and who signed it?", "ok, the critics", "thanks for looking into
    Honduras") makes it a question. Without ``used`` every such word counts as a term.

    The articles decide, not a list of names: no list holds every colleague's. The cost
    is on either side of the line: thanks to someone the story names ("thanks Ada",
    with Ada Lind in it) is read as a question about them, and a few words the articles
    never use after "ok" ("ok, bitcoin") as thanks, which gets the help reply (the
    articles could not have answered it)."""
    if "?" in message or not _said_first_or_last(message):
        return False
    rest = words(_AROUND_ACKNOWLEDGING.sub(" ", _ACKNOWLEDGING.sub(" ", message)))
    if any(w in _WORDS_THAT_ASK or _small_word_that_asks(w) for w in rest):
        return False
    named = [w for w in rest if w not in STOPWORDS]
    return len(named) <= MAX_ADDRESSEE_WORDS and not (named and used(named))


def _small_word_that_asks(word: str) -> bool:
    """Is ``word`` one of STOPWORDS that thanks does not come with ("and", "any",
    "then", "latest", "us")? Such a word beside thanks asks for more, and the articles
    cannot tell: they are never asked about small words."""
    return word in STOPWORDS and word not in _FILLER_BESIDE_THANKS


def _said_first_or_last(message: str) -> bool:
    """Does ``message`` open or close with its thanks (or assent, or praise), as "thanks
    everyone" and "haha thanks" do? Praise inside a sentence ("it helps the smugglers")
    is part of what the sentence says."""
    bare = re.sub(r"^\W+|\W+$", "", message)
    return _ACKNOWLEDGING.match(bare) is not None or any(
        m.end() == len(bare) for m in _ACKNOWLEDGING.finditer(bare)
    )


# -------------------------------------------------------------------------- answer types

#: The verbs of paying, whose object is an amount of money ("what did they *pay* for
#: him", "how much is it *costing*"), with the ones people pay with in speech ("what'd
#: they *shell out*", "*coughed up*").
PAYING = (
    r"(?:cost|costs|costing|pay|pays|paid|paying|earn|earns|earned|earning|spend|spends|"
    r"spent|spending|charge|charges|charged|charging|(?:shell|fork|splash)(?:s|ed|ing)?\s+out|"
    r"(?:cough|pony)(?:s|ed|ing)?\s+up)\b"
)

#: The words that speak of money: the verbs of paying, and nouns of money ("price",
#: "budget", "worth"). A question with one asks for an amount of money ("How much did the
#: villa cost?"), and a sentence with one gives such an amount in a currency no
#: dictionary knows ("she earns 9,000 montas a month").
MONEY_WORDS = (
    rf"\b(?:{PAYING}|price|fee|fees|worth|budget|salary|wage|funding|fund|raise|raised|"
    r"afford|invest\w*|money|dollars?|euros?|pounds?)\b"
)

_ANSWER_PATTERNS: tuple[tuple[AnswerType, str], ...] = (
        ("quantity", r"^\W*how\s+(?:much|many|long|far|old|big|large|often|high|low|tall|"
         r"deep|wide|heavy|thick|cold|hot|warm|fast)\b|"
         r"\bwhat\s+(?:is|was|were|are|'s)\s+the\s+(?:cost|price|number|amount|total|size|"
         r"figure|share|rate|percentage|budget|duration|length|value|sum)\b|"
         r"\bwhat\s+(?:share|percentage|proportion|fraction|number|amount|sum)\s+of\b|"
         # "what will it cost", "what did they pay for him": the verb asks for an amount
         rf"^\W*what\b(?:\s+[\w'’-]+){{1,8}}?\s+{PAYING}"
         r"(?!\s+(?:attention|heed|tribute|respects?|"
         r"a\s+visit|off)\b)"
         # (not "what might cost her the title": a loss, not an amount; but "what will it
         # cost me a year" is one)
         r"(?!\s+(?:me|you|him|her|us|them|it)\s+(?:the|their|his|her|its|our|my|your|"
         r"(?:a|an)(?!\s+(?:year|month|week|day|night|hour|head|person|household|time)\b))\b)"),
        ("when", r"^\W*when\b|\bwhat\s+(?:day|date|year|month|time)\b|\b(?:which|what)\s+"
         r"(?:day|date|year|month|week)\b|^\W*(?:the\s+)?(?:day|date|year|month|week|time)\s+"
         r"(?:(?:on|in|at)\s+which|when)\b"),
        ("why", r"^\W*(?:why|how come)\b|\bwhat\s+(?:is|was|are|were)\s+the\s+(?:[a-z]+\s+){0,2}"
         r"(?:reasons?|causes?)\b|\bwhat\s+(?:causes?|caused|drives?|drove|leads?|led|sparked|"
         r"triggered|prompted|started|set\s+off)\b|"
         r"\breasons?\s+(?:for|why|behind)\b|\bwhat(?:'s|’s|s|\s+is|\s+was)?\s+(?:causing|"
         r"driving|behind|making|makes|made)\b|\b(?:which|what)\s+(?:(?:main|root|underlying|"
         r"real|other)\s+)?(?:reasons|causes|factors|drivers)\b"),
        # "In which country did the summit take place?" asks where, though "which
        # country" alone ("Which country signed first?") asks who
        ("where", r"\b(?:in|at|from)\s+(?:which|what)\s+(?:city|cities|country|countries|"
         r"place|places|town|towns|region|regions)\b"),
        ("who", r"^\W*(?:who|whom|whose)\b|\bwhich\s+(?:[a-z-]+\s+)?(?:person|people|group|"
         r"groups|official|officials|organi[sz]ations?|countr(?:y|ies)|nations?|agenc(?:y|ies)|department|"
         r"body|bodies|company|companies)\b"),
        ("where", r"^\W*where\b|\bin\s+(?:which|what)\s+(?:city|country|place|town|region)\b|"
         r"\b(?:which|what)\s+(?:city|town|place|region|location|country)\b|"
         r"^\W*(?:the\s+)?(?:city|town|place|region|location|country)\s+(?:(?:in|at)\s+which|"
         r"where)\b"),
        ("yesno", r"^\W*(?:is|are|was|were|does|do|did|can|could|will|would|has|have|had|"
         r"should|shall|must|may|might|isn't|aren't|wasn't|doesn't|didn't|won't)\b"),
)  # fmt: skip
_ANSWER_TYPES = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _ANSWER_PATTERNS)

_GIST = (
    r"(?:summary|overview|rundown|run-down|recap|gist|lowdown|background|tl;?dr|tldr|"
    r"briefing|breakdown|primer|explainer)"
)
#: A request for an overview of a topic, up to the topic itself.
_OVERVIEW = re.compile(
    r"^\W*(?:(?:hey|hi|hello|ok(?:ay)?|so|yo)\b\W*)*"
    r"(?:(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?"
    r"(?:summari[sz]e|recap|brief\s+(?:me|us)\s+(?:on|about)|"
    r"fill\s+(?:me|us)\s+in\s+(?:on|about)|catch\s+(?:me|us)\s+up\s+(?:on|with)|"
    r"(?:give|send|show)\s+(?:me|us)\s+(?:(?:a|an|the)\s+)?(?:(?:quick|short|brief)\s+)?"
    rf"{_GIST}\s+(?:of|on|about|regarding|for)|tell\s+(?:me|us)\s+about)"
    rf"|(?:(?:a|an|the)\s+)?(?:(?:quick|short|brief)\s+)?{_GIST}\s+(?:of|on|about|for|regarding)"
    r"|(?:tl;?dr|tldr)(?:\s+(?:of|on|about|for))?"
    r"|what(?:'s|’s|s|\s+is|\s+was)\s+(?:the\s+)?(?:deal|story|situation|gist|tl;?dr|"
    r"lowdown|background|scoop)\s+(?:with|on|about|behind|regarding))\b",
    re.IGNORECASE,
)
#: At most this many words name the topic of an overview: "summarise the goals of the
#: memorandum as the Department of Homeland Security describes them" asks for something.
OVERVIEW_TOPIC_WORDS = 6
_QUESTION_WORD = re.compile(
    r"\b(?:what|why|how|who|whom|whose|when|where|which|whether|if)\b", re.IGNORECASE
)


def overview_topic(question: str) -> str | None:
    """The topic ``question`` asks for an overview of ("tl;dr of *the security deal*?",
    "give me a rundown on *the Eastline*", "what's the story with *the memorandum*"), or
    None if it asks for something else. What follows the request must name a topic: a few
    words, no question of their own ("summarise what the coalition said about asylum"
    asks what they said)."""
    match = _OVERVIEW.match(question)
    if match is None:
        return None
    topic = strip_framing(question[match.end() :])
    if 0 < len(topic.split()) <= OVERVIEW_TOPIC_WORDS and not _QUESTION_WORD.search(topic):
        return topic
    return None


# A request that wraps the real question: "Could you tell me how much it cost?" asks how
# much, not yes or no. Only a verb of telling or finding out makes "can you" a request:
# "Can you still drive over the bridge?" is a yes-or-no question. "If" or "whether" after
# the request makes the wrapped question a yes-or-no one. (Not strip_framing(): it also
# takes away the cues of a type, "what are the reasons for".)
_ASKING = (
    r"(?:tell|give|show|explain|describe|outline|summari[sz]e|clarify|specify|list|name|"
    r"find|check|confirm|say|ascertain|look\s+up|identify|remind|help|let)"
)
_REQUEST = re.compile(
    rf"^\W*(?:(?:(?:can|could|would|will)\s+you|please)\s+(?:please\s+)?{_ASKING}"
    r"(?:\s+out)?(?:\s+(?:me|us))?(?:\s+know)?"
    r"|i(?:'d|’d|\s+would)\s+like\s+to\s+(?:know|understand|learn|find\s+out|hear)"
    r"|i\s+(?:want|need)\s+to\s+(?:know|understand|find\s+out)"
    r"|i(?:'m|’m|\s+am)\s+(?:wondering|curious)(?:\s+about)?"
    r"|(?:do|does)\s+(?:you|anyone)\s+know"
    r"|(?:tell|show)\s+(?:me|us))\b\s*"
    rf"|{_IMPERATIVE}",
    re.IGNORECASE,
)
_WHETHER = re.compile(r"^\W*(?:if|whether)\b", re.IGNORECASE)


#: What may come before a question's first word without changing what it asks: chat's
#: openers ("so", "ok", "wait", "and"), a hedge on the figure asked for ("roughly",
#: "approximately", "exactly"), and a preposition that belongs to "how" or "when" ("*by*
#: how much", "*for* how long", "*on* how many days", "*since* when"). Not before "which"
#: or "what": "in which country" asks where, "which country" who.
_LEAD_IN = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|well|wait|and|but|also|plus|hmm+|um+|uh+|right|anyway|now|"
    r"roughly|approximately|approx|about|around|exactly|precisely|just|ballpark)"
    r"\b[\s,:;.!-]*)*"
    r"(?=(?:how|when|where|why|who|whom|whose|which|what|is|are|was|were|does|do|did|can|"
    r"could|will|would|has|have|had|should|must|may|might)\b)",
    re.IGNORECASE,
)


def past_the_lead_in(question: str) -> str:
    """``question`` from its question word on, past words that only lead in to it: "so
    how many ...", "roughly how many ...", "by how much ...", "wait, is it binding?" ask
    what "how many ...", "how much ..." and "is it binding?" ask. Unchanged when no
    question word follows them."""
    found = _LEAD_IN.match(question)
    return question[found.end() :] if found and found.end() else question


def answer_type(question: str) -> AnswerType:
    """The kind of answer ``question`` asks for (``what`` when no other fits), read past
    a request that wraps it."""
    if overview_topic(question) is not None:
        return "overview"
    unwrapped = _REQUEST.sub("", question, count=1)
    if unwrapped == question:
        unwrapped = _telling_request(question)
    if unwrapped != question and _WHETHER.match(unwrapped):
        return "yesno"
    unwrapped = past_a_leading_phrase(unwrapped)
    for kind, pattern in _ANSWER_TYPES:
        if pattern.search(unwrapped):
            return kind
    return "what"


#: The words a question starts with.
_WH_WORD = r"(?:how|when|where|why|who|whom|whose|what|which)\b"
#: A phrase that sets the scene before the question word: "Under the phased approach, how
#: long do programmes get?", "after the vote when will work start". A preposition, then
#: at least one word, then the question word (not "In which country ...": a where).
_LEADING_PHRASE = re.compile(
    r"^\W*(?:in|under|after|before|during|for|at|on|since|with|from|by|regarding|about|"
    r"given|apart\s+from|besides|beyond|without|within|as\s+for|according\s+to|as\s+per|per|"
    r"acc(?:\.|ording)?\s+to)\s+(?!" + _WH_WORD + r")[^?]*?[,;:]?\s+(?=" + _WH_WORD + ")",
    re.IGNORECASE,
)
_WH_AFTER_A_BREAK = re.compile(r"[,;:]\s*(?=" + _WH_WORD + ")", re.IGNORECASE)


def past_a_leading_phrase(question: str) -> str:
    """``question`` from its question word on, past a phrase that sets the scene: after
    the phrase's last comma when a question word follows it ("In the year *when* it was
    signed, how many ...": the question is "how many"), else at the first question word
    ("under the phased approach how long ...")."""
    if _LEADING_PHRASE.match(question) is None:
        return question
    breaks = list(_WH_AFTER_A_BREAK.finditer(question))
    if breaks:
        return question[breaks[-1].end() :]
    return _LEADING_PHRASE.sub("", question, count=1)


_MODAL_YOU = re.compile(
    r"^\W*(?:(?:can|could|would|will)\s+you|please)\s+(?:please\s+)?([a-z]+)\s+(?:me\s+|us\s+)?",
    re.IGNORECASE,
)


def _telling_request(question: str) -> str:
    """``question`` past "Could you <verb>" when the verb is one of telling, showing or
    finding out by WordNet's reading of its commonest sense (verb.communication or
    verb.cognition: "indicate", "delineate", "determine"), not of doing ("Can you still
    *drive* over the bridge?" stays a yes-or-no question)."""
    match = _MODAL_YOU.match(question)
    if match is None:
        return question
    if _communicates(match.group(1)):
        return question[match.end() :]
    # Any verb, with its particle, that a wh-clause follows asks to be told it: "Would you
    # set out what the engineers found?", "could you walk me through how ...".
    clause = _CLAUSE_AFTER_A_VERB.match(question, match.start(1))
    return question[clause.end() :] if clause is not None else question


#: A verb, perhaps a particle and "me"/"us", then a wh-word or "whether"; or a verb and
#: its particle, then "when", "where" or "if": "find out when", but not "Can you buy
#: tickets when the office is closed?" or "Can you swim where the spill was?", whose
#: clause says when or where the thing asked of is done, and which ask yes or no.
_CLAUSE_AFTER_A_VERB = re.compile(
    r"[a-z]+\s+(?:"
    r"(?:[a-z]+\s+)?(?:(?:me|us)\s+)?(?:[a-z]+\s+)?"
    r"(?=(?:how|why|who|whom|whose|what|which|whether)\b)"
    r"|(?:(?:me|us)\s+)?(?:out|up|over|through|into|about|on)\s+(?:(?:me|us)\s+)?"
    r"(?=(?:when|where|if)\b))",
    re.IGNORECASE,
)


def _communicates(verb: str) -> bool:
    """Is ``verb``'s commonest sense, as WordNet files it, one of communication or
    cognition ("tell", "indicate", "promise", "decide"; not "drive")?"""
    return wordnet().commonest_file(verb, "v") in ("verb.communication", "verb.cognition")


_WH_DID = re.compile(r"\b(what|why|how|where|who|when)['’]d\b", re.IGNORECASE)
#: "Kindly" where it opens a request, as "please" does: "Kindly indicate the date ...",
#: "Could you kindly confirm ...". (Not "Who spoke kindly of the plan?")
_KINDLY = re.compile(r"^(\W*(?:(?:can|could|would|will)\s+you\s+)?)kindly\b", re.IGNORECASE)


def spell_out(question: str) -> str:
    """``question`` with contractions a wh-word hides spelled out ("what'd": what did),
    a per cent sign that stands for the word ("what % of households"): percentage, and
    the "kindly" of a formal request as the "please" it means."""
    question = _KINDLY.sub(r"\1please", question)
    return re.sub(WORD_PERCENT, " percentage ", _WH_DID.sub(r"\1 did", question))


# -------------------------------------------------------------------------- word classes

_BEFORE_NOUN = frozenset(
    "the a an this that these those its their his her our my your whose any each every "
    "some no which what".split()
)
_BEFORE_VERB = frozenset(
    "to will would can could should must may might shall did does do didn doesn don "
    "who".split()  # "who *chairs* the board": its verb
)


def part_of_speech(flat: list[str], at: int, lexicon: Lexicon) -> str | None:
    """What the words around say the word at ``at`` is: a noun after a determiner ("the
    compact legally", "the compact?") unless a noun follows it ("the gifted Jeeps": it
    is their adjective), a verb after "to", a modal ("would oblige") or "who" ("who
    chairs the board"); None when they say neither."""
    before = flat[at - 1] if at > 0 else ""
    after = flat[at + 1] if at + 1 < len(flat) else ""
    modifies = bool(after) and after not in STOPWORDS and lexicon.expand(after).noun
    if before in _BEFORE_NOUN and not modifies:
        return "n"
    if before in _BEFORE_VERB:
        return "v"
    return None


# -------------------------------------------------------------------------- the thing asked for

_WH = frozenset(["what", "which", "whose", "who", "how"])
#: How questions are typed in a hurry: "whats the population of ...".
_WH_TYPED = {"whats": "what", "whos": "who", "hows": "how"}
_LINKS = frozenset(["is", "was", "are", "were", "s", "the", "many", "much"])
#: "what" right before a word that starts a noun phrase (no "is" or "'s" between): in a
#: question, what starts a clause ("what *the* engineers found").
_WHAT_THEN_SUBJECT = re.compile(
    r"^\W*what\s+(?P<be>(?:is|are|was|were)\s+)?"
    r"(?:the|a|an|this|these|those|its|their|his|her|our|my|your)\s",
    re.IGNORECASE,
)


def asks_what_a_clause_says(
    focus: str, flat: list[str], lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> bool:
    """Does the question's focus open with a clause, "what" and its subject and verb ("(set
    out) what the engineers discovered", "what the report says about ...", "what is the
    museum paying for it")? Then the subject is not what is asked for: the engineers are
    not the answer, as the official of "What official attended?" is. "what's the vaccine
    called" (with "is": only a verb in "-ing" makes a clause) and, typed in a hurry, "what
    the price of the ticket" (no verb after the noun) are not clauses."""
    opening = _WHAT_THEN_SUBJECT.match(focus)
    if opening is None or not flat or flat[0] != "what":
        return False
    start = 2 if opening.group("be") and len(flat) > 1 and flat[1] in _LINKS else 1
    after = _after_the_subject(flat, start, lexicon, possessors)
    if opening.group("be") and not after.endswith("ing"):
        return False
    return bool(after) and after not in STOPWORDS and bool(wordnet().senses(after, "v"))


def _after_the_subject(
    flat: list[str], start: int, lexicon: Lexicon, possessors: frozenset[str]
) -> str:
    """The word after the noun phrase that starts at ``start`` (the clause's verb, if it
    has one: "the engineers *discovered*"), or "" at the end."""
    head, end = _noun_phrase_head(flat, start, lexicon, possessors)
    if end > start and flat[end - 1] != head and flat[end - 1].endswith("ing"):
        end -= 1  # (the phrase took the verb for a modifier: "the council *planning*")
    return flat[end] if end < len(flat) else ""


_AUXILIARIES = frozenset("did does do has have had will would".split())
_SAYING = frozenset(
    "say says said think thinks thought claim claims claimed argue argues argued believe "
    "believes believed want wants wanted propose proposes proposed suggest suggests "
    "suggested feel feels felt tell tells told make".split()
)
#: Kinds of nouns that name who acts or speaks.
_ACTORS = frozenset(["noun.person", "noun.group"])


def _says(verb: str) -> bool:
    """A verb of saying or thinking: one of ``_SAYING``, or one of communication or
    cognition by WordNet ("call", "promise", "decide")."""
    return verb in _SAYING or _communicates(verb)


#: Nouns that ask for what names a thing: "the *name* of the captain" asks for the captain.
#: Nouns that ask for the name of what follows "of" ("the *name of* the captain", "what
#: *model of* vehicle").
NAMING = frozenset(
    ["name", "names", "identity", "identities", "model", "models", "make", "makes", "brand",
     "brands"]
)  # fmt: skip
#: Nouns that ask for a part or a count of what follows: "what *share of* adults", "the
#: *number of* stations".
_PORTIONS = frozenset(["share", "percentage", "proportion", "fraction", "number", "portion"])
#: A question for a part of something, in per cent or as a fraction ("what share of ...").
#: A per cent sign typed for the word, not after a number ("what % of", not "50 %"); with
#: the word's ending, the way it is written short ("what %age of").
WORD_PERCENT = r"(?<![\d\s%])\s?%(?:ages?\b)?"
PORTION = re.compile(
    rf"(?:\b(?:share|percentage|proportion|fraction)|{WORD_PERCENT})\s+of\b", re.IGNORECASE
)
_ENDS = frozenset(
    "of for in at on behind to from with by about did does do is was are were has have had "
    "will would can could should that who which".split()
)


#: Verbs that are also function words ("got flu"): no noun phrase starts with them.
_GETTING = frozenset("get gets got getting gotten".split())


def _a_verb(word: str, lexicon: Lexicon) -> bool:
    """Is ``word`` only a verb ("got", "caught", "voted"; not "people", "new" or "more")?"""
    if word in _GETTING:
        return True
    if word in STOPWORDS or lexicon.expand(word).noun:
        return False
    net = wordnet()
    return bool(net.senses(word, "v")) and not any(net.senses(word, p) for p in "nar")


#: "How long is the bridge?" asks for a length, not a duration, when what it asks about
#: is a thing in space (WordNet's files): a bridge, a road, a river, a room.
_THINGS_WITH_LENGTH = frozenset("noun.artifact noun.object noun.location noun.body".split())
_HOW_LONG_IS = re.compile(r"^\W*how\s+long\s+(?:(?:is|are|was|were)\b|(?=an?\s))", re.IGNORECASE)


def measured_in_length(question: str, lexicon: Lexicon) -> bool:
    """Does ``question`` ask how long a thing in space is ("How long is the Ashford Chain
    Bridge?": a span of 124 metres; "how long a stretch of the river"), rather than how
    long something lasts ("How long is the contract?", "How long was the closure?", "how
    long a wait")?"""
    found = _HOW_LONG_IS.match(question)
    if found is None:
        return False
    flat = words(question.lower())
    j = 3 if found.group(0).rstrip().lower().endswith(("is", "are", "was", "were")) else 2
    while j < len(flat) and flat[j] in ("the", "a", "an", "this", "that"):
        j += 1
    head, end = _noun_phrase_head(flat, j, lexicon)
    # the thing itself, not something done to it: "How long was the bridge *closed*?"
    rest = flat[end:]
    if rest and all(lexicon.expand(w).noun for w in rest):
        head, rest = rest[-1], []  # a compound the reader stopped in: "the bridge span"
    if rest and rest[0] not in ("of", "in", "at", "on", "over", "across", "between", "from"):
        return False
    return head is not None and lexicon.expand(head).lexname in _THINGS_WITH_LENGTH


_ARTICLES = frozenset(["a", "an", "the"])
#: Words after which a word is a noun if it can be one.
_BEFORE_A_NOUN = _ARTICLES | {"many"}


def _noun_phrase_head(
    flat: list[str], j: int, lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> tuple[str | None, int]:
    """The last noun of the noun phrase that starts at ``j`` (adjectives, possessives and
    "-ing" modifiers before it: "kerbside *parking* places"), and where the phrase ends. A
    number is never the head ("the 3 main parts": parts)."""
    head = None
    first = j
    while j < len(flat) and flat[j] not in _ENDS:
        word = flat[j]
        if _an_age(flat, j):
            j += 3  # an age modifies, never heads: "the 83-year-old *woman*"
            continue
        expansion = lexicon.expand(word)
        if word in STOPWORDS:
            if head is not None:
                break  # "the Mexican president *say*"
        elif not word.isalpha():
            pass  # a number modifies, never heads: "the 3 main parts"
        elif (
            head is not None
            and expansion.name_like
            and _common_noun(head, lexicon)
            and head not in possessors
            # (not the second word of a name that owns what follows: "El *Salvador's*
            # president", where "el" is also a noun)
            and not (word in possessors and _second_of_a_name(flat, first, j))
        ):
            break  # a name after the noun starts a clause: "the contract length *Strohm* agreed"
        elif head is not None and _plural(head) and wordnet().senses(word, "v"):
            break  # a verb after a plural: "how many countries *form* the Triangle"
        elif (
            head is not None
            and not _plural(head)
            and word.endswith("s")
            and wordnet().base_forms(word, "v")
            and flat[j + 1 : j + 2] in _AFTER_A_VERB
            # (not a role, whose commonest sense is a person: "which rower *captains* the
            # club" asks for the captain, named beside that role)
            and expansion.lexname != "noun.person"
        ):
            break  # a verb after a singular: "which charity *benefits from* the sales"
        elif (
            expansion.noun
            or (head in possessors and wordnet().senses(word, "n"))
            or (
                head is None
                and j > 0
                and flat[j - 1] in _BEFORE_A_NOUN
                and wordnet().senses(word, "n")
            )
        ):
            # (what a possessive owns is a noun: "Hallgrimsson's *rating*"; so is a word
            # after an article or "many", whatever else it may be: "how long a *stretch*",
            # "how many *volunteers* took part")
            head = word
        elif head is not None and _possessor(head, flat, j, lexicon, possessors):
            pass  # "Valdoria's *injured* captain": the name owns the noun that follows
        elif head is not None and _modifies_next(flat, j, lexicon):
            pass  # "the chief *financial* officer": an adjective before the phrase's noun
        elif not (head is not None and word.endswith("ing")) and (
            head is not None or not expansion.known
        ):
            break
        j += 1
    return head, j


def _second_of_a_name(flat: list[str], first: int, j: int) -> bool:
    """May ``flat[j]`` be the second word of a name of two that starts the noun phrase at
    ``first`` ("El Salvador", "South Orvandia", "Grace Mahlangu")? Only right after the
    phrase's first word, and not after an article: "the captain *Orvandia's* coastguard
    arrested" is a noun and a clause about it, as "the contract length *Strohm* agreed"
    is."""
    return j == first + 1 and not (first > 0 and flat[first - 1] in _BEFORE_A_NOUN)


#: The units of time an age is given in ("83-year-old", "six-month-old").
_AGE_UNITS = frozenset("year years month months week weeks day days".split())


def _an_age(flat: list[str], j: int) -> bool:
    """Does an age start at ``flat[j]``: a number, a unit of time and "old" ("83 year
    old", "six month old", as "83-year-old" is read)?"""
    return (
        (flat[j].isdigit() or flat[j] in NUMBER_WORDS)
        and flat[j + 1 : j + 2] != []
        and flat[j + 1] in _AGE_UNITS
        and flat[j + 2 : j + 3] == ["old"]
    )


#: Words that follow a verb, not a noun of a compound ("benefits *from*", "plans *to*").
_AFTER_A_VERB = [[w] for w in "from to the a an its their his her this that these".split()]


def _modifies_next(flat: list[str], j: int, lexicon: Lexicon) -> bool:
    """Is ``flat[j]`` an adjective (and no noun) before a noun, inside a noun phrase: "the
    chief *financial* officer", whose head is "officer", not "chief"?"""
    if j + 1 >= len(flat) or flat[j + 1] in STOPWORDS:
        return False
    senses = wordnet()
    return (
        bool(senses.senses(flat[j], "a"))
        and not senses.senses(flat[j], "n")
        and lexicon.expand(flat[j + 1]).noun
    )


_POSSESSIVE = re.compile(r"(\w+)['’]s\b")


def possessive_words(question: str) -> frozenset[str]:
    """The words ``question`` writes with 's ("the *club's* captain"), lower-cased: each
    owns the noun after it, so a noun phrase goes on past it. Typed without the apostrophe
    too, as chat often is ("sara *ivaneks* mum", "*strohms* salary"): a word ending in "s"
    that English does not know, before one it knows as a noun."""
    found = {w.lower() for w in _POSSESSIVE.findall(question) if w.lower() not in _WH}
    net = wordnet()
    for owner, owned in _BARE_POSSESSIVE.findall(question):
        owner, owned = owner.lower(), owned.lower()
        if owner in _WH or owner in STOPWORDS or owned in STOPWORDS:
            continue
        if not any(net.base_forms(owner, pos) for pos in "nvar") and net.senses(owned, "n"):
            found.add(owner)
    return frozenset(found)


#: A word ending in "s" (not "ss"), then another: a possessive typed without its apostrophe.
_BARE_POSSESSIVE = re.compile(r"\b(?=([^\W\d_]{2,}[^\Ws\d_]s)\s+([^\W\d_]+)\b)")


def _plural(word: str) -> bool:
    """A noun in the plural ("countries", "members"): a word after it that may be a verb
    is one ("countries *form*"), where after a singular it may be the noun it modifies
    ("gang *members*"); "the rights *coalition*" goes on, as "coalition" is no verb."""
    return word.endswith("s") and any(base != word for base in wordnet().base_forms(word, "n"))


def _common_noun(word: str, lexicon: Lexicon) -> bool:
    """A word English knows as a noun, not a name (nor a word of one: "FC" of "FC Valdoria's
    captain", where a name goes on, possessive, to the noun asked for)."""
    expansion = lexicon.expand(word)
    return expansion.known and not expansion.name_like


def _possessor(
    head: str, flat: list[str], j: int, lexicon: Lexicon, possessors: frozenset[str]
) -> bool:
    """Is ``head``, a name or a word written with 's, the owner of a noun that
    ``flat[j]`` (a word, not a noun) modifies: "Valdoria('s) *injured* captain", "the
    club's *injured* captain"? Only when a common noun comes next, so "What did Nielsen
    *say*" keeps Nielsen as the speaker."""
    return (
        (head in possessors or not _common_noun(head, lexicon))
        and j + 1 < len(flat)
        and flat[j + 1] not in STOPWORDS
        and _common_noun(flat[j + 1], lexicon)
        and lexicon.expand(flat[j + 1]).noun
    )


class AskedFor(NamedTuple):
    """What :func:`asked_for` found: the noun (or None), whether a passage must name it,
    and whether it is the speaker of what is asked ("What did the *mayor* promise?"),
    whom a passage must name but who is not what the question asks for."""

    word: str | None
    required: bool = False
    speaker: bool = False


def asked_for(
    flat: list[str], lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> AskedFor:
    """The noun a wh-question asks for, if it names a thing in the world, and whether a
    passage must name it to answer at all.

    "capital" in "What is the capital of El Salvador?", "members" in "How many gang
    members were arrested?", "fungus" in "What fungus causes coffee rust?". None for
    questions whose answer is what someone says or thinks ("the main argument of the
    activists"). A person or group the question asks about is required: "Who is the
    *mayor* of Harlow Bay?" and "What did the Mexican *president* say?" cannot be answered
    by a passage that never mentions a mayor or a president, nor "Which *officials* did
    Nielsen meet?" by one without officials.
    """
    found = _asked_head(flat, lexicon, possessors)
    if found is None:
        return AskedFor(None)
    lexname = lexicon.expand(found.head).lexname
    if _anyone(found.head):
        # "the forum *guy*", "the *woman* who found it": someone, named by no word a
        # passage must hold (the forum's analyst is the guy)
        return AskedFor(None)
    if found.speaker:
        return AskedFor(found.head, True, True) if lexname in _ACTORS else AskedFor(None)
    if lexname in _CONTENT_NOUNS and not found.counted:
        return AskedFor(None)  # ("how many *books*", "how many *reports*": what is counted)
    # "Who is the mayor", "the name of the mayor" and "which officials" ask for people a
    # passage must speak of ("which countries" may be answered by the countries' names)
    wh = flat[found.start]
    by_name = found.named or wh in ("who", "whos")
    return AskedFor(
        found.head,
        (by_name and lexname in _ACTORS) or (wh == "which" and lexname == "noun.person"),
    )


#: What a rate, a ratio or a percentage is in WordNet: a magnitude relative to another,
#: which says nothing until the noun before it says of what ("the *unemployment* rate").
_RELATIVE_MEASURE = "magnitude relation"


def measured_thing(
    flat: list[str], lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """The noun a wh-question puts before the rate, ratio or percentage it asks for, and
    that measure: ("unemployment", "rate") in "What's the unemployment rate?",
    ("exchange", "rate") in "what is the exchange rate". None when the measure stands
    alone ("What is the rate?") or after an adjective ("the current rate")."""
    found = _asked_head(flat, lexicon, possessors)
    if found is None or _RELATIVE_MEASURE not in wordnet().ancestors(found.head, "n", 1):
        return None
    at = next((i for i in range(found.start + 1, len(flat)) if flat[i] == found.head), None)
    if at is None or at < 1:
        return None
    before = flat[at - 1]
    if before in STOPWORDS or not wordnet().senses(before, "n") or wordnet().senses(before, "a"):
        return None
    return before, found.head


#: The senses that say only that someone is a man or a woman (or grown up).
_SEXES = frozenset(["man", "woman", "male", "female", "adult"])


def _anyone(noun: str) -> bool:
    """Does ``noun`` say only that someone is a person: its commonest sense is "person"
    ("someone", "individual"), or a kind of man or woman and nothing else ("guy", "lady",
    "bloke", "fellow", "girl")? Not a role ("analyst", "worker", "leader", "mother"), nor
    a relation ("wife" is a woman and a spouse)."""
    net = wordnet()
    senses = net.senses(noun, "n")
    if not senses:
        return False
    first = senses[0]
    if "person" in first.words:
        return True
    return (
        first.lexname == "noun.person"
        and bool(first.hypernyms)
        and all(net.synset("n", h).words[0] in _SEXES for h in first.hypernyms)
    )


def speaker_of(
    flat: list[str],
    lexicon: Lexicon,
    possessors: frozenset[str] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> str | None:
    """Whose words a question asks for: "Hallgrimsson" in "What did Hallgrimsson say after
    losing?", "spokesperson" in "What did the coalition's spokesperson say?" (a name, or
    a noun for a person or a group, the head of the phrase before a verb of saying or
    thinking); None for other questions. ``names`` are the question's names (the words
    it capitalises: "Ines *Marrow*", whatever else "marrow" means)."""
    found = _asked_head(flat, lexicon, possessors)
    if found is None or not found.speaker:
        return None
    # someone, not a text: "What does the memorandum say about ...?" asks what it holds
    expansion = lexicon.expand(found.head)
    someone = found.head in names or expansion.lexname in _ACTORS or expansion.name_like
    return found.head if someone else None


def reports_speech(sentence: str, stance: bool = False) -> bool:
    """Does ``sentence`` give someone's words: a quotation, or a verb that reports speech
    ("said", "argued", "warned", "according to")? Not any verb of thinking: "the
    highest-*rated* player" and "the title was *decided*" report no one's words. With
    ``stance``, a verb that reports where someone stands counts too ("blamed",
    "questioned", "welcomed", "promised"): it says what they hold, if not in their
    words."""
    return bool(
        _QUOTATION.search(sentence)
        or _REPORTING.search(sentence)
        or (stance and _STANCE.search(sentence))
    )


def speakers_sexes(sentence: str) -> set[str]:
    """The sexes ("male", "female") ``sentence`` gives whoever it reports speaking: by
    the word right before a verb of saying ("he said", "the woman told") and the
    pronoun right after it ("said he was heartbroken", "said that she"), not one that is
    said to ("told her") or owns ("his lawyer said": the lawyer). Empty when it gives
    none ("Owner Peter Gane said")."""
    found: set[str] = set()
    for m in _REPORTING.finditer(sentence):
        before = re.search(r"([\w'’]+)\W*$", sentence[: m.start()])
        after = re.match(r"\s+(?:that\s+)?(he|she)\b", sentence[m.end() :], re.IGNORECASE)
        for word in (before.group(1) if before else "", after.group(1) if after else ""):
            word = word.lower()
            if word and word not in _NOT_THE_SPEAKER and (sex := sex_of(word)) is not None:
                found.add(sex)
    return found


#: Pronouns of a person that are not the one speaking: "told *her*", "*his* lawyer said".
_NOT_THE_SPEAKER = frozenset(["her", "his", "him"])


#: Quotation marks around some words ("He defended like a machine," he said).
_QUOTATION = re.compile(r"[\"“”][^\"“”]{8,}[\"“”]")
#: The verbs news reports speech with (all forms), and "according to" ("as per").
_REPORTING = re.compile(
    r"\b(?:sa(?:y|ys|id)|t(?:ell|ells|old)|add(?:s|ed)|argue[sd]?|warn(?:s|ed)|claim(?:s|ed)|"
    r"state[sd]|note[sd]|explain(?:s|ed)|insist(?:s|ed)|wr(?:ite|ites|ote)|describe[sd]|"
    r"believe[sd]|th(?:inks|ought)|suggest(?:s|ed)|propose[sd]|admit(?:s|ted)|urge[sd]|"
    r"demand(?:s|ed)|announce[sd]|repl(?:y|ies|ied)|recall(?:s|ed)|according\s+to|as\s+per)\b",
    re.IGNORECASE,
)
#: The verbs news reports a stance with: blame, praise, reject, promise, agree ...
_STANCE = re.compile(
    r"\b(?:blame[sd]?|question(?:s|ed)|critici[sz]e[sd]?|call(?:s|ed)\s+(?:for|on)|"
    r"welcome[sd]?|reject(?:s|ed)|accuse[sd]?|den(?:y|ies|ied)|praise[sd]?|condemn(?:s|ed)|"
    r"promise[sd]?|pledge[sd]?|vow(?:s|ed)|agree[sd]?|acknowledge[sd]?|confirm(?:s|ed)|"
    r"predict(?:s|ed)|estimate[sd]|want(?:s|ed)|respond(?:s|ed)|conclude[sd]|concede[sd])\b",
    re.IGNORECASE,
)


#: "Who is Ada Lind?", "who's rafael osterholm", "Who was Kirstjen Nielsen?": a question
#: about someone the question names, not for a name. A role is asked with a determiner
#: or a possessive ("Who is the mayor?", "who is Valdoria's coach"), a state with a
#: preposition ("Who is in charge?", "who is responsible for ..."), an act with a verb
#: in -ing ("who is running the port"): none of those is a name.
_WHO_IS = re.compile(r"^\W*who(?:'s|’s|s|\s+is|\s+was)\s+(?P<name>[^?!]+?)[\s?!.]*$", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"\b(?:the|a|an|this|that|these|those|his|her|their|its|our|your|my|of|in|at|on|for|"
    r"from|with|to|by|about|behind|responsible|charge)\b|['’]s\b|^\S+ing\s+\S",
    re.IGNORECASE,
)


#: Words that qualify a post as the one held now, as the news gives it ("current role",
#: "actual job title"); not one that asks for another post or for a stance ("previous
#: job", "first job", "next role", "negotiating position"), which who someone is does not
#: answer.
_POST_NOW = r"(?:current|actual|official|exact|real|full|present|precise|proper|formal|new)"
#: "What is Ada Lind's job?", "what's nielsen's role", "wats her actual job title": who
#: she is, by her post (a word or two may qualify it as hers now: :data:`_POST_NOW`).
_ROLE_OF = re.compile(
    rf"^\W*wh?at(?:'s|’s|s|\s+is|\s+was)\s+(?P<name>[^?!]+?)['’]s?\s+"
    rf"(?:{_POST_NOW}\s+){{0,2}}?{_POSTS}(?:\s+{_POSTS})?[\s?!.]*$",
    re.IGNORECASE,
)


def asks_who_someone_is(question: str) -> bool:
    """Does ``question`` ask who a person it names is ("Who is Ada Lind?", "What is Ada
    Lind's job?")? Such a question is answered by what the sources say of them, not by
    another name: news gives a person's post where it first names them."""
    found = _WHO_IS.match(question.strip())
    role = None if found else _ROLE_OF.match(question.strip())
    found = found or role
    if found is None:
        return False
    name = found.group("name")
    if role is not None and _a_place_or_a_body(name):
        return False  # "What is Germany's position?", "NATO's role": a stance, not a post
    return len(name.split()) <= 5 and not _NOT_A_NAME.search(name)


def _a_place_or_a_body(name: str) -> bool:
    """Is ``name`` one WordNet knows as a place or an organisation ("Germany", "NATO",
    "Honduras"), which holds a position but no post?"""
    net = wordnet()
    return any(
        s.lexname in ("noun.location", "noun.group")
        for word in name.split()
        for s in net.senses(word, "n")[:1]
        if s.words and s.words[0][:1].isupper()
    )


def asked_noun(
    flat: list[str], lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> str | None:
    """The head noun of what the question asks for, whatever kind of noun it is: "price"
    in "What is the estimated price of ...", "length" in "the contract length Strohm
    agreed" and "city" in "the city in which it was concluded" (a request's focus, its
    framing gone); None when a verb comes first ("What did Congress decide about the
    budget?")."""
    found = _asked_head(flat, lexicon, possessors)
    relative = found is not None and found.start > 0 and flat[found.start - 1] in _RELATIVE_AFTER
    if found is not None and not relative:
        if found.speaker or _subject_of_a_clause(flat, found, lexicon, possessors):
            return None
        return found.head
    if any(_WH_TYPED.get(w, w) in _WH for w in flat[:3]) and not relative:
        return None
    j = 0
    while j < len(flat) and flat[j] in _LINKS:
        j += 1
    head, end = _noun_phrase_head(flat, j, lexicon, possessors)
    # "name of the analyst who warned ...", "number of stations": what is named or counted
    while head in NAMING | _PORTIONS and end + 1 < len(flat) and flat[end] == "of":
        head, end = _noun_phrase_head(flat, end + 1, lexicon, possessors)
    return head


#: A wh-word after one of these starts a relative clause, not the question: "the *city* in
#: which the memorandum was concluded" asks for the city.
_RELATIVE_AFTER = frozenset("in at on from by to for of with during".split())


class _Asked(NamedTuple):
    """What a wh-question asks for: the head of its noun phrase, whether that is a speaker
    ("What did the Mexican *president* say"), where the wh-word is, whether the question
    asks for its name ("the *name of* the captain": as "Who is the captain?" does, it
    needs a passage that speaks of a captain), and whether it counts it ("how many
    books", "the number of stations", "what share of adults")."""

    head: str
    speaker: bool
    start: int
    named: bool
    counted: bool
    end: int = 0  # where its noun phrase ends


def _asked_head(
    flat: list[str], lexicon: Lexicon, possessors: frozenset[str] = frozenset()
) -> _Asked | None:
    """For a wh-question, what it asks for (:class:`_Asked`)."""
    flat = [_WH_TYPED.get(w, w) for w in flat]
    start = next((i for i, w in enumerate(flat[:3]) if w in _WH), None)
    if start is None:
        return None
    j = start + 1
    speaker = False
    if flat[start] == "how" and j < len(flat) and flat[j] in _SIZES:
        return _sized(flat, j + 1, start, lexicon, possessors)
    if flat[start] == "how":  # "how many gang members", not "how much is the line"
        if j >= len(flat) or flat[j] not in ("many", "much"):
            return None
        j += 1
        if j < len(flat) and _a_verb(flat[j], lexicon):
            return None  # "how many *got* flu", "how many caught it": people, not flu
        if j < len(flat) and flat[j] in _BEFORE_NOUN:
            # "how much *the* water restrictions may cost": a clause follows, about the
            # restrictions; what is asked for is an amount of something else (money)
            return None
    elif flat[start] == "what" and j < len(flat) and flat[j] in _AUXILIARIES:
        # "What did the Mexican president say about ...": the speaker
        speaker = True
        j += 1
        while j < len(flat) and flat[j] in _LINKS:
            j += 1
    else:
        if flat[start] == "what" and j < len(flat) and flat[j] in _ARTICLES:
            # "(tell me) what the minister said about ...": the speaker, as with "did"
            speaker = _after_the_subject(flat, j, lexicon, possessors) in _SAYING
        while j < len(flat) and flat[j] in _LINKS:
            j += 1
    if flat[start] == "who" and j == start + 1:
        return None  # "who signed": no noun is asked for
    # "the name of the captain" asks for the captain (by name); "what share of adults"
    # and "the number of stations" count them. The noun before "of" may start the phrase
    # ("share" and "number" may not read as nouns on their own) or end it ("the real
    # name of").
    named = False
    counted = flat[start] == "how"
    while True:
        if j + 2 < len(flat) and flat[j] in NAMING | _PORTIONS and flat[j + 1] == "of":
            word, j = flat[j], j + 2
        else:
            head, end = _noun_phrase_head(flat, j, lexicon, possessors)
            if not (head in NAMING | _PORTIONS and end + 1 < len(flat) and flat[end] == "of"):
                break
            word, j = head, end + 1
        named = named or word in NAMING
        counted = counted or word in _PORTIONS
    if head is None:
        return None
    if speaker and end + 1 < len(flat) and flat[end] == "of":
        # "What did the president *of South Orvandia* say?": whose president (a few words,
        # a name among them), and then the verb
        whose = range(end + 1, min(end + 1 + _WHOSE, len(flat)))
        end = next(
            (k for k in whose if _the_deed(flat, k)),
            next((k for k in whose if _says(flat[k])), end),
        )
    if speaker and not (end < len(flat) and _says(flat[end])):
        return None
    return _Asked(head, speaker, start, named, counted, end)


def _subject_of_a_clause(
    flat: list[str], found: _Asked, lexicon: Lexicon, possessors: frozenset[str]
) -> bool:
    """Are the people "what are ..." names the subject of the clause it asks about, not
    what it asks for? "What are existing users of the app *meant* to do?", "What were the
    protesters *demanding*?", "What was the minister *accused* of?": a verb's inflected
    form (a participle, an "-ing" form) after the noun phrase (and what carries it on:
    "of the app") makes them its doers, or those it was done to, and "what" the thing
    done. "What are the officials' names?" and "What is the name of the minister who
    resigned?" ask for the people themselves; so does "What was the name of the man
    *arrested*?", where the participle says which man is named, not what is asked."""
    start, end = found.start, found.end
    if flat[start] != "what" or start + 1 >= len(flat) or flat[start + 1] not in _BE:
        return False
    if found.named:
        return False
    if lexicon.expand(found.head).lexname != "noun.person":
        return False
    while end + 1 < len(flat) and flat[end] in _CARRYING_ON:
        more, after = _noun_phrase_head(flat, end + 1, lexicon, possessors)
        if more is None or after <= end + 1:
            break
        end = after
    if end >= len(flat):
        return False
    word = flat[end]
    # (not "-s": "demands" may be a plural noun as well as a verb; nor "What are the
    # calf's parents *called*?", which asks for their names, nor "What are the miners
    # *rescued* on Sunday *called*?", where the participle says which miners are named)
    return (
        not any(w in _NAMED_AS for w in flat[end:])
        and not word.endswith("s")
        and any(base != word for base in wordnet().base_forms(word, "v"))
    )


#: Forms of "to be" after "what" ("r": "what r they meant to do").
_BE = frozenset(["is", "are", "was", "were", "s", "r"])
#: Words that ask for a name after the people ("What are the calf's parents *called*?").
_NAMED_AS = frozenset(["called", "named", "known", "nicknamed", "dubbed"])
#: Prepositions that carry a noun phrase on ("users *of* the app").
_CARRYING_ON = frozenset("of in at from on for with".split())


#: The most words between a speaker's "of" and the verb of saying: "the president of
#: the Republic of South Orvandia said".
_WHOSE = 6


def _the_deed(flat: list[str], k: int) -> bool:
    """Is ``flat[k]`` the "do" of "What did the president of Honduras *do* ...?", the
    question's own verb (not "to do", "would do")? Then it asks what was done, whatever
    word of saying comes before it, in whose president it is ("the editor of the Tarrow
    *Herald* do"), or after it ("do after the UN *report*")."""
    return flat[k] in _DOING and flat[k - 1] not in _BEFORE_VERB


#: The verb a question for what someone did asks with: "What did the mayor of Tarrow
#: *do*?", "What has the president of Honduras *done*?"
_DOING = frozenset(["do", "done"])

#: The sizes "how" asks for an amount by: "how *big* a fine", "how *large* is the deficit".
_SIZES = frozenset("big large high steep hefty huge".split())


def _sized(
    flat: list[str], j: int, start: int, lexicon: Lexicon, possessors: frozenset[str]
) -> _Asked | None:
    """For "how big a fine ..." or "how large is the deficit" (``j`` after the size),
    the noun whose size is asked, when it is a measure (:meth:`Lexicon.measure`): the
    question asks for an amount of it, as "how much was the fine" does. Not for "how big
    is the reef": a thing's size is no amount of it."""
    if j < len(flat) and flat[j] in ("a", "an"):
        j += 1
    else:
        while j < len(flat) and flat[j] in _LINKS:
            j += 1
    head, _ = _noun_phrase_head(flat, j, lexicon, possessors)
    if head is None or lexicon.measure(head) is None:
        return None
    return _Asked(head, False, start, False, False)


#: What after "a week", "a year" makes it a time, not a rate: "a year ago".
_NOT_A_RATE_AFTER = frozenset("ago after before later earlier since".split())
#: The units of time, with the adjectives and adverbs that give a rate of them: "an
#: annual salary", "paid weekly".
RATE_WORDS = {
    "year": ("annual", "annually", "yearly"),
    "month": ("monthly",),
    "week": ("weekly",),
    "day": ("daily",),
    "night": ("nightly",),
    "hour": ("hourly",),
}
_DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())
#: Words after "each" or "per" that are no unit: "each one", "each other", "per cent".
_NOT_UNITS = frozenset("one other cent centum lot bit few little couple number total".split())


#: The verbs of being paid for one's work: "How much does Aled Penhallow *earn*?", "What is
#: Maureen Oakes *paid* as leader?", "how much does the chief executive *get paid*".
_EARN = frozenset(["earn", "earns", "earned", "earning", "earnt"])
#: The question's words for being paid, which any word for pay says.
PAY_VERBS = _EARN | {"paid"}
#: What someone is paid they receive: "Each pilot will receive 1,200 euros a month".
RECEIVING = frozenset(["receive", "receives", "received", "receiving"])
_BE_OR_GET = frozenset("is are was were be been being get gets got gotten getting 's 're".split())
#: Words that make "paid" active or a price: "to have *paid* for the goalkeeper", "how
#: much *did* Valdoria pay".
_PAYING = frozenset("have has had did do does".split())
#: The auxiliaries a question puts before the one who earns or is paid: "how much *does* a
#: nurse earn", "how much *will* the restorers be paid".
_BEFORE_EARNER = _BE_OR_GET | _PAYING | frozenset("will would can could should may might".split())
#: Words that end the one who earns: "a nurse *at* the hospital".
_AFTER_EARNER = frozenset("in at on from of for with by as".split())


def asks_pay(flat: list[str], lexicon: Lexicon) -> bool:
    """Does the question ask what someone is paid for their work ("How much does Aled
    Penhallow earn?", "What is Maureen Oakes paid as leader of the council?", "how much
    do bus drivers get paid")? "paid" counts in the passive, after a form of "be" or
    "get" (the one paid may stand between them); not "What fee is Valdoria reported to
    have paid", "How large was the sum Valdoria paid" (an amount between them: it is what
    was paid) nor "how it will be paid for" (a price). "earn" counts when a person earns
    (:func:`_a_person_earns`: not "How much did Arkvale Tiles earn?"). Neither counts when
    the question names the money it is in ("How much was paid in compensation?": that
    money, not pay). ``flat``: the question's words."""
    for i, word in enumerate(flat):
        if word in PAY_VERBS and _in_money(flat[i + 1 :], lexicon):
            return False
        if word in _EARN:
            return _a_person_earns(flat[:i], lexicon)
        if word != "paid" or flat[i + 1 :] == ["for"]:
            continue
        if _the_amount_is_paid(flat[:i], lexicon):
            continue
        for before in reversed(flat[max(0, i - 6) : i]):
            if before in _PAYING or lexicon.measure(before) == "money":
                break
            if before in _BE_OR_GET:
                return True
    return False


#: What asks for the amount itself: "how *much* was paid", "*what* has been paid".
_THE_AMOUNT = frozenset("much what which".split())


def _the_amount_is_paid(before: list[str], lexicon: Lexicon) -> bool:
    """Is what the question asks for, an amount, the subject of "paid" right after a
    form of "be" (``before``: the question's words up to "paid")? "How much was paid for
    the portrait?", "What has been paid to the contractor?", "How much money will be
    paid?" ask for a sum paid, not for someone's pay; "How much is Varnam being paid?",
    "how much do drivers get paid" name the one paid."""
    j = len(before)
    while j > 0 and before[j - 1] in _BE_OR_GET:
        j -= 1
    if j == len(before):
        return False
    while j > 0 and before[j - 1] in _BEFORE_EARNER:
        j -= 1
    return j == 0 or before[j - 1] in _THE_AMOUNT or lexicon.measure(before[j - 1]) == "money"


def _in_money(after: list[str], lexicon: Lexicon) -> bool:
    """Do the words ``after`` a verb of pay name the money it is in ("paid *in
    compensation*", "earned *in interest*")?"""
    if after[:1] != ["in"]:
        return False
    head = next((w for w in after[1:] if w not in STOPWORDS), None)
    return head is not None and lexicon.measure(head) == "money"


def _a_person_earns(before: list[str], lexicon: Lexicon) -> bool:
    """Does the one who earns, between the question's auxiliary and "earn" (``before``:
    the question's words up to it), name a person or a name ("how much does *a nurse* at
    the hospital earn", "does *Aled Penhallow* earn")? A company, a fund or a film earns
    income, interest or points, not pay: "How much did Arkvale *Tiles* earn last year?",
    "How much interest did the *fund* earn?". True when the question has no auxiliary
    (nothing says who earns)."""
    for start in range(len(before) - 1, -1, -1):
        if before[start] in _BEFORE_EARNER:
            earner = before[start + 1 :]
            break
    else:
        return True
    cut = next((j for j, w in enumerate(earner) if w in _AFTER_EARNER), len(earner))
    head = next((w for w in reversed(earner[:cut]) if w not in STOPWORDS), None)
    return head is None or names_someone(head, lexicon)


def names_someone(word: str, lexicon: Lexicon) -> bool:
    """Does ``word`` name someone who may be paid: a kind of person ("nurse", "teachers")
    or a name ("Oakes"), not a thing ("points", "interest", "fund", "company")?"""
    found = lexicon.expand(word)
    return not found.known or found.name_like or found.lexname == "noun.person"


def _a_name(word: str, lexicon: Lexicon, capitalised: frozenset[str]) -> bool:
    """Is ``word`` a name, which no unit is? One the question writes with a capital is;
    a question that writes some name so ("How much will Tavrin Power charge per kWh?")
    would write this one so too; else, one WordNet knows only as a name, or not at all
    ("orvandia", "reuters"). ``capitalised``: the words the question writes with a
    capital inside a sentence."""
    if word in capitalised:
        return True
    if capitalised:
        return False
    expansion = lexicon.expand(word)
    return word.isalpha() and (expansion.proper or not expansion.known)


def _whose_figure(
    flat: list[str],
    at: int,
    lexicon: Lexicon,
    capitalised: frozenset[str],
    possessors: frozenset[str],
) -> bool:
    """Does the noun phrase at ``at``, after "per", say whose figure it is: a name ("per
    Reuters"), its own ("per Orvandia's border agency") or what it tells ("per UNHCR
    figures", "per Frontex data": a word WordNet files under communication or cognition),
    not a unit of something the name says which ("per Quellmari family")?"""
    word = flat[at]
    if not _a_name(word, lexicon, capitalised):
        return False
    head, _ = _noun_phrase_head(flat, at, lexicon)
    return word in possessors or head in (None, word) or lexicon.expand(head).lexname in _TELLING


#: WordNet's files for what a figure is according to: "figures", "data", "estimates".
_TELLING = frozenset(["noun.communication", "noun.cognition"])


def rate_asked(
    flat: list[str],
    lexicon: Lexicon,
    capitalised: frozenset[str] = frozenset(),
    possessors: frozenset[str] = frozenset(),
) -> str | None:
    """The unit a question for an amount asks for it per, as the head of the noun phrase
    after "per", "each" or "every" ("What price per tonne ...?" -> "tonne"; "how much
    compensation per dead sheep" -> "sheep"; "each of the electric buses" -> "buses"), or
    a unit of time after "a" ("How many ships a week ...?" -> "week"; not "a single
    room", nor "a year ago"); None if it asks for none. ``flat``: the question's words as
    read (chat spellings spelt out: "per yr"); ``capitalised``: the words it writes with a
    capital inside a sentence; ``possessors``: those it writes with "'s"."""
    for i, word in enumerate(flat[:-1]):
        if word in ("a", "an"):
            unit = flat[i + 1]
            after = flat[i + 2] if i + 2 < len(flat) else ""
            if unit in RATE_WORDS and after not in _NOT_A_RATE_AFTER:
                return unit
        elif word == "each" and flat[i + 1] == "of" and i + 2 < len(flat) and "much" in flat[:i]:
            # "how much will each of the buses cost": an amount for one of them, the noun
            # after the determiner ("how many votes did each of the candidates win" asks
            # for a list, not a rate)
            start = i + 3 if flat[i + 2] in _DETERMINERS else i + 2
            head, _ = _noun_phrase_head(flat, start, lexicon)
            if head is not None and head not in _NOT_UNITS and head.isalpha():
                return head
        elif (
            word in ("per", "each", "every")
            and flat[i + 1] not in _DETERMINERS
            and not (word == "per" and _whose_figure(flat, i + 1, lexicon, capitalised, possessors))
        ):
            # (not "per the Courier" nor "per Orvandia's border agency": according to it;
            # but "each Quellmari family" is a unit)
            head, _ = _noun_phrase_head(flat, i + 1, lexicon)
            if head is not None and head not in _NOT_UNITS and head.isalpha():
                return head
    return None


#: Where a question asks a second thing: "and", a comma (not before a relative clause), a
#: question mark or a semicolon, then a word that opens a question ("..., and how much
#: trade is at stake?", "how many points did they lose and where does that leave them?",
#: "Who signed it? When?").
_OPENS_A_QUESTION = (
    r"(?:what|whats|how|who|whose|when|where|why|which|whether|is|are|was|were|does|do|"
    r"did|has|have|can|will|could|would)\b"
)
#: After a comma alone, a relative word opens a clause on the noun before it, not a second
#: question ("How much did they pay for the striker, who scored twice?", "What did the
#: manager, who was sacked, say?"): "where" and "when" do unless a verb follows them at
#: once, as only a question's do ("Who will build it, where will it be?").
_RELATIVE = (
    r"(?:who|whom|whose|which)\b|(?:where|when)\b(?!\s+(?:is|are|was|were|does|do|did|has|"
    r"have|had|can|will|could|would|should)\b)"
)
_NEXT_QUESTION = re.compile(
    rf"(?:,?\s+(?:and|&|\+)\s+|\s*[?;]\s+|,\s+(?!{_RELATIVE}))(?={_OPENS_A_QUESTION})",
    re.IGNORECASE,
)
_A_QUESTION = re.compile(rf"^\W*{_OPENS_A_QUESTION}", re.IGNORECASE)
#: The fewest words a part of a question needs to be asked on its own.
_PART_WORDS = 3


def question_parts(question: str) -> list[str]:
    """The questions ``question`` asks, when it asks more than one ("What has Duvessa done
    in response, and how much trade is at stake?"): each part, in order, of at least
    :data:`_PART_WORDS` words that opens as a question does; empty when it asks one
    thing."""
    parts = [p.strip(" ,;") for p in _NEXT_QUESTION.split(question)]
    if len(parts) < 2:
        return []
    # (what comes before the first question word is framing or a setting, not a
    # question: "going by the Advertiser, how many ...", "we're a family of 7 in
    # Wexcombe, can we ...")
    asked = [p for p in parts if len(p.split()) >= _PART_WORDS and _A_QUESTION.match(p)]
    return asked if len(asked) > 1 else []
