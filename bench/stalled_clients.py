"""Stalled clients: 100 connections that stop halfway, then /healthz and a signed mention.

Three servers run as real processes with 8 request threads each and receive the same
requests; Web API calls go to the recording Slack stand-in:

* the bare Bolt app (bench/peer_bolt_app.py) under gunicorn's gthread worker, as
  briefbot was served before;
* the same bare Bolt app under briefbot's waitress server (``bot.slack.server``);
* ``briefbot serve``.

A third of the stalled connections send headers and part of a body, a third part of
their headers, a third nothing. With them open, each server gets ``GET /healthz`` and a
signed mention, each with a 5 s client timeout (Slack waits 3 s). Then SIGTERM, with
the stalled connections still open: how long until the process is gone.

    python -m bench.stalled_clients [--stalled 100]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from slackkit import BOT_TOKEN, SIGNING_SECRET, sign  # noqa: E402
from standins import SlackAPIStandIn  # noqa: E402

TIMEOUT = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stall(port: int, kind: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if kind == 0:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 5000\r\n\r\n{"type": "event_'
        )
    elif kind == 1:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Sig")
    return sock


def timed(fn: Any) -> str:
    started = time.perf_counter()
    try:
        status = fn()
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            status = exc.code
        else:
            return f"no answer in {TIMEOUT:.0f} s"
    return f"{status} in {(time.perf_counter() - started) * 1000:.0f} ms"


def healthz(root: str) -> int:
    with urllib.request.urlopen(f"{root}/healthz", timeout=TIMEOUT) as r:  # noqa: S310
        return int(r.status)


def mention(root: str) -> int:
    body = (
        '{"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "Ev'
        + str(time.time_ns())
        + '", "event": {"type": "app_mention", "user": "U1", "text": "<@UBOT> What does the '
        'memorandum commit to?", "ts": "1800000000.000100", "channel": "C1"}}'
    )
    request = urllib.request.Request(  # noqa: S310 (a loopback http URL)
        f"{root}/slack/events",
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/json", **sign(body)},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as r:  # noqa: S310
        return int(r.status)


def run(name: str, args: list[str], env: dict[str, str], stalled: int) -> dict[str, str]:
    port = free_port()
    proc = subprocess.Popen(
        args,
        cwd=REPO,
        env={**os.environ, **env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    socks: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                healthz(root)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start") from None
                time.sleep(0.1)
        result = {"server": name, "idle healthz": timed(lambda: healthz(root))}
        socks = [stall(port, n % 3) for n in range(stalled)]
        time.sleep(0.5)  # let the server take them in
        result["healthz"] = timed(lambda: healthz(root))
        result["mention"] = timed(lambda: mention(root))
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
            result["sigterm"] = f"{time.monotonic() - started:.1f} s"
        except subprocess.TimeoutExpired:
            result["sigterm"] = "still running after 30 s"
        return result
    finally:
        for s in socks:
            s.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stalled", type=int, default=100)
    args = parser.parse_args()
    briefbot = str(Path(sys.executable).parent / "briefbot")
    peer = [sys.executable, "-m", "bench.peer_bolt_app"]
    rows = []
    with SlackAPIStandIn() as api, tempfile.TemporaryDirectory() as tmp:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url,
            "BRIEFBOT_DATA_DIR": tmp,
            "BRIEFBOT_WEB_THREADS": "8",
        }
        rows.append(run("bare Bolt app, gunicorn gthread (peer)", [*peer, "--gunicorn"], env, 0))
        rows.append(
            run("bare Bolt app, gunicorn gthread (peer)", [*peer, "--gunicorn"], env, args.stalled)
        )
        rows.append(run("bare Bolt app, briefbot's waitress", peer, env, args.stalled))
        rows.append(run("briefbot serve", [briefbot, "serve"], env, 0))
        rows.append(run("briefbot serve", [briefbot, "serve"], env, args.stalled))
    print(f"\n8 request threads; client timeout {TIMEOUT:.0f} s\n")
    print("| server | stalled connections | /healthz | signed mention | SIGTERM to exit |")
    print("| --- | --- | --- | --- | --- |")
    for stalled, row in zip([0, args.stalled, args.stalled, 0, args.stalled], rows, strict=True):
        print(
            f"| {row['server']} | {stalled} | {row['healthz']} | {row['mention']} | "
            f"{row['sigterm']} |"
        )


if __name__ == "__main__":
    main()
