"""The extractive summariser: an answer made only of sentences from the sources.

It is the default when no LLM is configured, and the fallback whenever the LLM fails or
its answer cannot be trusted. Every sentence is copied from a retrieved passage and
carries that passage's marker ``[n]``; citations list exactly the passages used.

Only whole sentences are used: a piece of a sentence too long for one chunk is never an
answer sentence (:func:`bot.core.chunking.chunk_sentences`). Footnote markers attached to
the article's words ("cost[2]", "1936.[3]", "[citation needed]") are left out of answer
sentences, and a sentence that still holds a bracketed number ("Room [2]") is not used, so
that every bracketed number in an answer is one of its own citations. An answer sentence
is thus its source sentence verbatim apart from those markers (and whitespace), and the
citation's text stays verbatim.

The answer leads with the sentence that best answers the question: the one holding the
most of its weighted terms, favouring the kind of sentence the question asks for (a cause
for "why", a number for "how many", the negation or limit that settles a yes/no question).
A sentence that leans on the one before it ("It was due to...") brings that one along.
Supporting sentences follow, chosen greedily for what they add (terms already covered
count half) until about ``max_words`` words, in reading order; when the passages hold a
side of the story that the answer lacks, that side's best sentence is added too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core.candidates import (
    Neighbours,
    SentenceScorer,
    SourceSentence,
    as_precise_as_asked,
    beside_the_asked,
    counting_the_asked,
    defining,
    done_by,
    from_the_outlet_asked,
    gives_rate,
    giving_the_count,
    giving_the_tally,
    heading_the_asked,
    holding_the_kind,
    in_anyone_s_words,
    in_the_question_s_words,
    in_the_speaker_s_words,
    is_statement,
    leans_back,
    naming_the_asked,
    passage_sentences,
    quotation_balance,
    reads_as_cited,
    stating_the_measure,
    usable_sentences,
)
from bot.core.expected import words_of
from bot.core.gate import coverage, overview_article
from bot.core.models import Citation
from bot.core.phrasing import asks_who_someone_is, sentences_asked
from bot.core.profile import Profile
from bot.core.retrieve import Retrieval
from bot.core.roles import could_be_surname
from bot.core.summaries import holder
from bot.core.text import paragraph_spans, squash, strip_footnote_markers
from bot.core.wordnet import wordnet
from bot.core.words import STOPWORDS, jaccard, stem, word_count
from storage.articles import Passage

NOT_IN_SOURCES = (
    "Not in the sources: none of the stored articles covers this question, so I won't "
    "guess. Try rephrasing it with the names or terms the articles would use."
)
#: The refusal of a borderline question: the articles speak of what it asks about, but no
#: passage says what it asks ("Who is the captain?" against an article that mentions the
#: captain and names no one).
NOT_SAID_IN_SOURCES = (
    "Not in the sources: the stored articles touch on this, but none of them says it, so "
    "I won't guess. Try asking what they do say about it."
)

#: How many sentences back a sentence that leans on the one before may reach.
MAX_LEANING = 2
#: A follower must score at least this share of the lead sentence.
RELATIVE_FLOOR = 0.25
#: Each sentence already taken from an article makes the next one from it worth less, so
#: an answer hears from every article that covers the question.
ARTICLE_DECAY = 0.75
#: A sentence that carries on from a chosen one (the next in its paragraph) is worth at
#: least this share of that one: an answer reads better, and holds more, in runs.
CONTINUITY = 0.7


def with_marker(sentence: str, marker: int) -> str:
    """``"It was signed."`` -> ``"It was signed [1]."``; other endings get the marker after.

    Whitespace is squashed and the article's own footnote markers are removed
    (``"It cost $5 [2]."`` -> ``"It cost $5 [1]."``), so that no bracketed number in the
    answer is mistaken for a citation."""
    text = squash(strip_footnote_markers(sentence))
    if text.endswith((".", "!", "?")) and not text.endswith(("..", "...")):
        return f"{text[:-1]} [{marker}]{text[-1]}"
    return f"{text} [{marker}]"


def select_sentences(
    retrieval: Retrieval, max_words: int, profile: Profile | None = None
) -> list[SourceSentence]:
    """The sentences of the extractive answer: the one that best answers first, then
    support (and the other side of the story, when the passages hold it) in reading order.
    """
    candidates = passage_sentences([*retrieval.passages, *retrieval.neighbours])
    # "According to the Echo, how many homes lost power?": the Echo's story answers, and
    # its name says where to look, not what to say (the wire story's dateline, "(Calder
    # Press Agency) —", holds the outlet's name and not what was asked).
    outlet = from_the_outlet_asked(retrieval, candidates)
    if outlet is not None:
        query = retrieval.query
        rest = tuple(t for t in query.terms if t.word not in outlet[1] or t.word == query.speaker)
        if rest:
            retrieval = replace(retrieval, query=replace(query, terms=rest))
    scorer = SentenceScorer(retrieval, candidates)
    usable = usable_sentences(scorer, candidates)
    # whole sentences that may be quoted (support and the speaker's words come from these)
    statements = [s for s in candidates if is_statement(s.text) and not reads_as_cited(s.text)]
    if not usable:
        return []
    around = Neighbours(candidates)
    chosen: list[SourceSentence] = []

    def fits(s: SourceSentence) -> bool:
        return all(
            not (c.passage.article_id == s.passage.article_id and c.start == s.start)
            and jaccard(s.stems, c.stems) <= 0.7
            for c in chosen
        )

    def with_context(pick: SourceSentence) -> list[SourceSentence]:
        """``pick``, after the sentences it leans on ("It was due to misuse" leans on the
        one before; that one may lean on another), and before the next one when that one
        leans on it and says what was asked."""
        group = [pick]
        while len(group) <= MAX_LEANING and leans_back(group[0].text):
            before = around.before(group[0])
            if before is None or not fits(before) or before in group:
                break
            group.insert(0, before)
        after = around.after(pick)
        if (
            after is not None
            and scorer.expects is not None
            and leans_back(after.text)
            and scorer.expects.search(after.text)
            and fits(after)
        ):
            group.append(after)
        return closing_quotation(group)

    def closing_quotation(group: list[SourceSentence]) -> list[SourceSentence]:
        """``group``, and when it leaves a quotation open, the sentences that close it (a
        few at most): "“People are not leaving because a border is too open." alone is
        half a quote."""
        still_open = sum(quotation_balance(s.text) for s in group)
        while still_open > 0 and len(group) <= 2 * MAX_LEANING:
            after = around.after(group[-1])
            if after is None or after in group or not fits(after):
                break
            group.append(after)
            still_open += quotation_balance(after.text)
        return group

    # The lead comes from an article that names what was asked in the question's own
    # words, when some do and others match it only by the profile's other names for it.
    named = in_the_question_s_words(retrieval, candidates)
    # ... and from the outlet it names, where it names one.
    if outlet is not None:
        named = outlet[0] if named is None else (named & outlet[0] or named)

    def preferred(sentences: list[SourceSentence]) -> list[SourceSentence]:
        if named is None:
            return sentences
        return [s for s in sentences if s.passage.article_id in named] or sentences

    # Support comes from those articles too: beside a lead about the memorandum, a
    # sentence of the cybersecurity treaty's story ("it is a legally binding treaty")
    # would read as being about the memorandum.
    if named is not None:
        usable = preferred(usable)
        statements = preferred(statements)

    def top(sentences: list[SourceSentence]) -> SourceSentence:
        """The best-scoring of ``sentences``; on a tie, the better-ranked, then the first."""
        return max(sentences, key=lambda s: (scorer.score(s), -s.rank, -s.start))

    chosen_ids = {p.chunk_id for p in retrieval.passages}
    lead = top(preferred([s for s in usable if s.passage.chunk_id in chosen_ids] or usable))
    first_pick = lead
    if retrieval.query.answer_type == "overview":
        lead = _story_lead(retrieval, scorer, candidates, lead)
    # "What did Hallgrimsson say?" is answered by his words, even where they hold no word
    # of the question but the speaker's "he" ("He defended like a machine," he said).
    # ... and "What did the guy say?" by anyone's words (see in_anyone_s_words), not by
    # the sentence that holds most of the question's other words ("A fire gutted ...").
    reported = preferred(
        in_the_speaker_s_words(retrieval, scorer, statements)
        or in_anyone_s_words(retrieval, scorer, statements)
        or []
    )
    if reported and lead not in reported:
        lead = top(reported)
    # "Why did the renovation run late?" is answered by a cause of that: a sentence with
    # a cause that says what the question says happened ("It ran five months late, mostly
    # because asbestos ..."), before one with a cause of something else ("reopened ...
    # after a 30-month renovation").
    causes = _causes_of_the_event(retrieval, scorer, usable)
    if causes and lead not in causes:
        lead = top(causes)
    # "Who is Ada Lind?" is answered where her article introduces her: news gives a
    # person's full name and role at the first mention, the surname alone after.
    introducing = _first_naming(retrieval, scorer, usable, lead)
    if introducing is not None:
        lead = introducing
    # "What is coffee rust?" is answered by the sentence that says what it is.
    definitions = preferred(defining(retrieval, usable))
    if definitions and lead not in definitions:
        lead = top(definitions)
    # "What three core areas does the accord cover?" is answered where the story gives
    # that many of something ("The text rests on three pillars"), which the sentences after
    # it list.
    counted = preferred(giving_the_count(retrieval, usable))
    if counted and lead not in counted:
        lead = top(counted)
    # A question that asks for a number, a date, a place or a person is answered by a
    # sentence that holds one: when the best-scoring sentence does not, the best one that
    # does leads ("The fee is reported to be 9.5 million euros" for "How much did
    # Valdoria pay?", before the sentence about the signing that holds more of its words).
    holding = holding_the_kind(retrieval, scorer, usable)
    # ... and one that asks about a role or counts a thing, by a sentence that gives the
    # person or the number beside it.
    holding = beside_the_asked(retrieval, scorer, usable) or holding
    # ... and, for "What's the vaccine called?", one that gives a name as news does
    # ("known for now as CB-417"), before one with the thing and some other name.
    holding = naming_the_asked(retrieval, holding or []) or holding
    # ... and, for "Which union ...?", one that names a union by its name.
    holding = heading_the_asked(retrieval, usable if holding is None else holding) or holding
    # ... and among those, one whose number counts the very thing asked about ("212
    # players") before one that merely holds a number and the thing.
    counting = counting_the_asked(retrieval, holding or [])
    if counting:
        holding = counting
    # ... and, for "On what date ...?" or "What year ...?", one that gives a date or a
    # year ("on 12 October") before one that gives a weekday ("on Saturday evening"); for
    # "how much", an amount ("500,000 euros") before a bare number.
    precise = as_precise_as_asked(retrieval, holding or [])
    if precise:
        holding = precise
    # ... and, for "How much will each of the buses cost?", one that gives an amount per
    # bus ("1.2 million dollars each"), the rate the gate let it through for, before one
    # that gives a total ("The project is expected to cost 412 million dollars").
    giving = _giving_the_rate(retrieval, scorer, holding or [])
    if giving:
        holding = giving
    # ... and one that names the measure asked for beside its amount ("expected to cost
    # 412 million dollars") before one that gives some other sum ("a 3.5 million dollar
    # fund").
    stating = stating_the_measure(retrieval, holding or [])
    if stating:
        holding = stating
    # ... and, for "Who chairs the board?", one that says the deed itself ("the board's
    # chair, Annika Feldstrom"), before one that names someone beside other words of the
    # question ("The utility, Carrowmore Water Works, estimates ...").
    deed = retrieval.query.deed
    if holding and deed is not None:
        # (that says something else of the question too: "Opposition MPs asked why it had
        # *taken* so long" does not answer "Who took the data retention act to court?")
        # (a passive that says who did it says enough: "The plan was approved unanimously
        # by the county planning committee")
        doing = next((t for t in retrieval.query.terms if t.word == deed), None)
        holding = [
            s
            for s in _saying(scorer, holding, [deed])
            if scorer.in_its_words(s) - {deed} or (doing is not None and done_by(doing, s.text))
        ] or holding
    # ... and, for "What city was the deal signed in?", one that says what the question
    # says happened ("signed ... in Tegucigalpa"), before one that gives a place for
    # something else ("a centre, to be based in the port city of Harrowmere"), when it
    # also holds every term the best of them holds (a sentence with the verb alone, "rising
    # to around 27 dollars", does not displace "raise water rates by 8.5 per cent a year").
    if holding:
        said = scorer.in_its_words(top(holding))
        saying = _saying_the_event(retrieval, scorer, holding)
        holding = [s for s in saying if said <= scorer.in_its_words(s)] or holding
    # ... and, for "What was the vote count?", one that gives a tally ("voted 31 to 17").
    tallies = giving_the_tally(retrieval, holding or usable)
    if tallies:
        holding = tallies
    if holding:
        holding = preferred(holding)
    # (the best of them, from any passage, when nothing above chose the lead: the first
    # pick is the best of the retrieved passages' sentences, not of their neighbours')
    if holding and (lead not in holding or lead is first_pick):
        lead = top(holding)
    if profile is not None:
        lead = _of_the_side_asked(retrieval, scorer, usable, lead, profile, top)
    lead_group = with_context(lead)
    if holding == []:
        # None of the sentences that speak to the question holds what it asks for, but
        # the gate let it through because one near them does (answerable_in_kind): the
        # nearest such sentence of the lead's passage joins the lead, in reading order
        # ("It was on Tuesday that Nielsen ... took part in a summit" before "The summit
        # had ended with the signing of the memorandum", for "When was it signed?").
        near = _nearest_holding(retrieval, scorer, candidates, lead)
        if near is not None and fits(near) and near not in lead_group:
            lead_group = sorted([*lead_group, near], key=lambda s: s.start)
    # The lead's next sentence usually carries on with what it began ("The text rests on
    # three pillars." -> the pillars), so it comes too, when it is a whole statement.
    after = around.after(lead_group[-1])
    if after is not None and is_statement(after.text) and not reads_as_cited(after.text):
        chosen.extend(lead_group)
        if fits(after):
            lead_group.append(after)
            # (a quotation it opens is read to its end, not cut and finished among the
            # support sentences that follow)
            lead_group = closing_quotation(lead_group)
        chosen.clear()
    chosen.extend(lead_group)
    floor = RELATIVE_FLOOR * scorer.score(lead)
    covered: dict[str, float] = {}
    for s in lead_group:
        for w, c in scorer.credits(s).items():
            covered[w] = max(covered.get(w, 0.0), c)
    words_used = sum(word_count(s.text) for s in lead_group)
    # Support is a sentence that holds a term itself and scores enough, or one that
    # carries on from a chosen sentence (which may hold no term: "The fee is reported to
    # be 9.5 million euros" after the signing).
    pool = [
        s
        for s in statements
        if s is not lead
        and ((scorer.own(s) and scorer.score(s) >= floor) or around.before(s) is not None)
    ]

    def gain(s: SourceSentence) -> tuple[float, int]:
        value = scorer.relevance(s, covered) * scorer.shape(s) if scorer.own(s) else 0.0
        same_article = sum(1 for c in chosen if c.passage.article_id == s.passage.article_id)
        value *= ARTICLE_DECAY**same_article
        before = around.before(s)
        if before is not None and before in chosen:
            value = max(value, CONTINUITY * scorer.score(before))
        return value, -s.start

    while pool and words_used < max_words:
        gains = [gain(s) for s in pool]
        best = max(range(len(pool)), key=gains.__getitem__)
        if gains[best][0] <= 0:
            break  # what is left says nothing the question asks
        pick = pool.pop(best)
        if not fits(pick):
            continue
        group = with_context(pick)
        size = sum(word_count(s.text) for s in group)
        if words_used + size > max_words:
            continue
        chosen.extend(group)
        for s in group:
            for w, c in scorer.credits(s).items():
                covered[w] = max(covered.get(w, 0.0), c)
        words_used += size

    if profile is not None:
        chosen = _balanced(chosen, usable, profile, max_words, fits, with_context)
    followers = [s for s in chosen if s not in lead_group]
    first_seen: dict[int, int] = {}
    for s in followers:
        first_seen.setdefault(s.passage.article_id, len(first_seen))
    followers.sort(key=lambda s: (first_seen[s.passage.article_id], s.start))
    # "in two sentences", "briefly": the lead (with what it leans on), then as many more
    # as were asked for
    answer = lead_group + followers
    asked = sentences_asked(retrieval.query.text)
    if asked is not None:
        # what the lead leans on stays, and a quotation is kept whole
        keep = max(asked, lead_group.index(lead) + 1)
        while keep < len(answer) and sum(quotation_balance(s.text) for s in answer[:keep]) > 0:
            keep += 1
        answer = answer[:keep]
    # (a person named by surname is introduced; not for "Which countries were at the
    # summit?", whose answer names places, and the people beside them only in passing)
    asks_places = any(t.asked and t.place for t in retrieval.query.terms)
    if retrieval.query.answer_type == "who" and not asks_places:
        answer = _introduced(answer, candidates, fits, retrieval.query.text)
    return answer


def _of_the_side_asked(
    retrieval: Retrieval,
    scorer: SentenceScorer,
    usable: list[SourceSentence],
    lead: SourceSentence,
    profile: Profile,
    top: Callable[[list[SourceSentence]], SourceSentence],
) -> SourceSentence:
    """The lead for a question for who stands on one side of the story.

    "Who is critical of the memorandum?" (a "who" question that names no one, with the
    cues of one side only, by the profile) is led by a sentence of that side, not by the
    other side's praise of the memorandum ("Nielson has described the memorandum as ... a
    Historic Agreement"). Not "who spoke for the rights coalition?", which names whom it
    asks about. Over a lead of neither side, only a sentence that also holds all of the
    question's words the lead holds: the lead may name whom it asks about in words no
    side's cue holds ("Engineer Tom Reyes first flagged cracks in the bridge ..., telling
    the council it could fail" for "Who warned that the bridge could fail?"), and a cue
    alone does not make another sentence speak to the question ("Local traders warned
    that the closure would cost them customers")."""
    query = retrieval.query
    if query.answer_type != "who" or any(
        t.asked or t.anchor or _names_someone(t.word) for t in query.terms
    ):
        return lead
    side = profile.stances(query.text)
    lead_sides = profile.stances(lead.text)
    if len(side) != 1 or side & lead_sides:
        return lead
    said = frozenset() if lead_sides else scorer.in_its_words(lead)
    siding = [
        s for s in usable if side & profile.stances(s.text) and said <= scorer.in_its_words(s)
    ]
    return top(siding) if siding else lead


def _names_someone(word: str) -> bool:
    """Is ``word`` first a noun for a person or a group ("coalition", "analyst")?"""
    return wordnet().commonest_file(word) in ("noun.person", "noun.group")


def _giving_the_rate(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """Those of ``sentences`` that give an amount per the unit the question asks about
    (:func:`gives_rate`): "Farmers will be paid 3.20 velts for each bird culled" for "How
    much compensation do farmers get per bird?". But where another names the measure by
    the question's own word ("Compensation for farmers will total 7.4 million velts", not
    a synonym WordNet gives: "the damage will cost 15 million velts", of a riot), a
    sum per the unit is of that measure only if it names it too or holds another word of
    the question (or its story's title does: "farmers"), as a unit alone says per what,
    not of what: "A levy of 4 velts per bird sold" is no compensation, nor a ferry's "12
    velts per car" the new bridge's toll."""
    query = retrieval.query
    rate = query.rate
    if rate is None:
        return []
    giving = [s for s in sentences if gives_rate(s.text, rate)]
    asked = next((t for t in query.terms if t.measured), None)
    stating = stating_the_measure(retrieval, sentences)
    if asked is None or not any(stem(asked.word) in s.stems for s in stating):
        return giving
    others = [t.word for t in query.terms if not t.measured and stem(t.word) != stem(rate)]
    return [
        s for s in giving if s in stating or any(scorer.credits(s).get(w, 0.0) > 0 for w in others)
    ]


def _causes_of_the_event(
    retrieval: Retrieval, scorer: SentenceScorer, usable: list[SourceSentence]
) -> list[SourceSentence]:
    """For a "why" question, the sentences with a cause that say what the question says
    happened (:func:`_saying_the_event`). (Taking, when none holds all of its words, the
    ones that hold the most lost dev leads: such words are often paraphrased.) Empty for
    other questions."""
    expects = scorer.expects
    if retrieval.query.answer_type != "why" or expects is None:
        return []
    causes = [s for s in _saying_the_event(retrieval, scorer, usable) if expects.search(s.text)]
    # ... and that speak of whom or what the question names ("Why did Desmond Achterberg
    # vote against it?" is not answered by "the vote was the result of four years of
    # consultation", which another councillor gave; by name, by "he" after the name, or
    # by the article's title)
    names = [t.word for t in retrieval.query.terms if t.anchor]
    return [s for s in causes if all(scorer.credits(s).get(w, 0.0) > 0 for w in names)]


def _saying_the_event(
    retrieval: Retrieval, scorer: SentenceScorer, sentences: list[SourceSentence]
) -> list[SourceSentence]:
    """Those of ``sentences`` that hold every word of the question that says what
    happened (its verbs, adjectives and adverbs: "signed", "run", "late") by their own
    words or family, not through their article's title. Empty when the question has no
    such word."""
    event = [t.word for t in retrieval.query.terms if not t.noun and not t.anchor]
    return _saying(scorer, sentences, event) if event else []


def _saying(
    scorer: SentenceScorer, sentences: list[SourceSentence], words: list[str]
) -> list[SourceSentence]:
    """Those of ``sentences`` that hold every one of the terms ``words`` by their own
    words or family (credit 1), not through their article's title or a synonym."""
    return [s for s in sentences if all(scorer.credits(s).get(w, 0.0) >= 1.0 for w in words)]


def _story_lead(
    retrieval: Retrieval,
    scorer: SentenceScorer,
    candidates: list[SourceSentence],
    best: SourceSentence,
) -> SourceSentence:
    """What leads an overview: the first sentence of the best passage's article, when it
    covers the topic as well as ``best`` (the best-scoring sentence) does. News says what
    a story is about in its first sentence, though a later one may repeat the topic's
    words more often; a part of the story the first sentence does not cover ("tell me
    about the critics of the levy") is led by ``best``. The opening passage is among
    the candidates (:meth:`bot.core.retrieve.Retriever.retrieve` adds it)."""
    article = overview_article(retrieval.query, retrieval.passages)
    opening = min(
        (
            s
            for s in candidates
            if s.passage.article_id == article
            and s.passage.char_start == 0
            and is_statement(s.text)
            and not reads_as_cited(s.text)
        ),
        key=lambda s: s.start,
        default=None,
    )
    if opening is None or not scorer.own(opening):
        return best
    terms = retrieval.query.terms

    def covered(s: SourceSentence) -> float:
        credits = scorer.credits(s)
        return coverage(terms, {t.word: credits.get(t.word, 0.0) for t in terms})

    return opening if covered(opening) >= covered(best) else best


def _first_naming(
    retrieval: Retrieval,
    scorer: SentenceScorer,
    usable: list[SourceSentence],
    lead: SourceSentence,
) -> SourceSentence | None:
    """For a question that asks who someone is by name alone ("Who is Ada Lind?"), the
    first sentence of the lead's article that holds every word of the name in its own
    words; None for any other question."""
    terms = retrieval.query.terms
    if not terms or not asks_who_someone_is(retrieval.query.text):
        return None
    naming = [
        s
        for s in usable
        if s.passage.article_id == lead.passage.article_id
        and {t.word for t in terms} <= scorer.in_its_words(s)
    ]
    return min(naming, key=lambda s: s.start, default=None)


def _full_name(surname: str, text: str) -> bool:
    """Does ``text`` give ``surname`` with a first name or a title before it ("Kirstjen
    Nielsen", "Secretary Nielsen"; not "On Tuesday", where "On" only starts a sentence)?"""
    pattern = r"\b([A-Z][\w'’-]+)\s+" + re.escape(surname) + r"\b"
    return any(m.group(1).lower() not in STOPWORDS for m in re.finditer(pattern, text))


def _introduced(
    answer: list[SourceSentence],
    candidates: list[SourceSentence],
    fits: Callable[[SourceSentence], bool],
    question: str,
) -> list[SourceSentence]:
    """``answer`` with the sentence that introduces the person it names by surname alone.

    News gives a person's full name and role once ("... with Kirstjen Nielsen, the US
    Secretary of Homeland Security") and the surname after ("Nielsen had met the Mexican
    officials"). An answer to a "who" question that names someone only by surname brings,
    just before that sentence, the first sentence of its article that gives the full name
    (once: the first such person), moving it up if the answer holds it later. A surname
    the question gives is left alone: the asker named the person, and knows who they are
    ("Who did Nielsen meet?" is answered by "Nielsen had met the Mexican officials", not
    led by the sentence that introduces her), and "Who is the curator who studies
    Varenne?" needs no introduction of Varenne; but "Who is Nielsen?" asks for it."""
    in_order = sorted(candidates, key=lambda c: c.start)
    # ("Who is Nielsen?" asks for the introduction itself)
    asked = set() if asks_who_someone_is(question) else words_of(question)
    for i, sentence in enumerate(answer):
        for surname in _SURNAME.findall(sentence.text):
            if not could_be_surname(surname):
                continue  # "Tuesday", "Honduras", "Summit": not a person
            if surname.lower() in asked:
                continue
            if _full_name(surname, sentence.text):
                continue
            later = answer[i + 1 :]
            intro = next(
                (
                    c
                    for c in in_order
                    if c.passage.article_id == sentence.passage.article_id
                    and c not in answer[: i + 1]
                    and _full_name(surname, c.text)
                    and is_statement(c.text)
                    and not reads_as_cited(c.text)
                    and (c in later or fits(c))
                ),
                None,
            )
            if intro is not None:  # brought, or moved up from later in the answer
                return [*answer[:i], intro, sentence, *[s for s in later if s is not intro]]
    return answer


#: A capitalised word inside a sentence that is not a sentence's first word, nor the
#: first word of a longer name ("head of the *Varnholm* Regional Rescue Service").
_SURNAME = re.compile(r"(?<=[\w,;]\s)[A-Z][a-z][\w'’-]+(?![\w'’-]|\s+[A-Z])")


def _nearest_holding(
    retrieval: Retrieval,
    scorer: SentenceScorer,
    candidates: list[SourceSentence],
    lead: SourceSentence,
) -> SourceSentence | None:
    """The sentence of ``lead``'s passage nearest to it that holds the kind of thing the
    question asks for, if one does."""
    same = [
        s
        for s in candidates
        if s.passage.chunk_id == lead.passage.chunk_id
        and is_statement(s.text)
        and not reads_as_cited(s.text)
    ]
    holding = holding_the_kind(retrieval, scorer, same) or []
    return min(holding, key=lambda s: (abs(s.start - lead.start), s.start), default=None)


def _balanced(
    chosen: list[SourceSentence],
    usable: list[SourceSentence],
    profile: Profile,
    max_words: int,
    fits: Callable[[SourceSentence], bool],
    with_context: Callable[[SourceSentence], list[SourceSentence]],
) -> list[SourceSentence]:
    """When the usable sentences of the articles the answer already draws on hold a side
    of the story that the chosen ones lack, add that side's best sentence (the budget may
    run over by that one sentence). Not from another article: the answer to how long a
    coffee tree takes to bear fruit does not hear from the memorandum's critics."""
    result = list(chosen)
    articles = {s.passage.article_id for s in chosen}
    for side in profile.sides:
        if any(side.marks(s.text) for s in result):
            continue
        voice = next(
            (
                s
                for s in usable
                if s.passage.article_id in articles and side.marks(s.text) and fits(s)
            ),
            None,
        )
        if voice is not None and sum(word_count(s.text) for s in result) < max_words * 1.5:
            result.extend(g for g in with_context(voice) if g not in result)
    return result


def citation_for(
    marker: int,
    passage: Passage,
    text: str | None = None,
    paragraphs: tuple[int, int] | None = None,
) -> Citation:
    """Citation ``[marker]`` for ``passage``; ``text`` is the verbatim part shown (default:
    the whole passage), in the article's ``paragraphs`` (first, last; default: those the
    passage spans)."""
    if paragraphs is None:
        last = passage.paragraph + max(len(paragraph_spans(passage.text)) - 1, 0)
        paragraphs = (passage.paragraph, last)
    return Citation(
        marker=marker,
        title=passage.title,
        url=passage.url,
        published=passage.published,
        text=passage.text if text is None else text,
        source=passage.source,
        paragraph=paragraphs[0],
        article_id=passage.article_id,
        chunk_id=passage.chunk_id,
        paragraph_end=paragraphs[1],
    )


def cite(
    sentences: list[SourceSentence],
) -> tuple[str, tuple[Citation, ...]]:
    """Join sentences into an answer with markers numbered in order of first use."""
    markers: dict[int, int] = {}
    passages: dict[int, Passage] = {}
    cited: dict[int, list[int]] = {}  # chunk -> the paragraphs of its sentences cited
    parts: list[str] = []
    previous: Passage | None = None
    for s in sentences:
        p = s.passage
        if previous is not None and _holds(previous, s):
            p = previous  # one passage for a run of sentences, where one holds them all
        previous = p
        if p.chunk_id not in markers:
            markers[p.chunk_id] = len(markers) + 1
            passages[p.chunk_id] = p
        cited.setdefault(p.chunk_id, []).append(s.paragraph)
        parts.append(with_marker(s.text, markers[p.chunk_id]))
    # A citation says where its sentences are, not where its passage begins: "paragraph 6"
    # for a sentence of paragraph 6 of a passage that begins in paragraph 3.
    citations = [
        citation_for(marker, passages[chunk], paragraphs=_span_of(cited[chunk]))
        for chunk, marker in markers.items()
    ]
    return " ".join(parts), tuple(citations)


def _holds(passage: Passage, sentence: SourceSentence) -> bool:
    """Does ``passage`` hold ``sentence`` (chunks overlap: a sentence may be in two)?"""
    return passage.article_id == sentence.passage.article_id and bool(
        holder(sentence.start, sentence.end, [passage])
    )


def _span_of(paragraphs: list[int]) -> tuple[int, int] | None:
    known = [p for p in paragraphs if p > 0]
    return (min(known), max(known)) if known else None


def extractive_answer(
    retrieval: Retrieval, max_words: int, profile: Profile | None = None
) -> tuple[str, tuple[Citation, ...]]:
    """The answer text and its citations, or the refusal and no citations."""
    sentences = select_sentences(retrieval, max_words, profile) if retrieval.answerable else []
    if not sentences:
        return NOT_IN_SOURCES, ()
    return cite(sentences)
