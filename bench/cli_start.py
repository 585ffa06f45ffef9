"""Wall time of an extractive ``briefbot ask``, beside Python starting and importing SQLAlchemy.

    python -m bench.cli_start [--runs 5] [--question "..."] [--also NAME=EXECUTABLE]...

Each run is a fresh process, as a user's would be: the installed ``briefbot`` console
script answering one question from the bundled corpus, with no model configured (so the
answer is extractive) and its own data folder. The first ``briefbot ask`` fills that
folder's SQLite database with the bundled corpus and is not timed; the timed runs then
include everything a user waits for: interpreter start, imports, settings, opening and
checking the database, retrieval, the answer, logging the exchange, printing.

The peers run in the same session, interleaved with ours run by run (so noise from other
work on the machine falls on all three alike):

* ``python -c pass``: the interpreter alone, the floor for any Python CLI;
* ``python -c "import sqlalchemy"``: importing the database library briefbot is built on.

``--also old=/tmp/old-briefbot`` times another ``briefbot`` executable (an older checkout,
say) the same way, with a data folder of its own, to compare versions in one run.

Reported: the median (and min and max) of ``--runs`` runs each, and the load average
before and after, since a busy machine slows everything. The target is a median of at
most 0.5 s for ``briefbot ask``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "What does the memorandum commit the countries to?"
TARGET_SECONDS = 0.5
#: Settings that would change what is measured (a model, another database).
CLEARED = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFBOT_MODEL", "BRIEFBOT_EMBEDDING_MODEL")


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="NAME=EXECUTABLE",
        help="Another briefbot executable to time the same way (repeatable).",
    )
    args = parser.parse_args()

    python = sys.executable
    briefbot = str(Path(python).parent / "briefbot")
    with tempfile.TemporaryDirectory(prefix="briefbot-cli-bench-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in CLEARED and k != "DATABASE_URL"}
        env |= {"BRIEFBOT_DATA_DIR": str(home / "data"), "XDG_DATA_HOME": str(home / "xdg")}
        env.pop("BRIEFBOT_CORPUS_DIR", None)
        commands = {
            "briefbot ask (extractive)": [briefbot, "ask", args.question],
            "python -c pass": [python, "-c", "pass"],
            'python -c "import sqlalchemy"': [python, "-c", "import sqlalchemy"],
        }
        envs = {name: env for name in commands}
        for extra in args.also:
            name, _, executable = extra.partition("=")
            label = f"{name}: briefbot ask"
            commands[label] = [executable, "ask", args.question]
            envs[label] = env | {"BRIEFBOT_DATA_DIR": str(home / f"data-{len(envs)}")}
        for name, command in commands.items():
            if command[1:2] != ["ask"]:
                continue
            first = subprocess.run(
                command, env=envs[name], cwd=home, capture_output=True, text=True
            )
            if first.returncode != 0:
                sys.exit(f"{name} failed: {first.stderr.strip()}")
            ours = name == "briefbot ask (extractive)"
            if ours and "extractive" not in first.stdout.splitlines()[-1]:
                sys.exit("the answer was not extractive; unset the model settings")
        for name, command in commands.items():  # warm the file cache and .pyc files, untimed
            timed(command, envs[name], home)
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, envs[name], home))
        load_after = os.getloadavg()[0]

    print(
        f"{args.runs} runs each, interleaved; Python {sys.version.split()[0]}; "
        f"1-minute load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"question: {args.question}\n")
    print("| command | median | min | max |")
    print("| --- | --- | --- | --- |")
    for name, values in times.items():
        print(
            f"| `{name}` | {statistics.median(values):.3f} s | {min(values):.3f} s "
            f"| {max(values):.3f} s |"
        )
    ours = statistics.median(times["briefbot ask (extractive)"])
    verdict = "met" if ours <= TARGET_SECONDS else "NOT met"
    print(f"\ntarget: median briefbot ask <= {TARGET_SECONDS} s: {verdict} ({ours:.3f} s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "runs": args.runs,
                    "load_before": load_before,
                    "load_after": load_after,
                    "seconds": times,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
