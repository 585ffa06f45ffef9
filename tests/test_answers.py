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


def answer_from(briefing: Briefing, path: Path, title: str, text: str, question: str) -> Answer:
    """Ingest one short article, ask ``question``, and check the answer is given and
    grounded."""
    ingest_text(briefing, path, f"---\ntitle: {title}\n---\n\n{text}\n")
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
    # The example; then a turn whose words make the condensed question fail the gate.
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
    lead = lead_from(
        briefing,
        tmp_path / "museum.md",
        "---\ntitle: Ostwick museum raided\n---\n\n"
        "Thieves got into the Ostwick Museum through a skylight early on Sunday and took "
        "two silver clocks.\n",
        "How did the burglars get into the Ostwick museum?",
    )
    assert "through a skylight" in lead


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
