"""An article's metadata, checked value by value: text fields, dates and urls, and the
YAML front matter of a Markdown file that most of them come from.

Front matter is read with YAML's safe loader, without aliases (``*name`` can turn a
500-byte document into gigabytes of structure, and front matter never needs one). A
value is refused with the field's name rather than turned into text when it is not what
the field holds (a list as a title, true/false as a source, a date that does not exist),
so a hostile file fails alone with a reason a person can act on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.core.text import first_line, shortened, squash
from bot.core.urls import normalise_url
from bot.errors import IngestError, InputError
from storage.upsert import IDENTITY_BYTES


def parse_date(value: Any, where: str) -> date | None:
    """A date from front matter or a page's metadata (a date, a datetime or ISO text);
    None when empty. ``where`` names the field in the reason it is refused with."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise IngestError(f"{where} must be a date (YYYY-MM-DD), not {kind_of(value)}")
    text = str(value).strip()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except (ValueError, OverflowError):
            continue
    raise IngestError(f"{where} date {shortened(text, 40)!r} is not a date (use YYYY-MM-DD)")


def kind_of(value: Any) -> str:
    """What a YAML value is, for a reason: "a list", "a mapping", "true/false"."""
    if isinstance(value, bool):
        return "true/false (quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, set | frozenset):
        return "a set"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = squash(value)
    return text or None


def front_matter_text(meta: dict[Any, Any], name: str) -> str | None:
    """A front-matter field that holds text: a string, or a number or date written
    unquoted (kept as written). Anything else is refused, naming the field; it is never
    turned into text, which for a structure could take more memory than there is."""
    value = meta.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise IngestError(f"front matter {name} must be text, not {kind_of(value)}")
    return clean_text(str(value))


def is_http_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host and no spaces."""
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:  # e.g. an unclosed [IPv6] host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_storable_url(value: str) -> bool:
    """Whether ``value`` normalises to a url that fits the article table."""
    try:
        return _fits_identity(normalise_url(value))
    except InputError:
        return False


def _fits_identity(value: str) -> bool:
    return len(value.encode("utf-8", "surrogatepass")) <= IDENTITY_BYTES


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: ``*name`` can make a 500-byte document into
    gigabytes of structure, and front matter never needs one.

    A value that looks like a timestamp but is not a real one (``2019-02-30``, an hour
    of 25) stays text, so the field that holds it is refused with its name (see
    :func:`parse_date`) instead of the YAML loader raising ``ValueError``.
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
        raise IngestError("front matter is nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML starts on the opening "---" line (after the dashes): line 0 is line 1.
        where = f" (line {mark.line + 1})" if mark is not None else ""
        if getattr(exc, "problem", None) == "YAML aliases are not allowed":
            raise IngestError(
                f"front matter uses a YAML alias (*name){where}; write the value out"
            ) from exc
        raise IngestError(f"front matter is not valid YAML{where}") from exc
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an integer of 5,000 digits
        reason = shortened(first_line(exc), 120)
        raise IngestError(f"front matter holds a value YAML cannot read ({reason})") from exc


def read_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of ``text`` (between a first line ``---`` and the next line
    that starts with ``---``) as a mapping, and the text after it; an empty mapping and
    the whole text when there is none. Raises :class:`IngestError` with the reason."""
    body = text.lstrip("\ufeff")
    if not body.startswith("---"):
        return {}, body
    first, sep, rest = body[3:].partition("\n---")
    if not sep:
        raise IngestError("front matter starts with --- but never ends")
    loaded = _load_yaml(first)
    if loaded is not None and not isinstance(loaded, dict):
        raise IngestError("front matter must be a mapping of keys to values")
    return loaded or {}, rest.split("\n", 1)[1] if "\n" in rest else ""


def front_matter_url(value: Any) -> str | None:
    """The front matter's url: absent, or an http(s) URL string (it becomes the article's
    identity, so anything else fails the file rather than be stored as one)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise IngestError(f"front matter url must be an http(s) URL, not {kind_of(value)}")
    url = clean_text(value)
    if url is None:
        return None
    if not is_http_url(url):
        raise IngestError(f"front matter url {shortened(url)!r} is not an http(s) URL")
    return url
