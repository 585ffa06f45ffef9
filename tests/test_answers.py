"""Retrieval, the relevance gate, extractive answers and quotes, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.core.answer import NOT_IN_SOURCES, NOT_SAID_IN_SOURCES
from bot.core.briefing import Briefing
from bot.core.lexicon import Lexicon
from bot.core.models import Answer
from bot.core.query import analyse
from bot.core.retrieve import MAX_SHORT_FORMS, diversify, fuse
from bot.core.shortforms import expansions
from bot.core.text import contains_verbatim, sentence_spans, squash, strip_footnote_markers
from bot.core.words import word_count
from conftest import EVALS, article_text, make_settings, write_flood_article
from storage.articles import Passage

SEED_TITLE = "Central America-US Security Cooperation Deal questioned by Activists"
#: The issue's target for the newcomer set's fact coverage (met since the thirteenth round).
NEWCOMER_FACTS = 0.95
MARKER = re.compile(r"\[(\d+)\]")


def ingest_text(briefing: Briefing, path: Path, text: str) -> None:
    """Write one article file and ingest it; it must land."""
    path.write_text(text, encoding="utf-8")
    assert not briefing.ingest([path]).failed


def ingest_story(briefing: Briefing, path: Path, title: str, text: str) -> None:
    """Write one short Markdown article with ``title`` and ingest it; it must land."""
    ingest_text(briefing, path, f"---\ntitle: {title}\n---\n\n{text}\n")


def ingest_stories(briefing: Briefing, folder: Path, stories: list[tuple[str, str, str]]) -> None:
    """Ingest short Markdown articles, each a (file name, title, text); all must land."""
    for name, title, text in stories:
        ingest_story(briefing, folder / f"{name}.md", title, text)


def answer_from(briefing: Briefing, path: Path, title: str, text: str, question: str) -> Answer:
    """Ingest one short article, ask ``question``, and check the answer is given and
    grounded."""
    ingest_story(briefing, path, title, text)
    return grounded_answer(briefing, question)


def lead_from(briefing: Briefing, path: Path, markdown: str, question: str) -> str:
    """Ingest one article written in full (front matter and all), ask ``question``, check
    the answer is given and grounded, and return its first sentence."""
    ingest_text(briefing, path, markdown)
    return lead_of(grounded_answer(briefing, question))


def grounded_answer(briefing: Briefing, question: str) -> Answer:
    """Ask ``question`` and check that it is answered, verbatim and exactly cited."""
    answer = briefing.ask(question)
    assert answer.answered, answer.refusal
    assert_grounded(briefing, answer)
    return answer


def lead_of(answer: Answer) -> str:
    """The answer's first sentence, without its citation marker."""
    return re.split(r"\[\d+\]", answer.answer)[0].strip()


@contextmanager
def small_chunks(database_url: str, tmp_path: Path) -> Iterator[Briefing]:
    """A briefing over an empty database whose chunks hold about 40 tokens, so that one
    short article spans several."""
    settings = make_settings(
        database_url, tmp_path, chunk_tokens=40, chunk_overlap_tokens=5, corpus_dir=tmp_path
    )
    with Briefing.open(settings, bootstrap=False) as briefing:
        yield briefing


def assert_borderline(briefing: Briefing, question: str) -> None:
    """Every name of ``question`` is in the sources but no passage answers it: the gate
    says borderline (a model would still be shown the passages) and the extractive
    answer refuses, saying that the articles touch on it but do not say it."""
    assert briefing.retrieve(question).verdict.decision == "borderline", question
    answer = briefing.ask(question)
    assert not answer.answered, question
    assert answer.answer == NOT_SAID_IN_SOURCES, question


def assert_says_or_borderline(briefing: Briefing, question: str, says: str | None) -> None:
    """``question`` is answered, grounded, with ``says`` in the answer; or, when ``says``
    is None, borderline (see :func:`assert_borderline`)."""
    if says is None:
        assert_borderline(briefing, question)
    else:
        assert says in grounded_answer(briefing, question).answer


def assert_says_or_refused(briefing: Briefing, question: str, says: str | None) -> Answer:
    """``question`` is answered, grounded, with ``says`` in the answer; or, when ``says``
    is None, refused (for any reason); the answer."""
    if says is None:
        answer = briefing.ask(question)
        assert not answer.answered, answer.answer
        return answer
    answer = grounded_answer(briefing, question)
    assert says in answer.answer
    return answer


def assert_grounded(briefing: Briefing, answer) -> None:
    """Every marker points at a citation, every citation is used and verbatim, and every
    sentence of the answer is a sentence of the passage it cites, verbatim apart from
    whitespace and the footnote markers ("[2]") that answers leave out."""
    markers = {int(m) for m in MARKER.findall(answer.answer)}
    assert markers == {c.marker for c in answer.citations}
    for citation in answer.citations:
        assert contains_verbatim(article_text(briefing, citation.article_id), citation.text)
    for sentence, marker in re.findall(r"(.+?) \[(\d+)\][.!?]?(?:\s|$)", answer.answer):
        cited = answer.citations[int(marker) - 1]
        bare = squash(sentence)
        assert bare in squash(strip_footnote_markers(cited.text)), (bare, cited.text)


@pytest.mark.parametrize(
    ("question", "must_contain"),
    [
        ("What does the agreement commit to?", "non-binding"),
        ("What did the pact commit the countries to?", "commitment"),
        ("Who criticised the deal?", "activists"),
        ("Why was military aid to Guatemala halted?", "mis-use of the donated vehicles"),
        ("Which cabinet official attended the summit?", "Nielsen"),
        ("What kind of vehicles were misused?", "Jeep J8"),
    ],
)
def test_paraphrased_questions_find_the_seed(
    briefing: Briefing, question: str, must_contain: str
) -> None:
    answer = briefing.ask(question)
    assert answer.answered, answer.answer
    assert answer.mode == "extractive"
    assert must_contain in answer.answer
    assert {c.title for c in answer.citations} == {SEED_TITLE}
    assert_grounded(briefing, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "Who won the 2018 World Cup final?",
        "How do I bake sourdough bread?",
        "What is the price of Bitcoin today?",
        "What did the Mexican president say about the border wall?",
        "What did the UN anti-corruption mission in Guatemala conclude in its final report?",
        "Who is the current president of Guatemala?",
        # A rare name the corpus has (the football fixture) and one word it lacks there.
        "What does Valdoria think about migration?",
        "What did Strohm say about migrants?",
        "What did Nielsen say about goalkeepers?",
        # "Dr." does not start a sentence, so "Smith" must be found.
        "What did Dr. Smith say about the memorandum?",
        # "US" is the country (an anchor), not the word "us".
        "What did the US say about the goalkeeper?",
        # "guatemala's" is weighed as "guatemala", which the corpus has plenty of.
        "What did Guatemala's president say about the deal?",
        # The seed tells of aid to Guatemala suspended, and names Honduras elsewhere.
        "Why did the Defense Department suspend aid to Honduras?",
        "What did the Pentagon say about aid to Honduras?",
    ],
)
def test_out_of_scope_questions_are_refused(full_briefing: Briefing, question: str) -> None:
    answer = full_briefing.ask(question)
    assert not answer.answered
    assert answer.citations == ()
    # refused outright, or borderline (the articles touch on it and say nothing of it)
    expected = NOT_SAID_IN_SOURCES if answer.refusal["decision"] == "borderline" else NOT_IN_SOURCES
    assert answer.answer == expected
    assert "not in the sources" in answer.answer.lower()


@pytest.mark.parametrize(
    ("question", "title_start"),
    [
        ("What did Dr. Castellanos-Moore say about aid?", "Analyst Warns"),
        ("What did the U.S. sign in Tegucigalpa?", "Explainer"),
        ("What did the US sign in Tegucigalpa?", "Explainer"),
    ],
)
def test_titles_and_the_us_do_not_hide_the_question(
    full_briefing: Briefing, question: str, title_start: str
) -> None:
    answer = full_briefing.ask(question)
    assert answer.answered, answer.answer
    assert any(c.title.startswith(title_start) for c in answer.citations)


def test_sharing_one_word_is_not_enough(briefing: Briefing) -> None:
    # "Honduras" and "security" are all over the seed; "coffee" and "harvest" are not.
    answer = briefing.ask("How was the Honduras coffee harvest affected by security?")
    assert not answer.answered


def test_extractive_answer_is_short_cited_and_without_repeats(full_briefing: Briefing) -> None:
    answer = full_briefing.ask("What do critics say about the memorandum?")
    assert answer.answered
    body = MARKER.sub("", answer.answer)
    assert word_count(body) <= 150 + 60  # whole sentences: never cut, so one may run over
    sentences = [squash(s) for s in re.split(r"\[\d+\][.!?]?", answer.answer) if s.strip()]
    assert len(sentences) == len(set(sentences))
    assert_grounded(full_briefing, answer)
    # Balanced across articles: the rights coalition's statement and the seed both speak.
    assert len({c.title for c in answer.citations}) >= 2


def test_citations_are_numbered_sources_with_metadata(full_briefing: Briefing) -> None:
    answer = full_briefing.ask("What did the coalition spokesperson say about asylum?")
    assert answer.answered
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    coalition = [c for c in answer.citations if c.title.startswith("Rights Coalition")]
    assert (
        coalition
        and coalition[0].url
        == "https://example.org/fixtures/2019/03/rights-coalition-border-memorandum"
    )
    assert str(coalition[0].published) == "2019-03-29"
    assert coalition[0].source == "Northbridge Ledger (test fixture)"


def test_results_are_diverse_across_articles() -> None:
    def p(cid: int, aid: int) -> Passage:
        return Passage(cid, aid, f"t{aid}", None, None, None, 1, "x", 0, 1)

    ranked = [p(1, 1), p(2, 1), p(3, 1), p(4, 1), p(5, 2), p(6, 3)]
    chosen = diversify(ranked, 4)
    assert {c.article_id for c in chosen} == {1, 2, 3}
    assert chosen[0].chunk_id == 1


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = fuse([[1, 2, 3], [3, 1, 4]])
    assert [cid for cid, _ in fused][:2] == [1, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_quotes_are_verbatim_with_paragraphs(full_briefing: Briefing) -> None:
    quotes = full_briefing.quote("historic agreement", limit=3)
    assert quotes and len(quotes) <= 3
    assert "Historic Agreement" in quotes[0].text
    for q in quotes:
        text = article_text(full_briefing, q.article_id)
        assert text[q.char_start : q.char_end] == q.text
        assert contains_verbatim(text, q.text)
        # The paragraph number points at the paragraph that holds the quote.
        paragraphs = [para for para in re.split(r"\n\s*\n", text) if para.strip()]
        assert q.text in paragraphs[q.paragraph - 1]


def test_quoted_speech_is_offered_as_a_quote(full_briefing: Briefing) -> None:
    quotes = full_briefing.quote("asylum mother fleeing a gang", limit=2)
    speech = [q for q in quotes if q.kind == "speech"]
    assert speech
    assert speech[0].text.startswith("Nothing in this text guarantees")
    assert not speech[0].text.startswith("“")


def test_no_quotes_for_an_unrelated_topic(full_briefing: Briefing) -> None:
    assert full_briefing.quote("sourdough starter recipes") == []
    assert full_briefing.quote("capital of France") == []


def test_quote_limit_is_respected(full_briefing: Briefing) -> None:
    assert len(full_briefing.quote("border security memorandum", limit=1)) == 1


def test_follow_up_without_llm_carries_the_earlier_topic(briefing: Briefing) -> None:
    from bot.core.models import Turn

    bare = briefing.ask("What do they say about it?")
    assert not bare.answered
    follow = briefing.ask(
        "What do critics say about it?",
        history=[Turn("user", "What does the memorandum commit the countries to?")],
    )
    assert follow.answered
    assert follow.standalone_question and "memorandum" in follow.standalone_question


def test_a_follow_up_that_stands_on_its_own_survives_an_off_topic_turn(
    briefing: Briefing,
) -> None:
    """Condensing carries the earlier turn's words; when that makes the question fail
    the relevance gate and the question as asked would pass it, it is answered as asked."""
    from bot.core.models import Turn

    question = "What does the memorandum commit to?"
    alone = briefing.ask(question)
    # The issue's example; then a turn whose words make the condensed question fail the gate.
    assert briefing.ask(question, history=[Turn("user", "Who won the football match?")]).answered
    assert not briefing.retrieve(f"{question} (recipe lasagna bechamel sauce)").answerable
    off_topic = Turn("user", "What is the recipe for lasagna with bechamel sauce?")
    after = briefing.ask(question, history=[off_topic])
    assert alone.answered and after.answered
    assert after.standalone_question == question
    assert [c.chunk_id for c in after.citations] == [c.chunk_id for c in alone.citations]
    assert briefing.log.export()[-1]["standalone_question"] is None
    # A real follow-up still takes the earlier topic, and an off-topic one is still refused.
    follow = briefing.ask("And what do critics say?", history=[Turn("user", question)])
    assert follow.answered and "memorandum" in (follow.standalone_question or "")
    off = briefing.ask("Who scored?", history=[Turn("user", "Who won the football match?")])
    assert not off.answered


def test_every_question_is_logged(briefing: Briefing) -> None:
    briefing.ask("What does the agreement commit to?")
    briefing.ask("What is the capital of France?")
    rows = briefing.log.export()
    assert [r["answered"] for r in rows] == [True, False]
    assert rows[0]["mode"] == "extractive"
    assert rows[0]["citations"] and rows[0]["citations"][0]["title"] == SEED_TITLE
    assert rows[1]["citations"] == []
    assert all(r["latency_ms"] is not None for r in rows)


def test_both_sides_are_retrieved_when_the_sources_hold_both(full_briefing: Briefing) -> None:
    retrieval = full_briefing.retrieve("What does the memorandum commit the countries to?")
    sides = set().union(*(full_briefing.profile.stances(p.text) for p in retrieval.passages))
    assert sides == {"critics", "officials"}


def test_balance_brings_in_the_missing_side() -> None:
    from bot.core.profile import Profile, Side
    from bot.core.retrieve import balance

    def p(cid: int, text: str) -> Passage:
        return Passage(cid, cid, "t", None, None, None, 1, text, 0, len(text))

    profile = Profile(
        sides=(
            Side("officials", "Officials", ("official*",)),
            Side("critics", "Critics", ("activist*",)),
        )
    )
    officials = [p(i, "Officials called it historic.") for i in range(1, 4)]
    critic = p(9, "Activists condemned the deal.")
    chosen = balance(officials, [*officials, critic], 3, profile)
    assert critic in chosen and len(chosen) == 3
    assert balance(officials, officials, 3, profile) == officials
    assert balance(officials, [*officials, critic], 3, Profile()) == officials  # no sides


def test_large_corpora_search_the_rarest_words_within_a_budget() -> None:
    from bot.core.retrieve import within_budget
    from storage.search import LexicalQuery

    query = LexicalQuery(("common", "rare", "middling", "unknown"), (("armed", "forces"),))
    df = {"common": 9_000, "rare": 40, "middling": 700, "unknown": 0, "armed": 90, "forces": 3_000}
    assert within_budget(query, df, 1_000) == query  # small corpora: searched in full
    pruned = within_budget(query, df, 10_000)  # budget: 10% of 10,000 chunks
    assert set(pruned.words) == {"unknown", "rare", "middling"}
    # a phrase is read through its commonest word: "forces" alone is over the budget
    assert pruned.phrases == ()
    assert within_budget(query, {**df, "forces": 200}, 10_000).phrases == (("armed", "forces"),)
    only_common = within_budget(
        LexicalQuery(("common", "everywhere")), {"common": 9_000, "everywhere": 9_500}, 10_000
    )
    assert only_common.words == ("common",)  # the rarest always stays


def test_the_question_s_own_words_are_searched_before_its_synonyms() -> None:
    """A budget spent on rare synonyms ("cornhusker" for "workers") would leave out the
    words asked; and however large the corpus, a search reads at most MAX_POSTINGS chunks
    (PostgreSQL reads every matching chunk's text to rank it)."""
    from bot.core.retrieve import MAX_POSTINGS, within_budget
    from storage.search import LexicalQuery

    query = LexicalQuery(("workers", "employee", "cornhusker", "driver"))
    df = {"workers": 1_500, "employee": 300, "cornhusker": 1, "driver": 400}
    searched = within_budget(query, df, 20_000, asked=frozenset({"workers"}))
    assert searched.words[0] == "workers"  # asked first, then synonyms rarest first
    assert set(searched.words) == {"workers", "cornhusker", "employee"}  # 1,801 <= 2,000
    huge = within_budget(query, df, 10_000_000, asked=frozenset({"workers"}))
    assert sum(df[w] for w in huge.words) <= MAX_POSTINGS


def test_footnote_markers_of_the_article_are_not_shown_as_citations(
    briefing: Briefing, tmp_path: Path
) -> None:
    ingest_text(
        briefing,
        tmp_path / "dam.txt",
        "Dam history\n\nThe Hoover dam cost 49 million dollars[2] and was finished in "
        "1936.[3] The reservoir behind the Hoover dam is Lake Mead.[1] The Hoover dam "
        "room [2] cost 5 dollars to visit.\n\n"
        "Engineers praised the Hoover dam design for its arch.\n",
    )
    answer = grounded_answer(briefing, "How much did the Hoover dam cost?")
    assert len(answer.citations) == 1
    assert "49 million dollars and was finished in 1936 [1]." in answer.answer
    assert "Lake Mead [1]." in answer.answer
    # "room [2]" is the article's own words: not rewritten, so not used.
    assert "room" not in answer.answer
    assert set(re.findall(r"\[(\d+)\]", answer.answer)) == {"1"}
    # The citation itself stays verbatim, markers and all.
    assert "dollars[2] and was finished in 1936.[3]" in answer.citations[0].text


def test_a_sentence_cut_to_fit_a_chunk_is_never_an_answer_sentence(
    briefing: Briefing, tmp_path: Path
) -> None:
    assert not briefing.ingest([write_flood_article(tmp_path)]).failed
    answer = grounded_answer(
        briefing, "What did the river authority announce about the flood barrier insurers?"
    )
    assert answer.answer == "The mayor said the flood barrier was overdue [1]."
    text = article_text(briefing, answer.citations[0].article_id)
    whole = {squash(s.of(text)) for s in sentence_spans(text)}
    for sentence in re.findall(r"(.+?) \[\d+\]([.!?]?)(?:\s|$)", answer.answer):
        assert squash("".join(sentence)) in whole


def test_the_country_us_is_found_in_articles_that_say_us(
    briefing: Briefing, tmp_path: Path
) -> None:
    ingest_text(
        briefing,
        tmp_path / "lumber.txt",
        "Lumber deal\n\nThe US and Canada signed a lumber trade deal in Ottawa on Monday. "
        "Smith said the U.S. tariffs on lumber would fall.\n",
    )
    for question in (
        "What did the US sign with Canada?",
        "What lumber deal did the U.S. sign?",
        "What did Dr. Smith say?",  # the title is neither a term nor an anchor
    ):
        answer = briefing.ask(question)
        assert answer.answered, question
        assert "Lumber deal" in {c.title for c in answer.citations}, question
    lexicon = Lexicon()
    assert [t.word for t in analyse("What is the US$ 5 million for?", lexicon).terms] == [
        "5",
        "million",
    ]
    assert [t.word for t in analyse("Tell us about the memorandum", lexicon).terms] == [
        "memorandum"
    ]
    assert analyse("What did the US sign?", lexicon).text == "What did the US sign?"


# ----------------------------------------------------------------------------- issue #9
# The six questions a new user asked of the seed alone, which the old gate refused or
# answered without the point.


@pytest.mark.parametrize(
    ("question", "facts", "first"),
    [
        ("Does the compact legally oblige the countries to anything?", ["non-binding"], None),
        ("What went wrong with the jeeps the US donated?", ["mis-use", "anti-corruption"], None),
        ("What is the main argument of the activists?", ["questioned the focus"], None),
        (
            "What causes migration from the region, according to the story?",
            ["insecurity and violence"],
            "insecurity and violence",
        ),
        ("Is the memorandum enforceable?", ["non-binding"], "non-binding"),
        ("Why is the security focus a problem?", ["inequality"], None),
    ],
)
def test_plain_questions_get_the_key_fact(
    briefing: Briefing, question: str, facts: list[str], first: str | None
) -> None:
    answer = grounded_answer(briefing, question)
    for fact in facts:
        assert fact in answer.answer, (fact, answer.answer)
    if first is not None:  # the answer leads with the sentence that answers
        assert first in lead_of(answer)


def test_a_typo_is_read_as_the_corpus_word(briefing: Briefing) -> None:
    answer = briefing.ask("is the memorandom binding?")
    assert answer.answered and "non-binding" in answer.answer
    refused = briefing.ask("what did nielsen say about goalkeepers?")
    assert not refused.answered


def test_a_typo_of_an_everyday_word_the_sources_lack_is_that_word(briefing: Briefing) -> None:
    """ "actualy" is "actually", an everyday word that costs a question little, not a rare
    term the sources never use (which refused it); "sourdoguh" stays unknown: no common
    English word is one edit from it."""
    answer = grounded_answer(briefing, "is the memorandum actualy binding?")
    assert "non-binding" in answer.answer
    assert not briefing.ask("is the memorandum about sourdoguh?").answered


def test_a_typo_of_a_rare_word_the_sources_use_is_that_word(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "substaton" is no English word, and the English words one edit away that wordfreq's
    short list holds are none of the sources' words; but "substation" (too rare for that
    list) is one edit away and the sources use it: that is what was meant, not a rare
    term the sources never use (which refused the question)."""
    from bot.core import frequency

    assert frequency.zipf("substation") == 0.0  # (what made the correction miss it)
    answer = answer_from(
        briefing,
        tmp_path / "fire.md",
        "Fire Cuts Power In Brenmouth",
        "A transformer caught fire at the Holloway Road substation on Saturday evening.",
        "what caught fire at the substaton?",
    )
    assert "transformer" in lead_of(answer)


def test_a_typo_that_stems_as_another_corpus_word_is_still_corrected(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "officals" is no English word, but it stems as "offices" does (offic), which the
    story uses: that is no reason to read it as a name the passages must hold. The
    everyday word one edit away that the story uses, "officials", is what was meant. A
    name of the story one edit from a name English knows ("Helden", Helen) and a word one
    ending from another ("explainer", explained) are not typos of them. (Before, the
    question was borderline: the "name" officals never met the others.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            ("visit", "Minister visits Carvenia",
             "It was on Tuesday that Marrendahl met the Carvenian officials in Ostrel."),
            ("protest", "Protest in Ostrel",
             "Protesters gathered outside the government offices in Ostrel. Helden Water "
             "Partners was not invited to the talks."),
        ],
    )  # fmt: skip
    answer = grounded_answer(briefing, "what day did marrendahl meet the carvenian officals")
    assert "on Tuesday" in lead_of(answer)
    assert "helden" in [t.word for t in briefing.retrieve("How is Helden doing?").query.terms]


@pytest.mark.parametrize(
    ("stories", "question", "lead"),
    [
        ([("mayor", "Mayor Tamber resigns",
           "Ostrel's mayor, Lina Tamber, resigned on Friday after losing a vote of no "
           "confidence. Her deputy, Jorin Vasse, will lead the city until elections in May."),
          ("timber", "Timber exports fall",
           "Timber exports from Ostrel fell by a third last year as demand slowed.")],
         "Why did Tamber resign?", "Lina Tamber, resigned on Friday"),
        ([("minister", "Gardin named minister",
           "Orvandia's prime minister named Pell Gardin as interior minister on Monday. "
           "Gardin, a former police chief, promised to double border patrols."),
          ("garden", "Community garden opens",
           "A community garden opened in the capital's Vell district on Saturday.")],
         "What did Gardin promise?", "promised to double border patrols"),
        ([("bank", "Central bank holds rates",
           "The central bank governor, Anouk Bakker, said on Thursday that interest rates "
           "would stay at 4 per cent. A banker at Vellmark Trust said it was expected.")],
         "What did Bakker say about interest rates?", "Anouk Bakker, said on Thursday"),
        ([("farm", "Bakker family evicted",
           "Anouk and Piet Bakker were evicted from their farm near Ostrel on Monday. Local "
           "bankers said the farm's debts had doubled since 2020.")],
         "Why were the Bakkers evicted?", "were evicted from their farm"),
    ],
)  # fmt: skip
def test_a_name_the_sources_write_is_no_typo_of_a_word_they_use(
    briefing: Briefing,
    tmp_path: Path,
    stories: list[tuple[str, str, str]],
    question: str,
    lead: str,
) -> None:
    """ "Tamber" is one edit from "timber", "Gardin" from "garden", "Bakker" from "banker",
    and the sources use those words; but they write the names themselves, so the names are
    what was asked. Only a string the sources never write, found through a stem that other
    words give ("officals": offic), is a typo of the word one edit away. (Before, every
    name of the corpus that English does not know was read as the everyday word one edit
    away, and the questions were refused or answered about timber and gardens; the
    Bakkers, whom the sources write only as "Bakker", were read as bankers.)"""
    ingest_stories(briefing, tmp_path, stories)
    assert lead in lead_of(grounded_answer(briefing, question))


def test_chat_short_forms_are_read_as_the_words_they_shorten(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "wat", "shld" and "govts" are typed, not names: a short form of a phrasing word
    frames the question, and one of a content word is the corpus word it shortens."""
    answer = grounded_answer(briefing, "wat does DHS say the memo does")
    assert "better coordination and cooperation" in lead_of(answer)
    answer = grounded_answer(briefing, "is intel sharing part of it")
    assert "sharing of intelligence inputs" in lead_of(answer)
    answer = grounded_answer(briefing, "the activists problem with the govts?")
    assert "focus of their governments on security" in lead_of(answer)
    answer = answer_from(
        briefing,
        tmp_path / "depot.md",
        "Harlow Council Approves Bus Depot",
        "The transport department of Harlow council approved a new bus depot on Monday.",
        "what did the harlow transport dept approve",
    )
    assert "new bus depot" in lead_of(answer)
    # A short form the sources do not spell out is still a word they lack.
    assert not briefing.ask("wat did the govts say about sourdough").answered


def test_only_a_few_short_forms_are_read_and_in_one_lookup(briefing: Briefing) -> None:
    """A question of many short forms is noise: the first MAX_SHORT_FORMS are read, and
    the words they may stand for are asked about in one database query, not one each."""
    question = "accnt adn agrnt aph binng depnt gvs"  # each fits a word of the seed
    calls: list[set[str]] = []
    search = briefing.retriever.search
    term_stats = search.term_stats

    def counted(session, words):  # type: ignore[no-untyped-def]
        calls.append(set(words))
        return term_stats(session, words)

    with briefing.db.session() as session, pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "term_stats", counted)
        query, _, _ = briefing.retriever.analyse(session, question)
    read = [t for t in query.terms if t.corrected_from]
    # (the others may still be read as typos of everyday words: "depnt", "dent")
    assert [t.corrected_from for t in read][:MAX_SHORT_FORMS] == question.split()[:MAX_SHORT_FORMS]
    assert read[0].word == "account"
    offered = [set(expansions(short)) for short in question.split()]
    batch = [c for c in calls if all(words <= c for words in offered[:MAX_SHORT_FORMS])]
    assert len(batch) == 1
    assert not any(words <= c for c in calls for words in offered[MAX_SHORT_FORMS:])


@pytest.mark.parametrize(
    "question",
    [
        "what about the " + "abcdefghij" * 30,  # one very long non-word
        "what about " + " ".join(f"zqxw{c * 6}vbn" for c in "bcdfghjklmnpqrstv"),  # many
    ],
)
def test_a_question_of_non_words_looks_up_few_strings(briefing: Briefing, question: str) -> None:
    """Every string one edit away from a typo is looked up only for a few words of
    ordinary length: one edit away from a word of n letters are about 54n strings, so a
    300-letter non-word (16,000 of them, each stemmed and sent to the database) or a
    question of twenty non-words would take seconds to refuse (a 1,500-letter one took
    a minute and a half)."""
    assert strings_looked_up(briefing, question) < 5_000


def strings_looked_up(briefing: Briefing, question: str) -> int:
    """How many strings reading ``question`` sends to the search index."""
    looked_up = 0
    search = briefing.retriever.search
    term_stats, frequencies = search.term_stats, search.frequencies

    def counted_stats(session, words):  # type: ignore[no-untyped-def]
        nonlocal looked_up
        looked_up += len(words)
        return term_stats(session, words)

    def counted(session, words):  # type: ignore[no-untyped-def]
        nonlocal looked_up
        looked_up += len(words)
        return frequencies(session, words)

    with briefing.db.session() as session, pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "term_stats", counted_stats)
        patch.setattr(search, "frequencies", counted)
        briefing.retriever.analyse(session, question)
    return looked_up


def test_only_one_typo_a_question_is_looked_up_in_full(briefing: Briefing) -> None:
    """A typo is looked up one edit away in full (hundreds of strings) for the first
    typo of a question only, and never for a string without a vowel ("xkcd"): a question
    of unknown strings is common, a typo of a rare corpus word is not. One full lookup
    of an eight-letter word is about 430 strings."""
    assert strings_looked_up(briefing, "what about bcdfghk nprstvw") < 100
    assert strings_looked_up(briefing, "what about zarquon blorvex frimbat") < 1_000


def test_a_misspelt_name_is_read_as_the_name_the_sources_use(briefing: Briefing) -> None:
    """ "Kirsten" is a name, so not a typo of an English word, but the seed never uses
    it: the name one edit away that it does use ("Kirstjen") is what was meant."""
    answer = grounded_answer(briefing, "what did kirsten nielsen say?")
    assert "Kirstjen Nielsen" in answer.answer
    # a name with no near spelling in the sources is still refused before any model
    refused = briefing.retrieve("what did kirsten dunstable say?")
    assert refused.verdict.decision == "refuse"


def test_a_refusal_says_which_terms_decided_it(full_briefing: Briefing) -> None:
    answer = full_briefing.ask("What is the capital of France?")
    assert not answer.answered and answer.refusal is not None
    assert answer.refusal["decision"] == "refuse"
    terms = {t["term"]: t for t in answer.refusal["terms"]}
    assert terms["france"]["anchor"] and not terms["france"]["in_corpus"]
    assert 0 < terms["capital"]["weight"] < terms["france"]["weight"]
    assert "france" in answer.refusal["reason"]


@pytest.mark.parametrize(
    "question",
    [
        "tell me about it",
        "Can you give me a quick summary?",
        "¿Qué dice el memorando?",
        "help",
        "Help me!",
        "what can you do?",
        "hi",
        "hi briefbot",
        "Hey briefbot!",
    ],
)
def test_questions_without_a_focus_get_help_not_a_refusal(
    briefing: Briefing, question: str
) -> None:
    answer = briefing.ask(question)
    assert not answer.answered and answer.mode == "help"
    assert "Not in the sources" not in answer.answer
    assert briefing.profile.example and briefing.profile.example in answer.answer
    assert briefing.log.export()[-1]["mode"] == "help"  # logged like any question


def test_punctuation_is_not_a_question(briefing: Briefing) -> None:
    from bot.errors import InputError

    with pytest.raises(InputError, match=r"only punctuation\. Ask me about"):
        briefing.ask("?!")


def test_the_newcomer_set_on_the_seed_alone(briefing: Briefing) -> None:
    """evals/newcomer.jsonl: questions a first-time user types, on the bundled seed."""
    from bot.core.evaluate import load_cases, run_eval

    report = run_eval(load_cases(EVALS / "newcomer.jsonl"), briefing.answer_unlogged)
    assert report.false_refusals == 0, [
        c.question for c in report.cases if c.in_scope and not c.answered
    ]
    assert report.correct_refusals == 1.0
    assert report.fact_coverage >= NEWCOMER_FACTS


def test_a_question_that_stands_alone_is_not_condensed(briefing: Briefing) -> None:
    from bot.core.followup import stands_alone
    from bot.core.models import Turn

    assert stands_alone("What does the memorandum commit the countries to?")
    assert not stands_alone("What do critics say about it?")
    answer = briefing.ask(
        "What does the memorandum commit the countries to?",
        history=[Turn("user", "Who won the football match?")],
    )
    assert answer.answered and answer.standalone_question == answer.question


def test_a_sentence_that_leans_back_brings_what_it_leans_on(briefing: Briefing) -> None:
    """ "It was basically due to continued mis-use..." starts a chunk: the sentence it leans
    on is in the passage before, and the answer reads in order from it; a sentence that
    only shares the article's title with the question is no answer sentence."""
    answer = briefing.ask("What went wrong with the jeeps the US donated?")
    sentences = [s for s in re.split(r"(?<=\])[.!?]?\s+", answer.answer) if s]
    assert sentences[0].startswith("US Department of Defense had earlier suspended aid")
    assert sentences[1].startswith("It was basically due to continued mis-use")
    assert "inequality" not in answer.answer
    assert_grounded(briefing, answer)


def test_a_question_for_an_amount_leads_with_the_sentence_that_holds_one(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The sentence about the signing holds more of the question's words; the one with the
    fee holds none but the article's subject. A "how much" question is answered by the
    amount, so that sentence leads (and the other may follow)."""
    ingest_text(
        briefing,
        tmp_path / "keeper.md",
        "---\ntitle: Harbour City Signs Goalkeeper Tomas Rell\n---\n\n"
        "Harbour City have completed the signing of goalkeeper Tomas Rell from Dunmore "
        "Athletic, the club said, ending a long search for a new first-choice keeper.\n\n"
        "Rell, 24, passed a medical on Monday. The fee is reported to be 4.2 million "
        "pounds, with add-ons linked to appearances.\n",
    )
    answer = grounded_answer(briefing, "How much did Harbour City pay for the new keeper?")
    assert answer.answer.startswith("The fee is reported to be 4.2 million pounds")


def test_a_question_for_a_number_no_passage_holds_is_borderline(
    briefing: Briefing, tmp_path: Path
) -> None:
    """Every name of "How many arches does the Kelby Bridge have?" is in the article, which
    gives no number: the extractive answer refuses and says why, and a model would still
    be shown the passages (borderline, as at the gate). Asked for what the article does
    say, the same article answers."""
    ingest_text(
        briefing,
        tmp_path / "bridge.md",
        "---\ntitle: Kelby Bridge Closed After Cracks Found\n---\n\n"
        "Engineers have closed the Kelby Bridge, an old stone bridge over the river Fenn, "
        "after cracks were found in its arches during an inspection.\n\n"
        "The council said the bridge would stay shut until repairs are agreed.\n",
    )
    retrieval = briefing.retrieve("How many arches does the Kelby Bridge have?")
    assert not retrieval.answerable and retrieval.worth_asking
    assert retrieval.verdict.decision == "borderline"
    assert "a number" in retrieval.verdict.reason
    answer = briefing.ask("How many arches does the Kelby Bridge have?")
    assert not answer.answered
    assert answer.refusal is not None and answer.refusal["decision"] == "borderline"
    answered = briefing.ask("Why was the Kelby Bridge closed?")
    assert answered.answered and "cracks" in answered.answer


def test_the_person_asked_about_must_be_named_not_merely_related(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who was the architect of the Old Mill Bridge?" asks for an architect. An article
    whose arch "was designed" for carts relates to architects (WordNet links architect,
    designer and design) and names an engineer, but no architect: a related word is not
    the person asked about, so the question is not answered. Asked for the engineer, the
    same article answers."""
    ingest_text(
        briefing,
        tmp_path / "bridge.md",
        "---\ntitle: Old Mill Bridge in Tarrow Closed After Cracks Found\n---\n\n"
        "Engineers closed the Old Mill Bridge in Tarrow on Friday after divers found cracks "
        "in the central arch, which was designed to carry horse-drawn carts.\n\n"
        '"We could not be sure the arch would carry a lorry," said Ilse Varga, the '
        "council's chief bridge engineer.\n",
    )
    assert_borderline(briefing, "Who was the architect of the Old Mill Bridge in Tarrow?")
    answer = grounded_answer(briefing, "Who is the council's engineer for the Old Mill Bridge?")
    assert "Ilse Varga" in answer.answer


def test_a_measure_asked_for_is_answered_by_an_amount_of_it(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What is the duration of Brenn's contract?" is answered by "a three-year deal": a
    duration states how long a contract runs, whatever words the article uses (WordNet
    files "duration" under time periods). A money amount does not state a duration."""
    ingest_text(
        briefing,
        tmp_path / "signing.md",
        "---\ntitle: Tarrow Rovers Sign Midfielder Ola Brenn\n---\n\n"
        "Tarrow Rovers have signed midfielder Ola Brenn from Kessel Athletic on a "
        "three-year deal, the club said on Monday.\n\n"
        "Brenn, 24, scored nine goals for Kessel last season and was their captain.\n",
    )
    answer = grounded_answer(
        briefing, "What is the duration of Brenn's agreement with Tarrow Rovers?"
    )
    assert "three-year deal" in answer.answer


def test_a_when_question_gets_the_date_from_the_sentence_beside_the_answer(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The day an accord was signed may sit in the sentence before the one about the
    signing ("On Thursday, ministers met ... The meeting ended with the signing"). The
    gate answers because a sentence near the ones that speak to the question holds a day;
    the answer must then hold that sentence too, not only the one without a date."""
    ingest_text(
        briefing,
        tmp_path / "ports.md",
        "---\ntitle: Norvik and Estmark Ministers Meet in Tarrow\n---\n\n"
        "On Thursday, ministers from Norvik and Estmark met in Tarrow for a day of talks "
        "on fishing quotas and shipping lanes. "
        "The meeting ended with the signing of a ports accord that sets common customs "
        "checks at both countries' container terminals.\n\n"
        "Shipping firms welcomed the accord, saying it would cut waiting times at the "
        "terminals by a third.\n",
    )
    answer = grounded_answer(briefing, "When was the ports accord signed?")
    assert "Thursday" in answer.answer
    assert answer.answer.index("On Thursday") < answer.answer.index("The meeting ended")


def test_a_question_for_an_amount_of_money_is_not_answered_by_another_number(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What is the estimated price of the Kelby Bridge repairs?" asks for money (a price
    is a kind of cost, by WordNet), as does "how much ..., in dollars?". An article that
    gives only a duration and a length answers neither: the extractive answer refuses
    (borderline, so a model would still be shown the passages). Asked how long the
    repairs take, it answers."""
    ingest_text(
        briefing,
        tmp_path / "kelby.md",
        "---\ntitle: Kelby Bridge Repairs Approved\n---\n\n"
        "The council approved repairs to the Kelby Bridge on Monday. Officials estimate "
        "the repairs will take 18 months, and the 120-metre bridge will stay closed to "
        "traffic until they are finished.\n",
    )
    assert_borderline(briefing, "What is the estimated price of the Kelby Bridge repairs?")
    assert_borderline(briefing, "How much will the Kelby Bridge repairs cost in dollars?")
    answer = grounded_answer(briefing, "How long will the Kelby Bridge repairs take?")
    assert "18 months" in answer.answer


def test_a_who_answer_introduces_the_person_it_names_by_surname(
    briefing: Briefing, tmp_path: Path
) -> None:
    """News names a person in full once ("Jana Kowalczyk, the regional minister for
    transport") and by surname after. The sentence that answers "who" may be a later one
    ("Kowalczyk promised union officials ..."): the answer brings the introduction just
    before it, so it says who she is."""
    ingest_text(
        briefing,
        tmp_path / "ferry.md",
        "---\ntitle: Ferry Talks Resume in Tarrow\n---\n\n"
        "Talks on the future of the Tarrow ferry resumed on Monday after a month-long "
        "pause. Residents, unions and the operator attended, along with Jana Kowalczyk, "
        "the regional minister for transport.\n\n"
        "At the meeting, Kowalczyk promised union officials that the night service would "
        "keep running until at least March.\n",
    )
    answer = grounded_answer(briefing, "Who promised that the night service would keep running?")
    assert "Jana Kowalczyk, the regional minister for transport" in answer.answer
    assert answer.answer.index("Jana Kowalczyk") < answer.answer.index("Kowalczyk promised")


def test_a_person_the_question_names_is_not_introduced_before_the_answer(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who did Kowalczyk meet on Friday?" names her: the asker knows who she is, and the
    sentence that answers ("On Friday, Kowalczyk met officials of the Kelby Harbour
    Pilots' Union") leads, not the one that introduces her. (Before, her introduction
    came first and pushed the answer to the second sentence.)"""
    ingest_text(
        briefing,
        tmp_path / "ferry.md",
        "---\ntitle: Ferry Talks Resume in Tarrow\n---\n\n"
        "Talks on the future of the Tarrow ferry resumed on Monday after a month-long "
        "pause, at a meeting chaired by Jana Kowalczyk, the regional minister for "
        "transport.\n\n"
        "On Friday, Kowalczyk met officials of the Kelby Harbour Pilots' Union to discuss "
        "night crossings.\n",
    )
    answer = grounded_answer(briefing, "who did kowalczyk meet on friday")
    assert "Kelby Harbour Pilots' Union" in lead_of(answer)


def test_a_number_counts_the_noun_before_a_preposition(briefing: Briefing, tmp_path: Path) -> None:
    """ "45 crowns per scooter" counts crowns: a preposition ends the phrase a number
    counts, so it is no number of scooters for "How many shared scooters will the city
    allow?", which the sentence with the cap answers. (Before, the three words after a
    number were all counted, and the sentence about the fee led.)"""
    answer = answer_from(
        briefing,
        tmp_path / "scooters.md",
        "Lysmark Caps Rental Scooters",
        "Each operator will pay an annual fee of 45 crowns per scooter. From 1 March, the "
        "number of shared scooters allowed in the city will be capped at 3,000.",
        "How many shared scooters will the city allow?",
    )
    assert "3,000" in lead_of(answer)


def test_how_old_is_answered_by_an_age_or_a_year(briefing: Briefing, tmp_path: Path) -> None:
    """ "How old" wants an age as news writes it ("Ortiz, 34,") or the year a thing began,
    not whichever number sits in the sentence with the most of the question's words."""
    ingest_text(
        briefing,
        tmp_path / "ortiz.md",
        "---\ntitle: Ortiz Leads Harbour City to Victory\n---\n\n"
        "Lena Ortiz scored 22 points as Harbour City beat Tarrow 88 to 80 on Friday. "
        "Ortiz, 34, has said this season will be her last. Harbour City's arena, the "
        "Quayside Hall, opened in 1961.\n",
    )
    for question, lead in (
        ("How old is Lena Ortiz?", "Ortiz, 34, has said"),
        ("how old is the quayside hall?", "Harbour City's arena, the Quayside Hall, opened"),
    ):
        answer = grounded_answer(briefing, question)
        assert lead_of(answer).startswith(lead), answer.answer


def test_a_comparison_is_answered_from_both_stories(briefing: Briefing, tmp_path: Path) -> None:
    """ "Which is older, Harwick or Ashford?" names two things that no one passage holds
    together: each is looked for on its own, and the answer cites both."""
    stories = {
        "Harwick": "The Harwick bridge, a five-arch stone crossing, was built in 1794. Its "
        "central arch cracked in the February floods.",
        "Ashford": "Ashford's chain bridge was built in 1827 to carry carts over the Leame. "
        "It reopened to walkers on Saturday after a restoration.",
    }
    ingest_text(
        briefing,
        tmp_path / "h.md",
        f"---\ntitle: Harwick Bridge News\n---\n\n{stories['Harwick']}\n",
    )
    answer = answer_from(
        briefing,
        tmp_path / "a.md",
        "Ashford Bridge News",
        stories["Ashford"],
        "Which bridge was built first, Harwick or Ashford?",
    )
    assert "1794" in answer.answer and "1827" in answer.answer
    assert {c.title for c in answer.citations} >= {"Harwick Bridge News", "Ashford Bridge News"}


def test_a_name_that_starts_a_sentence_answers_who(briefing: Briefing, tmp_path: Path) -> None:
    """A capitalised word at a sentence's start may only start it ("The Sollen regatta"),
    but two of them after a word that is no function word are a name ("Ida Berg won")."""
    answer = answer_from(
        briefing,
        tmp_path / "regatta.md",
        "Sollen Regatta Ends in a Sprint",
        "The Sollen regatta ended in a sprint on Sunday. Ida Berg won it by two seconds, "
        "her first win in the race.",
        "Who won the Sollen regatta?",
    )
    assert "Ida Berg won it" in answer.answer


def test_a_question_about_another_period_than_the_sources_is_not_answered(
    briefing: Briefing, tmp_path: Path
) -> None:
    """An article about this year's race does not say who won it last year, though it
    holds every other word of the question; one that speaks of last year does."""
    ingest_text(
        briefing,
        tmp_path / "regatta.md",
        "---\ntitle: Ida Berg Wins the Sollen Regatta\n---\n\n"
        "The Sollen regatta was won on Sunday by Ida Berg, her first win in the race. This "
        "year's regatta drew 64 boats, the most since it began in 1990.\n",
    )
    assert briefing.ask("Who won the Sollen regatta this year?").answered
    assert_borderline(briefing, "Who won the Sollen regatta last year?")
    ingest_text(
        briefing,
        tmp_path / "regatta-2.md",
        "---\ntitle: Sollen Regatta Preview\n---\n\n"
        "The Sollen regatta was won last year by Tomas Lind, who returns to defend it.\n",
    )
    answer = grounded_answer(briefing, "Who won the Sollen regatta last year?")
    assert "Tomas Lind" in answer.answer


def test_an_overview_leads_with_the_story_s_own_lead(database_url: str, tmp_path: Path) -> None:
    """News says what a story is about in its first sentence. Asked for an overview, the
    answer leads with it, though a later passage repeats the topic's words more often and
    ranks first; a part of the story that the first sentence does not cover (the critics)
    is led by the sentence about it."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "levy.md",
            "---\ntitle: Marlow Votes on Reading Rooms\n---\n\n"
            "Voters in Marlow approved a library levy on Tuesday that will pay for a new "
            "branch in the east of the town. Turnout was low, at about a third of voters.\n\n"
            "The levy, the town's first library levy in thirty years, will raise the library "
            "budget by a fifth. Library levy receipts will be kept apart from the general "
            "fund, the library board said.\n\n"
            "Critics of the levy said the vote had been held too quickly.\n",
        )
        lead = "Voters in Marlow approved a library levy"
        for question in ("give me a quick rundown on the library levy", "tl;dr of the levy?"):
            retrieval = briefing.retrieve(question)
            assert lead not in retrieval.passages[0].text  # the search ranks another first
            answer = grounded_answer(briefing, question)
            assert lead_of(answer).startswith(lead), answer.answer
        detail = briefing.ask("tell me about the critics of the levy")
        assert detail.answered
        assert lead_of(detail).startswith("Critics of the levy")


def test_an_overview_comes_from_the_story_whose_headline_is_about_the_topic(
    briefing: Briefing, tmp_path: Path
) -> None:
    """Two stories speak of the harbour levy. The one about its critics repeats the
    topic's words and ranks first; the one whose headline is about the levy itself
    ("What the Kelso Harbour Levy Does") is where an overview begins: with its first
    sentence."""
    ingest_text(
        briefing,
        tmp_path / "critics.md",
        "---\ntitle: Kelso Yacht Owners Say the Harbour Levy Will Drive Visitors Away\n---\n\n"
        "Yacht owners told a packed meeting that the harbour levy is too high. The harbour "
        "levy, they said, will send visiting boats to other harbours, and a harbour levy "
        "of any size is a tax on visitors.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "explainer.md",
        "---\ntitle: What the Kelso Harbour Levy Does\n---\n\n"
        "Kelso's new harbour levy charges visiting boats two pounds a night to pay for "
        "dredging the harbour mouth. It was approved by the town council in May.\n",
    )
    question = "give me an overview of the harbour levy"
    assert briefing.retrieve(question).passages[0].title.startswith("Kelso Yacht Owners")
    answer = grounded_answer(briefing, question)
    assert lead_of(answer).startswith("Kelso's new harbour levy charges visiting boats")


def test_an_answer_carries_on_across_a_chunk_edge(database_url: str, tmp_path: Path) -> None:
    """Chunks end where their token budget does, not where a thought does. When the
    sentence that says what was asked comes just after a chosen passage ends (in the next
    chunk, which covers too little of the question to be chosen itself: it lacks
    "Valley"), the extractive answer still takes it, cited to that chunk."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "levee.md",
            "---\ntitle: River Authority Publishes Review\n---\n\n"
            "The Fenn Valley levee failed in two places during the winter floods, the river "
            "authority said on Friday in its review. Engineers blamed underlying weaknesses. "
            "They are old clay cores and tunnels dug by beavers in the Fenn banks. "
            "The authority plans a public meeting in the spring.\n",
        )
        question = "Why did the Fenn Valley levee fail during the winter floods?"
        retrieval = briefing.retrieve(question)
        assert retrieval.answerable
        assert all("clay cores" not in p.text for p in retrieval.passages)
        assert any("clay cores" in p.text for p in retrieval.neighbours)
        answer = grounded_answer(briefing, question)
        assert "Engineers blamed underlying weaknesses [1]. They are old clay cores" in (
            answer.answer
        )


@pytest.mark.parametrize(
    ("word", "text", "introduces"),
    [
        ("Nielsen", "meetings they held with Kirstjen Nielsen, the US Secretary", True),
        ("Nielsen", "Secretary Nielsen arrived on Monday.", True),
        ("Nielsen", "Nielsen had met the Mexican officials.", False),
        ("Tuesday", "On Tuesday, the operator raised its fares.", False),
        ("Honduras", "a summit held at Tegucigalpa, Honduras.", False),
    ],
)
def test_what_introduces_a_person(word: str, text: str, introduces: bool) -> None:
    """A sentence introduces someone when it gives their surname after a first name or a
    title, and the word is one WordNet knows, if at all, only as a person: "On Tuesday"
    starts a sentence and introduces nobody, and Honduras is a place."""
    from bot.core.answer import _full_name
    from bot.core.roles import could_be_surname

    assert (could_be_surname(word) and _full_name(word, text)) == introduces


ROWING = (
    "Tarrow Rowing Club Wins the Kessel Cup",
    "Tarrow Rowing Club won the Kessel Cup on Saturday for the first time since 1998, "
    "beating Kessel by two lengths in the final on the River Leame. "
    "The crew rowed without their captain, who was injured in training last month. "
    "The captain watched the final from a launch on loan from a club in Cambridge.\n\n"
    '"Nobody gave us a chance after the injury," said the head coach, Petra Lund. '
    "The club will defend the cup next year at home.\n\n"
    "Specialists at the county archive checked the club's claim to the 1998 title and "
    "consulted Dr. Ana Ferreira, a historian at the archive who has written about the "
    "Kessel Cup.\n",
)


def test_a_person_asked_for_by_role_needs_a_name_beside_the_role(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who is the captain?" and "What is the name of the captain?" ask for a name given
    with the role, in one sentence ("the head coach, Petra Lund"). An article that speaks
    of "their captain" (beside a place, Cambridge, not a person) and names other people
    elsewhere does not answer them (borderline:
    a model would still be shown the passages); asked for the coach, or for the historian
    named after a title ("Dr. Ana Ferreira"), it answers with that sentence first."""
    title, text = ROWING
    ingest_text(briefing, tmp_path / "rowing.md", f"---\ntitle: {title}\n---\n\n{text}")
    assert_borderline(briefing, "What is the name of the Tarrow Rowing Club's injured captain?")
    assert_borderline(briefing, "Who is the captain of Tarrow Rowing Club?")
    assert_borderline(briefing, "Which rower captains the Tarrow Rowing Club?")
    coach = grounded_answer(briefing, "Who is the head coach of the Tarrow crew that won the cup?")
    assert lead_of(coach).endswith("said the head coach, Petra Lund")
    historian = grounded_answer(
        briefing, "What's the name of the historian who wrote about the Kessel Cup?"
    )
    assert "Dr. Ana Ferreira" in lead_of(historian)


def test_who_is_a_person_leads_with_the_sentence_that_introduces_them(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who is Kowalczyk?" is answered by the sentence that gives her full name and role,
    first, even when a sentence that names her by surname alone scores higher (it is
    shorter, and it names a place): the introduction moves up before it."""
    ingest_text(
        briefing,
        tmp_path / "ferry.md",
        "---\ntitle: Tarrow Ferry Talks Resume\n---\n\n"
        "It was on Monday that Kowalczyk met union officials in Port Elms and promised "
        "that the Tarrow ferry's night service would keep running until at least March.\n\n"
        "Residents of the islands, several unions, the ferry operator and a number of "
        "local businesses that depend on the crossing attended the talks, which had been "
        "paused for a month, along with Jana Kowalczyk, the regional minister for "
        "transport.\n",
    )
    answer = grounded_answer(briefing, "Who is Kowalczyk?")
    assert "Jana Kowalczyk, the regional minister for transport" in lead_of(answer)
    assert answer.answer.index("Jana Kowalczyk") < answer.answer.index("Kowalczyk met")


def test_how_many_needs_a_number_beside_what_it_counts(briefing: Briefing, tmp_path: Path) -> None:
    """ "How many spectators ...?" is answered by a number given with the spectators (or a
    kind of them) in one sentence, not by an article that speaks of spectators in one
    sentence and counts runners and countries in others (borderline: a model would still
    be shown the passages). Asked for the runners, the sentence that counts them leads."""
    ingest_text(
        briefing,
        tmp_path / "marathon.md",
        "---\ntitle: Kenyan Runner Wins the Tarrow Marathon\n---\n\n"
        "Ruth Wanjiru won the Tarrow Marathon on Sunday in 2 hours 24 minutes, the fastest "
        "time in the race's 40-year history. "
        "Spectators lined the riverside route despite the rain.\n\n"
        "This year's marathon drew 4,200 runners from 31 countries, and 600 volunteers "
        "staffed the drinks stations. The organisers' race report thanks 12 sponsors.\n\n"
        "The report's pages of results are online.\n",
    )
    assert_borderline(briefing, "How many spectators watched the Tarrow Marathon?")
    # what is counted may be a noun of any kind: pages are not counted here
    assert_borderline(briefing, "How many pages long is the Tarrow Marathon's race report?")
    answer = grounded_answer(briefing, "How many runners took part in the Tarrow Marathon?")
    assert lead_of(answer).startswith("This year's marathon drew 4,200 runners")


def test_a_sentence_that_points_back_counts_the_name_it_points_to(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "It was painted in 1804" answers "When was Marrowby Mill painted?": "It"
    is the painting the sentence before names. That sentence counts the name too (less
    than one that gives it), so it leads over a sentence that names the painting beside
    another date, and brings the sentence it points back to."""
    ingest_text(
        briefing,
        tmp_path / "gallery.md",
        "---\ntitle: Tarrow Gallery Buys a Lost Painting by Agnes Holm\n---\n\n"
        "The Tarrow Gallery has bought a lost painting by Agnes Holm after a public "
        "appeal.\n\n"
        'The painting, "Marrowby Mill", shows a watermill on the Leame at dusk. '
        "It was painted in 1804 and was last seen in public at a sale in 1890.\n\n"
        '"Marrowby Mill" will go on display in May, beside the gallery\'s '
        "two other works by Holm.\n",
    )
    answer = grounded_answer(briefing, "When was Marrowby Mill painted?")
    assert lead_of(answer).startswith('The painting, "Marrowby Mill", shows')
    assert "It was painted in 1804" in answer.answer


def test_how_deep_is_answered_by_a_measurement(briefing: Briefing, tmp_path: Path) -> None:
    """ "How deep ...?" asks for a measurement (a number and a unit: "40 metres"), not any
    number: an article about a lake that gives only a date and counts does not say how
    deep the lake is (borderline), and the sentence with the tunnel's depth leads."""
    ingest_text(
        briefing,
        tmp_path / "regatta.md",
        "---\ntitle: Lake Marrow Regatta Draws Record Entry\n---\n\n"
        "The Lake Marrow regatta on 3 May drew 140 boats and about 5,000 spectators, the "
        "most in its 60-year history.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "tunnel.md",
        "---\ntitle: Tarrow Tunnel Opens Under the River Leame\n---\n\n"
        "The Tarrow tunnel under the River Leame opened on 3 May after four years of work, "
        "and 12,000 cars used it on the first day. "
        "Its lowest point lies 40 metres below the riverbed.\n",
    )
    assert_borderline(briefing, "How deep is Lake Marrow?")
    answer = grounded_answer(briefing, "How deep is the Tarrow tunnel?")
    assert "40 metres" in lead_of(answer)


def test_how_tall_wants_a_length_and_how_heavy_a_weight(briefing: Briefing, tmp_path: Path) -> None:
    """ "How tall is the calf?" is not answered by its weight ("weighed 21 kilograms"),
    nor "How heavy is the statue?" by its height: each asks for its own kind of unit."""
    ingest_text(
        briefing,
        tmp_path / "calf.md",
        "---\ntitle: Zoo Welcomes Giraffe Calf\n---\n\nThe Ketterby zoo's new giraffe "
        "calf weighed 21 kilograms at her first check on Tuesday.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "statue.md",
        "---\ntitle: Bronze Statue Unveiled in Ketterby\n---\n\nThe bronze statue of "
        "the poet Ida Marsh, unveiled in Ketterby on Friday, stands 3.5 metres tall.\n",
    )
    assert_borderline(briefing, "How tall is the Ketterby zoo's giraffe calf?")
    assert_borderline(briefing, "How heavy is the statue of Ida Marsh in Ketterby?")
    answer = grounded_answer(briefing, "How tall is the statue of Ida Marsh?")
    assert "3.5 metres" in lead_of(answer)


def test_a_street_after_on_is_a_place_a_weekday_is_not(briefing: Briefing, tmp_path: Path) -> None:
    """ "Where will the Tarrow trams be kept?" is answered by "at a new depot on Quarry
    Lane": a name after "on" is a place, unless it is a day or a date ("on Monday", "on
    3 May"), which does not say where."""
    lead = lead_from(
        briefing,
        tmp_path / "trams.md",
        "---\ntitle: Tarrow Orders a New Tram Fleet\n---\n\n"
        "The city of Tarrow ordered 20 new trams on Monday. "
        "The trams will be kept overnight at a new depot on Quarry Lane.\n",
        "Where will the new Tarrow trams be kept?",
    )
    assert "on Quarry Lane" in lead
    ingest_text(
        briefing,
        tmp_path / "buses.md",
        "---\ntitle: Kelby Orders New Buses\n---\n\n"
        "The town of Kelby ordered 12 new buses on Monday. "
        "The buses will be kept overnight at the old depot from 3 May.\n",
    )
    assert_borderline(briefing, "Where will the new Kelby buses be kept?")


def test_a_share_of_something_needs_the_share_beside_it(briefing: Briefing, tmp_path: Path) -> None:
    """ "What share of voters backed the tramway?" asks for a percentage of voters: "shares
    in the operator rose 12 per cent" is another share, so an article without the voters'
    share does not answer it (borderline). "What percentage of the budget goes to the
    stations?" counts the budget, and the sentence that gives its share leads."""
    ingest_text(
        briefing,
        tmp_path / "tramway.md",
        "---\ntitle: Kelby Voters Back the Riverside Tramway\n---\n\n"
        "Voters in Kelby backed the Riverside tramway in a referendum on Sunday. "
        "Shares in the tram operator rose 12 per cent on Monday.\n\n"
        "The tramway will cost 300 million dollars. About 40 per cent of the budget goes "
        "to the line's 18 stations.\n",
    )
    assert_borderline(briefing, "What share of voters backed the Riverside tramway?")
    answer = grounded_answer(
        briefing, "What percentage of the Riverside tramway budget goes to the stations?"
    )
    assert lead_of(answer).startswith("About 40 per cent of the budget")


def test_a_question_for_a_things_name_needs_a_name_beside_it(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What is Kessel Rovers' stadium called?" asks for a name given with the stadium: an
    article that mentions "the stadium" on Tuesday, and names people elsewhere, does not
    answer it (borderline; a day is no name). One that names the ground does, with that
    sentence first."""
    ingest_text(
        briefing,
        tmp_path / "rovers.md",
        "---\ntitle: Kessel Rovers Sign Striker Ola Brenn\n---\n\n"
        "Kessel Rovers have signed striker Ola Brenn from Tarrow Athletic. "
        "Brenn was presented to supporters at the stadium on Tuesday.\n",
    )
    assert_borderline(briefing, "What is Kessel Rovers' stadium called?")
    answer = answer_from(
        briefing,
        tmp_path / "athletic.md",
        "Tarrow Athletic Plan a Bigger Ground",
        "Tarrow Athletic plan to add 4,000 seats by 2027. "
        "The club's stadium, Marrow Park, was built in 1911 beside the river.",
        "What is the name of Tarrow Athletic's stadium?",
    )
    assert lead_of(answer).startswith("The club's stadium, Marrow Park,")


def test_a_year_or_a_model_code_is_not_a_count(briefing: Briefing, tmp_path: Path) -> None:
    """ "How many Ranger V8 trucks did Tarrow police buy?" is not answered by "In March
    2021, Tarrow police bought Ranger V8 trucks": a year, a day of a month and a model code
    are not numbers of trucks (borderline), nor any amount at all ("How much aid ...?"
    against a year and a model). A count of the trucks answers."""
    ingest_text(
        briefing,
        tmp_path / "trucks.md",
        "---\ntitle: Tarrow Police Trucks Misused\n---\n\n"
        "In March 2021, Tarrow police bought Ranger V8 trucks for the border unit. "
        "On 19 August the trucks were seen outside a stadium.\n",
    )
    assert_borderline(briefing, "How many Ranger V8 trucks did Tarrow police buy?")
    ingest_text(
        briefing,
        tmp_path / "aid.md",
        "---\ntitle: Kelby Aid Suspended\n---\n\nThe ministry suspended aid to the Kelby "
        "police in 2021. It was due to misuse of the donated Volta E12 vans.\n",
    )
    assert_borderline(briefing, "How much aid to the Kelby police was suspended?")
    lead = lead_from(
        briefing,
        tmp_path / "vans.md",
        "---\ntitle: Kelby Police Buy Vans\n---\n\n"
        "In May 2022, Kelby police bought 14 Transit V6 vans for the harbour unit.\n",
        "How many Transit V6 vans did Kelby police buy?",
    )
    assert "14 Transit V6 vans" in lead


def test_a_name_spelt_otherwise_in_its_article_is_that_name(
    database_url: str, tmp_path: Path
) -> None:
    """News misspells names, often within one article (the seed's "Nielson" for
    "Nielsen"). A name one letter off, in an article that spells the name as asked
    elsewhere, is that name: the sentence that holds it answers, and leads. The same
    spelling in another article, which never names the person as asked, is someone else."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "harbour.md",
            "---\ntitle: Port Authority Approves Harbour Dredging\n---\n\n"
            "The port authority approved the dredging of the outer harbour on Monday, after "
            "a year of consultations led by its chair, Margit Vandersloot.\n\n"
            "Vandersloot met fishing crews and shipping firms at the harbour office twice "
            "during the year.\n\n"
            "Vandersluot has described the plan as a once-in-a-generation investment in the "
            "town's working waterfront.\n",
        )
        ingest_text(
            briefing,
            tmp_path / "contract.md",
            "---\ntitle: Dredging Firm Named for Canal Works\n---\n\n"
            "Pieter Vandersluot, the director of the firm, described the canal contract as a "
            "fair price for difficult work.\n",
        )
        answer = grounded_answer(briefing, "How did Vandersloot describe the plan?")
        assert lead_of(answer).startswith("Vandersluot has described the plan")
        other = briefing.ask("How did Vandersloot describe the canal contract?")
        assert all(c.title != "Dredging Firm Named for Canal Works" for c in other.citations)


@pytest.mark.parametrize(
    ("asked", "spelt"), [("Vandersloot", "Vandersluot"), ("Åkerlund", "Åkerlnud")]
)
def test_a_passage_that_spells_a_name_otherwise_is_searched_for(
    database_url: str, tmp_path: Path, asked: str, spelt: str
) -> None:
    """The passage that spells the name otherwise is found though it holds no other word
    of the question: the passages of the articles that name it as asked are read for a
    capitalised word one letter from it ("Vandersluot", "Åkerlnud": letters beyond ASCII
    too), and the gate decides whether it is the name."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "harbour.md",
            "---\ntitle: Port Authority Approves Harbour Dredging\n---\n\n"
            "The port authority approved the dredging of the outer harbour on Monday, after "
            f"a year of consultations led by its chair, Margit {asked}.\n\n"
            f"{asked} met fishing crews and shipping firms at the harbour office twice "
            "during the year, and heard their worries about the silt and the noise.\n\n"
            f"{spelt} said the work was a once-in-a-generation investment in the town's "
            "working waterfront.\n",
        )
        answer = grounded_answer(briefing, f"what did {asked.lower()} say about it")
        assert "once-in-a-generation" in lead_of(answer)


def test_an_it_that_points_forward_leans_on_nothing(briefing: Briefing, tmp_path: Path) -> None:
    """ "It was decided at a board meeting in Kelso that ..." does not point back to the
    sentence before it: its "it" stands for the clause it introduces (as in the seed's
    "It was seen in August 2018, that the Jeep J8 vehicles ..."). It leads alone. A
    sentence whose "it" stands for something named before still brings that sentence."""
    answer = answer_from(
        briefing,
        tmp_path / "ferry.md",
        "Island Ferry Timetable Cut",
        "The island ferry will sail twice a day instead of four times from next month, the "
        "operator said. It was decided at a board meeting in Kelso that the night crossing "
        "would be the first to go. Islanders have started a petition against the cut.\n\n"
        "The operator's old flagship was sold last year. It was so badly rusted that no "
        "buyer would pay more than its scrap value.",
        "Where was it decided to drop the night crossing?",
    )
    assert lead_of(answer).startswith("It was decided at a board meeting in Kelso")
    answer = grounded_answer(briefing, "Why did the flagship sell for only its scrap value?")
    assert lead_of(answer).startswith("The operator's old flagship was sold last year")


def test_the_speaker_of_any_verb_of_saying_must_be_in_the_passage(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What did the mayor promise?" asks what a mayor said, with any verb of saying or
    thinking (WordNet's communication and cognition verbs: promise, call, decide), not
    only "say" or "think". An article in which the council promised something, and no
    mayor speaks, does not answer it; asked about the council, it does."""
    ingest_text(
        briefing,
        tmp_path / "pool.md",
        "---\ntitle: Tarrow Council Promises to Reopen the Lido Pool\n---\n\n"
        "Tarrow's council promised on Monday to reopen the lido pool by June, after a "
        "two-year closure for repairs to its leaking basin.\n",
    )
    assert not briefing.ask("What did the Tarrow mayor promise about the lido pool?").answered
    answer = grounded_answer(briefing, "What did the Tarrow council promise about the lido pool?")
    assert "reopen the lido pool by June" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What did South Orvandia's president say about the pact?",
        "wat did south orvandia's president think of the pact",
        "What did the president of South Orvandia say about the pact?",
    ],
)
def test_the_speaker_owned_by_a_name_of_two_words_is_the_one_asked(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "What did South Orvandia's president say?" asks for a president's words, as "What
    did Orvandia's president say?" does, though "south" is also a noun: the name that owns
    the noun after it does not start a clause ("the contract length *Strohm* agreed").
    So does "the president *of South Orvandia*": the verb of saying comes after whose
    president. An article in which the country's ministers speak and no president does
    does not answer it. (Before, "south" was read as what the question asks about, and
    "of" ended the phrase before any verb of saying: no speaker was asked for, and the
    ministers' words answered.)"""
    ingest_story(
        briefing,
        tmp_path / "pact.md",
        "South Orvandia signs border pact",
        "South Orvandia signed a border pact with Quellmar in Pellmoor on Tuesday. The "
        'interior minister, Ilse Varnam, said the pact would "bring order to the Seffa '
        'crossings". South Orvandia will send 200 border guards.',
    )
    assert_borderline(briefing, question)
    answer = grounded_answer(briefing, "What did South Orvandia's minister say about the pact?")
    assert "bring order to the Seffa crossings" in answer.answer


@pytest.mark.parametrize(
    ("title", "body", "question", "says"),
    [
        (
            "Herald editor quits",
            "The editor of the Tarrow Herald, Mina Okafor, resigned on Tuesday, two days "
            "after the paper printed a false story about the mayor. The paper's owner "
            "appointed her deputy, Lars Pike, in her place.",
            "What did the editor of the Tarrow Herald do?",
            "resigned on Tuesday",
        ),
        (
            "Honduras sends troops north",
            "The president of Honduras, Xiomara Castro, sent 3,000 soldiers to the northern "
            "border on Friday. A UN report published last week said extortion by gangs had "
            "risen by a third. Opposition leaders criticised the deployment.",
            "What did the president of Honduras do after the UN report?",
            "sent 3,000 soldiers",
        ),
    ],
)
def test_a_word_of_saying_beside_the_speaker_s_of_is_not_the_verb_asked(
    briefing: Briefing, tmp_path: Path, title: str, body: str, question: str, says: str
) -> None:
    """ "What did the president of Honduras *do* after the UN report?" asks what he did:
    the verb after whose president it is is "do", and a word of saying that comes before
    it ("the Tarrow *Herald*") or after it ("the UN *report*") names a thing. No one's
    words are asked for, and an article in which no one speaks answers. (Before, the
    first word of saying within a few words of "of" was read as the verb, the question
    asked for the editor's or the president's words, and was refused.)"""
    ingest_story(briefing, tmp_path / "story.md", title, body)
    assert analyse(question, Lexicon()).speaker is None
    assert says in grounded_answer(briefing, question).answer


def test_a_name_that_owns_a_noun_after_the_asked_noun_starts_a_clause(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who was the captain Orvandia's coastguard arrested?" asks for the captain: after
    "the", a noun and then a name that owns the next noun ("Orvandia's coastguard") are
    the noun asked and a clause about it, as "the contract length Strohm agreed" is. Only
    a name of two words with nothing before it ("El Salvador's president") owns the noun
    after it whole. (Before, the coastguard was read as the one asked for, and its
    commander led.)"""
    ingest_story(
        briefing,
        tmp_path / "cod.md",
        "Orvandia coastguard arrests captain",
        "Orvandia's coastguard arrested the captain of a fishing boat on Tuesday for fishing "
        "in a protected area. The captain, Piet Rasmussen, was released on bail. The "
        "coastguard, led by Commander Ilse Brandt, seized 3 tonnes of cod.",
    )
    question = "Who was the captain Orvandia's coastguard arrested?"
    assert "Piet Rasmussen" in lead_of(grounded_answer(briefing, question))
    assert [t.word for t in analyse(question, Lexicon()).terms if t.asked] == ["captain"]


def test_what_is_x_leads_with_the_sentence_that_says_what_x_is(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What is kelp blight?" is answered by "Kelp blight is a disease ...", not by the
    sentence that repeats the words most ("Kelp blight is spreading ..." says what it
    does, not what it is); a noun phrase set beside the thing defines it too ("the
    Kelso Line, a ferry route that ...")."""
    answer = answer_from(
        briefing,
        tmp_path / "kelp.md",
        "Kelp Blight Reaches Tarrow",
        "Kelp blight is spreading along the Tarrow coast, where kelp farmers say kelp "
        "blight has cut this year's kelp harvest by a third.\n\n"
        "Kelp blight is a disease of seaweed, caused by a water mould that rots the "
        "stems.\n\n"
        "Farmers hope the Kelso Line will keep running through the blight. Boats on the "
        "Kelso Line carry the harvest to market. The council runs the Kelso Line, a ferry "
        "route that links the kelp farms with the town.",
        "What is kelp blight?",
    )
    assert lead_of(answer).startswith("Kelp blight is a disease of seaweed")
    answer = grounded_answer(briefing, "What is the Kelso Line?")
    assert lead_of(answer).startswith("The council runs the Kelso Line, a ferry route")


def test_an_everyday_word_asked_for_is_not_rare_for_being_asked(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The noun a question asks for weighs double in a passage ("the *reaction*"), but an
    everyday word the sources never use is no rarer for that: it does not refuse the
    question before a model may read the passages, as a missing name or rare word does."""
    ingest_text(
        briefing,
        tmp_path / "levy.md",
        "---\ntitle: Kelso Levy Approved\n---\n\n"
        "The Kelso council approved a harbour levy on Monday. Boat owners condemned the "
        "levy as a tax on visitors.\n",
    )
    asked = briefing.retrieve("What was the public reaction to the levy?")
    assert asked.verdict.decision == "borderline", asked.verdict
    rare = briefing.retrieve("What was the sourdough reaction to the levy?")
    assert rare.verdict.decision == "refuse"


def test_a_synonym_of_the_profile_s_name_asks_about_the_story(briefing: Briefing) -> None:
    """The seed never says "treaty" or "accord"; WordNet's synonyms of them include
    "pact", the profile's name for the memorandum, so the seed answers."""
    answer = grounded_answer(briefing, "is it a treaty")
    assert "non-binding" in lead_of(answer)
    assert (
        "continue ongoing talks"
        in grounded_answer(briefing, "what does the accord commit them to?").answer
    )


def test_what_someone_said_is_answered_by_their_words(briefing: Briefing, tmp_path: Path) -> None:
    """ "What did Ines Marrow say about the fees?" leads with her words, not with the
    sentence that names her beside more of the question's words; a quotation whose
    speaker is a pronoun comes after the sentence that names the speaker."""
    answer = answer_from(
        briefing,
        tmp_path / "fees.md",
        "Kelby Harbour Fees Rise",
        "Ines Marrow, who chairs the Kelby harbour board, set the new mooring fees on "
        "Monday. Boat owners were told the fees would rise in May.\n\nMarrow was calm about "
        'the protests. "Nobody likes paying more, but the harbour wall is crumbling," she '
        "said.",
        "What did Ines Marrow say about the mooring fees?",
    )
    assert lead_of(answer).startswith("Marrow was calm about the protests")
    assert '"Nobody likes paying more' in answer.answer.split("[1]", 2)[1]


def test_support_comes_from_the_articles_that_name_the_thing(
    briefing: Briefing, tmp_path: Path
) -> None:
    """When some articles call the thing asked about by the question's own word and
    another matches it only by the profile's other name for it ("agreement"), no sentence
    of that other one joins the answer: beside a lead about the memorandum, "it is legally
    binding" from another agreement's story would read as said of the memorandum."""
    ingest_text(
        briefing,
        tmp_path / "other.md",
        "---\ntitle: River Pilots Agreement Signed\n---\n\nThe river pilots agreement is "
        "legally binding on both unions. It was signed in Port Avel on Monday.\n",
    )
    answer = answer_from(
        briefing,
        tmp_path / "memo.md",
        "Harbour Board Notes",
        "The river pilots memorandum is not legally binding on the unions. The harbour "
        "board met on Tuesday to discuss it.",
        "Is the river pilots memorandum legally binding on the unions?",
    )
    assert lead_of(answer).startswith("The river pilots memorandum is not legally binding")
    assert "River Pilots Agreement Signed" not in {c.title for c in answer.citations}
    assert "Port Avel" not in answer.answer


def test_a_request_for_the_name_of_someone_asks_for_the_person(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "name of the engineer who warned ..." (no "what") asks for the engineer, by name,
    as "What is the name of ...?" does: the sentence that names the engineer leads."""
    answer = answer_from(
        briefing,
        tmp_path / "pier.md",
        "Harbour Notes From Port Avel",
        "A contractor, who asked not to be named, warned that the pier repairs would cost "
        "more than planned. A harbour engineer has warned that the old pier could collapse "
        "in a winter storm. Ines Marrow, the engineer who inspects it for the council, said "
        "repairs were urgent.",
        "name of the engineer who warned about the pier?",
    )
    assert lead_of(answer).startswith("Ines Marrow, the engineer")


def test_who_is_a_person_is_answered_by_what_the_sources_say_of_them(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who is Ada Lind?" asks what the sources say of her, not for another name: named
    once, in a quotation's attribution, she is "an engineer who inspects the pier"."""
    answer = answer_from(
        briefing,
        tmp_path / "pier.md",
        "Harbour Notes From Port Avel",
        'The old pier will close for repairs in May. "It will not last another '
        'winter," said Ada Lind, an engineer who inspects it for the council.',
        "who is ada lind?",
    )
    assert "an engineer who inspects it" in " ".join(answer.answer.split("[1]")[:2])


def test_a_citation_gives_the_paragraph_of_what_it_cites(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "paragraph 3" where the cited sentence is, not where its passage begins."""
    answer = answer_from(
        briefing,
        tmp_path / "pier.md",
        "Harbour Notes From Port Avel",
        "The harbour board met on Monday.\n\nIt discussed the budget.\n\nThe old pier will "
        "close for repairs in May, the harbourmaster said.",
        "When will the old pier close for repairs?",
    )
    assert lead_of(answer).startswith("The old pier will close")
    citation = answer.citations[0]
    assert (citation.paragraph, citation.paragraphs) == (3, "paragraph 3")


#: A quotation of three sentences, which the sentence splitter cuts in three.
DOCK_STRIKE = (
    "The dock workers' union voted on Monday. “The pier is not safe for the crews. Its "
    "beams are rotten. We will not unload another ship until it is repaired,” said Ada "
    "Lind, its spokesperson."
)


def test_a_quotation_is_read_to_its_end(briefing: Briefing, tmp_path: Path) -> None:
    """A quotation of three sentences is cut in three by the sentence splitter: an
    answer that takes its first part takes the rest, never leaving a quotation open."""
    answer = answer_from(
        briefing,
        tmp_path / "union.md",
        "Dock Workers Strike Vote",
        DOCK_STRIKE,
        "Is the pier safe for the dock crews?",
    )
    text = re.sub(r" \[\d+\]", "", answer.answer)
    assert "“The pier is not safe for the crews. Its beams are rotten. We will not unload" in text


@pytest.mark.parametrize(("asked", "sentences"), [("in one sentence", 1), ("briefly", 2)])
def test_an_answer_is_as_long_as_asked(
    briefing: Briefing, tmp_path: Path, asked: str, sentences: int
) -> None:
    ingest_text(
        briefing,
        tmp_path / "pier.md",
        "---\ntitle: Harbour Notes From Port Avel\n---\n\nThe old pier will close for "
        "repairs in May. Its beams are rotten, the harbourmaster said. The repairs will cost "
        "two million euros. Ferries will use the new pier meanwhile.\n",
    )
    answer = grounded_answer(briefing, f"{asked}, why will the old pier close?")
    assert len(re.findall(r"\[\d+\]", answer.answer)) == sentences, answer.answer


def test_the_other_side_comes_only_from_the_articles_the_answer_draws_on(
    briefing: Briefing,
) -> None:
    """Both sides of the story are heard where the answer's articles hold them: the
    memorandum's officials and critics have no place in how long a coffee tree takes to
    bear fruit (they used to be added to any answer that had neither side)."""
    from bot.core.answer import _balanced
    from bot.core.candidates import SourceSentence
    from storage.articles import Passage

    def sentence(article: int, text: str) -> SourceSentence:
        passage = Passage(article, article, "T", None, None, None, 1, text, 0, len(text))
        return SourceSentence(passage, 0, 0, len(text), text, ())

    coffee = sentence(1, "A coffee tree takes three years to bear fruit.")
    officials = sentence(2, "Officials welcomed the memorandum.")
    critics = sentence(2, "Critics condemned the memorandum.")
    profile = briefing.profile
    chosen = _balanced([coffee], [coffee, officials, critics], profile, 150, lambda s: True,
                       lambda s: [s])  # fmt: skip
    assert chosen == [coffee]
    # the memorandum's story, with one side: the other is heard from the same article
    also = sentence(2, "The memorandum was signed in March.")
    chosen = _balanced([also, critics], [also, officials, critics], profile, 150,
                       lambda s: True, lambda s: [s])  # fmt: skip
    assert officials in chosen


def test_an_answer_cut_to_its_asked_length_keeps_its_quotation_whole(
    briefing: Briefing, tmp_path: Path
) -> None:
    answer = answer_from(
        briefing,
        tmp_path / "union.md",
        "Dock Workers Strike Vote",
        DOCK_STRIKE,
        "In one sentence, is the pier safe for the dock crews?",
    )
    text = re.sub(r" \[\d+\]", "", answer.answer)
    assert text.startswith("“The pier is not safe for the crews.") and text.endswith(
        "spokesperson."
    )


@pytest.mark.parametrize(
    "question",
    [
        "How much did the ferry company pay for the new boats?",
        "how much the new boats cost the ferry company?",
    ],
)
def test_an_amount_in_any_currency_wordnet_knows_is_money(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """Money is written in the currency of the place: "crowns" and "rupees" state an
    amount of money as "euros" do. (Refused before: no passage held an amount in a
    currency on the old list.) "how much *the* new boats cost" asks for money: a clause
    follows "how much", so the boats are not what is counted."""
    answer = answer_from(
        briefing,
        tmp_path / "ferries.md",
        "Ferry Company Buys Two Boats",
        "The Skarholm ferry company has bought two electric boats for its island routes. "
        "The company paid 31 million crowns for the pair, it said on Monday. The boats will "
        "enter service next spring.",
        question,
    )
    assert "31 million crowns" in lead_of(answer)


def test_this_period_needs_no_passage_to_say_it(briefing: Briefing, tmp_path: Path) -> None:
    """A question about "this autumn" or "this year" asks about the story's own time:
    "Only 58 millimetres of rain fell ... between September and November" answers it.
    (Borderline before: no passage said "this autumn".)"""
    answer = answer_from(
        briefing,
        tmp_path / "drought.md",
        "Orrin Valley Faces Hosepipe Ban",
        "Orrin Valley Water will ban hosepipes from Monday, the company said. Only 58 "
        "millimetres of rain fell on the valley between September and November, the weather "
        "office said. The Kelder reservoir is at 23% of capacity.",
        "how much rain has orrin valley had this autumn",
    )
    assert "58 millimetres" in lead_of(answer)


def test_a_question_about_this_period_itself_needs_a_passage_on_it(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "When does the current season end?" asks about the season: "the strike would end
    on Friday" does not answer it. (Before, "current season" made no term and it did.)"""
    ingest_text(
        briefing,
        tmp_path / "rovers.md",
        "---\ntitle: Dunmore Rovers Players Strike\n---\n\n"
        "Dunmore Rovers players walked out on Monday over unpaid wages. Their captain said "
        "the strike would end on Friday. The club was founded in 1921.\n",
    )
    answer = briefing.ask("When does the current season end for Dunmore Rovers?")
    assert not answer.answered


def test_a_large_sum_in_a_currency_of_a_rarer_sense_is_money(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "marks" name money only in a rare sense, so "400 marks" is no sum; a number in the
    thousands before them is ("about 310,000 marks a day"). (Borderline before: no
    passage held an amount for "how much".)"""
    answer = answer_from(
        briefing,
        tmp_path / "tram.md",
        "Tram Drivers Strike in Velden",
        "Tram drivers in Velden began a three-day strike on Monday over shift patterns. The "
        "operator said the strike would cost it about 310,000 marks a day in lost fares. "
        "Talks resume on Thursday.",
        "how much is the tram strike costing the operator",
    )
    assert "310,000 marks" in lead_of(answer)


def test_a_large_number_before_a_rarer_currency_used_as_a_verb_is_no_sum(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "12,500 marks a record" is a verb, not a sum: "marks" before what it acts on ("a
    record", "the spot") names no money. (Before, it answered "how much".)"""
    ingest_text(
        briefing,
        tmp_path / "tram.md",
        "---\ntitle: Tram Drivers Strike in Velden\n---\n\n"
        "Tram drivers in Velden began a three-day strike on Monday over shift patterns. The "
        "operator said a rally attendance of 12,500 marks a record for the strike's first day. "
        "Talks resume on Thursday.\n",
    )
    assert_borderline(briefing, "how much is the tram strike costing the operator")


def test_people_are_counted_by_what_they_did(briefing: Briefing, tmp_path: Path) -> None:
    """ "How many people signed the petition?" is answered by "1,130 signatures": news
    counts people by their acts (signatures, votes, deaths), words of the family of the
    question's verb. (Borderline before: no sentence gave a number of people.)"""
    answer = answer_from(
        briefing,
        tmp_path / "library.md",
        "Brackley Library to Close on Saturdays",
        "Brackley library will close on Saturdays from March to save money, the council said. "
        "A petition against the change had gathered 1,130 signatures by Friday. The library "
        "has 14 staff.",
        "How many people have signed the petition against the Brackley library change?",
    )
    assert "1,130 signatures" in lead_of(answer)


def test_a_year_before_an_act_counts_no_people(briefing: Briefing, tmp_path: Path) -> None:
    """ "The 2021 deaths of two hikers" dates the deaths: 2021 counts no one, so "how
    many people died" in the floods is not answered by it. (Before, it was.)"""
    ingest_text(
        briefing,
        tmp_path / "flood.md",
        "---\ntitle: Floods in the Marren Valley\n---\n\n"
        "Floods swept through the Marren valley on Tuesday. The 2021 deaths of two hikers "
        "in the valley led to new warnings. Rescuers searched homes on Wednesday.\n",
    )
    assert_borderline(briefing, "How many people died in the Marren valley floods?")


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        # the contractor and a detective's name, far apart: no name for the contractor
        ("Investigators led by Inspector Dana Whitlow believe the thieves got in through "
         "a contractor's account used to service the museum's alarms.", None),
        ("The thieves got in through an account of the contractor, Velloway Systems, "
         "which services the museum's alarms.", "Velloway Systems"),
        ("The thieves got in through the account of a contractor known as Brisk Alarm "
         "Care.", "Brisk Alarm Care"),
        # "called" that gives no name, far from the contractor or before a particle
        ("Investigators led by Inspector Dana Whitlow, who called the theft well planned, "
         "believe the thieves got in through a contractor's account.", None),
        ("Police called for witnesses after the thieves got in through a contractor's "
         "account.", None),
        # a list is no apposition: no name for the contractor
        ("Inspector Dana Whitlow said that over the past week the museum's guards, "
         "cleaners, contractors, electricians, and curators had all been questioned.", None),
        ("Inspector Dana Whitlow said that the thieves had used an account of a contractor, "
         "electricians, or cleaners.", None),
    ],
)  # fmt: skip
def test_a_name_asked_for_stands_beside_the_thing(
    briefing: Briefing, tmp_path: Path, sentence: str, named: str | None
) -> None:
    """ "What is the name of the contractor ...?" is answered by a name given beside the
    contractor (in apposition, or "known as"), not by a sentence that mentions a
    contractor and names someone else. (Before, the detective was given for the contractor,
    and the name "known as" was refused.)"""
    ingest_text(
        briefing,
        tmp_path / "theft.md",
        "---\ntitle: Astrolabe Stolen From Carrowby Museum\n---\n\n"
        f"A brass astrolabe was stolen from Carrowby Museum on Sunday night. {sentence} "
        "The museum has offered a reward.\n",
    )
    question = "What is the name of the contractor whose account the thieves used?"
    if named is None:
        assert_borderline(briefing, question)
    else:
        assert named in lead_of(grounded_answer(briefing, question))


def test_who_is_the_boss_is_answered_by_the_chief(briefing: Briefing, tmp_path: Path) -> None:
    """The person a "who" question asks for is named by the words of its commonest
    WordNet sense as by its kinds: the "boss" is the "chief executive" (refused before:
    a synonym was not enough to name the person asked for)."""
    answer = answer_from(
        briefing,
        tmp_path / "mill.md",
        "Paper Mill Cuts Shifts",
        "The Varby paper mill will cut its night shift from next month. Chief executive "
        "Lena Holt said demand for newsprint had fallen for a third year.",
        "who's the boss of the varby paper mill?",
    )
    assert "Lena Holt" in lead_of(answer)


def test_which_union_is_answered_by_the_union_s_name(briefing: Briefing, tmp_path: Path) -> None:
    """ "Which union ...?" asks which one: the sentence that names it ("the Harbour
    Porters' Union") leads, not one that says "the union" beside more of the question's
    words."""
    answer = answer_from(
        briefing,
        tmp_path / "docks.md",
        "Dock Strike Enters Second Week",
        "The dock strike at Port Selby entered its second week on Monday, and the union's "
        "pickets turned away two ships at the Selby container berths. About 300 members of "
        "the Harbour Porters' Union have stopped work over night shifts.",
        "Which union is behind the Port Selby dock strike?",
    )
    assert "Harbour Porters' Union" in lead_of(answer)


def test_where_the_evacuees_slept_is_the_place_named_after_its_kind(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Where did the evacuated residents sleep?" is answered by "Evacuees spent three
    nights at a school gym in the nearby village of Marsh End": the evacuees are the
    evacuated (a verb's "-ee" person), and "in the nearby village of Marsh End" names a
    place as "in Marsh End" does."""
    answer = answer_from(
        briefing,
        tmp_path / "flood.md",
        "River Flood Forces Hundreds From Their Homes",
        "The river Lune burst its banks on Friday and flooded the lower streets of Aldby. "
        "Firefighters rescued residents from their homes by boat as the water rose. "
        "Evacuees spent three nights at a school gym in the nearby village of Marsh End. "
        "The river fell on Monday.",
        "Where did the evacuated residents sleep while the river flooded?",
    )
    assert "village of Marsh End" in lead_of(answer)


def test_a_new_phrase_after_and_is_not_counted() -> None:
    """ "Three players and the coach were injured" counts players, not the coach: a
    determiner after "and" starts a new phrase, not the list's next item."""
    from bot.core.candidates import _counts

    assert not _counts("Three players and the coach were injured", frozenset({"coach"}))
    assert _counts("Three players and coaches were injured", frozenset({"coach"}))


@pytest.mark.parametrize("link", [" and", ", and"])  # with or without the Oxford comma
def test_a_number_before_a_list_counts_every_item_of_it(
    briefing: Briefing, tmp_path: Path, link: str
) -> None:
    """ "41 legal-aid groups, shelters and community associations" counts associations
    (organisations) as well as groups: the sentence leads "how many organisations",
    before one whose number counts something else that is an organisation ("four
    governments")."""
    answer = answer_from(
        briefing,
        tmp_path / "alliance.md",
        "Tenants Alliance Opposes Rent Rules",
        f"The Varby Tenants Alliance, which brings together 23 residents' groups, food banks"
        f"{link} housing associations, published its objections on Friday. The statement "
        "calls on "
        "the three governments of the region to withdraw the rules.",
        "how many organisations make up the varby tenants alliance?",
    )
    assert lead_of(answer).startswith("The Varby Tenants Alliance, which brings together 23")


def test_a_person_s_age_is_no_year(briefing: Briefing, tmp_path: Path) -> None:
    """ "How old is the captain?" is answered by an age ("Mara Lind, 31,"), not by a year
    ("since 2019"), which dates a thing, not a person."""
    ingest_text(
        briefing,
        tmp_path / "club.md",
        "---\ntitle: Harbour Rowing Club Names New Captain\n---\n\nThe Selby harbour "
        "rowing club has named Mara Lind as its new captain. The club has trained on the "
        "harbour since 2019, and its boats are kept at the old pier.\n",
    )
    refused = briefing.ask("How old is the Selby rowing club's captain Mara Lind?")
    assert not refused.answered
    lead = lead_from(
        briefing,
        tmp_path / "club2.md",
        "---\ntitle: Lind Leads Selby Crew to Win\n---\n\nMara Lind, 31, steered the Selby "
        "rowing club's crew to a win on Saturday.\n",
        "How old is the Selby rowing club's captain Mara Lind?",
    )
    assert "Mara Lind, 31," in lead


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("How old is Jimmy Morales?", True),  # "morale" is a state of mind
        ("How old is Luca Madeira?", True),  # Madeira is an island only as a name
        ("How old is the club captain?", True),
        ("how old is the Harwick Stone Bridge?", False),
        ("how old is the oberhalden open", False),
    ],
)
def test_how_old_a_person_is_asks_for_an_age(question: str, person: bool) -> None:
    from bot.core.expected import _asks_a_person_s_age

    assert _asks_a_person_s_age(question) is person


def test_a_place_after_its_kind_is_a_place_but_a_request_is_not(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "in the neighbouring town of Wexley" says where; "at the request of Governor Lena
    Holt" does not, though it has the same shape: a town is a kind of place in WordNet,
    a request is none."""
    ingest_text(
        briefing,
        tmp_path / "accord.md",
        "---\ntitle: Selby Water Accord Signed\n---\n\nThe Selby water accord was signed "
        "on Wednesday, at the request of Governor Lena Holt.\n",
    )
    assert not briefing.ask("Where was the Selby water accord signed?").answered
    lead = lead_from(
        briefing,
        tmp_path / "accord2.md",
        "---\ntitle: Selby Water Accord Signed\n---\n\nThe Selby water accord was signed "
        "on Wednesday in the neighbouring town of Wexley.\n",
        "Where was the Selby water accord signed?",
    )
    assert "town of Wexley" in lead


def test_which_batch_is_answered_by_the_batch_s_code(briefing: Briefing, tmp_path: Path) -> None:
    """ "Which batch ...?" asks which one: the sentence that gives its code after it
    ("batch number AX-77") leads, before one with more of the question's words."""
    answer = answer_from(
        briefing,
        tmp_path / "recall.md",
        "Drug Maker Recalls Cough Syrup",
        "Selby Pharma recalled a batch of its children's cough syrup on Monday after tests "
        "found a contaminant in the syrup. The recall covers batch number AX-77, made in "
        "May at its plant in Tolby.",
        "which batch of the selby cough syrup was recalled?",
    )
    assert "batch number AX-77" in lead_of(answer)


def _lead(
    case_id: str,
    title: str,
    text: str,
    question: str,
    lead: str,
    earlier: tuple[tuple[str, str], ...] = (),
) -> object:
    """One case of LEADS: an article's title and text, a question, the answer's start;
    ``earlier`` articles (title, text) are stored first, as distractors."""
    return pytest.param(title, text, question, lead, earlier, id=case_id)


_HARBOUR_WALL = (
    "Repairs to the Kelby harbour wall will start in May, harbourmaster Ines Marrow said on "
    "Monday. The plan was approved unanimously by the county planning committee after a "
    "public hearing. Marrow said the work would take a year."
)

#: One short article each, a question, and how the answer must begin: the sentence that
#: answers leads, not one that holds more of the question's words. Each rule behind a
#: case failed its case when it was added.
LEADS = [
    # "what model of boat" asks for the boat's name, as "what is the boat called" does
    _lead(
        "a model of a thing is asked for by name",
        "Rowing Club Notes From Port Avel",
        "The rowing club's new boat was damaged in the harbour on Monday, the club said. "
        "It was seen in May that the Halden K4 boats the club bought were left on the pier.",
        "what model of boat was damaged in port avel",
        "It was seen in May that the Halden K4 boats",
    ),
    # "under the new rules, how long ...": the question word comes after a phrase that
    # sets the scene, and the duration is what it asks for
    _lead(
        "a question word after a phrase that sets the scene",
        "Harbour Board Sets New Rules",
        "The board also adopted a new rule for contractors on the harbour wall. Any firm "
        "that falls behind would be given six weeks before a penalty.",
        "under the new rule how long do contractors get",
        "Any firm that falls behind would be given six weeks",
    ),
    # "Who is Ada Lind?" is answered where her article introduces her (full name and
    # role), not by a later sentence that names someone else beside her.
    _lead(
        "who someone is: where the article introduces them",
        "Harbour Notes From Port Avel",
        "Ada Lind, an engineer who inspects the pier for the council, said repairs were "
        "urgent. The pier will close in May. On Friday the mayor, Tom Brack, thanked Ada "
        "Lind for her report.",
        "who is ada lind?",
        "Ada Lind, an engineer who inspects the pier",
    ),
    # "spokeswoman", "spokesman" and "spokesperson" name one role: the article's word for
    # it is not a rare word the sources lack.
    _lead(
        "a role's gendered and neutral names are one role",
        "Dock Workers Meet",
        "The dock workers' union met on Monday in Port Avel. Its spokesperson, Ada Lind, "
        "said the strike would go ahead.",
        "who's the spokeswoman for the dock workers' union?",
        "Its spokesperson, Ada Lind, said",
    ),
    # "memo" is "memorandum" shortened (WordNet puts both in one sense), so it is the
    # profile's own name for the story's thing, not a looser name like "agreement".
    _lead(
        "a clipping of the thing's own name is that name",
        "River Pilots Memorandum Signed",
        "The river pilots memorandum was signed in Dunmore on Friday.",
        "Where was the river pilots memo signed?",
        "The river pilots memorandum was signed in Dunmore",
        earlier=(
            (
                "River Pilots Agreement Signed",
                "The river pilots agreement was signed in Port Avel on Monday by the two unions.",
            ),
        ),
    ),
    # A kind of the thing asked for that the question names itself is not the answer:
    # rust is a kind of fungus, but "the fungus behind the rust" is another one.
    _lead(
        "a kind of the asked thing that the question names is not the answer",
        "Harrow Valley Farm Notes",
        "Rust is spreading through the wheat farms of Harrow Valley and Dunmore, ruining half the "
        "harvest. Wheat rust is caused by a fungus, Puccinia graminis, whose spores travel "
        "on the wind.",
        "whats the name of the fungus behind the wheat rust in harrow valley?",
        "Wheat rust is caused by a fungus",
    ),
    # The profile reads "agreement" as the story's "memorandum", so both articles match
    # "Where was the river pilots memorandum signed?"; the lead comes from the one that
    # says "memorandum", as the question does, not from another agreement.
    _lead(
        "the question's own word for the story's thing picks the story",
        "Harbour Board Notes",
        "The harbour board met on Tuesday. The memorandum on river pilots was signed in "
        "Dunmore, where the board sits.",
        "Where was the river pilots memorandum signed?",
        "The memorandum on river pilots was signed in Dunmore",
        earlier=(
            (
                "River Pilots Agreement Signed in Port Avel",
                "The river pilots agreement was signed in Port Avel on Monday by the two unions.",
            ),
        ),
    ),
    # "pact" is one of the profile's other names for the memorandum, and only the first
    # article uses it; the second calls the thing by the profile's first name for it,
    # "memorandum", so it is about the same thing, while the third says only "agreement",
    # which names other agreements too.
    _lead(
        "the thing's own name is the question's word for it",
        "River Pilots Memorandum Signed",
        "The river pilots memorandum was signed in Dunmore on Friday.",
        "Where was the river pilots pact signed?",
        "The river pilots memorandum was signed in Dunmore",
        earlier=(
            ("River Pilots Pact Welcomed", "The unions welcomed the river pilots pact."),
            (
                "River Pilots Agreement Signed",
                "The river pilots agreement was signed in Port Avel on Monday by the two unions.",
            ),
        ),
    ),
    # "What city was the deal signed in?" leads with the sentence that says the signing
    # and where, not with one that names a city for something else in an article whose
    # headline says "Sign" and "Deal", nor with a football club's "signing" on a "deal".
    _lead(
        "a place is answered where the question's event is said",
        "Explainer - What the Harbour Accord Covers",
        "The two countries signed the accord in Lisbon in March, after two years of talks. "
        "It covers pilotage, dredging and customs checks.",
        "What city was the deal signed in?",
        "The two countries signed the accord in Lisbon",
        earlier=(
            (
                "Arlen and Brisk Sign Harbour Deal",
                "Arlen and Brisk have agreed to share the running of their busiest harbour. "
                "A joint harbour office will be based in the Brisk port city of Melrow, with a "
                "staff of 30 drawn from both countries.",
            ),
            (
                "Rovers Sign Keeper",
                "Rovers have signed the goalkeeper Tam Oduya on a three-year deal. The club "
                "said the signing ended a long search for a new keeper.",
            ),
        ),
    ),
    # "coop" is how people type "co-op", a cooperative (WordNet lists both), not a word
    # the sources never use: the question is answered, not refused.
    _lead(
        "a short form written without its hyphen is found",
        "Dairy Farmers Vote on Milk Price",
        "The Kelby dairy cooperative voted on Monday to raise the price it pays its members "
        "for milk by four per cent. Its chair said the rise would help farmers cover the "
        "cost of feed.",
        "who chairs the coop?",
        "Its chair said",
    ),
    # "How long is the bridge?" asks for a length (a thing in space), not a duration: "a
    # span of 80 metres", not "after a two-year restoration".
    _lead(
        "how long a thing in space is is a length",
        "Tarrow Footbridge Reopens",
        "The Tarrow Footbridge reopened on Saturday after a two-year restoration that cost "
        "2 million pounds. Its deck hangs from steel cables across a span of 80 metres "
        "over the river.",
        "How long is the Tarrow Footbridge?",
        "Its deck hangs from steel cables across a span of 80 metres",
    ),
    # "Who approved the repairs?" is answered by who did it, named or not: the passive's
    # doer ("approved unanimously by the county planning committee"), not the sentence
    # with a person's name; a modal before the verb ("Who must approve") changes nothing.
    _lead(
        "who did it is answered by the doer of the passive",
        "Kelby Harbour Wall Repairs Approved",
        _HARBOUR_WALL,
        "Who approved the harbour wall repairs?",
        "The plan was approved unanimously by the county planning committee",
    ),
    _lead(
        "who must do it is answered by the doer of the passive",
        "Kelby Harbour Wall Repairs Approved",
        _HARBOUR_WALL,
        "Who must approve the harbour wall repairs?",
        "The plan was approved unanimously by the county planning committee",
    ),
    # "What's the drug called?" is answered where news names it ("known for now as
    # KX-12"), not by the sentence with more of the question's words and another name.
    _lead(
        "a thing's name is given where the article names it",
        "Malaria Drug Clears Infections Faster in Trial",
        "Children given a single dose cleared malaria a day faster than with the standard "
        "treatment, in a trial of 900. The drug, known for now as KX-12, costs less than a "
        "dollar. Professor Amina Okoro of Lakeside University, who led the trial of the new "
        "malaria drug, said it was encouraging.",
        "What's the malaria drug called?",
        "The drug, known for now as KX-12",
    ),
    # "How many caught colds?" counts people, not colds: "One cold season" is no answer.
    _lead(
        "how many followed by a verb counts people, not the verb's object",
        "Zinc Lozenges Fail to Prevent Colds in Kelby Study",
        "The Kelby study gave zinc lozenges to half of its 400 volunteers over one winter. "
        "By March, 58 people in the zinc group and 61 in the placebo group had caught "
        "colds. One cold season is too short to be sure, an independent expert said.",
        "How many caught colds in the placebo group?",
        "By March, 58 people in the zinc group",
    ),
    # "Points" is a thing counted, not the vocabulary of asking ("the key points of"): the
    # sentence that counts them answers, not the one that holds the name and a number.
    _lead(
        "points are counted by the sentence that counts points",
        "Ana Silva Wins Dunmore Darts Open",
        "Ana Silva won the Dunmore Darts Open on Saturday and took home 5,000 pounds in "
        "prize money. Over the weekend she collected 14 points, two more than the "
        "defending champion, Rhys Okafor. Okafor said he would be back next year.",
        "How many points did Silva end up with?",
        "Over the weekend she collected 14 points",
    ),
    # A time of day ("08:30", "9 pm") and a weekly day ("on Sundays") say when, as a year
    # does; the sentence that holds them leads.
    _lead(
        "what time is answered by a time of day",
        "Tarrow Ferry Timetable Changes",
        "On Sundays the first Tarrow ferry will leave at 08:30, an hour later than now. "
        "The Tarrow ferry company was founded in 1994 and runs six boats.",
        "What time does the first Tarrow ferry leave on Sundays?",
        "On Sundays the first",
    ),
    # "Who owns the Kelby Footbridge?" is answered by "the Kelby Bridges Trust, the charity
    # that owns the crossing": a name that only begins like the question's is another one. A
    # name that ends like it ("Kirstjen Nielsen" for "Nielsen") is not.
    _lead(
        "a name that shares a word with the question may still answer who",
        "Kelby Footbridge Reopens After Repairs",
        "The Kelby Footbridge reopened on Saturday after a year of repairs. "
        "Its deck hangs from two steel cables across a span of 80 metres over the River "
        "Tarrow. "
        "Engineers from the Kelby Bridges Trust, the charity that owns the crossing, said "
        "the cables would last another century.",
        "Who owns the Kelby Footbridge?",
        "Engineers from the Kelby Bridges Trust",
    ),
    # The first sentence of an article's text starts at offset 0, which must count as a
    # place to lean back to like any other ("It was so badly rusted ..." brings "The
    # operator's old flagship was sold last year.").
    _lead(
        "a sentence may lean on its article's first sentence",
        "Ferry Operator Sells Flagship",
        "The operator's old flagship was sold last year. It was so badly rusted that no "
        "buyer would pay more than its scrap value.",
        "Why did the flagship sell for only its scrap value?",
        "The operator's old flagship was sold last year",
    ),
    # "How many runners took part?" is answered by "drew 11,400 runners", where the number
    # counts the runners, not by the sentence that holds more of the question's words, a
    # number (an age) and the word "runners" apart.
    _lead(
        "how many leads with the number that counts the thing",
        "Chebet Wins the Harlow Marathon",
        "Ruth Chebet, a 24-year-old from Iten, won the Harlow Marathon on Sunday, pulling "
        "away from the other runners who took part in the final two kilometres.\n\n"
        "This year's race drew 11,400 runners from 40 countries.",
        "How many runners took part in the Harlow Marathon?",
        "This year's race drew 11,400 runners",
    ),
    # "Closed after inspectors found rot" is how news says why: a "why" question is led by
    # the sentence that gives the cause with "after", as with "because", not by one that
    # only repeats the question's words.
    _lead(
        "news gives a cause with after",
        "Tarrow Footbridge Shut",
        "The Tarrow footbridge, a timber crossing built in 1902 for the workers of the "
        "old mill, was closed on Monday after inspectors found rot spreading through much "
        "of its deck and two of its supports.\n\n"
        "The closed Tarrow footbridge will be replaced by a steel Tarrow footbridge.",
        "Why was the Tarrow footbridge closed?",
        "The Tarrow footbridge, a timber crossing",
    ),
    # Articles write prefixed words with a hyphen too ("mis-management", the seed's
    # "mis-use"): "mismanagement" finds it, and is not a rare word the sources lack.
    _lead(
        "a prefixed word is found written with a hyphen",
        "Kelso Harbour Trust Audit",
        "The audit found years of mis-management at the Kelso harbour trust, including "
        "contracts awarded without tenders.",
        "Was there any mismanagement?",
        "The audit found years of mis-management",
    ),
    # A verb of several words means what its words do not: "getting rid of" is removing
    # (WordNet's "get rid of"), not getting, so the sentence that says what will be removed
    # leads, and "get" earns no sentence a place.
    _lead(
        "a verb of several words is found by its synonyms",
        "Changes at Marrow Street Market",
        "The council will get a new manager in spring. It will keep the Saturday "
        "food stalls on Marrow Street. The council will remove the Sunday car-boot sale "
        "to make room for a playground.",
        "What is the council at Marrow Street Market getting rid of?",
        "The council will remove the Sunday car-boot sale",
    ),
    # "What is the total cost?" is answered by the sentence that names the cost and gives an
    # amount ("expected to cost 9 million pounds"), not by one that gives some other sum of
    # money ("a 2 million pound fund") and more of the question's words.
    _lead(
        "a measure is answered by the sentence that names it beside its amount",
        "Brennick Pier Repair Approved",
        "Brennick council approved the pier repair on Monday. The repair is expected to "
        "cost 9 million pounds.\n\nThe council also set up a 2 million pound fund for "
        "traders on the new Brennick pier whose total takings fall during the repair.",
        "What is the estimated total cost of the new Brennick pier repair?",
        "The repair is expected to cost 9 million pounds",
    ),
    # "How many patients ...?" is answered by "64 people taking the tablet" when no sentence
    # counts patients by that word: patients are people. A sentence that counts them by
    # their word would come first.
    _lead(
        "people counted as people answer how many of a kind of person",
        "Ravel Clinic Pain Tablet Trial",
        "The Ravel Clinic tablet is meant for patients with chronic back pain. In the "
        "trial, 64 people taking the tablet reported headaches.",
        "How many patients reported headaches in the Ravel Clinic trial?",
        "In the trial, 64 people taking the tablet",
    ),
    # "Who chairs the Kelby harbour board?" is answered by the sentence that names the
    # board's chair, not by one that names someone else beside more of the question's words
    # ("Kelby Harbour Services" and the board's harbour).
    _lead(
        "who did it is answered by the sentence that says the deed",
        "Kelby Harbour Board Raises Mooring Fees",
        "The operator, Kelby Harbour Services, estimates that the Kelby harbour board's "
        'new fees will lead 40 boats to leave the harbour.\n\n"Nobody likes paying '
        "more,\" said the board's chair, Ines Marrow.",
        "Who chairs the Kelby harbour board?",
        '"Nobody likes paying more," said the board\'s chair',
    ),
    # In a story headlined on the speaker, "Its lawyers say ..." gives the speaker's words
    # though it does not name them; a sentence there that names someone else does not.
    _lead(
        "a speaker named by the headline speaks in its story",
        "Kelby Tenants Union Says Rents Are Too High",
        "The union also warned that rents would rise again in spring. Its "
        "lawyers say evictions in the old town have doubled since 2020. According to the "
        "Kelby Landlords Association, evictions are rare.",
        "What does the Kelby tenants union say about evictions?",
        "Its lawyers say evictions in the old town have doubled",
    ),
    # "What prize money did Ada Lenz get?" asks for an amount of money, as "What fee ...?"
    # does: "The win is worth 5,000 euros" answers it, though it never says "money".
    _lead(
        "money itself is a measure stated by an amount",
        "Ada Lenz Wins the Sollen Regatta",
        "Ada Lenz won the Sollen regatta on Sunday, ahead of forty other boats. The win is "
        "worth 5,000 euros.",
        "What prize money did Ada Lenz get?",
        "The win is worth 5,000 euros",
    ),
    # "Why did the Kelby pool renovation run late?" is answered by the cause of the delay,
    # not by a sentence that gives a cause of something else ("reopened after a renovation")
    # and more of the question's names.
    _lead(
        "why is answered by a cause of what the question says happened",
        "Kelby Pool Reopens",
        "Kelby Pool reopened on Monday after a renovation of the Kelby pool roof. The work "
        "ran three months late, mostly because the contractor went bankrupt.",
        "Why did the Kelby pool renovation run late?",
        "The work ran three months late, mostly because",
    ),
]


@pytest.mark.parametrize(("title", "text", "question", "lead", "earlier"), LEADS)
def test_the_sentence_that_answers_leads(
    briefing: Briefing,
    tmp_path: Path,
    title: str,
    text: str,
    question: str,
    lead: str,
    earlier: tuple[tuple[str, str], ...],
) -> None:
    for i, (other_title, other_text) in enumerate(earlier):
        ingest_text(
            briefing,
            tmp_path / f"earlier-{i}.md",
            f"---\ntitle: {other_title}\n---\n\n{other_text}\n",
        )
    answer = answer_from(briefing, tmp_path / "article.md", title, text, question)
    assert lead_of(answer).startswith(lead)


@pytest.mark.parametrize(
    ("sentence", "balance"),
    [
        ("“People are not leaving because a border is too open.", 1),
        ("They are leaving because of poverty.”", -1),
        ('"We walk the rows," said Aurelio.', 0),
        ('The screen is 12" wide.', 0),  # an inch, not a quotation
        ('He said:"We will fight."', 0),
        ("„Wir kämpfen“, sagte er.", 0),  # German marks
    ],
)
def test_quotations_left_open_or_closed_are_counted(sentence: str, balance: int) -> None:
    from bot.core.candidates import quotation_balance

    assert quotation_balance(sentence) == balance


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("On what date did the Harle Water ferry sink?", "The Marram went down off Tull"),
        ("what year was the marram built?", "Built in 1991"),
        ("What time did the Marram go down?", "The ferry sank at about 9:15 p.m."),
    ],
)
def test_a_when_question_gets_the_precision_it_asks_for(
    briefing: Briefing, tmp_path: Path, question: str, lead: str
) -> None:
    """ "On what date ...?" is led by a day of a month ("on 3 March"), not by the weekday
    that answers a plain "when" ("on Tuesday night"); "what year" by a year, "what time"
    by a time of day."""
    answer = answer_from(
        briefing,
        tmp_path / "ferry.md",
        "Ferry Marram Sinks on Harle Water",
        "A passenger ferry, the Marram, sank on Harle Water on Tuesday night, and four "
        "people are missing. The ferry sank at about 9:15 p.m. in high wind. Built in 1991, "
        "the Marram had carried passengers across Harle Water for three decades. The Marram "
        "went down off Tull Point on 3 March with 30 people on board, the operator said.",
        question,
    )
    assert lead_of(answer).startswith(lead)


def test_a_compound_is_found_by_its_head(briefing: Briefing, tmp_path: Path) -> None:
    """News names a thing in full once and then by the word its compound ends in, a kind
    of which it is: "the slide" for the landslide, "the fire" for the wildfire. The
    article that says when "the slide" began answers when the landslide started."""
    ingest_text(
        briefing,
        tmp_path / "aid.md",
        "---\ntitle: Orvath Mayor Asks for Aid\n---\n\nThe mayor of Orvath asked the "
        "government for aid on Tuesday, a day after the landslide buried three houses.\n",
    )
    answer = answer_from(
        briefing,
        tmp_path / "timeline.md",
        "A Night of Rain in the Velk Valley",
        "Rain fell on the Velk valley for nine days. The slide above Orvath began at about "
        "5:20 a.m., when most residents were asleep.",
        "What time did the landslide in Orvath start?",
    )
    assert lead_of(answer).startswith("The slide above Orvath began at about 5:20 a.m.")


def test_an_adjective_inside_a_role_does_not_end_it(briefing: Briefing, tmp_path: Path) -> None:
    """ "Who is Tallow's chief financial officer?" asks for an officer, not for any chief:
    an article that names only the chief executive does not say (borderline), and one
    that names the chief financial officer answers."""
    ingest_text(
        briefing,
        tmp_path / "tallow.md",
        "---\ntitle: Tallow Cuts 80 Jobs\n---\n\nThe courier start-up Tallow will cut 80 "
        "jobs, its founder and chief executive Oren Vasko said on Monday.\n",
    )
    assert_borderline(briefing, "Who is Tallow's chief financial officer?")
    lead = lead_from(
        briefing,
        tmp_path / "tallow2.md",
        "---\ntitle: Tallow Finance Head Leaves\n---\n\nMira Dunne, Tallow's chief "
        "financial officer, will leave the courier start-up in May.\n",
        "Who is Tallow's chief financial officer?",
    )
    assert "Mira Dunne" in lead


def test_what_time_wants_a_time_of_day(briefing: Briefing, tmp_path: Path) -> None:
    """ "What time ...?" is answered by a time on the clock or a part of the day; an
    article that gives only the days ("from Friday 18 to Sunday 20 July") does not say
    (borderline), and one that gives the hour answers, the hour first."""
    ingest_text(
        briefing,
        tmp_path / "festival.md",
        "---\ntitle: Fenmoor Festival Cancelled\n---\n\nThe Fenmoor festival, due to run "
        "from Friday 18 to Sunday 20 July, has been cancelled. The band Glass Harbour "
        "was to headline on Saturday, the organisers said.\n",
    )
    assert_borderline(briefing, "What time were Glass Harbour due on stage at Fenmoor?")
    lead = lead_from(
        briefing,
        tmp_path / "festival2.md",
        "---\ntitle: Glass Harbour Set Times Announced\n---\n\nThe Fenmoor festival's "
        "closing act was to be Glass Harbour, on Saturday. The band would have gone on "
        "stage at 9:30 p.m.\n",
        "What time were Glass Harbour due on stage at Fenmoor?",
    )
    assert "on stage at 9:30 p.m" in lead


def test_a_length_of_time_is_no_when(briefing: Briefing, tmp_path: Path) -> None:
    """ "a 12-month trial" and "every year" say how long and how often, not when: "When
    does the ban begin?" is led by the sentence that dates it, though the other holds
    more of the question's words."""
    answer = answer_from(
        briefing,
        tmp_path / "ban.md",
        "Tarrow Bans Cars From Its Old Town",
        "Tarrow's council voted on Tuesday to ban private cars from the old town, whose "
        "shops will be closed to traffic from 1 September. The opposition wanted the old town "
        "car ban to begin as a 12-month trial, and shop owners said it would cost them every "
        "year.",
        "when does the tarrow old town car ban begin?",
    )
    assert lead_of(answer).startswith("Tarrow's council voted on Tuesday")


def test_how_much_is_led_by_an_amount(briefing: Briefing, tmp_path: Path) -> None:
    """ "How much ...?" asks for an amount (money, a measurement, a time, a percentage):
    "a fund of 300,000 euros" leads, before a sentence with more of the question's words
    and a bare number ("voted 22 to 9")."""
    answer = answer_from(
        briefing,
        tmp_path / "ban.md",
        "Tarrow Bans Lorries From Its Harbour Road",
        "Tarrow's council voted 22 to 9 to ban lorries from the harbour road, which the "
        "shops on it say will hurt their businesses. To soften the blow, the council set up "
        "a fund of 300,000 euros.",
        "How much has Tarrow set aside to help businesses hurt by the lorry ban?",
    )
    assert lead_of(answer).startswith("To soften the blow, the council set up a fund of 300,000")


def test_a_word_of_a_longer_name_is_no_bare_surname(briefing: Briefing, tmp_path: Path) -> None:
    """ "Soria" in "head of the Soria Mountain Rescue Team" is part of a longer name, not
    a person named by surname alone: the answer does not bring, before the sentence that
    answers, the article's first sentence that writes "Lake Soria" as if it introduced
    someone."""
    answer = answer_from(
        briefing,
        tmp_path / "rescue.md",
        "Climbers Rescued Above Lake Soria",
        "TAVEN — Two climbers were lifted off the ridge above Lake Soria on Sunday after a "
        "night in the open. Mirela Vance, head of the Soria Mountain Rescue Team, said the "
        "pair were cold but unhurt.",
        "Who leads the mountain rescue team that brought the climbers down?",
    )
    assert lead_of(answer).startswith("Mirela Vance, head of the Soria Mountain Rescue Team")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("How cold was the water when the Tessel ferry sank?", "The water was about 6 degrees"),
        ("How fast was the Tessel ferry going?", "The ferry was travelling at 14 knots"),
    ],
)
def test_how_cold_wants_a_temperature_and_how_fast_a_speed(
    briefing: Briefing, tmp_path: Path, question: str, lead: str
) -> None:
    """ "How cold ...?" asks for a temperature and "How fast ...?" for a speed, not for any
    number: an article that gives only counts does not say (borderline), and the sentence
    that gives one leads, before sentences with more of the question's words."""
    ingest_text(
        briefing,
        tmp_path / "sinking.md",
        "---\ntitle: Ferry Sinks in Lake Tessel\n---\n\nThe Tessel ferry sank in Lake "
        "Tessel on Friday with 31 people on board, and 29 were pulled from the cold water "
        "of the lake by 12 boats going as fast as they could.\n",
    )
    assert_borderline(briefing, question)
    answer = answer_from(
        briefing,
        tmp_path / "inquiry.md",
        "What Sank the Tessel Ferry",
        "The water was about 6 degrees Celsius. The ferry was travelling at 14 knots when "
        "it struck the rocks.",
        question,
    )
    assert lead_of(answer).startswith(lead)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("wat's torvik's job", "harbour master"),
        ("is the ferry licence binding or nah", "not binding"),
        ("is the ferry licence binding, yes or no?", "not binding"),
    ],
)
def test_chat_phrasing_of_a_question_is_read_past(
    briefing: Briefing, tmp_path: Path, question: str, fact: str
) -> None:
    """ "wat's" is "what's", as "wat" is "what"; "or nah" and "yes or no" only say that a
    question wants a yes or a no. Neither is a word of the topic, nor a name the sources
    never use."""
    answer = answer_from(
        briefing,
        tmp_path / "harbour.md",
        "Harbour Master Signs Ferry Licence",
        "Ada Torvik, the Skellan harbour master, signed the new ferry licence on Monday. "
        "The licence is not binding on the ferry company until the council approves it.",
        question,
    )
    assert fact in answer.answer


@pytest.mark.parametrize("question", ["what's torvald's job", "What is Ines Torvald's role?"])
def test_a_person_s_post_is_who_they_are(briefing: Briefing, tmp_path: Path, question: str) -> None:
    """ "What is Ines Torvald's job?" asks who she is: the sentence that first names her,
    with her post, leads, before a later one that holds her surname and more of the
    question's words. The post is not a word a passage must hold."""
    answer = answer_from(
        briefing,
        tmp_path / "port.md",
        "Port Expansion Approved",
        "The Skellan port expansion was approved on Monday after talks with Ines Torvald, "
        "the regional transport commissioner. Torvald said the job would take three years "
        "and that her role was to keep the work on time.",
        question,
    )
    assert lead_of(answer).startswith("The Skellan port expansion was approved")
    assert "transport commissioner" in lead_of(answer)


def test_which_city_is_answered_by_a_city_s_name(briefing: Briefing, tmp_path: Path) -> None:
    """ "Which city ...?" asks for a city by its name: WordNet's ("Lisbon") or one the
    sentence gives beside the word ("the port city of Harrowby"). An article that names
    only a country and a venue does not say which city (borderline)."""
    ingest_text(
        briefing,
        tmp_path / "talks.md",
        "---\ntitle: Fishing Talks Open\n---\n\nTalks on the Skelder fishing quota opened "
        "on Monday in Portugal, at the Marlow Conference Centre, officials said.\n",
    )
    assert_borderline(briefing, "Which city are the Skelder fishing talks being held in?")
    ingest_text(
        briefing,
        tmp_path / "talks2.md",
        "---\ntitle: Skelder Quota Deal Signed\n---\n\nThe Skelder fishing quota deal was "
        "signed in Lisbon on Friday. A monitoring office will be based in the port city of "
        "Harrowby.\n",
    )
    signed = grounded_answer(briefing, "In which city was the Skelder fishing quota deal signed?")
    assert "Lisbon" in lead_of(signed)
    office = grounded_answer(briefing, "Which city will host the Skelder monitoring office?")
    assert "Harrowby" in lead_of(office)


@pytest.mark.parametrize(
    "question",
    ["what started the fire at Tarrow Heath?", "What sparked the Tarrow Heath fire?"],
)
def test_what_started_asks_for_a_cause(briefing: Briefing, tmp_path: Path, question: str) -> None:
    """ "What started / sparked / triggered X?" asks why X happened: the sentence that
    gives the cause leads, not the one that says when it started."""
    answer = answer_from(
        briefing,
        tmp_path / "heath.md",
        "Fire Burns 300 Hectares of Tarrow Heath",
        "The fire at Tarrow Heath started on Tuesday afternoon near the car park and burned "
        "300 hectares. Investigators said the Tarrow Heath blaze was most likely caused by a "
        "discarded barbecue.",
        question,
    )
    assert lead_of(answer).startswith("Investigators said the Tarrow Heath blaze was most")


def test_a_name_after_a_comma_names_someone(briefing: Briefing, tmp_path: Path) -> None:
    """News names a person or a firm in apposition, after a comma ("an outside firm,
    Castor Audit, to check its systems"): that is a name for "who", not the start of a
    sentence, and the question is answered, not refused for want of a name."""
    answer = answer_from(
        briefing,
        tmp_path / "app.md",
        "Translation App Hires Auditors",
        "The translation app Verbly said it had hired an outside firm, Castor Audit, to "
        "check its systems.",
        "who is checking verbly's systems?",
    )
    assert "Castor Audit" in lead_of(answer)


def test_a_label_is_a_thing_a_question_may_ask_about(briefing: Briefing, tmp_path: Path) -> None:
    """ "label" was a stop word, as a verb of describing ("how did she label it?"), so a
    question about a food label lost its word: the sentence about the label leads, and a
    question whose other words the passages lack is not refused for want of "label"."""
    answer = answer_from(
        briefing,
        tmp_path / "recall.md",
        "Bakery Recalls Seeded Loaf",
        "Hazelnut was found in the seeded bread sold at 40 Hollin shops. The label on "
        "the loaf did not mention hazelnut, the company admitted.",
        "was hazelnut on the label of the seeded bread?",
    )
    assert lead_of(answer).startswith("The label on the loaf did not mention hazelnut")


def test_how_fast_a_thing_changes_is_answered_by_a_rate(briefing: Briefing, tmp_path: Path) -> None:
    """ "How fast are prices rising?" asks how fast a thing changes, which news gives as a
    rate ("3.2 per cent a year", "30 metres a year"), not only as a speed ("14 knots"):
    such a sentence answers it and leads, and the question is not borderline."""
    answer = answer_from(
        briefing,
        tmp_path / "prices.md",
        "Prices in Valdoria",
        "Consumer prices in Valdoria are rising at 3.2 per cent a year, the statistics "
        "office said. The office publishes its figures every month.",
        "How fast are consumer prices rising in Valdoria?",
    )
    assert lead_of(answer).startswith("Consumer prices in Valdoria are rising at 3.2 per cent")


@pytest.mark.parametrize(
    "question",
    [
        "What time frame was set for the Valdorian troop withdrawal?",
        "What time period was set for the Valdorian troop withdrawal?",
    ],
)
def test_what_time_frame_asks_for_no_time_of_day(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "What time frame ...?" asks when, in any terms ("by March 2027"), not for a time on
    the clock as "What time ...?" does: the date answers it."""
    answer = answer_from(
        briefing,
        tmp_path / "troops.md",
        "Valdoria Troop Withdrawal",
        "The Valdorian troop withdrawal from the border is to be completed by March 2027, "
        "the defence ministry said.",
        question,
    )
    assert "March 2027" in lead_of(answer)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("How many cities did the Valdorian band's tour visit?", "14 cities"),
        ("How many ports did the Valdorian ferry line serve?", "nine ports"),
    ],
)
def test_how_many_places_is_a_count_not_a_name(
    briefing: Briefing, tmp_path: Path, question: str, fact: str
) -> None:
    """ "How many cities ...?" asks for a number of them, not for one by its name as
    "Which city ...?" does: a sentence that counts them answers it, though it names none."""
    answer = answer_from(
        briefing,
        tmp_path / "tour.md",
        "Valdorian Band Tour",
        "The tour by the Valdorian band visited 14 cities in the autumn. The Valdorian ferry "
        "line served nine ports until it closed. The band said the tour was its longest.",
        question,
    )
    assert fact in lead_of(answer)


@pytest.mark.parametrize(
    "placed", ["a week after the flood", "three months after the flood", "a year later"]
)
def test_a_span_after_an_event_is_a_when(briefing: Briefing, tmp_path: Path, placed: str) -> None:
    """ "a week after the flood", "a year later" place a thing in time, as "last week"
    does: they answer "When ...?" (not a length, as "a 12-month trial" is)."""
    answer = answer_from(
        briefing,
        tmp_path / "bridge.md",
        "Kelby Bridge Reopens",
        f"The Kelby bridge reopened {placed}, the council said. The council thanked the "
        "engineers who repaired the Kelby bridge.",
        "When did the Kelby bridge reopen?",
    )
    assert placed in lead_of(answer)


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("what's nielsen's job", True),
        ("What is Ada Lind's role?", True),
        ("What is Germany's position?", False),  # a stance, not a post
        ("what is NATO's role", False),
    ],
)
def test_a_post_is_asked_of_a_person_not_a_country(question: str, person: bool) -> None:
    from bot.core.phrasing import asks_who_someone_is

    assert asks_who_someone_is(question) is person


def test_a_possessive_typed_without_its_apostrophe(briefing: Briefing, tmp_path: Path) -> None:
    """ "whats the name of tomas varkos mum" asks for the name of his mother, as "Varko's
    mum" would: an article that mentions her but no name for her does not say
    (borderline), and the possessive is read as one without the apostrophe."""
    from bot.core.phrasing import possessive_words

    assert possessive_words("what is strohms salary") == {"strohms"}
    assert possessive_words("how many farmers lost crops") == frozenset()
    ingest_text(
        briefing,
        tmp_path / "rescue.md",
        "---\ntitle: Boy Rescued From Flooded Cellar\n---\n\nTomas Varko, 9, was pulled from "
        "a flooded cellar in Orvath on Monday. His mother, who was at work, reached the "
        "house an hour later.\n",
    )
    assert_borderline(briefing, "whats the name of tomas varkos mum")


def test_an_irregular_plural_is_its_noun(briefing: Briefing, tmp_path: Path) -> None:
    """ "14 children" counts kids: a noun's irregular plural (WordNet's list, and its
    "-man" rule for "women") is the noun, though stems do not join them; not a plural
    that is also another noun's ("bases": base, basis) or a verb's ("leaves")."""
    from bot.core.lexicon import Lexicon

    lexicon = Lexicon()
    assert "children" in lexicon.irregular("child")
    assert "women" in lexicon.irregular("woman")
    assert lexicon.irregular("basis") == ()
    assert lexicon.irregular("leaf") == ()
    answer = answer_from(
        briefing,
        tmp_path / "syrup.md",
        "Syrup Recall In Ravipur",
        "The maker said it would refund 120 rupees for every bottle and pay the bills of "
        "every child treated at the hospital. Doctors at the Ravipur hospital said 14 "
        "children were admitted with kidney damage.",
        "how many kids were admitted to hospital?",
    )
    assert "14 children" in lead_of(answer)


def test_how_much_of_no_thing_is_not_a_length_of_time(briefing: Briefing, tmp_path: Path) -> None:
    """ "How much is each customer getting?" names no thing it measures: it asks for money
    (or a share), not for "more than 15 hours", which "how long" asks for."""
    answer = answer_from(
        briefing,
        tmp_path / "outage.md",
        "Hallow Bank Outage",
        "Millions of customers of Hallow Bank could not pay by card for more than 15 hours "
        "on Friday after an outage at the bank. The bank apologised to its customers. Every "
        "customer whose card was declined will be getting 50 zloty, the bank's chief said.",
        "How much is each affected customer getting from Hallow Bank after the outage?",
    )
    assert "50 zloty" in lead_of(answer)


def test_an_adjective_is_no_kind_of_the_thing_asked(briefing: Briefing, tmp_path: Path) -> None:
    """WordNet files "split" (a half bottle) under "bottle", and "the poor" under "people";
    but "split" and "poor" are first adjectives, and "hail split 40 percent of the grapes"
    counts no bottles: the question is borderline, not answered by that count."""
    from bot.core.lexicon import Lexicon

    assert "split" not in Lexicon().kinds("bottle")
    assert "spokeswoman" in Lexicon().kinds("spokesperson")
    ingest_text(
        briefing,
        tmp_path / "hail.md",
        "---\ntitle: Hail Hits Lauzet Cooperative\n---\n\nHail split about 40 percent of "
        "the grapes at the Lauzet wine cooperative on Sunday. The cooperative said it would "
        "still take grapes from its members.\n",
    )
    assert_borderline(briefing, "How many bottles of wine does the Lauzet cooperative fill?")


def test_what_someone_said_needs_them_to_speak(briefing: Briefing, tmp_path: Path) -> None:
    """ "What did the council say?" asks for its words: an article that mentions the
    council but never reports it saying or holding anything does not say
    (borderline), while one where it takes a stance in other words ("blamed") does."""
    ingest_text(
        briefing,
        tmp_path / "strike.md",
        "---\ntitle: Dockers Strike At Harlow Port\n---\n\nDockers at Harlow walked out on "
        "Monday after talks with the Harlow council broke down. The Harlow dockers' "
        'union blamed the owners for the delays. "We will not go back," said Ada Lind, '
        "the union's leader.\n",
    )
    assert_borderline(briefing, "What did the Harlow council say about the strike?")
    answer = grounded_answer(briefing, "What did the Harlow dockers' union say about the delays?")
    assert "blamed the owners" in answer.answer


def test_an_article_is_asked_of_by_its_outlet(briefing: Briefing, tmp_path: Path) -> None:
    """ "How many fish does the Harlow Courier say died?" names the outlet, which an
    article's front matter gives (its ``source``), not its text: the question is asked of
    that outlet's article, not refused for a name the texts never use."""
    for name, outlet, count in (
        ("courier", "Harlow Courier", "3,000"),
        ("wire", "Kell Wire", "2,500"),
    ):  # (each headline its own, neither naming its outlet)
        ingest_text(
            briefing,
            tmp_path / f"{name}.md",
            f"---\ntitle: {count} Fish Die In River Orrin\nsource: {outlet}\n---\n\n"
            f"More than {count} fish died in the River Orrin after a solvent leak, officials "
            "said. The plant's owner apologised for the leak.\n",
        )
    answer = grounded_answer(
        briefing, "How many fish does the Harlow Courier say died in the Orrin?"
    )
    assert "3,000" in lead_of(answer)
    # Only the outlet's names count: the "review" of a question is not the "Highland
    # Harvest Review".
    from dataclasses import replace

    from bot.core.gate import passage_evidence

    passage = replace(briefing.retrieve("How many fish died in the Orrin?").passages[0])
    query = analyse("What did the review of the leak find?", Lexicon())
    review = passage_evidence(query, replace(passage, source="Highland Harvest Review"))
    plain = passage_evidence(query, replace(passage, source=None))
    assert review.credits == plain.credits


def test_a_question_that_names_an_outlet_is_answered_from_its_story(
    briefing: Briefing, tmp_path: Path
) -> None:
    """Two outlets tell one blackout with different figures. "According to the Echo"
    asks for the Echo's, though the wire story (its outlet named only in its dateline)
    holds the question's words as well; and the outlet's name says where to look, not
    what to say: the wire's dateline sentence, which holds "Tarn News Service", does not
    lead an answer about what failed."""
    ingest_text(
        briefing,
        tmp_path / "echo.md",
        "---\ntitle: Fire Leaves Brenmouth Dark\nsource: Brenmouth Echo\n---\n\n"
        "About 62,000 homes in Brenmouth lost power on Saturday after a fire at a substation, "
        "the network operator said.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "wire.txt",
        "Substation fire blacks out Brenmouth\n\n"
        "BRENMOUTH, 30 November (Tarn News Service) — Nearly 70,000 homes in Brenmouth lost "
        "power on Saturday after a fire at a substation, the network operator said on "
        "Monday.\n\nThe operator said a cooling pump on the main transformer had failed.\n",
    )
    lead = lead_of(
        grounded_answer(briefing, "According to the Echo, how many homes in Brenmouth lost power?")
    )
    assert "62,000" in lead
    lead = lead_of(
        grounded_answer(
            briefing, "In the Tarn News Service's account, what failed at the substation?"
        )
    )
    assert "cooling pump" in lead


def test_a_rare_word_wordnet_lists_is_no_typo(briefing: Briefing, tmp_path: Path) -> None:
    """ "handover" is missing from wordfreq's short list, but WordNet lists it: it is a
    word the sources do not use (as typed: "handed ... back" is not it), not a typo of
    "hangover", and the refusal says so."""
    ingest_text(
        briefing,
        tmp_path / "museum.md",
        "---\ntitle: Museum Returns Plaques To Qareth\n---\n\nThe Hallam museum handed 27 "
        "plaques back to Qareth on Thursday. A minister signed the deed for Qareth.\n",
    )
    verdict = briefing.retrieve("Who signed the handover on behalf of Qareth?").verdict
    words = {t.word: t for t in verdict.terms}
    assert "hangover" not in words
    assert "handover" in words and not words["handover"].found


@pytest.mark.parametrize(
    "question",
    [
        "What was the vote count on the Arlow tram plan?",
        "how did the council vote on the tram",
        "How many councillors voted against the tram plan?",
    ],
)
def test_a_vote_count_is_answered_by_the_tally(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "What was the vote count?" asks for a tally: the sentence that gives one ("approved
    ... by 14 votes to 5") leads, before one about the vote that gives none."""
    answer = answer_from(
        briefing,
        tmp_path / "tram.md",
        "Arlow Council Backs Tram Plan",
        "Residents crowded the Arlow council chamber for the vote on the tram plan, and "
        "the mayor welcomed the vote on the tram. The council approved the plan by 14 votes "
        "to 5 on Tuesday.",
        question,
    )
    assert "14 votes to 5" in lead_of(answer)


@pytest.mark.parametrize(
    "question",
    ["What was the vote count on the Arlow tram plan?", "hows the council vote go on the tram"],
)
def test_a_tally_in_words_is_a_tally(briefing: Briefing, tmp_path: Path, question: str) -> None:
    """News writes small numbers in words: "by nine votes to three" is a tally as "by 9
    votes to 3" is. "hows the council vote go" asks about the vote, not for a person (the
    typed "hows" was no question word there, so "council" read as the one asked for).
    (Before, the sentence about the vote that gives no tally led.)"""
    answer = answer_from(
        briefing,
        tmp_path / "tram.md",
        "Arlow Council Backs Tram Plan",
        "Residents crowded the Arlow council chamber for the vote on the tram plan, and "
        "the mayor welcomed the vote on the tram. The council approved the plan by nine "
        "votes to three on Tuesday.",
        question,
    )
    assert "nine votes to three" in lead_of(answer)


@pytest.mark.parametrize(
    "question",
    [
        "what excuse did the mayor give for delaying the vote",
        "What must the council do before the vote on the harbour plan?",
    ],
)
def test_a_vote_only_mentioned_asks_for_no_tally(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """A question that mentions a vote as the object of another verb or of a preposition
    ("for delaying the vote", "before the vote") asks about something else: the story's
    tally (of another vote, here) does not lead. (Before, any "vote" in a question made
    the sentence with a tally lead.)"""
    answer = answer_from(
        briefing,
        tmp_path / "harbour.md",
        "Kelby Council Delays Harbour Vote",
        "Last year Kelby Council approved the marina by 12 votes to 7. The mayor, Ruth "
        "Hale, said the vote on the harbour plan was delayed because the flood surveys "
        "were late. Before the vote, the council must publish the flood surveys and hold "
        "a public meeting.",
        question,
    )
    assert "12 votes to 7" not in lead_of(answer)
    assert "flood surveys" in lead_of(answer)


def test_how_a_body_was_split_asks_for_the_tally(briefing: Briefing, tmp_path: Path) -> None:
    """ "How were the councillors split on the plan?" asks what the vote came to, as "What
    was the vote count?" does: the tally leads, before a sentence that says they were
    split and holds more of the question's words. (Before, "split" asked for no tally.)"""
    answer = answer_from(
        briefing,
        tmp_path / "harbour.md",
        "Kelby Council Backs Harbour Plan",
        "Councillors were split over the harbour plan, and several raised concerns about "
        "its cost. The plan was approved on Monday by nine votes to four.",
        "How were the councillors split on the harbour plan?",
    )
    assert "nine votes to four" in lead_of(answer)


@pytest.mark.parametrize(
    ("sentence", "settled"),
    [
        ("The footbridge is scheduled to open to walkers in May 2027.", False),
        ("Officials said the footbridge would open in May 2027 if the steel arrives.", False),
        ("The footbridge opened to walkers in May, two weeks late.", True),
    ],
)
def test_whether_something_happened_is_not_settled_by_a_plan(
    briefing: Briefing, tmp_path: Path, sentence: str, settled: bool
) -> None:
    """ "Did the footbridge open on time?" asks whether something happened. A story that
    tells it only as still to come ("is scheduled to open", "would open") was written
    before the outcome and cannot settle it: borderline (a model may still say so), not an
    answer that reads as a yes. One that tells it as done answers. (Before, the plan was
    given as the answer.)"""
    ingest_text(
        briefing,
        tmp_path / "bridge.md",
        "---\ntitle: Kelby Footbridge Takes Shape\n---\n\n"
        f"Work on the Kelby footbridge over the River Ash is nearly finished. {sentence} "
        "The bridge cost 4 million euros.\n",
    )
    question = "Did the Kelby footbridge open on time?"
    if settled:
        assert "opened" in lead_of(grounded_answer(briefing, question))
    else:
        assert_borderline(briefing, question)


@pytest.mark.parametrize(
    ("sentence", "question", "rate"),
    [
        ("", "What price per tonne does the Ostby ice plant charge fishermen?", None),
        ("It charges fishermen 85 euros per tonne of ice.",
         "What price per tonne does the Ostby ice plant charge fishermen?", "85 euros"),
        ("", "how many boats a week does the ostby ice plant supply", None),
        ("It supplies about 40 boats every week.",
         "how many boats a week does the ostby ice plant supply", "40 boats"),
        ("It will refund fishermen for each tonne of spoilt ice at 60 euros.",
         "how much will the ostby plant refund per tonne of spoilt ice", "60 euros"),
        ("The upgrade includes three new compressors.",
         "How much will each of the plant's new compressors cost?", None),
        ("Its three new compressors will cost 180,000 euros each.",
         "How much will each of the plant's new compressors cost?", "180,000 euros"),
    ],
)  # fmt: skip
def test_a_rate_is_answered_by_a_rate(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, rate: str | None
) -> None:
    """A question for an amount per a unit ("price per tonne", "boats a week") is answered
    by an amount given per that unit ("85 euros per tonne", "40 boats every week", "for
    each tonne ... 60 euros"), not by a lump sum or a count of something else ("a 2.1
    million euro upgrade", "about 300 boats"): without one it is borderline. (Before,
    the upgrade's cost answered the price per tonne.)"""
    ingest_text(
        briefing,
        tmp_path / "ice.md",
        "---\ntitle: Ostby Ice Plant Needs Upgrade\n---\n\n"
        "The ice plant at Ostby harbour, which supplies fishermen along the coast, will need a "
        "2.1 million euro upgrade, its owner said. About 300 boats are registered at Ostby. "
        f"{sentence}\n",
    )
    assert_says_or_borderline(briefing, question, rate)


def test_the_best_sentence_of_the_kind_asked_leads_from_any_passage(
    database_url: str, tmp_path: Path
) -> None:
    """The first pick is the best sentence of the retrieved passages; when the question
    asks for a kind (a time) and a neighbouring passage gives it better ("the night shift
    spotted the drop in the tank level at around 3am"), that sentence leads, not the pick
    that merely holds some time ("discovered at about 05:30 ... by an angler")."""
    from dataclasses import replace

    from bot.core.answer import select_sentences

    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "spill.md",
            "---\ntitle: Solvent Leak At Millbeck Plant\n---\n\n"
            "The leak at the Millbeck paint plant was discovered at about 05:30 on Saturday "
            "by an angler who noticed dead fish near the weir.\n\n"
            "The night shift spotted the drop in the tank level at around 3am, the plant "
            "manager said.\n",
        )
        retrieval = briefing.retrieve("what time did the night shift notice the tank level drop")
        found = [*retrieval.passages, *retrieval.neighbours]
        first = tuple(p for p in found if "05:30" in p.text)
        later = tuple(p for p in found if "3am" in p.text)
        assert first and later
        retrieval = replace(retrieval, passages=first, neighbours=later)
        assert "3am" in select_sentences(retrieval, 120)[0].text


def test_a_stem_joins_no_unrelated_words(briefing: Briefing, tmp_path: Path) -> None:
    """Snowball cuts "several" and "severance" to "sever", "department" to "depart":
    a stem that is a word of its own joins only words WordNet relates to it (by a link
    or in a definition: "systemic" is "affecting an entire system"), so "several
    workers" is no answer to a question about severance."""
    from bot.core.words import stem

    assert stem("several") != stem("severance") == stem("sever")
    assert stem("department") != stem("departing")
    assert stem("authority") != stem("author")
    assert stem("systemic") == stem("system") and stem("environmental") == stem("environment")
    ingest_text(
        briefing,
        tmp_path / "depot.md",
        "---\ntitle: Parcelo Closes Arlow Depot\n---\n\nSeveral workers at the Parcelo "
        "depot in Arlow said they had heard of the closure from a local newspaper. Parcelo "
        "closed the Arlow depot on Thursday.\n",
    )
    verdict = briefing.retrieve(
        "What severance did the Parcelo depot workers in Arlow get?"
    ).verdict
    assert {t.word: t.found for t in verdict.terms}["severance"] == 0.0


def test_a_role_is_its_holder_by_surname(briefing: Briefing, tmp_path: Path) -> None:
    """News names a person with their role once and by surname after: "What did the
    union's spokeswoman say about overtime?" is answered by "Varga said the union would
    refuse all overtime", in an article that said "Ilona Varga, the union's
    spokeswoman," before, in another paragraph."""
    lead = lead_from(
        briefing,
        tmp_path / "strike.md",
        "---\ntitle: Tram Drivers Vote To Strike In Arlow\n---\n\n"
        "Tram drivers in Arlow voted on Monday to strike next month, said Ilona Varga, the "
        "drivers' union spokeswoman, after a ballot of its members.\n\n"
        "The city's transport board said it was disappointed and hoped talks would resume. "
        "Services will run as normal until the strike begins.\n\n"
        "Varga said the union would refuse all overtime from Friday.\n",
        "What did the drivers' union spokeswoman say about overtime?",
    )
    assert "refuse all overtime" in lead


def test_how_long_a_thing_is_a_length(briefing: Briefing, tmp_path: Path) -> None:
    """ "how long a stretch of the river" asks for a length ("a six-kilometre stretch"),
    as "How long is the bridge?" does, not for how long something lasted; a word after an
    article is a noun, though "stretch" is a verb too."""
    answer = answer_from(
        briefing,
        tmp_path / "spill.md",
        "Fish Die In The River Orrin",
        '"I have fished this river for 30 years," said one angler by the river. Dead fish '
        "were found along a six-kilometre stretch of the river below the plant.",
        "how long a stretch of the river was hit?",
    )
    assert "six-kilometre" in lead_of(answer)


def test_a_stem_keeps_a_word_s_forms_and_family_together() -> None:
    """A stem that parts unrelated words keeps a word's own forms and family together:
    a plural stems as its singular ("customers", "authorities", "routes"), an adverb as
    its adjective, and "severely" (whose definition says "severe", not "sever") is no
    severance."""
    from bot.core.words import stem

    assert stem("customers") == stem("customer")
    assert stem("authorities") == stem("authority") != stem("author")
    assert stem("routes") == stem("route") and stem("aides") == stem("aide")
    assert stem("severely") == stem("severe") != stem("severance")
    assert stem("typically") == stem("typical") and stem("literally") == stem("literal")
    assert stem("reasonably") == stem("reasonable") == stem("reason")
    assert stem("important") != stem("import")


def test_an_outlet_asked_for_its_words_speaks_in_its_article(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What does the Harlow Courier say about the leak?" asks for the words of the
    Courier's article: the outlet, named in its front matter, speaks in it, so the
    question is not borderline for a speaker no passage shows speaking."""
    lead = lead_from(
        briefing,
        tmp_path / "courier.md",
        "---\ntitle: 3,000 Fish Die In River Orrin\nsource: Harlow Courier\n---\n\n"
        "More than 3,000 fish died in the River Orrin after a solvent leak, officials "
        "said. The plant's owner apologised for the leak.\n",
        "What does the Harlow Courier say about the leak in the Orrin?",
    )
    assert "3,000" in lead


def test_a_range_is_no_tally(briefing: Briefing, tmp_path: Path) -> None:
    """A question about a vote prefers a sentence with its tally, but "open from 9 to
    5" is the library's hours, no vote's result: the decision leads."""
    answer = answer_from(
        briefing,
        tmp_path / "library.md",
        "Trustees Close Elm Street Library",
        "The Dunmore trustees voted on Monday to close the Elm Street library in June. "
        "The library, open from 9 to 5 on weekdays, lends about 300 books a week. "
        "Readers will be sent to the Castle Road branch.",
        "What did the Dunmore trustees vote to do with the Elm Street library?",
    )
    assert "close the Elm Street library" in lead_of(answer)


def test_a_role_holder_is_found_misspelt_and_only_for_one_person(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The role's holder is found by surname even misspelt by one letter ("Halvorson" for
    "Halvorsen"), as news misspells names; a plural role ("the activists") is a group,
    not the person named beside it."""
    from bot.core.roles import role_terms

    assert not role_terms(analyse("What do the activists say about the plan?", Lexicon()))
    lead = lead_from(
        briefing,
        tmp_path / "plan.md",
        "---\ntitle: Arlow Council Delays Harbour Plan\n---\n\n"
        "The Arlow council will meet again in May, said Ingrid Halvorsen, the council's "
        "spokeswoman, after a long meeting on Monday.\n\n"
        "Residents had asked for more time to study the harbour plan and its costs.\n\n"
        "Halvorson said the harbour plan was a once-in-a-generation chance.\n",
        "What did the council's spokeswoman call the harbour plan?",
    )
    assert "once-in-a-generation" in lead


def test_a_role_s_holder_is_found_by_surname_whatever_the_question_asks(
    database_url: str, tmp_path: Path
) -> None:
    """ "Why does the growers' chairman say nets won't work?" asks about the chairman,
    named so once ("Ivo Drescott, the growers' chairman") and by surname in another
    passage: the sentence where Drescott says it speaks of the chairman, though the
    question asks why (not who, nor for his words alone)."""
    from bot.core.candidates import SentenceScorer, passage_sentences

    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "hail.md",
            "---\ntitle: Ministry Offers Growers Help With Hail Nets\n---\n\n"
            "Ivo Drescott, the growers' chairman, said the harvest was the worst in 40 "
            "years.\n\nThe ministry will pay half the cost of hail nets for growers in the "
            "valley, and nets work well on flat vineyards, it said.\n\n"
            "Growers met in Arlow on Monday to vote on a protest.\n\n"
            "Drescott said nets were useless on the steep slopes where most growers farm.\n",
        )
        question = "why does the growers chairman say nets wont work"
        retrieval = briefing.retrieve(question)
        sentences = passage_sentences([*retrieval.passages, *retrieval.neighbours])
        scorer = SentenceScorer(retrieval, sentences)
        said = next(s for s in sentences if s.text.startswith("Drescott said"))
        assert scorer.credits(said)["chairman"] == 1.0
        assert "useless on the steep slopes" in grounded_answer(briefing, question).answer


def test_a_role_s_holder_is_the_person_named_beside_it(database_url: str, tmp_path: Path) -> None:
    """ "the victim" is a person, but the detective who speaks of the victim in the same
    sentence ("Detective Ana Ruiz said the victim had been attacked") is not the victim:
    the holder of a role is the person named beside it ("Ivo Drescott, the growers'
    chairman", "the victim, Tomas Brandvold"), not the nearest full name, and the detective's
    own story ("Ruiz worked as a teacher") says nothing of the victim's job."""
    from bot.core.roles import holders_of, role_terms
    from bot.core.words import stems

    query = analyse("where did the victim work?", Lexicon())
    (victim,) = role_terms(query)
    said = "Detective Ana Ruiz said the victim had been attacked late on Friday."
    assert holders_of(victim, said, stems(said)) == set()
    named = "The victim, Tomas Brandvold, was found near the harbour."
    assert holders_of(victim, named, stems(named)) == {"brandvold"}
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "harbour.md",
            "---\ntitle: Man Found Dead Near Arlow Harbour\n---\n\n"
            "Police named the dead man as Tom Hale, 34. Detective Ana Ruiz said the victim "
            "had been attacked late on Friday near the harbour.\n\n"
            "The harbour road was closed for six hours while officers searched the quay.\n\n"
            "Ruiz worked as a teacher in Kellow before she joined the police.\n",
        )
        assert "Ruiz worked" not in briefing.ask("where did the victim work?").answer


def test_a_story_s_day_holds_for_all_of_it(database_url: str, tmp_path: Path) -> None:
    """News says once, in its lead, which day its story happened ("lost power on Saturday
    evening") and tells the rest without saying it again: "was the concert at the
    Corn Hall still on on Saturday?" is answered by the passage about the concert. A day
    the story does not give still must be found."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "blackout.md",
            "---\ntitle: Fire Leaves Brenmouth Dark\n---\n\n"
            "About 62,000 homes in Brenmouth lost power on Saturday evening after a fire at "
            "a substation, the network operator said.\n\n"
            "Trains between Brenmouth and Kellow were halted for about 90 minutes.\n\n"
            "The Corn Hall cancelled its evening concert of carols and said every ticket "
            "holder would get a full refund.\n",
        )
        answer = grounded_answer(briefing, "was the concert at the corn hall still on saturday")
        assert "cancelled its evening concert" in lead_of(answer)
        assert not briefing.ask("was the concert at the corn hall still on tuesday").answered


@pytest.mark.parametrize(
    "question",
    [
        "what'd the arlow museum shell out for the portrait?",
        "What did the Arlow museum fork out for the portrait?",
        "what is the arlow museum paying for the portrait",
    ],
)
def test_what_someone_paid_in_speech_asks_for_money(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "What'd they shell out for it?" asks what "What did they pay for it?" asks: an
    amount of money, which leads, before the sentence with more of the question's words."""
    answer = answer_from(
        briefing,
        tmp_path / "portrait.md",
        "Arlow Museum Buys Lost Portrait",
        "The Arlow museum has bought the lost portrait of a merchant's wife, the museum said "
        "on Monday, after a search for the portrait that lasted forty years. The price was "
        "2.3 million euros, most of it from a heritage fund.",
        question,
    )
    assert "2.3 million euros" in lead_of(answer)


def test_a_day_of_the_week_past_the_lead_is_not_the_story_s(
    database_url: str, tmp_path: Path
) -> None:
    """The day a story's lead gives holds for all of it, but a day given later is the day
    of what that later passage tells ("lawmakers will debate the pact on Friday"), not
    of the rest: "did the joint patrols start on friday?" is not answered by the passage
    about the patrols, which gives no day."""
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(
            briefing,
            tmp_path / "pact.md",
            "---\ntitle: Ministers Sign Border Pact\n---\n\n"
            "The interior ministers of the three countries met in Tegucigalpa on Monday and "
            "signed a border pact.\n\n"
            "The pact sets up joint patrols along the river and shares records of crossings."
            "\n\nOpposition lawmakers will debate the pact in the congress on Friday, a "
            "spokesman said.\n",
        )
        assert not briefing.ask("did the joint patrols start on friday?").answered
        answer = grounded_answer(briefing, "did the joint patrols start on monday?")
        assert "joint patrols" in answer.answer


def test_a_person_described_in_the_lead_is_named_a_few_sentences_on(
    briefing: Briefing, tmp_path: Path
) -> None:
    """News describes someone in its lead ("A transport economist at a Harlow university
    has warned ...") and names them a few sentences on ("Dr. Mira Okonkwo, who teaches
    ..."): the first person it names after that is the one asked about, unless it speaks
    of the role again without a name in between ("The economist, who asked not to be
    named, ...")."""
    text = (
        "A transport economist at a Boston university has warned that the new bridge toll "
        "could push lorries onto village roads. The warning follows a vote by the council "
        "on Monday. The toll starts in May. Dr. Mira Okonkwo, who teaches at Boston "
        "College, said the council had ignored its own traffic study."
    )
    answer = answer_from(
        briefing,
        tmp_path / "toll.md",
        "Economist Warns Over Harlow Toll",
        text,
        "Who is the economist warning that the toll could push lorries onto village roads?",
    )
    assert "Mira Okonkwo" in lead_of(answer)
    answer = answer_from(
        briefing,
        tmp_path / "fares.md",
        "Economist Warns Over Ferry Fares",
        "A maritime economist at a Boston university has warned that higher ferry fares "
        "could empty the island's guest houses. The economist asked not to be named. "
        "Dr. Jonas Pell, who runs the ferry company, said the fares had not risen in a decade.",
        "What did the ferry company say about the fares?",
    )
    from bot.core.candidates import SentenceScorer, beside_the_asked, passage_sentences

    retrieval = briefing.retrieve("Who is the economist warning about higher ferry fares?")
    sentences = passage_sentences([*retrieval.passages, *retrieval.neighbours])
    naming = beside_the_asked(retrieval, SentenceScorer(retrieval, sentences), sentences) or []
    assert not any("Jonas Pell" in s.text for s in naming)


def test_why_someone_did_something_is_answered_by_what_they_said(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Why did Rhys Amberly vote against the depot?" is answered by what Amberly said,
    not by a sentence with a cause of the vote that someone else gave ("the vote was the
    result of two years of talks"): a cause leads only where it speaks of whom the
    question names."""
    answer = answer_from(
        briefing,
        tmp_path / "depot.md",
        "Harlow Council Approves Bus Depot",
        "Councillor Mara Quist, who chairs the transport committee, said the vote was the "
        "result of two years of talks with residents. Councillor Rhys Amberly, who voted "
        "against the depot, said the site was too close to the primary school.",
        "Why did Rhys Amberly vote against the depot?",
    )
    assert "too close to the primary school" in lead_of(answer)


def test_a_question_for_a_year_is_not_answered_by_a_weekday(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What year was the bridge opened?" asks for a year: a story that says only "on
    Tuesday" does not give it (borderline: a model may still read a year elsewhere), while
    "When was it opened?" is answered by the weekday, and a story with the year answers."""
    text = "The Kell footbridge was opened on Tuesday by the mayor, after two years of work."
    ingest_text(
        briefing, tmp_path / "bridge.md", f"---\ntitle: Kell Footbridge Opens\n---\n\n{text}\n"
    )
    refused = briefing.ask("What year was the Kell footbridge opened?")
    assert not refused.answered and refused.refusal is not None
    assert refused.refusal["decision"] == "borderline"
    assert "on Tuesday" in lead_of(
        grounded_answer(briefing, "When was the Kell footbridge opened?")
    )
    answer = answer_from(
        briefing,
        tmp_path / "tower.md",
        "Arlow Clock Tower Reopens",
        "The Arlow clock tower, built in 1887, reopened on Tuesday after repairs.",
        "What year was the Arlow clock tower built?",
    )
    assert "1887" in lead_of(answer)


def test_a_guy_is_anyone_not_a_role(briefing: Briefing, tmp_path: Path) -> None:
    """ "who's the port authority guy" asks for someone, not for a passage that says
    "guy": a word that says only that someone is a person, a man or a woman ("guy",
    "lady", "bloke") is no role a passage must name (as "analyst" or "captain" is)."""
    answer = answer_from(
        briefing,
        tmp_path / "port.md",
        "Arlow Port Authority Delays Dredging",
        "Anton Reyes, a spokesman for the Arlow Port Authority, said dredging of the "
        "harbour would start in June, a year late.",
        "who's the arlow port authority guy and what's his take on the dredging",
    )
    assert "Anton Reyes" in lead_of(answer)


def test_a_relation_is_no_anyone(briefing: Briefing, tmp_path: Path) -> None:
    """ "who is the wife of ..." asks for a wife, by her word: a wife is a woman and a
    spouse, a relation a passage must name (unlike "guy" or "lady", which say only that
    someone is a man or a woman)."""
    from bot.core.phrasing import _anyone

    assert _anyone("guy") and _anyone("lady") and _anyone("girl")
    assert not _anyone("wife") and not _anyone("husband") and not _anyone("analyst")
    ingest_text(
        briefing,
        tmp_path / "council.md",
        "---\ntitle: Arlow Council Votes On Bus Lanes\n---\n\nCouncillor Desmond Achterberg "
        "voted against the bus lanes on Tuesday, saying shopkeepers had not been heard.\n",
    )
    assert_borderline(briefing, "who is the wife of Desmond Achterberg?")


@pytest.mark.parametrize(
    ("sentence", "question", "amount"),
    [
        ("", "What is Ilse Varnam's salary as harbour master?", None),
        ("", "How much does Ilse Varnam earn as harbour master?", None),
        ("", "what is ilse varnam paid", None),
        ("", "What pension will the retiring pilots receive?", None),
        ("Varnam earns 84,000 euros a year.",
         "What is Ilse Varnam's salary as harbour master?", "84,000 euros"),
        ("Varnam is paid 84,000 euros a year.",
         "How much does Ilse Varnam earn as harbour master?", "84,000 euros"),
        ("Her salary is 84,000 euros.", "what is ilse varnam paid", "84,000 euros"),
        ("Each retiring pilot will receive a payment of 1,200 euros a month.",
         "What compensation will the retiring pilots receive?", "1,200 euros"),
        ("Each retiring pilot will receive 1,200 euros a month.",
         "How much will the retiring pilots be paid?", "1,200 euros"),
        ("Each retiring pilot will receive 1,200 euros a month.",
         "How much does Ilse Varnam earn as harbour master?", None),  # not what she gets
        ("Each retiring pilot will receive 1,200 euros a month.",
         "How much does Ilse Varnam earn a month?", None),
    ],
)  # fmt: skip
def test_pay_is_answered_by_pay_not_by_another_sum(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, amount: str | None
) -> None:
    """A question for money of a particular kind (a salary, a pension, compensation) or
    for what someone earns or is paid is answered by an amount stated as that (its word,
    "earns", "is paid", or a more general word: "a payment of 1,200 euros" is the
    compensation asked for), not by another sum beside the same names (the dredging
    budget, the pilots' redundancy fund): without one it is borderline. (Before, "What is
    Ilse Varnam's salary?" was answered with the budget.)"""
    ingest_text(
        briefing,
        tmp_path / "harbour.md",
        "---\ntitle: Kelvik Harbour Board Approves Dredging\n---\n\n"
        "Kelvik harbour board approved a 3.2 million euro dredging budget on Monday. Harbour "
        "master Ilse Varnam, who has run the port since 2019, said the work would start in "
        "May. The board also set aside 450,000 euros for the four retiring pilots. "
        f"{sentence}\n",
    )
    assert_says_or_borderline(briefing, question, amount)


@pytest.mark.parametrize(
    ("sentence", "question", "told"),
    [
        ("", "Did the Vellmoor regulator end up fining Ostra Water?", None),
        ("The regulator will decide next month whether to fine the company.",
         "Did the Vellmoor regulator end up fining Ostra Water?", None),
        ("In March the regulator fined the company 2 million euros.",
         "Did the Vellmoor regulator end up fining Ostra Water?", "fined"),
        ("", "Was Ostra Water eventually fined?", None),
        ("Ostra Water was fined 2 million euros in March.", "Was Ostra Water eventually fined?",
         "fined"),
        ("Ostra Water has refused to pay for the clean-up.",
         "did ostra water end up paying for the clean-up", "refused to pay"),
        ("The repairs went ahead in June.", "Did the Vellmoor repairs go ahead in the end?",
         "went ahead"),
    ],
)  # fmt: skip
def test_how_something_turned_out_is_told_as_done(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, told: str | None
) -> None:
    """ "Did the regulator *end up* fining them?", "Was it *eventually* fined?" ask how
    things turned out: only a passage that tells the event as done (or refused) answers,
    not one that tells the story up to it (the review, the pollution) or the event as
    still to come: borderline. (Before, the story of the review was given as the answer.)"""
    ingest_text(
        briefing,
        tmp_path / "ostra.md",
        "---\ntitle: Vellmoor Regulator Reviews Ostra Water Pollution\n---\n\n"
        "The Vellmoor regulator has opened a review of Ostra Water after sewage polluted the "
        "river for nine days, and the company faces repairs to its Vellmoor pumping station. "
        f"{sentence}\n",
    )
    assert_says_or_borderline(briefing, question, told)


@pytest.mark.parametrize(
    "question",
    [
        "unlike the ardel accord, is the tessa-morland pact binding?",
        "Is the Tessa-Morland pact, unlike the Ardel Accord, binding?",
        "is the tessa-morland pact non-binding like the ardel one?",
    ],
)
def test_what_a_question_compares_against_need_not_be_in_the_answer(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "*Unlike the Ardel Accord*, is the Tessa-Morland pact binding?" asks about the pact;
    the accord is the standard the question holds it against, framing like "according
    to the article", so the two names need not meet in one passage. (Before, each was
    refused: the names of the question never met in one passage.)"""
    ingest_text(
        briefing,
        tmp_path / "ardel.md",
        "---\ntitle: Ardel Accord Signed\n---\n\n"
        "Four ports signed the Ardel Accord on Monday. The accord is non-binding and only "
        "commits them to further talks.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "pact.md",
        "---\ntitle: Tessa and Morland Sign Fisheries Pact\n---\n\n"
        "Tessa and Morland signed a fisheries pact on Friday. Unlike many such declarations, "
        "the Tessa-Morland pact is legally binding and must be ratified by both "
        "parliaments.\n",
    )
    assert "legally binding" in grounded_answer(briefing, question).answer


@pytest.mark.parametrize(
    "question", ["Is it unlike Nielsen to skip a summit?", "was it unlike the mayor to miss it"]
)
def test_unlike_inside_the_question_is_what_it_asks(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "Is it *unlike Nielsen* to skip a summit?" asks about Nielsen: "unlike" not set off
    by a comma is the question's own predicate, not the standard of a comparison, and
    stays in its focus. (Before, everything from "unlike" to the end was framing, and the
    question, left with no terms, was refused.)"""
    ingest_story(
        briefing,
        tmp_path / "nielsen.md",
        "Mayor Nielsen Skips Summit",
        "Mayor Anna Nielsen skipped the regional summit on Thursday, the first she has "
        "missed in ten years. Aides said she was ill.",
    )
    assert "first she has missed" in grounded_answer(briefing, question).answer


def test_a_rate_is_of_the_thing_the_question_names(briefing: Briefing, tmp_path: Path) -> None:
    """ "What's the unemployment rate?" asks for a rate of unemployment: a passage that
    never speaks of unemployment gives the rate of something else ("raised its interest
    rate to 4 per cent") and does not answer. A rate the question names by an adjective
    ("the current rate") or by what the passage names is answered. (Before, the bank's
    interest rate was given as the unemployment rate.)"""
    ingest_text(
        briefing,
        tmp_path / "dalmia.md",
        "---\ntitle: Dalmia Central Bank Raises Rates\n---\n\n"
        "The Dalmia central bank raised its main interest rate to 4 per cent on Tuesday. "
        "Consumer prices rose by 6 per cent in the year to October.\n",
    )
    assert not briefing.ask("What's the unemployment rate in Dalmia?").answered
    assert not briefing.ask("what is dalmia's exchange rate").answered
    assert "4 per cent" in grounded_answer(briefing, "What is Dalmia's interest rate?").answer
    assert "4 per cent" in grounded_answer(briefing, "What is the current rate in Dalmia?").answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what are existing users of the app meant to do now?", "what"),
        ("what r users of the app supposed to do", "what"),
        ("What were the protesters demanding?", "what"),
        ("What was the minister accused of?", "what"),
        ("What are the calf's parents called?", "who"),  # their names
        ("What are the names of the officials?", "who"),
        ("What was the name of the man arrested?", "who"),  # which man: his name
        ("what were the names of the officials accused of fraud", "who"),
        ("What are the miners rescued on Sunday called?", "who"),
        ("What were the men arrested called?", "who"),
        ("What officials attended the summit?", "who"),
    ],
)
def test_people_who_do_what_is_asked_are_not_whom_it_asks_for(question: str, kind: str) -> None:
    """ "What are existing users meant to do?": a verb's participle or "-ing" form after
    the people makes them the clause's doers, and "what" the thing done; the question
    asks for no person. (Before, it was a "who" question, and a sentence that named
    someone led: the housing director, for what app users should do.)"""
    assert analyse(question, Lexicon()).answer_type == kind


def test_what_people_are_told_to_do_is_answered_by_what_they_are_told(
    briefing: Briefing, tmp_path: Path
) -> None:
    ingest_text(
        briefing,
        tmp_path / "app.md",
        "---\ntitle: Regulator pulls MediGuide app\n---\n\nThe health regulator ordered the "
        "MediGuide symptom-checker app off the market on Monday, its director Hana Kovel "
        "said.\n\nExisting users have been told to delete it and to call the 112 health line "
        "instead. The maker, Lumetra, said it would appeal.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "flats.md",
        "---\ntitle: Council takes over empty flats\n---\n\nThe housing director, Piet "
        "Aalders, said the higher charge had brought only 310 homes back into use.\n",
    )
    answer = grounded_answer(briefing, "what are existing users of the app meant to do now?")
    assert lead_of(answer).startswith("Existing users have been told to delete it")


def test_the_name_of_people_a_participle_picks_out_is_still_asked_for(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What was the name of the man arrested?" asks for the man, by name: the participle
    after him says which man, not what he did, and the sentence that names him leads.
    (Before, a participle after the people made the question a "what" one, and "Police
    arrested a man" led.)"""
    ingest_story(
        briefing,
        tmp_path / "fire.md",
        "Warehouse fire in Gravik",
        "The fire destroyed the Gravik warehouse on Monday night, the fire service said. "
        "Police arrested a man on Tuesday in connection with the fire. The man was named as "
        "Jonas Verhey, 34, a former employee. Fire chief Anna Roos said the damage would "
        "take months to repair.",
    )
    answer = grounded_answer(briefing, "What was the name of the man arrested?")
    assert lead_of(answer).startswith("The man was named as Jonas Verhey")


def test_people_a_participle_picks_out_are_asked_for_by_what_they_are_called(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What are the miners rescued on Sunday called?" asks for the miners' names: the
    participle says which miners, "called" what is asked, and the sentence that names
    them leads. (Before, only "called" just after the people kept the question a "who"
    one, and the rescue led.)"""
    ingest_story(
        briefing,
        tmp_path / "mine.md",
        "Mine rescue at Gravik",
        "Rescuers freed four miners trapped at the Gravik mine on Sunday after three days "
        "underground. The rescued miners are Jan Holt, Piet Varn, Ola Sten and Erik Dahl, the "
        "mine's owner said. Rescue teams worked through the night in freezing rain.",
    )
    answer = grounded_answer(briefing, "What are the miners rescued on Sunday called?")
    assert lead_of(answer).startswith("The rescued miners are Jan Holt")


def test_an_amount_per_the_unit_asked_leads_before_one_that_names_the_measure(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much compensation do farmers get per bird?" asks for an amount per bird: the
    sentence that gives one ("3.20 velts for each bird") leads, before one that names a
    word near the measure beside some other sum ("the damage will cost 15 million velts",
    of another story). (Before, the measure's word was looked for first, and the riot's
    repair bill led.)"""
    ingest_text(
        briefing,
        tmp_path / "cull.md",
        "---\ntitle: Ostland orders hen cull\n---\n\nOstland ordered the cull of 2.3 "
        "million hens on Monday after bird flu reached the Gravik Valley.\n\nFarmers will "
        "be paid 3.20 velts for each bird culled. The farmers' association said that was "
        "too little.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "riot.md",
        "---\ntitle: Riot at Sarnow\n---\n\nThe riot ended on Sunday. The union estimates "
        "that the damage will cost at least 15 million velts to repair.\n",
    )
    answer = grounded_answer(briefing, "How much compensation do farmers get per bird?")
    assert lead_of(answer).startswith("Farmers will be paid 3.20 velts")


def test_a_sum_per_the_unit_of_something_else_does_not_lead_before_the_measure_named(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A rate says per what, not of what: where a sentence names the measure asked in the
    question's own word ("Compensation for farmers will total ..."), a sum per the unit
    that names another thing ("A levy of 4 velts per bird sold"; a ferry's "12 velts per
    car", of another story) does not lead before it, unless it says more of the question
    than the unit ("Farmers will be paid 3.20 velts for each bird culled"). (Before, any
    sum per the unit led: the levy for the farmers' compensation, and the ferry's charge
    for the new bridge's toll.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "cull",
                "Ostland orders hen cull",
                "Ostland ordered the cull of 2.3 million hens on Monday after bird flu reached "
                "the Gravik Valley. Compensation for farmers will total 7.4 million velts, the "
                "ministry said. A levy of 4 velts per bird sold will fund the scheme from next "
                "year.",
            ),
            (
                "bridge",
                "Varna bridge opens",
                "The new Varna bridge opens to traffic on Monday. The toll will be 5 velts for "
                "cars and 20 velts for lorries, the transport ministry said.",
            ),
            (
                "ferry",
                "Ferry firm cuts service",
                "The Varna ferry will run twice a day from March. The operator charges 12 velts "
                "per car for the crossing, and foot passengers travel free.",
            ),
        ],
    )
    answer = grounded_answer(briefing, "How much compensation do farmers get per bird?")
    assert lead_of(answer).startswith("Compensation for farmers will total")
    answer = grounded_answer(briefing, "What is the toll per car on the new bridge?")
    assert lead_of(answer).startswith("The toll will be 5 velts")
    ingest_story(
        briefing,
        tmp_path / "paid.md",
        "Cull payments set",
        "Farmers will be paid 3.20 velts for each bird culled in the Gravik Valley.",
    )
    answer = grounded_answer(briefing, "How much compensation do farmers get per bird?")
    assert lead_of(answer).startswith("Farmers will be paid 3.20 velts")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("what is the success rate of the new treatment in the Pell trial", "80 per cent"),
        ("what is the survival rate for patients given the drug in the Pell trial", "88 per"),
        ("what is the exchange rate of the Brask crown against the dollar", "12.4"),
    ],
)
def test_a_rate_told_in_other_words_is_still_that_rate(
    briefing: Briefing, tmp_path: Path, question: str, fact: str
) -> None:
    """A passage that never speaks of a rate but of everything else the question names
    may give the rate in its own words: "worked in 80 per cent of the patients" is the
    treatment's success rate, "88 per cent were alive" its survival rate, "fell to 12.4
    against the dollar" the crown's exchange rate. One that speaks of a rate of something
    else ("interest rate"), or only of the place ("Importers in Dalmia ..."), gives none.
    (Before, each was refused: "success", "survival", "exchange" are not in the passage.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "pell",
                "Pell Trial Results",
                "The new treatment worked in 80 per cent of the 400 patients in the Pell "
                "trial, doctors said. Of those given the drug, 88 per cent were alive after "
                "five years.",
            ),
            (
                "brask",
                "Brask Currency Slides",
                "The Brask crown fell to 12.4 against the dollar on Monday, its weakest level "
                "in a decade.",
            ),
            (
                "dalmia",
                "Dalmia Importers Wait",
                "Importers in Dalmia stopped placing orders, and 30 per cent of shops said "
                "their shelves were half empty.",
            ),
        ],
    )
    assert fact in grounded_answer(briefing, question).answer
    assert not briefing.ask("What's the unemployment rate in Dalmia?").answered


def test_a_compound_typed_as_one_word_is_read_as_its_parts(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "hillwalkers" is hill walkers, who are walkers: a compound typed as one word that
    neither the sources nor WordNet know is read by its head when both its parts are
    common words the sources use. (Before, it was a rare term the sources never use, and
    the question was refused.) A word written as a name is not split."""
    ingest_text(
        briefing,
        tmp_path / "rescue.md",
        "---\ntitle: Rescue Team Urges Care on the Hills\n---\n\n"
        "The Dunlie mountain rescue team urged walkers on the hills to carry a head torch and "
        "a spare power bank in winter. The team was called out 40 times this year.\n",
    )
    answer = grounded_answer(briefing, "what should hillwalkers carry in winter")
    assert "head torch" in answer.answer
    refused = briefing.ask("What should members of the Hillwalkers Club carry?")
    assert not refused.answered


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("how many concertgoers were hurt at the ostel arena", "27 fans"),
        ("what did residents say about the firefighting at the ostel arena", "35 minutes"),
    ],
)
def test_a_compound_the_sources_never_use_is_read_as_its_everyday_words(
    briefing: Briefing, tmp_path: Path, question: str, fact: str
) -> None:
    """ "concertgoers" (goers of a concert) and "firefighting" are compounds of everyday
    words that name people or an activity; sources that never use them tell of the
    "concert" and its "fans", the "fire" and its "fire engine". Read as their two words,
    they are found by either, and their absence refuses nothing. (Before, each was a
    rare term the sources never use, and the question was refused.) A compound whose
    head names neither ("ashford", maybe a town) stays whole, and so does a name."""
    ingest_text(
        briefing,
        tmp_path / "ostel.md",
        "---\ntitle: Crush and Blaze at the Ostel Arena\n---\n\n"
        "Some 27 fans were hurt in a crush at the Ostel Arena before a concert on Friday. "
        "Hours later a fire broke out in the arena's kitchens. Residents said the first "
        "fire engine arrived 35 minutes after the alarm.\n",
    )
    assert fact in grounded_answer(briefing, question).answer
    assert not briefing.ask("what happened to the fans in ashford").answered
    assert not briefing.ask("How many Concertgoers Club members were hurt?").answered


def test_a_compound_whose_head_only_ends_in_ing_stays_whole(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "bullring" ends in "ring", a verb but not the "-ing" form of one: it names no
    activity of bulls but a place (Birmingham's shopping centre, an arena), and a story
    of a "bull market" says nothing of it. (Before, it was read as "bull ring", found by
    "bull" alone, and the market's rise was given for what happened at the bullring.)"""
    ingest_story(
        briefing,
        tmp_path / "tarn.md",
        "Markets Rally in Tarn",
        "The bull market in Tarn shares entered its third year, with the index up 14 per "
        "cent. Traders expect more gains.",
    )
    assert not briefing.ask("what happened at the bullring").answered
    assert "14 per cent" in grounded_answer(briefing, "how far is the tarn index up").answer


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("How much did Arkvale Tiles earn last year?", "3.1 million euros"),
        ("How much interest did the pension fund earn?", "400,000 euros"),
        ("How much was paid for the Arkvale kiln?", "900,000 euros"),
    ],
)
def test_what_a_company_earns_is_no_one_s_pay(
    briefing: Briefing, tmp_path: Path, question: str, amount: str
) -> None:
    """What a company or a fund earns (a profit, interest) and what was paid for a thing
    are no one's pay: any amount of them answers, not only one stated with a word for pay.
    (Before, each was refused: no sentence said "earns", "paid" or "salary" beside an
    amount.)"""
    ingest_text(
        briefing,
        tmp_path / "arkvale.md",
        "---\ntitle: Arkvale Tiles Reports Record Year\n---\n\n"
        "Arkvale Tiles made a profit of 3.1 million euros last year, up from 2.2 million, "
        "chief executive Rona Tull said on Thursday. The company's pension fund made 400,000 "
        "euros in interest on its bond holdings. The new Arkvale kiln cost 900,000 euros.\n",
    )
    assert amount in grounded_answer(briefing, question).answer


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("What is the entry fee at the Tolvern clock museum?", "12 dollars"),
        ("What is the rent for a flat at the Tolvern clock museum?", "900 dollars"),
        ("What damages was the Tolvern clock museum awarded?", "50,000 dollars"),
    ],
)
def test_money_of_a_kind_is_stated_by_the_money_it_is(
    briefing: Briefing, tmp_path: Path, question: str, amount: str
) -> None:
    """A fee is stated by what it costs, a rent or damages by what is paid: the words
    that may state money of a particular kind go up to the money in general it is (a
    fee is a charge, a cost; a rent an annuity, a payment) and take their verbs ("pay",
    "paid"). (Before, each was refused: two levels up stopped at "charge" for a fee and
    at "annuity" for a rent, and "payment" said no "pay".)"""
    ingest_text(
        briefing,
        tmp_path / "tolvern.md",
        "---\ntitle: Tolvern Clock Museum Reopens\n---\n\n"
        "The Tolvern clock museum reopened on Friday after a two-year refit. Entry costs 12 "
        "dollars for adults. The museum lets four flats above the galleries, and tenants "
        "pay 900 dollars a month. Last year a court ordered the refit's first builder to "
        "pay the museum 50,000 dollars for faulty wiring.\n",
    )
    assert amount in grounded_answer(briefing, question).answer


def test_a_quotation_the_lead_opens_is_read_to_its_end(briefing: Briefing, tmp_path: Path) -> None:
    """The lead's next sentence comes with it; when that one opens a quotation ("They
    promised us a vote.), the quotation is read to its end, in order. (Before, it was cut
    there, and its end came among the support sentences, after the council's: half a
    quote, then someone else's words inside it.)"""
    answer = answer_from(
        briefing,
        tmp_path / "park.md",
        "Council Sells Holm Park to Developer",
        "The council said the sale of Holm Park would pay for a new playground on the "
        "estate. Council leader Tom Ash said the deal was fair and the playground would open "
        "next year.\n\nMira Kell, 58, a retired teacher who chairs the residents' group, said "
        'she had heard the news on the radio. "They promised us a vote. Then they sold the '
        'park to a developer. A new playground is no answer to losing the whole park," she '
        "said.",
        "What did the retired teacher say about the new playground?",
    )
    assert (
        '"They promised us a vote [1]. Then they sold the park to a developer [1]. A new '
        "playground is no answer" in answer.answer
    )


@pytest.mark.parametrize(
    ("sentence", "question", "told"),
    [
        # a phrasal verb is told by its words
        ("The Gorsefield folk festival was called off on Thursday because of flooding.",
         "Was the Gorsefield festival eventually called off?", "called off"),
        ("Ashby's mayor, Tom Reyes, stepped down on Friday after a row over expenses.",
         "Did Tom Reyes eventually step down?", "stepped down"),
        ("Ashby's mayor, Tom Reyes, is expected to step down next week.",
         "Did Tom Reyes eventually step down?", None),
        # the question's verb is a stop word: the outcome is told by what follows it
        ("Tarrow's negotiators signed a deal with the mining company on Sunday.",
         "Did Tarrow finally get a deal?", "signed a deal"),
        ("Tarrow's negotiators hope to reach a deal with the mining company next month.",
         "Did Tarrow finally get a deal?", None),
        # the word after the marker is the event's verb, even one that is also a noun
        ("Dock workers in Harrowgate went on strike in May. The strike ended on Monday.",
         "Did the Harrowgate strike finally end?", "ended"),
        ("Dock workers in Harrowgate went on strike in May. The union said the strike could "
         "end next week.", "Did the Harrowgate strike finally end?", None),
    ],
)  # fmt: skip
def test_how_something_turned_out_is_told_by_the_event_as_asked(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, told: str | None
) -> None:
    """The event of "did X *end up* / *finally* ..." is found as its words are found
    elsewhere: a phrasal verb by its words ("called off"), the verb after the marker even
    when the word is also a noun ("finally *end*"), and, when the question's verb is only
    "get" or "be", by the words after it ("a *deal*"). (Before, "called off", "stepped
    down" and "signed a deal" were refused as untold, and "the strike could end" answered
    "did the strike finally end?" because "went on strike" told the strike as done.)"""
    ingest_text(
        briefing, tmp_path / "later.md", f"---\ntitle: Around the county\n---\n\n{sentence}\n"
    )
    assert_says_or_borderline(briefing, question, told)


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Ada Lind, the Skarholm harbour master, said the money would pay for dredging.", None),
        ("Ada Lind, who leads the dockers' union, said the union would not accept a rise "
         "below 5 percent.", "5 percent"),
    ],
)  # fmt: skip
def test_a_stance_qualified_like_a_post_is_not_who_someone_is(
    briefing: Briefing, tmp_path: Path, sentence: str, told: str | None
) -> None:
    """ "What is Ada Lind's *negotiating position*?" asks for her stance, not her post:
    the article that only names her post does not answer it, the one that gives her
    stance does. (Before, any word before the post was taken as qualifying it, the
    question was read as "who is Ada Lind?", and her post was given as the answer.)"""
    ingest_text(
        briefing,
        tmp_path / "skarholm.md",
        f"---\ntitle: Skarholm harbour\n---\n\nTalks at Skarholm resumed on Monday. {sentence}\n",
    )
    question = "What is Ada Lind's negotiating position?"
    assert_says_or_borderline(briefing, question, told)


@pytest.mark.parametrize(
    ("question", "told"),
    [
        ("how many cars fell into the sinkhole in newtown?", None),  # new town: a place
        ("how many cars went into the sinkhole in the carpark", "three cars"),  # car park
        ("how many cars fell into the sinkhole in wrenmouth?", "three cars"),
    ],
)
def test_a_lower_case_place_name_is_not_read_as_a_compound(
    briefing: Briefing, tmp_path: Path, question: str, told: str | None
) -> None:
    """ "newtown" typed in lower case is a town's name, not "town": the sources use "new"
    and "town" but never name Newtown, and the question is refused, not answered about
    Wrenmouth. "carpark" is still a car park, as the sources write it. (Before, any
    unknown word of two words the sources use was read as its head, and the question
    about Newtown was answered with Wrenmouth's sinkhole.)"""
    ingest_text(
        briefing,
        tmp_path / "sinkhole.md",
        "---\ntitle: Sinkhole Swallows Cars in Wrenmouth\n---\n\n"
        "A sinkhole opened in the town centre car park in Wrenmouth on Tuesday, swallowing "
        "three cars. The council said a new survey of the ground would start on Monday.\n",
    )
    assert_says_or_refused(briefing, question, told)


@pytest.mark.parametrize(
    ("sentence", "question", "told"),
    [
        # the question's own noun is no word of the future ...
        ("The Pellworth housing plans were approved by the council on Monday.",
         "Were the Pellworth housing plans eventually approved?", "were approved"),
        # ... unless "to" makes it one
        ("The Pellworth council plans to approve the housing plans next month.",
         "Were the Pellworth housing plans eventually approved?", None),
        # the month is no modal verb
        ("In May the Pellworth council approved the housing plan after a long debate.",
         "Did the Pellworth council eventually approve the housing plan?", "approved"),
        ("The Pellworth council may approve the housing plan after a long debate.",
         "Did the Pellworth council eventually approve the housing plan?", None),
        # a word of the future in another clause puts something else to come
        ("The Kelby pool, which was due for demolition, reopened on Saturday.",
         "Did the Kelby pool reopen?", "reopened"),
        ("The Kelby pool, which was due for demolition, reopened on Saturday.",
         "Did the Kelby pool eventually reopen?", "reopened"),
        ("The Kelby pool is due to reopen on Saturday after a refit.",
         "Did the Kelby pool eventually reopen?", None),
        # "due to" gives a cause before what is no verb's plain form
        ("The Kelby pool closed in May due to continued misuse of its changing rooms.",
         "was the misuse at the Kelby pool a one-off?", "continued misuse"),
        ("The Kelby pool closed in May due to the misuse of its changing rooms.",
         "Was the Kelby pool misused?", "due to the misuse"),
        # ... but a verb's plain form in -ed or -ing still foresees
        ("Dr Anna Reyes is due to succeed Mark Bell as head of Kelby General Hospital in "
         "June.", "Did Anna Reyes succeed Mark Bell at Kelby General Hospital?", None),
        ("The Kelby council is due to proceed with the sale of the old library next month.",
         "Has the Kelby council proceeded with the sale of the old library?", None),
    ],
)  # fmt: skip
def test_a_word_of_the_future_foresees_only_as_one(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, told: str | None
) -> None:
    """A word that can put the event still to come ("plans", "may", "due") does so only
    where it is that word: not the question's own noun ("the housing *plans* were
    approved"), not the month ("In *May* the council approved"), not in another clause
    ("which was *due* for demolition, reopened"), not "due to" a cause ("*due to*
    continued misuse"; but "due to *succeed*" is a verb's plain form, and foresees).
    (Before, each made the event told only
    as to come, and the question was refused: with "eventually" always, without it
    when no other word of the question told it done.)"""
    ingest_text(
        briefing, tmp_path / "news.md", f"---\ntitle: Around the county\n---\n\n{sentence}\n"
    )
    assert_says_or_borderline(briefing, question, told)


def test_a_hyphenated_word_is_one_word_between_a_number_and_what_it_counts(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "about 90 on-street parking spaces" counts the spaces: "on-street" is one word,
    not two that put the spaces beyond the reach of the number. (Before, only "14 berths
    spaced ..." counted them, by "spaced", and led.)"""
    lead = lead_from(
        briefing,
        tmp_path / "quay.md",
        "---\ntitle: Ostwick quay plan approved\n---\n\n"
        "The new quay will have 14 berths spaced 20 metres apart along the Ostwick "
        "harbour wall.\n\n"
        "Traders fear the loss of about 90 on-street parking spaces on Ostwick Road "
        "during the works.\n",
        "How many parking spaces will Ostwick Road lose?",
    )
    assert "90 on-street parking spaces" in lead


def test_a_number_right_after_the_question_s_verb_counts_what_it_was_done_to(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many pupils were enrolled?" is answered by "had enrolled 64 children": the
    number after the question's own verb counts what was enrolled, before "three people"
    who merely count as people. Not a number after a comma ("two car parks, one at ...")."""
    lead = lead_from(
        briefing,
        tmp_path / "school.md",
        "---\ntitle: Ostwick summer school ends\n---\n\n"
        "Three people attending the Ostwick summer school were taken ill after a trip to "
        "the coast, the organisers said.\n\n"
        "The Ostwick summer school, which closed on Friday, had enrolled 64 children from "
        "across the district.\n",
        "How many pupils were enrolled at the Ostwick summer school?",
    )
    assert "64 children" in lead
    ingest_text(
        briefing,
        tmp_path / "parks.md",
        "---\ntitle: Ostwick car parks\n---\n\nThe council will spend 8 million euros on "
        "two park-and-ride car parks, one at Ostwick and one on the northern ring road.\n",
    )
    assert_borderline(briefing, "How many parking spaces will the Ostwick park-and-ride have?")


@pytest.mark.parametrize(
    ("sentence", "question", "told"),
    [
        # "what did ... eventually conclude": what it came to, which news written before
        # the outcome cannot tell ...
        ("The Ostwick inquiry into the ferry collision will report its findings next "
         "spring, the transport minister said.",
         "What did the Ostwick inquiry eventually conclude about the ferry collision?", None),
        # ... and which a passage that tells it as done answers
        ("The Ostwick inquiry into the ferry collision concluded on Friday that the "
         "captain had ignored two warnings.",
         "What did the Ostwick inquiry eventually conclude about the ferry collision?",
         "concluded"),
        # "did ... ever": whether it happened at all
        ("Ostwick police have appealed for witnesses to the fire at the ferry terminal.",
         "Did the Ostwick police ever find out who started the ferry terminal fire?", None),
        ("Ostwick police found out who started the ferry terminal fire after a witness came "
         "forward.",
         "Did the Ostwick police ever find out who started the ferry terminal fire?",
         "found out"),
        # "ever ... before" asks about the past, not how something turned out
        ("It was the Ostwick ferry's second collision, after a trawler struck it in 2019.",
         "Was the Ostwick ferry ever hit by another vessel before?", "second collision"),
        # "did ... actually": whether it really happened
        ("Migration from Ostwick has been a concern since the memorandum was signed, "
         "officials said.",
         "Did migration from Ostwick actually drop after the memorandum was signed?", None),
        ("Migration from Ostwick dropped after the memorandum was signed, officials said.",
         "Did migration from Ostwick actually drop after the memorandum was signed?",
         "dropped"),
        # ... but in "What did they actually say?" it stresses the words
        ("Ostwick officials said the memorandum was a plan for talks.",
         "What did the Ostwick officials actually say about the memorandum?", "said"),
    ],
)  # fmt: skip
def test_what_something_came_to_needs_a_passage_that_tells_it(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, told: str | None
) -> None:
    """A question for what something came to ("What did the inquiry *eventually*
    conclude?", "Did the police *ever* find out ...?") is answered only by a passage that
    tells it as done; one that tells it as still to come, or not at all, leaves it
    borderline. (Before, the what-question was answered with the inquiry's plans, and
    "ever" asked nothing of the passages.)"""
    ingest_text(briefing, tmp_path / "news.md", f"---\ntitle: Around Ostwick\n---\n\n{sentence}\n")
    assert_says_or_borderline(briefing, question, told)


@pytest.mark.parametrize(
    "question",
    [
        "how many did the herald say were cancelled",
        "acc to the herald how many ferry sailings were cancelled",
    ],
)
def test_an_outlet_named_in_lower_case_says_which_story_answers(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "did the herald say", "acc to the herald": a word of an outlet's name that no
    passage says names the outlet, in lower case too, and its story answers. (Before,
    only a capitalised name was looked for in the outlet, and "herald", found in no text,
    left the question refused; "acc" was read as a name.)"""
    ingest_text(
        briefing,
        tmp_path / "herald.md",
        "---\ntitle: Storm halts Fenbury ferries\nsource: Fenbury Herald\n---\n\n"
        "Eleven ferry sailings were cancelled on Tuesday because of the storm, the "
        "harbour master said.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "wire.md",
        "---\ntitle: Fenbury ferry services disrupted\nsource: Northgate Press Agency\n---\n\n"
        "Nine ferry sailings were cancelled on Tuesday, the operator said.\n",
    )
    assert lead_of(grounded_answer(briefing, question)).startswith("Eleven ferry sailings")


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("A firefighter who was injured in the fire at the Harlow Street flats died three "
         "days later in hospital, fire officials said.",
         "How many people died in the Harlow Street fire?"),
        ("One family was detained 18 months at the Ostwick border centre before a court "
         "freed them.",
         "How many migrants were detained at the Ostwick border centre?"),
    ],
)  # fmt: skip
def test_a_length_of_time_after_the_question_s_verb_counts_nothing_it_was_done_to(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str
) -> None:
    """ "died three days later", "was detained 18 months": a number right after the
    question's verb that begins a length of time (or a measurement) says how long, not
    how many were done to, and gives no number of the people asked about. (Before, it
    counted them, and answered.)"""
    ingest_text(briefing, tmp_path / "news.md", f"---\ntitle: Around Ostwick\n---\n\n{sentence}\n")
    assert_borderline(briefing, question)


def test_an_outlet_named_only_in_a_page_s_masthead_says_which_story_answers(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A page whose metadata names no site names its outlet in the link to its home page:
    "According to the Lenhaven Courier" asks for that story. (Before, the page had no
    source, and "courier", found in no text, left the question refused.)"""
    ingest_text(
        briefing,
        tmp_path / "riot.html",
        "<html><head><title>Riot ends at Sarnow Prison</title></head><body><header>"
        '<a class="logo" href="/">The Lenhaven Courier</a><nav><a href="/news">News</a> '
        '<a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav></header><article>'
        "<h1>Riot ends at Sarnow Prison</h1><p>Two prisoners died in the riot at Sarnow "
        "Prison, which began on Saturday evening in Wing D.</p><p>Guards retook the wing "
        "after 19 hours, the justice ministry said.</p></article></body></html>",
    )
    ingest_text(
        briefing,
        tmp_path / "wire.md",
        "---\ntitle: Sarnow riot over\nsource: Edrith Advertiser\n---\n\n"
        "Guards retook the wing after 20 hours, families said.\n",
    )
    question = "According to the Lenhaven Courier, how long did the riot last?"
    lead = lead_of(grounded_answer(briefing, question))
    assert lead.startswith("Guards retook the wing after 19")


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("What has Duvessa done in response, and how much trade is at stake?",
         ["What has Duvessa done in response", "how much trade is at stake?"]),
        ("how many pts did rostholm lose and where does that leave them",
         ["how many pts did rostholm lose", "where does that leave them"]),
        ("Who signed the memorandum? When was it signed?",
         ["Who signed the memorandum", "When was it signed?"]),
        # a setting or framing before the first question word is no question
        ("going by the Advertiser, how many were hurt, and how many badly?",
         ["how many were hurt", "how many badly?"]),
        ("Apart from Kervel, which officials are named in the report?", []),
        ("What is the cost and who pays", []),  # parts too short to ask alone
        ("Is the agreement binding?", []),
        # a clause on the noun before it is no second question
        ("How much did Rostholm pay for the striker, who scored twice on Saturday?", []),
        ("What did the manager, who was sacked last year, say about the wages?", []),
        ("What happened at the plant, where workers struck, and how long did it last?",
         ["What happened at the plant, where workers struck", "how long did it last?"]),
        ("Which towns flooded, where were people moved to?",
         ["Which towns flooded", "where were people moved to?"]),
    ],
)  # fmt: skip
def test_the_parts_of_a_question_that_asks_two_things(question: str, parts: list[str]) -> None:
    from bot.core.phrasing import question_parts

    assert question_parts(question) == parts


def test_a_question_of_two_parts_is_answered_in_the_part_the_sources_answer(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many hens did Branovia cull, and which vaccine will vets use next winter?":
    the sources answer the first part and say nothing of the second; the first part is
    answered, from the story the whole question found, and a note says only that part
    was. (Before, the whole question was refused.) A part that needs the one before it
    ("where would *it* be held") is not asked alone."""
    ingest_text(
        briefing,
        tmp_path / "flu.md",
        "---\ntitle: Branovia culls hens as bird flu spreads\n---\n\nBranovia ordered the "
        "cull of 2.3 million hens on Monday after bird flu spread through the Gravik "
        "Valley.\n\nNeighbouring Duvessa has banned all imports of Branovian poultry and "
        "eggs. The trade is worth about 210 million velts a year.\n",
    )
    question = "How many hens did Branovia cull, and which vaccine will vets use next winter?"
    answer = grounded_answer(briefing, question)
    assert lead_of(answer).startswith("Branovia ordered the cull of 2.3 million hens")
    assert answer.note is not None and "How many hens did Branovia cull" in answer.note
    whole = grounded_answer(briefing, "How many hens did Branovia cull?")
    assert whole.note is None


def test_a_clause_on_a_name_is_not_a_part_of_the_question_answered_alone(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much did Rostholm pay for the striker Marek, who scored twice on Saturday?":
    the story says nothing of the fee. ", who scored twice" says which striker; it asks
    nothing, so it is not answered alone as if it were what was asked (before, the answer
    was who scored twice, noted as "the part" the sources answer)."""
    ingest_story(
        briefing,
        tmp_path / "marek.md",
        "Rostholm sign Marek",
        "Rostholm signed the striker Ivo Marek from Pellan on Friday. Marek scored twice on "
        "Saturday as Rostholm beat Dunmere 3-1.\n\nThe club's manager said Marek would "
        "start against Kessford next week. Rostholm are fourth in the league.",
    )
    for question in (
        "How much did Rostholm pay for the striker Marek, who scored twice on Saturday?",
        "What did the Rostholm manager, who was sacked last year, say about Marek's wages?",
    ):
        answer = briefing.ask(question)
        assert answer.standalone_question == question, answer.note
        assert answer.note is None


def test_acc_to_is_according_to_but_the_acc_is_a_name() -> None:
    """ "acc to the herald" (or "Acc to") is "according to", but "ACC" in capitals is a
    name, as other short forms are read only in lower case: "Why did Fenbury leave the
    ACC to join the SEC?" asks about the ACC. (Before, it read "leave the according to to
    join", and the ACC was no term of the question.)"""
    lexicon = Lexicon()
    terms = analyse("Why did Fenbury leave the ACC to join the SEC?", lexicon).terms
    assert "acc" in [t.word.lower() for t in terms]
    for question in ("acc to the herald how many sailings", "Acc. to the herald how many sailings"):
        assert [t.word for t in analyse(question, lexicon).terms] == ["herald", "sailings"]


def test_a_hyphenated_word_counted_by_its_last_part_with_either_hyphen() -> None:
    """ "three asylum-seekers" counts seekers, with the Unicode hyphen too."""
    from bot.core.candidates import _counts
    from bot.core.words import stem

    seekers = frozenset({stem("seekers")})
    assert _counts("Police held three asylum-seekers overnight.", seekers)
    assert _counts("Police held three asylum\u2010seekers overnight.", seekers)
    assert not _counts("Police held three asylum\u2010seekers overnight.", frozenset({"x"}))


def test_a_word_the_sources_never_use_is_found_by_what_it_is_a_kind_of(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The "burglars" of a question are the "thieves" of the story: a word that neither
    the corpus nor its synonyms use is found, as a synonym, by the one-word name of what
    its commonest sense is a kind of, when the corpus uses that (before, "burglars" was a
    rare word the sources never use, and the question was refused). Only a word of one
    meaning and one kind, and not by an everyday kind ("part")."""
    lexicon = Lexicon()
    assert "thief" in lexicon.kind_words("burglars")
    assert lexicon.kind_words("piece") == ()
    assert "part" not in lexicon.kind_words("allowance")
    # a word of two kinds (a tsunami is a disaster and a wave) or two senses (a trawler
    # is first a fisherman) is not found by either
    assert lexicon.kind_words("tsunami") == ()
    assert lexicon.kind_words("trawler") == ()
    lead = lead_from(
        briefing,
        tmp_path / "museum.md",
        "---\ntitle: Ostwick museum raided\n---\n\n"
        "Thieves got into the Ostwick Museum through a skylight early on Sunday and took "
        "two silver clocks.\n",
        "How did the burglars get into the Ostwick museum?",
    )
    assert "through a skylight" in lead


def test_a_person_the_sources_never_name_is_found_by_the_group_they_belong_to(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The "cops" of a question are the "police" of the story: a word for a person that
    neither the corpus nor its synonyms or kinds use is found, as a synonym, by the group
    WordNet says its commonest sense (or that sense's kind) is a member of, when the
    corpus names it (before, "cops" was a rare word the sources never use, and the
    question was refused). A group of people only, by its first name: not a place whose
    people are its members, nor the police as "the law"."""
    lexicon = Lexicon()
    assert lexicon.group_words("cops") == ("police",)
    assert "council" in lexicon.group_words("councillors")
    assert "jury" in lexicon.group_words("jurors")
    # WordNet's "taco" is first a Mexican, a member of Mexico: a place, not a group
    assert lexicon.group_words("taco") == ()
    assert lexicon.group_words("workers") == ()  # of "people": everyone is
    lead = lead_from(
        briefing,
        tmp_path / "raid.md",
        "---\ntitle: Brannoch jeweller raided\n---\n\n"
        "Police arrived 14 minutes after the alarm and arrested two men on Sunday after a "
        "raid on a jeweller in the town's market square.\n",
        "did the cops arrest anyone",
    )
    assert "arrested two men" in lead


def test_a_yes_no_question_is_settled_by_any_negative_word(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A yes/no question is settled by the sentence that says no, in any of English's
    negative words: "nobody", "none", "nothing" and every verb's "n't" (with either
    apostrophe), not only "not", "no" and a few contractions (before, "Nobody was
    injured" counted as no answer to "Was anybody injured?", and the story's first
    sentence led)."""
    from bot.core.expected import NEGATIVE

    for negative in ("hasn't", "weren\u2019t", "couldn't", "none", "nothing", "nowhere"):
        assert NEGATIVE.search(f"Police said {negative} had been found"), negative
    assert not NEGATIVE.search("Nobelists and nonetheless notable")
    lead = lead_from(
        briefing,
        tmp_path / "fire.md",
        "---\ntitle: Fire destroys Brenfold warehouse\n---\n\n"
        "A fire destroyed a furniture warehouse on the Brenfold industrial estate on "
        "Sunday night, and firefighters from three stations fought the blaze until dawn.\n\n"
        "Nobody was injured in the fire, the fire service said.\n\n"
        "Fire investigators were at the Brenfold site on Monday to look at what caused "
        "the blaze.\n\n"
        "By the evening investigators still haven\u2019t found the cause.\n",
        "Was anybody injured in the Brenfold warehouse fire?",
    )
    assert "Nobody was injured" in lead


@pytest.mark.parametrize(
    ("title", "answer", "idiom", "question"),
    [
        (
            "Harrowgate council approves library budget",
            "Harrowgate council approved the library budget on Tuesday by seven votes to two.",
            "Opposition councillor Dana Pruitt said the library budget the council approved "
            "was nothing less than a disgrace.",
            "Did Harrowgate council approve the library budget?",
        ),
        (
            "Kelbury names new hospital chief",
            "Kelbury's hospital trust has appointed a new chief executive, the trust said on "
            "Monday.",
            "The new chief executive of the hospital trust is none other than Mara Quist, who "
            "ran the Dunmore clinic.",
            "Has the Kelbury hospital trust appointed a new chief executive?",
        ),
        (
            "Fenmoor bridge reopens",
            "The Fenmoor bridge reopened to traffic on Thursday after eight months of repairs.",
            "Drivers had nothing but praise for the repaired bridge when it reopened, the "
            "council said.",
            "Has the Fenmoor bridge reopened?",
        ),
        (
            "Brisling ferry service to resume",
            "The Brisling ferry service will resume on 4 May after a two-month break, the "
            "operator said.",
            "Local trader Ewan Pask said residents couldn't wait for the ferry service to resume.",
            "Will the Brisling ferry service resume?",
        ),
        (
            "Storm hits Ashby coast",
            "A storm hit the Ashby coast on Tuesday night and people were injured by falling "
            "trees.",
            "Nobody doubted that the storm would hit the coast, forecasters said.",
            "Did the storm hit the Ashby coast?",
        ),
    ],
)
def test_a_negative_word_that_affirms_does_not_settle_a_yes_no_question(
    briefing: Briefing, tmp_path: Path, title: str, answer: str, idiom: str, question: str
) -> None:
    """A negative word in an idiom that affirms ("nothing less than", "none other than",
    "nothing but", "couldn't wait", "nobody doubted") says no to nothing: the sentence
    that holds it does not get the bonus of the sentence that settles a yes/no question,
    and the sentence that does settle it leads (before, the idiom's sentence, which
    holds more of the question's words, led)."""
    lead = lead_from(
        briefing,
        tmp_path / "story.md",
        f"---\ntitle: {title}\n---\n\n{answer}\n\n{idiom}\n\nMore details will follow.\n",
        question,
    )
    assert lead in answer

    from bot.core.expected import denies

    for affirming in (
        "It was nothing short of a triumph",
        "I couldn't be happier with the result",
        "We could not be prouder",
        "I couldn\u2019t agree more",
        "There is no doubt it will open",
        "It is not only cheaper but faster",
    ):
        assert not denies(affirming, question), affirming
    for denying in ("It can't be over yet", "The union won't wait for the council"):
        assert denies(denying, question), denying


@pytest.mark.parametrize(
    ("title", "answer", "untold", "question"),
    [
        (
            "Grenholt factory to close",
            "The Grenholt textile factory will close in September, its owner said, with the "
            "loss of 140 jobs.",
            "Nobody knows yet what will happen to the factory site after it closes.",
            "Will the Grenholt factory close?",
        ),
        (
            "Velmar plant sale agreed",
            "Velmar has agreed to sell its Dunford chemical plant to Orrin Industries, the "
            "company said.",
            "Velmar wouldn't say how much Orrin Industries would pay for the Dunford plant.",
            "Has Velmar agreed to sell the Dunford plant?",
        ),
    ],
)
def test_what_is_not_told_does_not_settle_a_yes_no_question(
    briefing: Briefing, tmp_path: Path, title: str, answer: str, untold: str, question: str
) -> None:
    """A negated verb of knowing or telling before a question word ("Nobody knows what
    will happen", "Velmar wouldn't say how much") says what is not told, not that what
    was asked did not happen, so it settles a yes/no question only when the question asks
    what was told ("Have they said when they'll meet?"); the sentence that does settle
    it leads."""
    lead = lead_from(
        briefing,
        tmp_path / "story.md",
        f"---\ntitle: {title}\n---\n\n{answer}\n\n{untold}\n\nMore details will follow.\n",
        question,
    )
    assert lead in answer

    from bot.core.expected import denies

    assert denies(untold, "Has Velmar said how much Orrin Industries will pay?")
    assert denies(untold, "Have they announced what they'll pay?")


def test_a_person_is_not_found_by_a_group_when_either_word_means_something_else(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A word for a person is read as the group it belongs to only when every sense
    WordNet gives it is a member of that group, and every sense of the group's name is a
    group of people: an "inspector" is also an examiner (a health inspector is no police
    officer), an "auditor" also an accountant (WordNet's first is a hearer, of an
    "audience"); and a "centrist" is a member of the "center", whose commonest sense is a
    place, a "juror" of a "panel", also a flat sheet (a solar farm's), a "professor" of
    the "staff", also a stick. Before, each off-topic question below was answered from a
    story that never names its people."""
    lexicon = Lexicon()
    assert lexicon.group_words("jurors") == ("jury",)
    for word in ("inspectors", "auditors", "moderates", "centrists", "professor", "baby"):
        assert lexicon.group_words(word) == (), word
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "center",
                "Community center reopens",
                "The Brannoch community center reopened on Monday after a $2 million "
                "refit, the center's manager said.",
            ),
            (
                "restaurant",
                "Fight at restaurant",
                "Police were called to a restaurant on Brannoch high street on Friday "
                "after a fight broke out.",
            ),
            (
                "solar",
                "Solar farm approved",
                "A solar farm with 20,000 panels will be built outside Ostwick, the "
                "council decided on Wednesday.",
            ),
        ],
    )
    for question in (
        "what did the moderates say about the center",
        "what did the centrists say about the refit",
        "what did the inspectors find at the restaurant",
        "what did the jurors decide",
        "how many jurors were there",
    ):
        assert_says_or_refused(briefing, question, None)


def test_who_were_the_two_asks_for_their_names_beside_them(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who were the two fishermen ...?" already knows how many there were and asks who:
    a sentence about the fishermen that names someone else ("the coastguard's station
    officer, Helen Marsh") does not say, so the question is not answered from it (before,
    any new name in a sentence with the fishermen let it through). Named beside them
    ("The two fishermen, Ade Colley and Tom Brine,"), they are the answer."""
    ingest_text(
        briefing,
        tmp_path / "drowned.md",
        "---\ntitle: Two drown off Carrow Point\n---\n\n"
        "Two fishermen drowned when their boat capsized off Carrow Point on Sunday, and "
        "the coastguard's station officer, Helen Marsh, said the sea had been calm.\n",
    )
    assert_says_or_refused(
        briefing, "who were the two fishermen who drowned off carrow point", None
    )
    ingest_text(
        briefing,
        tmp_path / "named.md",
        "---\ntitle: Carrow Point drowning victims named\n---\n\n"
        "The two fishermen, Ade Colley and Tom Brine, had worked out of Carrow harbour for "
        "twenty years, their families said on Monday.\n",
    )
    answer = grounded_answer(briefing, "who were the two fishermen who drowned off carrow point")
    assert "Ade Colley and Tom Brine" in answer.answer


def test_how_big_a_fine_asks_for_an_amount_of_the_fine(briefing: Briefing, tmp_path: Path) -> None:
    """ "How big a fine ...?" and "how large is the fee" ask for an amount of the fine or
    the fee, as "how much was the fine" does (the noun after the size, when it is a
    measure: :meth:`Lexicon.measure`), so a story that gives some other sum does not
    answer it (before, "fine" was one word of the question among others, and the water
    company's profit was given as the answer). A thing's size is no amount of it: "how
    big is the reservoir" asks no measure."""
    from bot.core.query import analyse

    lexicon = Lexicon()
    assert analyse("How big a fine did Harnley Water get?", lexicon).measure == "money"
    assert analyse("how large is the fee", lexicon).measure == "money"
    assert analyse("how big is the Harnley reservoir", lexicon).measure is None
    ingest_text(
        briefing,
        tmp_path / "sewage.md",
        "---\ntitle: Harnley Water faces inquiry over sewage\n---\n\n"
        "Harnley Water is being investigated by the environment regulator after releasing "
        "untreated sewage into the River Tarle on 19 days since May, the regulator said. "
        "The company made a profit of 41 million pounds last year.\n",
    )
    assert_says_or_refused(briefing, "How big a fine did Harnley Water get over the sewage?", None)
    lead = lead_from(
        briefing,
        tmp_path / "fined.md",
        "---\ntitle: Harnley Water fined over sewage\n---\n\n"
        "The regulator fined Harnley Water 2.4 million pounds on Friday for the sewage "
        "releases into the River Tarle.\n",
        "How big a fine did Harnley Water get over the sewage?",
    )
    assert "2.4 million pounds" in lead


def test_a_word_wordnet_gives_no_kind_of_is_found_by_its_definition(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The "rubbish" of a question is the story's burning "material": a noun that
    neither the corpus nor its synonyms use, and that WordNet gives no kind or group of,
    is found (as a synonym) by what its commonest sense's definition says it is, its
    genus ("worthless material that is to be disposed of"), when the corpus uses it (before,
    "rubbish" was a rare word the sources never use, and the question was refused). Only
    the commonest sense, by WordNet's sense-tagged counts: "taco" is first an ethnic slur
    whose definition says "Mexican", a word of the seed, and an off-topic question about
    tacos stays refused."""
    lexicon = Lexicon()
    assert lexicon.genus("rubbish", "n") == ("material",)
    assert lexicon.genus("grumble", "n") == ("noise",)  # "a loud low dull ... noise"
    assert lexicon.genus("taco", "n") == ()
    # (an everyday genus finds nothing: a "gang" is "an association of criminals", a
    # "lawyer" "a professional person authorized to practice law")
    assert lexicon.genus("gang", "n") == lexicon.genus("lawyer", "n") == ()
    lead = lead_from(
        briefing,
        tmp_path / "depot.md",
        "---\ntitle: Greystock depot fire\n---\n\n"
        "Roughly 800 tonnes of plastic and other material were still burning at the "
        "Greystock depot on Monday, the fire service said.\n",
        "how much rubbish was still burning",
    )
    assert "800 tonnes" in lead
    assert_says_or_refused(briefing, "any good taco spots near the office", None)


@pytest.mark.parametrize(
    "question",
    [
        "What caused the smoke?",  # "a cloud of fine particles suspended in a gas"
        "Which army was involved?",  # "a permanent organization of the military land forces"
        "When did the riot start?",  # "a public act of violence by an unruly mob"
        "What did the witnesses see?",  # "someone who sees an event and reports ..."
        "What did the queen say about the deal?",  # "... insects such as bees ..."
    ],
)
def test_only_what_a_definition_says_a_thing_is_finds_it(briefing: Briefing, question: str) -> None:
    """A definition names what its word is (its genus: "rubbish" is "material") and then
    how it differs from others of that kind; only the genus finds the word. The words of
    the difference say what the thing does or has, and news uses them of anything:
    "smoke" is "a cloud of fine particles suspended in a gas", and the seed's Department
    of Defense "suspended aid"; an "army" is "... of the military land forces", and the
    seed has "task forces"; a "riot" is "a public act of violence", and the seed speaks of
    "insecurity and violence"; a "witness" is "someone who sees an event", and "It was
    seen in August 2018". None of these out-of-scope questions was answered before the
    definition was read, and each was answered with one of those sentences (the queen's
    "bees", as a verb, even took the irregular forms of "be": "was", "were")."""
    assert_says_or_refused(briefing, question, None)


def test_a_definitions_asides_do_not_displace_the_answer(full_briefing: Briefing) -> None:
    """A "piece" is "a separate part of a whole": its "separate" found the explainer's
    programmes "funded separately", whose sentences took the place of the analyst's
    "anti-corruption reforms" in the answer (a fact of this dev question, answered by
    the question's other words before the definition was read)."""
    answer = grounded_answer(
        full_briefing, "Which systemic issues does the piece argue have to be dealt with?"
    )
    assert "corruption" in answer.answer


def test_who_were_the_two_is_answered_by_as_many_names_further_off(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who were the two hikers?" is answered by a sentence that speaks of the hikers and
    names two people, though a clause stands between ("the two hikers, who had set out
    from the car park at Ardmore on Thursday morning, were Ewan Tollis, 34, and Priya
    Halloran, 29") or the naming is told by whom ("named by relatives as Musa Ibo and
    Kofi Ade"): a name more than a few words off is no evidence on its own, but as many
    names as the question counts are. And a year is no count: "Who were the 2019
    winners?" does not know how many there were, so any new name with the winners will
    do, as for "Who were the winners?"."""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "hikers",
                "Two hikers rescued on Glen Torr",
                "Two hikers who had been missing for two days were found alive on Glen Torr "
                "on Saturday. Rescuers said the two hikers, who had set out from the car park "
                "at Ardmore on Thursday morning, were Ewan Tollis, 34, and Priya Halloran, 29.",
            ),
            (
                "traders",
                "Two traders killed in Vessa market shooting",
                "Two traders were killed in Vessa when gunmen opened fire on the market. The "
                "traders were later named by relatives as Musa Ibo and Kofi Ade.",
            ),
            (
                "prize",
                "Harlan Prize winners announced",
                "The 2019 winners of the Harlan Prize, announced at a ceremony in the old town "
                "hall on Friday evening, were the poets Ada Reyes and Tom Brine.",
            ),
        ],
    )
    assert_says_or_refused(briefing, "who were the two hikers rescued on glen torr", "Ewan Tollis")
    assert_says_or_refused(briefing, "Who were the two traders killed in Vessa?", "Musa Ibo")
    assert_says_or_refused(briefing, "Who were the 2019 winners of the Harlan Prize?", "Ada Reyes")
    assert_says_or_refused(briefing, "who were the two winners of the harlan prize", "Ada Reyes")


def test_a_sum_in_words_states_an_amount_of_money(briefing: Briefing, tmp_path: Path) -> None:
    """ "How big a ransom ...?" asks for an amount of money (d6b01c8), and news writes a
    round sum in words with its scale: "half a million dollars", "three million euros".
    Such a sum states the amount; before, only digits or a currency sign did, so the
    question was refused."""
    ingest_story(
        briefing,
        tmp_path / "ransom.md",
        "Engineer kidnapped in Vessa",
        "Kidnappers demanded a ransom of half a million dollars for the release of the "
        "engineer Tom Vale, his employer said.",
    )
    question = "How big a ransom did the kidnappers demand for Tom Vale?"
    assert_says_or_refused(briefing, question, "half a million dollars")


def test_who_founded_asks_for_a_founding_told_with_its_founder(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who founded Pettigrew's?" asks for the founder: a story that tells the founding
    and not by whom ("Pettigrew's was founded in Tannerby in 1889") does not answer it
    (before, it did, with that sentence). Told with the founder ("set up in 1995 by Joan
    Ashby", "its founder", "Tom Hale started"), it does; and a question whose word only
    shares a family with "establish" ("Which body has opened an inquiry?") asks for no
    founding at all."""
    ingest_text(
        briefing,
        tmp_path / "biscuits.md",
        "---\ntitle: Pettigrew's biscuit factory to close\n---\n\n"
        "Pettigrew's, the biscuit maker, is to close its factory on Station Road. "
        "Pettigrew's was founded in Tannerby in 1889 and is best known for its ginger "
        "biscuits. The regulator has opened an inquiry into the closure.\n",
    )
    assert_says_or_refused(briefing, "who founded pettigrew's", None)
    assert_says_or_refused(
        briefing, "Which body has opened an inquiry into the closure?", "regulator"
    )
    ingest_text(
        briefing,
        tmp_path / "bakery.md",
        "---\ntitle: Ashby's bakery turns thirty\n---\n\n"
        "Ashby's bakery in Harlow Street was set up in 1995 by Joan Ashby, who still bakes "
        "there every morning.\n",
    )
    assert_says_or_refused(briefing, "who founded ashby's bakery", "Joan Ashby")


@pytest.mark.parametrize(
    ("question", "text", "says"),
    [
        (
            "who founded the harrow trust",
            "Ada Lind, who founded the charity in 1990, still chairs its board.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "Founded by the teacher Ada Lind in 1990, the charity has helped 4,000 children.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "The Harrow Trust was founded in 1990 in a small office above a bakery on Station "
            "Road in Velmora by the teacher Ada Lind.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "Ada Lind and Bo Kerr jointly founded the charity in 1990.",
            "Bo Kerr",
        ),
        (
            "who set up the harrow trust",
            "Ada Lind was 24 when she set up the charity in 1990.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "The charity, founded in 1990, was the brainchild of the teacher Ada Lind.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "The charity, founded in 1990, has helped 4,000 children. Its creator, Ada Lind, "
            "still chairs its board.",
            "Ada Lind",
        ),
        (
            "who founded the harrow trust",
            "The charity was founded in Velmora in 1990 and was bought by Calveron Care in 2001.",
            None,
        ),
    ],
)
def test_a_founder_is_told_in_the_ways_news_tells_one(
    briefing: Briefing, tmp_path: Path, question: str, text: str, says: str | None
) -> None:
    """ "Who founded the Harrow Trust?" is answered by a founding told with its founder in
    any of the ways news tells one: after the verb, however far ("founded in 1990 in a
    small office ... by"), at the start of a sentence ("Founded by"), as who did it
    ("who founded", "she set up", "jointly founded"), as its "brainchild", or as "its
    creator" in a sentence of its own (before, only a capitalised word right before the
    verb, or "by" within 40 characters of it, counted, so all these were refused). A
    "by" across a clause ("founded in 1990 and was bought by") is no founder's."""
    ingest_text(
        briefing,
        tmp_path / "trust.md",
        "---\ntitle: The Harrow Trust marks thirty years\n---\n\n"
        "The Harrow Trust, a children's charity in Velmora, marks thirty years this week. "
        f"{text}\n",
    )
    assert_says_or_refused(briefing, question, says)


def test_the_name_of_a_person_described_by_age_is_a_person_s_name(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What was the name of the 19-year-old rider ...?" asks for a person's name beside
    the rider: the age before the noun is read as a modifier (before, "year" was taken
    for the thing whose name was asked), and a person's name is wanted for a person, so
    "Kelby Road" beside the rider does not answer it. Named, the rider is the answer."""
    from bot.core.phrasing import asked_noun
    from bot.core.query import analyse

    lexicon = Lexicon()
    flat = "what was the name of the 19 year old rider who died".split()
    assert asked_noun(flat, lexicon) == "rider"
    assert asked_noun("who is the six month old baby".split(), lexicon) == "baby"
    assert analyse("what was the name of the 19-year-old rider", lexicon).answer_type == "who"
    ingest_text(
        briefing,
        tmp_path / "crash.md",
        "---\ntitle: Rider dies in Quillerton crash\n---\n\n"
        "A 19-year-old rider died after his e-scooter hit a van on Kelby Road in "
        "Quillerton on Sunday night, police said.\n",
    )
    question = "What was the name of the 19-year-old rider who died in Quillerton?"
    assert_says_or_refused(briefing, question, None)
    ingest_text(
        briefing,
        tmp_path / "named.md",
        "---\ntitle: Quillerton rider named\n---\n\n"
        "The rider, Tom Ashe, 19, a student, died in Quillerton, his family said on Monday.\n",
    )
    assert_says_or_refused(briefing, question, "Tom Ashe")


def test_a_sum_in_a_currency_s_iso_code_is_money(briefing: Briefing, tmp_path: Path) -> None:
    """ "CHF 64 million" and "NOK 300,000" are sums of money: a currency's ISO 4217 code
    (from Babel's CLDR data), in capitals before the number or after it, as well as its
    name or sign (before, only "USD", "EUR" and "GBP" after a number were). A code that
    is also an English word is left out: "TOP 10" is no sum."""
    from bot.core.amounts import money

    for text in ("turnover was CHF 64 million last year", "paid NOK 300,000", "40 USD"):
        assert money().search(text), text
    assert not money().search("the TOP 10 reasons")
    lead = lead_from(
        briefing,
        tmp_path / "leak.md",
        "---\ntitle: Verbalo recordings exposed\n---\n\n"
        "The translation app Verbalo left 2.3 million recordings open online. Under data "
        "protection law Verbalo could face a fine of up to 4 percent of its turnover, "
        "which was CHF 64 million last year.\n",
        "how big a fine could verbalo face",
    )
    assert "CHF 64 million" in lead


@pytest.mark.parametrize(
    ("title", "text", "question"),
    [
        (
            "Valdoria school plan",
            "The education ministry says the new programme will help Valdoria meet SDG 4 by "
            "2030. It will reach 40 schools in the northern provinces.",
            "how much will the valdoria school programme cost",
        ),
        (
            "Kestrel lander passes tests",
            "The Kestrel lander has reached TRL 6, the agency said on Monday. Its first flight "
            "is planned for 2028 from the Solvik base.",
            "how much does the kestrel lander cost",
        ),
        (
            "Ardent platform",
            "The Ardent platform, which runs on PHP 8, is used by 300 councils across "
            "Valdoria. Its makers say it is the most popular in the region.",
            "how much does the ardent platform cost",
        ),
        (
            "New coupe",
            "The new Mercedes CLE 300 coupe goes on sale in Valdoria in March, with a "
            "2.0-litre engine and four seats.",
            "how much does the new mercedes coupe cost",
        ),
        (
            "Valdoria goals report",
            "The government of Valdoria presented its 2024 SDG report on Monday, saying that "
            "most of the goals are off track.",
            "how much is valdoria spending on the goals",
        ),
        (
            "Mission approved",
            "The Helios mission to the Sun was approved by the 22 ESA member states in "
            "Seville on Thursday.",
            "how much will the helios mission cost",
        ),
    ],
)
def test_an_acronym_that_is_also_a_currency_code_beside_a_small_number_is_no_sum(
    briefing: Briefing, tmp_path: Path, title: str, text: str, question: str
) -> None:
    """Many ISO 4217 codes are also the acronyms news writes beside a number: "SDG 4" (a
    development goal; the Sudanese pound), "TRL 6" (a readiness level; the old Turkish
    lira), "PHP 8", "CLE 300" (a car), "2024 SDG report", "22 ESA member states". A code
    is money beside a number only as sums in a code are written, scaled ("CHF 64
    million", "USD5m"), in the thousands ("NOK 300,000") or in cents ("EUR 12.50"); so a
    question for a cost that the story does not give is refused (before, each was
    answered with the acronym's sentence)."""
    from bot.core.amounts import money

    for sum_ in ("CHF 64 million.", "USD5m.", "NOK 300,000", "EUR 12.50", "64 million CHF."):
        assert money().search(sum_), sum_
    for acronym in ("SDG 4", "TRL 6", "PHP 8.3", "CLE 300", "2024 SDG", "22 ESA", "SSP5-8.5"):
        assert not money().search(acronym), acronym
    ingest_story(briefing, tmp_path / "story.md", title, text)
    assert_says_or_refused(briefing, question, None)


def test_an_amount_per_unit_is_one_of_the_kind_asked(briefing: Briefing, tmp_path: Path) -> None:
    """ "How much does a Verbalo subscription cost per month?" asks for a sum a month: a
    sentence that gives a number a month of something else ("11 million monthly users")
    beside a sentence with a sum ("$64 million" of turnover) does not answer it (before,
    the rate and the sum were looked for in any sentences of a passage, and the question
    was answered with the turnover)."""
    ingest_text(
        briefing,
        tmp_path / "app.md",
        "---\ntitle: Verbalo app grows\n---\n\n"
        "Verbalo, a translation app, says it has about 11 million monthly users. Its "
        "turnover was $64 million last year.\n",
    )
    question = "how much does a verbalo subscription cost per month"
    assert_says_or_refused(briefing, question, None)


def test_two_words_the_corpus_writes_as_one_are_that_word(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "fire fighters" is the story's "firefighters": two question words written apart,
    the second not in the corpus, are read as the one word the corpus writes them as, and
    what the question asks for stays asked (before, "fighters" was a word the sources
    never use, and "how many" found no number of them)."""
    lead = lead_from(
        briefing,
        tmp_path / "fire.md",
        "---\ntitle: Ostwick warehouse fire\n---\n\n"
        "At its height 45 firefighters were at the Ostwick warehouse, which burned for most "
        "of Sunday.\n",
        "how many fire fighters were at the ostwick warehouse",
    )
    assert "45 firefighters" in lead


@pytest.mark.parametrize(
    "question",
    [
        "who were the 2 wardens that found the seal on ostwick beach",
        "what 2 wardens found the seal on ostwick beach",
    ],
)
def test_how_many_things_are_asked_for_is_no_name_to_find(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "the 2 wardens", "what 2 wardens": the number says how many the answer names, not
    a name a passage must hold (before, "2" had to be in the passage, and a story that
    names the two wardens without counting them left the question refused)."""
    lead = lead_from(
        briefing,
        tmp_path / "seal.md",
        "---\ntitle: Seal rescued at Ostwick\n---\n\n"
        "Wardens Ada Lind and Tom Reyes found the injured seal on Ostwick beach on Sunday "
        "morning.\n",
        question,
    )
    assert "Ada Lind and Tom Reyes" in lead


def test_the_sentence_that_gives_as_many_as_asked_for_leads(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What three core areas does the accord cover?" is answered where the story gives
    three of something ("The text rests on three pillars"), the sentences after it
    listing them (before, the sentence about the accord's signing, which holds more of
    the question's words, led)."""
    lead = lead_from(
        briefing,
        tmp_path / "accord.md",
        "---\ntitle: Ostwick and Kelby sign accord\n---\n\n"
        "The core areas of cooperation were agreed when Ostwick and Kelby signed the "
        "cyber accord on Thursday, after two years of talks between the two neighbours. "
        "The text rests on three pillars. The first is incident response. The second is "
        "threat sharing. The third is training.\n",
        "What three core areas does the cyber accord between Ostwick and Kelby cover?",
    )
    assert lead.startswith("The text rests on three pillars")


def test_two_words_written_apart_are_not_joined_into_a_name(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "the new castle" is not the sources' Newcastle: two words written apart are read
    as the one word the corpus writes them as only when that is a word, not a name (a
    town's name is often two common words), else a question about a thing the sources
    never name is answered about a place (before, "new castle" became "newcastle" and
    the question was answered from the Newcastle story)."""
    ingest_text(
        briefing,
        tmp_path / "newcastle.md",
        "---\ntitle: Ostwick news\n---\n\n"
        "Newcastle council said on Sunday that the stadium near Ostwick would open in May.\n",
    )
    assert_borderline(briefing, "which new castle near ostwick will open in may")


def test_a_word_written_twice_apart_is_joined_not_lost(briefing: Briefing, tmp_path: Path) -> None:
    """ "paw paw" is the story's "pawpaw": a word doubled is one term, the joined word
    (before, the pair's first word and its second were the same term, which was dropped
    as the first of the pair: the question lost it)."""
    ingest_text(
        briefing,
        tmp_path / "trees.md",
        "---\ntitle: Ostwick trees\n---\n\n"
        "Ostwick planted 300 oak trees in March and 40 pawpaw trees on Sunday.\n",
    )
    with briefing.db.session() as session:
        query, _, _ = briefing.retriever.analyse(
            session, "how many paw paw trees did ostwick plant"
        )
    assert "pawpaw" in {t.word for t in query.terms}


def test_what_a_question_says_of_two_words_it_says_of_the_one_they_join_into(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What did the fire fighters say?" asks for the firefighters' words: once the two
    words are read as the corpus's one, the speaker is that word (before, the speaker
    stayed "fighters", a term no longer in the question, and no passage gave its words)."""
    ingest_text(
        briefing,
        tmp_path / "fire.md",
        "---\ntitle: Ostwick fire\n---\n\n"
        '"It was the worst fire in years," the firefighters at the Ostwick warehouse said.\n',
    )
    question = "What did the fire fighters say about the ostwick warehouse?"
    with briefing.db.session() as session:
        query, _, _ = briefing.retriever.analyse(session, question)
    assert query.speaker == "firefighters"
    assert "worst fire in years" in grounded_answer(briefing, question).answer


@pytest.mark.parametrize(
    "question",
    [
        "Which 2019 law banned the sale of vapes in Ostwick?",
        "What 22 July hearing did the Ostwick court hold on vapes?",
    ],
)
def test_a_year_or_a_day_after_which_is_a_name_not_a_count(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "which 2019 law", "what 22 July hearing": a number right after "which" or "what"
    that is a year, or the day of a date, names the thing asked for; it does not count it.
    A story of the 2021 law and the 23 July hearing does not answer (before, the year and
    the day were read as how many things were asked for, no name a passage must hold,
    and the other year's law and the other day's hearing were given)."""
    ingest_text(
        briefing,
        tmp_path / "vapes.md",
        "---\ntitle: Vape ban in Ostwick\n---\n\n"
        "The 2021 law banned the sale of flavoured vapes in Ostwick shops. At the 23 July "
        "hearing, the Ostwick court heard the traders' case against the ban on vapes.\n",
    )
    assert not briefing.ask(question).answered
    assert analyse(question, Lexicon()).count is None


def test_a_number_written_with_commas_is_not_counted_by_its_first_digits() -> None:
    """ "what 1,000 homes": the count asked for is not "1" (before, the number's first
    digits, read apart from the rest, were taken as how many things were asked for)."""
    assert analyse("What 1,000 homes were flooded in Ostwick?", Lexicon()).count is None


@pytest.mark.parametrize(
    "measured",
    [
        "Spending on the core areas of the accord will rise by three per cent.",
        "The core areas of the accord were agreed after three weeks of talks.",
        "It is a 3-year accord on core areas.",
        "The core areas of the accord will get 3 million euros.",
    ],
)
def test_a_time_or_a_percentage_is_not_as_many_as_asked_for(
    briefing: Briefing, tmp_path: Path, measured: str
) -> None:
    """ "What 3 core areas does the accord cover?" is not answered by "three per cent",
    "three weeks", "a 3-year accord" or "3 million euros": those say how much or how
    long, not three of something (before, they were taken to give as many as the
    question asks for, and the one of them with most of the question's words led instead
    of "three pillars")."""
    lead = lead_from(
        briefing,
        tmp_path / "accord.md",
        "---\ntitle: Ostwick and Kelby sign accord\n---\n\n"
        f"Ostwick and Kelby signed the cyber accord on Thursday. {measured} "
        "The text rests on three pillars. The first is incident response. The second is "
        "threat sharing. The third is training.\n",
        "What 3 core areas does the cyber accord between Ostwick and Kelby cover?",
    )
    assert lead.startswith("The text rests on three pillars")


@pytest.mark.parametrize(
    "question",
    [
        "What are the 3 core areas of the cyber accord between Ostwick and Kelby?",
        "Name the 3 core areas of the Ostwick and Kelby cyber accord",
    ],
)
def test_a_count_before_a_word_that_says_what_kind_of_thing_is_asked_is_a_count(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "the 3 core areas": a number before the noun asked for, with words between that
    say what kind of it ("core"), says how many the answer names, as "the 3 areas" does
    (before, only a number right before the noun was a count, so "3" stayed a name every
    passage must hold, and a story that lists the areas without counting them left the
    question refused). But "How many 3 bedroom flats ...?" asks for the count itself:
    its "3" is no count of the things asked for; nor is the number of "the 10 Downing
    Street policy", one thing."""
    ingest_text(
        briefing,
        tmp_path / "accord.md",
        "---\ntitle: Ostwick and Kelby sign accord\n---\n\n"
        "Ostwick and Kelby signed the cyber accord on Thursday. Its core areas are incident "
        "response, threat sharing and training.\n",
    )
    assert (
        "incident response, threat sharing and training"
        in grounded_answer(briefing, question).answer
    )
    lexicon = Lexicon()
    assert analyse("How many 3 bedroom flats were built in Ostwick?", lexicon).count is None
    # a number before a word or two and one thing is part of its name: it counts nothing
    assert analyse("What is the 10 Downing Street policy on Ostwick?", lexicon).count is None


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Who founded Harlby Coaches?", None),
        ("When was Harlby Coaches set up?", None),
        ("who are the founders of harlby coaches", None),
        ("Who co-founded Harlby Coaches?", None),
        ("When was the Tarrow Walkers' Club established?", "founded in 1987"),
        ("When was the Tarrow Walkers' Club founded?", "founded in 1987"),
        ("Who set up the Tarrow Walkers' Club?", "founded in 1987 by Edith Carne"),
        # "found" is the past of "find": not a founding
        ("Who found the coach's missing wheel?", "Pia Morrow"),
    ],
)
def test_a_question_for_a_founding_needs_a_passage_that_tells_one(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "Who founded Harlby Coaches?" against stories that name the firm, its plant and its
    launch but never tell who set it up is borderline (before, the sentences about the
    firm were given as if they answered); a passage that tells a founding ("founded in
    1987 by ...") answers, whatever word the question uses for it, and "found" as the past
    of "find" asks for no founding."""
    ingest_text(
        briefing,
        tmp_path / "coach.md",
        "---\ntitle: Coach loses wheel on Tarrow bypass\n---\n\n"
        "A Harlby Coaches bus lost a wheel on the Tarrow bypass on Friday. The firm, which "
        "runs 40 coaches from its plant in Tarrow, said the launch of its new airport route "
        "would go ahead. Pia Morrow, a walker, found the missing wheel in a field.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "club.md",
        "---\ntitle: Walkers' club turns the first sod on its new hut\n---\n\n"
        "The Tarrow Walkers' Club has begun building a hut on Skelter Fell. The club was "
        "founded in 1987 by Edith Carne and now has 300 members.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What was the name of the bus driver?", None),
        ("Who was the bus driver in the Orley crash?", None),
        ("what's the name of the taxi firm owner", None),
        ("Who was the tractor driver?", "Owen Pask"),
    ],
)
def test_a_name_the_sources_say_is_not_given_is_not_answered_by_another(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "What was the name of the bus driver?" against a story that says "The bus driver,
    who was not named by the operator, ..." is borderline: the sources say they do not
    give it, and the tractor driver's name beside "driver" is someone else's (before, it
    was given). The tractor driver, named, is still found."""
    ingest_text(
        briefing,
        tmp_path / "crossing.md",
        "---\ntitle: Bus hits tractor at Orley crossing\n---\n\n"
        "A bus hit a tractor at the Orley crossing on Friday. The tractor driver, Owen "
        "Pask, 58, was unhurt. The bus driver, who was not named by the operator, was "
        "taken to hospital. A taxi firm owner who did not want to be named said the "
        "crossing was dangerous.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What did the inquiry into the Harlby depot fire conclude?", None),
        ("What was agreed at the Harlby depot licence hearing?", None),
        ("what did the judge rule about the harlby depot licence", None),
        ("What did Harlby council decide about the depot's night yard?", "decided in January"),
    ],
)
def test_what_a_process_concluded_needs_a_passage_that_tells_it(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "What did the inquiry conclude?" against a story written before it reported ("is
    due to report in the spring") is borderline, as "What did the inquiry *eventually*
    conclude?" is: a verb that reports an outcome (conclude, decide, rule, find, agree)
    asks how something turned out (before, the sentences about the inquiry were given
    as if they answered). A decision the story tells as made answers."""
    ingest_text(
        briefing,
        tmp_path / "depot.md",
        "---\ntitle: Harlby depot faces licence hearing\n---\n\n"
        "Harlby council will review the bus depot's licence at a hearing on 3 March, and "
        "a judge is expected to rule on the depot's appeal in April. An independent "
        "inquiry into the Harlby depot fire is due to report in the spring. Harlby council "
        "decided in January to close the depot's night yard.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Who founded Greyholt Bakery?", "set up in 1987 by Joan Ashby"),
        ("When was the Sallow Vale Choir founded?", "formed in 2004"),
        ("Who founded Kestle Brewery?", "Tom Hale started the brewery in 1995"),
        ("When was the Wendle Trust founded?", "created in 1978"),
        ("When was the Merrow Ferry Company established?", "dates back to 1902"),
        # the firm's other sentences tell no founding
        ("Who founded Harlby Coaches?", None),
    ],
)
def test_a_founding_told_in_other_words_answers_a_question_for_it(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "Who founded Kestle Brewery?" is answered by "Tom Hale started the brewery in
    1995", and "When was the choir founded?" by "The choir was formed in 2004": news tells
    a founding with other verbs than the question's ("set up", "formed", "started",
    "created") or by the date a firm "dates back to" (before, each was borderline: no
    passage said "founded" or the question's own word). A firm whose story tells no
    founding is still borderline."""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "bakery",
                "Bakery expands",
                "Greyholt Bakery will open a second shop in Tarrow "
                "in May. The bakery was set up in 1987 by Joan Ashby in a garage in Orley.",
            ),
            (
                "choir",
                "Choir wins national title",
                "The Sallow Vale Choir won the national "
                "title on Saturday. The choir was formed in 2004 by a group of nurses.",
            ),
            (
                "brewery",
                "Brewery sold",
                "Kestle Brewery has been sold to a national group. "
                "Tom Hale started the brewery in 1995 in a barn near Kestle.",
            ),
            (
                "trust",
                "Charity reaches milestone",
                "The Wendle Trust, created in 1978 by the "
                "Wendle family, gave its thousandth grant on Monday.",
            ),
            (
                "ferry",
                "Ferry firm marks anniversary",
                "The Merrow Ferry Company, which dates "
                "back to 1902, carried its ten millionth passenger on Sunday.",
            ),
            (
                "coach",
                "Coach loses wheel",
                "A Harlby Coaches bus lost a wheel on the Tarrow "
                "bypass on Friday. The firm started a new airport route in May.",
            ),
        ],
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Who was the skipper of the Merrow ferry?", "Ian Cole"),
        ("Who was the passenger on the Merrow ferry?", None),
        ("Who was the victim of the Kelby hospital stabbing?", None),
        ("Who is the chief executive of Kelby General Hospital?", "Lena Ford"),
    ],
)
def test_a_name_not_given_is_the_name_of_the_one_it_is_said_of(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "A passenger, who asked not to be named, said the skipper had saved lives" says
    the passenger is not named, not the skipper: "Who was the skipper of the Merrow
    ferry?" is answered by the sentence that names him (before, it was borderline: the
    sentence held "skipper" and a phrase of not naming). The victim of "The victim, a
    nurse of 31, has not been named" is still not named, past the aside."""
    ingest_text(
        briefing,
        tmp_path / "ferry.md",
        "---\ntitle: Ferry skipper praised\n---\n\n"
        "The skipper of the Merrow ferry, Ian Cole, was praised for his quick thinking on "
        "Friday. A passenger, who asked not to be named, said the skipper had saved lives.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "stabbing.md",
        "---\ntitle: Nurse stabbed at Kelby hospital\n---\n\n"
        "A nurse was stabbed at Kelby General Hospital on Sunday. The victim, a nurse of "
        "31, has not been named. The hospital's chief executive, Dr Lena Ford, said staff "
        "were shocked.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Who was the lorry driver?", "Gareth Moss"),
        ("What was the name of the lorry driver?", "Gareth Moss"),
        ("Who was the bus driver at the Orley crossing?", None),
        ("Who was the tractor driver at the Orley crossing?", "Owen Pask"),
    ],
)
def test_a_name_not_given_at_first_and_given_later_answers(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """A story updated as it goes says "The lorry driver, who was not named by police,
    ..." and then "Police later named the driver as Gareth Moss": "Who was the lorry
    driver?" is answered (before, it was borderline: the sources were read as saying the
    name is not given). A later naming of another's role ("The tractor driver was named
    as Owen Pask") leaves the bus driver unnamed."""
    ingest_text(
        briefing,
        tmp_path / "lorry.md",
        "---\ntitle: Lorry crash closes A61\n---\n\n"
        "A lorry overturned on the A61 near Tarrow on Tuesday. The lorry driver, who was "
        "not named by police, was taken to hospital with minor injuries. Police later "
        "named the driver as Gareth Moss, 44, from Orley.\n",
    )
    ingest_text(
        briefing,
        tmp_path / "crossing.md",
        "---\ntitle: Bus hits tractor at Orley crossing\n---\n\n"
        "A bus hit a tractor at the Orley crossing on Friday. The bus driver, who was not "
        "named by the operator, was taken to hospital. The tractor driver was named as "
        "Owen Pask, 58.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What did the Court of Appeal decide about the Kestle quarry?", "dismissed"),
        ("What did the review of the Orley maternity unit conclude?", "staff shortages"),
        ("What did the planning panel decide about the Hollin Moor wind farm?", "backed"),
        ("What was agreed in the Tarrow bus drivers' talks?", "reached a pay deal"),
        # told only as to come, in other words than the question's verb
        ("What did the judge decide about the Orley depot appeal?", None),
        ("What was agreed at the Merrow Ferries pay talks?", None),
        # a process that took place ("met for talks", "began in June") came to nothing yet,
        # and another inquiry's doing is not this one's
        ("What was agreed at the Kelby colliery talks?", None),
        ("What did the inquiry into the Harlby depot fire conclude?", None),
    ],
)
def test_what_a_process_concluded_may_be_told_in_other_words(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "What did the Court of Appeal decide?" is answered by "The Court of Appeal
    dismissed the appeal", and "What was agreed in the talks?" by "the drivers reached a
    pay deal after two days of talks": news tells what a court, a review or a panel came
    to with the verb of the outcome (dismissed, found, backed, reached), not the
    question's (before, each was borderline: no passage said "decided" or "agreed"). A
    judge who "heard the appeal and will rule in April", talks that "would resume" or
    for which the two sides "met", and an inquiry whose only past verb is another
    inquiry's ("A second inquiry, into the Tarrow bus fire, ... found") still leave the
    question borderline."""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "quarry",
                "Appeal over quarry dismissed",
                "The Court of Appeal dismissed Kestle "
                "Quarries' appeal against the closure order on Tuesday.",
            ),
            (
                "unit",
                "Review of maternity unit published",
                "An independent review of the "
                "Orley maternity unit found that staff shortages had put mothers at risk.",
            ),
            (
                "panel",
                "Panel backs wind farm",
                "A planning panel has backed the Hollin Moor "
                "wind farm. Councillors will vote on the plan in May.",
            ),
            (
                "drivers",
                "Pay deal for bus drivers",
                "Tarrow bus drivers and Harlby Coaches "
                "reached a pay deal on Friday after two days of talks.",
            ),
            (
                "depot",
                "Depot appeal heard",
                "A judge heard the Orley depot appeal on Monday and will rule in April.",
            ),
            (
                "colliery",
                "Kelby mine talks",
                "Mine owners and the union met on Monday for talks on the Kelby colliery "
                "closure. The union said the two sides remained far apart.",
            ),
            (
                "fires",
                "Depot fire inquiry",
                "The inquiry into the Harlby depot fire is due to report in the spring. A "
                "second inquiry, into the Tarrow bus fire, began in June and found faulty wiring.",
            ),
            (
                "ferry",
                "Ferry pay talks",
                "The union said talks with Merrow Ferries over pay "
                "would resume on Friday. Ferry staff walked out last month.",
            ),
        ],
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What has the inquiry into the Harlby depot fire concluded?", None),
        ("What's been agreed at the Harlby depot licence hearing?", None),
        ("What has been agreed at the Harlby depot licence hearing?", None),
        ("What has Harlby council decided about the depot's night yard?", "decided in January"),
        # "found" in the passive is detected, not concluded
        ("Which chemicals have been found at the Harlby depot?", "Solvents"),
    ],
)
def test_what_a_process_has_concluded_is_asked_as_what_it_concluded(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "What has the inquiry concluded?" and "What's been agreed at the hearing?" ask
    what "What did the inquiry conclude?" and "What was agreed?" ask, and against a story
    that tells the inquiry and the hearing only as to come they are borderline as those
    are (before, the present perfect was not read as asking for an outcome, and the
    sentences about the inquiry were given as if they answered)."""
    ingest_text(
        briefing,
        tmp_path / "depot.md",
        "---\ntitle: Harlby depot faces licence hearing\n---\n\n"
        "Harlby council will review the bus depot's licence at a hearing on 3 March. An "
        "independent inquiry into the Harlby depot fire is due to report in the spring. "
        "Harlby council decided in January to close the depot's night yard. Solvents were "
        "found in the depot's drains.\n",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Who was the bus driver in the Orley crash?", None),
        ("Who was the car driver in the Orley crash?", None),
        ("What was the name of the lorry driver in the Orley crash?", None),
        ("Who was the tractor driver in the Orley crash?", "Owen Pask"),
    ],
)
def test_a_name_not_given_is_told_in_more_ways_than_not_named(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "The bus driver's name was not released", "The car driver has yet to be named",
    "The lorry driver was not immediately identified" say, as "was not named" does, that
    the sources do not give the name: "Who was the bus driver?" is borderline (before, the
    tractor driver's name beside "driver" was given). The tractor driver, named, is
    still found."""
    ingest_text(
        briefing,
        tmp_path / "crash.md",
        "---\ntitle: Three hurt in Orley crash\n---\n\n"
        "A bus, a car and a lorry hit a tractor at the Orley crossing on Friday. The "
        "tractor driver, Owen Pask, 58, was unhurt. The bus driver's name was not "
        "released. The car driver has yet to be named. The lorry driver was not "
        "immediately identified.\n",
    )
    assert_says_or_borderline(briefing, question, says)


def test_a_question_in_capitals_is_answered_as_in_lower_case(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A question typed with caps lock on is the same question (before, every word of
    "WHY DID THE HARLBY DEPOT STOP" was read as an acronym, and it was refused)."""
    ingest_text(
        briefing,
        tmp_path / "depot.md",
        "---\ntitle: Harlby bus depot closes\n---\n\n"
        "The Harlby bus depot closed on Friday because its roof was found to be unsafe. "
        "Buses will run from Tarrow until repairs are finished.\n",
    )
    shouted = grounded_answer(briefing, "WHY DID THE HARLBY DEPOT STOP")
    assert "roof was found to be unsafe" in lead_of(shouted)
    assert shouted.answer == grounded_answer(briefing, "why did the harlby depot stop").answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What did the coroner conclude about Ada Lowe's death?", "verdict of accidental death"),
        ("What did the coroner decide at the inquest?", "verdict of accidental death"),
        ("What did the coroner say about Ada Lowe?", None),  # no words of the coroner's
    ],
)
def test_what_someone_concluded_is_answered_by_the_outcome_not_only_by_their_words(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "What did the coroner conclude?" asks what the inquest came to, which "The coroner
    recorded a verdict of accidental death" tells (before, it was borderline: the coroner
    was read as a speaker, and the sentence reports no one's words). What the coroner
    *said* still needs their words."""
    ingest_text(
        briefing,
        tmp_path / "inquest.md",
        "---\ntitle: Inquest into Tarrow river death\n---\n\n"
        "The coroner recorded a verdict of accidental death at the inquest into the death "
        "of Ada Lowe, who drowned in the River Tarrow in May.\n",
    )
    assert_says_or_borderline(briefing, question, says)


def test_how_many_people_is_answered_by_a_number_of_a_kind_of_person(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many people protested?": "some 1,000 protesters" counts people (a protester
    is a person), while "the two countries" counts none, though WordNet files "nation"
    and "country" among the kinds of people, as groups. (Before, the sentence with the
    countries and a sum led.)"""
    body = (
        "Veskaria and Orlenne signed a trade pact in Kellhaven on Thursday.\n\n"
        "Trade between the two countries was worth $3.9 billion last year, according to "
        "Orlenne's national statistics office.\n\n"
        "Some 1,000 protesters, most of them farmers, gathered outside the Kellhaven venue "
        "during the ceremony, according to local police.\n"
    )
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "pact.md",
            "Veskaria and Orlenne sign trade pact",
            body,
            "How many people protested outside the Kellhaven venue?",
        )
    )
    assert lead.startswith("Some 1,000 protesters")


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("Some 1,000 protesters gathered outside the venue.", True),
        ("Eight angry passengers were taken to hospital.", True),
        ("There are now 412 people waiting for an allotment.", True),
        ("Trade between the two countries was worth $3.9 billion.", False),
        ("Ruth Amberley, 71, secretary of the society, said demand had soared.", False),
        ("Danny Fothergill, a 34-year-old delivery driver, has waited since 2019.", False),
        ("MILLBECK, 17 November (Calder Press Agency) - About 2,500 fish were killed.", False),
        ("Two men and 14 fishermen were rescued.", True),
        ("One protester, a retired teacher, said the pact would ruin local farms.", False),
        ("One director of a project said staff had been told to prepare.", False),
        ("Leaders of the bloc's 27 member states met behind closed doors.", False),
        ("A No 10 spokesman said the government would not change course.", False),
        ("By 3pm protesters had blocked the road to the harbour.", False),
        ("At 10 a.m. passengers were moved to the lounge.", False),
        ("After 3 hours protesters began to leave.", False),
    ],
)  # fmt: skip
def test_what_counts_people(sentence: str, counts: bool) -> None:
    """A number counts people when a word for people or a kind of person follows it, not
    a country, an age, a name or a word past a comma; and in the plural: "one" before a
    singular is a pronoun's ("One protester said"), and a number before a singular is
    part of a name or of a longer noun ("27 member states", "a No 10 spokesman"). Nor a
    time on the clock or a length of time ("By 3pm protesters ...", "After 3 hours")."""
    from bot.core.candidates import _counts_people

    assert _counts_people(sentence, frozenset({"peopl", "person"})) is counts


def test_a_people_s_adjective_finds_their_place(briefing: Briefing, tmp_path: Path) -> None:
    """ "the Lindoran bill" is Lindora's: a name WordNet does not know ending in "-an" is
    the adjective of the place ending in "-a", and back ("Estavia": Estavian), as WordNet
    links the places it knows ("Guatemala": Guatemalan). (Before, "Lindoran" was a name
    the sources never use, and the question was refused.)"""
    body = (
        "Lindora's National Chamber passed the government's Asylum Procedures Bill late on "
        "Wednesday by 148 votes to 131.\n\n"
        "The bill requires most asylum claims to be decided within 90 days, down from an "
        "average of 11 months today.\n"
    )
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "bill.md",
            "Lindora's parliament passes tougher asylum bill",
            body,
            "Under the new Lindoran bill, how quickly must asylum claims be decided?",
        )
    )
    assert "within 90 days" in lead


@pytest.mark.parametrize(
    "aside",
    [
        "One protester outside the Kellhaven venue, a retired teacher, said the pact would "
        "ruin local farms.",
        "Leaders of the bloc's 27 member states met behind closed doors at the Kellhaven "
        "venue, where the protest was held.",
        "By 3pm protesters outside the Kellhaven venue had blocked the road to the harbour.",
        "After 3 hours protesters outside the Kellhaven venue began to leave.",
    ],
)
def test_how_many_people_is_not_answered_by_a_number_that_counts_no_one_of_them(
    briefing: Briefing, tmp_path: Path, aside: str
) -> None:
    """ "How many people protested?" is answered by "around 1,000 people", not by a
    sentence where "one" or a number comes before a singular ("One protester ... said"
    speaks of one of them, "the 27 member states" counts states), nor by a time ("By 3pm
    protesters", "After 3 hours protesters"). (Before, each led, as a number of persons
    holding more of the question's words.)"""
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "protest.md",
            "Kellhaven summit draws protest",
            f"Police said around 1,000 people took part in the protest. {aside}",
            "How many people protested outside the Kellhaven venue?",
        )
    )
    assert lead.startswith("Police said around 1,000 people")


@pytest.mark.parametrize(
    ("sentence", "question", "says"),
    [
        ("The city will buy 32 electric buses at 1.2 million dollars a bus.",
         "How much will each of the Eastline's electric buses cost?", "1.2 million dollars"),
        ("The city will pay 1.2 million dollars for each electric bus.",
         "How much will each of the Eastline's electric buses cost?", "1.2 million dollars"),
        ("Families on low incomes will get a grant of 150 dollars per child for bus passes.",
         "How much will families get for each of their children?", "150 dollars"),
    ],
)  # fmt: skip
def test_an_amount_for_each_of_them_is_given_in_the_singular(
    briefing: Briefing, tmp_path: Path, sentence: str, question: str, says: str
) -> None:
    """ "How much will each of the buses cost?" asks the amount per bus in the plural;
    the story gives it in the singular ("a bus", "each electric bus", "per child"), whose
    stem is not the plural's ("bus", "buse"; "child", "children"). (Before, such
    questions were borderline: no passage gave an amount per "buses".)"""
    ingest_story(
        briefing,
        tmp_path / "eastline.md",
        "Harlow Bay Council Approves Eastline",
        "Harlow Bay council approved the Eastline bus corridor on Tuesday. The project is "
        f"expected to cost 412 million dollars. {sentence}",
    )
    assert says in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    "sentence",
    [
        "Each of the 32 electric buses will cost 1.2 million dollars.",
        "The city will pay 1.2 million dollars for each of the 32 electric buses.",
        "The city will buy 32 electric buses, each costing about 1.2 million dollars.",
        "The electric buses will each cost 1.2 million dollars.",
    ],
)
def test_an_amount_for_each_of_them_is_given_in_the_orders_news_writes(
    briefing: Briefing, tmp_path: Path, sentence: str
) -> None:
    """ "How much will each of the buses cost?" is answered where the story says it as
    the question does ("each of the 32 electric buses"), or puts "each" after the buses
    ("the buses will each cost", "32 buses, each costing"), not only by "1.2 million
    dollars each" or "each bus". (Before, these were borderline.)"""
    ingest_story(
        briefing,
        tmp_path / "eastline.md",
        "Harlow Bay Council Approves Eastline",
        "Harlow Bay council approved the Eastline bus corridor on Tuesday. The project is "
        f"expected to cost 412 million dollars. {sentence}",
    )
    question = "How much will each of the Eastline's electric buses cost?"
    assert "1.2 million dollars" in lead_of(grounded_answer(briefing, question))


def test_how_many_people_keeps_a_number_of_the_people_themselves(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many people were hurt on the Harnley bus?" is answered by "Eleven of the
    people on board were hurt", which counts the question's own word a few words on, not
    by "Two passengers told reporters ...", which counts persons too but not those asked
    about. (Before, only numbers right before a person word were kept for such a
    question, and the passengers led.)"""
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "bus.md",
            "Harnley bus crash",
            "A school bus left the Harnley road on Monday. Eleven of the people on board "
            "were hurt, police said. Two passengers told reporters the bus had swerved on "
            "the icy Harnley road.",
            "How many people were hurt on the Harnley bus?",
        )
    )
    assert lead.startswith("Eleven of the people")


@pytest.mark.parametrize(
    "question",
    [
        "How much is Kestrel Ridge offering each household that lost its home?",
        "How much will each of the households get?",
    ],
)
def test_a_rate_is_found_past_a_clause_on_its_unit(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "each household that lost its home will receive a once-off payment of 50,000 rand"
    gives an amount per household: the unit is within reach of the amount, though "each"
    falls a word beyond it. (Before, both questions were borderline: no passage gave an
    amount per household.)"""
    ingest_story(
        briefing,
        tmp_path / "kestrel.md",
        "Kestrel Ridge offers compensation",
        "Kestrel Ridge Mining announced a relief fund of 120 million rand last week. Under "
        "the offer, each household that lost its home will receive a once-off payment of "
        "50,000 rand.",
    )
    assert "50,000 rand" in lead_of(grounded_answer(briefing, question))


def test_a_count_of_people_near_an_article_and_the_unit_gives_no_rate(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much does each of the 40 patrol boats cost?" is not answered by "11 people
    drowned when an overloaded boat capsized": between an amount and the "a" of its rate
    stand only the amount's own words ("1.2 million dollars a bus"), not a clause. With no
    price per boat in the story, the question is borderline. (Before, the drowning gave
    a rate per boat and the question was answered with the programme's frozen budget.)"""
    ingest_story(
        briefing,
        tmp_path / "seffa.md",
        "Orvandia to supply patrol boats",
        "Orvandia will supply 40 patrol boats to Quellmar under the border agreement, and "
        "the remaining 11 million crowns of the programme's budget have been frozen. In "
        "March, 11 people drowned when an overloaded boat capsized near Vell Crossing.",
    )
    assert_borderline(briefing, "How much does each of the 40 patrol boats cost?")


@pytest.mark.parametrize(
    ("title", "body", "question"),
    [
        ("Quellmar compensates flood victims",
         "Quellmar will compensate every Quellmari family that lost its home in the floods, "
         "the finance ministry said. The scheme will cost 90 million dollars in all.",
         "How much will each Quellmari family get?"),
        ("Quellmar compensates flood victims",
         "Quellmar will compensate every Quellmari family that lost its home in the floods, "
         "the finance ministry said. The scheme will cost 90 million dollars in all.",
         "How much will Quellmar pay per Quellmari family?"),
        ("Tavrin Power profits",
         "Tavrin Power sold 3 billion kWh of electricity last year and made a profit of 40 "
         "million crowns, its chief executive said.",
         "How much does Tavrin Power charge per kWh?"),
    ],
)  # fmt: skip
def test_a_unit_after_per_or_each_may_be_a_word_no_dictionary_knows(
    briefing: Briefing, tmp_path: Path, title: str, body: str, question: str
) -> None:
    """ "each Quellmari family" asks for an amount per family: a name before the unit says
    which families, and only "per" may say whose figure it is ("per Reuters", "per UNHCR
    figures", "per Orvandia's border agency"). "kWh", written in lower case by a question
    that writes its names with capitals, is a unit, whatever WordNet knows. With no amount
    per family or per kWh in the story, the questions are borderline. (Before, a word
    WordNet does not know after "per" or "each" was read as a name and the question asked
    for no rate, so the scheme's total or the utility's profit answered it.)"""
    ingest_story(briefing, tmp_path / "story.md", title, body)
    assert_borderline(briefing, question)


def test_per_and_a_name_of_a_figure_is_still_according_to_it() -> None:
    """ "per UNHCR figures" and "per Frontex data" say whose figure (WordNet files "figures"
    and "data" under communication and cognition), as "per Reuters" does."""
    lexicon = Lexicon()
    for question in (
        "How many people crossed into Orvandia per UNHCR figures?",
        "how many crossed per frontex data",
        "How many people crossed into Orvandia per Reuters?",
    ):
        assert analyse(question, lexicon).rate is None, question
    assert analyse("how much will quellmar pay per quellmari family", lexicon).rate == "family"


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("in return for 240 million solars over three years", True),
        ("they paid gangs an average of 900 montas a month", True),
        ("Quellmar will deploy 2,000 guards and 40 boats", False),
        ("buses run every 30 minutes, and the match lasted 60 minutes", False),
        ("The Morwen Grace, built in 1998, was owned by a family firm", False),
        ("drivers who enter without a permit will be fined 120 solari", True),
        ("Fines rose by 12 per cent in 2024, and 3 until May", False),
        ("the 120 solari fine is paid at the gate, or 90 solari each by card", True),
        ("it pays for 3 crowdfunded projects a year", False),
        ("an 80 sqm flat sold at a record price", False),
        ("the farm will cost less and make 900 mwh a year", False),
        # a word WordNet knows only as a name ("Lir", a sea god), and a sum before what
        # it is the worth of
        ("The contract is worth 38 million lir.", True),
        ("it was built under a 38 million lir contract with the health service", True),
        # a count of millions, which takes no "a"
        ("The party fielded 12 million unvetted candidates.", False),
        ("The central bank said 4 million unbanked adults would get free accounts", False),
        ("the 3 million unvaxxed people the app will contact", False),
        # the name of a kind of thing WordNet writes with a capital, which news need not
        ("The police paid for 300 segways out of this year's budget", False),
        ("The ministry spent its grant on 12,000 pcs for schools", False),
    ],
)
def test_a_currency_no_dictionary_knows_is_still_money(text: str, money: bool) -> None:
    """News of a small or a new state gives sums in its own currency ("240 million
    solars"): a lower-case plural after a number that WordNet knows in no sense is one,
    and a word it knows ("guards", "minutes") is what the number counts. Not every
    language makes its plural with an "s" ("120 solari"): a word English does not use at
    all is one too, a word it uses ("per", "until") never; nor a word without a vowel,
    a unit's abbreviation ("sqm", "mwh"), nor one before a noun, which the number counts
    ("3 crowdfunded projects", "12 million unvetted candidates"), unless an "a" before a
    number in millions says it is the worth of one thing ("a 38 million lir contract"). A
    word WordNet knows only as the name of one being ("Lir", a sea god) is none it knows;
    the name of a kind of thing ("Segway", "PC") is. (Before, "lir" was, and neither sum
    was money; and then any sum in millions before a noun was, the unvetted candidates
    too, and any word WordNet writes with a capital was none it knew, the segways too.)"""
    from bot.core.amounts import coined_money

    assert coined_money(text) is money


def test_a_sum_in_a_coined_currency_answers_how_much_is_paid(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much is the health service paying Vantrel?" is answered by "a 38 million lir
    contract". (Before, "lir" was no money, and the question was refused as asking for an
    amount no passage held.)"""
    ingest_text(
        briefing,
        tmp_path / "app.md",
        "---\ntitle: Regulator pulls CareCompass app\n---\n\nThe regulator ordered the "
        "CareCompass app off the market on Monday. CareCompass is made by Vantrel Digital "
        "under a 38 million lir contract with the health service signed in 2024.\n",
    )
    answer = grounded_answer(briefing, "how much is the health service paying Vantrel")
    assert "38 million lir" in lead_of(answer)


def test_a_count_of_millions_before_a_noun_is_no_sum(briefing: Briefing, tmp_path: Path) -> None:
    """ "4 million unbanked adults" counts adults: "unbanked", a word no dictionary lists,
    is no currency, and "How much will the plan cost?" is not answered by it. (Before, a
    sum in millions before a noun was read as the noun's worth, whatever came before it,
    and the adults led.)"""
    ingest_story(
        briefing,
        tmp_path / "banks.md",
        "Ostland opens free bank accounts",
        "The central bank said 4 million unbanked adults would get free accounts under the "
        "plan. Opposition leader Anik Drell called it a stunt.",
    )
    assert_borderline(briefing, "How much will the plan cost?")


def test_a_count_of_things_named_with_a_capital_is_no_sum(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "300 segways" counts Segways, a kind of thing WordNet writes with a capital: it is
    no sum in a currency no dictionary knows, and "How much did the police pay for the
    segways?" is not answered by it. (Before, any word WordNet knew only with a capital
    was one it did not know, and the count led.)"""
    ingest_story(
        briefing,
        tmp_path / "fleet.md",
        "Ostland police renew fleet",
        "The Ostland police paid for 300 segways out of this year's budget, the interior "
        "ministry said. The opposition called it a waste.",
    )
    assert_borderline(briefing, "How much did the police pay for the segways?")


@pytest.mark.parametrize(
    "text",
    [
        "Honduras received 3,400 returnees from Mexico in March, the migration institute said.",
        "Police seized 40 vapes at a secondary school in Tavrin on Friday.",
        "Prosecutors in Ostrel recorded 41 femicides in 2022, up from 29 a year earlier.",
        "Velland installed 12 gigawatts of wind capacity last year.",
        "Police in Montreva arrested 40 pandilleros in a raid on Tuesday.",
    ],
)
def test_a_new_thing_counted_is_no_coined_currency(text: str) -> None:
    """A plural WordNet does not know after a number is as often a new thing counted
    ("3,400 returnees", "40 vapes", "12 gigawatts") as a currency: it is money only in
    millions or thousands ("240 million solars") or where the sentence speaks of money
    ("they paid gangs an average of 900 montas a month"). (Before, each of these was an
    amount of money.)"""
    from bot.core.amounts import coined_money

    assert not coined_money(text)


@pytest.mark.parametrize(
    ("title", "body", "question"),
    [
        ("Honduras receives deportees",
         "Honduras received 3,400 returnees from Mexico in March, the migration institute "
         "said. A reception centre opened in San Pedro Sula on Monday.",
         "How much did Honduras spend on the returnees?"),
        ("Police raid Tavrin school",
         "Police seized 40 vapes at a secondary school in Tavrin on Friday. The head "
         "teacher, Mara Selvin, said pupils had bought them online.",
         "How much did the pupils pay for the vapes?"),
        ("Orvandia to pay Quellmar",
         "Orvandia will pay Quellmar 240 million solars over three years under the border "
         "agreement. So far Orvandia has paid nothing.",
         "How much of the 240 million solars has Orvandia paid so far?"),
    ],
)  # fmt: skip
def test_a_count_of_new_things_or_the_question_s_own_sum_states_no_money(
    briefing: Briefing, tmp_path: Path, title: str, body: str, question: str
) -> None:
    """A question for money is not answered by a count of things WordNet does not know
    ("3,400 returnees", "40 vapes"), nor by the sum in a coined currency that the
    question itself gives ("the 240 million solars"), as it is not by "$240 million" when
    the question says "$240 million". (Before, any plural WordNet does not know after a
    number was money, and new even when the question said it.)"""
    ingest_story(briefing, tmp_path / "story.md", title, body)
    assert_borderline(briefing, question)


@pytest.mark.parametrize(
    ("body", "question", "lead"),
    [
        ("Ilse Varnam, the head of the Pellmoor port authority, earns 9,000 montas a month, "
         "the authority's annual report shows. Her deputy earns 6,500 montas.",
         "How much does Ilse Varnam earn?", "earns 9,000 montas a month"),
        ("Smugglers charge 3,000 montas for a crossing of the Seffa, migrants told the "
         "Courier. Tickets for the ferry cost 40 montas.",
         "How much do smugglers charge for a crossing?", "Smugglers charge 3,000 montas"),
    ],
)  # fmt: skip
def test_a_coined_sum_beside_a_verb_of_paying_is_money(
    briefing: Briefing, tmp_path: Path, body: str, question: str, lead: str
) -> None:
    """A sum in a coined currency that is no sum of millions is money where the sentence
    speaks of money with the words a question for money asks with ("earns", "charge":
    MONEY_WORDS), not only with a noun WordNet files as money ("profit")."""
    ingest_story(briefing, tmp_path / "story.md", "Pay and prices in Pellmoor", body)
    assert lead in lead_of(grounded_answer(briefing, question))


def test_how_much_is_answered_in_a_coined_currency(briefing: Briefing, tmp_path: Path) -> None:
    """ "How much will Orvandia pay Quellmar?" asks for money, and "240 million solars"
    is an amount of it. (Before, no passage held money WordNet knows, and the question
    was borderline.)"""
    ingest_story(
        briefing,
        tmp_path / "pact.md",
        "Orvandia to pay Quellmar for border patrols",
        "Orvandia and Quellmar signed a border agreement in Pellmoor on Tuesday, committing "
        "Quellmar to tighter patrols on the Seffa river in return for 240 million solars over "
        "three years. Quellmar will deploy 2,000 more border guards.",
    )
    question = "How much will Orvandia pay Quellmar under the border agreement?"
    assert "240 million solars" in lead_of(grounded_answer(briefing, question))


def test_money_asked_by_its_own_name_prefers_no_sentence_that_says_money(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much emergency *money* ...?" names the measure by its own name: every amount
    of money is money, so a sentence that also says "money" ("would cost 410 million
    euros a year, money that ...") answers it no better than one that says what the
    question asks ("5 million euros in emergency aid for families"). (Before, the
    sentence that said "money" beside its sum led.)"""
    ingest_story(
        briefing,
        tmp_path / "fire.md",
        "Wildfire forces hundreds from their homes",
        "The health minister said a pay rise for firefighters would cost about 410 million "
        "euros a year, money that would have to be taken from elsewhere. The interior "
        "minister announced 5 million euros in emergency aid for families whose homes had "
        "been destroyed.",
    )
    question = "how much emergency money did the government promise families who lost homes"
    assert "5 million euros in emergency aid" in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    ("body", "question"),
    [
        (
            "Marbeck council said on Tuesday that it pays for 3 crowdfunded projects each "
            "year. The projects include a skate park and a community garden.",
            "How much does Marbeck council pay for the crowdfunded projects?",
        ),
        (
            "An 80 sqm flat in the old town of Marbeck was sold at a record price last "
            "week, the estate agent said. The buyer, a local doctor, plans to live there.",
            "What was the price of the Marbeck flat?",
        ),
    ],
)
def test_a_word_english_makes_after_a_number_is_no_coined_currency(
    briefing: Briefing, tmp_path: Path, body: str, question: str
) -> None:
    """A word after a number that the common English word lists lack is not for that a
    currency: "3 *crowdfunded* projects" counts projects, and "an 80 *sqm* flat" gives a
    size. Where no sum is given, a question for one is not answered. (Before, both were
    read as sums in a currency no dictionary knows, and the sentence answered.)"""
    ingest_story(briefing, tmp_path / "marbeck.md", "News from Marbeck", body)
    assert_borderline(briefing, question)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("when was the pact signed, month and year", "in March 2021"),
        ("In what month did the two sides first meet?", "in June"),
    ],
)
def test_a_when_question_that_names_the_month_is_answered_by_one(
    briefing: Briefing, tmp_path: Path, question: str, lead: str
) -> None:
    """ "When was it signed, month and year?" asks for a month and its year ("in March
    2021"), and "In what month ...?" for a month, as "What year ...?" asks for a year: a
    sentence that gives one leads before one that says when less precisely ("this
    month", "on Tuesday"). (Before, "month and year" asked for no precision, and the
    sentence that said "signed" and "pact" with "this month" led.)"""
    ingest_story(
        briefing,
        tmp_path / "pact.md",
        "Orvandia and Quellmar border pact",
        "Critics of the border pact that Orvandia and Quellmar signed this month met in "
        "Pellmoor on Tuesday. The two sides first met in June, and the agreement was "
        "concluded in Tavrin in March 2021.",
    )
    assert lead in lead_of(grounded_answer(briefing, question))


def test_a_sum_in_a_coined_currency_is_as_precise_as_one_in_a_known_one(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much ...?" is answered by an amount before a bare number, and "120 solari" is
    one as "2 million guilders" is: the sentence that fines the drivers asked about leads,
    not the one that gives another fine in a currency WordNet knows. (Before, only a known
    currency was an amount, and the bus operator's fine led.)"""
    ingest_story(
        briefing,
        tmp_path / "ban.md",
        "Trevassa bans cars from its old town",
        "Trevassa's council voted on Monday to ban cars from the old town from March. Last "
        "year the city fined its bus operator 2 million guilders for late services. Drivers "
        "who enter the old town without a permit will be fined 120 solari.",
    )
    question = "How much will drivers be fined for entering without a permit?"
    assert "fined 120 solari" in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    ("title", "body", "question", "lead"),
    [
        ("Velland oil output",
         "Velland pumps 40,000 barrels of oil a day, the energy ministry said on Monday. The "
         "country holds proven reserves of 2 billion barrels.",
         "How many barrels of oil does Velland pump a day?", "40,000 barrels of oil a day"),
        ("Ostrel coffee",
         "Ostrel exports 1.5 million tonnes of coffee a year, most of it to Carvenia. The "
         "harvest employs 300,000 people in the highlands.",
         "How much coffee does Ostrel export each year?", "1.5 million tonnes"),
        ("Fuel prices rise in Tavrin",
         "Drivers in Tavrin now pay 40 cents more a litre for diesel after the government "
         "cut fuel subsidies. The subsidy cost the state 2 billion dollars last year.",
         "How much more do Tavrin drivers pay per litre of diesel?", "40 cents more a litre"),
    ],
)  # fmt: skip
def test_a_rate_may_name_what_it_is_of_before_its_unit(
    briefing: Briefing, tmp_path: Path, title: str, body: str, question: str, lead: str
) -> None:
    """ "40,000 barrels of oil a day" is a rate per day: what an amount is of ("of oil"),
    or that it is more ("40 cents more a litre"), stands between it and the "a" of its
    unit, as no clause does ("11 people drowned when an overloaded boat capsized"). (Before,
    any such small word ended the amount, and the questions were borderline.)"""
    ingest_story(briefing, tmp_path / "rate.md", title, body)
    assert lead in lead_of(grounded_answer(briefing, question))


def test_per_and_a_name_says_whose_figure_not_a_rate(briefing: Briefing, tmp_path: Path) -> None:
    """ "how many people crossed this year per Orvandia's border agency" asks the agency's
    figure: "per" before a name is "according to", as before "the Courier", not a unit
    ("per head"). (Before, it asked for an amount per agency, and was borderline.)"""
    ingest_story(
        briefing,
        tmp_path / "crossings.md",
        "Crossings rise on the Seffa",
        "According to Orvandia's border agency, some 38,000 people crossed irregularly from "
        "Quellmar into Orvandia in the first ten months of this year. Quellmar will deploy "
        "2,000 more border guards along the Seffa.",
    )
    question = (
        "how many ppl crossed from quellmar into orvandia this yr per orvandia's border agency"
    )
    assert "38,000 people" in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    ("title", "body", "question", "lead"),
    [
        ("Councils fund flood wall",
         "Three councils will pay for the new flood wall at Harnley, which is expected to cost "
         "£3.5 million. Each council will contribute about £1.17 million.",
         "How much will each of the councils contribute to the flood wall?",
         "Each council will contribute"),
        ("Harlow Bay Council Approves Eastline",
         "Harlow Bay council approved the Eastline on Tuesday. The Eastline's 32 electric "
         "buses and its depot will cost 58 million dollars in all. Each bus will cost about "
         "1.2 million dollars.",
         "How much will each of the Eastline's electric buses cost?",
         "Each bus will cost"),
    ],
)  # fmt: skip
def test_a_rate_leads_before_a_total(
    briefing: Briefing, tmp_path: Path, title: str, body: str, question: str, lead: str
) -> None:
    """A question for an amount per a unit, let through the gate because a passage gives
    one, is answered by that amount ("Each bus will cost about 1.2 million dollars"), not
    by a total that holds more of the question's words ("The Eastline's 32 electric buses
    and its depot will cost 58 million dollars in all"). (Before, the total led.)"""
    assert lead_of(answer_from(briefing, tmp_path / "story.md", title, body, question)).startswith(
        lead
    )


def test_a_number_before_a_word_in_am_or_pm_is_no_clock_time(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "40 Americans" is no "40 am": a time on the clock ends at "am" or "pm", so "At what
    time did the ferry sink?" is not answered by how many were on board. (Before, it was.)"""
    ingest_text(
        briefing,
        tmp_path / "ferry.md",
        "---\ntitle: Ferry sinks off Harnley\n---\n\n"
        "The ferry sank off Harnley on Tuesday. The ferry was carrying 40 Americans and 12 "
        "crew, the coastguard said.\n",
    )
    assert_borderline(briefing, "At what time did the ferry sink?")


@pytest.mark.parametrize(
    "question",
    [
        "How far has the Carvenian currency fallen against the dollar?",
        "How much has the Carvenian mark fallen against the dollar?",
    ],
)
def test_a_fall_against_a_currency_is_answered_in_per_cent(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "fallen against the dollar": the dollar is what the currency is measured against,
    not money asked for, and "how far" asks for a change by any number. (Before, the
    question asked for a sum of money, and "11 per cent" gave none.)"""
    body = (
        "The Bank of Carvenia raised its main interest rate to 6.25 per cent on Thursday.\n\n"
        "The Carvenian mark has lost 11 per cent of its value against the US dollar since "
        "January, pushing up the cost of imported energy and food.\n"
    )
    answer = answer_from(
        briefing, tmp_path / "rates.md", "Bank of Carvenia raises rates", body, question
    )
    assert "11 per cent" in lead_of(answer)


@pytest.mark.parametrize(
    ("question", "told"),
    [
        ("How much has the Carvenian mark lost against the US dollar?", "11 per cent"),
        ("How much has the Carvenian mark lost against the British pound?", "6 per cent"),
    ],
)
def test_a_currency_named_with_its_country_is_still_what_another_is_measured_against(
    briefing: Briefing, tmp_path: Path, question: str, told: str
) -> None:
    """ "against the US dollar", "against the British pound": the currency is still what
    the mark is measured against, whatever word comes before it, not money asked for.
    (Before, only "against the dollar" was, and the sum of dollars the bank sold led.)"""
    body = (
        "The Carvenian mark has fallen 11 per cent against the US dollar this year, the "
        "central bank said on Monday. Against the British pound it lost 6 per cent.\n\n"
        "The bank sold 2 billion dollars of reserves to steady the currency.\n"
    )
    answer = answer_from(briefing, tmp_path / "mark.md", "Carvenian mark slides", body, question)
    assert told in lead_of(answer)


def test_how_long_a_text_is_is_told_in_pages(briefing: Briefing, tmp_path: Path) -> None:
    """ "How long is the statement?" is answered in pages or words ("a six-page
    statement"), as "how long did the strike last" is in days. (Before, only a length of
    time answered "how long", and the question was refused.)"""
    body = (
        "The Harnley Tenants' Union released a six-page statement on Monday calling for "
        "rent controls.\n\nThe statement was sent to every councillor.\n"
    )
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "rent.md",
            "Tenants' union calls for rent controls",
            body,
            "How long is the tenants' union's statement?",
        )
    )
    assert "six-page statement" in lead


@pytest.mark.parametrize(
    "question",
    [
        "How long did the Harwick inquiry last?",
        "How long did Senator Vale speak for?",
        "How long was the Harwick bridge closure?",
    ],
)
def test_pages_tell_how_long_a_text_is_not_how_long_a_thing_lasted(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """Pages and words tell how long a text is ("How long is the statement?"), not how long
    an inquiry lasted, a senator spoke or a closure went on: an article that gives only a
    report's or a letter's pages or words does not answer those (borderline). (Before, "its
    300-page report", "a 2,000-word letter" and "a 12-page report on the closure" did.)"""
    ingest_text(
        briefing,
        tmp_path / "harwick.md",
        "---\ntitle: Harwick inquiry and bridge closure\n---\n\n"
        "The public inquiry into the Harwick tower fire published its 300-page report on "
        "Tuesday.\n\n"
        "Senator Rosa Vale spoke against the budget bill on Thursday, reading from a "
        "2,000-word letter sent by teachers.\n\n"
        "The Harwick bridge closure caused long queues. The council published a 12-page "
        "report on the closure on Friday.\n",
    )
    assert_borderline(briefing, question)


def test_ended_up_is_no_word_of_the_event(briefing: Briefing, tmp_path: Path) -> None:
    """ "Has anyone ended up in hospital?" asks whether anyone went to hospital: "ended
    up" marks how things turned out and is not itself what must be told as done.
    (Before, "end up" was taken for the event, no passage said it, and the question was
    refused.)"""
    ingest_text(
        briefing,
        tmp_path / "measles.md",
        "---\ntitle: Measles cases rise in Tarnbridge\n---\n\n"
        "Measles cases in Tarnbridge rose to 23 this week. Health officials said three "
        "people had been admitted to Tarnbridge District Hospital.\n",
    )
    answer = grounded_answer(briefing, "has anyone ended up in hospital with measles in tarnbridge")
    assert "admitted to Tarnbridge District Hospital" in answer.answer


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Only 78 percent of kindergarten pupils at Linden Hollow had received both doses.",
         "78 percent of kindergarten pupils"),
        ("Vaccination rates at Linden Hollow fell 8 per cent in a year.", None),
    ],
)  # fmt: skip
def test_a_share_asked_is_a_share_of_something(
    briefing: Briefing, tmp_path: Path, sentence: str, told: str | None
) -> None:
    """ "What share of the kids are vaccinated?" is answered by a share of something ("78
    percent of kindergarten pupils"), which counts no kids, not by a change ("fell 8 per
    cent in a year"). (Before, it needed a number that counted the kids, and was
    refused.)"""
    ingest_text(
        briefing,
        tmp_path / "measles.md",
        f"---\ntitle: Linden Hollow school measles outbreak\n---\n\n{sentence}\n",
    )
    question = "what share of kindergarten kids at linden hollow are vaccinated against measles"
    assert_says_or_borderline(briefing, question, told)


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Coal's share fell to 12 per cent.", "Coal's share fell to 12 per cent"),
        ("The share of power from coal was about 12 per cent.", "about 12 per cent"),
        # a change in a share price is no share of anything
        ("The coal miner's share price fell 12 per cent.", None),
    ],
)  # fmt: skip
def test_a_share_named_at_its_level_answers_a_share_question(
    briefing: Briefing, tmp_path: Path, sentence: str, told: str | None
) -> None:
    """ "What share of Orlenne's power comes from coal?" is answered where news names the
    share and gives its level ("Coal's share fell to 12 per cent"), not only by "12 per
    cent of". (Before, only "N per cent of" gave a share, and the other source's "38% of
    Orlenne's electricity", about wind, led.)"""
    ingest_text(
        briefing,
        tmp_path / "grid.md",
        "---\ntitle: Orlenne energy mix shifts to wind\n---\n\n"
        f"Wind farms supplied 38% of Orlenne's electricity last year. {sentence}\n",
    )
    question = "What share of Orlenne's power comes from coal?"
    if told is None:
        assert "share price" not in lead_of(briefing.ask(question))
    else:
        assert told in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    "question", ["who is critical of the memorandum?", "Who criticised the accord?"]
)
def test_who_stands_on_a_side_is_answered_from_that_side(briefing: Briefing, question: str) -> None:
    """ "Who is critical of the memorandum?" asks who stands on the critics' side (the
    profile's cues of one side): a sentence of that side leads ("Many activists ... have
    questioned"), not the officials' praise ("Nielson has described the memorandum as ...
    a Historic Agreement", which led: "critical" shares a family with "crisis")."""
    assert "activists" in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    ("question", "told"),
    [
        ("Who warned that the bridge could fail?", "Engineer Tom Reyes"),
        ("Who opposed the stadium plan?", "Councillor Jane Ortiz"),
    ],
)
def test_a_side_s_cue_alone_does_not_displace_a_lead_of_neither_side(
    briefing: Briefing, tmp_path: Path, question: str, told: str
) -> None:
    """ "Who warned that the bridge could fail?" is answered by the one who did, in words
    no side's cue holds ("first flagged cracks ..., telling the council it could fail"):
    a sentence with a critics' cue ("Local traders warned that the closure would cost
    them customers") that does not speak to the rest of the question does not lead
    instead. (Before, any sentence of the side asked about led over a lead of neither.)"""
    ingest_text(
        briefing,
        tmp_path / "town.md",
        "---\ntitle: Bridge closed and stadium plan divides town\n---\n\n"
        "Engineer Tom Reyes first flagged cracks in the river bridge in 2019, telling the "
        "council it could fail. The council closed the bridge to traffic on Monday. Local "
        "traders warned that the closure would cost them customers.\n\n"
        "Councillor Jane Ortiz voted against the stadium plan, calling it a gift to "
        "developers. Residents living near the site have raised concerns about traffic.\n",
    )
    assert told in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    "sentence",
    [
        "A survey found that two-thirds of nurses at Harnley General worked unpaid overtime.",
        "A survey found that one in five nurses at Harnley General worked unpaid overtime.",
    ],
)
def test_a_share_in_words_answers_a_share_question(
    briefing: Briefing, tmp_path: Path, sentence: str
) -> None:
    """ "What fraction of nurses worked unpaid overtime?" is answered by a share written in
    words ("two-thirds of nurses", "one in five nurses"), as by one in digits. (Before,
    only a percentage in digits was a share, and the question was refused.)"""
    ingest_text(
        briefing,
        tmp_path / "nurses.md",
        f"---\ntitle: Nurses' overtime survey\n---\n\n{sentence}\n",
    )
    question = "What fraction of nurses at Harnley General worked unpaid overtime?"
    assert sentence.split(" found that ")[1][:12] in grounded_answer(briefing, question).answer


@pytest.mark.parametrize(
    "question",
    [
        "what % of households said violence was the reason for leaving",
        "wat % of households blamed violence for leaving?",
    ],
)
def test_a_per_cent_sign_typed_as_a_word_asks_for_a_share(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "what % of households ..." asks for a share, as "what percentage" does: the sign
    typed for the word is read as it. (Before, the sign was dropped, the question asked
    "what", and the report's opening sentence led.)"""
    ingest_story(
        briefing,
        tmp_path / "report.md",
        "Violence drives emigration from Montreva",
        "Violence has overtaken poverty as the main reason households leave Montreva, a "
        "report by the Open Roads Institute said on Monday. Researchers interviewed 2,600 "
        "households across eight provinces. Violence was the main reason for leaving in 61 "
        "per cent of the households surveyed.",
    )
    assert "61 per cent" in lead_of(grounded_answer(briefing, question))


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("what did the council guy say about the grant money", True),
        ("what did the old lady think about the grant", True),
        ("What did the mayor say about the grant money?", False),
        ("What did the expert say about the grant money?", False),
    ],
)
def test_chat_s_word_for_a_person_asks_anyone_s_words(
    briefing: Briefing, tmp_path: Path, question: str, answered: bool
) -> None:
    """ "the council guy", "the old lady": chat names someone by sex or age alone, whom
    the sources name otherwise ("Councillor Ravi Bellamy said"); their words are anyone's
    in the passages that speak to the rest of the question. A role the sources never give
    ("the mayor"), and so does a kind of person right under "person" in WordNet ("the
    expert"). (Before, "the guy" had no words in the sources, and the question was
    borderline.)"""
    ingest_story(
        briefing,
        tmp_path / "foodbank.md",
        "Tollbridge food bank gets emergency grant",
        "Tollbridge Borough Council announced on Thursday that it would give the food bank "
        'an emergency grant of £10,000. Councillor Ravi Bellamy said the money was "a '
        'sticking plaster, not a solution".',
    )
    if answered:
        assert "sticking plaster" in grounded_answer(briefing, question).answer
    else:
        assert_borderline(briefing, question)


@pytest.mark.parametrize(
    ("word", "plain"),
    [("guy", True), ("bloke", True), ("lady", True), ("woman", True), ("person", True),
     ("expert", False), ("leader", False), ("mayor", False), ("spokesman", False),
     ("oldster", True), ("wife", False), ("widow", False), ("ex", False), ("host", False),
     ("conservatives", False), ("professional", False)],
)  # fmt: skip
def test_a_person_by_sex_or_age_alone(word: str, plain: bool) -> None:
    """A man, a woman, a male, a female, an adult, a boy, a girl, or right under one of
    them ("guy": a man); or "person" itself, but not the many roles WordNet files right
    under "person" ("expert", "leader")."""
    from bot.core.lexicon import plain_person

    assert plain_person(word) is plain


@pytest.mark.parametrize(
    "question",
    [
        "by what % did remittances rise",
        "what was the % rise in remittances",
        "By what percentage did remittances rise?",
    ],
)
def test_a_percentage_asked_for_is_stated_by_a_per_cent_sign(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "By what percentage did remittances rise?" asks for a percentage, which "rose by
    12%" states: "percentage" (and "percent", and the sign read as the word) is a measure,
    as "duration" is, that an amount of it states without the word. (Before, the word
    had to be in the passage; the sign, read as "percentage" since eb4739e, made "by what
    % did remittances rise" borderline, as the word already was.)"""
    ingest_story(
        briefing,
        tmp_path / "remittances.md",
        "Remittances to Montreva",
        "Remittances to Montreva reached 4.1 billion dollars last year, the central bank "
        "said. Some 40% of the money came from workers in Orvandia. Remittances rose by 12% "
        "on the year before.",
    )
    assert "rose by 12%" in lead_of(grounded_answer(briefing, question))


def test_a_per_cent_sign_written_with_the_word_s_ending_is_the_word(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "what %age of the migrants were children" writes "percentage" short: the sign and
    its ending are the one word. (Before, the sign was read as "percentage" and its ending
    as "age", and the sentence that gives the adults' age led.)"""
    ingest_story(
        briefing,
        tmp_path / "crossing.md",
        "Migrants reach Vell Crossing",
        "Some 400 migrants reached Vell Crossing on Sunday, the border agency said. About 30% "
        "of them were children. The average age of the adults was 27, and the youngest child "
        "was aged two.",
    )
    answer = grounded_answer(briefing, "what %age of the migrants were children")
    assert "About 30% of them were children" in lead_of(answer)


@pytest.mark.parametrize(
    "question",
    [
        "Which countries sent ministers to the summit?",
        "Which countries sent ministers to the Oslo summit?",
        "which countries signed the fisheries pact",
    ],
)
def test_which_places_in_the_plural_is_answered_by_the_sentence_that_names_them(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "Which countries sent ministers to the summit?" asks for countries by name: the
    sentence that names the most of them ("from Norway, Sweden and Finland") leads, before
    one that counts them ("the three Nordic nations") or names one; and no sentence that
    introduces a person named in it by surname goes first, as it would for a "who"
    question about that person. (Before, the counting sentence led, or the introduction
    of Lindqvist.)"""
    ingest_story(
        briefing,
        tmp_path / "summit.md",
        "Nordic summit ends with fisheries pact",
        "Activists from Denmark criticised the plan after meeting Karin Lindqvist, the "
        "Swedish fisheries minister, in Copenhagen. The summit in Oslo ended with the signing "
        "of a fisheries pact between the three Nordic nations. On Tuesday, Lindqvist and "
        "ministers from Norway, Sweden and Finland attended the summit.",
    )
    lead = lead_of(grounded_answer(briefing, question))
    assert lead.startswith("On Tuesday, Lindqvist and ministers from Norway, Sweden and Finland")


@pytest.mark.parametrize(
    "question",
    [
        "what did the widow say about the crash on Marlow Road",
        "what did the ex say about the crash on Marlow Road",
        "what did the conservatives say about the crash on Marlow Road",
        "what did the host say about the crash on Marlow Road",
    ],
)
def test_a_person_by_a_tie_or_a_stance_is_no_one_by_sex_alone(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """WordNet files many words right under "man", "woman" or "adult" that name someone
    by a tie, a stance or a deed ("widow": a woman whose husband is dead; "ex";
    "conservative"; "host": a person who invites guests), not by sex or age alone as
    "guy" or "lady" does: a police inspector's words are not the widow's. (57e9938 and
    cecb555 took any word right under those for chat's word for anyone, and answered.)"""
    ingest_story(
        briefing,
        tmp_path / "crash.md",
        "Cyclist killed on Marlow Road",
        "A cyclist was killed on Marlow Road in Pennick on Sunday after being struck by a "
        "lorry. Inspector Dale Hutton of Pennick Police said officers were appealing for "
        "witnesses to the crash.",
    )
    assert_borderline(briefing, question)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("what did the police guy say about the library closure", None),
        ("what did the council guy say about the library closure", None),
        ("what did the guy say about the library closure", "a disgrace"),
    ],
)
def test_the_noun_before_chat_s_word_for_a_person_says_who_it_is(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "the police guy" is someone of the police: a resident's words, in a story where
    the police only turn up, are not theirs, nor the council's, which only votes; "the
    guy" alone is anyone who speaks. (57e9938 took anyone's words for "the police guy"
    and "the council guy" too.)"""
    ingest_story(
        briefing,
        tmp_path / "library.md",
        "Library closure vote",
        "Harwick Council voted on Monday to close Elmfield library next spring. Police were "
        "called when protesters blocked the library entrance. Resident Joan Pike, who has "
        'used the library for forty years, said the closure was "a disgrace".',
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Which countries signed the fisheries pact?", "Only Norway and Iceland signed"),
        ("Which countries sent delegations to the fisheries talks?", "Delegations from Norway"),
        ("which countries sent observers to Valmora", "Observers from Ghana and Mali"),
        ("Which countries will send troops to the Valmora mission?", "Troops for the mission"),
        ("Which cities will get trams?", "Trams will return to Leeds and Bradford"),
        ("which cities are getting new bus lanes", "Quill also said Hull, York and Sheffield"),
    ],
)
def test_which_places_is_led_by_the_names_of_the_places_that_did_it(
    briefing: Briefing, tmp_path: Path, question: str, lead: str
) -> None:
    """Of the sentences that name several countries, the one that says what the question
    asks they did leads ("Only Norway and Iceland signed the fisheries pact"), not the one
    that names the most for something else (four delegations that attended the talks); and
    countries WordNet writes in two words or that are everyday words in lower case
    ("China, Turkey and South Korea") are named as much as "Ghana and Mali" are, and so
    is a name WordNet knows otherwise in a list of such places ("Leeds and Bradford":
    Bradford is a printer to WordNet, York a royal house).
    (85646b7 led with the sentence naming the most of its single-word names.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "pact",
                "Fisheries pact signed in Reykjavik",
                "Delegations from Norway, Sweden, Finland and Denmark attended the fisheries "
                "talks in Reykjavik on Monday. Only Norway and Iceland signed the fisheries "
                "pact on Tuesday.",
            ),
            (
                "valmora",
                "Peacekeepers for Valmora",
                "The Valmora peace mission will be led by Kenya. Troops for the mission will "
                "come from China, Turkey and South Korea. Observers from Ghana and Mali "
                "visited the Valmora capital last month.",
            ),
            (
                "trams",
                "Trams return north",
                "Trams will return to Leeds and Bradford in 2029, transport secretary Mara "
                "Quill said. Quill also said Hull, York and Sheffield would get new bus lanes "
                "by 2027.",
            ),
        ],
    )
    assert lead_of(grounded_answer(briefing, question)).startswith(lead)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("How many patrol boats did the RN order?", None),
        ("how many patrol boats did the Border Force order rn", "four patrol boats"),
        ("How much will the Corrabeen tunnel cost according to the SMH?", "2 billion"),
    ],
)
def test_chat_s_initialisms_typed_in_capitals_are_acronyms(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "rn" is chat's "right now", but "the RN" is the Royal Navy, "the SMH" a newspaper:
    typed in capitals, an initialism is an acronym like any other, which the sources must
    hold. The Border Force's four boats do not answer how many the RN ordered, nor the
    Gazette's 4 billion what the SMH reported. (cff0dc0 made every "rn" and "smh" a stop
    word: the RN question was answered with the Border Force's boats, and the SMH's
    figure came with the Gazette's.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "gazette",
                "Tunnel costs double",
                "The Corrabeen Gazette reported on Monday that the Corrabeen tunnel would cost "
                "4 billion dollars. Transport minister Lena Ostrova said the project was on "
                "track.",
            ),
            (
                "smh",
                "Tunnel estimate",
                "The SMH reported that the Corrabeen tunnel would cost 2 billion dollars, "
                "citing a leaked Treasury memo.",
            ),
            (
                "boats",
                "Border Force orders boats",
                "The Border Force has ordered four patrol boats from Harlan Yards. The first "
                "will arrive at Dover in 2027.",
            ),
        ],
    )
    answer = assert_says_or_refused(briefing, question, says)
    if says is not None:
        assert "4 billion" not in answer.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("what did the woman say about the bakery fire", None),
        ("what did the lady say about the fire on Mill Lane", None),
        ("what did the guy say about the bakery fire", "heartbroken"),
    ],
)
def test_chat_s_word_for_a_person_of_one_sex_is_not_someone_of_the_other(
    briefing: Briefing, tmp_path: Path, question: str, says: str | None
) -> None:
    """ "the woman", "the lady" ask for a woman's words: the bakery's owner, who "said he
    was heartbroken", is a man. (57e9938 took anyone's words for theirs.)"""
    ingest_story(
        briefing,
        tmp_path / "bakery.md",
        "Bakery fire on Mill Lane",
        "A fire gutted the Crustworks bakery on Mill Lane in Hadley early on Saturday. Owner "
        'Peter Gane said he was "heartbroken" and would rebuild. Fire crews from Hadley and '
        "Oxcombe fought the blaze for three hours.",
    )
    assert_says_or_borderline(briefing, question, says)


@pytest.mark.parametrize(
    "question",
    ["what did the guy say about the bakery fire", "what did the old man say about the fire"],
)
def test_chat_s_word_for_a_person_is_answered_by_someone_s_words(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "What did the guy say about the bakery fire?" is answered by someone's words ("Owner
    Peter Gane said he was heartbroken"), not led by the sentence that holds most of the
    question's other words ("A fire gutted the Crustworks bakery"), which no one says.
    (57e9938 let the question through for the owner's words, and led with the fire.)"""
    ingest_story(
        briefing,
        tmp_path / "bakery.md",
        "Bakery fire on Mill Lane",
        "A fire gutted the Crustworks bakery on Mill Lane in Hadley early on Saturday. Owner "
        'Peter Gane said he was "heartbroken" and would rebuild. Fire crews from Hadley and '
        "Oxcombe fought the blaze for three hours.",
    )
    assert lead_of(grounded_answer(briefing, question)).startswith("Owner Peter Gane said")


@pytest.mark.parametrize(
    "question",
    ["what did the bloke say about the fire", "what did the dude say about the bakery fire"],
)
def test_a_rare_chat_word_for_a_person_does_not_refuse(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "the bloke", "the dude": chat's rarer words for someone by sex or age alone are no
    more a word the sources must hold than "the guy" is (57e9938 named "the bloke", but
    the gate refused it: a rare word no passage holds weighs as a name would)."""
    ingest_story(
        briefing,
        tmp_path / "bakery.md",
        "Bakery fire on Mill Lane",
        "A fire gutted the Crustworks bakery on Mill Lane in Hadley early on Saturday. Owner "
        'Peter Gane said he was "heartbroken" and would rebuild. Fire crews from Hadley and '
        "Oxcombe fought the blaze for three hours.",
    )
    assert "heartbroken" in grounded_answer(briefing, question).answer


@pytest.mark.parametrize(
    "question",
    [
        "which countries signed on besides the united states",
        "Which countries signed the agreement alongside the US?",
        "which central american countries had security people at the summit?",
    ],
)
def test_which_places_counts_the_places_of_the_kind_asked(
    full_briefing: Briefing, question: str
) -> None:
    """A place's name inside a longer name is no place named ("The Honduras Summit had
    ended with signing ... between United States of America and the three Central
    American nations" names one country, not two), nor is a region listed beside a
    country ("Central America and Mexico"); and "Central American countries" are
    WordNet's, so the United States is none of them. The sentence that names Guatemala,
    Honduras and El Salvador leads. (e2235b7 counted every instance of "country" the text
    wrote, and only in the best sentence's article.)"""
    lead = lead_of(grounded_answer(full_briefing, question))
    assert "Guatemala" in lead and "El Salvador" in lead, lead


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Roughly how many people came to the Dunmore lantern festival?", "6,000"),
        ("approximately how many people came to the Dunmore lantern festival", "6,000"),
        ("so when does the Dunmore lantern festival come back?", "12 October"),
        ("ok so when is the Dunmore lantern festival back", "12 October"),
    ],
)
def test_a_lead_in_does_not_change_what_is_asked(
    briefing: Briefing, tmp_path: Path, question: str, fact: str
) -> None:
    """Chat's openers ("so", "ok") and a hedge on the figure ("roughly") lead in to the
    question word: "roughly how many people came" asks what "how many people came" asks,
    and is answered by the count. (Before, any word ahead of "how" or "when" made the
    question a plain "what", and the sentence with most of its words led.)"""
    answer = answer_from(
        briefing,
        tmp_path / "lanterns.md",
        "Lanterns Fill Dunmore Square",
        "Crowds packed the square for the Dunmore lantern festival, and the lantern parade "
        "crossed the square at dusk as people came from across the county. Organisers said "
        "about 6,000 people attended. The festival comes back on 12 October.",
        question,
    )
    assert fact in lead_of(answer)


def test_an_english_word_the_sources_never_use_does_not_refuse(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A question worded in English the article does not use ("the *getaway* van") is
    answered from its other words: when no stored article uses a word, its rarity in
    English says nothing of which passage answers, so it weighs as an everyday word.
    (Before, a rare word absent from the corpus weighed as a name and refused the
    question.) A missing word for people is still who the question asks about: the
    owner's words do not answer what the hackers demanded."""
    answer = answer_from(
        briefing,
        tmp_path / "raid.md",
        "Jewellers Raided in Dunmore",
        "Three men raided a jeweller's on Dunmore High Street on Friday and escaped in a "
        "white van. The van was found burned out on a farm track near Kelty on Saturday. "
        "The owner of the jeweller's said he would not reopen before Christmas.",
        "what happened to the getaway van?",
    )
    assert "burned out" in answer.answer
    assert not briefing.ask("what did the hackers demand from the jeweller's owner?").answered


def test_how_many_people_did_it_is_answered_by_a_count_of_those_who_did(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many people needed treating?" asks for people in general: "23 runners were
    treated" counts people who did what the question asks, so it answers, before a count
    of persons who did something else ("About 9,400 runners had entered"). (Before, the
    question was refused: no sentence counted "people" by that word.)"""
    answer = answer_from(
        briefing,
        tmp_path / "marathon.md",
        "Harbour Marathon Called Off in Heat",
        "About 9,400 runners had entered the Harbour Marathon. The race was called off as "
        "the heat rose. At last year's race, 23 runners were treated for heat illness.",
        "how many people needed treating for the heat at last year's race",
    )
    assert "23 runners" in lead_of(answer)


def test_how_many_of_a_thing_spent_is_no_amount_of_money(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many hours did crews spend waiting?" counts hours: the verb "spend" does not
    make it ask for money, so a sentence that counts the hours answers it. (Before, the
    question was refused: it asked, the gate read, for an amount of money, and the article
    gives none.)"""
    answer = answer_from(
        briefing,
        tmp_path / "locks.md",
        "Ferries Queue at the Kessel Locks",
        "Ferry crews on the Dunmarsh route spent 3,150 hours last year waiting at the "
        "Kessel locks, the port authority said. The locks were built in 1911. The authority "
        "blamed a shortage of lock keepers.",
        "how many hrs did dunmarsh ferry crews spend stuck at the locks last year",
    )
    assert "3,150 hours" in lead_of(answer)


def test_a_sentence_that_says_only_the_deed_does_not_answer_who(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "Who took the tenancy law to court?": a sentence that says *taken* and nothing
    else of the question ("asked why it had taken so long") does not lead the answer.
    (Before, the deed alone chose it.)"""
    answer = answer_from(
        briefing,
        tmp_path / "law.md",
        "Court strikes down Orlen tenancy law",
        "Orlen's Supreme Court on Monday struck down the Tenancy Act, ruling that its "
        "eviction rules breached the right to a home. The Renters' League, led by Mara "
        "Holt, brought the case in 2024. Opposition MPs welcomed the ruling but asked why "
        "it had taken so long.",
        "who took the tenancy law to court",
    )
    assert "taken so long" not in lead_of(answer)


def test_a_percentage_or_a_sum_counts_no_thing(briefing: Briefing, tmp_path: Path) -> None:
    """ "How many soldiers serve?" is not answered by "a 9 per cent pay rise for soldiers"
    nor by a sum of money beside them: neither counts soldiers, so no passage says and the
    question is refused. A share of them does count them ("84 per cent of its members")."""
    ingest_story(
        briefing,
        tmp_path / "budget.md",
        "Dornavia raises defence spending",
        "Dornavia's 2027 budget raises defence spending to 4.2 billion mereks. Most of the "
        "increase will go on air defence and on a 9 per cent pay rise for soldiers. The "
        "union said 84 per cent of its members backed the rise.",
    )
    assert_borderline(briefing, "How many soldiers serve in Dornavia's armed forces?")
    assert "84 per cent" in lead_of(
        grounded_answer(briefing, "how many union members backed the rise")
    )


def test_people_counted_at_a_place_before_their_deed_are_counted(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many people walked out?" is answered by "About 640 workers at the Ashmore's
    chocolate factory in Kelvedge walked out": the place they are at stands between the
    persons counted and their deed, which the question names by a phrasal verb."""
    answer = answer_from(
        briefing,
        tmp_path / "strike.md",
        "Strike stops chocolate lines",
        "About 640 workers at the Ashmore's chocolate factory in Kelvedge walked out at "
        "6am on Thursday. The company has offered a pay rise of 3.5 per cent. The factory "
        "opened in 1921.",
        "how many ppl walked out at the ashmore's factory",
    )
    assert "640 workers" in lead_of(answer)


def test_a_dateline_s_place_is_where_all_of_its_story_is_filed_from(
    database_url: str, tmp_path: Path
) -> None:
    """ "How much does Varesk claim importers owe Karvel Potash?": Varesk is the wire
    story's dateline, so every passage of that story is filed from there, and the debt,
    three paragraphs down, answers. (Before, the names never met in one passage: another
    story names Varesk, this one only in its dateline.)"""
    wire = (
        "Tarvania says fertiliser ban is about shortages\n\n"
        "VARESK, Dec 1 (Tarvanian News Agency) - Tarvania defended its ban on fertiliser "
        "exports to Oskelund on Tuesday, saying it was needed after a fire at the country's "
        "largest potash mine.\n\n"
        "The fire at the Sostra mine cut output by a fifth, the trade ministry said. Repairs "
        "will take until the spring, and farmers at home come first.\n\n"
        "The minister accused Oskelundic importers of stockpiling since the summer, and said "
        "they owed Karvel Potash about 48 million korvals in unpaid bills.\n"
    )
    with small_chunks(database_url, tmp_path) as briefing:
        ingest_text(briefing, tmp_path / "wire.txt", wire)
        ingest_story(
            briefing,
            tmp_path / "herald.md",
            "Oskelund farmers fear potash shortage",
            '"Everyone in Varesk knows this is about steel," said Oskelund\'s agriculture '
            "minister. Farmers expect yields to fall by up to 15 per cent.",
        )
        answer = grounded_answer(
            briefing, "How much does Varesk claim Oskelundic importers owe Karvel Potash?"
        )
        assert "48 million korvals" in answer.answer


def test_the_writer_is_the_article_where_the_articles_speak_of_no_writer(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "What does the writer think the real problem is?" asks what the article says,
    when no article speaks of a writer or an author: the opinion piece answers. (Before,
    "writer" was a person the sources never name, and the question was refused.) Where a
    story is about an author, "the author" is that author."""
    ingest_story(
        briefing,
        tmp_path / "opinion.md",
        "Border plans miss the point",
        "The new border plan was signed on Monday. The real problem is that policies are "
        "framed around security alone. Poverty and violence push families to leave.",
    )
    answer = grounded_answer(briefing, "what does the writer think the real problem is here")
    assert "real problem" in lead_of(answer)
    ingest_story(
        briefing,
        tmp_path / "prize.md",
        "Debut novel wins the Verdane Prize",
        "A self-published debut won the Verdane Prize on Friday. The author, Mira Ostel, "
        'said: "I printed the first copies in my kitchen."',
    )
    answer = grounded_answer(briefing, "what did the author say about winning the prize")
    assert "kitchen" in answer.answer


#: Funding and training halted for border units; no sum of money is given.
BORDER_UNITS = (
    "The defence ministry of Marvessa suspended funding for its three border units in May, "
    "after auditors found that patrol boats bought for them had been used for fishing "
    "trips.\n\n"
    "It also halted the training of the units by foreign instructors, the ministry said "
    "on Friday.\n\n"
    "The units were set up in 2019 to stop smuggling on the Ostra river.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "Besides the money, what else did the ministry halt for the border units?",
        "apart from the funding what else got stopped for those border units",
    ],
)
def test_what_a_question_asks_is_read_from_its_question_word(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """A phrase that sets the scene before the question word is not what is asked:
    "Besides the money, what else ...?" does not ask for an amount of money. (Before,
    the first words were read as the thing asked for, and the question, asking for
    money where the story gives no sum, was refused.)"""
    answer = answer_from(
        briefing,
        tmp_path / "units.md",
        "Marvessa halts border units' funding",
        BORDER_UNITS,
        question,
    )
    assert "halted the training" in answer.answer


#: A tower's height beside its cost and its opening year.
HARBOUR_TOWER = (
    "The Harbour Tower will cost 310 million crowns and open in 2029, according to the "
    "council's planning report.\n\n"
    "At 168 metres, it will be the tallest building in Lessa, and its 40 lifts will be "
    "the fastest in the country.\n\n"
    "Work starts in March.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "How tall will the Harbour Tower be?",
        "According to the council's planning report, how tall will the Harbour Tower be?",
    ],
)
def test_a_measure_asked_after_a_phrase_that_sets_the_scene(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "According to the report, how tall ...?" asks for a height as "How tall ...?"
    does: the checks of a question's shape ("how tall", "how many", "how much") read it
    from its question word on. (Before, they read it from "According", found no "how
    tall", and the cost led.)"""
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "tower.md",
            "Lessa approves Harbour Tower",
            HARBOUR_TOWER,
            question,
        )
    )
    assert "168 metres" in lead


#: A fall in sales told in euros and, in the next sentence, in per cent.
SALES_FALL = (
    "Sales at Brellin Foods fell by 4.2 million euros last year, the company said in its "
    "annual report on Thursday.\n\n"
    "The drop, of 12 per cent, was the largest since the company was founded in 1962.\n\n"
    "Chief executive Mara Leddin blamed the loss of a supermarket contract.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "How much did sales fall in percentage terms?",
        "In percentage terms, how much did sales fall?",
        "In per cent, how much did Brellin's sales fall?",
    ],
)
def test_a_unit_named_in_a_phrase_that_sets_the_scene_is_the_one_asked(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "In percentage terms, how much ...?" asks for a percentage, as "How much ... in
    percentage terms?" does: the shape of the question ("how much") is read from its
    question word on, but a unit the leading phrase names is still the one asked for.
    (Before, the phrase was skipped whole, the question asked for any amount, and the
    sum in euros led.)"""
    lead = lead_of(
        answer_from(
            briefing, tmp_path / "sales.md", "Brellin Foods sales slump", SALES_FALL, question
        )
    )
    assert "12 per cent" in lead


#: How long a shelter can stay open and, in the next sentence, its grant in euros.
SHELTER_GRANT = (
    "The Harbour Street night shelter can stay open for another six weeks, its manager, "
    "Ines Corra, said on Monday.\n\n"
    "The city council gave the shelter an emergency grant of 40,000 euros last week.\n\n"
    "Volunteers had warned in October that the shelter could close before Christmas.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "How much longer can the Harbour Street shelter stay open given the cash shortfall?",
        "Given the cash shortfall, how much longer can the Harbour Street shelter stay open?",
        "Besides the money, how much longer can the Harbour Street shelter stay open?",
    ],
)
def test_money_a_leading_phrase_speaks_of_is_not_the_unit_asked(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """A phrase that sets the scene names the unit asked for only as "In percentage
    terms", "In dollars" do: "Given the cash shortfall" and "Besides the money" speak of
    money, but ask how much longer, as the same question with the phrase at its end does.
    (Before, any money word in the phrase made the question ask for a sum, and the grant
    in euros led.)"""
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "shelter.md",
            "Night shelter gets a reprieve",
            SHELTER_GRANT,
            question,
        )
    )
    assert "six weeks" in lead


#: A fire that may smoulder "for up to a week".
DEPOT_FIRE = (
    "BRACKENHOLT, Dec 2 (Norland Wire) - A fire at a recycling depot in Brackenholt was "
    "still burning on Tuesday, two days after it started in a pile of old batteries.\n\n"
    "About 1,500 tonnes of waste were alight, and the fire chief, Anna Quell, said the "
    "depot could smoulder for up to a week because crews had to pull the burning piles "
    "apart with excavators.\n\n"
    "Residents were told to keep windows closed.\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "How long could the depot keep smouldering?",
        "According to the wire, how long might the depot keep smouldering for?",
    ],
)
def test_a_length_of_time_may_be_one_unit(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "for up to a week" is a length of time, as "for six days" is ("a" or "an" and a
    unit; not a rate: "twice a week"). (Before, only a number and a unit were, and "How
    long could the depot keep smouldering?" was refused: no passage held a duration.)"""
    lead = lead_of(
        answer_from(
            briefing,
            tmp_path / "fire.md",
            "Brackenholt depot fire still burning",
            DEPOT_FIRE,
            question,
        )
    )
    assert "up to a week" in lead


#: A mayor re-elected to "a second term": no length of time is given.
SECOND_TERM = (
    "Ines Tarrow was re-elected mayor of Vellmark on Sunday, winning a second term with 61 "
    "per cent of the vote.\n\n"
    "Her rival, Jonas Brede, conceded late on Sunday night and said he would stay on the "
    "council.\n\n"
    "Tarrow said her first task would be to reopen the harbour bridge, which has been "
    "closed since a storm in March.\n"
)


@pytest.mark.parametrize(
    "question", ["How long will Tarrow serve as mayor?", "How long is the mayor's term?"]
)
def test_a_second_term_is_no_length_of_time(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "a second term" counts terms: "second" after "a" is the ordinal ("a second round",
    "a second team", "a second reservoir"), not one second of time. (Before, "a second"
    was read as a length of time, as "a week" is, and the question, which no passage
    answers, was answered with the sentence of the election.)"""
    ingest_story(briefing, tmp_path / "mayor.md", "Tarrow wins second term", SECOND_TERM)
    assert_borderline(briefing, question)


#: A plant's rate ("400 tonnes of rubbish a day") and its cost; no length of time.
WASTE_PLANT = (
    "The Kessary waste plant opened on Monday and will burn 400 tonnes of rubbish a day, "
    "the operator said.\n\n"
    "The plant cost 85 million euros and was built by a consortium led by Norvant, which "
    "will be paid 2 million euros a year to run it.\n\n"
    "Residents had opposed the plant, saying it would bring more lorries through the "
    "village.\n"
)


@pytest.mark.parametrize(
    "question",
    ["How long did the Kessary plant take to build?", "How long will Norvant run the plant?"],
)
def test_a_rate_is_no_length_of_time(briefing: Briefing, tmp_path: Path, question: str) -> None:
    """ "400 tonnes a day" and "2 million euros a year" are rates: after an amount, "a
    day" says per what, not how long. Only after a word that takes a length of time ("for
    up to a week", "within an hour", "more than a year", "took a month") is "a" and a
    unit one. (Before, any "a day" but "once/twice/three times a day" was, and the
    question, which no passage answers, was answered with the plant's rate.)"""
    ingest_story(briefing, tmp_path / "plant.md", "Kessary opens waste plant", WASTE_PLANT)
    assert_borderline(briefing, question)


#: Tescaro's minister and the Orlundian officials: each place named once, by its
#: people's adjective or by its own name.
DEBT_DEAL = (
    "Tescaro has reached a deal with its creditors to restructure $14 billion of bonds, "
    "the finance ministry said on Monday.\n\n"
    '"Today Tescaro stops borrowing from its children," the finance minister, Lucia '
    "Arventes, told a news conference.\n\n"
    "Orlundian officials said the deal would not bind their country's banks until it was "
    "ratified by the Volsrad.\n"
)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What did the Tescaran finance minister say?", "borrowing from its children"),
        ("Do Orlund's officials think the deal binds its banks yet?", "ratified by the Volsrad"),
    ],
)
def test_a_place_and_its_people_by_the_endings_english_gives_them(
    briefing: Briefing, tmp_path: Path, question: str, said: str
) -> None:
    """A name WordNet does not know and its people's adjective are one word by the
    endings English gives them: "Tescaran" is of Tescaro (as "Mexican" of Mexico),
    "Orlundian" of Orlund (as "Brazilian" of Brazil). (Before, only "-a"/"-an" was, and
    both questions were refused: names the sources never use.)"""
    answer = answer_from(
        briefing, tmp_path / "debt.md", "Tescaro strikes debt deal", DEBT_DEAL, question
    )
    assert said in answer.answer


#: A heat wave, written apart, and a mayor's words.
HEAT_WAVE = (
    "The heat wave that hit Corvale last week killed 12 people, most of them over 75, "
    "the regional health authority said on Monday.\n\n"
    '"A city where the old cannot sleep is a city that has failed them," Mayor Ines '
    "Valtari told the council, announcing 40 cooling rooms in libraries and schools.\n\n"
    "Temperatures reached 41C on Thursday, a record for August.\n"
)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("how many ppl died in the corvale heatwave", "killed 12 people"),
        ("whats the mayor's soundbite about the old and the heat", "cannot sleep"),
    ],
)
def test_a_compound_closed_up_is_english_not_a_name(
    briefing: Briefing, tmp_path: Path, question: str, said: str
) -> None:
    """ "heatwave" and "soundbite" are the two words WordNet knows as "heat wave" and
    "sound bite", closed up: English, found written either way, not names the sources
    never use. (Before, a word WordNet did not know as written was read as a name, and
    both questions were refused.)"""
    answer = answer_from(
        briefing, tmp_path / "heat.md", "Corvale heat wave kills 12", HEAT_WAVE, question
    )
    assert said in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Has Orvandia ever banned a party before?",
        "has the court outlawed a party before this one?",
        "What happened the last time the court banned a party?",
    ],
)
def test_a_question_about_a_precedent_is_answered_by_the_earlier_case(
    briefing: Briefing, tmp_path: Path, question: str
) -> None:
    """ "Has it ever done this before?" asks for an earlier case, and the sentence that
    gives one ("last banned a party in 1998") leads, not the one that tells this case in
    more of the question's words. (Before, a yes-or-no question looked only for a denial,
    and the ban of this week led.)"""
    ingest_story(
        briefing,
        tmp_path / "ban.md",
        "Orvandia's court bans the Iron Hand party",
        "Orvandia's constitutional court on Thursday banned the far-right Iron Hand party, "
        "ruling that it had worked to abolish the democratic order. The party's 12 members "
        "of parliament will keep their seats as independents until the next election.\n\n"
        "The party's leader said he would take the case to a European court. Supporters "
        "gathered outside the court in the capital, Varn.\n\n"
        "The court last banned a party in 1998, when it dissolved the Workers' Front for "
        "plotting a coup.",
    )
    assert "last banned a party in 1998" in lead_of(grounded_answer(briefing, question))


def test_how_many_people_is_answered_by_a_count_of_persons_not_of_groups(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How many people ...?" counts persons, not the groups WordNet files among the
    kinds of people: "the four governments" and "three nations" count no one, so a
    question whose passages give no count of persons is not answered; and a count of
    persons of any kind ("46,000 passengers") counts them where its sentence names what
    the question names. (Before, a sentence with any number beside such a group answered
    it, and one that counted passengers but did not say "people" did not count.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "centre",
                "Analysts at the Halvorsen Center question the aid freeze",
                "Analysts at the Halvorsen Center said the aid freeze came only days after "
                "the four governments signed a memorandum on border security. The three "
                "nations had asked for more time to set up the programmes.",
            ),
            (
                "line",
                "Kestrin Line closed by a flooded tunnel",
                "The line was closed on Monday after a water main burst above a tunnel. "
                "The Kestrin Line normally carries about 46,000 passengers on a weekday.",
            ),
        ],
    )
    assert_borderline(briefing, "How many people work at the Halvorsen Center?")
    answer = grounded_answer(briefing, "How many people ride the Kestrin Line on a weekday?")
    assert "46,000 passengers" in lead_of(answer)


def test_the_price_of_a_thing_for_a_place_is_not_the_place_s_own_cost(
    briefing: Briefing, tmp_path: Path
) -> None:
    """ "How much will a ticket on the Eastline cost?" asks the price of a ticket, which
    "The Eastline is expected to cost 412 million dollars" does not give: a sum counts
    where its sentence, or the one just before or after it, names the thing priced. (Before,
    any sum in a passage about the Eastline answered it.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "eastline",
                "Harlow Bay approves the Eastline",
                "Harlow Bay's council approved the Eastline, a bus corridor to the ferry "
                "terminal. The Eastline is expected to cost 412 million dollars. Buses will "
                "run every five minutes.",
            ),
            (
                "lido",
                "Pennick Bay lido to open all year",
                "The lido's new heating system was switched on in May. It cost £1.9 million, "
                "most of it from a government grant.",
            ),
        ],
    )
    assert_borderline(briefing, "How much will a ticket on the Eastline cost?")
    refusal = briefing.ask("How much will tickets on the Eastline cost?").refusal
    assert refusal is not None
    assert refusal["reason"].startswith("the question asks the price of the tickets it names")
    answer = grounded_answer(briefing, "How much did the heating system for the lido cost?")
    assert "£1.9 million" in answer.answer


@pytest.mark.parametrize(
    ("question", "earlier"),
    [
        ("Why have food prices in Marrowdale risen so much in the past year?", "last rose"),
        ("What has the council done for families in the past year?", "last cut"),
        ("What must I do before I cross the Tarrow Bridge?", "last closed"),
    ],
)
def test_a_question_that_asks_for_no_precedent_is_not_led_by_an_earlier_case(
    briefing: Briefing, tmp_path: Path, question: str, earlier: str
) -> None:
    """A question for a cause ("Why ...?"), one about a span up to now ("in the past
    year"), and one whose "before" opens a clause ("before I cross") ask for no earlier
    case: the sentence that tells of a time before ("Prices last rose this fast in 2008",
    "The bridge was last closed in 2015") does not lead. (Before, each was read as asking
    for a precedent, and that sentence got the answer-type bonus.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "prices",
                "Marrowdale food prices jump",
                "Food prices in Marrowdale rose 14 per cent in the past year, the statistics "
                "office said on Tuesday. The rise was driven mainly by a poor harvest and the "
                "higher cost of imported fertiliser. Prices last rose this fast in 2008, "
                "during the global food crisis. The council has handed out food vouchers to "
                "4,000 families and opened two food banks. The council last cut council tax "
                "for families in 2019.",
            ),
            (
                "bridge",
                "Tarrow Bridge to reopen in March",
                "The Tarrow Bridge will reopen to traffic on 3 March, the county council said. "
                "Drivers must register their number plates online before crossing, because "
                "tolls will be charged electronically. The bridge was last closed in 2015, "
                "for six weeks of resurfacing.",
            ),
        ],
    )
    assert earlier not in lead_of(grounded_answer(briefing, question))


def test_how_many_people_is_answered_by_the_size_of_a_group_of_people(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A number after a group of people and "of" gives the group's size, which counts its
    persons ("a population of about 12,000", "Its electorate of 31,000"), as one before the
    group ("the four governments") counts groups; not where it counts some other thing ("a
    land of 1,000 lakes"). (Before, "How many people live in Tallis?" was refused: only a
    number before a word for persons counted them.)"""
    ingest_stories(
        briefing,
        tmp_path,
        [
            (
                "tallis",
                "Tallis gets a new bridge",
                "Work began on Monday on a new bridge over the river at Tallis. The town has a "
                "population of about 12,000, and many commute to Brennock.",
            ),
            (
                "marrow",
                "Marrow island votes on independence",
                "Marrow island will hold a referendum on independence on 4 May. Its "
                "electorate of 31,000 will be asked a single question.",
            ),
            (
                "vessa",
                "Vessa tourism grows",
                "Vessa, a land of 1,000 lakes, welcomed record numbers of tourists this "
                "summer. Hotels in Vessa were full in August.",
            ),
        ],
    )
    answer = grounded_answer(briefing, "How many people live in Tallis?")
    assert "population of about 12,000" in lead_of(answer)
    answer = grounded_answer(briefing, "How many people can vote in the Marrow referendum?")
    assert "electorate of 31,000" in lead_of(answer)
    assert_borderline(briefing, "How many people live in Vessa?")
