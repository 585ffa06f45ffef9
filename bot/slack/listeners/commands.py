"""Slash commands: /brief (answers, help, sources; the digest's subcommands live in
:mod:`bot.slack.listeners.digest`, add and feeds in :mod:`.web_sources`) and /quote
(verbatim quotes).

Both ack at once with a short ephemeral "working on it"; the answer replaces it when ready,
privately, with a button to share it in the channel.
"""

from __future__ import annotations

import difflib
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.context import BoltContext

from bot.core.briefing import Briefing
from bot.core.frequency import zipf
from bot.core.models import ExchangeContext
from bot.errors import BriefbotError
from bot.slack.answer_blocks import answer_message, help_message, quotes_message, sources_blocks
from bot.slack.blocks import fit, truncate
from bot.slack.listeners import web_sources
from bot.slack.listeners.digest import SUBCOMMANDS, brief_subcommand
from bot.slack.mrkdwn import command_text, command_word, escape
from bot.slack.reply import privately, respond_checked
from bot.slack.services import SlackServices

QUOTE_LIMIT = 3
#: What ``/brief`` takes as one word, besides a question.
ONE_WORD_SUBCOMMANDS = ("help", "sources", *SUBCOMMANDS, "feeds")
#: How close (difflib's ratio) a word must be to a subcommand to be taken for a typo of
#: it: stricter than click's 0.6 for the CLI, where a miss is an error anyway, since here
#: the alternative is answering a question ("subcribe" 0.94, "digset" 0.83, "hlep" 0.75).
TYPO_CUTOFF = 0.75
#: From this Zipf frequency in wordfreq's large English list a word is a word, not a typo:
#: written once in ten million words or more. Surnames and specialist terms ("Soares"
#: 2.5, "substations" 2.5, "divest" 2.9, "feuds" 2.9) are above it; the list's tail
#: below holds the misspellings people make often enough to be counted ("subcribe" 1.2,
#: "suscribe" 1.1).
MIN_WORD_ZIPF = 2.0
#: Up to this many letters a word must be in wordfreq's small list (or the articles) to
#: be a word: the large list's short tail is abbreviations, slang and slips ("hep" 2.9,
#: "hel" 3.0, "helo" 2.5, "halp" 2.1), and a short word close to a subcommand ("help")
#: is far likelier a slip than a question. Short words people ask about ("fees") are in
#: the small list; a rarer one the articles use ("kelp" in a story on it) is still asked.
SHORT_WORD = 4
#: The endings that make a subcommand another word ("subscribes", "unsubscribed",
#: "digests"): written so, it is the subcommand mistyped, whatever the word lists say.
INFLECTIONS = ("s", "es", "d", "ed")


def _context(command: dict[str, Any], context: BoltContext, surface: str) -> ExchangeContext:
    return ExchangeContext(
        surface=surface,
        workspace=context.team_id,
        channel=command.get("channel_id"),
        user=command.get("user_id"),
    )


def _typed(command: dict[str, Any]) -> str:
    """What was typed after the command, as its user saw it (see :func:`command_text`)."""
    return command_text(str(command.get("text") or ""))


def _mistyped(word: str, briefing: Briefing) -> str | None:
    """The subcommand ``word`` (one word, not a subcommand) is a typo of, if any: close
    to one (:data:`TYPO_CUTOFF`, by difflib, as click's "Did you mean" for the CLI) and
    no word (:func:`_a_word`). "subcribe" means ``subscribe``; "fees", "source",
    "Soares" or "divest", being words, are questions (one-word ones, but asked)."""
    if not word.isalpha():
        return None
    inflected = _inflected(word)
    if inflected is not None:
        return inflected
    close = difflib.get_close_matches(word, ONE_WORD_SUBCOMMANDS, n=1, cutoff=TYPO_CUTOFF)
    if not close or _a_word(word, briefing):
        return None
    return close[0]


def _inflected(word: str) -> str | None:
    """The subcommand ``word`` is with one of :data:`INFLECTIONS` ("subscribes",
    "digests", "helped"), if any. Such a word is a slip on the subcommand even when it
    is English and the articles use it: a one-word question "digests" or "subscribes"
    asks nothing the subcommand's name does not, and the person is told what to type."""
    for sub in ONE_WORD_SUBCOMMANDS:
        if word.startswith(sub) and word[len(sub) :] in INFLECTIONS:
            return sub
    return None


def _a_word(word: str, briefing: Briefing) -> bool:
    """Is ``word`` a word someone may ask about, not a slip of the keys? It is when
    English writes it (:data:`MIN_WORD_ZIPF` in wordfreq's large list, past the small
    list's 30,000 common words that left out every name and specialist term) or when
    the stored articles use it (a name of the story, however rare elsewhere). Checked
    cheapest first, and only for a word close to a subcommand: the large list is read
    on the first such word, the articles' vocabulary looked up once. A short word
    (:data:`SHORT_WORD`) is not read in the large list, whose short words are mostly
    slips and abbreviations ("helo", "hep").

    Past the short words, neither the word's length nor its edit distance tells the two
    apart: "feuds" is one letter from "feeds" as "subcribe" is from "subscribe", and
    "Soares" two from "sources". (So "feets" and "fends", in the large list, stay
    questions: the cost of answering "feuds".)"""
    return (
        zipf(word) > 0
        or (len(word) > SHORT_WORD and zipf(word, wordlist="large") >= MIN_WORD_ZIPF)
        or bool(briefing.corpus_uses([word]))
    )


#: The subcommands that take nothing after them, and what each does where it is typed.
_SUBSCRIPTIONS = {
    "subscribe": "type `/brief subscribe` in the channel that should get the weekly digest",
    "unsubscribe": "type `/brief unsubscribe` in the channel that should stop getting it",
}


def _subscription_usage(word: str) -> str | None:
    """The one-line usage for ``/brief subscribe #general`` or ``/brief unsubscribe
    please``: a subscription command with more after it. It is no question, and the
    channel it names is not the one to subscribe (a command acts on the channel it is
    typed in, which Slack names), so nothing is answered and nothing subscribed. None
    for any other text."""
    first, _, rest = word.partition(" ")
    if not rest.strip() or first not in _SUBSCRIPTIONS:
        return None
    return f"`/brief {first}` takes nothing after it: {_SUBSCRIPTIONS[first]}."


def _deliver(
    respond: Respond,
    services: SlackServices,
    exchange_id: str | None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Replace the "working on it" reply with ``text`` (and ``blocks``), privately.

    A response_url that refuses (a 4xx or 5xx, ``"ok": false``, an expired URL) is tried
    once more with the text alone (:func:`respond_checked`), and if that fails too (or
    Slack does not answer) the exchange is marked "slack: delivery failed", as for an
    answer in a thread, so the log shows that its asker never saw it.
    """
    shorter = text if blocks else None
    if respond_checked(respond, text, blocks, replace=True, what="an answer", shorter=shorter):
        return
    if exchange_id:
        services.briefing.log.note_error(exchange_id, "slack: delivery failed")


def register(app: App, services: SlackServices) -> None:
    @app.command("/brief")
    def brief(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        text = _typed(command)
        word = command_word(text)
        if word in ("", "help"):
            help_text, blocks = help_message(services.briefing.profile)
            ack(response_type="ephemeral", text=help_text, blocks=blocks)
            return
        if word == "sources":
            ack(response_type="ephemeral", text="Listing the sources…")
            services.jobs.submit(
                lambda: respond_checked(
                    respond,
                    "The sources",
                    fit(sources_blocks(services.briefing.sources())),
                    replace=True,
                    what="the list of sources",
                ),
                apologise=privately(respond, replace=True),
                doing="listing the sources",
            )
            return
        if word in SUBCOMMANDS:
            brief_subcommand(word, ack, command, context, respond, services)
            return
        if web_sources.handle(text, ack, command, respond, services):
            return  # add, feeds (which read their URLs as typed)
        usage = _subscription_usage(word)
        if usage is not None:
            ack(response_type="ephemeral", text=usage)
            return
        meant = _mistyped(word, services.briefing)
        if meant is not None:
            # Told privately, and nothing answered or logged: "subcribe" asks no question.
            ack()
            tell = privately(respond, replace=False)
            suggestion = f"Did you mean `/brief {meant}`? (`/brief help` lists what I do.)"
            services.jobs.submit(lambda: tell(suggestion), apologise=tell)
            return
        ack(response_type="ephemeral", text=truncate(f"Looking into: {escape(text)}"))

        def answer() -> None:
            try:
                result = services.ask(text, _context(command, context, "slash_brief"))
            except BriefbotError as exc:  # AnswerFailed included: its message has the log id
                respond(response_type="ephemeral", replace_original=True, text=escape(exc.message))
                return
            fallback, blocks = answer_message(result, share=True)
            _deliver(respond, services, result.exchange_id, fallback, blocks)

        services.jobs.submit(answer, apologise=privately(respond, replace=True))

    @app.command("/quote")
    def quote(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        topic = _typed(command)
        if not topic:
            ack(
                response_type="ephemeral",
                text="Usage: `/quote &lt;topic&gt;`, e.g. `/quote non-binding`",
            )
            return
        ack(response_type="ephemeral", text=truncate(f"Finding quotes on: {escape(topic)}"))

        def find() -> None:
            try:
                quotes, exchange_id = services.briefing.quote_logged(
                    topic, QUOTE_LIMIT, _context(command, context, "slash_quote")
                )
            except BriefbotError as exc:  # AnswerFailed included: its message has the log id
                respond(response_type="ephemeral", replace_original=True, text=escape(exc.message))
                return
            shown = [q.as_citation(i) for i, q in enumerate(quotes, 1)]
            fallback, blocks = quotes_message(topic, shown, exchange_id)
            _deliver(respond, services, exchange_id, fallback, blocks)

        services.jobs.submit(
            find, apologise=privately(respond, replace=True), doing="finding quotes"
        )
