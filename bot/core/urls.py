"""Web addresses as briefbot stores them: one spelling per page.

A page's url is its identity (a second fetch of it is the same article, a feed entry whose
link is stored is not fetched again), so two spellings of one address must compare equal.
:func:`normalise_url` is the one place that decides what counts as the same address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit, urlunsplit

from bot.core.text import shortened
from bot.errors import InputError

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: C0 controls and DEL: no address holds them unescaped (RFC 3986), httpx2 refuses them,
#: and PostgreSQL cannot store NUL.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
#: Lone surrogates: what Python makes of bytes that are not UTF-8 in a command-line
#: argument. No address holds them, and neither the HTTP client nor the database can
#: encode them.
_NOT_TEXT = re.compile("[\ud800-\udfff]")


def looks_like_url(text: str) -> bool:
    """Whether a command-line argument is meant as a URL (``scheme://...``) rather than a
    file path."""
    return bool(_SCHEME.match(text.strip()))


def normalise_url(url: str) -> str:
    """``url`` in the one spelling briefbot stores, or :class:`InputError` with the reason.

    Only http and https. The scheme and host are lower-cased, a default port (``:80``,
    ``:443``), the fragment and a trailing slash are dropped (``/a/`` and ``/a`` are one
    page), and an empty path becomes ``/``; otherwise the path and query are kept as they
    are (servers may tell case and order apart). A URL with a user name or password is
    refused: it would be stored, and shown in Slack, with the secret. So is one holding
    a space or a control character (a feed's link may hold a DEL, or a NUL written
    ``&#0;``): it is refused here, where every url is checked, rather than by the HTTP
    client or the database, which would fail the whole feed with it.
    """
    text = url.strip()
    if not text or any(ch.isspace() for ch in text):
        raise InputError(f"not a URL: {shortened(text, 80)!r}")
    if _CONTROL.search(text):
        raise InputError(f"the URL holds a control character: {shortened(text, 80)!r}")
    if _NOT_TEXT.search(text):
        raise InputError(f"the URL is not valid text (bytes not UTF-8): {shortened(text, 80)!r}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:  # a bad port, an unclosed [IPv6 host
        raise InputError(f"not a valid URL: {shortened(text, 80)!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InputError(f"only http and https URLs can be fetched, not {shortened(text, 80)!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise InputError(f"the URL has no host: {shortened(text, 80)!r}")
    if parts.username is not None or parts.password is not None:
        raise InputError("URLs with a user name or password are not accepted")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/") or "/", parts.query, ""))


def without_credentials(url: str) -> str:
    """``url`` without a user name or password in it: a server may redirect to
    ``http://user:pass@host/...``, and what is stored or shown must not keep a
    credential (:func:`normalise_url` refuses such a URL where a user gives one)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    """The lower-case host of ``url`` ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def with_text_fragment(url: str, quote_text: str) -> str:
    """``url`` (already checked and encoded) pointing at ``quote_text`` in its page
    (``#:~:text=start,end``), where browsers support text fragments."""
    words = quote_text.split()

    def enc(part: Sequence[str]) -> str:
        return quote(" ".join(part), safe="").replace("-", "%2D").replace(",", "%2C")

    fragment = enc(words) if len(words) <= 8 else f"{enc(words[:4])},{enc(words[-4:])}"
    # A page's own fragment ("#/story/12" on a site that routes on it) is kept: the
    # directive follows it (#/story/12:~:text=...), as the Text Fragments spec allows.
    page, _, own = url.partition("#")
    return f"{page}#{own.split(':~:', 1)[0]}:~:text={fragment}"
