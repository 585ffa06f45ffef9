"""The peer for bench/slack_mentions.py: a bare Bolt app that acks a mention and posts "ok",
served by gunicorn exactly as `briefbot serve` is (one process, gthread)."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    token_verification_enabled=False,
)


@app.event("app_mention")
def mention(event: dict[str, Any], client: WebClient) -> None:
    client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="ok", blocks=[])


handler = SlackRequestHandler(app, path="/slack/events")


def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return handler(environ, start_response)


class Server(BaseApplication):  # type: ignore[misc]
    def load_config(self) -> None:
        options = {
            "bind": f"127.0.0.1:{os.environ['PORT']}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": int(os.environ.get("BRIEFBOT_WEB_THREADS", "8")),
            "control_socket_disable": True,
            "accesslog": None,
        }
        for key, value in options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return wsgi


if __name__ == "__main__":
    Server().run()
