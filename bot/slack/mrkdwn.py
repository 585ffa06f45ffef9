"""Slack's text format, both ways: untrusted text made inert, and Slack's text read back.

Everything that comes from an article or from the LLM passes through :func:`escape` before
it reaches Slack: ``&``, ``<`` and ``>`` become entities (so no ``<@U123>``, ``<!channel>``
or ``<http://x|y>`` can be smuggled in), ``@channel``-style words get a zero-width space,
bare URLs are broken with one, and so are the marks of bold, italic, strike-through and
code and a ">" that opens a line (a block quote), so Slack neither pings nor links nor
formats anything an article or a model says. Links that
briefbot itself makes (a source's url) are built by :func:`link` from http(s) urls only.

The other way, Slack sends what people type with ``&``, ``<`` and ``>`` as entities,
mentions as ``<@U123>`` and links as ``<url|label>``, and with whatever invisible
characters came with it: :func:`unescape`, :func:`as_typed`, :func:`plain_question` and
:func:`link_target` read them back; :func:`command_word` reads a slash command's own
words past a sentence's end.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from bot.core.urls import with_text_fragment

#: The longest label of a link briefbot makes.
LABEL_LIMIT = 200
#: The longest url briefbot links, as sent (percent-encoded, with entities): a longer one
#: would be cut by a 3,000-character section, leaving a broken link and raw markup.
URL_LIMIT = 2000
ZWSP = "\u200b"

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
# Not after a letter or digit, but after "_" too: Markdown links "_https://x_" (a word
# boundary, \b, would not see the start of the url there).
_SCHEME = re.compile(r"(?<![A-Za-z0-9])(https?|ftp|mailto|slack)(:)(//)?", re.IGNORECASE)
_WWW = re.compile(r"(?<![A-Za-z0-9])www\.", re.IGNORECASE)
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Bidirectional overrides and isolates: they can make text read backwards ("txt.exe").
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
# The marks of Slack's formatting (bold, italic, strike-through, code). A zero-width space
# on each side of a mark leaves it nothing to pair with: whether Slack reads that space as
# a letter or as a space, no mark opens or closes a span.
_FORMATTING = re.compile(r"[*_~`]")
_SLACK_LINK = re.compile(r"^<([^|>]+)(?:\|[^>]*)?>$")
#: A ">" (escaped) at the start of a line, after any spaces: Slack's block-quote mark.
_QUOTE_MARK = re.compile(r"((?:^|\n)[ \t]*)&gt;")


def escape(text: str) -> str:
    """Make untrusted text safe for mrkdwn: no mentions, no broadcasts, no links, and no
    formatting: an article's "*not*" or "~50%~" is shown with its marks, not as bold or
    struck-through text that Slack made of it."""
    text = _BIDI.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _FORMATTING.sub(lambda m: f"{ZWSP}{m.group(0)}{ZWSP}", text)
    # ">" opening a line makes it a block quote, in mrkdwn and in Markdown alike: a reply's
    # "> words no source says" would look quoted, so no line begins with one
    text = _QUOTE_MARK.sub(lambda m: f"{m.group(1)}{ZWSP}&gt;", text)
    text = _BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)}{ZWSP}{m.group(2)}{m.group(3) or ''}", text)
    return _WWW.sub(f"www{ZWSP}.", text)


def escape_markdown(text: str) -> str:
    """:func:`escape`, for text that Slack reads as standard Markdown (a streamed answer's
    ``markdown_text``): also breaks the ``](`` of an inline ``[label](url)`` link. Like
    :func:`escape`, it looks across no whitespace but the spaces that open a line (before
    a block quote's ">"), and only backwards: escaping a growing text up to its last
    whitespace gives a prefix of the escaped whole (what the streamed draft relies on);
    pieces cut at whitespace escape as the whole does unless one opens with a ">"."""
    return escape(text).replace("](", f"]{ZWSP}(")


def unescape(text: str) -> str:
    """Slack's entities (``&amp;``, ``&lt;``, ``&gt;``) turned back into characters, so a
    question about "AT&T" is searched as typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


#: Characters that show as nothing: Unicode's Default_Ignorable_Code_Point (zero-width
#: space, non-joiner and joiner, word joiner, byte order mark, soft hyphen, bidirectional
#: marks and overrides, variation selectors, tag characters...).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def as_typed(text: str) -> str:
    """What a person wrote in Slack, as they saw it: Slack's entities turned back into
    characters, invisible characters dropped and whitespace runs (a no-break space
    included) as one space. Slash commands' text and messages' text (through
    :func:`plain_question`) are read through it, before anything matches a command word
    ("help", "sources") or asks whether a question is empty.

    Slack clients slip zero-width spaces, joiners, word joiners and byte order marks into
    pasted text, and briefbot's own replies carry zero-width spaces (see :func:`escape`), so
    a question copied from one brings them along. Unseen, they made ``/brief`` read "help"
    after a zero-width space as a question, and a question of nothing else "only
    punctuation" (declined and logged) where an empty one gets a prompt.

    They are dropped here, at the Slack boundary, and not by the core's
    :meth:`~bot.core.briefing.Briefing.check_question`: the command words are matched and
    an empty text is told how to ask (the help text, the hint, ``/quote``'s usage) here,
    before the core sees the text, so only this boundary can get them right; and the
    characters come from Slack's clients and from briefbot's Slack replies. The core keeps
    reading a question as it is given, from the command line too."""
    return " ".join(unescape(_INVISIBLE.sub("", text)).split())


#: An emoji as Slack writes it in a message's text (":+1:", ":tada::skin-tone-2:").
_EMOJI_CODE = re.compile(r"(?<!\S)(?::[a-z0-9_+'-]+:)+(?!\S)")


#: Slack's markup in a message's text: ``<target>`` or ``<target|label>``. A ``<`` that
#: someone typed arrives as ``&lt;``, so every ``<`` in the text opens markup.
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _as_seen(found: re.Match[str]) -> str:
    """A piece of Slack's markup as the person saw it, as words of a question.

    Who it is addressed to is not what it asks: a person (``<@U123>``), a user group
    (``<!subteam^S123|@team>``) or a broadcast (``<!here>``) is left out. A channel
    (``<#C123|general>``) is its name, a date (``<!date^...|March 8th>``) and a link
    (``<https://...|the report>``) the text shown (a link without one, its url)."""
    target, label = found.group(1), found.group(2)
    if target.startswith("@"):
        return " "
    if target.startswith("#"):
        return f"#{label}" if label else " "
    if target.startswith("!"):
        return label if target.startswith("!date^") and label else " "
    return label or target


def command_text(text: str) -> str:
    """A slash command's text as its user saw it (:func:`as_typed`), without emoji codes
    (":wave:"), as :func:`plain_question` reads a message's: ``/brief :wave:`` asks
    nothing, as a mention of only ":wave:" does."""
    return as_typed(_EMOJI_CODE.sub(" ", _INVISIBLE.sub("", text)))


def plain_question(text: str) -> str:
    """A message's text as a question: without @-mentions (of people, groups or the
    channel) or emoji codes, with channels, dates and links as shown (see
    :func:`_as_seen`), then read by :func:`as_typed` (entities as characters, no invisible
    characters, whitespace runs as one space)."""
    return command_text(_MARKUP.sub(_as_seen, _INVISIBLE.sub("", text or "")))


_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned(text: str) -> set[str]:
    """The ids of the people (``U…``, ``W…``) and user groups (``S…``) a message's text
    @-mentions: whom it is addressed to."""
    return set(_MENTION.findall(text)) | set(_GROUP.findall(text))


def without_sentence_end(text: str) -> str:
    """``text`` without the punctuation and spaces a sentence ends with (" .?!")."""
    return text.rstrip(" .?!")


def command_word(text: str) -> str:
    """``text`` as it is matched against a command's words: lower case, without the
    punctuation and spaces a sentence ends with, so ``/brief digest?`` and ``/brief
    subscribe.`` are the subcommands people typed, not questions. Only the command's own
    words are read so: what follows them is read as typed, a URL's own "!" or "." (as in
    ``.../wiki/Yahoo!``) being part of it."""
    return without_sentence_end(text).lower()


def link_target(text: str) -> str:
    """A URL as typed: Slack may send it as ``<https://…>`` or ``<https://…|label>``."""
    text = text.strip()
    found = _SLACK_LINK.match(text)
    return found.group(1) if found else text


def safe_url(url: str | None) -> str | None:
    """``url`` as it can sit inside ``<...|...>`` (percent-encoded, its ``&`` as an entity,
    which Slack decodes), if it is an http(s) url no longer than ``URL_LIMIT`` so written;
    else None (the caller shows the label alone). A URL ``urlsplit`` cannot read (an
    unclosed "[" as in ``https://[oops/x``: ValueError) is None too, so what someone
    typed is shown as text, never the cause of a failed reply."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    quoted = quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")
    quoted = _STRAY_PERCENT.sub("%25", quoted)  # a % that starts no escape is a literal %
    written = quoted.replace("&", "&amp;")
    return written if len(written) <= URL_LIMIT else None


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
    return None if checked is None else with_text_fragment(checked, quote_text)
