"""``/brief add <url>`` and ``/brief feeds [add <url> | remove <url|id>]``: web sources.

Listing the feeds is for everyone. Adding an article and adding or removing a feed is for
the Slack users in ``BRIEFBOT_ADMINS`` (everyone when it is unset); anyone else gets a
polite no, and nothing is fetched. Every reply is ephemeral: it acks at once ("Fetching
…"), and the result replaces it.

Adding fetches on a pool of its own, apart from the answers, and one add at a time per
user (:mod:`bot.slack.source_fetches`): a user who adds while their last add is still
being fetched is asked to wait for it, and nothing more is fetched.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from slack_bolt import Ack, Respond

from bot.errors import BriefbotError
from bot.slack.blocks import fit, truncate
from bot.slack.mrkdwn import command_word, escape, link, link_target, without_sentence_end
from bot.slack.reply import privately, respond_checked
from bot.slack.services import SlackServices
from bot.slack.source_fetches import Reply
from bot.slack.web_source_blocks import added_page_message, feeds_blocks

NOT_ALLOWED = (
    "Sorry, only briefbot's admins can change the sources from Slack. "
    "Ask one of them to add it for you."
)
ADD_USAGE = "Usage: `/brief add &lt;url&gt;`, e.g. `/brief add https://example.org/story`"
STILL_FETCHING = (
    "I'm still fetching the last page or feed you added. "
    "Please add this one again once that one's answer is in."
)


def _shown(url: str) -> str:
    """A URL someone typed, as a link (escaped, and only if it is http(s))."""
    return link(url, url)


def handle(
    text: str, ack: Ack, command: dict[str, Any], respond: Respond, services: SlackServices
) -> bool:
    """Handle ``text`` (the command's text as typed) if it is one of these subcommands;
    False if it is not (then it is a question). "add" counts only alone (its usage) or
    followed by a single URL-like word, so "add up the aid cuts?" is still a question.

    The subcommand's words are read without a sentence's end ("feeds?", "feeds list.":
    :func:`~bot.slack.mrkdwn.command_word`), what they act on as typed: a URL's last "!"
    or "." is its own (``/brief add https://en.wikipedia.org/wiki/Yahoo!`` is that
    page, not ``.../wiki/Yahoo``). Only a feed's id loses one ("feeds remove 1.")."""
    words = text.split()
    if not words:
        return False
    head = command_word(words[0])
    user = command.get("user_id")
    if head == "add" and len(words) == 1:
        ack(response_type="ephemeral", text=ADD_USAGE)
        return True
    if head == "add" and len(words) == 2 and _url_like(words[1]):
        _add_page(link_target(words[1]), user, ack, respond, services)
        return True
    if head != "feeds":
        return False
    action = command_word(words[1]) if len(words) > 1 else "list"
    if action == "list" and len(words) <= 2:
        _list_feeds(ack, respond, services)
    elif action in ("add", "remove") and len(words) == 3:
        _change_feeds(action, _feed_named(words[2]), user, ack, respond, services)
    else:
        ack(
            response_type="ephemeral",
            text=(
                "Usage: `/brief feeds`, `/brief feeds add &lt;url&gt;` or "
                "`/brief feeds remove &lt;id&gt;`"
            ),
        )
    return True


#: A web address as people write it without its scheme: "www.example.org",
#: "example.org/news/pact.html" (host names of letters, digits and hyphens, then a top
#: level domain of letters, then perhaps a port and a path).
_BARE_ADDRESS = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,24}(?::[0-9]{1,5})?(?:/\S*)?", re.IGNORECASE)


def _url_like(word: str) -> bool:
    """A URL as typed, or as Slack sends a link (``<https://…>``), or an address without
    its scheme (which the fetch then refuses, saying why: see :data:`_BARE_ADDRESS`)."""
    return (
        "://" in word
        or word.startswith("<")
        or _BARE_ADDRESS.fullmatch(without_sentence_end(word)) is not None
    )


def _feed_named(word: str) -> str:
    """The feed ``word`` names: a URL as typed, an id without a sentence's end."""
    return link_target(word) if _url_like(word) else without_sentence_end(word)


def _add_page(
    url: str, user: str | None, ack: Ack, respond: Respond, services: SlackServices
) -> None:
    if not services.settings.may_change_sources(user):
        ack(response_type="ephemeral", text=NOT_ALLOWED)
        return
    fetching = truncate(f"Fetching {_shown(url)} …")  # before the turn: see _turn_taken
    if not _turn_taken(user, ack, services):
        return
    ack(response_type="ephemeral", text=fetching)

    def add() -> Reply:
        try:
            page = services.briefing.web.add_page(url)
        except BriefbotError as exc:
            say = f"Nothing was added from {_shown(url)}: {escape(exc.message)}"
            return partial(respond_checked, respond, truncate(say), replace=True, what=WHAT)
        fallback, blocks = added_page_message(page)
        return partial(
            respond_checked, respond, fallback, blocks, replace=True, what="the added article"
        )

    services.fetches.run(
        user, add, apologise=privately(respond, replace=True), doing="adding the article"
    )


#: What the replies of ``/brief add`` and ``/brief feeds add|remove`` are, for the log.
WHAT = "the reply to /brief add or feeds"


def _turn_taken(user: str | None, ack: Ack, services: SlackServices) -> bool:
    """Take the user's turn to add a source; if their last add is still being fetched,
    ack with a polite "still fetching" and return False.

    Only :meth:`SourceFetches.run` gives the turn back, so the caller takes it last,
    right before its ack and ``run``: whatever may fail on what the user typed (the ack's
    text, built from their URL) is done before, or a failure there would keep their
    turn, and refuse all their adds, until the process restarts."""
    if services.fetches.begin(user):
        return True
    ack(response_type="ephemeral", text=STILL_FETCHING)
    return False


def _list_feeds(ack: Ack, respond: Respond, services: SlackServices) -> None:
    ack(response_type="ephemeral", text="Listing the feeds…")

    def show() -> None:
        feeds = services.briefing.web.feeds.list()
        respond_checked(
            respond,
            f"Feeds ({len(feeds)})",
            fit(feeds_blocks(feeds)),
            replace=True,
            what="the list of feeds",
        )

    services.jobs.submit(
        show, apologise=privately(respond, replace=True), doing="listing the feeds"
    )


def _change_feeds(
    action: str, ref: str, user: str | None, ack: Ack, respond: Respond, services: SlackServices
) -> None:
    if not services.settings.may_change_sources(user):
        ack(response_type="ephemeral", text=NOT_ALLOWED)
        return
    doing = "Fetching the feed" if action == "add" else "Removing the feed"
    acked = truncate(f"{doing} {_shown(ref)} …")  # before the turn: see _turn_taken
    if action == "add" and not _turn_taken(user, ack, services):
        return
    ack(response_type="ephemeral", text=acked)

    def change() -> Reply:
        feeds = services.briefing.web.feeds
        try:
            row = feeds.add(ref) if action == "add" else feeds.remove(ref)
        except BriefbotError as exc:
            say = f"Could not {action} the feed {_shown(ref)}: {escape(exc.message)}"
            return partial(respond_checked, respond, truncate(say), replace=True, what=WHAT)
        name = link(row.url, row.title or row.url)
        said = (
            f"Now following {name}. Its new entries are added at the next poll."
            if action == "add"
            else f"Stopped following {name}. Articles already added from it stay."
        )
        return partial(respond_checked, respond, truncate(said), replace=True, what=WHAT)

    apologise = privately(respond, replace=True)
    if action == "add":  # a fetch: on the fetch pool, in the user's turn
        services.fetches.run(user, change, apologise=apologise, doing="adding the feed")
    else:  # the database only: with the answers

        def remove() -> None:
            change()()

        services.jobs.submit(remove, apologise=apologise, doing="removing the feed")
