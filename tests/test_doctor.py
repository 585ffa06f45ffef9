"""``briefbot doctor`` against the Slack and OpenAI stand-ins and real databases: each
problem is named with its fix, nothing is changed or posted, no secret is printed."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from bot.core import tokens
from bot.doctor import CHECKS
from conftest import _SETTING_VARS as SETTING_VARS
from conftest import Result
from standins import OpenAIStandIn, SlackAPIStandIn
from standins.slack_api import manifest_scopes
from storage import migrate
from storage.db import Database

BOT_TOKEN = "xoxb-1234-5678-doctorbottokensecret"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
APP_TOKEN = "xapp-1-A0123ABCD-1234567890123-0123456789abcdef0123456789abcdef"
OPENAI_KEY = "sk-doctor-test-key-0123456789"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, OPENAI_KEY)

Doctor = Callable[..., tuple[Result, dict[str, dict[str, Any]]]]


@pytest.fixture
def doctor(cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> Doctor:
    """Run ``briefbot doctor --json`` with the test's settings and ``env`` alone (nothing
    from an earlier run); the result and the checks by key."""

    def run(**env: str) -> tuple[Result, dict[str, dict[str, Any]]]:
        for name in SETTING_VARS:
            monkeypatch.delenv(name, raising=False)
        result = cli("doctor", "--json", env=env)
        for secret in SECRETS:
            assert secret not in result.out + result.err
        data = json.loads(result.out)
        assert [c["check"] for c in data["checks"]] == list(CHECKS)  # all, in order
        assert data["ok"] == (result.code == 0)
        return result, {c["check"]: c for c in data["checks"]}

    return run


def slack_env(api: SlackAPIStandIn, **more: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.url,
        **more,
    }


def llm_env(llm: OpenAIStandIn, **more: str) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": OPENAI_KEY,
        "BRIEFBOT_LLM_TIMEOUT": "2",
        **more,
    }


def statuses(checks: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {key: c["status"] for key, c in checks.items()}


def test_a_healthy_deployment_passes_and_nothing_is_posted(
    briefing, doctor: Doctor, api: SlackAPIStandIn, llm: OpenAIStandIn
) -> None:
    result, checks = doctor(**slack_env(api, SLACK_APP_TOKEN=APP_TOKEN), **llm_env(llm))
    assert result.code == 0, result.out
    assert statuses(checks) == {key: "ok" for key in CHECKS} | {"embeddings": "skipped"}
    assert checks["llm_model"]["detail"].startswith("gpt-4o-mini (the default")
    assert checks["slack_token"]["detail"] == "valid: bot @briefbot (UBOT) in Briefbot Test (T1)"
    assert api.methods() == ["auth.test"]  # never a post
    assert [r.route for r in llm.requests] == ["models", "chat"]
    assert llm.last_request("chat").body["max_tokens"] == 5


def test_the_text_report_is_one_line_per_check(
    briefing, cli: Callable[..., Result], api: SlackAPIStandIn
) -> None:
    api.scopes = [s for s in manifest_scopes() if s != "chat:write"]
    result = cli("doctor", env=slack_env(api, SLACK_SIGNING_SECRET="not-a-secret"))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == len(CHECKS)
    assert [line.split(": ")[0] for line in lines] == [
        (
            "✗ "
            if key in ("slack_scopes", "signing_secret")
            else "- "
            if key.startswith(("llm", "embeddings", "socket"))
            else "✓ "
        )
        + name
        for key, name in CHECKS.items()
    ]
    scopes = lines[list(CHECKS).index("slack_scopes")]
    assert "lacks chat:write" in scopes and " Fix: add them under OAuth & Permissions" in scopes
    for secret in (*SECRETS, "not-a-secret"):
        assert secret not in result.out + result.err


def test_a_token_missing_a_scope_is_named_with_the_fix(
    briefing, doctor: Doctor, api: SlackAPIStandIn
) -> None:
    api.scopes = [s for s in manifest_scopes() if s not in ("im:history", "commands")]
    result, checks = doctor(**slack_env(api))
    assert result.code == 1
    scopes = checks["slack_scopes"]
    assert scopes["status"] == "failed"
    assert scopes["detail"].startswith("the token lacks commands, im:history of the 9 bot scopes")
    assert "reinstall the app" in scopes["fix"]
    assert checks["slack_token"]["status"] == "ok"
    assert api.methods() == ["auth.test"]


def test_a_database_one_migration_behind_is_named_with_the_fix(
    empty_database_url: str, doctor: Doctor, cli: Callable[..., Result]
) -> None:
    db = Database.connect(empty_database_url)
    migrate.downgrade(db.engine, "-1")
    behind = migrate.current(db.engine)
    db.dispose()
    newest = migrate.head()
    assert behind != newest

    result, checks = doctor(DATABASE_URL=empty_database_url)
    assert result.code == 1
    assert checks["database"]["status"] == "ok"
    migrations = checks["migrations"]
    assert migrations["status"] == "failed"
    assert migrations["detail"] == (
        f"the database is at {behind}, 1 migration behind {newest} ({newest})."
    )
    assert migrations["fix"].startswith("run `briefbot db upgrade`")
    engine = create_engine(Database.connect(empty_database_url, migrate=False).engine.url)
    assert migrate.current(engine) == behind  # the doctor changed nothing
    engine.dispose()

    assert cli("db", "upgrade", env={"DATABASE_URL": empty_database_url}).code == 0
    _, checks = doctor(DATABASE_URL=empty_database_url)
    assert checks["migrations"]["status"] == "ok"
    assert checks["corpus"]["status"] == "failed"  # upgraded, but still no articles
    assert "briefbot ingest" in checks["corpus"]["fix"]


def test_settings_that_do_not_parse_skip_everything_else(doctor: Doctor) -> None:
    result, checks = doctor(BRIEFBOT_TOP_K="many")
    assert result.code == 1
    assert checks["settings"]["status"] == "failed"
    assert "BRIEFBOT_TOP_K" in checks["settings"]["detail"]
    assert {c["status"] for k, c in checks.items() if k != "settings"} == {"skipped"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "no such file"),
        ("[topic\nname = 1", "not valid TOML"),
        ("[topic]\nname = 3", "must be"),
    ],
)
def test_a_profile_the_other_commands_refuse_fails_its_check(
    doctor: Doctor, cli: Callable[..., Result], tmp_path: Path, text: str | None, reason: str
) -> None:
    path = tmp_path / "story.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    env = {"BRIEFBOT_PROFILE": str(path)}
    refused = cli("sources", env=env)
    assert refused.code == 2 and reason in refused.err
    result, checks = doctor(**env)
    assert result.code == 1
    assert checks["profile"]["status"] == "failed"
    # The same one line the other commands give, after their "error: ".
    assert checks["profile"]["detail"] == refused.err.strip().removeprefix("error: ")
    assert "BRIEFBOT_PROFILE" in checks["profile"]["fix"]
    assert checks["database"]["status"] == "ok"  # the other checks still run


def test_the_profile_check_names_the_profile(doctor: Doctor, tmp_path: Path) -> None:
    _, checks = doctor()
    assert checks["profile"]["status"] == "ok"
    assert "profile.toml: the US–Central America border-security" in checks["profile"]["detail"]
    _, checks = doctor(BRIEFBOT_CORPUS_DIR=str(tmp_path))
    assert checks["profile"]["detail"].endswith("the neutral profile applies")


def test_a_missing_sqlite_file_is_not_created(doctor: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "briefbot.db"
    _, checks = doctor(DATABASE_URL=f"sqlite:///{path}")
    assert checks["database"]["status"] == "failed"
    assert str(path) in checks["database"]["detail"] and "db upgrade" in checks["database"]["fix"]
    assert checks["migrations"]["status"] == checks["corpus"]["status"] == "skipped"
    assert not path.parent.exists()


@pytest.mark.parametrize(
    "credentials",
    [
        "postgres:hunter2-password@{host}/nothing",
        "postgres:hunter2@password@{host}/nothing",  # an @ that is not percent-encoded
        "postgres@{host}/nothing?password=hunter2-password",  # libpq reads it too
    ],
)
def test_an_unreachable_database(
    doctor: Doctor, cli: Callable[..., Result], credentials: str
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = "postgresql://" + credentials.format(host=f"127.0.0.1:{port}")
    result, checks = doctor(DATABASE_URL=url)
    assert checks["database"]["status"] == "failed"
    assert "Cannot reach the database" in checks["database"]["detail"]
    assert f"127.0.0.1:{port}/nothing" in checks["database"]["detail"]
    plain = cli("doctor", env={"DATABASE_URL": url})
    assert "Cannot reach the database" in plain.out
    for shown in (result.out, result.err, plain.out, plain.err):
        assert "hunter2" not in shown and "password@" not in shown


def test_a_file_that_is_no_database_is_named_with_the_fix(doctor: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database at all, but long enough to be read as one\n" * 20)
    _, checks = doctor(DATABASE_URL=f"sqlite:///{path}")
    assert checks["database"]["status"] == "failed"
    assert "not one briefbot can use" in checks["database"]["detail"]
    assert "check DATABASE_URL" in checks["database"]["fix"]
    assert "unexpected" not in checks["database"]["detail"]


def test_tables_that_clash_are_named_not_an_upgrade(doctor: Doctor, tmp_path: Path) -> None:
    """A database with no briefbot schema but a table of briefbot's name: `briefbot db
    upgrade` would fail, so doctor does not advise it."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE article (id INTEGER)")
    _, checks = doctor(DATABASE_URL=f"sqlite:///{path}")
    assert checks["migrations"]["status"] == "failed"
    assert "(article)" in checks["migrations"]["detail"]
    assert "db upgrade" not in checks["migrations"]["fix"]


def test_tokenizer_files_are_hash_checked(
    settings, doctor: Doctor, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tokens.cache_dir_for(settings.data_dir)
    _, checks = doctor()
    assert checks["tokenizer"]["status"] == "ok"
    assert f"; the cache in {folder} is filled on first use" in checks["tokenizer"]["detail"]
    cached = tokens.prime_cache("o200k_base", folder)
    _, checks = doctor()
    assert (
        "has OpenAI's sha256 (446a9538…), and so has the cached copy"
        in (checks["tokenizer"]["detail"])
    )
    cached.write_bytes(b"not the BPE file")
    _, checks = doctor()
    assert "the cached copy in" in checks["tokenizer"]["detail"]
    assert "does not, and is replaced on first use" in checks["tokenizer"]["detail"]

    _, checks = doctor(BRIEFBOT_TOKENIZER="p50k_base")  # refused by the settings themselves
    assert checks["settings"]["status"] == "failed"
    assert checks["settings"]["detail"].startswith("BRIEFBOT_TOKENIZER: unknown tokenizer")
    assert checks["tokenizer"]["detail"] == "the settings did not parse"

    monkeypatch.setitem(tokens.EXPECTED_SHA256, "o200k_base", "0" * 64)
    _, checks = doctor()
    assert checks["tokenizer"]["status"] == "failed"
    assert "refusing to use it" in checks["tokenizer"]["detail"]


def test_no_model_or_model_none_skips_the_model_checks(doctor: Doctor) -> None:
    _, checks = doctor()
    assert checks["llm_server"]["status"] == "skipped"
    assert checks["llm_server"]["detail"].startswith("no OPENAI_API_KEY or OPENAI_BASE_URL")
    _, checks = doctor(OPENAI_API_KEY=OPENAI_KEY, BRIEFBOT_MODEL="none")
    assert checks["llm_completion"]["detail"].startswith("BRIEFBOT_MODEL=none")


def test_a_server_with_several_models_and_none_named(doctor: Doctor, llm: OpenAIStandIn) -> None:
    llm.models = ["llama3.1:8b", "qwen2.5:7b"]
    env = llm_env(llm)
    del env["OPENAI_API_KEY"]
    result, checks = doctor(**env)
    assert result.code == 1
    assert checks["llm_server"]["status"] == "ok"
    assert checks["llm_model"]["status"] == "failed"
    assert "serves 2 models (llama3.1:8b, qwen2.5:7b)" in checks["llm_model"]["detail"]
    assert checks["llm_completion"]["status"] == "skipped"
    assert not llm.requests_for("chat")


def test_the_text_report_escapes_what_a_server_names(
    cli: Callable[..., Result], llm: OpenAIStandIn
) -> None:
    """Model names come from the server: an escape sequence in one is shown escaped, not
    sent to the terminal (retitle the window, reorder the line)."""
    llm.models = ["evil\x1b]0;PWNED\x07", "other\u202emodel"]
    env = llm_env(llm)
    del env["OPENAI_API_KEY"]
    result = cli("doctor", env=env)
    assert result.code == 1
    assert not {"\x1b", "\x07", "\u202e"} & set(result.out + result.err), result.out
    assert "evil\\x1b]0;PWNED\\x07, other\\u202emodel" in result.out, result.out


def test_a_model_the_server_does_not_know(doctor: Doctor, llm: OpenAIStandIn) -> None:
    _, checks = doctor(**llm_env(llm, BRIEFBOT_MODEL="gpt-9-ultra"))
    model = checks["llm_model"]
    assert model["status"] == "failed"
    assert model["detail"].startswith("gpt-9-ultra (BRIEFBOT_MODEL) is not among the models")
    assert "gpt-4o-mini" in model["detail"] and "BRIEFBOT_MODEL" in model["fix"]


def test_a_completion_that_does_not_come_back_in_time(doctor: Doctor, llm: OpenAIStandIn) -> None:
    llm.hang(seconds=10)
    _, checks = doctor(**llm_env(llm, BRIEFBOT_LLM_TIMEOUT="0.1"))
    completion = checks["llm_completion"]
    assert completion["status"] == "failed"
    assert completion["detail"] == (
        "gpt-4o-mini did not complete a five-token request within 0.1 s: timed out."
    )
    assert "BRIEFBOT_LLM_TIMEOUT" in completion["fix"]


def test_a_refused_key_and_an_unreachable_server(doctor: Doctor, llm: OpenAIStandIn) -> None:
    llm.auth_error()
    _, checks = doctor(**llm_env(llm))
    assert checks["llm_server"]["status"] == "failed"
    assert "refused the key (HTTP 401)" in checks["llm_server"]["detail"]
    assert checks["llm_server"]["fix"] == "check OPENAI_API_KEY."

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, checks = doctor(OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1")
    assert checks["llm_server"]["status"] == "failed"
    assert "model unreachable (could not connect)" in checks["llm_server"]["detail"]
    assert checks["llm_model"]["status"] == "skipped"


def test_embeddings_when_configured(doctor: Doctor, llm: OpenAIStandIn) -> None:
    env = llm_env(llm, BRIEFBOT_EMBEDDING_MODEL="text-embedding-3-small")
    _, checks = doctor(**env)
    assert checks["embeddings"]["status"] == "ok"
    assert checks["embeddings"]["detail"].startswith("text-embedding-3-small: 256 dimensions in")
    llm.fail(status=500, times=None, path="embeddings")
    _, checks = doctor(**env)
    assert checks["embeddings"]["status"] == "failed"


def test_slack_refuses_the_token(doctor: Doctor, api: SlackAPIStandIn) -> None:
    api.error("auth.test", "invalid_auth")
    _, checks = doctor(**slack_env(api))
    assert checks["slack_token"]["status"] == "failed"
    assert checks["slack_token"]["detail"] == "Slack refused SLACK_BOT_TOKEN: invalid_auth."
    assert "Bot User OAuth Token" in checks["slack_token"]["fix"]
    assert checks["slack_scopes"] == {
        "check": "slack_scopes",
        "name": "Slack scopes",
        "status": "skipped",
        "detail": "Slack did not accept the token",
        "fix": None,
    }


def test_slack_reporting_no_scopes(doctor: Doctor, api: SlackAPIStandIn) -> None:
    api.scopes = None
    _, checks = doctor(**slack_env(api))
    assert checks["slack_token"]["status"] == "ok"
    assert checks["slack_scopes"]["status"] == "skipped"
    assert checks["slack_scopes"]["detail"] == "Slack reported no scopes for the token"


def test_a_user_token_is_not_sent_to_slack(doctor: Doctor, api: SlackAPIStandIn) -> None:
    _, checks = doctor(**slack_env(api, SLACK_BOT_TOKEN="xoxp-1-user-token-secret"))
    assert checks["slack_token"]["detail"] == "SLACK_BOT_TOKEN is a user token, not a bot token."
    assert api.calls() == []


def test_signing_secret_and_socket_mode_token_shapes(doctor: Doctor, api: SlackAPIStandIn) -> None:
    _, checks = doctor(
        **slack_env(api, SLACK_SIGNING_SECRET="a-verification-token", SLACK_APP_TOKEN=BOT_TOKEN)
    )
    assert checks["signing_secret"]["status"] == "failed"
    assert "not the Verification Token" in checks["signing_secret"]["fix"]
    assert checks["socket_mode"]["status"] == "failed"
    assert checks["socket_mode"]["detail"] == (
        "SLACK_APP_TOKEN is a bot token, not shaped like an app-level token (xapp-…)."
    )

    _, checks = doctor(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.url)
    assert checks["slack_token"]["detail"] == "SLACK_BOT_TOKEN is not set."
    assert checks["signing_secret"]["status"] == "ok"
    assert checks["socket_mode"]["status"] == "skipped"


def test_slack_unconfigured_is_skipped(doctor: Doctor) -> None:
    _, checks = doctor()
    slack = ("slack_token", "slack_scopes", "signing_secret", "socket_mode")
    assert {checks[k]["status"] for k in slack} == {"skipped"}


def test_a_check_that_breaks_fails_alone_in_one_line(
    doctor: Doctor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str, data_dir: Path) -> str:
        raise RuntimeError("something odd\nwith a second line")

    monkeypatch.setattr(tokens, "verify_files", broken)
    result, checks = doctor()
    assert checks["tokenizer"]["status"] == "failed"
    assert checks["tokenizer"]["detail"] == "unexpected RuntimeError: something odd"
    assert checks["corpus"]["status"] == "failed"  # the others still ran
    assert checks["socket_mode"]["status"] == "skipped"
    assert "Traceback" not in result.out + result.err


def test_a_server_for_embeddings_alone(briefing, doctor: Doctor, llm: OpenAIStandIn) -> None:
    llm.models = ["nomic-embed-text"]
    env = llm_env(llm, BRIEFBOT_EMBEDDING_MODEL="nomic-embed-text")
    del env["OPENAI_API_KEY"]
    result, checks = doctor(**env)
    assert result.code == 0
    assert checks["llm_server"]["status"] == "ok"
    assert checks["llm_model"]["status"] == "skipped"
    assert checks["llm_model"]["detail"] == "no chat model named: answers are extractive"
    assert checks["embeddings"]["status"] == "ok"
    assert not llm.requests_for("chat")
