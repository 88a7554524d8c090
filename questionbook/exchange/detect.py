"""Tell which format a file or folder is in, from its content rather than its name.

A folder is a vault; a zip is a Day One export; JSON is ours when it says
``"format": "questionbook"``, Day One when its entries carry ``uuid``/``creationDate``, jrnl
when they carry ``date``/``time``; text whose first line is a ``[date time]`` heading is a jrnl
journal; our own Markdown journal is known by its entry markers or its headings. Only as much of
the file is read as it takes to tell: the JSON members up to the first
entry, or the first line of text. Only regular files are looked at (see
:func:`questionbook.exchange.reading.open_input`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.jrnl import is_jrnl_heading
from questionbook.i18n import _

FORMATS = ("json", "vault", "jrnl", "dayone", "markdown")


def detect_json(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    return _detect_members(data.items())


def _detect_members(members: Any) -> str | None:
    """The format of a JSON document from its members (stops reading as soon as it knows)."""
    keys: set[str] = set()
    for key, value in members:
        keys.add(key)
        if key == "format":
            if value == "questionbook":
                return "json"
            continue
        if key != "entries":
            continue
        if isinstance(value, list):
            value = iter(value)
        elif not hasattr(value, "__next__"):
            return None
        first = next((e for e in value if isinstance(e, dict)), None)
        if first is None:
            continue  # an empty journal: its other keys decide
        if "uuid" in first or "creationDate" in first:
            return "dayone"
        if "date" in first or "title" in first:
            return "jrnl"
        return None
    return "dayone" if "metadata" in keys else "jrnl" if "tags" in keys else None


def detect(path: Path) -> str:
    """The format of *path* (``json``, ``vault``, ``jrnl``, ``dayone`` or ``markdown``);
    raises if it is none we know (:class:`UnknownFormat` when nothing matched at all)."""
    from questionbook.exchange.reading import first_text, json_members, open_input

    path = Path(path)
    if path.is_dir():
        return "vault"
    if not path.exists():
        raise ImportFormatError(_("{file}: no such file or folder").format(file=path))
    with open_input(path) as fh:
        if zipfile.is_zipfile(fh):
            return "dayone"
        fh.seek(0)
        from questionbook.exchange.jrnl_crypt import is_encrypted_jrnl

        if is_encrypted_jrnl(fh.read(64)):
            return "jrnl"
    text = first_text(path)
    if text.lstrip().startswith("{"):
        fmt = _detect_members(json_members(path))
        if fmt is None:
            raise ImportFormatError(
                _(
                    "{file}: JSON, but not an export QuestionBook knows "
                    "(QuestionBook, jrnl or Day One)"
                ).format(file=path)
            )
        return fmt
    first = next((line for line in text.splitlines() if line.strip()), "")
    if is_jrnl_heading(first):
        return "jrnl"
    from questionbook.exchange.markdown_import import looks_like_markdown_journal

    if looks_like_markdown_journal(text):
        return "markdown"
    raise UnknownFormat(
        _(
            "{file}: cannot tell which format this is. QuestionBook reads its own JSON and "
            "Markdown exports, vault folders, jrnl journals and Day One exports"
        ).format(file=path)
    )


class UnknownFormat(ImportFormatError):
    """Detection failed: the command line adds how to name the format (``--from``)."""
