"""An attack pass on secrets, settings and Slack requests: what a user or an operator
would have seen, each with the fix that keeps it from coming back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_serve import free_port, serve_env
from test_slack_app import Running, run_app, slack_settings

from conftest import REPO, Result, run_briefbot
from slackkit import next_ts
from standins import SlackAPIStandIn

PROXY_PASSWORD = "pr0xy-S3cret-pw"


@pytest.mark.parametrize("setting", ["OPENAI_BASE_URL", "SLACK_API_URL"])
@pytest.mark.parametrize(
    "value",
    [
        f"htps://me:{PROXY_PASSWORD}@proxy.example/v1",  # a mistyped scheme
        f"me:{PROXY_PASSWORD}@proxy.example/v1",  # no scheme at all
        f"ftp://me:{PROXY_PASSWORD[:4]}/{PROXY_PASSWORD[4:]}@proxy.example/v1",  # '/' unencoded
    ],
)
def test_a_proxy_url_that_is_not_http_is_refused_without_its_password(
    cli: Callable[..., Result], setting: str, value: str
) -> None:
    """A proxy URL with a password and a mistyped scheme was refused by repeating it
    whole: ``error: OPENAI_BASE_URL: 'htps://me:pr0xy-S3cret-pw@proxy.example/v1' is not
    an http(s) URL``, on stderr and in ``briefbot doctor``'s settings line (the redactor
    does not know the password yet: the settings did not parse)."""
    secret_part = PROXY_PASSWORD[4:]
    result = cli("sources", env={setting: value})
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert result.err.startswith(f"error: {setting}: "), result.err
    assert "is not an http(s) URL" in result.err
    assert secret_part not in result.out + result.err
    assert "proxy.example" in result.err  # still says which URL it means
    doctor = cli("doctor", env={setting: value})
    assert doctor.code == 1 and f"{setting}: " in doctor.out
    assert secret_part not in doctor.out + doctor.err


@pytest.mark.parametrize("name", ["BRIEFBOT_WEB_THREADS", "BRIEFBOT_ANSWER_WORKERS"])
def test_a_thread_count_no_process_can_start_is_refused_as_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """``BRIEFBOT_WEB_THREADS=100000000`` passed the settings: ``briefbot serve`` migrated
    the database, signed in to Slack, bound the port, and then died starting the threads
    with ``error: unexpected RuntimeError: can't start new thread``, naming no setting
    (the answer pool would fail the same way under load). It is the setting's error, at
    start, before anything else is done."""
    from bot.cli.common import load_settings
    from bot.errors import ConfigError

    monkeypatch.setenv(name, "100000000")
    with pytest.raises(ConfigError, match=f"^{name}: Input should be less than or equal to"):
        load_settings()
    monkeypatch.setenv(name, "256")
    load_settings()  # generous still


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sides = 5", "sides must be an array of tables ([[sides]])"),
        ('sides = "officials"', "sides must be an array of tables ([[sides]])"),
        ("synonyms = 5", "synonyms must be an array of tables ([[synonyms]])"),
        ("synonyms = {words = ['a', 'b']}", "synonyms must be an array of tables ([[synonyms]])"),
    ],
)
def test_a_profile_whose_sides_or_synonyms_are_no_list_is_one_clear_error(
    cli: Callable[..., Result], tmp_path: Path, text: str, reason: str
) -> None:
    """``sides = 5`` in the profile stopped every command with ``error: unexpected
    TypeError: 'int' object is not iterable`` (exit 1), naming neither the profile nor the
    key, and so did the doctor's profile check; ``sides = "officials"`` said "side 1 needs
    a key". Each is the profile's one-line error, exit 2, like its other mistakes."""
    path = tmp_path / "story.toml"
    path.write_text(text + "\n", encoding="utf-8")
    refused = cli("sources", env={"BRIEFBOT_PROFILE": str(path)})
    assert (refused.code, refused.err) == (2, f"error: profile {path}: {reason}\n")
    doctor = cli("doctor", env={"BRIEFBOT_PROFILE": str(path)})
    assert f"✗ story profile: profile {path}: {reason}" in doctor.out


@pytest.fixture
def running(database_url: str, tmp_path: Path, api: SlackAPIStandIn) -> Iterator[Running]:
    yield from run_app(slack_settings(database_url, tmp_path, api), api)


def test_slackbot_in_a_followed_thread_is_not_answered(running: Running) -> None:
    """Slackbot is a bot, but its posts carry no ``bot_id`` (``user: USLACKBOT``): a
    Slackbot auto-response or reminder in a thread briefbot followed was answered as a
    follow-up, a second answer to a canned message, and so was a mention it relayed."""
    _, root = running.slack.mention("Who criticised the deal?")
    running.api.wait_for("chat.postMessage")
    running.slack.message("Who signed the memorandum?", thread_ts=root, user="USLACKBOT")
    running.slack.mention("Who signed the memorandum?", user="USLACKBOT", thread_ts=root)
    running.slack.message(
        "Who signed the memorandum?", channel="D1", channel_type="im", user="USLACKBOT"
    )
    running.settle()
    assert len(running.posts()) == 1
    # a person's follow-up in the same thread is still answered
    running.slack.message("Who signed the memorandum?", thread_ts=root, ts=next_ts())
    running.api.wait_for("chat.postMessage", count=2)


APP_TOKEN = "xapp-1-A0123-456-notAgoodAppToken0123456789"


@pytest.mark.parametrize("error", ["invalid_auth", "not_allowed_token_type"])
@pytest.mark.slow
def test_an_app_token_slack_refuses_stops_serve_in_one_line(
    database_url: str, tmp_path: Path, api: SlackAPIStandIn, error: str
) -> None:
    """A SLACK_APP_TOKEN Slack refuses (revoked, or a bot token pasted in its place)
    stopped Socket Mode with Bolt's ERROR line, then ``error: unexpected SlackApiError:
    The request to the Slack API failed. (url: .../apps.connections.open)``, exit 1: no
    word of which setting was wrong. It is configuration, like a refused bot token: one
    line naming SLACK_APP_TOKEN, exit 2."""
    env = serve_env(database_url, tmp_path, api)
    api.error("apps.connections.open", error, times=None)
    # This checkout's code, whichever checkout the console script was installed from.
    env.update(SLACK_APP_TOKEN=APP_TOKEN, PORT=str(free_port()), PYTHONPATH=str(REPO))
    result = run_briefbot("serve", env=env, timeout=60)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: SLACK_APP_TOKEN was refused by Slack ({error}); ")
    assert result.err.count("\n") == 1, result.err
    assert APP_TOKEN not in result.out + result.err
    assert [c.method for c in api.calls()] == ["auth.test", "apps.connections.open"]
