"""How ``briefbot eval`` scores one answer: facts anywhere, and the fact first."""

from __future__ import annotations

from bot.core.evaluate import EvalCase, first_sentence, run_eval
from bot.core.gate import Verdict
from bot.core.lexicon import Lexicon
from bot.core.models import Answer
from bot.core.query import analyse
from bot.core.retrieve import Retrieval

CASE = EvalCase("Is the memorandum binding?", ("Seed",), ("non-binding",), True)


def _answer(text: str, answered: bool = True) -> tuple[Answer, Retrieval]:
    query = analyse(CASE.question, Lexicon())
    retrieval = Retrieval(query, (), Verdict("answer", "covered", 1.0, 0.45))
    return Answer(CASE.question, text, answered, "extractive"), retrieval


def test_the_first_sentence_ends_at_its_first_citation() -> None:
    assert first_sentence("It is non-binding [1]. It was signed [2].") == "It is non-binding [1]"
    assert first_sentence("Not in the sources.") == "Not in the sources."


def test_a_fact_under_context_counts_as_covered_but_not_first() -> None:
    """An answer that holds the fact covers it; only one that says it first leads with it."""
    leading = "The agreement is non-binding [1]. It was signed in March [1]."
    buried = "It was signed in March [1]. The agreement is non-binding [1]."
    for text, first in ((leading, 1.0), (buried, 0.0)):
        report = run_eval([CASE], lambda q, text=text: _answer(text))
        assert report.fact_coverage == 1.0
        assert report.fact_first == first
    refused = run_eval([CASE], lambda q: _answer("Not in the sources: non-binding", False))
    assert (refused.fact_coverage, refused.fact_first) == (0.0, 0.0)
