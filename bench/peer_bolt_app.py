"""The peer for bench/slack_mentions.py: a bare Bolt app that acks a mention and posts "ok",
served exactly as `briefbot serve` serves briefbot (one process, the same waitress server
and limits, ``bot.slack.server.http_server``).

``--gunicorn`` serves it as briefbot used to be served instead: gunicorn's gthread
worker, one process with ``BRIEFBOT_WEB_THREADS`` threads (bench/stalled_clients.py
compares the two)."""

from __future__ import annotations

import os
import sys
from typing import Any

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


def serve_gunicorn(port: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"127.0.0.1:{port}",
                "workers": 1,
                "worker_class": "gthread",
                "threads": threads,
                "timeout": 30,
                "graceful_timeout": 10,  # as briefbot had it
                "control_socket_disable": True,
                "accesslog": None,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return wsgi

    Server().run()


def main() -> None:
    port = int(os.environ["PORT"])
    threads = int(os.environ.get("BRIEFBOT_WEB_THREADS", "8"))
    if "--gunicorn" in sys.argv:
        serve_gunicorn(port, threads)
        return
    from waitress import wasyncore

    from bot.slack.server import http_server

    socket_map: dict[int, Any] = {}
    http_server(wsgi, port, threads, socket_map)
    wasyncore.loop(map=socket_map, use_poll=True)


if __name__ == "__main__":
    main()
