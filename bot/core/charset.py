"""Bytes from the web as text: the charset a page declares, checked against what it is.

Servers and pages often declare the wrong charset (``ISO-8859-1`` on a UTF-8 page is the
classic). The order, for a body of bytes:

1. a byte-order mark decides (UTF-8, UTF-16);
2. a declared UTF-16 or UTF-32 (HTTP header, then ``<meta>``) is used as declared;
3. a body that is valid UTF-8 is UTF-8, whatever is declared: text in an 8-bit or a CJK
   legacy encoding with any non-ASCII byte is practically never valid UTF-8, while a UTF-8
   page mislabelled as Latin-1 would otherwise turn every "é" into "Ã©";
4. otherwise the charset from the HTTP header, then the one from ``<meta>``, each used
   only if the body decodes in it without error;
5. otherwise windows-1252 (what browsers use for ``ISO-8859-1`` and for unlabelled
   Western pages), with the few undefined bytes replaced.

Labels are read the way the WHATWG Encoding standard reads them where Python differs:
``iso-8859-1``, ``latin1`` and ``us-ascii`` mean windows-1252.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_WHATWG = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
}


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None for a label Python does not know."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WHATWG.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(body: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares in its first 4 KB."""
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii") if found else None


def in_declared_charset(body: bytes) -> str | None:
    """``body`` decoded in the charset its ``<meta>`` declares; None when it declares none
    that Python knows, or its bytes are not valid in it (a saved page that is not UTF-8 is
    read this way, strictly: nothing is guessed)."""
    codec = codec_for(meta_charset(body))
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(body: bytes, declared: str | None, html: bool = True) -> str:
    """``body`` as text (see the module docstring); ``declared`` is the HTTP header's
    charset, and ``html`` says whether to look for a ``<meta>`` charset too."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    labels = [codec_for(declared), codec_for(meta_charset(body)) if html else None]
    candidates = [c for c in labels if c is not None]
    for codec in candidates:
        if codec.startswith(("utf-16", "utf-32")):
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for codec in candidates:
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("cp1252", errors="replace")
