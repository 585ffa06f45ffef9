"""Buttons: show the cited passages, 👍/👎 feedback, and sharing a private answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.blocks import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SHARE_ANSWER,
    SHARE_QUOTES,
    SHOW_QUOTES,
    answer_message,
    quotes_blocks,
    quotes_message,
)
from bot.slack.conversation import Services

GONE = "That answer is no longer in the log (it may have been purged)."


def _user(body: dict[str, Any]) -> str | None:
    return (body.get("user") or {}).get("id")


def register(app: App, services: Services) -> None:
    @app.action(SHOW_QUOTES)
    def show_quotes(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        exchange = services.briefing.exchange(str(action.get("value")))
        if exchange is None:
            respond(response_type="ephemeral", replace_original=False, text=GONE)
            return
        respond(
            response_type="ephemeral",
            replace_original=False,
            text="The cited passages, verbatim",
            blocks=quotes_blocks(exchange["citations"], "*The cited passages, verbatim*"),
        )

    def feedback(value: int) -> Any:
        def handler(
            ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
        ) -> None:
            ack()
            stored = services.briefing.feedback(str(action.get("value")), value, _user(body))
            thanks = "Thanks, noted 👍" if value > 0 else "Thanks, noted 👎. We read every one."
            respond(
                response_type="ephemeral", replace_original=False, text=thanks if stored else GONE
            )

        return handler

    app.action(FEEDBACK_UP)(feedback(+1))
    app.action(FEEDBACK_DOWN)(feedback(-1))

    def share(render: Callable[[dict[str, Any], str | None], tuple[str, list[Any]]]) -> Any:
        """Post a private answer (or quotes) publicly, then remove the private copy."""

        def handler(
            ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond
        ) -> None:
            ack()
            exchange = services.briefing.exchange(str(action.get("value")))
            if exchange is None:
                respond(response_type="ephemeral", replace_original=False, text=GONE)
                return
            text, blocks = render(exchange, _user(body))
            respond(response_type="in_channel", replace_original=False, text=text, blocks=blocks)
            respond(delete_original=True)

        return handler

    app.action(SHARE_ANSWER)(share(lambda e, user: answer_message(e, shared_by=user)))
    app.action(SHARE_QUOTES)(
        share(lambda e, user: quotes_message(e["question"], e["citations"], None, shared_by=user))
    )
