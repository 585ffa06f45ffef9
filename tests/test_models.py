"""The core's plain data and its one way to JSON (``--json`` output, the log's citations)."""

from __future__ import annotations

import json
from datetime import date

from bot.core.models import Answer, Citation, GuardReport, Quote, SourceInfo, Usage

CITATION = Citation(1, "Title", "https://e.org/a", date(2019, 3, 29), "Text.", "Src", 2, 7, 9)


def test_an_answer_shows_what_it_has_and_keeps_its_internals() -> None:
    answer = Answer(
        "q",
        "a [1]",
        True,
        "llm",
        (CITATION,),
        standalone_question="q",
        guard=GuardReport(("[3]",)),
        usage=Usage(10, 5, 9, None),
        model="gpt-4o-mini",
        prompt_name="answer",
        prompt_hash="abc",
        latency_ms=12,
        error=None,
    )
    data = answer.as_dict()
    assert data == {
        "question": "q",
        "answer": "a [1]",
        "answered": True,
        "mode": "llm",
        "citations": [
            {
                "marker": 1,
                "title": "Title",
                "url": "https://e.org/a",
                "published": "2019-03-29",
                "text": "Text.",
                "source": "Src",
                "paragraph": 2,
                "article_id": 7,
                "chunk_id": 9,
                "paragraph_end": None,
            }
        ],
        "guard": {
            "removed_citations": ["[3]"],
            "removed_quotes": [],
            "dropped_sentences": [],
            "fell_back": False,
        },
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "counted_prompt_tokens": 9,
            "cost_usd": None,
        },
        "model": "gpt-4o-mini",
        "written_by": "gpt-4o-mini",
    }
    assert json.loads(json.dumps(data)) == data
    restated = Answer("it?", "", False, "extractive", standalone_question="the memo?")
    refused = Answer("x", "", False, "extractive", refusal={}, extractive_reason="no key")
    assert restated.as_dict()["standalone_question"] == "the memo?"
    assert refused.as_dict()["refusal"] == {}
    assert refused.as_dict()["extractive_reason"] == "no key"
    assert refused.as_dict()["written_by"] == "extractive (no key)"


def test_quotes_and_sources_show_their_documented_fields() -> None:
    quote = Quote("It is non-binding.", "Title", None, 3, "Src", date(2019, 1, 1), 4, 10, 28)
    assert quote.as_dict() == {
        "text": "It is non-binding.",
        "title": "Title",
        "url": None,
        "paragraph": 3,
    }
    source = SourceInfo(1, "Title", "Src", None, date(2019, 1, 1), 4, "2019-03-29T10:00:00")
    assert source.as_dict() == {
        "id": 1,
        "title": "Title",
        "source": "Src",
        "url": None,
        "published": "2019-01-01",
        "chunks": 4,
    }


def test_a_citation_reads_back_from_its_json() -> None:
    assert Citation.from_json(CITATION.as_dict()) == CITATION
    # A quote logged by /quote is a citation too, with its source and date.
    quoted = Quote("Q.", "T", "https://e.org", 5, "Src", date(2019, 3, 1)).as_citation(2)
    assert Citation.from_json(quoted.as_dict()) == quoted
    assert quoted.source == "Src" and quoted.marker == 2 and quoted.paragraph == 5
    # Rows logged before some keys existed still read.
    old = Citation.from_json({"marker": 1, "title": "T", "text": "x", "published": "bad"})
    assert old.published is None and old.url is None and old.chunk_id is None
