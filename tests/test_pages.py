"""Web pages as articles: ``briefbot ingest URL...`` over real HTTP, on both databases.

The web stand-in serves a realistic news page (navigation, cookie banner, ads, an aside,
"most read", a footer, a script) and pages that fail in every way the issue names. Private
addresses are allowed here (the stand-in is on loopback), except in the test that checks
that they are refused by default.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.core.briefing import Briefing
from conftest import FIXTURES, make_settings, run_briefbot, settings_env
from standins import WebStandIn
from storage.models import Article

NEWS = (FIXTURES / "web" / "news-article.html").read_text(encoding="utf-8")
TITLE = "Honduras weighs exit from border pact"
FURNITURE = (
    "cookie",
    "Subscribe",
    "ADVERTISEMENT",
    "Advertisement",
    "Zephyr phone",
    "flights to Miami",
    "Most read",
    "barbecue",
    "Coffee farmers face rust",
    "All rights reserved",
    "Privacy policy",
    "INJECTED BY SCRIPT",
    "trackers",
    "display: block",
    "Home",
)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, allow_private_urls=True, fetch_host_delay=0)


def _articles(briefing: Briefing) -> int:
    with briefing.db.session() as s:
        return int(s.scalar(select(func.count(Article.id))) or 0)


def _article(briefing: Briefing, url: str) -> Article:
    with briefing.db.session() as s:
        article = s.scalar(select(Article).where(Article.url == url))
        assert article is not None, f"nothing stored for {url}"
        s.expunge(article)
        return article


def test_urls_and_files_are_ingested_together(cli, web: WebStandIn, tmp_path: Path) -> None:
    page = web.page("/world/honduras-border-pact", NEWS)
    missing = web.url("/world/gone")
    (tmp_path / "note.txt").write_text("A note\n\nA short note about the memorandum.", "utf-8")
    result = cli("ingest", page, str(tmp_path / "note.txt"), missing, "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["added"] == 2
    assert data["failed"] == [{"path": missing, "error": "HTTP 404 Not Found"}]


def test_a_page_keeps_its_article_and_loses_the_page_around_it(
    briefing: Briefing, web: WebStandIn
) -> None:
    url = web.page("/world/honduras-border-pact", NEWS)
    summary = briefing.ingest([url])
    assert (summary.added, summary.failed) == (1, [])
    article = _article(briefing, url)
    assert article.title == TITLE  # not "... | The Harbour Ledger"
    assert article.source == "The Harbour Ledger"
    assert article.author == "Marisol Quintero"
    assert str(article.published) == "2019-06-14"
    assert article.origin == url and article.format == "web"
    assert article.text.startswith("Officials in Tegucigalpa said on Friday")
    assert "declined to comment on the review" in article.text
    for furniture in FURNITURE:
        assert furniture not in article.text, furniture


def test_the_stored_article_keeps_its_url_and_the_final_url(
    briefing: Briefing, web: WebStandIn
) -> None:
    final = web.page("/2019/06/14/honduras-border-pact", NEWS)
    web.redirect("/r2", "/2019/06/14/honduras-border-pact", status=301)
    short = web.redirect("/s/abc", web.url("/r2"))
    briefing.ingest([short])
    article = _article(briefing, short)
    assert article.url == article.origin == short
    assert article.final_url == final
    # Citations link to the url that was ingested.
    answer = briefing.ask("Why is Honduras reviewing the border pact?")
    assert answer.citations and answer.citations[0].url == short


def test_a_redirect_to_an_address_with_a_password_stores_no_password(
    briefing: Briefing, web: WebStandIn
) -> None:
    """A server may redirect to ``http://user:pass@host/...``; the stored final url
    keeps where the redirects led without the credential in it, as briefbot refuses
    such an address when a user gives one. (Before, the password was stored.)"""
    final = web.page("/news/story", NEWS)
    with_password = final.replace("http://", "http://reader:s3cret@", 1)
    short = web.redirect("/s/2", with_password)
    summary = briefing.ingest([short])
    assert (summary.added, summary.failed) == (1, [])
    article = _article(briefing, short)
    assert article.final_url == final
    assert "s3cret" not in (article.final_url or "")


def test_a_page_redirected_to_a_very_long_url_is_stored(
    cli, briefing: Briefing, web: WebStandIn
) -> None:
    """A short link that redirects to the article at an address with over 2,000 bytes of
    tracking parameters is stored under the short link, which is its identity, without
    the final url, which only says where the redirects led and does not fit its column.
    It used to fail with "the final_url is 2,154 bytes long; the limit is 2,000"."""
    web.page("/news/story", NEWS)
    short = web.redirect("/s/1", web.url("/news/story?utm_source=feed&ref=" + "x" * 2100))
    result = cli("ingest", short)
    assert result.code == 0, result
    article = _article(briefing, short)
    assert article.title == TITLE and article.final_url is None


def test_a_page_with_many_unclosed_h1_tags_is_not_quadratic(
    settings: Settings, briefing: Briefing, web: WebStandIn
) -> None:
    """A page that hides 45,000 unclosed "<h1>x " (270 KB) after its article is ingested
    in seconds, and its title still loses the part its <h1> headline does not have. The
    headlines were read with a pattern that looked for </h1> from every <h1> to the end
    of the page: 40,000 of them took 45 s to ingest (a feed entry linking to such a page
    stalled the clock's feed job as long). The subprocess is killed after 60 s, many
    times what the ingest takes on a loaded machine. (A page of more than
    ``MAX_ELEMENTS`` elements, or ``MAX_HEADINGS`` headings, is refused before any
    extractor reads it: see test_hostile.py; so the page ingested has as many headings as
    may be, and the 45,000 are read for their headlines alone.)"""
    from bot.core.parse import MAX_HEADINGS
    from bot.core.webpage import headlines

    def page(floods: int) -> str:
        return (
            "<html><head><title>Headline flood | Ledger Weekly</title></head><body><article>"
            "<h1>Headline flood</h1><p>Honduras said it would review the memorandum on "
            "border security signed in March.</p><p>The review follows a freeze of United "
            f"States aid to the region.</p></article><div hidden>{'<h1>x ' * floods}</div>"
            "</body></html>"
        )

    started = time.monotonic()
    assert headlines(page(45_000)) == ["Headline flood"]
    assert time.monotonic() - started < 10
    url = web.page("/news/h1-flood", page(MAX_HEADINGS - 1))
    result = run_briefbot("ingest", url, env=settings_env(settings), timeout=60)
    assert result.code == 0, result
    assert _article(briefing, url).title == "Headline flood"


def test_headlines_run_from_each_h1_to_the_next_closing_tag() -> None:
    """An <h1> left open runs to the next </h1> (an <h1> inside it is text); one never
    closed is no headline. The page's headlines are read only when a title's parts need
    them, not when one part is the site's name."""
    from bot.core.webpage import clean_title, headlines

    page = '<h1>Open <h1>inner</h1><p>x</p><H1 class="t">Second <b>one</b></h1 ><h1>never'
    assert headlines(page) == ["Open inner", "Second one"]

    def unread() -> list[str]:
        raise AssertionError("headlines read for a title that names the site")

    assert clean_title("Pact talks | The Ledger", ["The Ledger"], unread) == "Pact talks"
    assert clean_title("Pact talks | Week 3", [], lambda: ["Pact talks"]) == "Pact talks"


def test_the_same_page_twice_adds_nothing(briefing: Briefing, web: WebStandIn) -> None:
    url = web.page("/a", NEWS)
    assert briefing.ingest([url]).added == 1
    again = briefing.ingest([url.upper().replace("/A", "/a")])  # HTTP://127.0.0.1:port/a
    assert (again.added, again.unchanged) == (0, 1)


@pytest.mark.parametrize(
    ("path", "setup", "reason"),
    [
        ("/missing", lambda w: None, "HTTP 404 Not Found"),
        ("/error", lambda w: w.page("/error", "<p>oops</p>", status=503), "HTTP 503"),
        (
            "/logo.png",
            lambda w: w.page("/logo.png", b"\x89PNG\r\n\x1a\n\x00", content_type="image/png"),
            "not a web page (HTML, XHTML or plain text) (content type image/png)",
        ),
        (
            "/mislabelled",
            lambda w: w.page("/mislabelled", b"GIF89a\x00\x00\x01\x00", content_type="text/html"),
            "the page is binary data, not text",
        ),
        ("/huge", lambda w: w.endless("/huge", 3_000_000), "larger than 1 MB, the limit"),
        (
            "/empty",
            lambda w: w.page("/empty", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
            "no article text",
        ),
    ],
)
def test_a_page_that_cannot_be_used_fails_alone(
    database_url: str,
    tmp_path: Path,
    web: WebStandIn,
    path: str,
    setup: object,
    reason: str,
) -> None:
    settings = make_settings(
        database_url, tmp_path, allow_private_urls=True, fetch_host_delay=0, max_file_mb=1
    )
    setup(web)  # type: ignore[operator]
    good = web.page("/good", NEWS)
    with Briefing.open(settings) as briefing:
        before = _articles(briefing)
        summary = briefing.ingest([web.url(path), good])
        assert summary.added == 1
        assert len(summary.failed) == 1
        label, error = summary.failed[0]
        assert label == web.url(path)
        assert reason in error and "\n" not in error
        assert _articles(briefing) == before + 1


def test_each_failure_is_one_line_and_a_non_zero_exit(cli, web: WebStandIn) -> None:
    web.page("/logo.png", b"\x89PNG\r\n\x1a\n\x00", content_type="image/png")
    result = cli("ingest", web.url("/nope"), web.url("/logo.png"))
    assert result.code == 1
    failures = [line for line in result.err.splitlines() if line.startswith("failed: ")]
    assert failures == [
        f"failed: {web.url('/nope')}: HTTP 404 Not Found",
        f"failed: {web.url('/logo.png')}: not a web page (HTML, XHTML or plain text) "
        "(content type image/png)",
    ]
    assert "Traceback" not in result.err


def test_private_addresses_are_refused_by_default(
    database_url: str, tmp_path: Path, web: WebStandIn, cli
) -> None:
    web.page("/a", NEWS)
    result = cli("ingest", web.url("/a"), env={"BRIEFBOT_ALLOW_PRIVATE_URLS": "false"})
    assert result.code == 1
    assert "refused: 127.0.0.1 is a loopback address" in result.err
    assert web.requests() == []


def test_only_http_and_https_urls(cli) -> None:
    result = cli("ingest", "ftp://example.org/file.html", "file:///etc/passwd")
    assert result.code == 1
    assert result.err.count("only http and https URLs can be fetched") == 2


def test_a_wrong_charset_declaration_is_survived(briefing: Briefing, web: WebStandIn) -> None:
    body = (
        "<html><head><title>Café diplomacy in Tegucigalpa</title></head><body><article>"
        "<h1>Café diplomacy in Tegucigalpa</h1>"
        "<p>Ministers met over café con leche – and signed the memorandum on border "
        "security after long talks about asylum and aid.</p>"
        "<p>Critics said the agreement ignored why people leave their homes.</p>"
        "</article></body></html>"
    )
    utf8_as_latin1 = web.page(
        "/utf8", body.encode("utf-8"), content_type="text/html; charset=iso-8859-1"
    )
    cp1252_as_utf8 = web.page(
        "/cp1252",
        body.replace("Critics", "Opponents").encode("cp1252"),
        content_type="text/html; charset=utf-8",
    )
    summary = briefing.ingest([utf8_as_latin1, cp1252_as_utf8])
    assert summary.added == 2, summary.failed
    for url in (utf8_as_latin1, cp1252_as_utf8):
        article = _article(briefing, url)
        assert article.title == "Café diplomacy in Tegucigalpa"
        assert "café con leche – and signed" in article.text
        assert "Ã" not in article.text and "\ufffd" not in article.text


def test_gzip_and_plain_text_pages(briefing: Briefing, web: WebStandIn) -> None:
    zipped = web.page("/zipped", NEWS, gzip=True)
    text = web.page(
        "/statement.txt",
        "Statement on the memorandum\n\nThe coalition said the memorandum puts families at "
        "risk and asked Congress to review it.\n",
        content_type="text/plain; charset=utf-8",
    )
    summary = briefing.ingest([zipped, text])
    assert summary.added == 2, summary.failed
    assert _article(briefing, zipped).title == TITLE
    plain = _article(briefing, text)
    assert plain.title == "Statement on the memorandum"
    assert plain.source == "127.0.0.1" and plain.format == "text"
    assert plain.text.startswith("The coalition said")


def test_add_page_says_what_was_stored(briefing: Briefing, web: WebStandIn) -> None:
    url = web.page("/a", NEWS)
    added = briefing.web.add_page(url)
    assert added.as_dict() == {
        "outcome": "added",
        "title": TITLE,
        "source": "The Harbour Ledger",
        "published": "2019-06-14",
        "passages": added.passages,
        "url": url,
        "final_url": None,
    }
    assert added.passages >= 1
    assert briefing.web.add_page(url).outcome == "unchanged"


def test_ctrl_c_stops_an_ingest_at_once_and_fetches_nothing_more(
    settings: Settings, web: WebStandIn
) -> None:
    """Ctrl-C during a fetch that stalls: the run stops without waiting for the fetch to
    time out, and no page after it is requested (it used to fetch on, a batch of eight)."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import settings_env

    urls = [web.hang(f"/stall/{i}", seconds=20) for i in range(6)]
    env = {**settings_env(settings), "BRIEFBOT_ALLOW_PRIVATE_URLS": "true",
           "BRIEFBOT_FETCH_TIMEOUT": "20", "BRIEFBOT_FETCH_HOST_DELAY": "0"}  # fmt: skip
    script = Path(sys.executable).parent / "briefbot"
    # A shell starts a background job (a CI runner's, `make test &`) with SIGINT ignored,
    # and a child inherits that, so Ctrl-C would never reach it; a user's terminal gives it
    # the default, as this does (a handler, unlike "ignored", is not inherited).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [str(script), "ingest", *urls],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        for _ in range(200):  # until the first page is being fetched
            if web.requests("/stall/0"):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)  # well before the stalled fetch's 20 s
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert [r for i in range(1, 6) for r in web.requests(f"/stall/{i}")] == []
