"""How a question is phrased: framing, answer types (bot.core.phrasing). What the
question's words become, and how much they weigh, is in test_query.py."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.core.phrasing import (
    acknowledges,
    answer_type,
    asks_who_someone_is,
    past_the_lead_in,
    sentences_asked,
    source_s_maker,
    strip_framing,
)


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("Tell me about the memorandum", "the memorandum"),
        ("is it true that the memo is binding?", "the memo is binding?"),
        ("Is it really the case the talks failed?", "the talks failed?"),
        (
            "What causes migration from the region, according to the story?",
            "migration from the region, ?",
        ),
        ("what's the deal with the jeeps?", "the jeeps?"),
        ("Could you summarise what the sources say about the aid cut?", "the aid cut?"),
        ("hey, quick question: who signed it?", "who signed it?"),
        ("I'd like to know whether the pact is binding", "the pact is binding"),
        # an imperative that asks for a list or a name frames the question
        (
            "Name the countries that signed the memorandum",
            "the countries that signed the memorandum",
        ),
        ("List the three pillars of the treaty.", "the three pillars of the treaty."),
        ("is it legally binding or nah", "is it legally binding"),
        ("is the pact binding, yes or no?", "is the pact binding"),
        ("Is it a yes or no?", "Is it a yes or no?"),  # the question itself
        ("Name changes are common", "Name changes are common"),  # not an imperative
    ],
)
def test_framing_is_not_focus(question: str, focus: str) -> None:
    assert strip_framing(question) == focus


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Why was aid to Guatemala halted?", "why"),
        ("What causes migration from the region?", "why"),
        ("what's making the corals spawn early?", "why"),
        ("Is the memorandum enforceable?", "yesno"),
        ("Does the compact legally oblige the countries to anything?", "yesno"),
        ("Who criticised the deal?", "who"),
        ("When were the jeeps seen near the UN office?", "when"),
        ("In which city was it signed?", "where"),
        ("In which country did the summit take place?", "where"),
        # a phrase that sets the scene comes before the question word
        ("under the phased approach how long do programmes get to hit benchmarks", "quantity"),
        ("After the vote, when will construction start?", "when"),
        ("In Honduras, how many farmers are affected?", "quantity"),
        # a question word inside the phrase is not the question's
        ("In the year when the memorandum was signed, how many people crossed?", "quantity"),
        ("About the man who resigned, why did he leave?", "why"),
        ("From which countries did the players come?", "where"),
        ("Which countries signed the memorandum?", "who"),
        ("How many countries signed?", "quantity"),
        ("How much will the Eastline cost?", "quantity"),
        ("What did the strike cost the hospital?", "quantity"),
        # a loss, not an amount
        ("What might cost her the title?", "what"),
        ("what could cost them their jobs", "what"),
        # ... but an amount for a span of time or for each one is still an amount
        ("What will the new tax cost me a year?", "quantity"),
        ("What does the pass cost us a month?", "quantity"),
        ("what will the levy cost them per household", "quantity"),
        ("What does the memorandum commit the countries to?", "what"),
        # a request wraps the question: its type is the wrapped question's
        ("Could you tell me how much the renovation cost?", "quantity"),
        ("Can you check who signed it for Honduras?", "who"),
        ("I'd like to know when the jeeps arrived.", "when"),
        ("Could you find out whether the memorandum is binding?", "yesno"),
        ("Could you describe the game that decided the tournament?", "what"),
        ("Can the memorandum be enforced?", "yesno"),
        ("Could you let me know how many jeeps were donated?", "quantity"),
        ("Can you still drive over the chain bridge?", "yesno"),  # "you" is anyone
        ("Identify the city where the memorandum was signed.", "where"),
        ("Name which countries signed it.", "who"),
        # a request for "the place where" or "the year in which" asks where or when
        ("Could you tell me the city in which the memorandum was concluded?", "where"),
        ("Tell me the year in which the bridge was built.", "when"),
        ("Which causes of migration does the coalition say are overlooked?", "why"),
        ("What root causes does the memo skip?", "why"),
        ("What are the two main causes that make people relocate?", "why"),
        ("I'd like to know what the centre will cost to run each year.", "quantity"),
        ("What did Valdoria pay for Strohm?", "quantity"),
        ("What share of adults suffer from migraines?", "quantity"),
        ("Which construction company will build the stations?", "who"),
        ("What does the memorandum commit the countries to pay attention to?", "what"),
        ("According to the Millbeck Courier, how many fish died?", "quantity"),
        ("Would you set out what the engineers discovered?", "what"),
        ("could you go over why the plant closed", "why"),
        ("Can you still drive over the bridge?", "yesno"),
        ("Can you buy tickets when the office is closed?", "yesno"),
        ("Can you swim where the spill happened?", "yesno"),
        ("Could you find out when the plant closes?", "when"),
        ("according to hospital management what would it cost", "quantity"),
        # "per the Courier" is "according to the Courier"
        ("Per the Courier, when did Lisle report the leak?", "when"),
        ("per the gazette, how many homes lost power", "quantity"),
    ],
)
def test_answer_types(question: str, kind: str) -> None:
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    ("question", "overview"),
    [
        ("tl;dr of the border pact?", True),
        ("give me a quick rundown on the bus line", True),
        ("hey, can you fill me in on the coffee rust?", True),
        ("What's the story with the library levy?", True),
        ("summarise the cyber treaty", True),
        ("Tell me about the Eastline.", True),
        ("overview of the harlow bay bus line", True),
        # a request that wraps a question of its own, or names more than a topic
        ("summarise what the coalition said about asylum", False),
        ("Could you tell me how much the renovation cost?", False),
        (
            "Summarise the goals of the memorandum as the Department of Homeland Security "
            "describes them.",
            False,
        ),
        ("What happened with the jeeps?", False),
    ],
)
def test_a_request_for_an_overview_of_a_topic(question: str, overview: bool) -> None:
    assert (answer_type(question) == "overview") is overview


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Could you indicate the city in which the memorandum was concluded?", "where"),
        ("Could you elucidate why the aid was cut?", "why"),
        ("Could you determine how many people were deported?", "quantity"),
        ("Can you still drive over the bridge?", "yesno"),
        ("Could you indicate whether the accord is binding?", "yesno"),
    ],
)
def test_a_request_made_with_any_verb_of_telling_is_read_past(question: str, kind: str) -> None:
    """ "Could you *indicate* ..." is a request like "Could you tell me ...": any verb whose
    commonest WordNet sense is one of telling or finding out, not only the listed ones. A
    verb of doing ("drive") leaves a yes-or-no question."""
    assert answer_type(question) == kind


def test_a_request_s_verb_is_framing_not_a_term() -> None:
    """The request's verb frames the question: "ascertain" in "Could you ascertain how many
    migrants ..." is no term of it, and what it counts is read past it; "drive" in "Can you
    still drive over the bridge?" is the question's own."""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    lexicon = Lexicon()
    query = analyse("Could you ascertain how many migrants were intercepted?", lexicon)
    assert [t.word for t in query.terms] == ["migrants", "intercepted"]
    assert query.terms[0].asked
    assert "drive" in [t.word for t in analyse("Can you still drive over it?", lexicon).terms]


def test_kindly_opens_a_request_as_please_does() -> None:
    """ "Kindly indicate the date ..." is "Please indicate the date ...": "kindly" is
    framing, and what is asked is read past the request (a when question). Not "kindly"
    inside a question ("Who spoke kindly of the plan?"), where it is a word of it.
    (Before, "kindly" was a term, and the question a "what" one.)"""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    lexicon = Lexicon()
    query = analyse("Kindly indicate the date on which the ceasefire was signed.", lexicon)
    assert query.answer_type == "when"
    assert "kindly" not in [t.word for t in query.terms]
    assert answer_type("Could you kindly confirm whether the accord is binding?") == "yesno"
    assert "kindly" in [t.word for t in analyse("Who spoke kindly of the plan?", lexicon).terms]


@pytest.mark.parametrize(
    ("question", "length"),
    [
        ("How long is the Ashford Chain Bridge?", True),
        ("how long is the new road between Lythe and Aldby?", True),
        ("How long is the bus corridor?", True),
        ("How long was the Harwick bridge closed for?", False),  # something done to it
        ("How long is the contract?", False),  # it lasts
        ("How long was the meeting?", False),
        ("How long will the repairs take?", False),
    ],
)
def test_how_long_a_thing_in_space_is_asks_for_a_length(question: str, length: bool) -> None:
    from bot.core.lexicon import Lexicon
    from bot.core.phrasing import measured_in_length

    assert measured_in_length(question, Lexicon()) is length


@pytest.mark.parametrize(
    ("question", "sentences", "focus"),
    [
        ("summarise the cyber treaty in 2 lines", 2, "the cyber treaty"),
        ("What does the memorandum commit to, in one sentence?", 1,
         "What does the memorandum commit to,"),
        ("briefly, who criticised the deal?", 2, "who criticised the deal?"),
        ("who signed it? a one-liner please", 1, "who signed it"),
        ("In short, what does the memo do?", 2, "what does the memo do?"),
        ("Who signed the memorandum?", None, "Who signed the memorandum?"),
        ("How many lines does the Eastline have in 2 years?", None,
         "How many lines does the Eastline have in 2 years?"),
        # not about the answer's length
        ("Why was Omar Dal briefly detained by police?", None,
         "Why was Omar Dal briefly detained by police?"),
        ("In short order, what happened?", None, "In short order, what happened?"),
        ("What is the short answer?", None, "What is the short answer?"),
        ("What did he say in one line of his speech?", None,
         "What did he say in one line of his speech?"),
    ],
)  # fmt: skip
def test_how_long_an_answer_is_asked_to_be_is_framing(
    question: str, sentences: int | None, focus: str
) -> None:
    """ "in two sentences", "briefly": how long the answer should be, not what it is
    about ("2" and "lines" are no terms)."""
    assert sentences_asked(question) == sentences
    assert strip_framing(question) == focus


@pytest.mark.parametrize(
    ("question", "about_someone"),
    [
        ("Who is Ada Lind?", True),
        ("who's rafael osterholm", True),
        ("Who is Dr. Ada Lind?", True),
        ("Who is Manning?", True),  # a surname in -ing
        ("Who is the mayor?", False),
        ("who is Valdoria's coach?", False),
        ("Who is in charge?", False),
        ("who is running the port", False),
        ("who is responsible for the cuts?", False),
        # a post asked for by a possessive, as chat types it, a word or two qualifying it
        ("What is Ada Lind's job?", True),
        ("wats nielsen's actual job title", True),
        ("What is Ada Lind's current role?", True),
        ("What is Germany's position?", False),  # a stance
        ("what is the mayor's job", False),  # a role, not a name
        # another post than hers now, or a stance: who she is does not answer
        ("What was Ada Lind's previous job?", False),
        ("What was Ada Lind's first job?", False),
        ("What is Ada Lind's negotiating position?", False),
        ("What is Ada Lind's official job title?", True),
    ],
)
def test_a_question_about_someone_named_is_told_from_one_for_a_name(
    question: str, about_someone: bool
) -> None:
    assert asks_who_someone_is(question) is about_someone


@pytest.mark.parametrize(
    ("question", "kind", "asked"),
    [
        # a clause's subject is not what is asked for
        ("Would you set out what the engineers discovered when they inspected it?", "what", None),
        ("Tell me what the inspectors found at the plant.", "what", None),
        # a wh-word that asks for a noun still does
        ("What official attended the summit?", "who", "official"),
        ("What's the vaccine called?", "what", "vaccine"),
        ("what the price of the ticket?", "quantity", None),
        # with "is", a verb in "-ing" makes the clause ("what is the museum paying")
        ("what is the arlow museum paying for the portrait", "quantity", None),
        ("What are the unions demanding?", "what", None),
        ("What is the vaccine called?", "what", "vaccine"),
    ],
)
def test_what_opens_a_clause_whose_subject_is_not_asked_for(
    question: str, kind: str, asked: str | None
) -> None:
    """ "what the engineers discovered" asks what they found, not for engineers (a "who"
    question would lead with the sentence that names most of them)."""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    query = analyse(question, Lexicon())
    assert query.answer_type == kind
    assert next((t.word for t in query.terms if t.asked), None) == asked


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Tell me, after the fire, what the inspectors found at the plant.", "what"),
        ("According to the council, what is the arlow museum paying for the portrait", "quantity"),
        ("Under the new contract, what are the unions demanding?", "what"),
    ],
)
def test_a_clause_after_a_phrase_that_sets_the_scene_is_still_a_clause(
    question: str, kind: str
) -> None:
    """The asked noun is read past a leading phrase ("Besides the money, what else ..."),
    so the check that "what" opens a clause must be too: "After the fire, what the
    inspectors found" asks what they found, as "what the inspectors found" does. (Before,
    the clause was looked for at "After", not found, and the inspectors were taken for
    what was asked: a "who" question, led by whichever sentence names one.)"""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    query = analyse(question, Lexicon())
    assert query.answer_type == kind
    assert [t.word for t in query.terms if t.asked] == []


def test_how_many_counts_the_word_after_it_if_it_can_be_a_noun() -> None:
    """ "How many volunteers took part?" counts volunteers, though WordNet gives "volunteer"
    first as a verb: after "many", as after an article, a word that can be a noun is one
    ("part", in "took part", is not what is counted)."""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    query = analyse("How many volunteers took part in the trial?", Lexicon())
    assert [t.word for t in query.terms if t.asked] == ["volunteers"]


def test_what_someone_said_in_a_clause_asks_for_their_words() -> None:
    """ "Tell me what the minister said about the wall" asks what "What did the minister
    say about the wall?" asks: the minister's words (a speaker), not who the minister is."""
    from bot.core.lexicon import Lexicon
    from bot.core.query import analyse

    lexicon = Lexicon()
    clause = analyse("Tell me what the minister said about the wall", lexicon)
    asked = analyse("What did the minister say about the wall?", lexicon)
    assert (clause.answer_type, clause.speaker) == (asked.answer_type, asked.speaker)
    assert clause.speaker == "minister"


def test_a_web_site_s_name_is_an_outlet_and_a_file_s_is_not() -> None:
    from bot.core.formats import is_file_name

    assert is_file_name("03-brenmouth-wire.txt") and is_file_name("story.HTML")
    assert not is_file_name("reuters.com") and not is_file_name("Brenmouth Echo")


@pytest.mark.parametrize(
    ("question", "kind", "read"),
    [
        ("Roughly how many people came?", "quantity", "how many people came?"),
        ("so when does it reopen", "when", "when does it reopen"),
        ("wait, is it binding?", "yesno", "is it binding?"),
        ("ok so why did it close", "why", "why did it close"),
        ("and who signed it", "who", "who signed it"),
        # nothing after the opener asks: left as it is
        ("So?", "what", "So?"),
        # a preposition before "which" is part of what is asked: "in which country" asks where
        ("In which country was it signed?", "where", "In which country was it signed?"),
        ("about the deal, who signed", "who", "about the deal, who signed"),
    ],
)
def test_a_lead_in_is_read_past(question: str, kind: str, read: str) -> None:
    assert past_the_lead_in(question) == read
    assert answer_type(past_the_lead_in(question)) == kind


@pytest.mark.parametrize(
    "message",
    ["thanks!", "Thanks, that helps!", "great, thank you", "ok", "got it", "OK thanks",
     "thank you so much!", "that's great", "Great, thanks for the summary", "cool 👍",
     "many thanks"],
)  # fmt: skip
def test_a_message_that_only_acknowledges_asks_nothing(message: str) -> None:
    assert acknowledges(message)


@pytest.mark.parametrize(
    "message",
    ["tell me more", "why?", "ok?", "thanks, and who signed it?", "ok, the critics",
     "ok, more", "thanks for looking into Honduras", "the deal is great",
     "it helps the smugglers", "okay so what about Honduras"],
)  # fmt: skip
def test_a_message_with_anything_more_than_thanks_is_a_question(message: str) -> None:
    assert not acknowledges(message)


#: The words a story about the memorandum uses, as Briefing.corpus_uses would say.
STORY_WORDS = frozenset("critics signed deal memorandum honduras looking activists".split())


def story_uses(found: Sequence[str]) -> set[str]:
    return {w for w in found if w in STORY_WORDS}


@pytest.mark.parametrize(
    "message",
    ["thanks everyone", "thanks guys", "thank you both", "haha thanks", "thanks a ton",
     "thanks, very clear", "merci", "danke schön", "gracias!", "merci beaucoup",
     "thanks Maria!", "thanks briefbot", "thanks to you both, Ada Lind 🙏"],
)  # fmt: skip
def test_thanks_to_people_or_in_other_languages_asks_nothing(message: str) -> None:
    """Who is thanked is a name the story does not use, or one of the words for people."""
    assert acknowledges(message, story_uses)


@pytest.mark.parametrize(
    "message",
    ["ok, and the critics?", "great — who signed it", "thanks! what did the activists say",
     "ok, more", "thanks for looking into Honduras", "okay so what about Honduras",
     "ok, the critics", "thanks, the memorandum", "the deal is great",
     "thanks, Quinto Sol Fresno Park Lane"],
)  # fmt: skip
def test_thanks_with_a_term_of_the_story_or_a_question_word_is_a_question(
    message: str,
) -> None:
    assert not acknowledges(message, story_uses)


def test_without_the_stored_articles_a_name_beside_thanks_may_be_a_term() -> None:
    assert not acknowledges("thanks Maria")
    assert acknowledges("thanks Maria", story_uses)


@pytest.mark.parametrize(
    ("question", "maker"),
    [
        ("what does the writer think makes people migrate?", "writer"),
        ("whats the writers gripe about the policies", "writer"),
        ("What is the article's author arguing?", "author"),
        # a writer the question names is that person, not the article's
        ("What did the writer Mira Ostel say about the prize?", None),
        ("what does the author, Ann Lee, argue", None),
        ("Which writer won the prize?", None),
    ],
)
def test_the_source_s_maker_is_named_by_the_writer_or_the_author(
    question: str, maker: str | None
) -> None:
    assert source_s_maker(question) == maker
