"""Loading prompt files from ``prompts/``. The code holds only this loader.

A prompt that uses an undeclared variable, or declares one it never uses, fails when it is
loaded, not halfway through a reply. See ``prompts/README.md`` for the file format.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.core.front_matter import FrontMatterError, read_front_matter
from bot.errors import ConfigError
from bot.resources import bundled_dir

_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt: two templates, their declared variables and the file's hash."""

    name: str
    system: str
    user: str
    variables: frozenset[str]
    sha256: str

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with every placeholder filled; values are inserted verbatim."""
        given = set(values)
        if given != self.variables:
            missing = ", ".join(sorted(self.variables - given)) or "none"
            unknown = ", ".join(sorted(given - self.variables)) or "none"
            raise ConfigError(
                f"prompt {self.name!r} needs exactly {sorted(self.variables)}; "
                f"missing: {missing}; unknown: {unknown}"
            )
        return [
            {"role": "system", "content": self.system.format_map(values)},
            {"role": "user", "content": self.user.format_map(values)},
        ]


def _placeholders(template: str, where: str) -> set[str]:
    """The names of ``template``'s placeholders, as ``str.format`` reads them. Only plain
    names (``{question}``) are allowed: an index, an attribute, a conversion or a format
    spec would let ``format_map`` do more than insert a value."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(
            f"{where}: a lone '{{' or '}}' ({exc}); write {{{{ or }}}} for a literal brace"
        ) from None
    names: set[str] = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not _NAME.fullmatch(name) or spec or conversion:
            raise ConfigError(f"{where}: placeholder {{{name}}} is not a plain lower-case name")
        names.add(name)
    return names


def parse_prompt(text: str, where: str) -> Prompt:
    """Parse and check one prompt file's text; ``where`` names it in errors."""
    if not text.startswith("---"):
        raise ConfigError(f"{where}: a prompt starts with YAML front matter between --- lines")
    try:
        meta, body = read_front_matter(text)
    except FrontMatterError as exc:
        raise ConfigError(f"{where}: {exc.message}") from exc
    if not isinstance(meta.get("name"), str):
        raise ConfigError(f"{where}: front matter needs a name")
    declared = meta.get("variables") or []
    if not isinstance(declared, list) or not all(isinstance(v, str) for v in declared):
        raise ConfigError(f"{where}: variables must be a list of names")
    parts = _SECTION.split(body)
    sections = dict(zip(parts[1::2], (p.strip("\n") for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise ConfigError(f"{where}: needs a '## system' and a '## user' section")
    used = _placeholders(sections["system"], where) | _placeholders(sections["user"], where)
    if used != set(declared):
        undeclared = sorted(used - set(declared))
        unused = sorted(set(declared) - used)
        raise ConfigError(
            f"{where}: placeholders and variables differ "
            f"(undeclared: {undeclared or 'none'}; unused: {unused or 'none'})"
        )
    return Prompt(
        name=meta["name"],
        system=sections["system"],
        user=sections["user"],
        variables=frozenset(declared),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


@cache
def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    """The prompt ``name`` from ``folder`` (default: the bundled ``prompts/``)."""
    path = (folder or bundled_dir("prompts")) / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"prompt file {path} is missing") from exc
    prompt = parse_prompt(text, str(path))
    if prompt.name != name:
        raise ConfigError(f"{path}: its front matter names it {prompt.name!r}, not {name!r}")
    return prompt
