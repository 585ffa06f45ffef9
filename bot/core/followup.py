"""Follow-up questions without an LLM.

"What do critics say about it?" after "What does the agreement commit to?" needs the
earlier topic to be found. Without an LLM, briefbot carries the content words of the
earlier questions (most recent first, at most ``MAX_CARRIED``) that the new question does
not already have. Carried words are lower-cased, so they never become anchors that the
relevance gate insists on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.models import Turn
from bot.core.words import content_words

MAX_CARRIED = 6
#: Words that point back into the conversation ("what do critics say about *it*?").
_POINTS_BACK = re.compile(
    r"\b(it|its|they|them|their|theirs|this|that|these|those|he|him|his|she|her|there|"
    r"then|such|same|one|ones|else|also|too|more|again)\b",
    re.IGNORECASE,
)


def stands_alone(question: str) -> bool:
    """A question that needs nothing from the conversation: it points back at nothing
    ("it", "they", "this", "also") and names at least two things of its own."""
    return _POINTS_BACK.search(question) is None and len(content_words(question)) >= 2


def condense_lexically(question: str, history: Sequence[Turn]) -> str:
    """``question`` plus the earlier questions' terms it lacks, in parentheses."""
    own = set(content_words(question))
    carried: list[str] = []
    for turn in reversed(history):
        if turn.role != "user":
            continue
        for word in content_words(turn.text):
            if word not in own and word not in carried:
                carried.append(word)
    carried = carried[:MAX_CARRIED]
    return f"{question} ({' '.join(carried)})" if carried else question
