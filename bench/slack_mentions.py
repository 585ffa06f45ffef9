"""50 concurrent @-mentions against `briefbot serve`, beside a bare Bolt app.

Both servers run as real processes under the same waitress configuration and receive the
same signed requests; their Web API calls go to the recording Slack stand-in (and, in LLM
mode, briefbot's model calls go to the OpenAI stand-in, streaming with a small delay per
chunk). Reported per mode:

* ack: time from sending a mention to its HTTP 200 (Slack's limit is 3 s; our target 100 ms)
* final: time from sending a mention to the final answer reaching the Web API
  (``chat.postMessage`` with blocks, or the ``chat.update`` that ends a stream)

The peer is a Bolt app with one ``app_mention`` listener that acks and posts "ok": the
floor that Bolt, the HTTP server and the signature check set, measured in the same run.

    python -m bench.slack_mentions [--mentions 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from slackkit import BOT_TOKEN, SIGNING_SECRET, SlackDriver, next_ts  # noqa: E402
from standins import OpenAIStandIn, SlackAPIStandIn  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def process(args: list[str], env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        args,
        cwd=REPO,
        env={**os.environ, **env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{root}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{args} did not start")
        yield f"{root}/slack/events"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def storm(url: str, api: SlackAPIStandIn, mentions: int, final_method: str) -> dict[str, Any]:
    """Send ``mentions`` signed mentions at once; return ack and final-answer latencies."""
    api.clear()
    driver = SlackDriver(url)
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(mentions)

    run = next_ts().split(".")[0]

    def one(i: int) -> None:
        channel = f"C{run}x{i}"  # one channel per mention: answers are matched by channel
        barrier.wait()
        started = time.time()
        response, _ = driver.mention(
            "What does the memorandum commit the countries to?", channel=channel
        )
        with lock:
            sent[channel] = started
            acks.append(response.seconds * 1000)
            statuses.append(response.status)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(mentions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done: dict[str, float] = {}
    deadline = time.monotonic() + 120
    while len(done) < mentions and time.monotonic() < deadline:
        for call in api.calls(final_method):
            channel = str(call.params.get("channel"))
            if channel in sent and call.params.get("blocks") is not None and channel not in done:
                done[channel] = call.time
        time.sleep(0.05)
    finals = [(done[c] - sent[c]) * 1000 for c in done]
    return {
        "ok": statuses.count(200),
        "answered": len(done),
        "ack_p50": statistics.median(acks),
        "ack_p99": percentile(acks, 99),
        "final_p50": statistics.median(finals) if finals else float("nan"),
        "final_p99": percentile(finals, 99) if finals else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=50)
    args = parser.parse_args()
    briefbot = str(Path(sys.executable).parent / "briefbot")
    rows: list[tuple[str, str, dict[str, Any]]] = []
    with SlackAPIStandIn() as api, OpenAIStandIn() as llm, tempfile.TemporaryDirectory() as tmp:
        llm.reply("The memorandum commits the countries to cooperation in four areas [1]. " * 3)
        llm.stream_delay(0.01)
        common = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api.url,
            "BRIEFBOT_DATA_DIR": tmp,
            "BRIEFBOT_WEB_THREADS": "16",
        }
        with process([sys.executable, "-m", "bench.peer_bolt_app"], common) as url:
            storm(url, api, 5, "chat.postMessage")  # warm up
            rows.append(
                (
                    "bare Bolt app (peer)",
                    "ack + post",
                    storm(url, api, args.mentions, "chat.postMessage"),
                )
            )
        with process([briefbot, "serve"], common) as url:
            storm(url, api, 5, "chat.postMessage")
            rows.append(
                ("briefbot", "extractive", storm(url, api, args.mentions, "chat.postMessage"))
            )
        llm_env = {
            **common,
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": "sk-bench-000000",
            "BRIEFBOT_MODEL": "gpt-4o-mini",
        }
        # Answers must reach the model: a fresh database keeps the claims apart.
        with (
            tempfile.TemporaryDirectory() as tmp2,
            process([briefbot, "serve"], {**llm_env, "BRIEFBOT_DATA_DIR": tmp2}) as url,
        ):
            storm(url, api, 5, "chat.update")
            rows.append(
                (
                    "briefbot",
                    "LLM stand-in, streamed",
                    storm(url, api, args.mentions, "chat.update"),
                )
            )
    print(
        f"\n{args.mentions} concurrent mentions, one waitress process, 16 request threads, SQLite\n"
    )
    print("| server | mode | HTTP 200 | answered | ack p50 | ack p99 | final p50 | final p99 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, mode, r in rows:
        print(
            f"| {name} | {mode} | {r['ok']} | {r['answered']} | {r['ack_p50']:.0f} ms | "
            f"{r['ack_p99']:.0f} ms | {r['final_p50']:.0f} ms | {r['final_p99']:.0f} ms |"
        )


if __name__ == "__main__":
    main()
