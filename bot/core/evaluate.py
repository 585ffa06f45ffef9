"""``briefbot eval``: measure retrieval, answers and refusals on a question set.

Each line of the JSONL file is::

    {"question": "...", "expected_titles": ["..."], "expected_facts": ["..."], "in_scope": true}

``in_scope`` may be left out: a question with no expected titles is out of scope. Metrics:

* retrieval recall@5: for in-scope questions, the share of expected titles found among the
  articles of the first five passages the answer was built from (after the relevance gate);
* fact coverage: for in-scope questions, the share of expected facts found in the answer
  (case and whitespace aside);
* fact first: for in-scope questions, the share whose answer's first sentence (up to its
  first citation marker) holds an expected fact. An answer that has the fact but buries it
  under context is a worse answer; this is the figure that says so;
* correct refusals: the share of out-of-scope questions answered with "not in the sources";
* false refusals: in-scope questions that were refused (reported, no threshold);
* the search underneath, for comparison: how often the top passage of a plain BM25
  ranking (bm25s, English stop words, no stemming) over the same stored chunks holds the
  expected facts, and its recall@5. An answer should hold the fact at least as often as
  showing that passage would. Needs ``bm25s`` (a dev extra); without it, left out.

**Dev and test halves.** A row may carry a ``group`` (the fact it asks about; all
paraphrases of one fact share it). ``--split dev|test`` keeps one half, by a fixed rule on
the group (the first byte of its SHA-256 is even: dev), so paraphrases of one fact never
straddle the halves. Tune on dev; report test.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.core import jsonl
from bot.core.models import Answer
from bot.core.retrieve import Retrieval
from bot.core.text import squash
from bot.errors import InputError

RECALL_AT = 5
Split = Literal["dev", "test"]


def split_of(group: str) -> Split:
    """The half a group of questions belongs to, by a fixed rule."""
    return "dev" if hashlib.sha256(group.encode("utf-8")).digest()[0] % 2 == 0 else "test"


@dataclass(frozen=True)
class EvalCase:
    question: str
    expected_titles: tuple[str, ...]
    expected_facts: tuple[str, ...]
    in_scope: bool
    where: str = ""  # "FILE:LINE", for errors about this case
    group: str = ""  # the fact asked about; paraphrases share it (default: the question)

    @property
    def split(self) -> Split:
        return split_of(self.group or self.question)


@dataclass
class CaseResult:
    question: str
    in_scope: bool
    answered: bool
    recall: float | None
    facts: float | None
    retrieved_titles: list[str]
    missing_titles: list[str]
    missing_facts: list[str]
    baseline_facts: float | None = None
    fact_first: bool | None = None


@dataclass
class EvalReport:
    questions: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    recall_at_5: float = 0.0
    fact_coverage: float = 0.0
    fact_first: float = 0.0
    correct_refusals: float = 0.0
    false_refusals: int = 0
    false_refusal_rate: float = 0.0
    baseline: dict[str, Any] | None = None
    cases: list[CaseResult] = field(default_factory=list)

    def as_dict(self, with_cases: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_cases:
            data.pop("cases")
        return data


def load_cases(path: Path) -> list[EvalCase]:
    """Parse the question set (JSON Lines, see :mod:`bot.core.jsonl`); a bad line is a
    one-line error naming the line."""
    text = jsonl.read_text(path, str(path))
    cases: list[EvalCase] = []
    for number, line in jsonl.lines(text):
        data = jsonl.parse(line, f"{path}:{number}")
        if not isinstance(data, dict) or not isinstance(data.get("question"), str):
            raise InputError(f'{path}:{number}: each line needs a "question" string')
        titles = data.get("expected_titles", [])
        facts = data.get("expected_facts", [])
        if not isinstance(titles, list) or not isinstance(facts, list):
            raise InputError(f"{path}:{number}: expected_titles and expected_facts must be lists")
        in_scope = data.get("in_scope", bool(titles))
        if not isinstance(in_scope, bool):
            raise InputError(f"{path}:{number}: in_scope must be true or false, not {in_scope!r}")
        group = data.get("group", "")
        if not isinstance(group, str):
            raise InputError(f"{path}:{number}: group must be a string")
        cases.append(
            EvalCase(
                data["question"],
                tuple(map(str, titles)),
                tuple(map(str, facts)),
                in_scope,
                f"{path}:{number}",
                group,
            )
        )
    if not cases:
        raise InputError(f"{path}: no questions in the file")
    return cases


def choose_split(cases: list[EvalCase], split: Split | None) -> list[EvalCase]:
    if split is None:
        return cases
    chosen = [c for c in cases if c.split == split]
    if not chosen:
        raise InputError(f"no questions in the {split} half")
    return chosen


def _contains(haystack: str, needle: str) -> bool:
    return squash(needle).casefold() in squash(haystack).casefold()


#: An answer's first sentence: everything up to its first citation marker.
_FIRST_CITED = re.compile(r"^.*?\[\d+\]", re.DOTALL)


def first_sentence(answer: str) -> str:
    """The first sentence of ``answer``, as the first citation marker ends it (all of it
    when it cites nothing)."""
    match = _FIRST_CITED.match(answer)
    return match.group(0) if match else answer


def score_case(case: EvalCase, answer: Answer, retrieval: Retrieval) -> CaseResult:
    titles: list[str] = []
    for passage in retrieval.passages[:RECALL_AT]:
        if passage.title not in titles:
            titles.append(passage.title)
    if not case.in_scope:
        return CaseResult(case.question, False, answer.answered, None, None, titles, [], [])
    missing_titles = [t for t in case.expected_titles if t not in titles]
    missing_facts = [f for f in case.expected_facts if not _contains(answer.answer, f)]
    recall = 1 - len(missing_titles) / len(case.expected_titles) if case.expected_titles else 1.0
    facts = 1 - len(missing_facts) / len(case.expected_facts) if case.expected_facts else 1.0
    lead = first_sentence(answer.answer)
    first = not case.expected_facts or any(_contains(lead, f) for f in case.expected_facts)
    if not answer.answered:
        facts = 0.0
        missing_facts = list(case.expected_facts)
        first = False
    return CaseResult(
        case.question,
        True,
        answer.answered,
        recall,
        facts,
        titles,
        missing_titles,
        missing_facts,
        fact_first=first,
    )


class Bm25Baseline:
    """A plain BM25 ranking (bm25s) of stored chunks: the search briefbot sits on."""

    name = "bm25s top passage"

    def __init__(self, chunks: Sequence[tuple[str, str]]) -> None:
        import bm25s  # a dev extra: only for this comparison

        logging.getLogger("bm25s").setLevel(logging.WARNING)

        self._bm25s = bm25s
        self.texts = [text for text, _ in chunks]
        self.titles = [title for _, title in chunks]
        self.index = bm25s.BM25()
        self.index.index(
            bm25s.tokenize(self.texts, stopwords="en", show_progress=False), show_progress=False
        )

    def top(self, question: str, k: int) -> list[int]:
        tokens = self._bm25s.tokenize(
            [question], stopwords="en", return_ids=False, show_progress=False
        )
        if not tokens or not tokens[0]:
            return []
        k = min(k, len(self.texts))
        docs, scores = self.index.retrieve(tokens, k=k, show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def facts(self, case: EvalCase) -> float:
        """The share of the expected facts in the top passage."""
        top = self.top(case.question, 1)
        if not case.expected_facts:
            return 1.0 if top else 0.0
        text = self.texts[top[0]] if top else ""
        return sum(1 for f in case.expected_facts if _contains(text, f)) / len(case.expected_facts)

    def recall(self, case: EvalCase) -> float:
        titles = list(dict.fromkeys(self.titles[i] for i in self.top(case.question, RECALL_AT)))
        if not case.expected_titles:
            return 1.0
        return sum(1 for t in case.expected_titles if t in titles) / len(case.expected_titles)


def bm25_baseline(chunks: Sequence[tuple[str, str]]) -> Bm25Baseline | None:
    """The baseline over ``chunks`` ((text, title) pairs), or None without bm25s."""
    try:
        return Bm25Baseline(chunks)
    except ImportError:
        return None


def run_eval(
    cases: list[EvalCase],
    answer_fn: Callable[[str], tuple[Answer, Retrieval]],
    baseline: Bm25Baseline | None = None,
) -> EvalReport:
    report = EvalReport()
    for case in cases:
        try:
            answer, retrieval = answer_fn(case.question)
        except InputError as exc:  # an empty or over-long question: say which line
            raise InputError(f"{case.where}: {exc.message}") from exc
        result = score_case(case, answer, retrieval)
        if baseline is not None and case.in_scope:
            result.baseline_facts = baseline.facts(case)
        report.cases.append(result)
    inside = [c for c in report.cases if c.in_scope]
    outside = [c for c in report.cases if not c.in_scope]
    report.questions = len(report.cases)
    report.in_scope = len(inside)
    report.out_of_scope = len(outside)
    if inside:
        report.recall_at_5 = round(sum(c.recall or 0.0 for c in inside) / len(inside), 3)
        report.fact_coverage = round(sum(c.facts or 0.0 for c in inside) / len(inside), 3)
        report.fact_first = round(sum(1 for c in inside if c.fact_first) / len(inside), 3)
        report.false_refusals = sum(1 for c in inside if not c.answered)
        report.false_refusal_rate = round(report.false_refusals / len(inside), 3)
        if baseline is not None:
            report.baseline = {
                "name": baseline.name,
                "fact_coverage": round(
                    sum(c.baseline_facts or 0.0 for c in inside) / len(inside), 3
                ),
                "recall_at_5": round(
                    sum(baseline.recall(c) for c in cases if c.in_scope) / len(inside), 3
                ),
            }
    if outside:
        report.correct_refusals = round(sum(1 for c in outside if not c.answered) / len(outside), 3)
    return report
