"""A fetched web page as an article: its main text and metadata, without the page around it.

HTML goes through the same trafilatura extraction as a saved ``.html`` file
(:func:`bot.core.parse.parse_html`): main text only (navigation, footers, asides, cookie
banners, "most read" lists and advertisements are not article text), and the title,
author, published date and site name from the page's metadata. Scripts and styles are
never run; they are dropped with the rest of the markup.

The title is the article's own headline. Pages often put the site's name beside it in
their metadata too ("Honduras weighs exit from border pact | The Harbour Ledger"), so a
title made of parts joined by a separator (``|``, ``-``, ``–``, ``—``, ``:``, ``·``,
``»``) loses the part that names the site (the site name from the metadata, or the host
name) or, failing that, is cut to the part that is one of the page's ``<h1>`` headlines.

Plain text (``text/plain``) is an article whose first line is the title. The source is
the site's name, or its host name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core import charset
from bot.core.fetch import Fetched
from bot.core.parse import ParsedArticle, parse_html, parse_txt
from bot.core.text import squash
from bot.core.urls import host_of, without_credentials
from bot.errors import IngestError

_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·•»«/]|::)\s+")
#: An ``<h1>`` or ``</h1>`` tag. Neither this nor :data:`_TAG` reads past a ``<``, so
#: each part of the page is read once however many tags are left unclosed.
_H1_TAG = re.compile(r"<(/?)h1\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]*>")


def page_article(fetched: Fetched, title_hint: str | None = None) -> ParsedArticle:
    """The article in a fetched page, or :class:`IngestError` with the reason.

    Its identity (origin and url) is the url asked for; ``final_url`` is where redirects
    led, which is also the address trafilatura resolves relative metadata against.
    ``title_hint`` (a feed entry's title) is the title when the page yields none.
    """
    html = fetched.content_type != "text/plain"
    text = charset.decode(fetched.body, fetched.charset, html=html)
    if "\x00" in text:
        raise IngestError("the page is binary data, not text")
    if not text.strip():
        raise IngestError("the page is empty")
    host = host_of(fetched.final_url) or host_of(fetched.url)
    if html:
        fallback = title_hint or host or fetched.url
        parsed = parse_html(text, fetched.url, fallback, url=fetched.final_url)
        parsed = _retitled(parsed, text, host)
    else:
        parsed = replace(parse_txt(text.replace("\r\n", "\n"), fetched.url), format="text")
        parsed = replace(parsed, source=host or None)
    return replace(
        parsed,
        origin=fetched.url,
        url=fetched.url,
        final_url=(
            without_credentials(fetched.final_url) if fetched.final_url != fetched.url else None
        ),
        format="web" if html else "text",
    )


def _retitled(parsed: ParsedArticle, html: str, host: str) -> ParsedArticle:
    title = clean_title(parsed.title, [parsed.source, host], lambda: headlines(html))
    if title == parsed.title:
        return parsed
    first, _, rest = parsed.text.partition("\n\n")
    text = rest if squash(first) == title and rest.strip() else parsed.text
    return replace(parsed, title=title, text=text)


def headlines(html: str) -> list[str]:
    """The text of each ``<h1>`` on the page: from an ``<h1>`` to the first ``</h1>``
    after it (another ``<h1>`` in between is read as part of it); an ``<h1>`` never
    closed is no headline.

    One pass over the tags, rather than a pattern that looks for the closing tag from
    every opening one: each unclosed ``<h1>`` made that pattern read to the end of the
    page, and a page of 40,000 of them took most of a minute to ingest.
    """
    heads: list[str] = []
    start: int | None = None
    for tag in _H1_TAG.finditer(html):
        closing = bool(tag.group(1))
        if not closing and start is None:
            start = tag.end()
        elif closing and start is not None:
            heads.append(squash(_TAG.sub(" ", html[start : tag.start()])))
            start = None
    return heads


def clean_title(title: str, site_names: list[str | None], heads: Callable[[], list[str]]) -> str:
    """``title`` without the part that names the site (see the module docstring).
    ``heads`` gives the page's headlines; it is called only when they are needed (a
    title in parts none of which names the site)."""
    parts = [p for p in _SEPARATOR.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    names = {_letters(n) for n in site_names if n}
    names |= {_letters(n.removeprefix("www.").split(".")[0]) for n in site_names if n and "." in n}
    names.discard("")
    kept = [p for p in parts if _letters(p) not in names]
    if kept and len(kept) < len(parts):
        # Rejoin what is left with the separators it had (only the site's part goes).
        for edge in (parts[0], parts[-1]):
            if _letters(edge) in names:
                title = _strip_part(title, edge)
        return title.strip() or parts[0]
    wanted = {_letters(h): h for h in heads() if h}
    for part in parts:
        if _letters(part) in wanted:
            return part.strip()
    return title


def _strip_part(title: str, part: str) -> str:
    if title.startswith(part):
        rest = title[len(part) :]
        return _SEPARATOR.sub("", rest, count=1) if _SEPARATOR.match(rest) else rest
    if title.endswith(part):
        head = title[: -len(part)]
        found = list(_SEPARATOR.finditer(head))
        return head[: found[-1].start()] if found and found[-1].end() == len(head) else head
    return title


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum()).removeprefix("the")
