"""Ingest time per web page and per feed entry, beside a plain fetch + trafilatura.

    python -m bench.web_ingest [--pages 150] [--entries 100] [--backends sqlite,postgresql]

A local HTTP server (in this process, on loopback) serves generated news pages with the
usual furniture around the article (navigation, cookie banner, ads, "most read", footer)
and an RSS feed whose entries link to more of them. Measured, in the same run:

* **briefbot, page**: ``Briefing.ingest([url, ...])``: fetch through the SSRF guard,
  extract (trafilatura, title clean-up), chunk, count tokens, store and index, one
  transaction per article;
* **briefbot, feed entry**: one ``FeedPoller.poll()`` of the feed divided by its entries:
  the feed's fetch and parse, and for each entry the dedupe checks, its page's fetch and
  extraction and its storage;
* **peer, fetch + extract**: httpx2 GET and ``trafilatura.bare_extraction`` with the same
  options, nothing stored (the same fetch-and-extract any pipeline must do);
* **peer, trafilatura alone**: ``bare_extraction`` on pages already in memory;
* **peer, feed entry**: ``feedparser.parse`` of the feed, then fetch + extract of each
  entry's page, nothing stored.

Pages are distinct (synthetic text from ``bench.corpus``), the host delay is 0 (no
politeness wait), private addresses are allowed (the server is on loopback). The
tokenizer is loaded and every library imported before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import httpx2
import trafilatura

from bench.corpus import ArticleGenerator
from bench.databases import fresh_database
from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.feeds import FeedPoller

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Bench Ledger</title>
<meta property="og:title" content="{title} | The Bench Ledger">
<meta property="og:site_name" content="The Bench Ledger">
<meta name="author" content="Bench Writer">
<meta property="article:published_time" content="2019-06-{day:02d}T08:00:00Z">
<script>window.t = 1;</script></head><body>
<div class="cookie-consent">We use cookies. Accept all cookies or manage preferences.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<div class="ad">ADVERTISEMENT: a phone you do not need</div>
<main><article><h1>{title}</h1>{paragraphs}</article>
<section class="most-read"><h2>Most read</h2><ol><li><a href="/x">Ten recipes</a></li>
<li><a href="/y">Cup final</a></li></ol></section></main>
<footer><p>© 2019 The Bench Ledger. All rights reserved.</p></footer></body></html>"""


def make_pages(count: int, seed: int) -> dict[str, tuple[str, bytes]]:
    """``{path: (title, html)}`` for ``count`` distinct pages."""
    generator = ArticleGenerator(seed=seed)
    pages = {}
    for n in range(1, count + 1):
        article = generator.article(n)
        paragraphs = "".join(f"<p>{p}</p>" for p in article.text.split("\n\n"))
        html = PAGE.format(title=article.title, day=1 + n % 28, paragraphs=paragraphs)
        pages[f"/story/{seed}/{n}"] = (article.title, html.encode("utf-8"))
    return pages


def make_feed(root: str, pages: dict[str, tuple[str, bytes]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{root}{path}</link><guid>{path}</guid>"
        f"<description>Summary of {title}.</description></item>"
        for path, (title, _html) in pages.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench Feed</title><link>{root}/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode()


@contextmanager
def serve(routes: dict[str, tuple[str, bytes]]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # or every response waits for a delayed ACK

        def do_GET(self) -> None:
            found = routes.get(self.path.split("?")[0])
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            ctype, body = found
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def extract(html: bytes | str, url: str) -> Any:
    return trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )


def _routes(
    page_set: dict[str, tuple[str, bytes]], entry_set: dict[str, tuple[str, bytes]]
) -> dict[str, tuple[str, bytes]]:
    html = "text/html; charset=utf-8"
    return {p: (html, h) for p, (_t, h) in [*page_set.items(), *entry_set.items()]}


def ours_once(
    backend: str, pages: int, entries: int, pg_url: str | None, seed: int
) -> tuple[float, float]:
    """Seconds per page and per feed entry for briefbot, on a fresh database."""
    page_set = make_pages(pages, seed=seed)
    entry_set = make_pages(entries, seed=seed + 5000)
    routes = _routes(page_set, entry_set)
    with serve(routes) as root, tempfile.TemporaryDirectory() as tmp:
        routes["/feed.xml"] = ("application/rss+xml", make_feed(root, entry_set))
        with fresh_database(backend, Path(tmp), pg_url) as url:
            settings = Settings.isolated(
                database_url=url,
                data_dir=Path(tmp) / "data",
                corpus_dir=Path(tmp),  # empty: no seed corpus
                allow_private_urls=True,
                fetch_host_delay=0,
            )
            with Briefing.open(settings) as briefing:
                briefing.counter.encode("warm up")
                urls = [root + p for p in page_set]
                started = time.perf_counter()
                summary = briefing.ingest(urls)
                per_page = (time.perf_counter() - started) / pages
                assert summary.added == pages, summary.failed
                poller = FeedPoller(
                    briefing.db,
                    lambda: briefing.store,
                    lambda: briefing.web.fetcher,
                    timedelta(hours=1),
                )
                poller.add(root + "/feed.xml")
                started = time.perf_counter()
                report = poller.poll()
                per_entry = (time.perf_counter() - started) / entries
                assert report.feeds[0].added == entries, report.as_dict()
    return per_page, per_entry


def run_backend(
    backend: str, pages: int, entries: int, pg_url: str | None, repeat: int
) -> dict[str, float]:
    runs = [ours_once(backend, pages, entries, pg_url, 1000 + n) for n in range(repeat)]
    return {
        "page": statistics.median(r[0] for r in runs),
        "entry": statistics.median(r[1] for r in runs),
    }


def peers_once(pages: int, entries: int, seed: int) -> tuple[float, float, float]:
    """Seconds per page (fetch + extract), per page (extract only) and per feed entry."""
    page_set = make_pages(pages, seed=seed)
    entry_set = make_pages(entries, seed=seed + 5000)
    routes = _routes(page_set, entry_set)
    with serve(routes) as root, httpx2.Client(timeout=20) as client:
        routes["/feed.xml"] = ("application/rss+xml", make_feed(root, entry_set))
        started = time.perf_counter()
        for path in page_set:
            response = client.get(root + path)
            assert extract(response.content, str(response.url)) is not None
        fetch_extract = (time.perf_counter() - started) / pages
        htmls = [(root + p, h.decode()) for p, (_t, h) in page_set.items()]
        started = time.perf_counter()
        for url, html in htmls:
            extract(html, url)
        extract_only = (time.perf_counter() - started) / pages
        started = time.perf_counter()
        parsed = feedparser.parse(client.get(root + "/feed.xml").content)
        for entry in parsed.entries:
            response = client.get(entry.link)
            assert extract(response.content, str(response.url)) is not None
        per_entry = (time.perf_counter() - started) / entries
    return fetch_extract, extract_only, per_entry


def run_peers(pages: int, entries: int, repeat: int) -> dict[str, float]:
    runs = [peers_once(pages, entries, 1000 + n) for n in range(repeat)]
    return {
        "fetch_extract": statistics.median(r[0] for r in runs),
        "extract": statistics.median(r[1] for r in runs),
        "entry": statistics.median(r[2] for r in runs),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web_ingest", description=__doc__)
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--backends", default=None, help="sqlite,postgresql")
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args(argv)
    pg_url = (
        args.pg_url
        or os.environ.get("BRIEFBOT_BENCH_DATABASE_URL")
        or os.environ.get("BRIEFBOT_TEST_DATABASE_URL")
    )
    backends = (args.backends or ("sqlite,postgresql" if pg_url else "sqlite")).split(",")
    extract(make_pages(1, 1)[next(iter(make_pages(1, 1)))][1], "http://x.example/")  # warm
    peer = run_peers(args.pages, args.entries, args.repeat)
    ours = {b: run_backend(b, args.pages, args.entries, pg_url, args.repeat) for b in backends}
    ms = "{:.1f}".format
    print(
        f"Per page: {args.pages} pages; per feed entry: one feed of {args.entries} entries; "
        f"median of {args.repeat} runs. Python {sys.version.split()[0]}, "
        f"trafilatura {trafilatura.__version__}, feedparser {feedparser.__version__}, "
        f"httpx2 {httpx2.__version__}.\n"
    )
    print(
        "| ms per | "
        + " | ".join(f"briefbot · {b}" for b in backends)
        + " | peer: fetch + trafilatura | peer: trafilatura alone |"
    )
    print("|---|" + "---|" * (len(backends) + 2))
    print(
        "| page | "
        + " | ".join(ms(ours[b]["page"] * 1000) for b in backends)
        + f" | {ms(peer['fetch_extract'] * 1000)} | {ms(peer['extract'] * 1000)} |"
    )
    print(
        "| feed entry | "
        + " | ".join(ms(ours[b]["entry"] * 1000) for b in backends)
        + f" | {ms(peer['entry'] * 1000)} (feedparser + fetch + trafilatura) | — |"
    )


if __name__ == "__main__":
    main()
