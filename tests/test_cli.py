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
from bot.core.briefing import Briefing
from conftest import EVALS, Result, run_briefbot, settings_env
from storage import migrate

SEED_TITLE = "Central America-US Security Cooperation Deal questioned by Activists"


@pytest.fixture
def seeded(settings: Settings) -> None:
    """Fill the test's database with the bundled corpus in this process, where the
    tokenizer is loaded once per run, so the briefbot process a test starts does not
    spend its start doing it (every command fills an empty database first)."""
    Briefing.open(settings).close()


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


def _quotes_of(cli, path: Path, text: str, topic: str) -> str:
    """``briefbot quote TOPIC``'s output, once ``text`` is ingested as ``path``."""
    path.write_text(text, "utf-8")
    assert cli("ingest", str(path)).code == 0
    return str(cli("quote", topic, "--limit", "3").out)


def test_a_quote_that_opens_with_quoted_speech_is_not_quoted_twice(cli, tmp_path: Path) -> None:
    out = _quotes_of(
        cli,
        tmp_path / "pier.txt",
        "Pier Closes\n\n“Unsafe,” said Ada Lind, the dock union's spokesperson, of the pier.",
        "pier spokesperson",
    )
    assert "1. “Unsafe,” said Ada Lind" in out and "““" not in out, out


def test_a_quote_links_to_its_passage(cli, tmp_path: Path) -> None:
    out = _quotes_of(
        cli,
        tmp_path / "pier.md",
        "---\ntitle: Pier Closes\nurl: https://example.org/pier\n---\n\nThe old pier will "
        "close for repairs in May, the harbourmaster said on Monday.\n",
        "pier repairs",
    )
    assert "https://example.org/pier#:~:text=The%20old%20pier%20will," in out, out


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


def _ingest_without_root(
    settings: Settings, *paths: Path | str
) -> subprocess.CompletedProcess[str]:
    """``briefbot ingest --json PATHS`` in a subprocess whose file access is a plain
    user's, with ``settings`` in its environment."""
    script = str(Path(sys.executable).parent / "briefbot")
    return subprocess.run(
        [*_without_root_file_access(), script, "ingest", "--json", *map(str, paths)],
        env={**os.environ, **settings_env(settings)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
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
    try:
        proc = _ingest_without_root(settings, folder, tmp_path / "named")
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


@pytest.mark.slow
def test_a_folder_that_can_be_listed_but_not_entered_fails_its_files_alone(
    settings: Settings, tmp_path: Path
) -> None:
    """A folder with read but no search permission (mode 644) lists its names, but none
    of them can be looked at: each is one failed item, as is a file named inside it on
    the command line; the rest still lands (it used to end the run with "unexpected
    PermissionError")."""
    folder = tmp_path / "articles"
    (folder / "shut").mkdir(parents=True)
    (folder / "readable.txt").write_text("Readable\n\nThis one is ingested.", "utf-8")
    (folder / "shut" / "inside.txt").write_text("Inside\n\nCannot be looked at.", "utf-8")
    (folder / "shut").chmod(0o644)
    inside = str(folder / "shut" / "inside.txt")
    try:
        proc = _ingest_without_root(settings, folder, inside)
    finally:
        (folder / "shut").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr, proc.stderr
    summary = json.loads(proc.stdout)
    assert [(f["path"], f["error"]) for f in summary["failed"]] == [
        (inside, "cannot read: Permission denied"),
        (inside, "cannot read: Permission denied"),
    ]
    assert summary["added"] == 1


@pytest.mark.usefixtures("seeded")
def test_a_data_folder_that_cannot_be_written_is_one_config_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database elsewhere (PostgreSQL), the data folder holds only the
    tokenizer's cache; one that cannot be made is configuration (exit 2, one line that
    names BRIEFBOT_DATA_DIR), not "unexpected NotADirectoryError" from every ingest."""
    from bot.core import tokens

    monkeypatch.setattr(tokens, "_encodings", {})  # load it again, as a new process does
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    (tmp_path / "file").write_text("in the way", "utf-8")
    (tmp_path / "new.txt").write_text("New\n\nA new article body sentence.", "utf-8")
    result = cli(
        "ingest", str(tmp_path / "new.txt"), env={"BRIEFBOT_DATA_DIR": str(tmp_path / "file" / "d")}
    )
    assert result.code == 2, result.err
    assert result.err.startswith("error: BRIEFBOT_DATA_DIR: cannot use the tokenizer's cache")
    assert result.err.count("\n") == 1


def test_a_name_too_long_for_the_system_is_one_failed_item(cli, tmp_path: Path) -> None:
    """A path the system refuses to look up (a name over 255 bytes) fails alone with the
    system's reason; it used to end the whole run with "unexpected OSError"."""
    (tmp_path / "good.txt").write_text("Good\n\nThis one is ingested.", "utf-8")
    long_name = str(tmp_path / ("x" * 300))
    result = cli("ingest", "--json", str(tmp_path / "good.txt"), long_name)
    assert result.code == 1 and "unexpected" not in result.err, result.err
    summary = json.loads(result.out)
    assert summary["failed"] == [{"path": long_name, "error": "cannot read: File name too long"}]
    assert summary["added"] == 1


def test_a_folder_nested_too_deep_is_one_failed_item(cli, tmp_path: Path) -> None:
    """A folder a thousand deep used to end the whole run with "unexpected RecursionError"
    (os.walk recurses before Python 3.12): the walk stops at a depth far past any real
    tree, says where, and the rest still lands."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("Good\n\nThis one is ingested.", "utf-8")
    # Made and removed a level at a time: os.makedirs and shutil.rmtree (pytest's
    # clean-up of tmp_path) recurse too.
    levels = [folder.joinpath(*["d"] * n) for n in range(1, 1101)]
    for level in levels:
        level.mkdir()
    try:
        result = cli("ingest", "--json", str(folder))
    finally:
        for level in reversed(levels):
            level.rmdir()
    assert result.code == 1 and "unexpected" not in result.err, result.err
    summary = json.loads(result.out)
    assert summary["failed"] == [
        {"path": str(folder.joinpath(*["d"] * 101)), "error": "a folder nested more than 100 deep"}
    ]
    assert summary["added"] == 1


def test_links_to_nothing_pipes_and_an_empty_path_are_failed_items(cli, tmp_path: Path) -> None:
    """Inside a folder, an entry with an article's name that is no regular file (a link
    to nothing, a loop of links, a pipe, a device) fails alone, as it does when named;
    an empty path ("$FILE" unset) names nothing, and never the current folder."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("Good\n\nThis one is ingested.", "utf-8")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "elsewhere.txt").write_text("Elsewhere\n\nNot named.", "utf-8")
    result = cli("ingest", "--json", str(folder), "", env={"PWD": str(tmp_path)})
    assert result.code == 1 and "Traceback" not in result.err
    summary = json.loads(result.out)
    failed = {Path(f["path"]).name or f["path"]: f["error"] for f in summary["failed"]}
    assert set(failed) == {
        "dangling.txt", "loop-a.txt", "loop-b.txt", "pipe.txt", "zero.txt", "(empty path)"
    }  # fmt: skip
    assert summary["added"] == 1


def test_links_out_of_a_folder_are_failed_items_but_a_named_link_is_read(
    cli, tmp_path: Path
) -> None:
    """Ingesting a folder reads what is in it: a link in it to a file elsewhere (``ln -s
    /etc/passwd d/passwd.txt``) fails alone and is not read. A link to a file in the
    folder is read, and so is a link named on the command line: the user chose it."""
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Private\n\nNot for the folder's readers.", "utf-8")
    (outside / "chosen.txt").write_text("Chosen\n\nNamed on the command line.", "utf-8")
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.txt").write_text("Good\n\nThis one is ingested.", "utf-8")
    (folder / "nested" / "again.txt").symlink_to(folder / "good.txt")
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "nested" / "up.txt").symlink_to(Path("..") / ".." / "private" / "secret.txt")
    (folder / "elsewhere").symlink_to(outside)  # a folder's link to another: said, not read
    (folder / "here").symlink_to(folder / "nested")  # walked anyway: not said twice
    (tmp_path / "via-link").symlink_to(folder)  # a folder named through a link is its own
    (tmp_path / "chosen.txt").symlink_to(outside / "chosen.txt")
    result = cli("ingest", "--json", str(tmp_path / "via-link"), str(tmp_path / "chosen.txt"))
    assert result.code == 1 and "Traceback" not in result.err
    summary = json.loads(result.out)
    failed = {f["path"]: f["error"] for f in summary["failed"]}
    assert failed == {
        str(tmp_path / "via-link" / "passwd.txt"): "a symbolic link to outside the folder",
        str(tmp_path / "via-link" / "nested" / "up.txt"): "a symbolic link to outside the folder",
        str(tmp_path / "via-link" / "elsewhere"): "a symbolic link to outside the folder",
    }
    assert summary["added"] == 2
    titles = {s["title"] for s in json.loads(cli("sources", "--json").out)}
    assert {"Good", "Chosen"} <= titles and "Private" not in titles


def test_names_and_titles_cannot_act_on_the_terminal_or_forge_lines(cli, tmp_path: Path) -> None:
    """A file name with a line break cannot print a second, forged "failed:" line, and a
    title with terminal escapes (retitle the window, clear the screen) is shown escaped,
    in ingest's report and in sources."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\nfailed: fake.txt: all good.txt").write_bytes(b"")
    title = "Escapes \\x1b]0;PWNED\\x07\\x1b[2J and \\u202eevil"  # YAML escapes
    (folder / "ok.md").write_text(f'---\ntitle: "{title}"\n---\n\nA sentence. Two.\n', "utf-8")
    result = cli("ingest", str(folder))
    failed = [line for line in result.err.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1 and "bad\\nfailed: fake.txt" in failed[0], result.err
    listed = cli("sources").out
    assert "\x1b" not in listed and "\u202e" not in listed and "\x07" not in listed
    assert "Escapes \\x1b]0;PWNED\\x07" in listed, listed


def test_an_error_line_cannot_act_on_the_terminal(cli, tmp_path: Path) -> None:
    """The error line escapes what a terminal acts on, as the other output does: it may
    name a file the user was handed (a question set, a history file)."""
    name = str(tmp_path / "set\x1b]0;PWNED\x07\u202e.jsonl")
    for args in (("eval", name), ("ask", "x y z", "--history", name)):
        result = cli(*args)
        assert (result.code, result.err.count("\n")) == (2, 1), result.err
        assert "\x1b" not in result.err and "\x07" not in result.err, result.err
        assert "\u202e" not in result.err, result.err
        assert "set\\x1b]0;PWNED\\x07\\u202e.jsonl: no such file" in result.err, result.err


def test_json_output_cannot_act_on_the_terminal(cli, tmp_path: Path) -> None:
    """JSON output writes what a terminal acts on (C1 controls such as CSI, bidi
    overrides and isolates) as \\u escapes, as the plain output escapes them: the same
    data, and valid JSON, but nothing raw reaches the terminal."""
    acting = {"\x9b", "\x85", "\u202e", "\u2067"}
    (tmp_path / "in").mkdir()
    title = "Escapes \\x9b2J \\u202eevil\\u2067"  # YAML escapes
    (tmp_path / "in" / "ok.md").write_text(f'---\ntitle: "{title}"\n---\n\nOne. Two.\n', "utf-8")
    assert cli("ingest", str(tmp_path / "in")).code == 0
    question = "What does the memorandum\x85 commit to\x9b2J\u202e?\u2067"
    outputs = {
        "sources": cli("sources", "--json").out,
        "ask": cli("ask", question, "--json").out,
        "logs": cli("logs", "export").out,
    }
    for name, out in outputs.items():
        assert not acting & set(out), name
        assert "\\u202e" in out, name
    titles = [s["title"] for s in json.loads(outputs["sources"])]
    assert "Escapes \x9b2J \u202eevil\u2067" in titles
    asked = json.loads(outputs["ask"])["question"]
    assert "\u202e?\u2067" in asked  # kept, escaped only on the way out
    assert json.loads(outputs["logs"].splitlines()[-1])["question"] == asked


@pytest.mark.slow
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
        # The process has ended; with our end of the follower closed too, reading past its
        # output gives EIO. (The select's bound only turns a hang into a failure.)
        os.close(follower)
        follower = -1
        terminal = b""
        while True:
            assert select.select([leader], [], [], 10)[0], "the terminal output never ended"
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            terminal += data
    finally:
        if follower != -1:
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


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("?sslmode=bogus", 'invalid sslmode value: "bogus"'),
        ("?target_session_attrs=nope", 'invalid target_session_attrs value: "nope"'),
        ("?keepalives=abc", 'invalid integer value "abc" for connection option "keepalives"'),
    ],
)
def test_a_connection_option_the_driver_refuses_is_configuration(
    cli, query: str, reason: str
) -> None:
    """libpq refuses these before it connects to anything; psycopg raises them as it
    raises a server that is down, and they used to exit 3 ("Cannot reach the database"),
    which means a database to wait for. They are DATABASE_URL to fix: exit 2."""
    url = f"postgresql://briefbot:S3cret@127.0.0.1:9/x{query}"
    result = cli("sources", env={"DATABASE_URL": url})
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert result.err.startswith(
        "error: DATABASE_URL postgresql+psycopg://briefbot:***@127.0.0.1:9/x"
    )
    assert reason in result.err and "S3cret" not in result.err
    port = cli("sources", env={"DATABASE_URL": "postgresql://briefbot@127.0.0.1:99999/x"})
    assert port.code == 2 and 'invalid port number: "99999"' in port.err, port.err


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # An unencoded @ in the password: SQLAlchemy alone ends the password at it.
        ("postgresql://briefbot:Pw@S3cret-pass@127.0.0.1:9/x", "briefbot:***@127.0.0.1:9/x"),
        # libpq takes the password from the query too.
        ("postgresql://briefbot@127.0.0.1:9/x?password=S3cret-pass", "x?password=***"),
        # a password that is also the user's name hides no other part of the url
        ("postgresql://postgres:postgres@127.0.0.1:9/x", "postgresql+psycopg://postgres:***@"),
    ],
)
@pytest.mark.parametrize("verbose", [(), ("-v",)])
def test_a_database_password_is_never_shown(
    cli, url: str, shown: str, verbose: tuple[str, ...]
) -> None:
    result = cli(*verbose, "sources", env={"DATABASE_URL": url})
    assert result.code == 3
    assert shown in result.err
    assert "S3cret" not in result.out + result.err


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
    bad.write_text('{"not": "a turn"}')
    result = cli("ask", "x y z", "--history", str(bad))
    assert result.code == 2 and "each turn is a string or" in result.err
    bad.write_text("42")
    result = cli("ask", "x y z", "--history", str(bad))
    assert result.code == 2 and "expected a JSON list" in result.err
    one = tmp_path / "one.jsonl"  # JSON Lines of one turn
    one.write_text('{"role": "user", "text": "What does the memorandum commit to?"}\n')
    data = json.loads(cli("ask", "who signed it?", "--json", "--history", str(one)).out)
    assert "memorandum" in data["standalone_question"]
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


def test_logs_export_prints_each_exchange_as_it_is_read(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log of any size is exported in bounded memory, its first line at once: each
    exchange is printed as it is read, not once the whole log is in memory (40,000
    exchanges with their cited passages, 300 MB of JSON, took 490 MB and 15 s before
    the first line)."""
    from storage import exchanges

    for n in range(3):
        cli("ask", f"What does the memorandum commit to? ({n})")
    read: list[str] = []
    read_when_printed: list[int] = []
    original = exchanges._record

    def record(row: object) -> exchanges.ExchangeRecord:
        result = original(row)  # type: ignore[arg-type]
        read.append(result.id)
        return result

    monkeypatch.setattr(exchanges, "_record", record)
    monkeypatch.setattr("bot.cli.logs.click.echo", lambda line: read_when_printed.append(len(read)))
    assert cli("logs", "export").code == 0
    assert read_when_printed == [1, 2, 3]


def _into_a_closed_pipe(settings: Settings, *args: str) -> Result:
    """``briefbot ARGS`` as a process whose stdout is a pipe nobody reads any more
    (``briefbot logs export | head`` once head has had its lines)."""
    from conftest import _SETTING_VARS

    script = Path(sys.executable).parent / "briefbot"
    base = {k: v for k, v in os.environ.items() if k not in _SETTING_VARS}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        proc = subprocess.run(
            [str(script), *args],
            env={**base, **settings_env(settings)},
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    return Result(proc.returncode, "", proc.stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("logs", "export"),
        ("sources",),
        ("ask", "What does the memorandum commit to?", "--json"),
        (),  # the help
    ],
)
def test_a_reader_that_goes_away_ends_the_command_quietly(
    cli, settings: Settings, args: tuple[str, ...]
) -> None:
    """``briefbot logs export | head`` exited 1 without a word when head left (click
    reads EPIPE as a failure), so a script could not tell it from a real one. Like a
    Unix tool killed by SIGPIPE, briefbot exits 141 (128 + SIGPIPE), quietly."""
    assert cli("ask", "What does the memorandum commit to?").code == 0  # a row to export
    result = _into_a_closed_pipe(settings, *args)
    assert (result.code, result.err) == (141, "")


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


@pytest.mark.parametrize("option", ["--min-recall", "--min-facts", "--min-refusals"])
@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_an_eval_threshold_of_nan_is_a_usage_error(cli, option: str, value: str) -> None:
    """NaN compares false with both ends of click's range, so it was accepted, and no
    figure is ever below it: the threshold silently never failed."""
    result = cli("eval", str(EVALS / "questions.jsonl"), "-q", option, value)
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert result.err == (
        f"error: Invalid value for '{option}': '{value}' is not in the range 0<=x<=1.\n"
    )


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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg2://postgres@127.0.0.1/test", "asks for the psycopg2 driver"),
        ("postgresql+asyncpg://postgres@127.0.0.1/test", "asks for the asyncpg driver"),
        ("sqlite+aiosqlite:///{dir}/a.db", "asks for the aiosqlite driver"),
        ("sqlite:///{dir}/a.db?mode=ro", "'mode' are not accepted"),  # ignored: a mistake
        ("sqlite:///{dir}/a.db?timeout=abc", "could not convert string to float: 'abc'"),
        ("postgresql://u@h/x?host=a&host=b&port=1&port=2&port=3", "Can't mix 'multihost'"),
    ],
)
def test_a_database_url_briefbot_cannot_honour_is_a_setting_error(
    cli, tmp_path: Path, url: str, message: str
) -> None:
    """A driver briefbot does not install, or an option SQLAlchemy would ignore or cannot
    read, is a mistake in DATABASE_URL (exit 2), not an unexpected error, nor a library
    warning."""
    result = cli("sources", env={"DATABASE_URL": url.format(dir=tmp_path)})
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert result.err.startswith("error: DATABASE_URL") and message in result.err


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://", "sqlite:///:memory:"])
def test_an_empty_sqlite_path_is_not_a_silent_in_memory_database(
    cli, tmp_path: Path, url: str
) -> None:
    """DATABASE_URL=sqlite:/// (an unset variable in ``sqlite:///$DB_PATH``) names no
    file: `ingest` says so in one line and exits 2. It was SQLite's database in memory:
    `ingest` reported "added 1" and exited 0, and the article was gone when it ended."""
    path = tmp_path / "kept.txt"
    path.write_text("Kept story\n\nA sentence about the harbour strike.\n", encoding="utf-8")
    ingested = cli("ingest", str(path), env={"DATABASE_URL": url})
    assert ingested.code == 2 and ingested.err.count("\n") == 1, ingested
    assert ingested.err.startswith("error: DATABASE_URL names no SQLite file"), ingested
    assert ingested.out == ""


def test_a_sqlite_url_with_a_host_is_a_configuration_error(cli, tmp_path: Path) -> None:
    """``sqlite://dbhost/stray.db`` (two slashes, as for a server) is a malformed
    DATABASE_URL: one line and exit 2, like every other, and no file made. It was
    "unexpected ArgumentError" with exit 1, after an empty stray.db was made in the
    working folder."""
    result = cli("sources", env={"DATABASE_URL": "sqlite://dbhost/stray.db"})
    assert result.code == 2 and result.err.count("\n") == 1, result
    assert "a SQLite URL names a file, not a host" in result.err, result
    assert not (tmp_path / "stray.db").exists()


@pytest.mark.parametrize("verbose", [(), ("-v",)])
def test_a_database_url_that_cannot_be_parsed_does_not_print_its_password(
    cli, verbose: tuple[str, ...]
) -> None:
    """A password with '@', ':' and '/' left unencoded: DATABASE_URL cannot be read, and
    the one line says how to write it, without any of the password. It used to print
    the parser's message, "invalid literal for int() with base 10: 'Hunter2Secret'" (the
    authority ends at the first '/', so part of the password was read as the port)."""
    url = "postgresql://admin:x@y:Hunter2Secret/tail@db.invalid:5432/prod"
    result = cli(*verbose, "sources", env={"DATABASE_URL": url})
    assert result.code == 2 and result.err.count("\n") == 1, result
    assert result.err.startswith("error: DATABASE_URL is not a valid database URL"), result
    assert "percent-encoded" in result.err
    assert "Hunter2Secret" not in result.out + result.err, result


def test_a_read_only_database_is_one_line(cli, tmp_path: Path) -> None:
    """Writing to a database opened read-only fails with what is wrong, exit 2."""
    path = tmp_path / "ro.db"
    assert cli("sources", env={"DATABASE_URL": f"sqlite:///{path}"}).code == 0
    article = tmp_path / "a.txt"
    article.write_text("A title\n\nSome text to store.\n", encoding="utf-8")
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = cli("ingest", str(article), env={"DATABASE_URL": url})
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert result.err.startswith("error: The database is read-only")


def test_a_connection_lost_mid_command_is_unavailable() -> None:
    """A server that shuts the connection mid-command (AdminShutdown) means the
    database cannot be got at: exit 3's one line, not an unexpected error."""
    from sqlalchemy.exc import OperationalError

    from storage.db import DatabaseUnavailable, explained

    class AdminShutdown(Exception):
        """psycopg's error, as the server's 'terminating connection' gives it."""

    lost = OperationalError("INSERT ...", {}, AdminShutdown("terminating connection"))
    known = explained(lost)
    assert isinstance(known, DatabaseUnavailable)
    assert str(known) == "Lost the connection to the database: terminating connection"


def test_a_sqlite_file_locked_by_another_process_is_said_so(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds SQLite's write lock past the busy timeout: the one line says
    the database is busy, not that a connection was lost (exit 3: try again)."""
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    assert cli("sources", env={"DATABASE_URL": url}).code == 0
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nA sentence about the memorandum.", "utf-8")
    monkeypatch.setattr("storage.db.SQLITE_BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cli("ingest", str(article), env={"DATABASE_URL": url})
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 3 and result.err.count("\n") == 1, result.err
    assert result.err.startswith("error: The database is busy"), result.err


def test_a_database_from_a_newer_briefbot_is_one_line(cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    assert cli("sources", env={"DATABASE_URL": url}).code == 0
    with sqlite3.connect(tmp_path / "newer.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    result = cli("sources", env={"DATABASE_URL": url})
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "Can't locate revision identified by '0099'" in result.err
    assert "was it created by a newer briefbot?" in result.err


@pytest.mark.slow
@pytest.mark.usefixtures("seeded")
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


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (
            ("logs", "export", "--since", "9999-12-31T23:59:59-01:00"),
            {},
            "--since '9999-12-31T23:59:59-01:00' is not a date",
        ),
        (
            ("logs", "export", "--since", "0001-01-01T00:00:00+05:00"),
            {},
            "is not a date (use YYYY-MM-DD)",
        ),
        (("eval", "deep.jsonl"), {"deep.jsonl": DEEP}, "deep.jsonl:1: JSON nested too deeply"),
        (
            ("eval", "deep2.jsonl"),
            {"deep2.jsonl": '{"question": "q"}\n{"question": ' + DEEP + "}"},
            "deep2.jsonl:2: JSON nested too deeply",
        ),
        (
            ("ask", "x y z", "--history", "deep.json"),
            {"deep.json": DEEP},
            "--history deep.json: not JSON or JSON lines (line 1: JSON nested too deeply)",
        ),
        (("eval", "latin1.jsonl"), {"latin1.jsonl": b"\xe9"}, "not UTF-8 text (byte 0xe9"),
        (("digest", "--week", "9999-W52"), {}, "at the calendar's edge"),
        (("digest", "--until", "0001-01-03"), {}, "a period must lie between"),
        (("digest", "--since", "0001-01-01", "--until", "0001-01-05"), {}, "must lie between"),
        (("feeds", "remove", "9" * 23), {}, "no feed '99999"),
        (("feeds", "remove", "2147483648"), {}, "no feed '2147483648'"),
        (("feeds", "remove", "9" * 5000), {}, "no feed '99999"),  # past int()'s digit limit
        # bytes that are not UTF-8 in an argument: Python reads them as lone surrogates,
        # which the database cannot encode
        (("feeds", "remove", "feed\udcff"), {}, "no feed 'feed\\udcff' is followed"),
        (("feeds", "add", "https://a.example/\udcff"), {}, "the URL is not valid text"),
        (
            ("ask", "x y z", "--history", "latin1.json"),
            {"latin1.json": b'["\xe9"]'},
            "not UTF-8 text",
        ),
    ],
)
def test_bad_input_at_the_edges_exits_2_with_one_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args, files, message: str
) -> None:
    """Values at the edge of the calendar with an offset (OverflowError) and JSON nested
    deeper than the parser follows (RecursionError) are bad input like any other."""
    monkeypatch.chdir(tmp_path)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli(*args)
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert result.err.startswith("error: ") and message in result.err, result.err


@pytest.mark.parametrize(
    "args",
    [("eval", "/dev/zero"), ("ask", "x y z", "--history", "/dev/zero"), ("eval", "/dev/urandom")],
)
def test_a_file_that_never_ends_is_refused_not_read_into_memory(cli, args) -> None:
    """``/dev/zero`` passes ``click.Path``'s checks (it is no folder, and pipes must be
    read: ``--history <(...)``); reading it whole used to fill memory until the process
    died or ended in "unexpected MemoryError". It is read up to a bound and refused."""
    result = cli(*args)
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert result.err.startswith(f"error: {'--history ' if 'ask' in args else ''}/dev/")
    assert "larger than 100,000,000 bytes" in result.err, result.err


@pytest.mark.slow  # a subprocess, killed if it hangs
def test_a_named_pipe_nothing_writes_to_does_not_hang(settings, tmp_path: Path) -> None:
    """A FIFO passes ``click.Path``'s checks (``<(...)`` must be read); opening one that
    nothing writes to used to wait for a writer for ever. It reads as empty instead."""
    fifo = tmp_path / "cases.jsonl"
    os.mkfifo(fifo)
    env = settings_env(settings)
    result = run_briefbot("eval", str(fifo), env=env, timeout=30)
    assert (result.code, result.err) == (2, f"error: {fifo}: no questions in the file\n")
    asked = run_briefbot("ask", "x y z", "--history", str(fifo), "--json", env=env, timeout=30)
    assert asked.code == 0, asked.err


def test_json_lines_split_on_newlines_only_and_may_start_with_a_bom(cli, tmp_path: Path) -> None:
    """U+2028, U+2029 and U+0085 are legal inside a JSON string; only \\n ends a line.
    A UTF-8 byte order mark is accepted, as ingest accepts it."""
    questions = [
        "What does the memorandum\u2028commit the countries to?",
        "Who criticised\u0085the deal?\u2029",
    ]
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(
        b"\xef\xbb\xbf"
        + "\r\n".join(json.dumps({"question": q}, ensure_ascii=False) for q in questions).encode()
    )
    report = json.loads(cli("eval", str(cases), "--json").out)
    assert [c["question"] for c in report["cases"]] == questions
    history = tmp_path / "turns.jsonl"
    history.write_bytes(
        b"\xef\xbb\xbf"
        + "\n".join(
            json.dumps(t, ensure_ascii=False) for t in ["Hello\u2028there", "Again"]
        ).encode()
    )
    result = cli("ask", "What does the memorandum commit to?", "--json", "--history", str(history))
    assert result.code == 0, result.err
    whole = tmp_path / "turns.json"
    whole.write_bytes(b"\xef\xbb\xbf" + json.dumps(["What does the memorandum say?"]).encode())
    assert cli("ask", "And the critics?", "--history", str(whole)).code == 0


def test_exit_3_means_an_unreachable_database_and_nothing_else(
    cli, tmp_path: Path, empty_database_url: str
) -> None:
    """A file that is not a database, and a database whose tables clash with briefbot's,
    are configuration to fix (exit 2, with their own message), not a database to wait
    for (exit 3)."""
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("These are my notes, not a database. " * 100)
    result = cli("sources", env={"DATABASE_URL": f"sqlite:///{not_a_database}"})
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert "is not one briefbot can use: file is not a database" in result.err
    from sqlalchemy import create_engine, text

    engine = create_engine(empty_database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE article (note TEXT)"))
    engine.dispose()
    for args in (("sources",), ("db", "upgrade")):
        result = cli(*args, env={"DATABASE_URL": empty_database_url})
        assert (result.code, result.err.count("\n")) == (2, 1), result.err
        assert "Could not migrate the database" in result.err
        assert "tables that are not briefbot's" in result.err


@pytest.mark.slow
def test_ingest_json_is_valid_utf8_whatever_the_file_names(
    settings: Settings, tmp_path: Path
) -> None:
    """A file name that is not UTF-8 is shown escaped (caf\\xe9.txt) in the JSON summary
    and the text output: never as a raw byte that breaks UTF-8."""
    folder = tmp_path / "articles"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(bad, "wb") as handle:
        handle.write(b"Title\n\nA sentence about the memorandum.")
    (folder / "good.txt").write_text("Good\n\nA good sentence.", "utf-8")
    script = Path(sys.executable).parent / "briefbot"
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **settings_env(settings)}
    for flags in (["--json"], []):
        proc = subprocess.run(
            [str(script), "ingest", *flags, str(folder)], env=env, capture_output=True, check=False
        )
        assert proc.returncode == 1
        out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # strict: raises
        if flags:
            summary = json.loads(out)
            assert summary["failed"] == [
                {
                    "path": f"{folder}/caf\\xe9.txt",
                    "error": "the file name (or its folder's) is not valid UTF-8; rename it",
                }
            ]
        else:
            assert f"failed: {folder}/caf\\xe9.txt: the file name" in err


@pytest.mark.slow
def test_ingest_prints_nothing_but_its_own_output(settings: Settings, tmp_path: Path) -> None:
    """trafilatura logs an ERROR for every empty page; without -v only briefbot speaks."""
    for name, page in {"a.html": "<!-- nothing -->", "b.html": "x", "c.html": "<?xml?>"}.items():
        (tmp_path / name).write_text(page)
    env = settings_env(settings)
    result = run_briefbot("ingest", str(tmp_path), env=env)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"failed: {tmp_path / name}: no article text found in the HTML"
        for name in ("a.html", "b.html", "c.html")
    ]
    verbose = run_briefbot("-v", "ingest", str(tmp_path), env=env)
    assert "ERROR trafilatura" in verbose.err


@pytest.mark.slow
def test_verbose_ask_says_what_was_done_but_not_what_was_asked(settings: Settings) -> None:
    env = settings_env(settings)
    result = run_briefbot("-v", "ask", "Who signed the memorandum?", env=env)
    assert result.code == 0
    assert "INFO bot.core.briefing: exchange " in result.err and "(cli): answered" in result.err
    assert "Who signed" not in result.err
    assert run_briefbot("ask", "Who signed the memorandum?", env=env).err == ""


@pytest.mark.slow
def test_a_password_in_the_model_servers_url_is_not_logged(settings: Settings, llm) -> None:
    """A proxy in front of the model server may take a password in OPENAI_BASE_URL; the
    HTTP client logs each request's URL under -v, which used to show it in clear."""
    base = llm.base_url.replace("http://", "http://proxyuser:S3cret-proxy%21pw@")
    env = {**settings_env(settings), "OPENAI_BASE_URL": base, "BRIEFBOT_MODEL": "gpt-4o-mini"}
    result = run_briefbot("-v", "ask", "Who signed the memorandum?", env=env)
    assert result.code == 0, result.err
    assert "proxyuser:***@127.0.0.1" in result.err, result.err
    assert "S3cret" not in result.out + result.err


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("BRIEFBOT_TOKENIZER", "gpt2", "BRIEFBOT_TOKENIZER: unknown tokenizer 'gpt2'"),
        ("OPENAI_BASE_URL", "localhost:11434/v1", "OPENAI_BASE_URL: 'localhost:11434/v1' is not"),
        ("SLACK_API_URL", "slack.example/api", "SLACK_API_URL: 'slack.example/api' is not"),
    ],
)
def test_a_setting_no_command_can_use_fails_every_command_alike(
    cli, tmp_path: Path, setting: str, value: str, message: str
) -> None:
    (tmp_path / "a.txt").write_text("A\n\nA sentence.")
    for args in (
        ("ingest", str(tmp_path / "a.txt")),
        ("ask", "What does the memorandum commit to?"),
        ("quote", "border"),
        ("sources",),
        ("logs", "export"),
        ("db", "upgrade"),
    ):
        result = cli(*args, env={setting: value})
        assert (result.code, result.err.count("\n")) == (2, 1), (args, result.err)
        assert result.err.startswith(f"error: {message}"), (args, result.err)


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
