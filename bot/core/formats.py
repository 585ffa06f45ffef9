"""The file formats the ingester reads, by suffix: what ``bot.core.parse`` parses, what
``bot.core.files`` picks out of a folder, and how a plain-text story's source (its file's
name, when it names no outlet) is told from an outlet's. Kept apart from the parser so
that answering, which needs only the last, imports no parser."""

from __future__ import annotations

from pathlib import Path

HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", *HTML_SUFFIXES)


def is_file_name(source: str) -> bool:
    """Is ``source`` a file's name (a plain-text story that names no outlet), not an
    outlet's ("Brenmouth Echo", "reuters.com")?"""
    return " " not in source and Path(source).suffix.lower() in SUPPORTED_SUFFIXES
