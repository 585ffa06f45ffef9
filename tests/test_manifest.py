"""The Slack app manifest declares everything the code listens for and calls."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.profile import load_profile

MANIFEST = Path(__file__).resolve().parent.parent / "slack-manifest.yml"


def test_manifest_matches_the_app() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    commands = {c["command"]: c for c in features["slash_commands"]}
    assert set(commands) == {"/brief", "/quote"}
    assert all(c["url"].endswith("/slack/events") for c in commands.values())
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {
        "app_mention",
        "message.im",
        "message.channels",
        "app_home_opened",
        "assistant_thread_started",
    } <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "assistant:write",
        "channels:history",
    } <= scopes
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    prompts = [p["message"] for p in features["assistant_view"]["suggested_prompts"]]
    bundled = load_profile(MANIFEST.parent / "corpus" / "profile.toml")
    assert prompts == list(bundled.suggested_prompts)
