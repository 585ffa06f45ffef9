"""What a check says: ok, failed with the fix, or skipped with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.logsetup import redact

Status = Literal["ok", "failed", "skipped"]

#: Every check, in the order it runs, with the name users see.
CHECKS: dict[str, str] = {
    "settings": "settings parse",
    "profile": "story profile",
    "database": "database reachable",
    "migrations": "migrations current",
    "corpus": "corpus non-empty",
    "tokenizer": "tokenizer files",
    "llm_server": "LLM server reachable",
    "llm_model": "model known",
    "llm_completion": "tiny completion",
    "embeddings": "embeddings",
    "slack_token": "Slack token",
    "slack_scopes": "Slack scopes",
    "signing_secret": "signing secret",
    "socket_mode": "Socket Mode token",
}


@dataclass(frozen=True)
class Check:
    """The outcome of one check. ``fix`` says what to do when it failed."""

    key: str
    status: Status
    detail: str
    fix: str | None = None

    @property
    def name(self) -> str:
        return CHECKS[self.key]

    def line(self) -> str:
        if self.status == "ok":
            text = f"✓ {self.name}: {self.detail}"
        elif self.status == "skipped":
            text = f"- {self.name}: skipped, {self.detail}"
        else:
            text = f"✗ {self.name}: {self.detail}" + (f" Fix: {self.fix}" if self.fix else "")
        return redact(" ".join(text.split()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.key,
            "name": self.name,
            "status": self.status,
            "detail": redact(self.detail),
            "fix": redact(self.fix) if self.fix else None,
        }


def ok(key: str, detail: str) -> Check:
    return Check(key, "ok", detail)


def failed(key: str, detail: str, fix: str | None = None) -> Check:
    return Check(key, "failed", detail, fix)


def skipped(key: str, reason: str) -> Check:
    return Check(key, "skipped", reason)
