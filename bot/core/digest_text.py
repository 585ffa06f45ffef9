"""The digest as plain text: what ``briefbot digest`` prints, the ``text`` of its JSON, and
what the README shows. Slack gets the same content as Block Kit (:mod:`bot.slack.digest_blocks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.models import Citation

if TYPE_CHECKING:
    from bot.core.digest import Digest, DigestArticle

NEW = "New this week"
SIDES = "What each side says"
ASKED = "What the team asked"


def when(article: DigestArticle) -> str:
    """``2019-03-29``, or ``undated (added 2019-04-02)``."""
    if article.published:
        return article.published.isoformat()
    return f"undated (added {article.added.date().isoformat()})"


def span_words(digest: Digest) -> str:
    """ "this week" for a week, "in this period" otherwise."""
    return "this week" if digest.period.days == 7 else "in this period"


def new_text(digest: Digest) -> str:
    if digest.empty:
        return f"No new articles {span_words(digest)}."
    lines: list[str] = []
    for i, a in enumerate(digest.articles, start=1):
        lines.append(f"{i}. {a.title} — {a.source or 'unknown source'}, {when(a)}")
        if a.url:
            lines.append(f"   {a.url}")
        if a.summary:
            lines.append(f"   {a.summary}")
    return "\n".join(lines)


def sides_text(digest: Digest) -> str:
    if not any(s.statements for s in digest.sides):
        if digest.empty:
            return "Nothing new from either side."
        return f"No statement {span_words(digest)} says who said it."
    lines: list[str] = []
    for side in digest.sides:
        lines.append(side.name)
        if not side.statements:
            lines.append(f"- Nothing new {span_words(digest)}.")
        lines.extend(f"- {st.speaker}: {st.text}" for st in side.statements)
    return "\n".join(lines)


def asked_text(digest: Digest) -> str:
    q = digest.questions
    if not q.asked:
        return f"No questions were asked {span_words(digest)}."
    counts = [f"{q.answered} answered", f"{q.not_answered} not in the sources"]
    if q.failed:
        counts.append(f"{q.failed} failed")
    lines = [
        f"{q.asked} question{'s' if q.asked != 1 else ''} ({', '.join(counts)}). "
        f"Feedback: {q.helpful} helpful, {q.unhelpful} not helpful."
    ]
    if q.most_asked:
        lines.append("Most asked:")
        lines.extend(f"- {g.question} ({g.count})" for g in q.most_asked)
    if q.unanswered:
        lines.append("Could not answer (sources to add next):")
        lines.extend(f"- {g.question} ({g.count})" for g in q.unanswered)
    return "\n".join(lines)


def source_line(c: Citation) -> str:
    meta = [c.source or "unknown source", c.published.isoformat() if c.published else "undated"]
    if c.paragraphs:
        meta.append(c.paragraphs)
    line = f"[{c.marker}] {c.title} — {', '.join(meta)}"
    return line + (f"\n    {c.url}" if c.url else "")


def heading(digest: Digest) -> str:
    kind = "Weekly digest" if digest.period.days == 7 else "Digest"
    return f"{kind} · {digest.period.label()} ({digest.period.timezone})"


def digest_text(digest: Digest) -> str:
    count = f" ({len(digest.articles)})" if digest.articles else ""
    new = NEW if digest.period.days == 7 else "New in this period"
    parts = [
        heading(digest),
        f"{new}{count}\n{new_text(digest)}",
        f"{SIDES}\n{sides_text(digest)}",
        f"{ASKED}\n{asked_text(digest)}",
    ]
    if digest.citations:
        parts.append("Sources\n" + "\n".join(source_line(c) for c in digest.citations))
    if digest.notes:
        parts.append("\n".join(f"(note: {n})" for n in digest.notes))
    return "\n\n".join(parts) + "\n"


def sections(digest: Digest) -> list[dict[str, Any]]:
    """The JSON ``sections``: each with its title, its text and its structured content."""
    return [
        {"id": "new", "title": NEW, "text": new_text(digest), "count": len(digest.articles)},
        {
            "id": "sides",
            "title": SIDES,
            "text": sides_text(digest),
            "sides": [s.as_dict() for s in digest.sides],
        },
        {
            "id": "questions",
            "title": ASKED,
            "text": asked_text(digest),
            **digest.questions.as_dict(),
        },
    ]
