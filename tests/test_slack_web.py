"""``/brief add <url>`` and ``/brief feeds`` over signed HTTP, with the web stand-in.

Who may change the sources: ``BRIEFBOT_ADMINS`` or, when it is unset, everyone. Replies
are ephemeral, replace the "working on it" ack, and escape everything a page says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_slack_app import Running, block_text, run_app, slack_settings

from conftest import FIXTURES
from standins import SlackAPIStandIn, WebStandIn

NEWS = (FIXTURES / "web" / "news-article.html").read_text(encoding="utf-8")
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger World</title>
<link>{root}/</link><description>d</description></channel></rss>"""


def _running(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, admins: str | None
) -> Iterator[Running]:
    settings = slack_settings(
        database_url,
        tmp_path,
        api,
        allow_private_urls=True,
        fetch_host_delay=0,
        admins=admins,
    )
    yield from run_app(settings, api)


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from _running(database_url, tmp_path, api, None)


@pytest.fixture
def guarded(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    """The app with BRIEFBOT_ADMINS set to UADMIN."""
    yield from _running(database_url, tmp_path, api, "UADMIN")


def test_brief_add_stores_the_page_and_says_what_it_stored(
    running: Running, web: WebStandIn
) -> None:
    url = web.page("/world/honduras-border-pact", NEWS)
    response = running.slack.command("/brief", f"add <{url}>", running.api.response_url("add"))
    assert response.status == 200
    assert response.json()["response_type"] == "ephemeral"
    assert "Fetching" in response.json()["text"]
    reply = running.api.wait_for("response_url:add")[0]
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["replace_original"] is True
    text = block_text(reply.params["blocks"])
    assert f"Added: *<{url}|Honduras weighs exit from border pact>*" in text
    assert "The Harbour Ledger, 2019-06-14" in text
    assert "passage" in text
    assert any(s.url == url for s in running.briefing.sources())


def test_brief_add_says_why_nothing_was_stored(running: Running, web: WebStandIn) -> None:
    url = web.url("/missing")
    running.slack.command("/brief", f"add {url}", running.api.response_url("add"))
    reply = running.api.wait_for("response_url:add")[0]
    said = reply.params["text"]
    assert said.startswith(f"Nothing was added from <{url}|")
    assert said.endswith(">: HTTP 404 Not Found")
    assert "blocks" not in reply.params


def test_brief_add_refuses_private_addresses_by_default(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, web: WebStandIn
) -> None:
    settings = slack_settings(database_url, tmp_path, api, fetch_host_delay=0)
    web.page("/a", NEWS)
    for running in run_app(settings, api):
        running.slack.command("/brief", f"add {web.url('/a')}", api.response_url("add"))
        reply = api.wait_for("response_url:add")[0]
        assert "refused: 127.0.0.1 is a loopback address" in reply.params["text"]
        # A name is refused by the kind of address it has; what it resolves to is the
        # operator's to know (the application log has it), not the Slack user's.
        named = web.url("/a").replace("127.0.0.1", "localhost")
        running.slack.command("/brief", f"add {named}", api.response_url("named"))
        said = api.wait_for("response_url:named")[0].params["text"]
        assert "refused: localhost is not a public address: it is a loopback address" in said
        assert "127.0.0.1" not in said and "::1" not in said
    assert web.requests() == []


def test_only_admins_may_add_when_admins_are_set(guarded: Running, web: WebStandIn) -> None:
    url = web.page("/a", NEWS)
    response = guarded.slack.command("/brief", f"add {url}", guarded.api.response_url("no"))
    assert response.json()["response_type"] == "ephemeral"
    assert response.json()["text"].startswith("Sorry, only briefbot's admins")
    guarded.settle()
    assert web.requests() == []
    assert guarded.api.calls("response_url:no") == []
    guarded.slack.command("/brief", f"add {url}", guarded.api.response_url("yes"), user="UADMIN")
    assert "Added:" in block_text(guarded.api.wait_for("response_url:yes")[0].params["blocks"])


def test_feeds_are_listed_for_everyone_and_changed_by_admins(
    guarded: Running, web: WebStandIn
) -> None:
    feed = web.page("/rss.xml", RSS.format(root=web.root), content_type="application/rss+xml")
    refused = guarded.slack.command("/brief", f"feeds add {feed}", guarded.api.response_url())
    assert refused.json()["text"].startswith("Sorry, only briefbot's admins")
    guarded.slack.command(
        "/brief", f"feeds add <{feed}|{feed}>", guarded.api.response_url("add"), user="UADMIN"
    )
    added = guarded.api.wait_for("response_url:add")[0].params["text"]
    assert (
        added == f"Now following <{feed}|Ledger World>. Its new entries are added at the next poll."
    )
    guarded.slack.command("/brief", "feeds", guarded.api.response_url("list"), user="U2")
    listing = block_text(guarded.api.wait_for("response_url:list")[0].params["blocks"])
    assert "*Feeds (1)*" in listing and "Ledger World" in listing
    assert "last poll never" in listing
    removed = guarded.slack.command("/brief", "feeds remove 1", guarded.api.response_url())
    assert removed.json()["text"].startswith("Sorry")
    guarded.slack.command("/brief", "feeds remove 1", guarded.api.response_url("rm"), user="UADMIN")
    assert guarded.api.wait_for("response_url:rm")[0].params["text"].startswith("Stopped following")
    assert guarded.briefing.web.feeds.list() == []


def test_feeds_subcommands_are_read_past_a_sentence_end_their_urls_are_not(
    running: Running, web: WebStandIn
) -> None:
    """ "feeds?" and "feeds remove 1." are the subcommands, as "digest?" is; a URL keeps
    every character it was typed with (a feed at ".../rss!" is that feed)."""
    feed = web.page("/rss!", RSS.format(root=web.root), content_type="application/rss+xml")
    running.slack.command("/brief", f"feeds add {feed}", running.api.response_url("add"))
    assert running.api.wait_for("response_url:add")[0].params["text"].startswith("Now following")
    assert [f.url for f in running.briefing.web.feeds.list()] == [feed]
    running.slack.command("/brief", "feeds?", running.api.response_url("list"))
    assert "*Feeds (1)*" in block_text(
        running.api.wait_for("response_url:list")[0].params["blocks"]
    )
    running.slack.command("/brief", "feeds remove 1.", running.api.response_url("rm"))
    assert running.api.wait_for("response_url:rm")[0].params["text"].startswith("Stopped following")
    assert running.briefing.web.feeds.list() == []


def test_page_text_reaches_slack_escaped(running: Running, web: WebStandIn) -> None:
    hostile = (
        "<html><head><title>x</title>"
        '<meta property="og:title" content="&lt;!channel&gt; @here read &lt;http://evil.example|this&gt;">'
        '<meta property="og:site_name" content="&lt;@U999&gt; News">'
        "</head><body><article><p>Officials signed the memorandum on border security in "
        "Tegucigalpa after two days of talks.</p><p>Critics said it ignores asylum.</p>"
        "</article></body></html>"
    )
    url = web.page("/hostile", hostile)
    running.slack.command("/brief", f"add {url}", running.api.response_url("h"))
    reply = running.api.wait_for("response_url:h")[0]
    text = block_text(reply.params["blocks"]) + reply.params["text"]
    assert "<!channel>" not in text and "<@U999>" not in text and "<http://evil" not in text
    assert "&lt;!channel&gt;" in text and "@\u200bhere" in text


def test_a_question_that_starts_with_add_is_still_a_question(running: Running) -> None:
    response = running.slack.command(
        "/brief", "add up the aid that was cut?", running.api.response_url("q")
    )
    assert "Looking into" in response.json()["text"]


@pytest.mark.parametrize("text", ["add", "Add?"])
def test_brief_add_alone_says_how_to_add(running: Running, text: str) -> None:
    """``/brief add`` with no address is someone asking how to add a page, as
    ``/brief feeds add`` with none is: it was answered as the question "add" (a passage
    that says "in addition"), and logged as one."""
    response = running.slack.command("/brief", text, running.api.response_url("a"))
    assert response.json()["text"].startswith("Usage: `/brief add &lt;url&gt;`")
    running.settle()
    assert running.api.calls("response_url:a") == []
    assert running.briefing.log.export() == []


@pytest.mark.parametrize("address", ["www.example.org/story", "example.org/news/pact.html"])
def test_brief_add_of_an_address_without_its_scheme_is_an_add(
    running: Running, address: str
) -> None:
    """An address typed as people write it, without "https://", is a page someone wants
    added: they are told why it cannot be fetched, not answered "Not in the sources" as
    if they had asked about it."""
    response = running.slack.command("/brief", f"add {address}", running.api.response_url("a"))
    assert "Fetching" in response.json()["text"]
    said = running.api.wait_for("response_url:a")[0].params["text"]
    assert said.startswith("Nothing was added from") and "http and https" in said
    running.settle()
    assert running.briefing.log.export() == []


def test_feeds_usage(running: Running) -> None:
    response = running.slack.command("/brief", "feeds frobnicate", running.api.response_url())
    assert response.json()["text"].startswith("Usage: `/brief feeds`")


def test_adds_are_fetched_apart_from_the_answers_one_at_a_time_per_user(
    running: Running, web: WebStandIn
) -> None:
    """While the pages and feeds added from Slack wait to be fetched (their own pool is
    held here), questions are answered all the same; a user whose add is in flight is
    asked to wait for it, and nothing is fetched for that second add; another user's
    add goes ahead; once the first add's answer is in, the user may add again."""
    a, b = web.page("/a", NEWS), web.page("/b", NEWS.replace("Honduras", "Guatemala"))
    feed = web.page("/rss.xml", RSS.format(root=web.root), content_type="application/rss+xml")
    slack, api = running.slack, running.api
    with running.fetches.held():
        first = slack.command("/brief", f"add {a}", api.response_url("a"))
        assert "Fetching" in first.json()["text"]
        for again in (f"add {b}", f"feeds add {feed}"):
            refused = slack.command("/brief", again, api.response_url("again")).json()
            assert refused["text"].startswith("I'm still fetching the last page or feed you added")
        other = slack.command("/brief", f"add {b}", api.response_url("b"), user="U2")
        assert "Fetching" in other.json()["text"]
        slack.command("/brief", "What does the memorandum commit to?", api.response_url("q"))
        answer = api.wait_for("response_url:q")[0]
        assert "non-binding" in block_text(answer.params["blocks"])
        assert web.requests() == []
    assert "Added:" in block_text(api.wait_for("response_url:a")[0].params["blocks"])
    assert "Added:" in block_text(api.wait_for("response_url:b")[0].params["blocks"])
    running.slack.command("/brief", f"feeds add {feed}", api.response_url("feed"))
    assert api.wait_for("response_url:feed")[0].params["text"].startswith("Now following")
    assert api.calls("response_url:again") == []
    assert sorted(r.path for r in web.requests()) == ["/a", "/b", "/rss.xml"]
