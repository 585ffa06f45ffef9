"""The checks of Slack: the bot token, its scopes, the signing secret, the app token.

The only Slack call is ``auth.test``.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import Literal

from bot.config import Settings
from bot.doctor.checks import Check, failed, ok, skipped

SLACK_TIMEOUT = 10
_SIGNING_SECRET = re.compile(r"[0-9a-f]{32}")
_APP_TOKEN = re.compile(r"xapp-\d+-[A-Z0-9]+-\d+-[0-9a-f]+")
_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xoxp-": "a user token",
    "xapp-": "an app-level token",
    "xoxe": "a refresh token",
}


def manifest_scopes() -> list[str]:
    """The bot scopes ``slack-manifest.yml`` asks for."""
    import yaml

    from bot.resources import bundled_file

    manifest = yaml.safe_load(bundled_file("slack-manifest.yml").read_text(encoding="utf-8"))
    return [str(s) for s in manifest["oauth_config"]["scopes"]["bot"]]


def _token_kind(token: str) -> str:
    for prefix, kind in _TOKEN_KINDS.items():
        if token.startswith(prefix):
            return kind
    return "not a Slack token"


def slack(settings: Settings) -> Iterator[Check]:
    token = settings.slack_bot_token.get_secret_value().strip() if settings.slack_bot_token else ""
    secret = (
        settings.slack_signing_secret.get_secret_value().strip()
        if settings.slack_signing_secret
        else ""
    )
    app_token = (
        settings.slack_app_token.get_secret_value().strip() if settings.slack_app_token else ""
    )
    if not (token or secret or app_token):
        why = "Slack is not configured (`briefbot serve`, `clock` and `digest --post` need it)"
        for key in ("slack_token", "slack_scopes", "signing_secret", "socket_mode"):
            yield skipped(key, why)
        return
    granted = yield from _slack_token(settings, token)
    yield (
        skipped("slack_scopes", "Slack did not accept the token")
        if granted is False
        else _slack_scopes(granted)
    )
    yield _signing_secret(secret)
    yield _socket_mode(app_token)


def _slack_token(
    settings: Settings, token: str
) -> Generator[Check, None, list[str] | Literal[False] | None]:
    """The token check; returns the scopes Slack reported: None when it reported none,
    False when the token was not accepted."""
    fix = (
        "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into "
        "SLACK_BOT_TOKEN."
    )
    if not token:
        yield failed("slack_token", "SLACK_BOT_TOKEN is not set.", fix)
        return False
    if not token.startswith("xoxb-"):
        yield failed(
            "slack_token", f"SLACK_BOT_TOKEN is {_token_kind(token)}, not a bot token.", fix
        )
        return False
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=token, base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT)
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        yield failed("slack_token", f"Slack refused SLACK_BOT_TOKEN: {error}.", fix)
        return False
    except Exception as exc:  # URLError, timeouts, TLS: Slack could not be asked
        yield failed(
            "slack_token",
            f"could not reach Slack at {settings.slack_api_url}: {type(exc).__name__}.",
            "check the network (and SLACK_API_URL if it is set).",
        )
        return False
    bot = f"@{response.get('user')} ({response.get('user_id')})"
    yield ok(
        "slack_token", f"valid: bot {bot} in {response.get('team')} ({response.get('team_id')})"
    )
    headers = {str(k).lower(): str(v) for k, v in (response.headers or {}).items()}
    if "x-oauth-scopes" not in headers:
        return None
    return [s.strip() for s in headers["x-oauth-scopes"].split(",") if s.strip()]


def _slack_scopes(granted: list[str] | None) -> Check:
    if granted is None:
        return skipped("slack_scopes", "Slack reported no scopes for the token")
    wanted = manifest_scopes()
    missing = [s for s in wanted if s not in granted]
    if missing:
        return failed(
            "slack_scopes",
            f"the token lacks {', '.join(missing)} of the {len(wanted)} bot scopes in "
            "slack-manifest.yml.",
            "add them under OAuth & Permissions → Scopes → Bot Token Scopes (or paste "
            "slack-manifest.yml into the app's manifest), then reinstall the app to the "
            "workspace.",
        )
    return ok("slack_scopes", f"all {len(wanted)} bot scopes of slack-manifest.yml granted")


def _signing_secret(secret: str) -> Check:
    fix = (
        "copy Basic Information → App Credentials → Signing Secret (not the Verification "
        "Token) into SLACK_SIGNING_SECRET."
    )
    if not secret:
        return failed("signing_secret", "SLACK_SIGNING_SECRET is not set.", fix)
    if not _SIGNING_SECRET.fullmatch(secret):
        return failed(
            "signing_secret",
            "SLACK_SIGNING_SECRET is not shaped like a signing secret (32 hexadecimal "
            "characters), so no request from Slack would verify.",
            fix,
        )
    return ok("signing_secret", "set, and shaped like Slack's (it can only be proven by a request)")


def _socket_mode(app_token: str) -> Check:
    if not app_token:
        return skipped("socket_mode", "SLACK_APP_TOKEN is not set (HTTP mode)")
    if not _APP_TOKEN.fullmatch(app_token):
        kind = _token_kind(app_token)
        what = "cut short or mangled" if kind == "an app-level token" else kind
        return failed(
            "socket_mode",
            f"SLACK_APP_TOKEN is {what}, not shaped like an app-level token (xapp-…).",
            "create one under Basic Information → App-Level Tokens with connections:write, "
            "and put it in SLACK_APP_TOKEN (or unset it for HTTP mode).",
        )
    return ok("socket_mode", "an app-level token (xapp-…): `briefbot serve` uses Socket Mode")
