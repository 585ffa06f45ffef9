"""An RSS or Atom feed's bytes as plain entries, through feedparser.

briefbot fetches the feed itself (through the SSRF guard, with its limits) and hands
feedparser only the bytes, wrapped in a file object: given a string, feedparser may treat
it as a URL or a file path and fetch or open it. feedparser turns off external entities in
its XML parser, sanitises HTML in summaries, and reads a feed that is not well-formed with
its lenient parser, so one broken entry does not lose the others.

Entries come newest first, whatever order the feed lists them in (:func:`_newest_first`),
so the :data:`MAX_ENTRIES` kept are the newest. An entry is usable when it has an http(s)
link; its key (for "seen before") is its guid, else its link, else a digest of its title
and text, never its place in the feed; a guid not unique in the feed is joined by the
link (:func:`_key`). Its summary (the entry's
full ``content`` when the feed has it, else its ``summary``) becomes plain text, kept for
when the page cannot be fetched. Its date is the day its publisher wrote, in the feed's
own offset, not feedparser's UTC day (:func:`_date`).

A web page given where a feed was expected is read for the feed it links to
(:func:`discover_feed`).
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml import etree

from bot.core import charset
from bot.core.fetch import Fetched
from bot.core.metadata import parse_date
from bot.core.parse import MAX_ATTRIBUTES, MAX_PARAGRAPHS, START_TAG, too_many_attributes
from bot.core.text import first_line, shortened, squash
from bot.core.urls import normalise_url
from bot.errors import IngestError, InputError

#: A poll looks at most at this many entries, the newest (:func:`_newest_first`); the rest
#: of a very long feed is not fetched.
MAX_ENTRIES = 100
_BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre"}
#: C0 controls that are not whitespace, and DEL. A feed may write them as references
#: (feedparser decodes ``&#0;`` to NUL); PostgreSQL cannot store NUL, and none of them is
#: text a person reads.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: What lxml refuses to hold in a tree besides :data:`_CONTROL` (XML 1.0 has no such
#: characters): a vertical tab or form feed (whitespace, so a space), U+FFFE and U+FFFF.
_NOT_XML = {0x0B: " ", 0x0C: " ", 0xFFFE: None, 0xFFFF: None}
_LINE = re.compile(r"[^\n]+")


#: The most elements a feed may have, counting the tags of the HTML its entries carry (in
#: CDATA, or escaped as ``&lt;p&gt;``): feedparser reads each, and cleans each HTML one,
#: at 20 to 35 microseconds apiece, so a 10 MB feed of 330,000 one-line items took 18
#: seconds on every poll (and one description of a million ``<p>`` as long). A feed of a
#: hundred full articles has a few tens of thousands.
MAX_FEED_ELEMENTS = 100_000
#: A tag (as a page's: :data:`bot.core.parse.START_TAG`), or an escaped one.
_FEED_TAG = re.compile(rf"{START_TAG.pattern}|&(?:lt|#0*60|#[xX]0*3[cC]);[A-Za-z]")
#: How an EBCDIC feed begins (``<?xm`` in code page 37), which feedparser reads too.
_EBCDIC = b"\x4c\x6f\xa7\x94"
#: The most "<" an element of a feed may hold that open no tag (``1 &lt; 2``, a run of
#: ``&lt;`` or of ``<`` in CDATA): feedparser's HTML sanitiser steps through each in
#: Python, a few microseconds apiece, and none counts as an element: a 10 MB description
#: of ``&lt;`` took 7 seconds, one of ``<`` in CDATA over a minute. Text with a "<" in
#: every line of a long article has a few hundred.
MAX_LONE_LT = 10_000
#: A "<", raw or escaped, that opens no tag (nor a CDATA section).
_LONE_LT = re.compile(r"(?:<|&(?:lt|#0*60|#[xX]0*3[cC]);)(?!/?[A-Za-z]|!\[CDATA\[)")
#: The start or end tag of an element whose text feedparser reads as HTML.
_TEXT_TAG = re.compile(
    r"<(/?)((?:[\w.-]+:)?(title|description|summary|content|encoded|subtitle))\b[^>]*>"
)
#: What an element of too many lone "<" is read as: its name follows.
_OMITTED = "briefbot-omitted-"
_OMITTED_NAME = re.compile(rf"{_OMITTED}(\w+)")


class FeedError(IngestError):
    """The body is not a feed briefbot can read. One line."""


def check_feed(body: bytes) -> None:
    """Refuse, with a one-line :class:`FeedError`, a feed that would keep feedparser busy
    for long: more than :data:`MAX_FEED_ELEMENTS` elements, or a tag with more than
    :data:`~bot.core.parse.MAX_ATTRIBUTES` attributes (feedparser checks each against the
    ones before it: one item of 100,000 attributes, a megabyte, took 72 seconds). One
    scan, linear in the feed's length, of its bytes as they stand (a tag's name, its
    spaces and quotes are ASCII in every encoding feedparser reads but UTF-16 and UTF-32,
    whose NUL bytes go first, and EBCDIC, decoded)."""
    text = (
        body.decode("cp037", errors="replace")
        if body.startswith(_EBCDIC)
        else body.replace(b"\x00", b"").decode("latin-1")
    )
    for elements, match in enumerate(_FEED_TAG.finditer(text), start=1):
        if elements > MAX_FEED_ELEMENTS:
            raise FeedError(
                f"the feed has more than {MAX_FEED_ELEMENTS:,} elements; too many to read"
            )
        if too_many_attributes(match.group(0)):
            raise FeedError(f"the feed has a tag with more than {MAX_ATTRIBUTES} attributes")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed. ``problem`` says why it cannot be used (its ``link`` is None,
    or an element of it was not read: :func:`omit_lone_lt`)."""

    key: str
    #: The key an older briefbot gave the entry (its guid alone, when the guid is shared by
    #: other entries of the feed), by which an entry it stored is still known.
    old_key: str | None
    link: str | None
    title: str | None
    summary: str
    published: date | None
    author: str | None
    problem: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    site_url: str | None
    items: tuple[FeedItem, ...]


def omit_lone_lt(body: bytes) -> bytes:
    """``body`` with the text of each element that holds more than :data:`MAX_LONE_LT`
    "<" that open no tag replaced by a note of its name, which fails its entry alone
    (:func:`_item`) rather than keep feedparser busy for seconds. One linear scan, and
    nothing more when the whole feed has no more than that many. A feed in an encoding
    whose bytes are not ASCII's (UTF-16, UTF-32, EBCDIC) is left as it is."""
    if b"\x00" in body or body.startswith(_EBCDIC):
        return body
    text = body.decode("latin-1")  # every byte as itself: encoded back, the same bytes
    lone = _LONE_LT.finditer(text)
    if next(islice(lone, MAX_LONE_LT, None), None) is None:
        return body
    kept: list[str] = []
    done = 0
    opened: dict[str, int] = {}
    for tag in _TEXT_TAG.finditer(text):
        closing, name, local = tag.group(1), tag.group(2), tag.group(3)
        if not closing:
            if not tag.group().endswith("/>"):
                opened.setdefault(name, tag.end())
            continue
        start = opened.pop(name, None)
        if start is None or start < done:
            continue
        inside = _LONE_LT.finditer(text, start, tag.start())
        if next(islice(inside, MAX_LONE_LT, None), None) is not None:
            kept += [text[done:start], _OMITTED + local]
            done = tag.start()
    kept.append(text[done:])
    return "".join(kept).encode("latin-1")


def parse_feed(
    body: bytes, url: str, content_type: str = "", declared: str | None = None
) -> ParsedFeed:
    """The feed in ``body`` (fetched from ``url``), or :class:`FeedError`. ``declared``
    is the HTTP header's charset, passed on when the feed needs it
    (:func:`bot.core.charset.feed_charset`). A feed too big to read in good time is
    refused first (:func:`check_feed`), and an element of too many "<" that open no tag
    is not read (:func:`omit_lone_lt`)."""
    check_feed(body)
    body = omit_lone_lt(body)
    headers = {"content-location": url}
    if content_type:
        label = charset.feed_charset(body, declared)
        headers["content-type"] = f"{content_type}; charset={label}" if label else content_type
    try:
        doc = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:
        # feedparser's lenient parser raises on some references it cannot decode (a lone
        # surrogate, a number past any character): the feed cannot be read, said as such
        # rather than as an "unexpected" error with a traceback in the log.
        reason = f"{type(exc).__name__}: {shortened(first_line(exc), 120)}"
        raise FeedError(f"not an RSS or Atom feed briefbot can read ({reason})") from None
    if not doc.get("version") and not doc.get("entries"):
        problem = doc.get("bozo_exception")
        detail = f": {first_line(problem)}" if problem is not None else ""
        raise FeedError(f"not an RSS or Atom feed{detail}")
    feed = doc.get("feed") or {}
    entries = _newest_first(list(enumerate(doc.get("entries", []))))
    guids = Counter(_text(entry.get("id")) for _, entry in entries)
    shared = {guid for guid, n in guids.items() if guid is not None and n > 1}
    items = tuple(_item(entry, shared) for _, entry in entries[:MAX_ENTRIES])
    return ParsedFeed(
        title=_text(feed.get("title")),
        site_url=_link(feed.get("link")),
        items=items,
    )


def _newest_first(entries: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """``(position, entry)`` pairs, dated entries newest first, then the undated ones.

    Most feeds list their newest entry first, but an archive feed may list them oldest
    first, and keeping the first :data:`MAX_ENTRIES` in document order then drops the new
    ones on every poll. So entries are ordered by their time (to the second, in UTC, as
    feedparser reads it), and entries with the same time keep the feed's order. An entry
    with no date it can be ordered by goes after the dated ones, in the feed's order: it
    cannot be shown to be new, and a feed that dates some entries and not others would
    otherwise have its undated ones push dated new ones past the cut. A feed that dates
    none keeps its own order."""
    timed = [(_utc_time(entry), (n, entry)) for n, entry in entries]
    dated = [(time, pair) for time, pair in timed if time is not None]
    dated.sort(key=lambda dated_pair: dated_pair[0], reverse=True)  # stable, reversed too
    return [pair for _, pair in dated] + [pair for time, pair in timed if time is None]


def _utc_time(entry: Any) -> tuple[int, ...] | None:
    """The entry's time (published, else updated, else created) as feedparser parsed it,
    in UTC, as a tuple that sorts: year, month, day, hour, minute, second."""
    for name in ("published", "updated", "created"):
        value = dict.get(entry, f"{name}_parsed")
        if value is None:
            continue
        try:
            return tuple(int(part) for part in value[:6])
        except (TypeError, ValueError):  # not a time
            continue
    return None


def _item(entry: Any, shared_guids: set[str]) -> FeedItem:
    title = _text(entry.get("title"))
    raw_link = entry.get("link")
    link = _link(raw_link)
    guid = _text(entry.get("id"))
    summary = _summary(entry)
    key = _key(guid, link or _content_key(title, summary), shared_guids)
    problem = None
    omitted = _omitted(entry)
    if omitted is not None:
        problem = (
            f"the entry's {omitted} has more than {MAX_LONE_LT:,} '<' that open no tag; "
            "too many to read"
        )
    elif link is None:
        shown = f" ({str(raw_link)[:60]!r})" if raw_link else ""
        problem = f"the entry has no http(s) link{shown}"
    return FeedItem(
        key=key,
        old_key=guid if guid in shared_guids else None,
        link=link,
        title=title,
        summary=summary,
        published=_date(entry),
        author=_text(entry.get("author")),
        problem=problem,
    )


def _omitted(entry: Any) -> str | None:
    """The name of an element of the entry that was not read (:func:`omit_lone_lt`)."""
    values = [entry.get("title"), entry.get("summary")]
    values += [c.get("value") for c in entry.get("content") or [] if isinstance(c, dict)]
    for value in values:
        found = _OMITTED_NAME.search(value) if isinstance(value, str) else None
        if found:
            return found.group(1)
    return None


def _key(guid: str | None, link: str, shared_guids: set[str]) -> str:
    """What an entry is known by from poll to poll: its guid, which is meant to be unique
    and to stay when the entry is edited; else its link (or, with neither, its title and
    text: :func:`_content_key`). A feed whose generator gives many entries one guid (the
    site's home page, a template's constant) would have them all taken for the first: an
    entry whose guid is shared is known by its guid and its link together."""
    if guid is None:
        return link
    if guid in shared_guids:
        return f"{guid}\n{link}"
    return guid


def _content_key(title: str | None, summary: str) -> str:
    """The key of an entry with no link (and no guid, or one shared): a digest of its
    title and text, as feed readers key such an entry. It used to be the entry's place in
    the feed, which changes whenever the feed puts a new entry above it: the entry was
    then a new one at every poll (tried afresh, never given up, a record added each time,
    so the feed's validators were never kept), and another entry that came to its place
    with the same title was taken for it. Keyed by what it says, the same entry is the
    same wherever the feed lists it; an entry whose text is edited is a new one, which
    is the most a feed that names its entries neither way allows."""
    text = f"{title or ''}\n{summary}".encode("utf-8", "surrogatepass")
    return "#text:" + hashlib.sha256(text).hexdigest()


def _link(value: Any) -> str | None:
    """An http(s) link, normalised, or None: a link holding a control character is not
    an address (:func:`~bot.core.urls.normalise_url` refuses it), so it is not kept."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalise_url(value)
    except InputError:
        return None


def _text(value: Any) -> str | None:
    """A title, author or guid as one line of text, without control characters: a title
    with a NUL in it made the feed impossible to follow on PostgreSQL, and SQLite stored
    it."""
    if not isinstance(value, str) or _OMITTED_NAME.search(value):
        return None  # (a title not read: omit_lone_lt)
    value = _CONTROL.sub("", value)
    text = squash(_html_text(value)) if "<" in value else squash(value)
    return text or None


def _summary(entry: Any) -> str:
    """The entry's own text: its full content if the feed carries it, else its summary,
    as paragraphs of plain text."""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str) and value.strip():
            return _paragraphs(value)
    summary = entry.get("summary")
    return _paragraphs(summary) if isinstance(summary, str) else ""


def _paragraphs(value: str) -> str:
    """``value`` (text or HTML) as paragraphs of plain text, a line each. Past
    :data:`~bot.core.parse.MAX_PARAGRAPHS` lines it reads one more and stops: a summary
    of so many is refused whole when it is to be stored (a 10 MB description of a line
    per letter took 35 seconds and 1.9 GB to store as 70,000 chunks), and squashing the
    rest first took seconds more."""
    text = _html_text(value) if "<" in value else value
    paragraphs: list[str] = []
    for line in _LINE.finditer(text):
        if paragraph := squash(line.group()):
            paragraphs.append(paragraph)
            if len(paragraphs) > MAX_PARAGRAPHS:
                break
    return "\n\n".join(paragraphs)


def _html_text(value: str) -> str:
    """Text of an HTML fragment, a block element per line. (feedparser has already
    removed scripts, styles and event handlers.)

    Characters XML cannot hold go first: lxml parses them but refuses them as an
    element's text, so one entry's summary with a vertical tab pasted from a word
    processor, or a ``&#x1;``, raised ValueError and failed the whole feed, on every
    poll (and ``feeds add``), since the feed is read whole before any entry."""
    value = _CONTROL.sub("", value).translate(_NOT_XML)
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return value
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    return str(root.text_content())


def _date(entry: Any) -> date | None:
    """The entry's date (published, else updated, else created) as its publisher dated
    it: the day in the offset the feed wrote, as a page's own metadata is read
    (``2019-03-31T22:00:00-05:00`` is 31 March). feedparser's ``*_parsed`` times are in
    UTC, so their day alone would date a New York entry of Sunday 22:00 on Monday, and
    put it in the next week's digest.

    The string only moves feedparser's day to the one written, never dates an entry
    feedparser could not: a day as written is at most a day from its UTC day, and one
    read here further off (or not read: feedparser knows many more forms than RFC 822
    and ISO 8601) was misread, so feedparser's day stands."""
    for name in ("published", "updated", "created"):
        # dict.get: the entry's own keys, not feedparser's deprecated mapping of a missing
        # "updated" to "published" (which warns, and would read the same date twice)
        utc_day = _utc_day(dict.get(entry, f"{name}_parsed"))
        if utc_day is None:
            continue
        raw = dict.get(entry, name)
        written = _day_as_written(raw) if isinstance(raw, str) else None
        if written is not None and abs((written - utc_day).days) <= 1:
            return written
        return utc_day
    return None


def _day_as_written(text: str) -> date | None:
    """The day of an RFC 822 date (RSS: ``Sun, 31 Mar 2019 22:00:00 -0500``) or an ISO
    8601 one (Atom: ``2019-03-31T22:00:00-05:00``) in its own offset; None for any other
    form."""
    text = text.strip()
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return parse_date(text, "published")
    except IngestError:
        return None


def _utc_day(value: Any) -> date | None:
    """The day of one of feedparser's parsed times (a ``time.struct_time`` in UTC)."""
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday) if value else None
    except (AttributeError, ValueError):
        return None


#: What a feed begins with, after a byte-order mark, spaces, an XML declaration, comments
#: and processing instructions: its root element.
_FEED_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:(?:<\?[^>]*>|<!--.*?-->)\s*)*<(?:rss|feed|rdf:rdf)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
#: The content types of a web page, which a feed is sometimes served as.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def served_as_page(fetched: Fetched) -> bool:
    """Whether ``fetched`` came as a web page (``text/html``, XHTML) and is one: not a
    feed that a server labels as HTML, as some CMSs do (its body begins as a feed does,
    with ``<rss``, ``<feed`` or ``<rdf:RDF``), which is read as the feed it is."""
    if fetched.content_type not in HTML_TYPES:
        return False
    return _FEED_START.match(fetched.body[:4096]) is None


def discover_feed(fetched: Fetched) -> str | None:
    """The first RSS or Atom feed a web page links to (``<link rel="alternate">``)."""
    text = charset.decode(fetched.body, fetched.charset)
    try:
        doc = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return None
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml") and href:
            try:
                return normalise_url(urljoin(fetched.final_url, href))
            except InputError:
                continue
    return None
