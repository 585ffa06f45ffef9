"""What the team asked in a period, from the conversation log, without who asked.

Questions are grouped when they are the same question in other words: their content
words (stemmed, stop words left out, each synonym group of the thesaurus read as one
word) overlap by at least ``SAME_QUESTION`` (Jaccard). A follow-up counts as the
standalone question it was condensed into ("And what do critics say?" after a question
about the memorandum). A group is shown in its most frequent wording (the earliest on a
tie).

*Could not answer* lists the questions answered "Not in the sources": the gaps the team
should fill with new sources. Questions that failed with an error are counted apart;
they say nothing about the sources. ``/quote`` topics are not questions and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.lexicon import Lexicon
from bot.core.text import squash
from bot.core.words import content_words, stem
from storage.exchanges import LoggedQuestion

SAME_QUESTION = 0.6
MAX_LISTED = 5
#: Surfaces whose log rows are not questions.
NOT_QUESTIONS = ("slash_quote",)
#: Surfaces where a question is asked privately: a DM, the assistant pane, ``/brief``
#: (its answer is shown to the asker only). Such a question counts in the totals, but is
#: never shown: the digest is posted to channels.
PRIVATE = ("slack_dm", "slack_assistant", "slash_brief")


@dataclass(frozen=True)
class QuestionCount:
    question: str
    count: int

    def as_dict(self) -> dict[str, object]:
        return {"question": self.question, "count": self.count}


@dataclass(frozen=True)
class TeamQuestions:
    """The period's questions: how many, the most asked, the unanswered, the feedback."""

    asked: int = 0
    answered: int = 0
    failed: int = 0
    most_asked: tuple[QuestionCount, ...] = ()
    unanswered: tuple[QuestionCount, ...] = ()
    helpful: int = 0
    unhelpful: int = 0

    @property
    def not_answered(self) -> int:
        return self.asked - self.answered - self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "asked": self.asked,
            "answered": self.answered,
            "not_answered": self.not_answered,
            "failed": self.failed,
            "most_asked": [q.as_dict() for q in self.most_asked],
            "unanswered": [q.as_dict() for q in self.unanswered],
            "feedback": {"helpful": self.helpful, "unhelpful": self.unhelpful},
        }


def question_key(question: str, lexicon: Lexicon) -> frozenset[str]:
    """The words that make a question what it is, each read as one name for its group:
    the story's synonyms (the profile's "memorandum", "pact", "agreement") are one word,
    and so are a word's inflections and derivations ("criticised", "criticism"). WordNet's
    synonyms are left out: they do not form groups ("pact" is a synonym of "treaty",
    which is not one of "memorandum"), so they would join questions at random."""
    key: set[str] = set()
    for word in content_words(question):
        story = [d[0] for d in lexicon.domain_synonyms((word,)) if len(d) == 1]
        group = story or sorted(lexicon.expand(word).family)
        key.add(min([stem(word), *(stem(w) for w in group)]))
    return frozenset(key)


@dataclass
class _Group:
    key: frozenset[str]
    wordings: Counter[str] = field(default_factory=Counter)
    first_seen: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.wordings.values())

    def wording(self) -> str:
        return min(self.wordings, key=lambda w: (-self.wordings[w], self.first_seen[w]))


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SAME_QUESTION


def group_questions(questions: Sequence[str], lexicon: Lexicon) -> list[QuestionCount]:
    """Questions grouped by meaning, most asked first (then first asked first)."""
    groups: list[_Group] = []
    for n, raw in enumerate(questions):
        text = squash(raw)
        if not text:
            continue
        # a question of no content words ("Why?", "Who is he?") is the same only as itself
        key = question_key(text, lexicon) or frozenset({text.lower()})
        group = next((g for g in groups if _same(g.key, key)), None)
        if group is None:
            group = _Group(key)
            groups.append(group)
        group.wordings[text] += 1
        group.first_seen.setdefault(text, n)
    ordered = sorted(enumerate(groups), key=lambda item: (-item[1].count, item[0]))
    return [QuestionCount(g.wording(), g.count) for _, g in ordered]


def team_questions(
    rows: Sequence[LoggedQuestion], lexicon: Lexicon, limit: int = MAX_LISTED
) -> TeamQuestions:
    """The questions section from the period's log rows (oldest first); ``lexicon`` tells
    which questions are the same in other words."""
    shown = [r for r in rows if r.surface not in PRIVATE]
    asked = [r.standalone_question or r.question for r in shown]
    refused = [r.standalone_question or r.question for r in shown if not r.answered and not r.error]
    return TeamQuestions(
        asked=len(rows),
        answered=sum(1 for r in rows if r.answered),
        failed=sum(1 for r in rows if r.error and not r.answered),
        most_asked=tuple(group_questions(asked, lexicon)[:limit]),
        unanswered=tuple(group_questions(refused, lexicon)[:limit]),
        helpful=sum(1 for r in rows if (r.feedback or 0) > 0),
        unhelpful=sum(1 for r in rows if (r.feedback or 0) < 0),
    )
