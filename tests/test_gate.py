"""The gate's choice of passages to answer from (bot.core.gate.admitted)."""

from __future__ import annotations

from bot.core.gate import PassageEvidence, admitted, dateline_place
from storage.articles import Passage


def evidence(chunk_id: int, article_id: int, coverage: float) -> PassageEvidence:
    passage = Passage(chunk_id, article_id, f"Article {article_id}", None, None, None, 1,
                      f"Text of chunk {chunk_id}.", 0, 10)  # fmt: skip
    return PassageEvidence(passage, coverage, {}, ())


def test_admitted_passages_are_ranked_by_search_and_by_coverage_together() -> None:
    """The search ranks passages by its bm25 over the question's words; the gate knows
    more (families, synonyms, names of a kind, amounts). Both rankings are fused by
    reciprocal rank, so the passage that covers the question best (chunk 24, fifth in the
    search) comes before one the search ranked higher but that covers it least (chunk 21),
    while the search's order still breaks a tie in coverage."""
    found = [
        evidence(2, 1, 0.72),
        evidence(28, 2, 0.82),
        evidence(27, 3, 0.82),
        evidence(21, 4, 0.55),
        evidence(24, 3, 0.83),
    ]
    order = [p.chunk_id for p in admitted(found, 0.36)]
    assert order.index(24) < order.index(21)
    assert order.index(28) < order.index(27)  # equal coverage: the search's order
    assert order[0] in (28, 24)
    assert sorted(order) == [2, 21, 24, 27, 28]  # fusion reorders; it drops nothing


def test_passages_below_the_pool_share_or_without_their_names_are_not_admitted() -> None:
    weak = evidence(5, 1, 0.1)
    nameless = PassageEvidence(evidence(6, 1, 0.9).passage, 0.9, {}, ("honduras",))
    strong = evidence(7, 1, 0.9)
    assert [p.chunk_id for p in admitted([weak, nameless, strong], 0.45)] == [7]


def test_a_dateline_s_place_keeps_its_hyphen() -> None:
    """ "WINSTON-SALEM, N.C. (AP) - ": the place is Winston-Salem, not Winston."""
    assert dateline_place("WINSTON-SALEM, N.C. (AP) - The city said") == {"winston", "salem"}
    assert dateline_place("VARESK, Dec 1 (Tarvanian News Agency) - Tarvania") == {"varesk"}
    assert dateline_place("Tarvania defended its ban - for now") == frozenset()
