"""Operations under attack: ingest and the CLI given hostile paths and settings, the
conversation log, and several processes on one database."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Result


def test_a_tilde_of_no_user_is_one_failed_item_and_the_rest_lands(cli, tmp_path: Path) -> None:
    """``~nobody/x.txt`` (quoted, or a user the shell does not know) names no home: that
    path fails alone, as a missing file does, and the file after it still lands. It used
    to end the whole run with "unexpected RuntimeError" and store nothing."""
    good = tmp_path / "good.txt"
    good.write_text("A good title\n\nA sentence about the border memorandum.\n", "utf-8")
    result: Result = cli("ingest", "~no-such-user-briefbot/x.txt", str(good))
    assert "unexpected" not in result.err, result.err
    assert result.code == 1, result.err
    assert result.out.startswith("added 1, "), result.out
    assert "failed: ~no-such-user-briefbot/x.txt: no such file or folder" in result.err


@pytest.mark.parametrize("variable", ["DATABASE_URL", "BRIEFBOT_DATA_DIR"])
def test_a_sqlite_path_under_the_home_folder_is_that_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """``DATABASE_URL=sqlite:///~/briefbot.db`` (or ``BRIEFBOT_DATA_DIR=~/bb``), as a .env
    file holds it, unexpanded: briefbot made the file in the home folder, then SQLite
    opened ``~/briefbot.db`` in the working folder and the command ended with "Cannot
    reach the database ... unable to open database file" (exit 3)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    value = "sqlite:///~/briefbot.db" if variable == "DATABASE_URL" else "~/bb"
    env = {variable: value}
    if variable == "BRIEFBOT_DATA_DIR":
        env["DATABASE_URL"] = ""  # the data folder's default database
        monkeypatch.delenv("DATABASE_URL", raising=False)
    article = tmp_path / "a.txt"
    article.write_text("Home title\n\nA sentence about the home folder.\n", "utf-8")
    result: Result = cli("ingest", str(article), env=env)
    assert result.code == 0, result.err
    stored = home / ("briefbot.db" if variable == "DATABASE_URL" else "bb/briefbot.db")
    assert stored.stat().st_size > 0
    assert not (tmp_path / "~").exists()
    assert "Home title" in cli("sources", env=env).out


def test_path_settings_expand_a_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data folder holds tiktoken's cache too: ``BRIEFBOT_DATA_DIR=~/bb`` wrote it to
    a folder named "~" in the working folder."""
    from bot.config import Settings

    monkeypatch.setenv("HOME", str(tmp_path))
    settings = Settings.isolated(data_dir="~/bb", corpus_dir="~/c", profile="~/p.toml")
    assert settings.data_dir == tmp_path / "bb"
    assert settings.corpus_dir == tmp_path / "c"
    assert settings.profile == tmp_path / "p.toml"
    assert Settings.isolated(data_dir="~no-such-user-briefbot/x").data_dir == Path(
        "~no-such-user-briefbot/x"
    )
