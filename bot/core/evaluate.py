"""``briefbot eval``: measure retrieval, answers and refusals on a question set.

Each line of the JSONL file is::

    {"question": "...", "expected_titles": ["..."], "expected_facts": ["..."], "in_scope": true}

``in_scope`` may be left out: a question with no expected titles is out of scope. Metrics:

* retrieval recall@5: for in-scope questions, the share of expected titles found among the
  articles of the first five passages the answer was built from (after the relevance gate);
* fact coverage: for in-scope questions, the share of expected facts found in the answer
  (case and whitespace aside);
* correct refusals: the share of out-of-scope questions answered with "not in the sources";
* false refusals: in-scope questions that were refused (reported, no threshold).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.core import jsonl
from bot.core.models import Answer
from bot.core.retrieve import Retrieval
from bot.core.text import squash
from bot.errors import InputError

RECALL_AT = 5


@dataclass(frozen=True)
class EvalCase:
    question: str
    expected_titles: tuple[str, ...]
    expected_facts: tuple[str, ...]
    in_scope: bool
    where: str = ""  # "FILE:LINE", for errors about this case


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


@dataclass
class EvalReport:
    questions: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    recall_at_5: float = 0.0
    fact_coverage: float = 0.0
    correct_refusals: float = 0.0
    false_refusals: int = 0
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
        cases.append(
            EvalCase(
                data["question"],
                tuple(map(str, titles)),
                tuple(map(str, facts)),
                in_scope,
                f"{path}:{number}",
            )
        )
    if not cases:
        raise InputError(f"{path}: no questions in the file")
    return cases


def _contains(haystack: str, needle: str) -> bool:
    return squash(needle).casefold() in squash(haystack).casefold()


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
    if not answer.answered:
        facts = 0.0
        missing_facts = list(case.expected_facts)
    return CaseResult(
        case.question, True, answer.answered, recall, facts, titles, missing_titles, missing_facts
    )


def run_eval(
    cases: list[EvalCase], answer_fn: Callable[[str], tuple[Answer, Retrieval]]
) -> EvalReport:
    report = EvalReport()
    for case in cases:
        try:
            answer, retrieval = answer_fn(case.question)
        except InputError as exc:  # an empty or over-long question: say which line
            raise InputError(f"{case.where}: {exc.message}") from exc
        report.cases.append(score_case(case, answer, retrieval))
    inside = [c for c in report.cases if c.in_scope]
    outside = [c for c in report.cases if not c.in_scope]
    report.questions = len(report.cases)
    report.in_scope = len(inside)
    report.out_of_scope = len(outside)
    if inside:
        report.recall_at_5 = round(sum(c.recall or 0.0 for c in inside) / len(inside), 3)
        report.fact_coverage = round(sum(c.facts or 0.0 for c in inside) / len(inside), 3)
        report.false_refusals = sum(1 for c in inside if not c.answered)
    if outside:
        report.correct_refusals = round(sum(1 for c in outside if not c.answered) / len(outside), 3)
    return report
