"""Feeds over real HTTP, on both databases: add, list, remove, poll, and the clock's job.

The web stand-in serves RSS and Atom feeds with ETag and Last-Modified (answering 304s),
the entries' pages, 404s and broken entries. Time is a :class:`conftest.WallClock` that the
test moves; the poller never reads the real time, and nothing here sleeps.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.core import feeds as feeds_module
from bot.core.briefing import Briefing
from bot.core.feed_schedule import backoff, next_slot, phase
from bot.core.feedparse import parse_feed
from bot.core.feeds import MAX_ATTEMPTS, FeedPoller
from bot.core.period import Period
from bot.errors import InputError
from conftest import WallClock, make_settings
from standins import WebStandIn
from storage import feeds as repo
from storage.models import Article, Feed, FeedEntry

INTERVAL = timedelta(hours=1)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, allow_private_urls=True, fetch_host_delay=0)


@pytest.fixture
def clock() -> WallClock:
    return WallClock(START)


@pytest.fixture
def briefing(settings: Settings, clock: WallClock) -> Iterator[Briefing]:
    """The service on the feeds' clock: what a poll stores, it stores at the clock's time."""
    with Briefing.open(settings, clock=clock) as b:
        yield b


@pytest.fixture
def poller(briefing: Briefing, clock: WallClock) -> FeedPoller:
    return FeedPoller(
        briefing.db, lambda: briefing.store, lambda: briefing.web.fetcher, INTERVAL, clock=clock
    )


def article_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title} | Ledger</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>© Ledger. All rights reserved.</footer></body></html>"
    )


STORIES = {
    "/news/pact-review": (
        "Honduras reviews the border pact",
        "Honduras said it would review the memorandum on border security signed in March."
        "\n\nThe review follows a freeze of United States aid to the region.",
    ),
    "/news/aid-freeze": (
        "Aid freeze hits Guatemala programmes",
        "Programmes in Guatemala funded by the United States began closing after the aid "
        "freeze.\n\nOfficials said thousands of families would lose support.",
    ),
    "/news/asylum-lawyers": (
        "Lawyers challenge turn-backs at the border",
        "A coalition of lawyers said families were turned back at the Guatemalan border "
        "without a hearing.\n\nThey asked a court to review the practice.",
    ),
}


def serve_stories(web: WebStandIn) -> None:
    for path, (title, body) in STORIES.items():
        web.page(path, article_page(title, body))


def rss(web: WebStandIn, items: list[dict[str, str]], title: str = "Ledger World") -> str:
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{web.url('/')}</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    )


def atom(web: WebStandIn, entries: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<entry><id>{entry_id}</id><title>{title}</title>"
        f'<link rel="alternate" href="{web.url(path)}"/>'
        "<updated>2019-06-14T10:00:00Z</updated>"
        f"<summary>Summary of {title}.</summary></entry>"
        for entry_id, title, path in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom Desk</title><id>urn:desk</id><updated>2019-06-14T10:00:00Z</updated>"
        f'<link rel="alternate" href="{web.url("/")}"/>{body}</feed>'
    )


def item(web: WebStandIn, path: str, guid: str | None = None, **more: str) -> dict[str, str]:
    title = STORIES[path][0] if path in STORIES else path
    fields = {"title": title, "link": web.url(path), "guid": guid or f"guid:{path}"}
    fields.update(more)
    return fields


def count(briefing: Briefing, model: type) -> int:
    with briefing.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def feed_row(briefing: Briefing, feed_id: int) -> repo.FeedRow:
    with briefing.db.session() as s:
        row = repo.get_feed(session=s, feed_id=feed_id)
    assert row is not None
    return row


def page_requests(web: WebStandIn) -> int:
    return sum(1 for r in web.requests() if r.path.startswith("/news/"))


# ---------------------------------------------------------------------- add, list, remove


def test_feeds_add_list_remove_from_the_command_line(cli, web: WebStandIn) -> None:
    url = web.page(
        "/rss.xml",
        rss(web, [item(web, "/news/pact-review")]),
        content_type="application/rss+xml",
    )
    added = cli("feeds", "add", url)
    assert added.code == 0, added.err
    assert "following feed 1: Ledger World" in added.out
    again = cli("feeds", "add", url)
    assert again.code == 2 and again.err.strip() == f"error: already following {url}"
    listed = json.loads(cli("feeds", "list", "--json").out)
    assert [(f["id"], f["url"], f["title"]) for f in listed] == [(1, url, "Ledger World")]
    assert listed[0]["last_poll"] is None and listed[0]["last_error"] is None
    removed = cli("feeds", "remove", url.replace("http://", "HTTP://") + "#top")  # same url
    assert removed.code == 0 and "removed feed 1" in removed.out
    assert json.loads(cli("feeds", "list", "--json").out) == []
    missing = cli("feeds", "remove", "7")
    assert missing.code == 2 and "no feed '7'" in missing.err


def test_a_feed_that_moved_for_good_is_followed_at_its_new_address(
    poller: FeedPoller, web: WebStandIn
) -> None:
    """A 301 moves the feed's address for good: it is followed (and polled) there, and
    adding it again by either address is refused. A 302 moves nothing: the feed is
    followed at the address typed, which the publisher may point elsewhere later."""
    feed = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    web.redirect("/feed", feed, status=301)
    assert poller.add(web.url("/feed")).url == feed
    for again in (web.url("/feed"), feed):
        with pytest.raises(InputError, match=f"^already following {feed}$"):
            poller.add(again)
    other = web.page("/other.xml", rss(web, [], title="Other"), content_type="application/rss+xml")
    web.redirect("/for-now", other, status=302)
    assert poller.add(web.url("/for-now")).url == web.url("/for-now")
    assert [f.url for f in poller.list()] == [feed, web.url("/for-now")]


def test_a_feed_already_followed_is_refused_without_fetching_it(
    poller: FeedPoller, web: WebStandIn
) -> None:
    """Adding a feed already followed says so without fetching it: typed as it is
    followed (in any spelling), or as a web page that links to it, which is read for its
    feed link and no further. (The page's feed was fetched, then refused.)"""
    feed = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}"></head>'
    web.page("/index.html", page + "<body>Home</body></html>")
    assert poller.add(feed).url == feed
    before = len(web.requests())
    for again in (feed, feed.replace("http://", "HTTP://") + "#top"):
        with pytest.raises(InputError, match=f"^already following {feed}$"):
            poller.add(again)
    assert web.requests()[before:] == []
    with pytest.raises(InputError, match=f"^already following {feed}$"):
        poller.add(web.url("/index.html"))
    assert [r.path for r in web.requests()[before:]] == ["/index.html"]


def test_a_feed_whose_title_holds_nul_can_be_followed(cli, web: WebStandIn) -> None:
    """A feed titled "Ledger &#0; World" (feedparser decodes the reference to NUL) is
    followed as "Ledger World". On PostgreSQL `feeds add` died with "unexpected
    DataError: PostgreSQL text fields cannot contain NUL" (and a title that gained one
    later failed every poll), while SQLite stored the NUL."""
    serve_stories(web)
    body = rss(web, [item(web, "/news/pact-review")], title="Ledger &#0; World")
    url = web.page("/rss.xml", body, content_type="application/rss+xml")
    added = cli("feeds", "add", url)
    assert added.code == 0 and "unexpected" not in added.err, added
    assert "following feed 1: Ledger World" in added.out
    polled = cli("feeds", "poll")
    assert "unexpected" not in polled.out + polled.err, polled
    listed = json.loads(cli("feeds", "list", "--json").out)
    assert [f["title"] for f in listed] == ["Ledger World"]


def test_a_feed_id_is_ascii_digits_with_spaces_around_ignored(
    poller: FeedPoller, web: WebStandIn, cli
) -> None:
    """``str.isdigit`` took "１" (full-width) as id 1 and crashed on "¹" (superscript,
    which ``int`` refuses); ids are read as they are shown: ASCII digits, spaces around
    ignored. Anything else is a url, so it names no feed."""
    for n in (1, 2, 3):
        poller.add(web.page(f"/rss{n}.xml", rss(web, []), content_type="application/rss+xml"))
    for ref in ("１", "¹", "1\u200b", "①"):
        result = cli("feeds", "remove", ref)
        assert (result.code, result.err) == (
            2,
            f"error: no feed {ref!r} is followed (by that id or url)\n",
        )
    assert [f.id for f in poller.list()] == [1, 2, 3]
    for ref, removed in ((" 1 ", 1), ("\t2\u00a0", 2), ("003", 3)):
        result = cli("feeds", "remove", ref)
        assert result.code == 0 and result.out.startswith(f"removed feed {removed}:"), ref
    assert poller.list() == []


def test_adding_something_that_is_not_a_feed_is_refused(cli, web: WebStandIn) -> None:
    web.page("/page.html", "<html><body><p>Just a page.</p></body></html>")
    web.page("/broken.xml", "this is not xml at all", content_type="application/xml")
    for path, reason in (
        ("/page.html", "is a web page that links to no RSS or Atom feed"),
        ("/broken.xml", "not an RSS or Atom feed"),
        ("/gone.xml", "HTTP 404 Not Found"),
    ):
        result = cli("feeds", "add", web.url(path))
        assert result.code == 1, path
        assert reason in result.err and len(result.err.strip().splitlines()) == 1
    assert json.loads(cli("feeds", "list", "--json").out) == []


@pytest.mark.parametrize("reference", ["&#xd800;", "&#99999999999;"], ids=["surrogate", "huge"])
def test_a_feed_feedparser_itself_fails_on_is_refused_in_one_clear_line(
    cli, web: WebStandIn, reference: str
) -> None:
    """A character reference feedparser's lenient parser cannot decode (a lone surrogate,
    a number past any character) makes feedparser raise UnicodeEncodeError or
    OverflowError of its own. That was "unexpected OverflowError: Python int too large
    to convert to C int" (and, at each poll, a logged traceback); it is a feed that
    cannot be read, said as such."""
    body = f"<rss version='2.0'><channel><title>T {reference}</title></channel></rss>"
    web.page("/odd.xml", body, content_type="application/rss+xml")
    result = cli("feeds", "add", web.url("/odd.xml"))
    assert result.code == 1
    assert result.err.startswith("error: not an RSS or Atom feed briefbot can read (")
    assert "unexpected" not in result.err and len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("encoding", "header"),
    [("cp1251", "windows-1251"), ("koi8-r", "koi8-r"), ("utf-8", "iso-8859-1")],
    ids=["cp1251", "koi8-r", "utf8-labelled-latin1"],
)
def test_a_feed_s_charset_in_the_http_header_is_read(
    poller: FeedPoller, web: WebStandIn, encoding: str, header: str
) -> None:
    """A feed whose charset only its HTTP header gives (its XML declaration names none)
    is read in that charset, as a page is (bot.core.charset): its title was
    windows-1252 mojibake ("Íîâîñòè" for "Новости"), since feedparser was given the
    media type without the charset. A UTF-8 feed mislabelled Latin-1 stays UTF-8."""
    body = rss(web, [item(web, "/news/pact-review")], title="Новости дня").replace(
        '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?>'
    )
    url = web.page(
        "/rss.xml", body.encode(encoding), content_type=f"application/rss+xml; charset={header}"
    )
    assert poller.add(url).title == "Новости дня"


def test_a_web_page_that_links_to_its_feed_adds_the_feed(
    poller: FeedPoller, web: WebStandIn
) -> None:
    feed = web.page("/feeds/all.atom", atom(web, []), content_type="application/atom+xml")
    web.page(
        "/",
        '<html><head><link rel="alternate" type="application/atom+xml" '
        'href="/feeds/all.atom"></head><body><p>Home</p></body></html>',
    )
    row = poller.add(web.url("/"))
    assert (row.url, row.title) == (feed, "Atom Desk")


# ---------------------------------------------------------------------- polling


def test_a_poll_stores_each_new_entry_from_its_page(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    serve_stories(web)
    url = web.page(
        "/rss.xml",
        rss(web, [item(web, p) for p in STORIES]),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    feed = poller.add(url)
    report = poller.poll().feeds[0].as_dict()
    assert (report["status"], report["added"], report["unchanged"], report["failed"]) == (
        "updated",
        3,
        0,
        0,
    )
    titles = {s.title for s in briefing.sources()}
    assert {title for title, _ in STORIES.values()} <= titles
    with briefing.db.session() as s:
        stored = s.scalar(select(Article).where(Article.url == web.url("/news/aid-freeze")))
        assert stored is not None
        assert stored.text.startswith("Programmes in Guatemala")
        assert "All rights reserved" not in stored.text and "Home" not in stored.text
    row = feed_row(briefing, feed.id)
    assert row.last_success_at == START and row.last_polled_at == START
    assert row.etag == '"v1"' and row.last_error is None


def test_entries_past_the_poll_s_time_budget_wait_for_the_next_poll(
    briefing: Briefing, clock: WallClock, web: WebStandIn
) -> None:
    """Pages that stall could hold one feed's poll for an hour: past its budget, a poll
    fetches no more pages, and keeps no validators, so the next poll gets them all."""
    serve_stories(web)
    url = web.page("/rss.xml", rss(web, [item(web, p) for p in STORIES]),
                   content_type="application/rss+xml", etag='"v1"')  # fmt: skip

    def poller(budget: float) -> FeedPoller:
        return FeedPoller(briefing.db, lambda: briefing.store, lambda: briefing.web.fetcher,
                          INTERVAL, clock=clock, budget=budget)  # fmt: skip

    feed = poller(300).add(url)
    spent = poller(-1.0).poll().feeds[0]
    assert [e.outcome for e in spent.entries] == ["skipped"] * len(STORIES)
    assert page_requests(web) == 0 and feed_row(briefing, feed.id).etag is None
    clock.advance(INTERVAL * 2)
    report = poller(300).poll().feeds[0].as_dict()
    assert (report["status"], report["added"]) == ("updated", len(STORIES))


def test_a_poll_cut_short_by_ctrl_c_gives_its_claim_up(
    poller: FeedPoller, web: WebStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in the middle of a poll: the next poll is not told that another is running
    (the claim would otherwise hold the feed for its 30-minute lease)."""
    serve_stories(web)
    url = web.page("/rss.xml", rss(web, [item(web, p) for p in STORIES]),
                   content_type="application/rss+xml")  # fmt: skip
    poller.add(url)
    real = FeedPoller._entry
    calls: list[int] = []

    def interrupted(self: FeedPoller, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(FeedPoller, "_entry", interrupted)
    with pytest.raises(KeyboardInterrupt):
        poller.poll()
    monkeypatch.setattr(FeedPoller, "_entry", real)
    report = poller.poll().feeds[0]
    assert report.status == "updated", report


def test_a_feed_unfollowed_as_an_entry_is_stored_keeps_that_article_and_stops_quietly(
    briefing: Briefing,
    poller: FeedPoller,
    web: WebStandIn,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The feed goes in the instant between its entry's article being stored and the
    entry being recorded (the entry record's foreign key then names no feed): the poll
    stops as "removed", with no traceback, and the article stored while the feed was
    still followed stays, as the feed's other articles do, named in the log."""
    serve_stories(web)
    url = web.page("/rss.xml", rss(web, [item(web, p) for p in STORIES]),
                   content_type="application/rss+xml")  # fmt: skip
    feed = poller.add(url)
    real = feeds_module.ingest_parsed

    def stored_then_removed(*args: Any, **kwargs: Any) -> Any:
        summary = real(*args, **kwargs)
        poller.remove(str(feed.id))  # another process: the Slack app
        return summary

    monkeypatch.setattr(feeds_module, "ingest_parsed", stored_then_removed)
    with caplog.at_level(logging.INFO):
        report = poller.poll().feeds[0]
    assert report.status == "removed", report.as_dict()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("it stays" in r.getMessage() for r in caplog.records)
    titles = {title for title, _ in STORIES.values()}
    assert len([s for s in briefing.sources() if s.title in titles]) == 1  # the one stored
    assert poller.list() == []


def test_conditional_get_makes_a_second_poll_cost_one_304(
    poller: FeedPoller, web: WebStandIn
) -> None:
    serve_stories(web)
    url = web.page(
        "/rss.xml",
        rss(web, [item(web, p) for p in STORIES]),
        content_type="application/rss+xml",
        etag='"v1"',
        last_modified="Fri, 14 Jun 2019 10:00:00 GMT",
    )
    poller.add(url)
    poller.poll()
    pages = page_requests(web)
    report = poller.poll().feeds[0]
    assert report.status == "not_modified" and report.entries == []
    last = web.requests("/rss.xml")[-1]
    assert last.headers["if-none-match"] == '"v1"'
    assert last.headers["if-modified-since"] == "Fri, 14 Jun 2019 10:00:00 GMT"
    assert page_requests(web) == pages  # no entry page fetched again


def test_atom_with_last_modified_only(poller: FeedPoller, web: WebStandIn) -> None:
    serve_stories(web)
    url = web.page(
        "/atom.xml",
        atom(web, [("urn:1", "Honduras reviews the border pact", "/news/pact-review")]),
        content_type="application/atom+xml",
        last_modified="Fri, 14 Jun 2019 10:00:00 GMT",
    )
    poller.add(url)
    first = poller.poll().feeds[0]
    assert first.added == 1
    second = poller.poll().feeds[0]
    assert second.status == "not_modified"
    assert "if-none-match" not in web.requests("/atom.xml")[-1].headers


def test_entries_already_stored_are_not_fetched_again(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """By guid, by link (also from another feed) and by content."""
    serve_stories(web)
    web.page(
        "/syndicated/copy",
        article_page("A copy of the review story", STORIES["/news/pact-review"][1]),
    )
    feed_a = web.page(
        "/a.xml",
        rss(web, [item(web, "/news/pact-review"), item(web, "/news/aid-freeze")]),
        content_type="application/rss+xml",
        etag='"a1"',
    )
    feed_b = web.page(
        "/b.xml",
        rss(
            web,
            [
                item(web, "/news/aid-freeze", guid="other-guid"),  # same link, new guid
                {"title": "Copy", "link": web.url("/syndicated/copy"), "guid": "copy"},
            ],
            title="Other Desk",
        ),
        content_type="application/rss+xml",
    )
    poller.add(feed_a)
    poller.add(feed_b)
    report = {f.url: f for f in poller.poll().feeds}
    assert report[feed_a].added == 2
    assert report[feed_b].added == 0 and report[feed_b].count("unchanged") == 2
    assert len(web.requests("/news/aid-freeze")) == 1  # not fetched for feed B
    assert len(web.requests("/syndicated/copy")) == 1  # fetched, its text already stored
    assert count(briefing, Article) == 1 + 2  # the seed article and the two stories
    # The feed changes (new ETag, a new entry first): old entries are not fetched again.
    web.page(
        "/a.xml",
        rss(web, [item(web, p) for p in STORIES]),
        content_type="application/rss+xml",
        etag='"a2"',
    )
    again = poller.poll(feed_ids=[1]).feeds[0]
    assert (again.added, again.count("unchanged")) == (1, 2)
    assert len(web.requests("/news/pact-review")) == 1


def test_entries_that_share_a_guid_are_known_by_their_link_too(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A guid the feed gives several entries keys each by the guid and its link. The
    entry an earlier poll recorded under the guid alone (the only one with it then, or
    recorded by an older briefbot) keeps that record: its page is not fetched again, and
    it gets no second record."""
    serve_stories(web)
    shared, paths = web.url("/"), list(STORIES)

    def serve(version: str, entries: list[str]) -> str:
        items = [item(web, p, guid=shared) for p in entries]
        return web.page("/rss.xml", rss(web, items), content_type="application/rss+xml",
                        etag=f'"{version}"')  # fmt: skip

    poller.add(serve("v1", paths[:1]))
    assert poller.poll().feeds[0].added == 1
    serve("v2", paths)
    report = poller.poll().feeds[0]
    outcomes = {e.link: e.outcome for e in report.entries}
    assert outcomes == {web.url(p): "unchanged" if p == paths[0] else "added" for p in paths}
    serve("v3", paths)
    assert {e.outcome for e in poller.poll().feeds[0].entries} == {"unchanged"}
    assert [len(web.requests(p)) for p in paths] == [1] * len(paths)
    assert count(briefing, FeedEntry) == len(paths)
    titles = {s.title for s in briefing.sources()}
    assert all(STORIES[p][0] in titles for p in paths)


def test_a_shared_guid_keys_each_entry_by_the_guid_and_its_link() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><link>https://n.example/a</link><guid>https://n.example/</guid></item>"
        "<item><link>https://n.example/b</link><guid>https://n.example/</guid></item>"
        "<item><link>https://n.example/c</link><guid>urn:c</guid></item>"
        "</channel></rss>"
    )
    items = parse_feed(body.encode(), "https://n.example/feed", "application/rss+xml").items
    assert [(i.key, i.old_key) for i in items] == [
        ("https://n.example/\nhttps://n.example/a", "https://n.example/"),
        ("https://n.example/\nhttps://n.example/b", "https://n.example/"),
        ("urn:c", None),
    ]


def test_an_entry_with_no_link_nor_guid_is_known_by_its_title_and_text_not_its_place() -> None:
    """An entry with neither a link nor a guid was keyed by its place in the feed: when
    the feed put a new entry above it, it became another entry (and the one now in its
    old place, if titled alike, became it). Keyed by a hash of its title and text, as
    feed readers do, it stays itself wherever the feed lists it."""

    def feed(*entries: tuple[str, str]) -> bytes:
        items = "".join(
            f"<item><title>{title}</title><description>{text}</description></item>"
            for title, text in entries
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
        return (body + "</channel></rss>").encode()

    lone = ("Notice", "The office is closed on Friday.")
    before = parse_feed(feed(lone), "https://n.example/feed", "application/rss+xml").items
    after = parse_feed(
        feed(("Notice", "The office opens late on Monday."), lone),
        "https://n.example/feed",
        "application/rss+xml",
    ).items
    assert before[0].key == after[1].key
    assert after[0].key != after[1].key
    assert "Friday" not in before[0].key  # a digest, not the entry's text


def test_a_link_less_entry_is_given_up_even_as_the_feed_grows_above_it(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A feed that carries one entry with no link and no guid, and gains a new entry at
    the top at every poll: the link-less entry failed afresh at each poll (a new place,
    a new key), so it was never given up, the feed's validators were never kept (every
    poll fetched the whole feed), and a row was added for it at every poll."""
    serve_stories(web)
    paths = list(STORIES)
    lone = {"title": "Notice", "description": "The office is closed on Friday."}
    assert len(paths) == MAX_ATTEMPTS
    feed = None
    for polled in range(1, MAX_ATTEMPTS + 2):  # the last poll: the same entries, a new etag
        body = rss(web, [item(web, p) for p in paths[:polled]] + [lone])
        url = web.page("/rss.xml", body, content_type="application/rss+xml", etag=f'"v{polled}"')
        if feed is None:
            feed = poller.add(url)
        report = poller.poll().feeds[0]
        assert report.count("added") == (polled <= MAX_ATTEMPTS), report.as_dict()
    assert feed is not None
    assert report.count("skipped") == 1 and report.count("failed") == 0, report.as_dict()
    assert feed_row(briefing, feed.id).etag == f'"v{MAX_ATTEMPTS + 1}"'
    assert count(briefing, FeedEntry) == len(paths) + 1


def test_a_feed_with_one_broken_entry_still_lands_the_others(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    serve_stories(web)
    body = rss(
        web,
        [
            item(web, "/news/pact-review"),
            {"title": "No link at all", "description": "x", "guid": "urn:no-link"},
            item(web, "/news/missing"),  # a 404 and no summary
            item(web, "/news/aid-freeze"),
        ],
    ).replace("<guid>urn:no-link</guid>", '<guid isPermaLink="false">urn:no-link</guid>')
    url = web.page("/rss.xml", body, content_type="application/rss+xml", etag='"v1"')
    feed = poller.add(url)
    report = poller.poll().feeds[0]
    data = report.as_dict()
    assert (data["status"], data["added"], data["failed"]) == ("updated", 2, 2)
    reasons = {e.link or e.title: e.reason for e in report.entries if e.outcome == "failed"}
    assert reasons == {
        "No link at all": "the entry has no http(s) link",
        web.url("/news/missing"): "HTTP 404 Not Found; the entry has no summary to fall back on",
    }
    # While failed entries may still be retried, the validators are not kept: the next
    # poll gets the whole feed (not a 304) and tries them again, up to MAX_ATTEMPTS.
    assert feed_row(briefing, feed.id).etag is None
    for attempt in range(2, MAX_ATTEMPTS + 1):
        retried = poller.poll().feeds[0]
        assert retried.status == "updated" and retried.count("failed") == 2, attempt
    assert len(web.requests("/news/missing")) == MAX_ATTEMPTS
    # After the last attempt the entries are given up and the validators kept.
    assert feed_row(briefing, feed.id).etag == '"v1"'
    assert poller.poll().feeds[0].status == "not_modified"
    web.page("/rss.xml", body, content_type="application/rss+xml", etag='"v2"')
    given_up = poller.poll().feeds[0]
    assert given_up.count("skipped") == 2 and given_up.count("failed") == 0
    assert len(web.requests("/news/missing")) == MAX_ATTEMPTS


def test_a_page_the_html_extractor_chokes_on_fails_only_its_entry(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A page whose markup makes the extraction raise something of its own (here an
    ``<svg>`` holding a ``<meta>``: htmldate's clean-up trips lxml's AssertionError)
    fails that entry's page alone: the entry falls back to its summary, and the entries
    after it land. It used to fail the whole poll ("unexpected AssertionError"), on
    every poll, since the entry was never recorded: no entry after it was ever stored."""
    serve_stories(web)
    web.page(
        "/news/odd-markup", "<svg><meta property='og:url' content='https://x.example/a'><math>"
    )
    summary = "Officials in Tegucigalpa described the memorandum as a first step."
    body = rss(
        web,
        [
            item(web, "/news/odd-markup", title="Odd markup", description=summary),
            item(web, "/news/pact-review"),
            item(web, "/news/aid-freeze"),
        ],
    )
    url = web.page("/rss.xml", body, content_type="application/rss+xml")
    poller.add(url)
    report = poller.poll().feeds[0]
    assert report.status == "updated", report.as_dict()
    odd, *others = report.entries
    assert (odd.outcome, odd.from_summary) == ("added", True), odd
    assert odd.reason is not None and "AssertionError" in odd.reason
    assert "\n" not in odd.reason
    assert [e.outcome for e in others] == ["added", "added"]
    titles = {s.title for s in briefing.sources()}
    assert {"Honduras reviews the border pact", "Aid freeze hits Guatemala programmes"} <= titles


@pytest.mark.parametrize("bad", ["&#x1;", "\x0b", "&#xfffe;"], ids=["soh", "vt", "fffe"])
def test_an_entry_summary_in_html_with_a_control_character_does_not_break_the_feed(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, bad: str
) -> None:
    """An entry whose HTML summary holds a control character (a vertical tab pasted from
    a word processor, or a reference such as ``&#x1;``, which feedparser decodes): lxml
    refuses to set such text on an element. It used to fail the whole feed on every
    poll ("unexpected ValueError: All strings must be XML compatible"), since the feed
    is read whole before any entry; the character goes, as it does from a title."""
    serve_stories(web)
    summary = f"&lt;p&gt;The memorandum{bad} was signed.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;"
    body = rss(
        web,
        [item(web, "/news/pact-review", description=summary), item(web, "/news/aid-freeze")],
    )
    url = web.page("/rss.xml", body, content_type="application/rss+xml")
    poller.add(url)
    report = poller.poll().feeds[0]
    assert (report.status, report.error) == ("updated", None), report.as_dict()
    assert [e.outcome for e in report.entries] == ["added", "added"]
    assert parse_feed(body.encode(), url).items[0].summary == (
        "The memorandum was signed.\n\nSecond."
    )


@pytest.mark.parametrize("bad", ["\x7f", "&#0;"], ids=["del", "nul"])
def test_a_feed_entry_whose_link_holds_a_control_character_fails_alone(
    cli, web: WebStandIn, bad: str
) -> None:
    """An entry whose <link> holds a DEL (legal, unescaped, in XML 1.0) or a NUL (&#0;,
    which feedparser decodes) is reported failed, with the link it has, and the entries
    after it land. It used to fail the whole poll, on every poll, as "unexpected
    InvalidURL" (the HTTP client refused the url) on SQLite and "unexpected DataError"
    with the SQL statement on PostgreSQL (which cannot store a NUL)."""
    serve_stories(web)
    bad_link = f"{web.url('/news/bad')}{bad}x"
    body = rss(
        web,
        [{"title": "Bad", "link": bad_link, "guid": "g-bad"}, item(web, "/news/pact-review")],
    )
    url = web.page("/rss.xml", body, content_type="application/rss+xml")
    assert cli("feeds", "add", url).code == 0
    polled = cli("feeds", "poll", "--json")
    assert "unexpected" not in polled.out + polled.err, polled
    entries = json.loads(polled.out)["feeds"][0]["entries"]
    failed = [e for e in entries if e["outcome"] == "failed"]
    assert [e["title"] for e in failed] == ["Bad"], entries
    assert failed[0]["reason"].startswith("the entry has no http(s) link"), failed
    assert "Honduras reviews the border pact" in cli("sources").out
    assert web.requests("/news/bad") == []


def test_feed_values_longer_than_their_columns_do_not_break_the_feed(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A 1,500-character title, a 600-character ETag, a 150-character Last-Modified and
    an entry link of 2,100 characters: PostgreSQL refuses each in its column. The title
    is cut (it is shown to people), the validators and the link are not kept (cut short
    they would be wrong), and the entries land: the feed polls as a success."""
    serve_stories(web)
    long_path = "/news/" + "x" * 2100
    web.page(long_path, article_page("A story at a very long address", "A sentence. Two."))
    body = rss(
        web,
        [item(web, long_path, guid="urn:long"), item(web, "/news/pact-review")],
        title="T" * 1500,
    )
    url = web.page(
        "/rss.xml",
        body,
        content_type="application/rss+xml",
        etag='"' + "e" * 600 + '"',
        last_modified="Tue, 11 Jun 2019 10:00:00 GMT" + " " * 120,
    )
    feed = poller.add(url)
    report = poller.poll().feeds[0]
    assert report.status == "updated", report.as_dict()
    assert report.count("added") >= 1 and report.count("failed") <= 1
    row = feed_row(briefing, feed.id)
    assert row.last_error is None and row.failures == 0
    assert row.title is not None and len(row.title) <= 1000
    assert row.etag is None
    assert any(
        t == "Honduras reviews the border pact" for t in (s.title for s in briefing.sources())
    )


def test_a_page_that_cannot_be_fetched_falls_back_to_the_summary(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    summary = (
        "&lt;p&gt;Lawmakers in San Salvador debated the memorandum on border security "
        "for a second day.&lt;/p&gt;&lt;p&gt;The opposition called it a blank cheque."
        "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    url = web.page(
        "/rss.xml",
        rss(web, [item(web, "/news/paywalled", description=summary)]),
        content_type="application/rss+xml",
    )
    web.page("/news/paywalled", "<p>Subscribe</p>", status=403)
    poller.add(url)
    entry = poller.poll().feeds[0].entries[0]
    assert entry.outcome == "added" and entry.from_summary
    assert entry.reason == "page not used: HTTP 403 Forbidden"
    with briefing.db.session() as s:
        stored = s.scalar(select(Article).where(Article.url == web.url("/news/paywalled")))
        assert stored is not None
        assert stored.format == "feed-summary" and stored.source == "Ledger World"
        assert stored.text == (
            "Lawmakers in San Salvador debated the memorandum on border security for a second "
            "day.\n\nThe opposition called it a blank cheque."
        )
        assert s.scalar(select(FeedEntry.status)) == repo.SUMMARY


def test_a_page_that_keeps_failing_is_tried_at_most_three_times_then_its_summary_stays(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    """The feed's summary stands in while the page fails; the page is tried again at the
    next polls (the feed's validators wait meanwhile, so a 304 cannot hide the entry), at
    most MAX_ATTEMPTS times in all, then the summary stays and the feed gets its 304s."""
    web.page("/news/busy", "<p>Busy</p>", status=503)
    url = web.page(
        "/rss.xml",
        rss(web, [item(web, "/news/busy", description="The court ruled on the pact.")]),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    poller.add(url)
    reports = []
    for _ in range(MAX_ATTEMPTS + 1):
        reports.append(poller.poll().feeds[0])
        clock.advance(INTERVAL)
    first, *retries, not_modified = reports
    assert first.entries[0].outcome == "added" and first.entries[0].from_summary
    for retry in retries:
        entry = retry.entries[0]
        assert (entry.outcome, entry.from_summary) == ("unchanged", True)
        assert entry.reason is not None and "the feed's summary stands in" in entry.reason
    assert str(retries[-1].entries[0].reason).endswith("for good")
    assert not_modified.status == "not_modified"
    assert sum(1 for r in web.requests() if r.path == "/news/busy") == MAX_ATTEMPTS
    with briefing.db.session() as s:
        assert s.scalar(select(FeedEntry.status)) == repo.SUMMARY
        assert s.scalar(select(Article.format).where(Article.origin == web.url("/news/busy"))) == (
            "feed-summary"
        )


def test_a_summary_is_shown_under_another_site_s_url_only_if_the_feed_is_that_site(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A feed can write anything in an entry: its summary of a page on another site is
    stored without that site's url, so no quote of it links there as if the site said it."""
    elsewhere = web.url("/news/statement").replace("127.0.0.1", "localhost")
    forged = {
        "title": "Secretary: the memorandum was a mistake",
        "link": elsewhere,
        "guid": "g:1",
        "description": "The secretary said the memorandum was a mistake.",
    }
    # the feed names the other site as its own (its <link>): that vouches for nothing
    feed = rss(web, [forged]).replace(f"<link>{web.url('/')}</link>", f"<link>{elsewhere}</link>")
    url = web.page("/rss.xml", feed, content_type="application/rss+xml")
    poller.add(url)
    entry = poller.poll().feeds[0].entries[0]
    assert entry.outcome == "added" and entry.from_summary
    with briefing.db.session() as s:
        stored = s.scalar(select(Article).where(Article.format == "feed-summary"))
        assert stored is not None and stored.url is None and stored.origin == elsewhere
        assert stored.source == "Ledger World"


def test_one_failing_feed_does_not_stop_the_others(
    cli, briefing: Briefing, web: WebStandIn
) -> None:
    serve_stories(web)
    good = web.page(
        "/good.xml", rss(web, [item(web, "/news/pact-review")]), content_type="application/rss+xml"
    )
    bad = web.page("/bad.xml", rss(web, []), content_type="application/rss+xml")
    assert cli("feeds", "add", bad).code == 0
    assert cli("feeds", "add", good).code == 0
    web.page("/bad.xml", "<p>down</p>", status=500)
    result = cli("feeds", "poll", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    by_url = {f["url"]: f for f in data["feeds"]}
    assert by_url[bad]["status"] == "failed"
    assert by_url[bad]["error"] == "HTTP 500 Internal Server Error"
    assert (by_url[good]["status"], by_url[good]["added"]) == ("updated", 1)
    listed = {f["url"]: f for f in json.loads(cli("feeds", "list", "--json").out)}
    assert listed[bad]["last_error"] == "HTTP 500 Internal Server Error"
    assert listed[bad]["last_poll"] and listed[bad]["last_success"] is None
    assert listed[good]["last_success"] and listed[good]["entries"] == 1
    text = cli("feeds", "list").out
    assert "last error" in text and "HTTP 500 Internal Server Error" in text
    human = cli("feeds", "poll")
    assert "feed 1 Ledger World: failed: HTTP 500 Internal Server Error" in human.out
    assert "feed 2 Ledger World: added 0, unchanged 1, failed 0" in human.out


def test_new_articles_from_a_poll_are_in_the_next_digest(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    serve_stories(web)
    poller.add(
        web.page(
            "/rss.xml",
            rss(web, [item(web, "/news/asylum-lawyers")]),
            content_type="application/rss+xml",
        )
    )
    clock.advance(timedelta(minutes=5))  # the poll comes after the seed was stored
    poller.poll()
    today = clock.now.date()  # an undated page is filed under the day it arrived
    digest = briefing.digests.digest(
        Period(today - timedelta(days=6), today + timedelta(days=1), "UTC")
    )
    assert digest.articles[0].title == "Lawyers challenge turn-backs at the border"
    assert digest.articles[0].summary.startswith("A coalition of lawyers said")


def test_an_entry_date_fills_in_a_page_without_one(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    serve_stories(web)
    poller.add(
        web.page(
            "/rss.xml",
            rss(
                web,
                [item(web, "/news/aid-freeze", pubDate="Thu, 13 Jun 2019 08:00:00 GMT")],
            ),
            content_type="application/rss+xml",
        )
    )
    poller.poll()
    [source] = [s for s in briefing.sources() if s.url == web.url("/news/aid-freeze")]
    assert source.published == date(2019, 6, 13)


def _entry_date(kind: str, element: str, value: str) -> date | None:
    """The date parse_feed gives an entry of an RSS or Atom feed dated ``value``."""
    if kind == "rss":
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            "<link>https://news.example/</link><description>d</description><item>"
            "<title>Vote</title><link>https://news.example/a</link><guid>a</guid>"
            f"<{element}>{value}</{element}></item></channel></rss>"
        )
    else:
        body = (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
            "<id>urn:wire</id><updated>2019-04-01T00:00:00Z</updated><entry><title>Vote</title>"
            '<id>urn:a</id><link href="https://news.example/a"/>'
            f"<{element}>{value}</{element}></entry></feed>"
        )
    kinds = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
    [entry] = parse_feed(body.encode(), "https://news.example/feed", kinds[kind]).items
    return entry.published


@pytest.mark.parametrize(
    ("kind", "element", "value", "day"),
    [
        ("rss", "pubDate", "Sun, 31 Mar 2019 22:00:00 -0500", date(2019, 3, 31)),
        ("rss", "pubDate", "Mon, 01 Apr 2019 01:30:00 +0200", date(2019, 4, 1)),  # UTC: 31st
        ("rss", "pubDate", "31 Mar 2019 22:00 EST", date(2019, 3, 31)),
        ("atom", "published", "2019-03-31T22:00:00-05:00", date(2019, 3, 31)),
        ("atom", "updated", "2019-04-01T01:30:00+02:00", date(2019, 4, 1)),
        ("atom", "published", "2019-03-31T22:00:00Z", date(2019, 3, 31)),
        # A form only feedparser reads: its day stands.
        ("rss", "pubDate", "Fri, 2006/09/15 08:19:53 EDT", date(2006, 9, 15)),
        # Not a date feedparser reads: undated, as before (not guessed here).
        ("rss", "pubDate", "Sunday, March 31, 2019 10:00 PM", None),
    ],
)
def test_a_feed_entry_keeps_the_day_its_publisher_wrote(
    kind: str, element: str, value: str, day: date | None
) -> None:
    """An entry is dated in the offset its feed wrote, as a page's metadata is, not by
    the day of feedparser's time in UTC: late on Sunday in New York is Sunday, early on
    Monday in Paris is Monday."""
    assert _entry_date(kind, element, value) == day


def test_ingesting_a_page_a_feed_stored_keeps_what_the_feed_gave(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, cli
) -> None:
    """The pages give no date or author; their feed does. Ingesting a page again by hand
    must not erase them (later polls skip the entry, so nothing would restore them): the
    same page is unchanged, and a page that replaces the feed's summary keeps them."""
    serve_stories(web)
    web.page("/news/paywalled", "<p>Subscribe</p>", status=403)
    when = "Thu, 13 Jun 2019 08:00:00 GMT"
    items = [
        item(web, "/news/aid-freeze", pubDate=when),
        item(
            web,
            "/news/paywalled",
            pubDate=when,
            author="Ana Ruiz",
            description="The pact was debated.",
        ),
    ]
    poller.add(web.page("/rss.xml", rss(web, items), content_type="application/rss+xml"))
    poller.poll()

    def stored(path: str) -> tuple[date | None, str | None, str | None]:
        with briefing.db.session() as s:
            row = s.scalars(select(Article).where(Article.url == web.url(path))).one()
            return row.published, row.author, row.source

    page, summary = stored("/news/aid-freeze"), stored("/news/paywalled")
    assert page[0] == summary[0] == date(2019, 6, 13)
    assert summary[1] == "Ana Ruiz" and summary[2] == "Ledger World"  # from the feed

    same = cli("ingest", web.url("/news/aid-freeze"))
    assert same.code == 0 and same.out.startswith("added 0, updated 0, unchanged 1"), same.out
    assert stored("/news/aid-freeze") == page

    web.page("/news/paywalled", article_page("Lawmakers debate the pact", "The pact was debated."))
    whole = cli("ingest", web.url("/news/paywalled"), "--json")
    assert json.loads(whole.out)["updated"] == 1  # the page's text replaces the summary
    published, author, source = stored("/news/paywalled")
    assert (published, author) == summary[:2]  # the page gives neither: the feed's stay
    assert source is not None and source != "Ledger World"  # the page's own source wins


# ---------------------------------------------------------------------- the clock's job


def test_feeds_are_polled_when_due_and_only_then(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    serve_stories(web)
    url = web.page(
        "/rss.xml", rss(web, [item(web, "/news/pact-review")]), content_type="application/rss+xml"
    )
    feed = poller.add(url)
    assert [f.feed_id for f in poller.poll_due(START).feeds] == [feed.id]  # due at once
    due = feed_row(briefing, feed.id).next_poll_at
    assert due == next_slot(url, START, INTERVAL) and START < due <= START + INTERVAL
    fetched = len(web.requests("/rss.xml"))
    assert poller.poll_due(START).feeds == []  # idempotent
    assert poller.poll_due(due - timedelta(seconds=1)).feeds == []
    assert len(web.requests("/rss.xml")) == fetched
    clock.now = due
    assert [f.feed_id for f in poller.poll_due(due).feeds] == [feed.id]
    assert feed_row(briefing, feed.id).next_poll_at == due + INTERVAL  # its slot again


def test_a_failing_feed_backs_off_and_recovers(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    url = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    feed = poller.add(url)
    web.page("/rss.xml", "<p>down</p>", status=503)
    waits = []
    for failures in (1, 2, 3, 4, 5, 6):
        report = poller.poll_due(clock.now)
        assert report.feeds[0].status == "failed"
        row = feed_row(briefing, feed.id)
        assert row.failures == failures and row.last_error == "HTTP 503 Service Unavailable"
        assert row.next_poll_at == backoff(failures, clock.now, INTERVAL)
        waits.append(row.next_poll_at - clock.now)
        assert poller.poll_due(row.next_poll_at - timedelta(seconds=1)).feeds == []
        clock.now = row.next_poll_at
    assert waits == [timedelta(hours=h) for h in (2, 4, 8, 16, 24, 24)]
    web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    assert poller.poll_due(clock.now).feeds[0].status == "updated"
    row = feed_row(briefing, feed.id)
    assert row.failures == 0 and row.last_success_at == clock.now
    assert row.last_error == "HTTP 503 Service Unavailable"  # the last error is still shown
    assert row.next_poll_at == next_slot(url, clock.now, INTERVAL)


def test_feeds_are_spread_over_the_interval() -> None:
    urls = [f"https://site{n % 3}.example/feed/{n}.xml" for n in range(60)]
    offsets = sorted(phase(u, INTERVAL).total_seconds() for u in urls)
    assert all(0 <= o < 3600 for o in offsets)
    # Sixty feeds over an hour: no ten-minute window holds more than a third of them.
    for start in range(0, 3600, 60):
        window = [o for o in offsets if start <= o < start + 600]
        assert len(window) <= 20
    # Each feed keeps its slot from poll to poll, whenever the poll happened.
    for u in urls[:5]:
        slots = {
            (next_slot(u, START + timedelta(minutes=m), INTERVAL) - START).total_seconds() % 3600
            for m in (0, 7, 59, 61, 200)
        }
        assert len(slots) == 1


def test_a_feed_claimed_by_another_clock_is_left_alone(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    url = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    feed = poller.add(url)
    with briefing.db.session() as s:
        assert repo.claim_feed(
            session=s,
            feed_id=feed.id,
            token="other-clock",
            now=START,
            until=START + timedelta(minutes=30),
            due_only=True,
        )
    before = len(web.requests("/rss.xml"))
    assert poller.poll_due(START).feeds == []
    assert poller.poll().feeds[0].status == "busy"
    assert len(web.requests("/rss.xml")) == before
    # A claim left by a clock that died expires.
    later = START + timedelta(minutes=31)
    clock.now = later
    assert [f.status for f in poller.poll_due(later).feeds] == ["updated"]


def test_two_clocks_at_once_poll_each_feed_once(
    briefing: Briefing, web: WebStandIn, clock: WallClock
) -> None:
    for n in range(6):
        web.page(f"/f{n}.xml", rss(web, [], title=f"Feed {n}"), content_type="application/rss+xml")
    pollers = [
        FeedPoller(
            briefing.db, lambda: briefing.store, lambda: briefing.web.fetcher, INTERVAL, clock
        )
        for _ in range(2)
    ]
    for n in range(6):
        pollers[0].add(web.url(f"/f{n}.xml"))
    before = len(web.requests())
    reports: list[list[int]] = []
    barrier = threading.Barrier(2)

    def run(p: FeedPoller) -> None:
        barrier.wait()
        reports.append([f.feed_id for f in p.poll_due(START).feeds])

    threads = [threading.Thread(target=run, args=(p,)) for p in pollers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    polled = sorted(i for r in reports for i in r)
    assert polled == [1, 2, 3, 4, 5, 6]
    assert len(web.requests()) - before == 6


def test_feeds_poll_due_from_the_command_line(cli, web: WebStandIn) -> None:
    url = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    cli("feeds", "add", url)
    assert "not modified" not in cli("feeds", "poll", "--due").out
    assert cli("feeds", "poll", "--due").out.strip() == "No feed is due."


def test_removing_a_feed_keeps_its_articles(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    serve_stories(web)
    url = web.page(
        "/rss.xml", rss(web, [item(web, "/news/pact-review")]), content_type="application/rss+xml"
    )
    feed = poller.add(url)
    poller.poll()
    articles = count(briefing, Article)
    poller.remove(str(feed.id))
    assert count(briefing, Feed) == 0 and count(briefing, FeedEntry) == 0
    assert count(briefing, Article) == articles


@pytest.fixture(autouse=True)
def _no_sleeping(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing in a poll may sleep (the host delay is 0 in these tests)."""
    import time

    def refuse(seconds: float) -> None:
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr(time, "sleep", refuse)
    yield


def test_a_feed_too_big_for_feedparser_is_refused_at_once(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A feed that would keep feedparser busy: one item tag of 20,000 attributes (each
    checked against the ones before it: 4 seconds, and 100,000 took 72), in UTF-8 or
    UTF-16, or more elements than MAX_FEED_ELEMENTS (330,000 one-line items, 10 MB, took
    18 seconds, on every poll). Each is refused by one scan, with a one-line reason, when
    it is added and when a followed feed turns into one; a feed of a hundred full
    articles is read."""
    from bot.core.feedparse import FeedError

    serve_stories(web)
    attributes = " ".join(f"a{i}='x'" for i in range(20_000))
    wide = rss(web, [item(web, "/news/pact-review")]).replace("<item>", f"<item {attributes}>")
    utf16 = wide.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16-le")
    for body in (wide.encode(), utf16):
        with pytest.raises(FeedError) as refused:
            parse_feed(body, web.url("/rss.xml"), "application/rss+xml")
        assert str(refused.value) == "the feed has a tag with more than 256 attributes"
    url = web.page("/rss.xml", rss(web, [item(web, "/news/pact-review")]),
                   content_type="application/rss+xml")  # fmt: skip
    feed = poller.add(url)
    assert poller.poll().feeds[0].added == 1
    flood = "<category>x</category>" * 100_000 + "</item>"
    grown = rss(web, [item(web, "/news/aid-freeze")]).replace("</item>", flood)
    web.page("/rss.xml", grown, content_type="application/rss+xml")
    report = poller.poll().feeds[0]
    assert report.status == "failed", report.as_dict()
    from bot.core.feedparse import MAX_FEED_ELEMENTS

    assert MAX_FEED_ELEMENTS < 100_000 + 10
    assert (report.status, report.error) == (
        "failed",
        f"the feed has more than {MAX_FEED_ELEMENTS:,} elements; too many to read",
    )
    assert feed_row(briefing, feed.id).failures == 1
    assert web.requests("/news/aid-freeze") == []
    full = "<p>A paragraph of the story, with <a href='/x'>a link</a> and <b>bold</b>.</p>" * 80
    articles = [item(web, p, description=f"<![CDATA[{full}]]>") for p in STORIES] * 33
    assert len(parse_feed(rss(web, articles).encode(), url, "application/rss+xml").items) == 99


def test_an_entry_summary_of_too_many_paragraphs_is_not_stored(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """An entry whose page fails falls back on its summary from the feed, which went to
    the store unchecked: a 10 MB description of one letter per line took 35 seconds and
    1.9 GB to store, as 70,000 chunks. A summary of more than MAX_PARAGRAPHS paragraphs
    is unusable, as a page or file of so many is, and the entry fails with a one-line
    reason; the entries after it land."""
    serve_stories(web)
    lines = "a\n" * 100_001
    body = rss(web, [item(web, "/news/gone", description=lines), item(web, "/news/pact-review")])
    stored = count(briefing, Article)
    poller.add(web.page("/rss.xml", body, content_type="application/rss+xml"))
    report = poller.poll().feeds[0]
    gone, landed = report.entries
    assert landed.outcome == "added", report.as_dict()
    assert (gone.outcome, gone.reason) == (
        "failed",
        "HTTP 404 Not Found; its summary is unusable: the summary has more than 100,000 "
        "paragraphs; not an article",
    )
    assert count(briefing, Article) == stored + 1


def test_a_feed_served_as_html_is_still_read_as_a_feed(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """Some servers send their RSS as ``text/html`` (a CMS's default). ``feeds add`` read
    the body as a web page to look for the feed it links to, and found none ("is a web
    page that links to no RSS or Atom feed"), and a followed feed whose server took to
    it failed every poll ("not a feed (content type text/html)"). A body that begins as
    a feed does is read as one, as feed readers do; a real web page is still read for
    its feed link, and one served at a followed feed's address is still no feed."""
    serve_stories(web)
    body = "\ufeff\n" + rss(web, [item(web, "/news/pact-review")])
    url = web.page("/rss.xml", body, content_type="text/html; charset=utf-8")
    feed = poller.add(url)
    assert feed.url == url
    assert poller.poll().feeds[0].added == 1
    web.page("/rss.xml", rss(web, [item(web, "/news/aid-freeze")]), content_type="text/html")
    report = poller.poll().feeds[0]
    assert (report.status, report.added) == ("updated", 1), report.as_dict()
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{url}"></head>'
    web.page("/index.html", page + "<body>Home</body></html>")
    with pytest.raises(InputError, match="already following"):
        poller.add(web.url("/index.html"))
    web.page("/rss.xml", "<html><body><p>Moved.</p></body></html>", content_type="text/html")
    report = poller.poll().feeds[0]
    assert (report.status, report.error) == ("failed", "not a feed (content type text/html)")


def test_a_feed_whose_validators_are_not_ascii_keeps_polling(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A server whose ETag or Last-Modified holds a byte past ASCII (an ETag made from a
    file name with an "é" in Latin-1): the first poll stored it, and every poll after
    failed before sending anything ("unexpected UnicodeEncodeError", with a traceback
    in the log), for good, since a failed poll keeps the validators. Such a validator
    is not kept, nor sent if an older briefbot kept it: the feed is fetched whole."""
    serve_stories(web)
    body = rss(web, [item(web, "/news/pact-review")])
    for etag, modified in (('"caf\xe9"', None), (None, "Mon, 02 Mar 2026 09:00:00 G\xe9T")):
        web.reset()
        serve_stories(web)
        url = web.page("/rss.xml", body, content_type="application/rss+xml", etag=etag,
                       last_modified=modified)  # fmt: skip
        feed = poller.add(url)
        for _ in range(2):
            report = poller.poll().feeds[0]
            assert (report.status, report.error) == ("updated", None), report.as_dict()
        row = feed_row(briefing, feed.id)
        assert (row.etag, row.last_modified, row.failures) == (None, None, 0)
        with briefing.db.session() as s:  # as an older briefbot stored them
            stored = {"etag": etag, "last_modified": modified}
            s.execute(update(Feed).where(Feed.id == feed.id).values(**stored))
        assert poller.poll().feeds[0].status == "updated"
        poller.remove(str(feed.id))


@pytest.mark.parametrize(
    "hostile",
    [
        "&lt;" * 2_500_000,  # 10 MB
        "<![CDATA[" + "<" * 5_000_000 + "]]>",
        "&#60; " * 1_000_000,
    ],
)
def test_an_entry_of_millions_of_lone_lt_fails_alone_at_once(hostile: str) -> None:
    """A 10 MB description of ``&lt;`` (no tag: none is followed by a name) took
    feedparser 7 seconds, its HTML sanitiser stepping through each "<" in Python. An
    element of more than MAX_LONE_LT of them is not read: its entry fails with one line,
    and the feed's other entries are read as ever."""
    import time

    from bot.core.feedparse import MAX_LONE_LT

    body = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        "<link>https://x.example/</link>"
        "<item><title>Bad</title><link>https://x.example/a</link>"
        f"<description>{hostile}</description></item>"
        "<item><title>Good &lt; better</title><link>https://x.example/b</link>"
        "<description>Fine &lt;b&gt;text&lt;/b&gt;, 1 &lt; 2.</description></item>"
        "</channel></rss>"
    ).encode()
    started = time.perf_counter()
    parsed = parse_feed(body, "https://x.example/rss", "application/rss+xml")
    took = time.perf_counter() - started
    assert took < 2.0, f"{took:.1f} s"
    bad, good = sorted(parsed.items, key=lambda i: i.title or "")
    assert bad.title == "Bad" and bad.link == "https://x.example/a"
    assert bad.problem == (
        f"the entry's description has more than {MAX_LONE_LT:,} '<' that open no tag; "
        "too many to read"
    )
    assert (good.title, good.summary, good.problem) == ("Good < better", "Fine text, 1 < 2.", None)
