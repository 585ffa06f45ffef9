"""Slash commands: /brief (answers, help, sources; add and feeds live in
:mod:`.web_sources`) and /quote (verbatim quotes).

Both ack at once with a short ephemeral "working on it"; the answer replaces it when ready,
privately, with a button to share it in the channel.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.context import BoltContext

from bot.core.models import ExchangeContext
from bot.errors import BriefbotError
from bot.slack.blocks import (
    answer_message,
    escape,
    fit,
    help_message,
    quotes_message,
    sources_blocks,
    truncate,
)
from bot.slack.conversation import Apologise, Services, answer_view, unescape_slack
from bot.slack.listeners import web_sources

QUOTE_LIMIT = 3


def _context(command: dict[str, Any], context: BoltContext, surface: str) -> ExchangeContext:
    return ExchangeContext(
        surface=surface,
        workspace=context.team_id,
        channel=command.get("channel_id"),
        user=command.get("user_id"),
    )


def privately(respond: Respond) -> Apologise:
    """Replace the command's "working on it" message with ``text``, visible only to the
    person who typed the command."""

    def say(text: str) -> None:
        respond(response_type="ephemeral", replace_original=True, text=text)

    return say


def register(app: App, services: Services) -> None:
    @app.command("/brief")
    def brief(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        text = " ".join(unescape_slack(str(command.get("text") or "")).split())
        if text.lower() in ("", "help"):
            help_text, blocks = help_message(services.briefing.profile)
            ack(response_type="ephemeral", text=help_text, blocks=blocks)
            return
        if text.lower() == "sources":
            ack(response_type="ephemeral", text="Listing the sources…")
            services.submit(
                lambda: respond(
                    response_type="ephemeral",
                    replace_original=True,
                    text="The sources",
                    blocks=fit(sources_blocks([s.as_dict() for s in services.briefing.sources()])),
                ),
                apologise=privately(respond),
                doing="listing the sources",
            )
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
            fallback, blocks = answer_message(answer_view(result), share=True)
            respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks)

        services.submit(answer, apologise=privately(respond))

    @app.command("/quote")
    def quote(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        topic = " ".join(unescape_slack(str(command.get("text") or "")).split())
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
            data = [{**q.as_dict(), "source": q.source} for q in quotes]
            fallback, blocks = quotes_message(topic, data, exchange_id)
            respond(response_type="ephemeral", replace_original=True, text=fallback, blocks=blocks)

        services.submit(find, apologise=privately(respond), doing="finding quotes")
