"""Settings: which variable each setting is read from, and what counts as unset."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest

from bot.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_each_setting_is_read_from_its_documented_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = Settings.env_names()
    assert len(names) == len(set(names)) == len(Settings.model_fields)
    assert Settings.env_name("top_k") == "BRIEFBOT_TOP_K"
    assert Settings.env_name("database_url") == "DATABASE_URL"
    assert Settings.env_name("slack_app_token") == "SLACK_APP_TOKEN"
    assert Settings.env_name("port") == "PORT"
    readme = README.read_text(encoding="utf-8").replace(
        "..._COMPLETION", "BRIEFBOT_PRICE_COMPLETION"
    )
    assert [n for n in names if f"`{n}`" not in readme] == []
    monkeypatch.setenv("BRIEFBOT_TOP_K", "9")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("PORT", "8080")
    settings = Settings()
    assert (settings.top_k, settings.openai_base_url, settings.port) == (
        9,
        "http://127.0.0.1:1/v1",
        8080,
    )


def test_empty_and_blank_variables_are_unset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("BRIEFBOT_TOP_K", "")
    monkeypatch.setenv("BRIEFBOT_PROFILE", "  ")
    (tmp_path / ".env").write_text("SLACK_APP_TOKEN=\nBRIEFBOT_MODEL=\n", encoding="utf-8")
    settings = Settings()
    assert settings.slack_bot_token is None and settings.slack_app_token is None
    assert settings.top_k == 6 and settings.profile is None and settings.model is None
    assert settings.secret_values() == []


def test_secret_values_are_the_configured_secrets() -> None:
    settings = Settings.isolated(slack_bot_token="xoxb-1", openai_api_key="sk-abcdefgh")
    assert settings.secret_values() == ["xoxb-1", "sk-abcdefgh"]


def test_a_password_in_the_model_or_slack_url_is_a_secret() -> None:
    settings = Settings.isolated(
        openai_base_url="https://me:pass%40word1@proxy.example/v1",
        slack_api_url="https://bot:slack-proxy-pw@proxy.example/api/",
    )
    assert settings.secret_values() == ["pass%40word1", "pass@word1", "slack-proxy-pw"]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://me:pass@word1@db.example/x",
        "postgresql://me@db.example/x?password=pass%40word1",
    ],
)
def test_the_database_password_is_a_secret(url: str) -> None:
    """The log redactor masks it wherever a driver's message repeats it."""
    assert Settings.isolated(database_url=url).secret_values() == ["pass@word1"]


@pytest.mark.parametrize(
    "name",
    [
        "BRIEFBOT_MAX_FILE_MB",
        "BRIEFBOT_LLM_TIMEOUT",
        "BRIEFBOT_WEB_TIMEOUT",
        "BRIEFBOT_STOP_GRACE",
        "BRIEFBOT_LOG_RETENTION_DAYS",
    ],
)
def test_a_number_too_large_to_use_is_refused_as_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A finite value too large for what it becomes (bytes, a deadline, a cut-off date)
    used to pass and then fail as "unexpected OverflowError" in the command that used it
    (BRIEFBOT_MAX_FILE_MB=1e308 in every ingest, BRIEFBOT_LLM_TIMEOUT=1e308 in every ask
    with a model, retention in the clock); it is a setting's error, named, at start."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    monkeypatch.setenv(name, "1" + "0" * 12)
    with pytest.raises(ConfigError, match=f"^{name}: Input should be less than or equal to"):
        load_settings()


def test_a_line_of_the_env_file_that_cannot_be_read_is_an_error_not_unset(
    tmp_path: Path,
) -> None:
    """python-dotenv skips a line it cannot parse (an unclosed quote) with a warning only
    ``-v`` shows: the setting on it would be silently unset, and ``DATABASE_URL`` with
    its quote left open would run every command on the default SQLite file instead. The
    line is named by its number, not shown: it may hold a password."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    env = tmp_path / ".env"
    env.write_text(
        'BRIEFBOT_TOP_K=4\n# a comment\nDATABASE_URL="postgresql://me:pw-s3cret@db/x\n'
        "export BRIEFBOT_MODEL=none\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.message.startswith(".env line 3 cannot be read")
    assert "s3cret" not in caught.value.message and "DATABASE_URL" not in caught.value.message
    env.write_text("BRIEFBOT_TOP_K=4\n# a comment\n\nexport BRIEFBOT_MODEL=none\nX\n", "utf-8")
    assert load_settings().top_k == 4


def test_an_env_file_that_is_a_named_pipe_is_read_once(tmp_path: Path) -> None:
    """A .env may be a named pipe that a secret manager writes once. The settings read
    it; the check of its lines used to open it again and wait for ever for a writer."""
    from bot.cli.common import load_settings

    fifo = tmp_path / ".env"
    os.mkfifo(fifo)
    done = threading.Event()

    def write_once() -> None:
        with fifo.open("w", encoding="utf-8") as handle:
            handle.write("BRIEFBOT_TOP_K=4\n")
        if not done.wait(15):  # a second reader waits for a writer: release it (no hang)
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=write_once, daemon=True).start()
    started = time.monotonic()
    settings = load_settings()
    done.set()
    assert settings.top_k == 4
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OPENAI_API_KEY", "sk-abc\udcffdefghijk"),
        ("OPENAI_BASE_URL", "http://127.0.0.1:9/v\udcff"),
        ("BRIEFBOT_MODEL", "gpt\udcff"),
        ("BRIEFBOT_EMBEDDING_MODEL", "embed\udcff"),
        ("DATABASE_URL", "postgresql://me:pw-s3cret\udcff@db/x"),
    ],
)
def test_a_setting_with_bytes_that_are_not_utf8_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Python reads such bytes in the environment as lone surrogates, which the HTTP
    clients and the database cannot send: a command used to fail later with "unexpected
    UnicodeEncodeError", an apology, or a model reply called unreadable."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    monkeypatch.setenv(name, value)  # written to the environment as the byte 0xff
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.message == f"{name}: holds bytes that are not UTF-8"


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("OPENAI_BASE_URL", "http://me:pw-s3cret@127.0.0.1:abc/v1", "Port could not be cast"),
        ("OPENAI_BASE_URL", "https://[::1]:65536/v1", "Port out of range"),
        ("SLACK_API_URL", "http://127.0.0.1:-1/api/", "Port could not be cast"),
    ],
)
def test_a_url_setting_with_a_port_no_connection_can_use_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, reason: str
) -> None:
    """It used to pass, and end ask in an apology ("something went wrong") and doctor's
    check in "unexpected ValueError"."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.message.startswith(f"{name}: "), caught.value.message
    assert "has no valid port" in caught.value.message and reason in caught.value.message
    assert "s3cret" not in caught.value.message


def test_paths_may_hold_bytes_that_are_not_utf8(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file name on Linux may hold any bytes: the path settings and a SQLite URL keep them."""
    from bot.cli.common import load_settings

    folder = os.fsencode(tmp_path) + b"/caf\xe9"
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", os.fsdecode(folder))
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + os.fsdecode(folder + b"/x.db"))
    settings = load_settings()
    assert os.fsencode(settings.data_dir) == folder
    assert settings.resolved_database_url.endswith("caf\udce9/x.db")


@pytest.mark.parametrize("name", ["BRIEFBOT_PROFILE", "BRIEFBOT_DATA_DIR", "BRIEFBOT_CORPUS_DIR"])
def test_a_path_setting_with_a_nul_names_its_variable(tmp_path: Path, name: str) -> None:
    """A NUL (which only a .env file can hold) makes no path: the one line names the
    variable, not an "unexpected ValueError" from whatever opens it first, nor
    ``DATABASE_URL`` (the default database is in the data folder)."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    (tmp_path / ".env").write_bytes(f"{name}={tmp_path}/a\x00b\n".encode())
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.message == f"{name}: a path cannot hold a NUL character"


@pytest.mark.parametrize(
    "name", ["BRIEFBOT_PRICE_PROMPT_PER_MTOK", "BRIEFBOT_PRICE_COMPLETION_PER_MTOK"]
)
def test_a_price_no_model_costs_is_refused_before_a_cost_overflows(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A price is a finite float, but one far past any model's made the cost of an
    answer infinite: ``ask --json`` and ``logs export`` then printed ``Infinity``, which
    is not JSON. The setting is refused, in one line that names it."""
    from bot.cli.common import load_settings
    from bot.core.pricing import estimated_cost
    from bot.errors import ConfigError

    monkeypatch.setenv(name, "1e305")
    with pytest.raises(ConfigError, match=f"^{name}: Input should be less than or equal to"):
        load_settings()
    monkeypatch.setenv(name, "1000000")
    most = 2**31 - 1  # the largest token count read from a server
    cost = estimated_cost(load_settings(), "any-model", most, most)
    assert cost is not None and cost < float("inf")
