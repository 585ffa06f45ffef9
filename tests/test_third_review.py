"""Third-pass attacks on the latest fixes (adds on their own pool, thanks with a name,
/brief typos against the large word list, feeds that move). Each test fails on the code
it was written against (5b93f7a), for the reason its docstring gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from test_feeds import INTERVAL, START, rss
from test_slack_app import Running, block_text, run_app, slack_settings

from bot.core import feeds as feeds_module
from bot.core.briefing import Briefing
from bot.core.feeds import FeedPoller
from bot.core.models import Turn
from bot.errors import InputError
from conftest import FIXTURES, WallClock, make_settings
from standins import SlackAPIStandIn, WebStandIn
from storage.models import Article

NEWS = (FIXTURES / "web" / "news-article.html").read_text(encoding="utf-8")
QUESTION = "What does the memorandum commit the countries to?"
ANSWER = "The agreement is of a non-binding nature [1]."
HISTORY = (Turn("user", QUESTION), Turn("assistant", ANSWER))


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    settings = slack_settings(
        database_url, tmp_path, api, allow_private_urls=True, fetch_host_delay=0
    )
    yield from run_app(settings, api)


# ------------------------------------------------------------------ one add per user


@pytest.mark.parametrize("command", ["add https://[oops/x", "feeds add https://[oops/rss"])
def test_an_add_that_fails_before_its_fetch_does_not_lock_the_user_out(
    running: Running, web: WebStandIn, command: str
) -> None:
    """_add_page / _change_feeds take the user's turn (SourceFetches.begin) and only then
    build the "Fetching <url> …" ack: _shown -> link -> safe_url -> urlsplit raises
    ValueError ("Invalid IPv6 URL") for a URL with an unclosed "[". The listener fails
    between begin() and fetches.run(), so SourceFetches.end() is never called: every
    later /brief add or /brief feeds add by that user is refused with "I'm still
    fetching the last page or feed you added" until the process restarts."""
    slack, api = running.slack, running.api
    slack.command("/brief", command, api.response_url("bad"))
    running.settle()
    url = web.page("/world/honduras-border-pact", NEWS)
    response = slack.command("/brief", f"add {url}", api.response_url("good"))
    assert "still fetching" not in response.json()["text"], response.json()["text"]
    reply = api.wait_for("response_url:good")[0]
    assert "Added:" in block_text(reply.params["blocks"])


# ------------------------------------------------------------------ thanks, then a question


@pytest.mark.parametrize(
    "follow_up",
    ["ok, and the US", "thanks, any news", "ok, the latest", "ok, and then",
     "great, and before that", "ok and the team"],
)  # fmt: skip
def test_a_follow_up_after_thanks_made_of_small_words_is_still_a_question(
    briefing: Briefing, follow_up: str
) -> None:
    """phrasing.acknowledges (1f43ec4) now drops every STOPWORDS word from what follows
    the thanks before asking the articles about the rest (``named``); "us", "news",
    "latest", "then", "before", "since" are in STOPWORDS, "team" and "update" in
    _AROUND_ACKNOWLEDGING. So "ok, and the US" leaves nothing to look up and is taken for
    thanks, whatever the articles say: the follow-up is not condensed nor answered, and
    the asker gets the help reply ("I brief you on ... Ask me something specific").
    Before 1f43ec4 the "and" left over made it a question."""
    answer = briefing.ask(follow_up, history=HISTORY)
    assert answer.mode != "help", answer.answer


# ------------------------------------------------------------------ /brief typos


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("subscribes", "subscribe"), ("unsubscribed", "unsubscribe"), ("digests", "digest"),
     ("helo", "help"), ("hep", "help")],
)  # fmt: skip
def test_a_slip_on_a_subcommand_still_gets_did_you_mean(
    running: Running, typed: str, meant: str
) -> None:
    """_mistyped now counts any word of Zipf >= MIN_WORD_ZIPF (2.0) in wordfreq's *large*
    list as a word asked about. That list holds the subcommands' own inflections and
    common slips ("subscribes" 2.58, "unsubscribed" 2.02, "digests" 2.37, "helo" 2.52,
    "hep" 2.86), which the small list did not: someone who typed `/brief subscribes`
    wanting to subscribe is no longer told "Did you mean `/brief subscribe`?"; their
    "question" is looked up and logged instead."""
    running.slack.command("/brief", typed, running.api.response_url("w"))
    running.settle()
    said = " ".join(str(r.params.get("text")) for r in running.api.calls("response_url:w"))
    assert f"Did you mean `/brief {meant}`?" in said, said


# ------------------------------------------------------------------ feeds


@pytest.fixture
def feeds_briefing(database_url: str, tmp_path: Path) -> Iterator[tuple[Briefing, WallClock]]:
    settings = make_settings(database_url, tmp_path, allow_private_urls=True, fetch_host_delay=0)
    clock = WallClock(START)
    with Briefing.open(settings, clock=clock) as b:
        yield b, clock


def test_a_feed_that_moves_after_it_was_followed_is_not_followed_twice(
    feeds_briefing: tuple[Briefing, WallClock], web: WebStandIn
) -> None:
    """5889be3 follows a feed at the address it moved to, and refuses a second follow
    through it, but only when the move is seen at ``feeds add``. A feed followed before
    it moved keeps its old address for good: the poll follows the 301 every time and
    never records where the feed went (nothing in _poll_feed reads Fetched.moved_to).
    So adding the feed by its new address is accepted: the same feed is followed twice,
    listed twice and fetched twice at every poll, the promise of FeedPoller.add's
    docstring ("never followed, nor polled, twice") broken; and when the publisher
    drops the old redirect, the first one fails for good."""
    briefing, clock = feeds_briefing
    poller = FeedPoller(
        briefing.db, lambda: briefing.store, lambda: briefing.web.fetcher, INTERVAL, clock=clock
    )
    old = web.page("/old.xml", rss(web, []), content_type="application/rss+xml")
    assert poller.add(old).url == old
    new = web.page("/new.xml", rss(web, []), content_type="application/rss+xml")
    web.redirect("/old.xml", new, status=301)  # the publisher moves the feed for good
    assert poller.poll().feeds[0].status == "updated"
    clock.advance(INTERVAL)
    with pytest.raises(InputError, match="already following"):
        poller.add(new)
    assert len(poller.list()) == 1


class _SlowPages:
    """The fetcher, but each page of an entry costs ``cost`` seconds of the poll's
    (fake) time, as a page that stalls to the fetch timeout does."""

    def __init__(self, inner: object, now: list[float], cost: float) -> None:
        self.inner, self.now, self.cost = inner, now, cost

    def get(self, url: str, **kw: object) -> object:
        if "/news/" in url:
            self.now[0] += self.cost
        return self.inner.get(url, **kw)  # type: ignore[attr-defined]


def test_retried_summaries_do_not_starve_entries_never_tried(
    feeds_briefing: tuple[Briefing, WallClock],
    web: WebStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """fcdac1f tries the page of an entry stored from its summary again at the next
    polls (up to MAX_ATTEMPTS), and these retries come first (newest first) and spend
    the poll's POLL_BUDGET like new entries. When the site's pages fail slowly (each
    stalls to its timeout) and the feed gains entries every interval, each poll's
    budget goes to the new entries and the retries of the last two polls' entries: an
    older entry past the cut is skipped at every poll, never stored even from its
    summary, until it falls off the feed, a lost article. Before fcdac1f a summary was
    final, so the next poll reached it (here: the second poll stores a5 and a6)."""
    briefing, clock = feeds_briefing
    now = [0.0]
    monkeypatch.setattr(feeds_module, "time", type("T", (), {"monotonic": lambda: now[0]}))
    slow = _SlowPages(briefing.web.fetcher, now, cost=30.0)
    poller = FeedPoller(
        briefing.db,
        lambda: briefing.store,
        lambda: slow,  # type: ignore[arg-type,return-value]
        INTERVAL,
        clock=clock,
        budget=100.0,
    )

    def entry(name: str) -> dict[str, str]:
        web.page(f"/news/{name}", "<p>Busy</p>", status=503)
        return {"title": name, "link": web.url(f"/news/{name}"), "guid": f"g:{name}",
                "description": f"What {name} says about the memorandum."}  # fmt: skip

    names = [f"a{i}" for i in range(1, 7)]
    url = web.page("/rss.xml", rss(web, [entry(n) for n in names]),
                   content_type="application/rss+xml")  # fmt: skip
    poller.add(url)
    for batch in ("b", "c", "d", "e"):
        poller.poll()
        clock.advance(INTERVAL)
        names = [f"{batch}1", f"{batch}2", *names]  # two new entries, newest first
        web.page("/rss.xml", rss(web, [entry(n) for n in names]),
                 content_type="application/rss+xml")  # fmt: skip
    with briefing.db.session() as s:
        stored = set(s.scalars(select(Article.origin)))
    assert web.url("/news/a5") in stored and web.url("/news/a6") in stored, sorted(stored)
