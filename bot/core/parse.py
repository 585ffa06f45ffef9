"""Article files and texts as :class:`ParsedArticle`: the formats briefbot reads.

* ``.txt``: the first non-empty line is the title; the rest is the body.
* ``.md``: optional YAML front matter (``title``, ``url``, ``source``, ``author``,
  ``published``; see :mod:`bot.core.metadata`); without a ``title`` the first
  ``# heading`` (or line) is the title. Markup goes; the text reads as the article reads.
* ``.html`` / ``.htm``: trafilatura extracts the main text and the metadata.

Files are UTF-8. A saved web page that is not is read in the charset it declares
(``<meta charset>`` and the like, read by w3lib), when its bytes are valid in it
(:func:`bot.core.charset.in_declared_charset`); text and Markdown declare nothing. A file
that cannot be read as text fails alone with a one-line reason: a NUL byte anywhere
(binary), UTF-16, a name that is not valid UTF-8.

A :class:`ParsedArticle` always fits the article table: it is checked, or repaired, when
it is made, so storing it cannot fail on its shape.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from bot.core import charset
from bot.core.chunking import strip_boilerplate
from bot.core.datelines import masthead_name, outlet_named
from bot.core.formats import HTML_SUFFIXES, SUPPORTED_SUFFIXES
from bot.core.front_matter import read_front_matter
from bot.core.metadata import (
    clean_text,
    front_matter_text,
    front_matter_url,
    is_storable_url,
    parse_date,
)
from bot.core.text import squash
from bot.core.urls import normalise_url
from bot.errors import IngestError, InputError
from storage.upsert import AUTHOR_CHARS, IDENTITY_BYTES, SOURCE_CHARS, TITLE_CHARS, ArticleRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsedArticle(ArticleRecord):
    """An article read from somewhere, before it is stored: an :class:`ArticleRecord`
    that fits the article table, with its ``content_hash`` computed from its text."""

    def __post_init__(self) -> None:
        """Make the article fit the article table, or raise :class:`IngestError`.

        A title, source or author longer than its column is shortened and ends with "…";
        a ``final_url`` longer than :data:`IDENTITY_BYTES` UTF-8 bytes is dropped (it only
        says where redirects led, and cut short it would be wrong: a short link that
        redirects to an address with 2,000 bytes of tracking parameters is still the
        article at the short link); an origin or url longer than that, a NUL character
        in any field and a field that is not valid Unicode are refused (the text's own
        encoding is checked once, as its hash is computed; a hash given is ignored, so
        ``dataclasses.replace`` with a new text gets the new text's hash). Per article,
        not per chunk: a length check, a scan of the text for NUL, and the fields'
        encoding.

        A url is normalised (:func:`bot.core.urls.normalise_url`) here, once for every
        format: it is the article's identity, so two spellings of one address are one
        article.
        """
        if self.url is not None:
            try:
                url = normalise_url(self.url)
            except InputError as exc:
                raise IngestError(f"the url is not one briefbot stores: {exc.message}") from None
            if self.origin == self.url:
                object.__setattr__(self, "origin", url)
            object.__setattr__(self, "url", url)
        for name, limit in (
            ("title", TITLE_CHARS),
            ("source", SOURCE_CHARS),
            ("author", AUTHOR_CHARS),
        ):
            value = getattr(self, name)
            if value is not None and len(value) > limit:
                object.__setattr__(self, name, value[: limit - 1].rstrip() + "…")
        for name in ("origin", "title", "url", "final_url", "source", "author", "format", "text"):
            value = getattr(self, name)
            if value is None:
                continue
            label = "url" if name == "origin" and value == self.url else name
            if "\x00" in value:
                raise IngestError(f"the {label} contains a NUL character")
            if name == "text":  # encoded (and so checked) with its hash, below
                continue
            try:
                size = len(value.encode("utf-8"))
            except UnicodeEncodeError:
                raise IngestError(f"the {label} is not valid Unicode") from None
            if name == "final_url" and size > IDENTITY_BYTES:
                object.__setattr__(self, name, None)
            elif name in ("origin", "url") and size > IDENTITY_BYTES:
                raise IngestError(
                    f"the {label} is {size:,} bytes long; the limit is {IDENTITY_BYTES:,}"
                )
        try:
            squashed = squash(self.text).encode("utf-8")
        except UnicodeEncodeError:
            raise IngestError("the text is not valid Unicode") from None
        object.__setattr__(self, "content_hash", hashlib.sha256(squashed).hexdigest())

    def metadata(self) -> ArticleRecord:
        """The article without its text (which is stored): what a run keeps of the
        first copy of each text it meets."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(ArticleRecord)}
        return ArticleRecord(**{**fields, "text": ""})


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise IngestError(
            f"file is {size / 1_000_000:.1f} MB; the limit is {max_bytes / 1_000_000:g} MB "
            "(BRIEFBOT_MAX_FILE_MB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise IngestError("file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("file is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:  # anywhere: no text column takes NUL, and text files have none
        raise IngestError("file is binary, not text (it contains a NUL byte)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = (
            charset.in_declared_charset(raw) if path.suffix.lower() in HTML_SUFFIXES else None
        )
        if declared is None:
            raise IngestError(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            ) from exc
        text = declared
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: The most paragraphs an article's text may have (a book has some tens of thousands). Page
#: furniture is looked for in each, and short ones at the end are read character by
#: character: a page of a million one-word lines (in a ``<pre>``, 5 MB) took 12 seconds,
#: a text file of 3.3 million (10 MB) 17, before it was refused as having no text.
MAX_PARAGRAPHS = 100_000
#: A blank line: what ends a paragraph (:func:`bot.core.text.paragraph_spans`).
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def check_paragraphs(text: str, what: str) -> None:
    """Raise :class:`IngestError` (one line, naming ``what``) if ``text`` has more than
    :data:`MAX_PARAGRAPHS` paragraphs: one scan, which stops there."""
    for breaks, _ in enumerate(_BLANK_LINE.finditer(text), start=1):
        if breaks >= MAX_PARAGRAPHS:
            raise IngestError(
                f"the {what} has more than {MAX_PARAGRAPHS:,} paragraphs; not an article"
            )


def _body(text: str, what: str) -> str:
    """The article text of ``text`` without page furniture, or :class:`IngestError`: no
    text, or more than :data:`MAX_PARAGRAPHS` paragraphs (:func:`check_paragraphs`,
    before any paragraph is looked at)."""
    check_paragraphs(text, what)
    body = strip_boilerplate(text)
    if not body.strip():
        raise IngestError(f"{what} has no article text")
    return body


def parse_txt(text: str, origin: str) -> ParsedArticle:
    """Plain text has no metadata. Its source is the outlet its byline or dateline names
    (:func:`~bot.core.datelines.outlet_named`), or else the file it came from, which is
    honest and lets a reader find it."""
    lines = text.strip().split("\n")
    body = _body("\n".join(lines[1:]), "file")
    return ParsedArticle(
        origin=origin,
        title=squash(lines[0]),
        text=body,
        format="txt",
        source=outlet_named(body) or Path(origin).name,
    )


#: An ATX heading; :func:`_heading_text` takes its closing hashes off. (Taking them off
#: in the pattern, ``(.*?)\s*#*\s*$``, tried every split of a run of spaces at every
#: position: a heading with 4,000 spaces in it took over a minute.)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
#: A link or an image, whose words stay. Neither part reads past an opener of its kind (a
#: "[" in the words, a "(" past one pair of parentheses in the address), so a line of
#: unclosed "[" or "](" is read once rather than from each of them to the end of the line.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
#: Strong, emphasis and code: ``**``, ``__``, ``*`` or a backtick around words that stay
#: (one group each; the one that matched is the last). A span never holds its own
#: delimiter (a lone ``*`` may be inside ``**``), so from an opener left unclosed the
#: pattern reads to the next one of its kind, not to the end of the line: a line of
#: 20,000 "*Item" (a list pasted as one line) took a minute when it did.
_MD_EMPHASIS = re.compile(
    r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"
    r"|__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__"
    r"|\*(?=\S)([^*]+?)(?<=\S)\*"
    r"|`(?=\S)([^`]+?)(?<=\S)`"
)
_MD_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


def markdown_to_text(body: str) -> str:
    """Markdown as plain article text: headings become their own paragraphs, links keep
    their words, emphasis, code, blockquote marks and horizontal rules go. Quotes and
    citations are checked against this text, so it must read as the article reads, without
    markup. List items keep their bullets: they read as a list."""
    out: list[str] = []
    for raw in body.split("\n"):
        if _MD_RULE.match(raw):
            out.append("")
            continue
        line = _MD_BLOCKQUOTE.sub("", raw)
        heading = _MD_HEADING.match(line)
        if heading:
            out.extend(["", _heading_text(heading), ""])
            continue
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(_inside, line)
        out.append(line.rstrip())
    return "\n".join(out)


def _heading_text(found: re.Match[str]) -> str:
    """The words of a heading :data:`_MD_HEADING` found, without the spaces and closing
    hashes after them ("## Asylum ##")."""
    return found.group(1).rstrip().rstrip("#").rstrip()


def _inside(found: re.Match[str]) -> str:
    """The words inside the emphasis :data:`_MD_EMPHASIS` found."""
    return found.group(found.lastindex or 0)


def parse_markdown(text: str, origin: str, fallback_title: str) -> ParsedArticle:
    meta, body = read_front_matter(text)
    title = front_matter_text(meta, "title")
    url = front_matter_url(meta.get("url"))
    source = front_matter_text(meta, "source")
    author = front_matter_text(meta, "author")
    published = parse_date(meta.get("published"), "front matter published")
    lines = body.strip().split("\n")
    if not title and lines and _MD_HEADING.match(lines[0]):
        title = squash(lines[0].lstrip("#"))
        body = "\n".join(lines[1:])
    text = _body(markdown_to_text(body), "file")
    return ParsedArticle(
        origin=url or origin,
        title=title or fallback_title,
        text=text,
        format="md",
        url=url,
        source=source or outlet_named(text),
        author=author,
        published=published,
    )


#: The most elements (start tags) a page may have. The extractors' time grows with them,
#: and faster than linearly past a few tens of thousands (200,000 empty paragraphs, 2 MB,
#: took a minute and a half); a news page has a few thousand.
MAX_ELEMENTS = 50_000
#: The most attributes one tag may have: parsing one tag of 50,000 attributes (half a
#: megabyte) took 50 seconds, as each is checked against the ones before it; real tags
#: have a few dozen at most.
MAX_ATTRIBUTES = 256
#: The most headings (``<h1>`` to ``<h6>``) a page may have. trafilatura drops headings
#: left at the end of the text one at a time, counting what is left each time: 50,000
#: headings (half a megabyte) took 15 seconds; an article has a few dozen.
MAX_HEADINGS = 10_000
#: Past this many :data:`_BLOCKS`, the page is extracted without the fallback extractors
#: (trafilatura's ``fast``): jusText, which trafilatura tries when its own extraction
#: looks short, looks from each short paragraph for the nearest long one on either side,
#: so a page of 50,000 one-letter table cells (a quarter of a megabyte) took minutes, and
#: 10,000 between two real paragraphs 8 seconds. At 5,000 it takes 2; a page of more is
#: extracted by trafilatura's own extractor alone, rather than refused, since some real
#: pages (a long live blog) have that many.
MAX_FALLBACK_BLOCKS = 5_000
#: The elements that start a paragraph of jusText (its ``PARAGRAPH_TAGS``, and ``<br>``:
#: two in a row do).
_BLOCKS = frozenset(
    "body blockquote caption center col colgroup dd div dl dt fieldset form legend optgroup "
    "option p pre table td textarea tfoot th thead tr ul li h1 h2 h3 h4 h5 h6 br".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: A start tag: its name, then unquoted text and quoted values up to its ">" (a ">" inside
#: quotes does not end it). It always matches (the ">" is optional), so it never
#: backtracks far.
START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)(?:[^>\"']+|\"[^\"]*\"|'[^']*')*>?")
#: A start tag (:data:`START_TAG`) or the start of a comment.
_TAG_OR_COMMENT = re.compile(rf"<!--|{START_TAG.pattern}")
#: Elements whose content is text to the parser, whatever tags it spells: an inline
#: script's HTML templates are no elements of the page.
_RAW_TEXT = frozenset({"script", "style"})
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def too_many_attributes(tag: str) -> bool:
    """Does the start tag ``tag`` have more than :data:`MAX_ATTRIBUTES` attributes (its
    words once quoted values are taken out, its name aside)? Each attribute takes at least
    two characters, so a short tag is not looked into."""
    return len(tag) > 2 * MAX_ATTRIBUTES and len(_QUOTED.sub("", tag).split()) - 1 > MAX_ATTRIBUTES


def check_markup(html: str) -> int:
    """Refuse, with a one-line reason, a page whose markup would keep the extractors busy
    for minutes: more than :data:`MAX_ELEMENTS` elements, a tag with more than
    :data:`MAX_ATTRIBUTES` attributes, or more than :data:`MAX_HEADINGS` headings. One
    scan, linear in the page's length, that skips comments and the content of scripts
    and styles, as the parser does (a page whose inline script holds 60,000 tags in its
    templates is read in a fraction of a second). Returns how many :data:`_BLOCKS` it
    has (see :data:`MAX_FALLBACK_BLOCKS`)."""
    blocks = headings = elements = 0
    lowered: str | None = None  # for finding a script's end, made once if needed
    position = 0
    while (match := _TAG_OR_COMMENT.search(html, position)) is not None:
        position = match.end()
        name = (match.group(1) or "").lower()
        if not name:  # a comment, to its end; an unclosed one runs to the page's end
            end = html.find("-->", position)
            if end < 0:
                break
            position = end + 3
            continue
        elements += 1
        if elements > MAX_ELEMENTS:
            raise IngestError(
                f"the page has more than {MAX_ELEMENTS:,} HTML elements; not an article page"
            )
        if name in _BLOCKS:
            blocks += 1
            if name in _HEADINGS:
                headings += 1
                if headings > MAX_HEADINGS:
                    raise IngestError(
                        f"the page has more than {MAX_HEADINGS:,} headings; not an article page"
                    )
        if too_many_attributes(match.group(0)):
            raise IngestError(
                f"the page has a tag with more than {MAX_ATTRIBUTES} attributes; "
                "not an article page"
            )
        if name in _RAW_TEXT:
            lowered = html.lower() if lowered is None else lowered
            end = lowered.find(f"</{name}", position)
            if end < 0:
                break
            position = end
    return blocks


def parse_html(
    html: str, origin: str, fallback_title: str, url: str | None = None
) -> ParsedArticle:
    """Main text and metadata of a web page, extracted by trafilatura (after
    :func:`check_markup`; without its fallback extractors past
    :data:`MAX_FALLBACK_BLOCKS`)."""
    import trafilatura

    fast = check_markup(html) > MAX_FALLBACK_BLOCKS
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=fast,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    raw = getattr(doc, "text", None) if doc is not None else None
    if not raw or not raw.strip():
        raise IngestError("no article text found in the HTML")
    title = clean_text(_str_or_none(getattr(doc, "title", None))) or fallback_title
    lines = [squash(line) for line in raw.split("\n")]
    if lines and lines[0] == title:
        lines = lines[1:]
    page_url = url or clean_text(_str_or_none(getattr(doc, "url", None)))
    if page_url is not None and not is_storable_url(page_url):
        log.info("ignoring the page url of %s: not a usable http(s) URL", origin)
        page_url = None
    published = None
    try:
        published = parse_date(getattr(doc, "date", None), "published")
    except IngestError:
        log.info("ignoring unparseable page date in %s", origin)
    return ParsedArticle(
        origin=page_url or origin,
        title=title,
        text=_body("\n\n".join(line for line in lines if line), "page"),
        format="html",
        url=page_url,
        source=clean_text(_str_or_none(getattr(doc, "sitename", None)))
        or home_link_name(html)
        or clean_text(_str_or_none(getattr(doc, "hostname", None))),
        author=clean_text(_str_or_none(getattr(doc, "author", None))),
        published=published,
    )


#: A link's opening tag, its address, and all it holds to its end (its text, and up to
#: eight tags: "<b>The</b> <i>Lenhaven</i> <b>Courier</b>", a logo in a ``<picture>``): a
#: link that holds more is no name, where part of one ("The Lenhaven") would be wrong.
#: Each reads on to the next ``<`` or ``>`` at most, and an address is looked for only
#: within its tag, so a page is read once however many unclosed tags it holds.
_LINK = re.compile(r"<a\b([^<>]*)>", re.I)
_HREF = re.compile(r"""(?<![\w-])href\s*=\s*["']?([^"'\s<>]*)""", re.I)
_LINK_CONTENT = re.compile(r"[^<]*(?:<(?!/a\b)[^<>]*>[^<]*){0,8}(?=</a\b)", re.I)
#: The address of a site's home page as the site gives it: "/", "./" or "index.html".
#: Not a full address ("https://acmebank.example/"): that may be another site's, a
#: sponsor's or a social network's, and a page read here has no address of its own to
#: compare it with (with one, trafilatura names the site from it).
_HOME = re.compile(r"/|\./|/?index\.html?", re.I)
_ALT = re.compile(r"""\balt\s*=\s*["']([^"'<>]*)["']""", re.I)
#: A link in a language's name ("Deutsch", "Bahasa Indonesia"), to the site in it.
_IN_A_LANGUAGE = re.compile(r"(?<![\w-])(?:hreflang|lang)\s*=", re.I)
#: What a logo's alt text or a link's text may add to the site's name: "Lenhaven
#: Courier Logo", "Lenhaven Courier Home".
_LABEL = re.compile(r"\s+(?:logo|home\s*page|home)$", re.I)
#: Links to the home page read for the site's name: a masthead's comes first.
_HOME_LINKS_READ = 5


def home_link_name(html: str) -> str | None:
    """The site's name as its masthead links to its home page: the text (or the logo's
    ``alt`` text) of one of the page's first links to ``/``, when it may be an outlet's name
    (:func:`~bot.core.datelines.masthead_name`: "The Lenhaven Courier", not "Home Page"),
    and not a language's. A page's metadata names its site most often
    (``og:site_name``); a page without it still shows its name at the top, and a
    citation that says where an article comes from, and a question that names the
    outlet ("according to the Courier"), both need it."""
    read = 0
    for link in _LINK.finditer(html):
        href = _HREF.search(link.group(1))
        if href is None or not _HOME.fullmatch(href.group(1)):
            continue
        if _IN_A_LANGUAGE.search(link.group(1)):
            continue  # "Deutsch": the site in another language
        read += 1
        if read > _HOME_LINKS_READ:
            break
        content = _LINK_CONTENT.match(html, link.end())
        if content is None:
            continue
        inner = content.group()
        text = squash(unescape(re.sub(r"<[^<>]*>", " ", inner)))
        alt = _ALT.search(inner)
        for candidate in (text, squash(unescape(alt.group(1))) if alt else ""):
            candidate = _LABEL.sub("", candidate)
            if (name := masthead_name(candidate)) is not None:
                return name
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse_file(path: Path, max_bytes: int) -> ParsedArticle:
    """Read and parse one file, or raise :class:`IngestError` with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use .txt, .md or .html")
    text = _read_text(path, max_bytes)
    origin = str(path.resolve())
    try:
        origin.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the name, kept as surrogates
        raise IngestError("the file name (or its folder's) is not valid UTF-8; rename it") from None
    fallback = path.stem.replace("-", " ").replace("_", " ").strip() or path.name
    if suffix == ".txt":
        return parse_txt(text, origin)
    if suffix in (".md", ".markdown"):
        return parse_markdown(text, origin, fallback)
    return parse_html(text, origin, fallback)
