"""Operations under attack: ingest and the CLI given hostile paths and settings, the
conversation log, and several processes on one database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.briefing import Briefing
from bot.core.ingest import IngestSummary
from conftest import Result, make_settings


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


def _chunks_match_their_articles(briefing: Briefing) -> tuple[int, int]:
    """(articles without chunks, chunks whose text is not their article's span)."""
    from sqlalchemy import select

    from storage.models import Article, Chunk

    with briefing.db.session() as s:
        texts = {i: t for i, t in s.execute(select(Article.id, Article.text))}
        chunks = s.execute(select(Chunk.article_id, Chunk.char_start, Chunk.char_end, Chunk.text))
        wrong, with_chunks = 0, set()
        for article_id, start, end, text in chunks:
            with_chunks.add(article_id)
            wrong += texts[article_id][start:end] != text
    return len(set(texts) - with_chunks), wrong


@pytest.mark.slow
def test_runs_that_update_one_folder_at_once_all_land(database_url: str, tmp_path: Path) -> None:
    """Three ``briefbot ingest`` runs of a folder whose files all changed, at once (a cron
    job and a person, two replicas): on PostgreSQL two of them used to end with
    "error: Lost the connection to the database: deadlock detected" (exit 3), each
    article's transaction deleting chunks the other was replacing. Every run now ends
    normally, and every article is stored whole."""
    import threading

    folder = tmp_path / "folder"
    folder.mkdir()
    for i in range(160):
        (folder / f"a{i:03d}.txt").write_text(
            f"Article {i}\n\n" + f"A sentence about the memorandum, number {i}. " * 40, "utf-8"
        )
    settings = make_settings(database_url, tmp_path)
    with Briefing.open(settings) as first:
        assert first.ingest([folder]).added == 160
    for path in folder.iterdir():
        with path.open("a", encoding="utf-8") as f:
            f.write("A sentence added in the second version.\n")
    briefings = [Briefing.open(settings) for _ in range(3)]
    outcomes: list[object] = []

    def run(briefing: Briefing) -> None:
        try:
            outcomes.append(briefing.ingest([folder]))
        except Exception as exc:  # what the run raised: the CLI's one error line
            outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in briefings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    try:
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert all(not o.failed for o in outcomes if isinstance(o, IngestSummary))
        assert sum(o.updated for o in outcomes if isinstance(o, IngestSummary)) >= 160
        assert _chunks_match_their_articles(briefings[0]) == (0, 0)
    finally:
        for briefing in briefings:
            briefing.close()
