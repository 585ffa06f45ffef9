"""Block Kit's building blocks, within Slack's limits, for every message briefbot sends.

Limits respected: section text at most 3,000 characters, at most 50 blocks per message
(100 in the App Home), top-level ``text`` at most 3,000 characters, button values at most
2,000. Text given to these functions is mrkdwn already escaped (see
:mod:`bot.slack.mrkdwn`); cuts never fall inside an entity or a link briefbot made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.models import Citation
from bot.slack.mrkdwn import escape, link

Block = dict[str, Any]

SECTION_LIMIT = 3000
CONTEXT_LIMIT = 3000
MESSAGE_BLOCKS = 50
#: What the texts of one message's blocks may add up to. chat.postMessage refuses more
#: than about 12,000 characters of them (``msg_blocks_too_long``), each block within its
#: own limit; Slack does not document the figure, so this keeps well under it.
MESSAGE_TEXT = 11_000
#: However long the rest, a section or context keeps this much of its text.
MIN_SHARE = 200
HOME_BLOCKS = 100
TEXT_LIMIT = 3000


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


def packed(lines: Sequence[str], limit: int = SECTION_LIMIT) -> list[Block]:
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


def actions(*buttons: Block) -> Block:
    return {"type": "actions", "elements": list(buttons)}


def _texts(block: Block) -> list[dict[str, Any]]:
    """The mrkdwn and plain-text objects of a section, header or context block."""
    found = [block["text"]] if isinstance(block.get("text"), dict) else []
    found += [e for e in block.get("elements", ()) if isinstance(e, dict) and "text" in e]
    return [t for t in found if isinstance(t.get("text"), str)]


def text_size(blocks: Sequence[Block]) -> int:
    """What the texts of ``blocks`` add up to (see :data:`MESSAGE_TEXT`)."""
    return sum(len(t["text"]) for b in blocks for t in _texts(b))


def as_text(blocks: Sequence[Block], limit: int = TEXT_LIMIT) -> str:
    """The texts of ``blocks`` as one message's text alone, within ``limit``: a reply's
    shorter form, for a response_url that refused its blocks. Sections and contexts are
    mrkdwn already escaped; a header's plain text is escaped here; buttons are left
    out (text alone has none)."""
    parts = []
    for block in blocks:
        for t in _texts(block):
            if block.get("type") in ("section", "header", "context"):
                text = t["text"] if t.get("type") == "mrkdwn" else escape(t["text"])
                parts.append(f"*{text}*" if block.get("type") == "header" else text)
    return truncate("\n".join(parts).strip(), limit)


def within_text(blocks: list[Block], budget: int = MESSAGE_TEXT) -> list[Block]:
    """``blocks`` with their texts shortened, each to its share of ``budget`` (at least
    :data:`MIN_SHARE`), when together they are longer: Slack refuses the whole message
    otherwise."""
    total = text_size(blocks)
    if total <= budget:
        return blocks
    shortened = []
    for block in blocks:
        block = {**block}
        if isinstance(block.get("text"), dict):
            block["text"] = _shortened(block["text"], budget, total)
        if isinstance(block.get("elements"), list):
            block["elements"] = [
                _shortened(e, budget, total) if isinstance(e, dict) else e
                for e in block["elements"]
            ]
        shortened.append(block)
    return shortened


def _shortened(obj: dict[str, Any], budget: int, total: int) -> dict[str, Any]:
    text = obj.get("text")
    if not isinstance(text, str) or obj.get("type") not in ("mrkdwn", "plain_text"):
        return obj
    share = max(MIN_SHARE, len(text) * budget // total)
    return {**obj, "text": truncate(text, share)}


def fit(blocks: list[Block], limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """At most ``limit`` blocks; a note says when some had to go."""
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], context("_(shortened to fit Slack)_")]


def source_line(c: Citation, marker: int | None = None) -> str:
    """``[1] Title — Source, 2019-03-29, ¶2``, the title linked to the article; ``marker``
    renumbers the source for the message it is in."""
    meta = [escape(str(x)) for x in (c.source, c.published) if x]
    if c.paragraph:
        last = c.paragraph_end if c.paragraph_end and c.paragraph_end > c.paragraph else None
        meta.append(f"¶{c.paragraph}" + (f"–{last}" if last else ""))
    tail = f" — {', '.join(meta)}" if meta else ""
    return f"[{marker or c.marker}] {link(c.url, c.title or 'Untitled')}{tail}"
