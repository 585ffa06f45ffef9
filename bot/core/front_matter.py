"""YAML front matter: the block between a first line ``---`` and the next, in article
files and prompt files.

It is read with YAML's safe loader, without aliases: ``*name`` can turn a 500-byte
document into gigabytes of structure, and front matter never needs one. Whatever YAML
cannot build (a date that does not exist, an integer of thousands of digits, nesting too
deep) is a :class:`FrontMatterError` with a one-line reason, never another exception.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.core.text import first_line, shortened
from bot.errors import IngestError


class FrontMatterError(IngestError):
    """Front matter that cannot be read; the message is one line. An :class:`IngestError`,
    since an article file is where most front matter is."""


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: ``*name`` can make a 500-byte document into
    gigabytes of structure, and front matter never needs one.

    A value that looks like a timestamp but is not a real one (``2019-02-30``, an hour
    of 25) stays text, so the field that holds it is refused with its name (see
    :func:`bot.core.metadata.parse_date`) instead of the YAML loader raising ``ValueError``.
    """

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp
)


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML starts on the opening "---" line (after the dashes): line 0 is line 1.
        where = f" (line {mark.line + 1})" if mark is not None else ""
        if getattr(exc, "problem", None) == "YAML aliases are not allowed":
            raise FrontMatterError(
                f"front matter uses a YAML alias (*name){where}; write the value out"
            ) from exc
        raise FrontMatterError(f"front matter is not valid YAML{where}") from exc
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an integer of 5,000 digits
        reason = shortened(first_line(exc), 120)
        raise FrontMatterError(f"front matter holds a value YAML cannot read ({reason})") from exc


def read_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of ``text`` (between a first line ``---`` and the next line
    that starts with ``---``) as a mapping, and the text after it; an empty mapping and
    the whole text when there is none. Raises :class:`FrontMatterError` with the reason."""
    body = text.lstrip("\ufeff")
    if not body.startswith("---"):
        return {}, body
    first, sep, rest = body[3:].partition("\n---")
    if not sep:
        raise FrontMatterError("front matter starts with --- but never ends")
    loaded = _load_yaml(first)
    if loaded is not None and not isinstance(loaded, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values")
    return loaded or {}, rest.split("\n", 1)[1] if "\n" in rest else ""
