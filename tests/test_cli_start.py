"""A quick command loads only what it uses, and the console script leaves cleanly.

How fast ``briefbot ask`` starts is measured by ``bench/cli_start.py``, not here; these
tests pin down the structure that makes it fast, so a stray import cannot undo it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.briefing import Briefing
from conftest import REPO, run_briefbot, settings_env
from storage import migrate

QUESTION = "What does the memorandum commit the countries to?"

#: Packages an extractive `briefbot ask` has no use for: migrations (the database is
#: current), the model and Slack clients, web fetching and parsing, YAML front matter,
#: the tokenizer (only ingest and LLM prompts count tokens), the server.
NOT_FOR_ASKING = {
    "alembic",
    "mako",
    "openai",
    "slack_sdk",
    "slack_bolt",
    "httpx2",
    "httpcore2",
    "lxml",
    "trafilatura",
    "feedparser",
    "yaml",
    "tiktoken",
    "numpy",
    "gunicorn",
    "tqdm",
    "wordfreq",
    "apscheduler",
    "waitress",
}

PROBE = """
import json, sys
from bot.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}),
      file=sys.stderr)
"""


@pytest.fixture
def seeded(settings: Settings) -> None:
    """Fill the test's database with the bundled corpus in this process, where the
    tokenizer is loaded once per run, so the briefbot process a test starts does not
    spend its start doing it (every command fills an empty database first)."""
    Briefing.open(settings).close()


def loaded_by(args: list[str], env: dict[str, str]) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.mark.slow
@pytest.mark.usefixtures("seeded")  # filling the database would need ingest's imports
def test_an_extractive_ask_loads_only_what_answering_needs(settings, tmp_path: Path) -> None:
    env = {**settings_env(settings), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    code, modules = loaded_by(["ask", QUESTION], env)
    assert code in (None, 0)
    assert "sqlalchemy" in modules and "bot" in modules  # the probe did answer
    assert modules & NOT_FOR_ASKING == set()


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it() -> None:
    assert migrate.head_from_files() == migrate.head()


@pytest.mark.slow
@pytest.mark.usefixtures("seeded")
def test_the_console_script_keeps_the_exit_status_and_the_output(settings) -> None:
    env = settings_env(settings)
    answered = run_briefbot("ask", QUESTION, "--json", env=env)
    assert answered.code == 0
    assert json.loads(answered.out)["answered"] is True  # all of it, flushed
    refused = run_briefbot("ask", "  ", env=env)
    assert refused.code == 2 and refused.err.startswith("error: The question is empty.")
    doctor = run_briefbot("doctor", env={**env, "BRIEFBOT_TOP_K": "many"})
    assert doctor.code == 1 and doctor.out.startswith("✗ settings parse: BRIEFBOT_TOP_K")


@pytest.mark.slow
def test_the_console_script_survives_a_reader_that_leaves(settings) -> None:
    script = Path(sys.executable).parent / "briefbot"
    proc = subprocess.Popen(
        [str(script), "--help"],
        env={**settings_env(settings), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `briefbot --help | head -n 0`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)  # 0 if it wrote before the pipe closed, else 1: both are fine
    assert "Traceback" not in err
    assert len(err.splitlines()) <= 1


@pytest.mark.slow
def test_the_console_script_started_with_stdout_closed_ends_without_a_traceback(
    settings,
) -> None:
    """With stdout closed (``briefbot sources >&-``) Python's sys.stdout is None: the
    console script's last flush of it used to end in an AttributeError traceback."""
    script = Path(sys.executable).parent / "briefbot"
    proc = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" --version >&-', str(script)],
        env={**os.environ, **settings_env(settings)},
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")


#: The console script, with a Ctrl-C arriving while ``bot.cli`` loads.
INTERRUPTED_WHILE_LOADING = """
import sys
from bot import console

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "bot.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
console.main()
"""


def test_a_ctrl_c_while_the_command_loads_is_one_line() -> None:
    """Loading bot.cli and its libraries takes half a second, before bot.cli.main can
    catch a Ctrl-C: one then ended in a traceback."""
    proc = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_LOADING],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "error: interrupted\n")


def test_a_subprocess_runs_this_checkout_s_code() -> None:
    """A command a test starts imports ``bot`` from the checkout under test, also from a
    git worktree whose virtualenv's editable install points at another checkout (see
    conftest): else a worktree's subprocess tests would test the other checkout's code."""
    proc = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(proc.stdout.strip()).resolve().is_relative_to(REPO / "bot")
