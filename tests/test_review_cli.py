"""Review: failing tests for bugs found by attacking the CLI and ingestion as a hostile or
careless user. Each test states what the project's rules promise; each fails today.

Run on both databases with ``BRIEFBOT_TEST_DATABASE_URL=postgresql://...``; every test
here also fails on SQLite alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from conftest import REPO, Result, make_settings, settings_env
from standins import WebStandIn


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Pages and feeds on the loopback stand-in, without the per-host pause."""
    return make_settings(database_url, tmp_path, allow_private_urls=True, fetch_host_delay=0)


def _page(title: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>Honduras said it would review the memorandum on border security signed in "
        f"March, in a statement about {title}.</p>"
        "<p>The review follows a freeze of United States aid to the region.</p>"
        "</article></body></html>"
    )


def _rss(web: WebStandIn, items: str, title: str = "Ledger World") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{web.url('/')}</link><description>d</description>"
        f"{items}</channel></rss>"
    )


def _bounded(settings: Settings, *args: str, timeout: float) -> Result:
    """``python -m bot.cli ARGS`` in a subprocess that is killed after ``timeout`` s, so a
    test of a hang fails in bounded time instead of hanging the suite."""
    env = {**os.environ, **settings_env(settings), "PYTHONPATH": str(REPO)}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"briefbot {args[0]} took more than {timeout:g} s (killed)")
    return Result(proc.returncode, proc.stdout, proc.stderr)


# ---------------------------------------------------------------------- feeds


# ---------------------------------------------------------------------- pages


# ---------------------------------------------------------------------- files


# ---------------------------------------------------------------------- DATABASE_URL


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://"])
def test_an_empty_sqlite_path_is_not_a_silent_in_memory_database(
    cli, tmp_path: Path, url: str
) -> None:
    """DATABASE_URL=sqlite:/// (an unset variable in ``sqlite:///$DB_PATH``) is SQLite's
    in-memory database: `ingest` reports "added 1" and exits 0, and the article is gone
    when the process ends. It must be refused (or name a real file)."""
    path = tmp_path / "kept.txt"
    path.write_text("Kept story\n\nA sentence about the harbour strike.\n", encoding="utf-8")
    ingested = cli("ingest", str(path), env={"DATABASE_URL": url})
    listed = cli("sources", env={"DATABASE_URL": url})
    assert ingested.code != 0 or "Kept story" in listed.out, (ingested, listed)


def test_a_sqlite_url_with_a_host_is_a_configuration_error(cli) -> None:
    """``sqlite://host/x.db`` is a malformed DATABASE_URL: SQLAlchemy's ArgumentError
    escapes as "unexpected ArgumentError ..." with exit 1, not a one-line configuration
    error with exit 2 like every other malformed DATABASE_URL."""
    result = cli("sources", env={"DATABASE_URL": "sqlite://dbhost/briefbot.db"})
    assert result.code == 2 and "unexpected" not in result.err, result
