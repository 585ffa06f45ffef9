"""An article's metadata, checked value by value: text fields, dates and urls, from a
Markdown file's front matter (:mod:`bot.core.front_matter`) or a page's metadata.

A value is refused with the field's name rather than turned into text when it is not
what the field holds (a list as a title, true/false as a source, a date that does not
exist), so a hostile file fails alone with a reason a person can act on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.core.text import shortened, squash
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
