"""A loopback stand-in for the web: pages, feeds, redirects and servers that misbehave.

Tests register what each path answers, then point briefbot's real fetcher (httpx2 through
the SSRF guard) at :meth:`WebStandIn.url`. Every request is recorded with its headers, so a
test can check what was asked for (the user agent, conditional GET headers) and what was
not asked for at all.

What a path can do:

* :meth:`page` answers a body with a status, a content type and headers; with ``etag`` or
  ``last_modified`` it answers a matching conditional GET with ``304 Not Modified``; with
  ``gzip=True`` the body is sent gzip-encoded; ``chunked=True`` sends it without a
  Content-Length; ``close=True`` closes the connection after answering;
* :meth:`redirect` answers a redirect to another URL;
* :meth:`endless` streams bytes for as long as the client reads (a huge page), with or
  without a (truthful) Content-Length;
* :meth:`hang` waits before answering (a stalled server).

Unknown paths answer 404.
"""

from __future__ import annotations

import gzip as gzip_module
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import StandInHandler, StandInServer

__all__ = ["WebRequest", "WebStandIn"]


@dataclass(frozen=True)
class WebRequest:
    path: str
    headers: dict[str, str]
    time: float


@dataclass
class _Route:
    kind: str  # "page" | "redirect" | "endless" | "hang" | "drip"
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    chunked: bool = False
    close: bool = False
    location: str = ""
    size: int = 0
    declare_length: bool = False
    seconds: float = 0.0
    pieces: int = 0
    headers_too: bool = False


class WebStandIn(StandInServer):
    """Plays any number of web sites on one loopback address and port."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__(host)
        self._routes: dict[str, _Route] = {}
        self._requests: list[WebRequest] = []
        self._lock = threading.Lock()

    # -- configuration ----------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.root}{path}"

    def page(
        self,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        gzip: bool = False,
        chunked: bool = False,
        close: bool = False,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._set(
            path,
            _Route(
                "page",
                body=data,
                status=status,
                content_type=content_type,
                headers=dict(headers or {}),
                etag=etag,
                last_modified=last_modified,
                gzip=gzip,
                chunked=chunked,
                close=close,
            ),
        )
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302, close: bool = False) -> str:
        self._set(path, _Route("redirect", status=status, location=location, close=close))
        return self.url(path)

    def endless(
        self, path: str, size: int, content_type: str = "text/html", declare_length: bool = False
    ) -> str:
        self._set(
            path,
            _Route("endless", size=size, content_type=content_type, declare_length=declare_length),
        )
        return self.url(path)

    def hang(self, path: str, seconds: float) -> str:
        self._set(path, _Route("hang", seconds=seconds))
        return self.url(path)

    def drip(self, path: str, pieces: int, every: float, *, headers: bool = False) -> str:
        """A page that arrives one piece at a time, ``every`` seconds apart: ``pieces``
        bytes of its body, or (``headers``) ``pieces`` header lines before it. No single
        read waits long; only a deadline on the whole fetch ends it."""
        self._set(path, _Route("drip", seconds=every, pieces=pieces, headers_too=headers))
        return self.url(path)

    def _set(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

    def reset(self) -> None:
        self.cancel_pauses()
        with self._lock:
            self._routes.clear()
            self._requests.clear()

    # -- what was asked -----------------------------------------------------------------------

    def requests(self, path: str | None = None) -> list[WebRequest]:
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    # -- serving ------------------------------------------------------------------------------

    def _handle(self, handler: StandInHandler) -> None:
        path = urlsplit(handler.path).path
        headers = handler.header_dict()
        handler.read_body()
        with self._lock:
            self._requests.append(WebRequest(path, headers, time.time()))
            route = self._routes.get(path)
        if route is None:
            handler.send_bytes(404, b"<h1>Not found</h1>", "text/html; charset=utf-8")
            return
        if route.kind == "redirect":
            extra = {"Location": route.location}
            if route.close:
                extra["Connection"] = "close"
                handler.close_connection = True
            handler.send_bytes(route.status, b"", "text/html", extra)
            return
        if route.kind == "hang":
            if not self.pause(route.seconds):
                handler.abort()
                return
            handler.send_bytes(200, b"<p>late</p>", "text/html")
            return
        if route.kind == "endless":
            self._endless(handler, route)
            return
        if route.kind == "drip":
            self._drip(handler, route)
            return
        self._page(handler, route, headers)

    def _drip(self, handler: StandInHandler, route: _Route) -> None:
        handler.close_connection = True
        body = b"<p>" + b"x" * route.pieces + b"</p>"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        try:
            if route.headers_too:
                handler.flush_headers()  # what is buffered so far goes out now
                for i in range(route.pieces):
                    if not self.pause(route.seconds):
                        return
                    handler.wfile.write(f"X-Drip-{i}: x\r\n".encode())
                    handler.wfile.flush()
                handler.wfile.write(b"\r\n" + body)
                handler.wfile.flush()
                return
            handler.end_headers()
            handler.wfile.write(body[:3])
            for i in range(route.pieces):
                handler.wfile.flush()
                if not self.pause(route.seconds):
                    return
                handler.wfile.write(body[3 + i : 4 + i])
            handler.wfile.write(body[-4:])
            handler.wfile.flush()
        except OSError:  # the client gave up, as it should
            return

    def _page(self, handler: StandInHandler, route: _Route, headers: dict[str, str]) -> None:
        validators: dict[str, str] = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if route.close:
            validators["Connection"] = "close"
            handler.close_connection = True
        etag_match = route.etag is not None and headers.get("if-none-match") == route.etag
        date_match = (
            route.last_modified is not None
            and "if-none-match" not in headers
            and headers.get("if-modified-since") == route.last_modified
        )
        if route.status == 200 and (etag_match or date_match):
            handler.send_response(304)
            for name, value in validators.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            handler.wfile.flush()
            return
        body = route.body
        extra = {**validators, **route.headers}
        if route.gzip:
            body = gzip_module.compress(body)
            extra["Content-Encoding"] = "gzip"
        if route.chunked:
            handler.send_response(route.status)
            if route.content_type is not None:
                handler.send_header("Content-Type", route.content_type)
            handler.send_header("Transfer-Encoding", "chunked")
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.end_headers()
            for start in range(0, len(body), 16_384):
                handler.write_chunk(body[start : start + 16_384])
            handler.end_chunked()
            return
        handler.send_response(route.status)
        if route.content_type is not None:
            handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()

    def _endless(self, handler: StandInHandler, route: _Route) -> None:
        """Stream ``route.size`` bytes of an HTML page; stop quietly when the client hangs
        up (which is what a size cap does)."""
        handler.close_connection = True
        head = b"<html><body><article><p>"
        filler = b"All work and no play makes a very long page. " * 400
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type or "text/html")
        extra: dict[str, Any] = {}
        if route.declare_length:
            extra["Content-Length"] = str(route.size)
        else:
            extra["Transfer-Encoding"] = "chunked"
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        sent = 0
        try:
            chunk = head
            while sent < route.size:
                piece = chunk[: route.size - sent]
                if route.declare_length:
                    handler.wfile.write(piece)
                else:
                    handler.write_chunk(piece)
                sent += len(piece)
                chunk = filler
            if not route.declare_length:
                handler.end_chunked()
            handler.wfile.flush()
        except OSError:
            return
