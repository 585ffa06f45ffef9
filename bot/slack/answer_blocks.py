"""Answers, quotes, help and the list of sources, as Slack messages.

Each renders the core's own data (:class:`~bot.core.models.Answer`,
:class:`~bot.core.models.Citation`, :class:`~bot.core.models.SourceInfo`); an answer
read back from the conversation log (a *Share in channel* click) renders like a fresh one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from bot.core.models import Citation, SourceInfo, writer_line
from bot.core.profile import Profile
from bot.slack.blocks import (
    CONTEXT_LIMIT,
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    SECTION_LIMIT,
    Block,
    actions,
    button,
    context,
    fit,
    section,
    source_line,
    split_text,
    truncate,
)
from bot.slack.mrkdwn import escape, link, text_fragment_url

SHOW_QUOTES = "show_quotes"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
SHARE_ANSWER = "share_answer"
SHARE_QUOTES = "share_quotes"


class Answered(Protocol):
    """What an answer message shows: an :class:`~bot.core.models.Answer`, or a
    :class:`~bot.core.models.LoggedExchange` read back from the log."""

    @property
    def answer(self) -> str: ...

    @property
    def citations(self) -> Sequence[Citation]: ...

    @property
    def note(self) -> str | None: ...

    @property
    def written_by(self) -> str: ...

    @property
    def exchange_id(self) -> str | None: ...


def answer_message(
    answer: Answered, *, share: bool = False, shared_by: str | None = None
) -> tuple[str, list[Block]]:
    """Fallback text and blocks for an answer."""
    text = escape(answer.answer)
    citations = answer.citations
    exchange_id = answer.exchange_id or ""
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(f"Shared by <@{shared_by}>"))
    blocks += section(text)
    if answer.note:
        blocks.append(context(f"_{escape(answer.note)}_"))
    if citations:
        blocks += section("*Sources*\n" + "\n".join(source_line(c) for c in citations))
    buttons: list[Block] = []
    if citations and exchange_id:
        buttons.append(button("Show quotes", SHOW_QUOTES, exchange_id))
    if exchange_id and not shared_by:
        buttons += [
            button("👍", FEEDBACK_UP, exchange_id),
            button("👎", FEEDBACK_DOWN, exchange_id),
        ]
    if share and exchange_id:
        buttons.append(button("Share in channel", SHARE_ANSWER, exchange_id, "primary"))
    # Which way it was written, always: the model's name or "extractive (why)".
    about = [escape(writer_line(answer.written_by))]
    if exchange_id:
        about.append(f"log id {exchange_id}")
    tail = [context(" · ".join(about))]
    if buttons:
        tail.append(actions(*buttons))
    return truncate(text), fit(blocks, MESSAGE_BLOCKS - len(tail)) + tail


def quotes_blocks(
    citations: Iterable[Citation], heading: str | None = None, *, numbered: bool = False
) -> list[Block]:
    """Each cited passage (or quote) verbatim as a block quote, with where it is from;
    ``numbered``: the citations are an answer's sources, each shown with its marker, so
    the reader sees which passage "[2]" points at."""
    blocks: list[Block] = []
    if heading:
        blocks += section(heading)
    for c in citations:
        body = " ".join(c.text.split())
        for piece in split_text(escape(body), SECTION_LIMIT - 10):
            blocks += section("> " + piece)
        prefix = f"[{c.marker}] " if c.marker and numbered else ""
        blocks.append(context(prefix + _where(c, body, CONTEXT_LIMIT - len(prefix))))
    return blocks


def _where(c: Citation, body: str, limit: int) -> str:
    """ "Title · paragraph N · open at the passage", within ``limit`` characters: with a very
    long url the passage link goes first, then the title's link, never the title or the
    paragraph, and no link is ever cut."""
    title = c.title or "Untitled"
    paragraph = [c.paragraphs] if c.paragraphs else []
    fragment = text_fragment_url(c.url, body)
    passage = [f"<{fragment}|open at the passage>"] if fragment else []
    for parts in (
        [link(c.url, title), *paragraph, *passage],
        [link(c.url, title), *paragraph],
        [link(None, title), *paragraph],
    ):
        line = " · ".join(parts)
        if len(line) <= limit:
            return line
    return " · ".join([link(None, title), *paragraph])


def quotes_message(
    topic: str,
    quotes: Sequence[Citation],
    exchange_id: str | None,
    *,
    share: bool = True,
    shared_by: str | None = None,
) -> tuple[str, list[Block]]:
    """A ``/quote`` reply: each quote (as the source it is) verbatim, with where it is
    from, and *Share in channel* for the person who asked."""
    if not quotes:
        text = f"No quotes on “{escape(topic)}” in the sources. Try other words."
        return truncate(text), section(text)
    heading = f"*Quotes on “{escape(topic)}”*"
    if shared_by:
        heading = f"<@{shared_by}> shared {heading}"
    blocks = quotes_blocks(quotes, heading)
    tail: list[Block] = []
    if share and exchange_id and not shared_by:
        tail.append(actions(button("Share in channel", SHARE_QUOTES, exchange_id, "primary")))
    blocks = fit(blocks, MESSAGE_BLOCKS - len(tail)) + tail
    text = truncate(f"Quotes on “{escape(topic)}”: " + " | ".join(escape(q.text) for q in quotes))
    return text, blocks


def help_text(profile: Profile) -> str:
    """How to use briefbot, in mrkdwn; the topic and the example come from the profile."""
    example = profile.example or "what do the articles say about it?"
    example = example[:1].lower() + example[1:]
    return (
        f"*Ask me about {escape(profile.name)}.* Every answer comes from the stored articles, "
        "with numbered sources.\n"
        f"• Mention me in a channel: `@briefbot {escape(example)}` (I answer in the thread, "
        "and follow-ups in that thread too)\n"
        "• Send me a direct message, or use the assistant pane\n"
        "• `/brief &lt;question&gt;`: a private answer you can share\n"
        "• `/quote &lt;topic&gt;`: verbatim quotes with links to the passage\n"
        "• `/brief sources`: what I have read\n"
        "• `/brief digest`: the weekly digest (with a button to post it here); "
        "`/brief subscribe` / `unsubscribe` / `subscriptions`: the digest every week in a "
        "channel\n"
        "• `/brief add &lt;url&gt;`: add a web page to the sources\n"
        "• `/brief feeds`: the feeds I follow (`/brief feeds add &lt;url&gt;`, "
        "`/brief feeds remove &lt;id&gt;`)"
    )


def help_message(profile: Profile) -> tuple[str, list[Block]]:
    return "How to use briefbot", section(help_text(profile))


#: What the list of sources may add up to: what one message takes (:data:`MESSAGE_TEXT`),
#: less room for the rest of a view it is part of (the App Home's digest has its own).
SOURCES_TEXT = MESSAGE_TEXT - 1000


def sources_blocks(
    sources: Sequence[SourceInfo], limit: int = 40, budget: int = SOURCES_TEXT
) -> list[Block]:
    """The first ``limit`` sources, as many as fit in ``budget`` characters (links are
    long: a feed's may run to hundreds of characters each, and Slack refuses a message
    whose texts add up to more than about 12,000); the rest are counted."""
    if not sources:
        return section("No articles are stored yet.")
    head = f"*Sources ({len(sources)})*"
    lines: list[str] = []
    used = len(head)
    for s in sources[:limit]:
        meta = ", ".join(escape(str(x)) for x in (s.source, s.published) if x)
        line = f"• {link(s.url, s.title)}" + (f" — {meta}" if meta else "")
        if lines and used + 1 + len(line) > budget:
            break
        lines.append(line)
        used += 1 + len(line)
    more = len(sources) - len(lines)
    if more > 0:
        lines.append(f"…and {more} more")
    return section(head + "\n" + "\n".join(lines))
