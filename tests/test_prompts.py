"""The prompt loader fails loudly on a missing or unknown variable."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.core.prompts import load_prompt, parse_prompt
from bot.errors import ConfigError

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"

GOOD = """---
name: demo
variables: [question, sources]
---
## system
Answer {{carefully}}.
## user
Q: {question}
S: {sources}
"""


def test_bundled_prompts_load_and_hash_their_file() -> None:
    for name in ("answer", "condense", "digest_summary", "digest_sides"):
        prompt = load_prompt(name)
        assert prompt.name == name
        assert prompt.sha256 == hashlib.sha256((PROMPTS / f"{name}.md").read_bytes()).hexdigest()


def test_render_fills_placeholders_verbatim() -> None:
    prompt = parse_prompt(GOOD, "demo.md")
    messages = prompt.render(question="Why {not}?", sources="a } b")
    assert messages[0] == {"role": "system", "content": "Answer {carefully}."}
    assert messages[1]["content"] == "Q: Why {not}?\nS: a } b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("{sources}", "{source}"), r"undeclared: \['source'\]; unused: \['sources'\]"),
        (GOOD.replace("variables: [question, sources]", "variables: [question]"), "undeclared"),
        (GOOD.replace("Answer {{carefully}}", "Answer {carefully"), "lone '{'"),
        (GOOD.replace("{question}", "{question.upper}"), "not a plain lower-case name"),
        (GOOD.replace("{question}", "{question!r}"), "not a plain lower-case name"),
        (GOOD.replace("{question}", "{0}"), "not a plain lower-case name"),
        (GOOD.replace("name: demo", "name: demo\nsteps: [1, 2"), "front matter is not valid YAML"),
        (GOOD.replace("## user", "## users"), "needs a '## system' and a '## user' section"),
        (GOOD.replace("name: demo\n", ""), "needs a name"),
        ("no front matter", "starts with YAML front matter"),
    ],
)
def test_broken_prompts_fail_at_load(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_prompt(text, "demo.md")


def test_render_refuses_missing_or_unknown_values() -> None:
    prompt = parse_prompt(GOOD, "demo.md")
    with pytest.raises(ConfigError, match="missing: sources; unknown: none"):
        prompt.render(question="q")
    with pytest.raises(ConfigError, match="unknown: extra"):
        prompt.render(question="q", sources="s", extra="x")
