"""Attacks on web sources as users reach them: ``/brief add``, ``/brief feeds`` and the
clock's feed polls. Each test here failed when it was written; each names what a user or
an operator sees.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import test_feeds
from test_feeds import INTERVAL, START, article_page, rss
from test_slack_app import Running, block_text, run_app, slack_settings

from bot.core.briefing import Briefing
from bot.core.feeds import FeedPoller
from bot.errors import InputError
from conftest import WallClock
from standins import SlackAPIStandIn, WebStandIn

# The feed tests' fixtures (a service and a poller on the feeds' clock), shared, not
# copied: pytest takes a fixture from any module attribute.
settings = test_feeds.settings
clock = test_feeds.clock
briefing = test_feeds.briefing
poller = test_feeds.poller


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    settings = slack_settings(
        database_url, tmp_path, api, allow_private_urls=True, fetch_host_delay=0
    )
    yield from run_app(settings, api)


# ---------------------------------------------------------------------- /brief add


def test_brief_add_fetches_the_url_as_typed_even_when_it_ends_in_punctuation(
    running: Running, web: WebStandIn
) -> None:
    """``/brief add https://en.wikipedia.org/wiki/Yahoo!`` fetched ``.../wiki/Yahoo``: the
    command's text loses its trailing " .?!" before the subcommand is matched, URL and
    all, so another page (or a 404) is what the user gets."""
    url = web.page(
        "/wiki/Yahoo!",
        article_page("Yahoo! the company", "Yahoo! is a web portal.\n\nIt was founded in 1994."),
    )
    web.page("/wiki/Yahoo", article_page("Yahoo (disambiguation)", "Yahoo may refer to many."))
    running.slack.command("/brief", f"add {url}", running.api.response_url("add"))
    reply = running.api.wait_for("response_url:add")[0]
    text = block_text(reply.params.get("blocks") or []) or reply.params["text"]
    assert [r.path for r in web.requests()] == ["/wiki/Yahoo!"], text
    assert "Yahoo! the company" in text


# ---------------------------------------------------------------------- feeds


def test_a_feed_listed_oldest_first_still_gets_its_newest_entries(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feeds.py promises entries are dealt with "newest first", at most MAX_ENTRIES (100)
    of them; parse_feed keeps the first 100 in document order. A feed that lists its
    entries oldest first (an archive feed past 100 entries) has its newest entries
    dropped on every poll: the user follows it and never sees a new article from it.
    (MAX_ENTRIES is lowered to 5 here only to keep the test fast.)"""
    monkeypatch.setattr("bot.core.feedparse.MAX_ENTRIES", 5)
    items = []
    for n in range(8):
        day = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n)
        items.append(
            {
                "title": f"Story {n}",
                "link": web.url(f"/n/{n}"),
                "guid": f"g{n}",
                "pubDate": day.strftime("%a, %d %b %Y 10:00:00 +0000"),
                "description": f"Summary number {n} of the archive, about topic {n}.",
            }
        )
    web.page("/n/7", article_page("The newest story", "The newest story happened today."))
    url = web.page("/rss.xml", rss(web, items), content_type="application/rss+xml")
    poller.add(url)
    poller.poll()
    titles = {s.title for s in briefing.sources()}
    assert "The newest story" in titles, sorted(titles)


def test_a_feed_added_by_its_redirecting_url_is_not_followed_twice(
    poller: FeedPoller, web: WebStandIn
) -> None:
    """``/brief feeds add http://site/feed`` (which redirects to /rss.xml) then
    ``/brief feeds add http://site/rss.xml``: both are accepted, so the sources list shows
    the same feed twice and the publisher is polled twice an interval. The feed is stored
    under the url typed, not the one it was fetched from (feeds.py add())."""
    feed = web.page("/rss.xml", rss(web, []), content_type="application/rss+xml")
    web.redirect("/feed", feed, status=301)
    poller.add(web.url("/feed"))
    with pytest.raises(InputError, match="already following"):
        poller.add(feed)
    assert len(poller.list()) == 1


def test_unfollowing_a_feed_while_it_is_polled_stops_the_poll_quietly(
    briefing: Briefing,
    poller: FeedPoller,
    web: WebStandIn,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``/brief feeds remove 1`` while the clock polls that feed: the user is told
    "Stopped following", but the poll goes on storing the entry in hand, then dies on the
    entry record (a foreign key to the deleted feed) with a traceback in the log
    ("polling feed ... failed unexpectedly ... IntegrityError")."""
    for n in range(3):
        web.page(f"/n/{n}", article_page(f"Story {n}", f"Story {n} text.\n\nMore on {n}."))
    items = [{"title": f"Story {n}", "link": web.url(f"/n/{n}"), "guid": f"g{n}"} for n in range(3)]
    url = web.page("/rss.xml", rss(web, items), content_type="application/rss+xml")
    feed = poller.add(url)
    real = FeedPoller._article

    def removed_meanwhile(self: FeedPoller, *args: Any) -> Any:
        if self.list():
            poller.remove(str(feed.id))  # another process: the Slack app
        return real(self, *args)

    monkeypatch.setattr(FeedPoller, "_article", removed_meanwhile)
    with caplog.at_level(logging.INFO):
        report = poller.poll_due(START)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert all("unexpected" not in (f.error or "") for f in report.feeds), report.as_dict()
    # nothing from the removed feed is stored after the user was told it stopped
    assert not any(s.title.startswith("Story") for s in briefing.sources())


# ---------------------------------------------------------------------- who waits for whom


@pytest.fixture
def slow_fetch(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    """The app with a short fetch timeout (a whole fetch: 3 x 2 s)."""
    settings = slack_settings(
        database_url, tmp_path, api, allow_private_urls=True, fetch_host_delay=0, fetch_timeout=2
    )
    yield from run_app(settings, api)


def test_slow_pages_added_from_slack_do_not_hold_up_everyone_s_answers(
    slow_fetch: Running, web: WebStandIn
) -> None:
    """Four ``/brief add`` of a page that trickles in a byte a second (the harness's answer pool has
    four workers; production's has BRIEFBOT_ANSWER_WORKERS, 8) take every worker for the
    whole fetch deadline (3 x BRIEFBOT_FETCH_TIMEOUT: a minute by default), so another
    user's question waits that long before it even starts. Nothing limits how many adds
    one user may have in flight."""
    running = slow_fetch
    for n in range(4):
        url = web.drip(f"/slow/{n}", pieces=40, every=1.0)  # never a 2 s silence
        running.slack.command("/brief", f"add {url}", running.api.response_url(f"add{n}"))
    running.slack.command(
        "/brief", "What does the memorandum commit to?", running.api.response_url("q"), user="U2"
    )
    reply = running.api.wait_for("response_url:q", timeout=3.0)[0]
    assert "non-binding" in block_text(reply.params["blocks"])


def test_a_page_that_failed_once_is_not_left_as_its_feed_summary_for_good(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn, clock: WallClock
) -> None:
    """The entry's page answers 503 on the first poll (a site busy for a minute, or
    rate-limiting the burst of page fetches a poll makes): the feed's one-line summary is
    stored instead, and the entry is recorded as done. The page is never fetched again,
    so the article stays a one-line summary for good: answers cite the teaser, not the
    article, and nothing says so outside ``feeds poll --json``."""
    web.page("/news/ruling", "<p>Busy</p>", status=503, headers={"Retry-After": "60"})
    teaser = {
        "title": "Court rules on the pact",
        "link": web.url("/news/ruling"),
        "guid": "g:ruling",
        "description": "The court ruled on the pact.",
    }
    url = web.page("/rss.xml", rss(web, [teaser]), content_type="application/rss+xml",
                   etag='"v1"')  # fmt: skip
    poller.add(url)
    first = poller.poll().feeds[0].entries[0]
    assert first.from_summary  # the page was busy: the summary stands in, for now
    web.page(
        "/news/ruling",
        article_page(
            "Court rules on the pact",
            "The court struck down the clause on Monday, by four votes to one.\n\n"
            "The dissent said the pact was never binding.",
        ),
    )
    web.page("/rss.xml", rss(web, [teaser]), content_type="application/rss+xml", etag='"v2"')
    for _ in range(3):
        clock.advance(INTERVAL)
        poller.poll()
    texts = [t for t, title in briefing.chunk_texts() if title == "Court rules on the pact"]
    assert any("four votes to one" in t for t in texts), texts


def test_entries_that_share_one_guid_are_each_stored(
    briefing: Briefing, poller: FeedPoller, web: WebStandIn
) -> None:
    """A feed whose generator gives every entry the same <guid> (the site's home page, a
    template's constant): entries are known by their guid alone, so after the first one
    every other entry, with its own link and its own story, is taken for one already
    seen ("unchanged") and is never fetched, on this poll or any later one."""
    stories = {
        "/news/a": ("Honduras reviews the border pact", "Honduras will review the pact."),
        "/news/b": ("Aid freeze hits Guatemala", "Programmes in Guatemala began closing."),
        "/news/c": ("Lawyers challenge turn-backs", "Lawyers asked a court to review it."),
    }
    items = []
    for path, (title, body) in stories.items():
        web.page(path, article_page(title, body + "\n\nMore follows."))
        items.append({"title": title, "link": web.url(path), "guid": web.url("/")})
    url = web.page("/rss.xml", rss(web, items), content_type="application/rss+xml")
    poller.add(url)
    report = poller.poll().feeds[0]
    titles = {s.title for s in briefing.sources()}
    missing = [t for t, _ in stories.values() if t not in titles]
    assert missing == [], [e.as_dict() for e in report.entries]
