"""Fetching one URL politely and within limits, through the SSRF guard.

Every request goes out through httpx2 on a connection made by
:class:`bot.core.netguard.GuardedBackend`, so the address actually connected to is
checked for the first request and for every redirect. On top of that, :class:`Fetcher`:

* follows at most :data:`MAX_REDIRECTS` redirects itself (httpx2 would read each
  redirect's body whole; here it is never read), to http(s) URLs only;
* times out connecting and reading (``BRIEFBOT_FETCH_TIMEOUT`` each), and gives a whole
  fetch at most three of those, so a server that drips a byte at a time is cut off too;
* refuses a body over ``BRIEFBOT_MAX_FILE_MB``: at once when ``Content-Length`` says so,
  otherwise as soon as that many (decompressed) bytes have arrived. httpx2 inflates gzip
  in bounded pieces, so a small compressed body cannot balloon in memory first;
* checks the content type against what the caller accepts (web pages, feeds);
* sends ``If-None-Match`` / ``If-Modified-Since`` when given validators (ASCII ones: the
  only ones it can send, and the only ones it returns), and reports a 304 as such;
* says where a URL has moved for good (``Fetched.moved_to``: its permanent redirects), so
  a feed is followed by its new address;
* names itself (``briefbot/VERSION``) and waits ``BRIEFBOT_FETCH_HOST_DELAY`` seconds
  between two requests to the same host (:class:`HostPacer`).

Every failure is a :class:`FetchError` with a one-line reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from email.message import Message

import httpcore2
import httpx2

from bot import __version__
from bot.core.netguard import (
    AddressPolicy,
    AddressRefused,
    DeadlinePassed,
    GuardedBackend,
    Resolver,
    deadline,
    system_resolver,
)
from bot.core.text import first_line, shortened
from bot.core.urls import host_of, normalise_url
from bot.errors import IngestError, InputError

MAX_REDIRECTS = 5
USER_AGENT = f"briefbot/{__version__} (Slack briefing bot)"

#: What a web page may be.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
#: What a feed may be served as. Feeds are often served as plain XML or even text/plain;
#: feedparser decides whether the body really is a feed.
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+xml",
        "application/x-rss+xml",
        "text/plain",
        "",  # no Content-Type at all
    }
)
FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Redirects that say the URL has moved for good (a feed's follower should use the new one).
_PERMANENT = frozenset({301, 308})
_CHUNK = 64 * 1024


class FetchError(IngestError):
    """A URL could not be fetched, or what came back is not usable. One line."""


@dataclass(frozen=True)
class Fetched:
    """What a successful fetch returned: a 200 with its body, or a 304 without one."""

    url: str
    final_url: str
    status: int
    content_type: str  # the media type, lower-case, without parameters ("" if none)
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()
    #: Where the URL asked for has moved for good: the end of the permanent redirects
    #: (301, 308) it was answered with before any temporary one; None if it was not.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def media_type(header: str | None) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from a Content-Type header."""
    if not header:
        return "", None
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower() if "/" in header else "", (
        str(charset) if isinstance(charset, str) else None
    )


class HostPacer:
    """Waits so that two requests to one host start at least ``delay`` seconds apart.

    Thread-safe: each caller reserves its slot under a lock and sleeps outside it.
    ``clock`` and ``sleep`` are injectable so tests can see the waits without waiting.
    """

    def __init__(
        self,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Wait for ``host``'s turn; return how long that was."""
        if self.delay <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        pause = start - now
        if pause > 0:
            self.sleep(pause)
        return pause


@dataclass
class FetchLimits:
    max_bytes: int
    timeout: float = 20.0

    @property
    def deadline(self) -> float:
        return 3 * self.timeout


@dataclass
class Fetcher:
    """Fetches URLs through one guarded, pooled HTTP client. Thread-safe."""

    limits: FetchLimits
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    pacer: HostPacer = field(default_factory=lambda: HostPacer(1.0))
    resolve: Resolver = system_resolver
    clock: Callable[[], float] = time.monotonic
    _client: httpx2.Client | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def client(self) -> httpx2.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx2.Client(
                    transport=_GuardedTransport(GuardedBackend(self.policy, self.resolve)),
                    timeout=httpx2.Timeout(self.limits.timeout),
                    follow_redirects=False,
                    trust_env=False,  # no proxy or .netrc from the environment
                    headers={"User-Agent": USER_AGENT},
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def get(
        self,
        url: str,
        *,
        accept: Collection[str] = PAGE_TYPES,
        accept_header: str = PAGE_ACCEPT,
        what: str = "page",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url``; return the 200 (or 304, when validators were given) or raise
        :class:`FetchError`."""
        try:
            start_url = normalise_url(url)
        except InputError as exc:
            raise FetchError(str(exc)) from None
        headers = {"Accept": accept_header}
        etag, last_modified = _validator(etag), _validator(last_modified)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = self.clock()
        try:
            request = self.client.build_request("GET", start_url, headers=headers)
        except httpx2.InvalidURL as exc:  # what urlsplit lets by: a host of 999.1.1.1
            shown = shortened(start_url, 80)
            raise FetchError(f"not a valid URL: {shown!r} ({first_line(exc)})") from None
        redirects: list[str] = []
        moved: list[str] = []  # the permanent redirects that came before any temporary one
        with deadline(self.limits.deadline):  # the whole fetch, redirects and all
            while True:
                self.pacer.wait(host_of(str(request.url)))
                response = self._send(request, redirects)
                try:
                    if response.status_code in _REDIRECTS and response.next_request is not None:
                        request = self._redirect(response, redirects)
                        if response.status_code in _PERMANENT and len(moved) == len(redirects) - 1:
                            moved.append(str(request.url))
                        continue
                    fetched = self._finish(
                        start_url,
                        response,
                        redirects,
                        accept,
                        what,
                        started,
                        conditional=bool(etag or last_modified),
                    )
                    return replace(fetched, moved_to=moved[-1]) if moved else fetched
                finally:
                    response.close()

    # -------------------------------------------------------------------- the steps

    def _send(self, request: httpx2.Request, redirects: list[str]) -> httpx2.Response:
        where = f" (after a redirect to {request.url})" if redirects else ""
        host = request.url.host
        try:
            return self.client.send(request, stream=True)
        except AddressRefused as exc:
            raise FetchError(f"{exc}{where}") from None
        except DeadlinePassed:
            raise FetchError(
                f"{host} took more than {self.limits.deadline:g} s to answer{where}"
            ) from None
        except httpx2.ConnectTimeout:
            raise FetchError(f"timed out connecting to {host}{where}") from None
        except httpx2.TimeoutException:
            raise FetchError(f"timed out waiting for {host}{where}") from None
        except httpx2.ConnectError as exc:
            raise FetchError(f"cannot connect to {host}{where}: {first_line(exc)}") from None
        except httpx2.HTTPError as exc:
            raise FetchError(f"the request to {host} failed{where}: {first_line(exc)}") from None

    def _redirect(self, response: httpx2.Response, redirects: list[str]) -> httpx2.Request:
        assert response.next_request is not None
        target = response.next_request
        if len(redirects) >= MAX_REDIRECTS:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects")
        if target.url.scheme not in ("http", "https"):
            raise FetchError(f"redirected to a URL that is not http(s): {str(target.url)[:80]}")
        redirects.append(str(target.url))
        return target

    def _finish(
        self,
        url: str,
        response: httpx2.Response,
        redirects: list[str],
        accept: Collection[str],
        what: str,
        started: float,
        conditional: bool,
    ) -> Fetched:
        status = response.status_code
        final = str(response.url)
        etag = _validator(response.headers.get("ETag"))
        last_modified = _validator(response.headers.get("Last-Modified"))
        if status == 304 and conditional:
            return Fetched(url, final, 304, "", None, b"", etag, last_modified, tuple(redirects))
        if status not in (200, 203):
            reason = response.reason_phrase or ""
            raise FetchError(f"HTTP {status} {reason}".rstrip() + _from(final, url))
        ctype, charset = media_type(response.headers.get("Content-Type"))
        if ctype not in accept:
            shown = ctype or "none given"
            raise FetchError(f"not a {_kind(what)} (content type {shown}){_from(final, url)}")
        body = self._read(response, what, started)
        return Fetched(
            url, final, status, ctype, charset, body, etag, last_modified, tuple(redirects)
        )

    def _read(self, response: httpx2.Response, what: str, started: float) -> bytes:
        limit = self.limits.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"the {what} is {_mb(int(declared))}, more than {_limit(limit)}")
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"the {what} is larger than {_limit(limit)}")
                parts.append(chunk)
                if self.clock() - started > self.limits.deadline:
                    raise FetchError(
                        f"the {what} took more than {self.limits.deadline:g} s to arrive"
                    )
        except DeadlinePassed:
            raise FetchError(
                f"the {what} took more than {self.limits.deadline:g} s to arrive"
            ) from None
        except httpx2.TimeoutException:
            raise FetchError(f"timed out reading the {what}") from None
        except httpx2.DecodingError:
            raise FetchError(f"the {what}'s compressed body is corrupt") from None
        except httpx2.HTTPError as exc:
            raise FetchError(f"the {what} was cut off: {first_line(exc)}") from None
        return b"".join(parts)


class _GuardedTransport(httpx2.HTTPTransport):
    """httpx2's own transport (its exception mapping, its response streams) on a pool
    whose every connection is made by :class:`GuardedBackend`.

    httpx2 does not yet take a network backend as an argument (encode/httpx#3749 proposes
    it), so the pool it builds is replaced by one built with the public httpcore2
    ``ConnectionPool(network_backend=...)``. The SSRF tests fail if this stops working.
    """

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(trust_env=False)
        assert isinstance(self._pool, httpcore2.ConnectionPool)
        self._pool.close()
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=30.0,
            network_backend=backend,
        )


def _validator(value: str | None) -> str | None:
    """An ``ETag`` or ``Last-Modified`` value that can be sent back, or None. The HTTP
    client sends header values as ASCII: a validator with a byte past it (an ETag made
    from a Latin-1 file name) raised UnicodeEncodeError before the request went out, on
    every poll of the feed after the one that stored it. Without it the feed is fetched
    whole, as from a server that gives no validators."""
    return value if value is None or value.isascii() else None


def _kind(what: str) -> str:
    return "web page (HTML, XHTML or plain text)" if what == "page" else f"{what}"


def _from(final: str, url: str) -> str:
    return f" from {final}" if final != url else ""


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _limit(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB, the limit (BRIEFBOT_MAX_FILE_MB)"
