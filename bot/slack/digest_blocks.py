"""The weekly digest as a Slack message, and the App Home that shows it.

All article, LLM and question text is escaped like every other message. A post shows
:data:`POSTED_ARTICLES` articles with their summaries and counts the rest; each summary,
statement and question is capped at :data:`DIGEST_ITEM_CHARS`; if the whole still does
not fit Slack's 50 blocks, fewer articles are listed: the sides and the questions are
never cut. Citations are numbered from [1] within each message, and the sources are
listed under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.core.digest import MARKER, Digest, DigestArticle
from bot.core.digest_text import digest_text
from bot.core.models import SourceInfo
from bot.core.profile import Profile
from bot.slack.answer_blocks import help_text, sources_blocks
from bot.slack.blocks import (
    HOME_BLOCKS,
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    TEXT_LIMIT,
    Block,
    actions,
    button,
    context,
    fit,
    packed,
    section,
    source_line,
    text_size,
    truncate,
    within_text,
)
from bot.slack.mrkdwn import LABEL_LIMIT, escape, link

#: Articles a channel post shows with their summaries; the rest are counted, and
#: ``/brief digest`` lists them all.
POSTED_ARTICLES = 8
POST_DIGEST = "post_digest"
#: Longest summary, statement or question a digest message shows (then "…"): a model or a
#: question may run long, and one item must not push the others out of the message.
DIGEST_ITEM_CHARS = 700


def _when(day: date | None, added: datetime) -> str:
    return day.isoformat() if day else f"undated (added {added.date().isoformat()})"


def _renumbering(digest: Digest, shown: Sequence[DigestArticle]) -> dict[int, int]:
    """Markers of what a message shows, renumbered 1..k in order of first use."""
    order: dict[int, int] = {}
    texts = [a.summary for a in shown]
    texts += [st.text for side in digest.sides for st in side.statements]
    for text in texts:
        for m in MARKER.findall(text):
            order.setdefault(int(m), len(order) + 1)
    return order


def _cited(text: str, numbers: dict[int, int]) -> str:
    """Escaped ``text`` (shortened to ``DIGEST_ITEM_CHARS``, its markers kept) with its
    markers renumbered for the message."""
    if len(text) > DIGEST_ITEM_CHARS:
        markers = "".join(f"[{m}]" for m in dict.fromkeys(MARKER.findall(text)))
        text = f"{truncate(MARKER.sub('', text), DIGEST_ITEM_CHARS)} {markers}"
    return MARKER.sub(lambda m: f"[{numbers.get(int(m[1]), '?')}]", escape(text))


def _digest_blocks(digest: Digest, shown: int, *, full: bool, posted_by: str | None) -> list[Block]:
    articles = digest.articles[:shown]
    numbers = _renumbering(digest, articles)
    week = "this week" if digest.period.days == 7 else "in this period"
    label = digest.period.label()
    kind = "Weekly digest" if digest.period.days == 7 else "Digest"
    meta = [digest.period.timezone, f"{len(digest.articles)} new article(s)"]
    if digest.questions.asked:
        meta.append(f"{digest.questions.asked} question(s) asked")
    if posted_by:
        meta.append(f"posted by <@{posted_by}>")
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{kind} · {label}"}},
        context(" · ".join(meta)),
        *section("*New this week*" if digest.period.days == 7 else "*New in this period*"),
    ]
    if digest.empty:
        blocks += section(f"No new articles {week}.")
    lines = []
    for i, a in enumerate(articles, start=1):
        line = f"*{i}. {link(a.url, a.title)}* — {escape(a.source or 'unknown source')}, "
        line += _when(a.published, a.added)
        if a.summary:
            line += f"\n{_cited(a.summary, numbers)}"
        lines.append(line)
    blocks += packed(lines) if full else [b for line in lines for b in section(line)]
    hidden = len(digest.articles) - len(articles)
    if hidden > 0:
        where = "`briefbot digest` lists every one" if full else "`/brief digest` lists them all"
        blocks.append(context(f"…and {hidden} more new article(s) {week}: {where}."))
    blocks += [{"type": "divider"}, *section("*What each side says*")]
    if any(side.statements for side in digest.sides):
        for side in digest.sides:
            said = [
                f"• *{escape(truncate(st.speaker, LABEL_LIMIT))}:* {_cited(st.text, numbers)}"
                for st in side.statements
            ]
            blocks += section(
                f"*{escape(side.name)}*\n" + ("\n".join(said) or f"Nothing new {week}.")
            )
    else:
        blocks += section(
            "Nothing new from either side."
            if digest.empty
            else f"No statement {week} says who said it."
        )
    blocks += [{"type": "divider"}, *section(f"*What the team asked*\n{_asked(digest, week)}")]
    sources = [c for c in digest.citations if c.marker in numbers]
    if sources:
        ordered = sorted(sources, key=lambda c: numbers[c.marker])
        lines = [source_line(c, numbers[c.marker]) for c in ordered]
        blocks += packed(["*Sources*", *lines])
    for note in digest.notes:
        blocks.append(context(f"_{escape(note)}_"))
    return blocks


def _asked(digest: Digest, week: str) -> str:
    q = digest.questions
    if not q.asked:
        return f"No questions were asked {week}."
    counts = f"{q.answered} answered, {q.not_answered} not in the sources"
    if q.failed:
        counts += f", {q.failed} failed"
    lines = [f"{q.asked} question(s) ({counts}) · 👍 {q.helpful} · 👎 {q.unhelpful}"]
    if q.most_asked:
        lines.append("_Most asked_")
        lines += [f"• {escape(truncate(g.question, 300))} ({g.count})" for g in q.most_asked]
    if q.unanswered:
        lines.append("_Could not answer: sources to add next_")
        lines += [f"• {escape(truncate(g.question, 300))} ({g.count})" for g in q.unanswered]
    return "\n".join(lines)


def digest_fallback(digest: Digest) -> str:
    """The message's plain text: what notifications and screen readers get."""
    kind = "Weekly digest" if digest.period.days == 7 else "Digest"
    head = f"{kind}, {digest.period.label()}"
    if digest.empty:
        text = f"{head}: no new articles. {digest.questions.asked} question(s) asked."
    else:
        titles = "; ".join(a.title for a in digest.articles)
        text = f"{head}: {len(digest.articles)} new article(s): {titles}"
    return truncate(escape(text))


#: Said at the end of a plain-text digest cut to fit one message.
CUT_NOTE = "(cut to fit one message: `/brief digest` shows it all)"


def digest_plain(digest: Digest, limit: int = TEXT_LIMIT) -> str:
    """The whole digest as one message's text alone, for when Slack refuses its blocks
    (``invalid_blocks``, ``msg_blocks_too_long``): the plain text ``briefbot digest``
    prints, escaped like every other text (no mention, link or formatting an article
    or a model wrote works), within ``limit`` characters, cut between lines with a note
    saying where the rest is."""
    text = escape(digest_text(digest).strip())
    if len(text) <= limit:
        return text
    return f"{truncate(text, limit - len(CUT_NOTE) - 2)}\n{CUT_NOTE}"


def digest_message(
    digest: Digest,
    *,
    full: bool = False,
    posted_by: str | None = None,
    post_button: bool = False,
    limit: int = MESSAGE_BLOCKS,
) -> tuple[str, list[Block]]:
    """The digest as a Slack message: fallback text and Block Kit.

    A channel post shows ``POSTED_ARTICLES`` articles with their summaries and counts the
    rest; ``full`` (``/brief digest``) lists as many as fit in one message. Either way,
    articles are left out (and counted) until the whole message fits in ``limit`` blocks,
    so the other sections are never cut. ``post_button`` adds *Post to this channel*.
    """
    tail: list[Block] = []
    if post_button:
        tail.append(
            actions(button("Post to this channel", POST_DIGEST, digest.period.key, "primary"))
        )
    room = limit - len(tail)

    def render(shown: int) -> list[Block]:
        return _digest_blocks(digest, shown, full=full, posted_by=posted_by)

    def fits(blocks: list[Block]) -> bool:
        return len(blocks) <= room and text_size(blocks) <= MESSAGE_TEXT

    # The most articles that fit (a binary search: more articles, more blocks and text),
    # and at least one: the week's articles are what a digest is for.
    high = len(digest.articles) if full else min(POSTED_ARTICLES, len(digest.articles))
    low = min(1, high)
    blocks = render(high)
    if not fits(blocks):
        while low < high:
            middle = (low + high + 1) // 2
            if fits(render(middle)):
                low = middle
            else:
                high = middle - 1
        blocks = render(low)
    # (the other sections alone may still be too long: a week of long quotations)
    blocks = within_text(fit(blocks, limit - len(tail)), MESSAGE_TEXT - text_size(tail))
    return digest_fallback(digest), blocks + tail


def home_view(digest: Digest, sources: Sequence[SourceInfo], profile: Profile) -> dict[str, Any]:
    """The App Home: how to use briefbot, the current digest, and the sources."""
    head: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "briefbot"}},
        *section(help_text(profile)),
        {"type": "divider"},
    ]
    tail: list[Block] = [{"type": "divider"}, *sources_blocks(sources)]
    room = HOME_BLOCKS - len(head) - len(tail)
    blocks = [*head, *digest_message(digest, limit=room)[1], *tail]
    return {"type": "home", "blocks": fit(blocks, HOME_BLOCKS)}
