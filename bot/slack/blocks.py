"""Block Kit for briefbot's messages, and the escaping that keeps article text inert.

Everything that comes from an article or from the LLM passes through :func:`escape` before
it reaches Slack: ``&``, ``<`` and ``>`` become entities (so no ``<@U123>``, ``<!channel>``
or ``<http://x|y>`` can be smuggled in), ``@channel``-style words get a zero-width space,
and bare URLs are broken with one, so Slack neither pings nor links anything an article
says. Links that briefbot itself makes (a source's url) are built by :func:`link` from
http(s) urls only.

Limits respected: section text at most 3,000 characters, at most 50 blocks per message
(100 in the App Home), top-level ``text`` at most 3,000 characters, button values at most
2,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from bot.core.digest import MARKER, Digest, DigestArticle
from bot.core.models import writer_line
from bot.core.profile import Profile

Block = dict[str, Any]

SECTION_LIMIT = 3000
CONTEXT_LIMIT = 3000
LABEL_LIMIT = 200
MESSAGE_BLOCKS = 50
HOME_BLOCKS = 100
TEXT_LIMIT = 3000
ZWSP = "\u200b"

SHOW_QUOTES = "show_quotes"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
SHARE_ANSWER = "share_answer"
SHARE_QUOTES = "share_quotes"

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SCHEME = re.compile(r"\b(https?|ftp|mailto|slack)(:)(//)?", re.IGNORECASE)
_WWW = re.compile(r"\bwww\.", re.IGNORECASE)
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Bidirectional overrides and isolates: they can make text read backwards ("txt.exe").
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Make untrusted text safe for mrkdwn: no mentions, no broadcasts, no links."""
    text = _BIDI.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)}{ZWSP}{m.group(2)}{m.group(3) or ''}", text)
    return _WWW.sub(f"www{ZWSP}.", text)


def escape_markdown(text: str) -> str:
    """:func:`escape`, for text that Slack reads as standard Markdown (a streamed answer's
    ``markdown_text``): also breaks the ``](`` of an inline ``[label](url)`` link. Like
    :func:`escape`, it never looks across whitespace, so escaping a text piece by piece,
    cut at whitespace, gives the same as escaping it whole."""
    return escape(text).replace("](", f"]{ZWSP}(")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) url that can sit inside ``<...|...>``, else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    quoted = quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")
    return _STRAY_PERCENT.sub("%25", quoted)  # a % that starts no escape is a literal %


def link(url: str | None, label: str) -> str:
    """A link briefbot makes on purpose; the label (at most ``LABEL_LIMIT`` characters) is
    escaped, the url checked."""
    checked = safe_url(url)
    if len(label) > LABEL_LIMIT:
        label = label[: LABEL_LIMIT - 1] + "…"
    text = escape(label).replace("|", "¦")
    return f"<{checked}|{text}>" if checked else text


def text_fragment_url(url: str | None, quote_text: str) -> str | None:
    """A link to the quoted passage itself (``#:~:text=start,end``), where browsers support
    text fragments."""
    checked = safe_url(url)
    if checked is None:
        return None
    words = quote_text.split()

    def enc(part: Sequence[str]) -> str:
        return quote(" ".join(part), safe="").replace("-", "%2D").replace(",", "%2C")

    fragment = enc(words) if len(words) <= 8 else f"{enc(words[:4])},{enc(words[-4:])}"
    # A page's own fragment ("#/story/12" on a site that routes on it) is kept: the
    # directive follows it (#/story/12:~:text=...), as the Text Fragments spec allows.
    page, _, own = checked.partition("#")
    return f"{page}#{own.split(':~:', 1)[0]}:~:text={fragment}"


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut between sentences or words when possible.

    A cut never falls inside an entity (``&amp;``) or a link briefbot made (``<url|label>``)
    unless that entity or link alone is longer than the piece, and every piece is
    non-empty, so the loop always moves forward whatever the text.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind(". ", 0, limit), rest.rfind("\n", 0, limit))
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit - 1
        cut = _outside_markup(rest, cut)
        pieces.append(rest[: cut + 1].rstrip())
        rest = rest[cut + 1 :].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def _outside_markup(text: str, cut: int) -> int:
    """``cut`` (the last index of a piece), moved back before an entity or a ``<...>``
    link it would split; unchanged when moving back would leave the piece empty."""
    moved = cut
    amp = text.rfind("&", max(0, moved - 4), moved + 1)
    if amp != -1 and (entity := _ENTITY.match(text, amp)) and entity.end() > moved + 1:
        moved = amp - 1
    opened = text.rfind("<", 0, moved + 1)
    if opened != -1 and text.find(">", opened) > moved:
        moved = opened - 1
    return moved if moved >= 0 else cut


def truncate(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else split_text(text, limit - 1)[0] + "…"


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not auto-link bare domains or parse names in article text;
    # the links briefbot means are written out as <url|label>.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> list[Block]:
    return [{"type": "section", "text": _mrkdwn(t)} for t in split_text(text)]


def context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(truncate(text, CONTEXT_LIMIT))]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        b["style"] = style
    return b


def _source_line(c: dict[str, Any]) -> str:
    meta = [escape(str(x)) for x in (c.get("source"), c.get("published")) if x]
    if c.get("paragraph"):
        meta.append(f"¶{c['paragraph']}")
    tail = f" — {', '.join(meta)}" if meta else ""
    return f"[{c['marker']}] {link(c.get('url'), c.get('title') or 'Untitled')}{tail}"


def fit(blocks: list[Block], limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """At most ``limit`` blocks; a note says when some had to go."""
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], context("_(shortened to fit Slack)_")]


def answer_message(
    view: dict[str, Any], *, share: bool = False, shared_by: str | None = None
) -> tuple[str, list[Block]]:
    """Fallback text and blocks for an answer. ``view`` has the keys of an exchange row:
    answer, answered, citations, note, mode, written_by, id."""
    answer = escape(view.get("answer") or "")
    citations: list[dict[str, Any]] = view.get("citations") or []
    exchange_id = str(view.get("id") or "")
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(f"Shared by <@{shared_by}>"))
    blocks += section(answer)
    if view.get("note"):
        blocks.append(context(f"_{escape(view['note'])}_"))
    if citations:
        blocks += section("*Sources*\n" + "\n".join(_source_line(c) for c in citations))
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
    tail: list[Block] = []
    # Which way it was written, always: the model's name or "extractive (why)". Rows
    # logged before briefbot recorded it have only the mode.
    about = [escape(writer_line(str(view.get("written_by") or view.get("mode") or "extractive")))]
    if exchange_id:
        about.append(f"log id {exchange_id}")
    tail.append(context(" · ".join(about)))
    if buttons:
        tail.append({"type": "actions", "elements": buttons})
    return truncate(answer), fit(blocks, MESSAGE_BLOCKS - len(tail)) + tail


def quotes_blocks(citations: Iterable[dict[str, Any]], heading: str | None = None) -> list[Block]:
    """Each cited passage (or quote) verbatim as a block quote, with where it is from."""
    blocks: list[Block] = []
    if heading:
        blocks += section(heading)
    for c in citations:
        body = " ".join(str(c.get("text") or "").split())
        for piece in split_text(escape(body), SECTION_LIMIT - 10):
            blocks += section("> " + piece)
        prefix = f"[{c['marker']}] " if c.get("marker") and heading is None else ""
        blocks.append(context(prefix + _where(c, body, CONTEXT_LIMIT - len(prefix))))
    return blocks


def _where(c: dict[str, Any], body: str, limit: int) -> str:
    """ "Title · paragraph N · open at the passage", within ``limit`` characters: with a very
    long url the passage link goes first, then the title's link, never the title or the
    paragraph, and no link is ever cut."""
    title = c.get("title") or "Untitled"
    paragraph = [f"paragraph {c['paragraph']}"] if c.get("paragraph") else []
    fragment = text_fragment_url(c.get("url"), body)
    passage = [f"<{fragment}|open at the passage>"] if fragment else []
    for parts in (
        [link(c.get("url"), title), *paragraph, *passage],
        [link(c.get("url"), title), *paragraph],
        [link(None, title), *paragraph],
    ):
        line = " · ".join(parts)
        if len(line) <= limit:
            return line
    return " · ".join([link(None, title), *paragraph])


def quotes_message(
    topic: str,
    quotes: Sequence[dict[str, Any]],
    exchange_id: str | None,
    *,
    share: bool = True,
    shared_by: str | None = None,
) -> tuple[str, list[Block]]:
    if not quotes:
        text = f"No quotes on “{escape(topic)}” in the sources. Try other words."
        return truncate(text), section(text)
    heading = f"*Quotes on “{escape(topic)}”*"
    if shared_by:
        heading = f"<@{shared_by}> shared {heading}"
    blocks = quotes_blocks(quotes, heading)
    tail: list[Block] = []
    if share and exchange_id and not shared_by:
        share_button = button("Share in channel", SHARE_QUOTES, exchange_id, "primary")
        tail.append({"type": "actions", "elements": [share_button]})
    blocks = fit(blocks, MESSAGE_BLOCKS - len(tail)) + tail
    text = truncate(
        f"Quotes on “{escape(topic)}”: " + " | ".join(escape(q["text"]) for q in quotes)
    )
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
        "• `/brief <question>`: a private answer you can share\n"
        "• `/quote <topic>`: verbatim quotes with links to the passage\n"
        "• `/brief sources`: what I have read\n"
        "• `/brief digest`: the weekly digest (with a button to post it here); "
        "`/brief subscribe` / `unsubscribe` / `subscriptions`: the digest every week in a "
        "channel\n"
        "• `/brief add <url>`: add a web page to the sources\n"
        "• `/brief feeds`: the feeds I follow (`/brief feeds add <url>`, "
        "`/brief feeds remove <id>`)"
    )


def help_message(profile: Profile) -> tuple[str, list[Block]]:
    return "How to use briefbot", section(help_text(profile))


def sources_blocks(sources: Sequence[dict[str, Any]], limit: int = 40) -> list[Block]:
    if not sources:
        return section("No articles are stored yet.")
    lines = []
    for s in sources[:limit]:
        meta = ", ".join(escape(str(x)) for x in (s.get("source"), s.get("published")) if x)
        lines.append(f"• {link(s.get('url'), s['title'])}" + (f" — {meta}" if meta else ""))
    more = len(sources) - limit
    if more > 0:
        lines.append(f"…and {more} more")
    return section(f"*Sources ({len(sources)})*\n" + "\n".join(lines))


#: Articles a channel post shows with their summaries; the rest are counted, and
#: ``/brief digest`` lists them all.
POSTED_ARTICLES = 8
POST_DIGEST = "post_digest"
#: Longest summary, statement or question a digest message shows (then "…"): a model or a
#: question may run long, and one item must not push the others out of the message.
DIGEST_ITEM_CHARS = 700


def _when(day: Any, added: Any) -> str:
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


def _packed(lines: Sequence[str], limit: int = SECTION_LIMIT) -> list[Block]:
    """``lines`` in as few sections as fit (a line longer than a section is split)."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + 2 + len(line) > limit:
            blocks += section(current)
            current = ""
        current = f"{current}\n\n{line}" if current else line
    if current:
        blocks += section(current)
    return blocks


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
    blocks += _packed(lines) if full else [b for line in lines for b in section(line)]
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
        lines = [
            _source_line({**c.as_dict(), "marker": numbers[c.marker], "published": c.published})
            for c in ordered
        ]
        blocks += _packed(["*Sources*", *lines], SECTION_LIMIT)
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
        button_ = button("Post to this channel", POST_DIGEST, digest.period.key, "primary")
        tail.append({"type": "actions", "elements": [button_]})
    room = limit - len(tail)

    def render(shown: int) -> list[Block]:
        return _digest_blocks(digest, shown, full=full, posted_by=posted_by)

    # The most articles that fit (a binary search: more articles, more blocks).
    low, high = 0, len(digest.articles) if full else min(POSTED_ARTICLES, len(digest.articles))
    blocks = render(high)
    if len(blocks) > room:
        while low < high:
            middle = (low + high + 1) // 2
            if len(render(middle)) <= room:
                low = middle
            else:
                high = middle - 1
        blocks = render(low)
    return digest_fallback(digest), fit(blocks, limit - len(tail)) + tail


def home_view(
    digest: Digest, sources: Sequence[dict[str, Any]], profile: Profile
) -> dict[str, Any]:
    head: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "briefbot"}},
        *section(help_text(profile)),
        {"type": "divider"},
    ]
    tail: list[Block] = [{"type": "divider"}, *sources_blocks(sources)]
    room = HOME_BLOCKS - len(head) - len(tail)
    blocks = [*head, *digest_message(digest, limit=room)[1], *tail]
    return {"type": "home", "blocks": fit(blocks, HOME_BLOCKS)}


def added_page_message(page: dict[str, Any]) -> tuple[str, list[Block]]:
    """What ``/brief add`` stored: title (linked), source, date and number of passages.
    ``page`` has the keys of :meth:`bot.core.pages.AddedPage.as_dict`."""
    verb = {"added": "Added", "updated": "Updated"}.get(page["outcome"], "Already in the sources")
    meta = ", ".join(
        escape(str(x)) for x in (page.get("source"), page.get("published") or "undated") if x
    )
    passages = page.get("passages") or 0
    line = (
        f"{verb}: *{link(page.get('url'), page.get('title') or 'Untitled')}* — {meta} · "
        f"{passages} passage{'s' if passages != 1 else ''}"
    )
    return truncate(f"{verb}: {escape(page.get('title') or 'Untitled')}"), section(line)


def feeds_blocks(feeds: Sequence[dict[str, Any]], limit: int = 30) -> list[Block]:
    """The feeds followed, each with its last poll, last success and last error.
    ``feeds`` have the keys of :func:`bot.core.feeds.feed_view`."""
    if not feeds:
        return section("*Feeds*\nNo feeds are followed yet.")

    def when(value: str | None) -> str:
        return value[:16].replace("T", " ") + " UTC" if value else "never"

    lines = []
    for f in feeds[:limit]:
        title = link(f.get("url"), f.get("title") or f.get("url") or "Untitled feed")
        state = f"last poll {when(f.get('last_poll'))}, last success {when(f.get('last_success'))}"
        line = f"• `{f['id']}` *{title}* — {f.get('entries', 0)} articles; {state}"
        if f.get("last_error"):
            line += f"\n    last error: {escape(str(f['last_error']))}"
        lines.append(line)
    if len(feeds) > limit:
        lines.append(f"…and {len(feeds) - limit} more")
    return section(f"*Feeds ({len(feeds)})*\n" + "\n".join(lines))
