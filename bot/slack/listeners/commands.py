"""Slash commands: /brief (answers, help, sources; the digest's subcommands live in
:mod:`bot.slack.listeners.digest`, add and feeds in :mod:`.web_sources`) and /quote
(verbatim quotes).

Both ack at once with a short ephemeral "working on it"; the answer replaces it when ready,
privately, with a button to share it in the channel.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.context import BoltContext

from bot.core.models import ExchangeContext
from bot.errors import BriefbotError
from bot.slack.answer_blocks import answer_message, help_message, quotes_message, sources_blocks
from bot.slack.blocks import fit, truncate
from bot.slack.listeners import web_sources
from bot.slack.listeners.digest import SUBCOMMANDS, brief_subcommand
from bot.slack.mrkdwn import escape, unescape
from bot.slack.reply import privately
from bot.slack.services import SlackServices

QUOTE_LIMIT = 3


def _context(command: dict[str, Any], context: BoltContext, surface: str) -> ExchangeContext:
    return ExchangeContext(
        surface=surface,
        workspace=context.team_id,
        channel=command.get("channel_id"),
        user=command.get("user_id"),
    )


def _typed(command: dict[str, Any]) -> str:
    """What was typed after the command, as typed (Slack sends ``&``, ``<``, ``>`` as
    entities), whitespace runs as one space."""
    return " ".join(unescape(str(command.get("text") or "")).split())


def register(app: App, services: SlackServices) -> None:
    @app.command("/brief")
    def brief(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        text = _typed(command)
        if text.lower() in ("", "help"):
            help_text, blocks = help_message(services.briefing.profile)
            ack(response_type="ephemeral", text=help_text, blocks=blocks)
            return
        if text.lower() == "sources":
            ack(response_type="ephemeral", text="Listing the sources…")
            services.jobs.submit(
                lambda: respond(
                    response_type="ephemeral",
                    replace_original=True,
                    text="The sources",
                    blocks=fit(sources_blocks(services.briefing.sources())),
                ),
                apologise=privately(respond, replace=True),
                doing="listing the sources",
            )
            return
        if text.lower() in SUBCOMMANDS:
            brief_subcommand(text.lower(), ack, command, context, respond, services)
            return
        if web_sources.handle(text, ack, command, respond, services):  # add, feeds
            return
        ack(response_type="ephemeral", text=truncate(f"Looking into: {escape(text)}"))

        def answer() -> None:
            try:
                result = services.briefing.ask(
                    text, context=_context(command, context, "slash_brief")
                )
            except BriefbotError as exc:  # AnswerFailed included: its message has the log id
                respond(response_type="ephemeral", replace_original=True, text=escape(exc.message))
                return
            fallback, blocks = answer_message(result, share=True)
            respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks)

        services.jobs.submit(answer, apologise=privately(respond, replace=True))

    @app.command("/quote")
    def quote(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        topic = _typed(command)
        if not topic:
            ack(
                response_type="ephemeral", text="Usage: `/quote <topic>`, e.g. `/quote non-binding`"
            )
            return
        ack(response_type="ephemeral", text=truncate(f"Finding quotes on: {escape(topic)}"))

        def find() -> None:
            try:
                quotes = services.briefing.quote(topic, QUOTE_LIMIT)
            except BriefbotError as exc:
                respond(response_type="ephemeral", replace_original=True, text=escape(exc.message))
                return
            exchange_id = services.briefing.log_quotes(
                topic, quotes, _context(command, context, "slash_quote")
            )
            shown = [q.as_citation(i) for i, q in enumerate(quotes, 1)]
            fallback, blocks = quotes_message(topic, shown, exchange_id)
            respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks)

        services.jobs.submit(
            find, apologise=privately(respond, replace=True), doing="finding quotes"
        )
