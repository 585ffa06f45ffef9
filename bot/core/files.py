"""Finding article files: folders expanded, each file once, unreadable places reported."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from bot.core.formats import SUPPORTED_SUFFIXES
from storage.paths import home_expanded


def discover(
    paths: Sequence[str | os.PathLike[str]], seen: set[Path] | None = None
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively, supported suffixes only, hidden entries skipped).

    Returns the files and, separately, the paths that do not exist or cannot be listed
    (a folder anywhere in the tree that cannot be read is reported, not skipped silently),
    labelled with :func:`display_path`. A file reached twice (a folder named twice, or a
    file and its folder) is listed once, where it was first reached; ``seen`` carries
    the files already listed across calls (one ingest run that takes paths one by one).
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        if not os.fspath(raw):  # Path("") is the current folder: never read it unasked
            problems.append(("(empty path)", "an empty path names no file or folder"))
            continue
        path = home_expanded(Path(raw))
        kind = _kind(path)
        if kind == "folder":
            found, unlisted = _walk(path)
            files.extend(found)
            problems.extend(
                (display_path(raw if p == path else p), reason) for p, reason in unlisted
            )
        elif kind == "file":
            files.append(path)
        elif kind == "other":
            problems.append((display_path(raw), "not a regular file or folder"))
        elif kind == "missing":
            problems.append((display_path(raw), "no such file or folder"))
        else:
            problems.append((display_path(raw), kind))
    return _once_each(files, set() if seen is None else seen), problems


def _kind(path: Path) -> str:
    """``"folder"``, ``"file"``, ``"other"`` (a pipe, a device), ``"missing"`` (or a link
    to nothing, a loop of links), or why it cannot be looked at: ``Path.is_dir`` and its
    kin answer False for a missing path but raise for one they may not look at (a folder
    on the way that can be listed but not entered) or a name the system refuses (too
    long), and such a path is one failed item, never the end of the run."""
    try:
        if path.is_dir():
            return "folder"
        if path.is_file():
            return "file"
        return "other" if path.exists() else "missing"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"


def _once_each(files: list[Path], seen: set[Path]) -> list[Path]:
    unique: list[Path] = []
    for path in files:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: it fails alone, later
            key = path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and written as UTF-8 JSON: bytes of the name
    that are not UTF-8 are shown escaped (``caf\\xe9.txt``), never written raw."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


#: How many folders deep a folder is walked: far past any real tree of articles, and
#: short of Python's recursion limit, which os.walk (recursive before Python 3.12)
#: reaches in a folder nested a thousand deep, ending the whole run.
MAX_DEPTH = 100


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Supported, non-hidden files under ``folder`` in sorted order, and what could not
    be read with the reason: folders that could not be listed, entries with a supported
    name that are no regular file (a link to nothing or a loop of links, a pipe, a
    device), each a failed item as it would be if named itself, and links to files
    outside ``folder`` (:func:`_leaves`), and folders deeper than :data:`MAX_DEPTH`."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    folder_root = folder.resolve()

    def failed(exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        unreadable.append((Path(exc.filename or folder), f"cannot list folder: {reason}"))

    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if dirs and len(Path(root).relative_to(folder).parts) >= MAX_DEPTH:
            deeper = f"a folder nested more than {MAX_DEPTH} deep"
            unreadable.extend((Path(root) / name, deeper) for name in dirs)
            dirs[:] = []
        # os.walk does not follow a link to a folder: one inside the folder is walked
        # anyway, one to outside it is said, not silently left out.
        for name in dirs:
            try:
                leaves = _leaves(Path(root) / name, root=folder_root)
            except OSError:  # it cannot be entered either: os.walk reports it (onerror)
                continue
            if leaves:
                unreadable.append((Path(root) / name, "a symbolic link to outside the folder"))
        for name in sorted(names):
            if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            path = Path(root) / name
            try:
                leaves = _leaves(path, root=folder_root)
            except OSError as exc:  # in a folder that can be listed but not entered
                unreadable.append((path, f"cannot read: {exc.strerror or exc}"))
                continue
            kind = "" if leaves else _kind(path)
            if leaves:
                unreadable.append((path, "a symbolic link to outside the folder"))
            elif kind == "file":
                found.append(path)
            elif kind in ("other", "folder"):
                unreadable.append((path, "not a regular file or folder"))
            elif kind == "missing":
                unreadable.append((path, "a symbolic link to nothing (or a loop of links)"))
            else:
                unreadable.append((path, kind))
    return sorted(found), unreadable


def _leaves(path: Path, *, root: Path) -> bool:
    """Whether ``path`` is a symbolic link to a file or folder outside ``root`` (a
    resolved path).

    Whoever ingests a folder means what is in it; a link in it to ``/etc/passwd`` or
    ``~/.ssh/id_rsa``, planted by whoever wrote the folder, must not be stored as an
    article (and shown to every Slack user). A link named on the command line is never
    walked here: the user chose it.
    """
    if not path.is_symlink():
        return False
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a link to nothing or a loop: reported as such
        return False
    return not target.is_relative_to(root)
