"""Bytes from the web as text: the charset a page declares, checked against what it is.

Reading a declaration is w3lib's job (Scrapy's maintained implementation of the WHATWG
rules): the byte-order mark, the HTTP header's ``charset``, the ``<meta charset>``,
``<meta http-equiv="Content-Type">`` or ``<?xml encoding?>`` of the page (comments
skipped, the first 4 KB), and labels read the way browsers read them (``iso-8859-1``,
``latin1`` and ``us-ascii`` mean windows-1252; UTF-7 is no charset at all, because it
smuggles markup). This module adds one policy on top, because servers and pages often
declare the wrong charset (``ISO-8859-1`` on a UTF-8 page is the classic):

1. a byte-order mark decides;
2. a declared UTF-16 or UTF-32 (HTTP header, then the page) is used as declared;
3. a body that is valid UTF-8 is UTF-8, whatever is declared: text in an 8-bit or a CJK
   legacy encoding with any non-ASCII byte is practically never valid UTF-8, while a UTF-8
   page mislabelled as Latin-1 would otherwise turn every "é" into "Ã©";
4. otherwise the charset from the HTTP header, then the one the page declares, each used
   only if the body decodes in it without error;
5. otherwise windows-1252 (what browsers use for unlabelled Western pages), with the few
   undefined bytes replaced.

Why not trafilatura's own decoding: it ignores every declaration and guesses with
charset_normalizer, which misreads short pages ("café – ok" in windows-1252 came back as
"cafщ Ц ok" with trafilatura 2.3). Pages reach trafilatura as text decoded here.
"""

from __future__ import annotations

from w3lib.encoding import (
    html_body_declared_encoding,
    read_bom,
    resolve_encoding,
)


def _strictly(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def in_declared_charset(body: bytes) -> str | None:
    """``body`` decoded in the charset the page itself declares; None when it declares
    none that Python knows, or its bytes are not valid in it (a saved page that is not
    UTF-8 is read this way, strictly: nothing is guessed)."""
    return _strictly(body, html_body_declared_encoding(body))


def decode(body: bytes, declared: str | None, html: bool = True) -> str:
    """``body`` as text (see the module docstring); ``declared`` is the HTTP header's
    charset label, and ``html`` says whether to read the page's own declaration too."""
    bom_codec, bom = read_bom(body)
    if bom_codec is not None and bom is not None:
        return body[len(bom) :].decode(bom_codec, errors="replace")
    header = resolve_encoding(declared) if declared else None
    candidates = [c for c in (header, html_body_declared_encoding(body) if html else None) if c]
    for codec in candidates:
        if codec.startswith(("utf-16", "utf-32")) and (text := _strictly(body, codec)):
            return text
    for codec in ("utf-8", *candidates):
        if (text := _strictly(body, codec)) is not None:
            return text
    return body.decode("cp1252", errors="replace")


def feed_charset(body: bytes, declared: str | None) -> str | None:
    """The charset the HTTP header's label ``declared`` names (read as browsers read
    it: UTF-7 is none), when a feed's bytes need it: they are not valid UTF-8 and the
    feed declares no encoding of its own (no byte-order mark, no ``<?xml encoding?>``);
    otherwise None.

    feedparser decodes the feed itself and lets a charset it is given win over the
    feed's own declaration, so it is given one only when nothing else says what the
    bytes are: without it a feed labelled only in its header (``charset=windows-1251``)
    was read as windows-1252 ("Íîâîñòè"), while a UTF-8 feed mislabelled ``ISO-8859-1``
    stays UTF-8, as a page does (rule 3)."""
    if not declared or read_bom(body)[0] is not None or html_body_declared_encoding(body):
        return None
    return None if _strictly(body, "utf-8") is not None else resolve_encoding(declared)
