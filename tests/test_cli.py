"""The briefbot command line: JSON shapes, help, bad input, logs, eval."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import sqlite3
import struct
import subprocess
import sys
import termios
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.config import Settings
from conftest import EVALS, Result, run_briefbot, settings_env
from storage import migrate

SEED_TITLE = "Central America-US Security Cooperation Deal questioned by Activists"


def test_ask_json_shape(cli) -> None:
    result: Result = cli("ask", "What does the memorandum commit to?", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["question"] == "What does the memorandum commit to?"
    assert data["answered"] is True
    assert data["mode"] == "extractive"
    assert data["citations"]
    for c in data["citations"]:
        assert {"marker", "title", "url", "published", "text"} <= c.keys()
        assert f"[{c['marker']}]" in data["answer"]
    assert data["citations"][0]["title"] == SEED_TITLE


def test_ask_out_of_scope_json(cli) -> None:
    data = json.loads(cli("ask", "What is the capital of France?", "--json").out)
    assert data["answered"] is False
    assert data["citations"] == []
    assert "not in the sources" in data["answer"].lower()


def test_ask_prints_answer_and_numbered_sources(cli) -> None:
    result = cli("ask", "Why was aid to Guatemala suspended?")
    assert result.code == 0
    assert "[1]" in result.out
    assert "Sources:" in result.out
    assert f"[1] {SEED_TITLE} — central-america-us-security-deal.txt, undated" in result.out


def test_quote_json_shape(cli) -> None:
    result = cli("quote", "non-binding commitment", "--limit", "2", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["topic"] == "non-binding commitment"
    assert 1 <= len(data["quotes"]) <= 2
    assert set(data["quotes"][0]) == {"text", "title", "url", "paragraph"}
    assert "non-binding" in data["quotes"][0]["text"]


def test_sources_json(cli) -> None:
    data = json.loads(cli("sources", "--json").out)
    assert isinstance(data, list) and len(data) == 1
    assert set(data[0]) == {"id", "title", "source", "url", "published", "chunks"}
    assert data[0]["title"] == SEED_TITLE


def test_ingest_json_summary_and_exit_code(cli, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Fine\n\nA fine article body sentence.", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    result = cli("ingest", str(tmp_path), "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["added"] == 1 and data["updated"] == 0 and data["unchanged"] == 0
    assert [f["path"] for f in data["failed"]] == [str(tmp_path / "bad.txt")]
    plain = cli("ingest", str(tmp_path / "ok.txt"))
    assert plain.code == 0
    assert "added 0, updated 0, unchanged 1, failed 0" in plain.out


def _without_root_file_access() -> list[str]:
    """A command prefix that makes permission bits bind: nothing for an ordinary user;
    for root (CI, containers), setpriv drops the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test unreadable files as root"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_unreadable_files_and_folders_are_one_line_failures(
    settings: Settings, tmp_path: Path
) -> None:
    """A file or folder that cannot be read, named or found inside a folder, is one
    failed item with the reason; the rest still lands."""
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    (tmp_path / "named").mkdir()
    (folder / "readable.txt").write_text("Readable\n\nThis one is ingested.", "utf-8")
    (folder / "locked.txt").write_text("Locked\n\nThis one cannot be read.", "utf-8")
    (folder / "nested" / "inside.txt").write_text("Inside\n\nHidden.", "utf-8")
    (tmp_path / "named" / "inside.txt").write_text("Named\n\nHidden too.", "utf-8")
    locked = [folder / "locked.txt", folder / "nested", tmp_path / "named"]
    for path in locked:
        path.chmod(0)
    script = str(Path(sys.executable).parent / "briefbot")
    command = [*_without_root_file_access(), script, "ingest", "--json", str(folder)]
    try:
        proc = subprocess.run(
            [*command, str(tmp_path / "named")],
            env={**os.environ, **settings_env(settings)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        for path in locked:
            path.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    summary = json.loads(proc.stdout)
    assert {f["path"]: f["error"] for f in summary["failed"]} == {
        str(folder / "locked.txt"): "cannot read: Permission denied",
        str(folder / "nested"): "cannot list folder: Permission denied",
        str(tmp_path / "named"): "cannot list folder: Permission denied",
    }
    assert len(summary["failed"]) == 3
    assert summary["added"] == 1


def test_ingest_shows_a_progress_bar_only_on_a_terminal(settings: Settings, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Title {i}\n\nBody sentence {i}.", "utf-8")
    command = [str(Path(sys.executable).parent / "briefbot"), "ingest", str(tmp_path)]
    env = {**os.environ, **settings_env(settings)}
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, and tqdm draws nothing in 0 columns.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        proc = subprocess.run(
            command, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=120, check=False
        )
        terminal = b""
        while select.select([leader], [], [], 0.5)[0]:
            terminal += os.read(leader, 65536)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    assert b"0/3 [" in terminal and b"file" in terminal  # tqdm's bar, counting files
    assert b"added 3" in proc.stdout
    piped = run_briefbot("ingest", str(tmp_path), env=settings_env(settings))
    assert piped.err == ""  # no bar when stderr is not a terminal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", ""), "The question is empty"),
        (("ask", "   "), "The question is empty"),
        (("ask", "x" * 20_000), "The question is 20,000 characters long; the limit is 2,000."),
        (("quote", ""), "The topic is empty"),
        # A byte that is not UTF-8 arrives as a lone surrogate (Python's surrogateescape).
        (("ask", "what about \udcff the memo"), "The question is not valid text"),
        (("quote", "\udcff\udcfe"), "The topic is not valid text"),
        (("ingest", "/nonexistent/path.txt"), "/nonexistent/path.txt: no such file or folder"),
        (("eval", "/nonexistent.jsonl"), "no such file"),
        (("logs", "export", "--since", "yesterday"), "--since 'yesterday' is not a date"),
        (("quote", "border", "--limit", "0"), "Invalid value for '--limit'"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.code != 0
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert any(message in line for line in lines), result.err
    assert "Traceback" not in result.err
    if args[0] != "ingest":
        assert len(lines) == 1, result.err


def test_unreachable_database_is_one_line(cli) -> None:
    result = cli(
        "ask",
        "What does the memorandum commit to?",
        env={"DATABASE_URL": "postgresql://briefbot:secret@127.0.0.1:9/nowhere"},
    )
    assert result.code == 3
    assert result.err.startswith(
        "error: Cannot reach the database at postgresql+psycopg://briefbot:***@127.0.0.1:9/nowhere"
    )
    assert "secret" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_bad_setting_names_the_variable(cli) -> None:
    result = cli("sources", env={"BRIEFBOT_CHUNK_TOKENS": "lots"})
    assert result.code == 2
    assert "BRIEFBOT_CHUNK_TOKENS" in result.err


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("ingest",),
        ("ask",),
        ("quote",),
        ("sources",),
        ("eval",),
        ("db",),
        ("db", "upgrade"),
        ("logs",),
        ("logs", "export"),
        ("logs", "purge"),
    ],
)
def test_every_command_has_help(cli, command: tuple[str, ...]) -> None:
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Usage: briefbot" in result.out


def test_db_upgrade_on_an_empty_database(cli, empty_database_url: str) -> None:
    first = cli("db", "upgrade", env={"DATABASE_URL": empty_database_url})
    assert first.code == 0, first.err
    assert first.out.strip() == f"upgraded empty -> {migrate.head()}"
    second = cli("db", "upgrade", env={"DATABASE_URL": empty_database_url})
    assert second.out.strip() == f"already at {migrate.head()}"


def test_any_command_migrates_and_fills_an_empty_database(cli, empty_database_url: str) -> None:
    result = cli(
        "ask", "Who criticised the deal?", "--json", env={"DATABASE_URL": empty_database_url}
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["answered"] is True


def test_history_file_and_after_flags(cli, tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_text(
        json.dumps([{"role": "user", "text": "What does the memorandum commit to?"}])
    )
    for extra in (("--history", str(history)), ("--after", "What does the memorandum commit to?")):
        data = json.loads(cli("ask", "And what do critics say about it?", "--json", *extra).out)
        assert data["answered"] is True
        assert "memorandum" in data["standalone_question"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    result = cli("ask", "x y z", "--history", str(bad))
    assert result.code == 2 and "expected a JSON list" in result.err
    lines = tmp_path / "turns.jsonl"
    lines.write_text('"What does the memorandum commit to?"\n"And the critics?"\n')
    data = json.loads(
        cli("ask", "What do they say about it?", "--json", "--history", str(lines)).out
    )
    assert "memorandum" in data["standalone_question"]
    lines.write_text('"fine"\n{broken\n')
    result = cli("ask", "x y z", "--history", str(lines))
    assert result.code == 2 and "not JSON or JSON lines" in result.err
    assert "Traceback" not in result.err


def test_logs_export_and_purge(cli) -> None:
    cli("ask", "What does the memorandum commit to?")
    cli("ask", "What is the capital of France?")
    rows = [json.loads(line) for line in cli("logs", "export").out.splitlines()]
    assert [r["question"] for r in rows] == [
        "What does the memorandum commit to?",
        "What is the capital of France?",
    ]
    expected = {
        "id",
        "created_at",
        "surface",
        "question",
        "answer",
        "answered",
        "citations",
        "mode",
        "model",
        "prompt_hash",
        "prompt_tokens",
        "completion_tokens",
        "latency_ms",
        "feedback",
        "error",
        "channel",
        "user",
        "thread_ts",
        "workspace",
    }
    assert expected <= rows[0].keys()
    assert rows[0]["surface"] == "cli"
    assert cli("logs", "export", "--since", "2999-01-01").out == ""
    # A bound with a UTC offset means that instant, on SQLite as on PostgreSQL.
    three_hours_ago = datetime.now(timezone(timedelta(hours=5))) - timedelta(hours=3)
    since = cli("logs", "export", "--since", three_hours_ago.isoformat()).out.splitlines()
    assert len(since) == 2
    assert json.loads(since[0])["created_at"].endswith("+00:00")  # times carry their zone
    in_an_hour = datetime.now(timezone(timedelta(hours=-7))) + timedelta(hours=1)
    assert cli("logs", "export", "--since", in_an_hour.isoformat()).out == ""
    assert "removed 0" in cli("logs", "purge", "--older-than", "1").out
    assert "removed 2" in cli("logs", "purge", "--older-than", "0").out
    assert cli("logs", "export").out == ""


def test_eval_on_the_shipped_question_set(cli) -> None:
    assert cli("ingest", str(EVALS / "articles")).code == 0
    result = cli(
        "eval",
        str(EVALS / "questions.jsonl"),
        "--json",
        "-q",
        "--min-recall",
        "0.9",
        "--min-facts",
        "0.75",
        "--min-refusals",
        "0.75",
    )
    assert result.code == 0, result.err + result.out
    report = json.loads(result.out)
    assert report["questions"] >= 25
    assert report["out_of_scope"] >= 5
    assert report["false_refusals"] <= 2


def test_eval_fails_below_threshold(cli) -> None:
    result = cli("eval", str(EVALS / "questions.jsonl"), "-q", "--min-recall", "1.0")
    assert result.code == 1
    assert "below threshold: recall@5" in result.err


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('{"question": "ok"}\n{not json}\n', ":2: not valid JSON"),
        ('{"question": "ok", "in_scope": "false"}\n', ":1: in_scope must be true or false"),
        ('{"question": "ok"}\n{"question": "  "}\n', ":2: The question is empty"),
    ],
)
def test_eval_reports_bad_lines(cli, tmp_path: Path, lines: str, message: str) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text(lines)
    result = cli("eval", str(bad))
    assert result.code == 2
    assert result.err.startswith(f"error: {bad}{message}"), result.err
    assert len(result.err.strip().splitlines()) == 1


def test_bad_settings_and_places_are_one_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cases = [  # each setting stays set for the calls after it (monkeypatched environment)
        ({"DATABASE_URL": "mysql://root@127.0.0.1/test"}, 2, "supports SQLite and PostgreSQL"),
        ({"BRIEFBOT_CORPUS_DIR": str(tmp_path / "nowhere")}, 2, "BRIEFBOT_CORPUS_DIR"),
        ({"BRIEFBOT_DATA_DIR": str(a_file)}, 2, "is not a folder"),
        ({"DATABASE_URL": f"sqlite:///{a_file}/x.db"}, 3, "a file is in the way"),
        ({"BRIEFBOT_CHUNK_OVERLAP_TOKENS": "500"}, 2, "OVERLAP_TOKENS: must be smaller than"),
        ({"BRIEFBOT_MAX_FILE_MB": "inf", "BRIEFBOT_CHUNK_OVERLAP_TOKENS": "40"}, 2, "MAX_FILE_MB"),
    ]
    for env, code, message in cases:
        result = cli("sources", env=env)
        assert (result.code, len(result.err.strip().splitlines())) == (code, 1), result.err
        assert message in result.err
    purge = cli(
        "logs",
        "purge",
        "--older-than",
        "999999999",
        env={"BRIEFBOT_MAX_FILE_MB": "10", "BRIEFBOT_CHUNK_OVERLAP_TOKENS": "40"},
    )
    # An empty setting is unset, not an error.
    assert cli("sources", env={"BRIEFBOT_LOG_RETENTION_DAYS": " "}).code == 0
    assert purge.code == 2 and "0<=x<=36500" in purge.err
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes(b"BRIEFBOT_TOP_K=\xff\n")
    result = cli("sources")
    assert result.code == 2 and result.err.startswith("error: .env is not UTF-8 text")


def test_a_database_from_a_newer_briefbot_is_one_line(cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    assert cli("sources", env={"DATABASE_URL": url}).code == 0
    with sqlite3.connect(tmp_path / "newer.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    result = cli("sources", env={"DATABASE_URL": url})
    assert result.code == 3 and len(result.err.strip().splitlines()) == 1
    assert "Can't locate revision identified by '0099'" in result.err


def test_console_script_in_a_subprocess(settings) -> None:
    """The installed entry point works end to end, and errors carry no traceback."""
    env = settings_env(settings)
    ok = run_briefbot("ask", "What does the memorandum commit to?", "--json", env=env)
    assert ok.code == 0, ok.err
    assert json.loads(ok.out)["answered"] is True
    bad = run_briefbot("ask", "", env=env)
    assert bad.code == 2
    assert bad.err.strip().startswith("error: The question is empty. Ask me about ")
    assert len(bad.err.strip().splitlines()) == 1


def test_log_lines_carry_tracebacks_only_when_asked() -> None:
    import logging

    from bot.logsetup import _Formatter, show_tracebacks

    try:
        raise RuntimeError("database is locked")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "could not store", (), None)
        record.exc_info = sys.exc_info()
    formatter = _Formatter("%(levelname)s %(message)s")
    try:
        show_tracebacks(False)
        line = formatter.format(record)
        assert line == "ERROR could not store (traceback with -v or BRIEFBOT_DEBUG=1)"
        show_tracebacks(True)
        full = formatter.format(record)
        assert "Traceback" in full and "database is locked" in full
    finally:
        show_tracebacks(False)


def test_an_empty_app_token_does_not_turn_on_socket_mode() -> None:
    from bot.config import Settings

    settings = Settings.isolated(slack_app_token=" ", slack_bot_token="", openai_api_key="")
    assert settings.slack_app_token is None and settings.slack_bot_token is None
    assert settings.openai_api_key is None


def test_ask_json_explains_a_refusal(cli) -> None:
    result = cli("ask", "--json", "What is the price of Bitcoin today?")
    assert result.code == 0, result.err
    refusal = json.loads(result.out)["refusal"]
    assert refusal["decision"] == "refuse"
    bitcoin = next(t for t in refusal["terms"] if t["term"] == "bitcoin")
    assert bitcoin == {
        "term": "bitcoin",
        "weight": 1.0,
        "anchor": True,
        "in_corpus": False,
        "found": 0.0,
    }


def test_eval_halves_and_the_search_underneath(cli) -> None:
    assert cli("ingest", str(EVALS / "articles")).code == 0
    halves = {}
    for split in ("dev", "test"):
        result = cli("eval", str(EVALS / "paraphrases.jsonl"), "--split", split, "--json", "-q")
        assert result.code == 0, result.err
        halves[split] = json.loads(result.out)
    whole = json.loads(cli("eval", str(EVALS / "paraphrases.jsonl"), "--json", "-q").out)
    assert halves["dev"]["questions"] + halves["test"]["questions"] == whole["questions"]
    for report in (*halves.values(), whole):
        assert report["baseline"]["name"] == "bm25s top passage"
        assert 0 < report["baseline"]["fact_coverage"] <= 1
        assert 0 <= report["false_refusal_rate"] <= 1
    text = cli("eval", str(EVALS / "paraphrases.jsonl"), "--split", "dev", "-q").out
    assert "bm25s top passage: fact coverage" in text
