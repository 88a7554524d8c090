"""Tell which format a file or folder is in, from its content rather than its name.

A folder is a vault; a zip is a Day One export; JSON is ours when it says
``"format": "questionbook"``, Day One when its entries carry ``uuid``/``creationDate``, jrnl
when they carry ``date``/``time``; text whose first line is a ``[date time]`` heading is a jrnl
journal; our own Markdown journal is known by its entry markers or its headings. The file is parsed once and the parsed form handed on, so detection costs nothing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import read_text
from questionbook.exchange.jrnl import is_jrnl_heading
from questionbook.i18n import _

FORMATS = ("json", "vault", "jrnl", "dayone", "markdown")


def detect_json(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if data.get("format") == "questionbook":
        return "json"
    entries = data.get("entries")
    if isinstance(entries, list):
        first = next((e for e in entries if isinstance(e, dict)), None)
        if first is None:
            return "dayone" if "metadata" in data else "jrnl" if "tags" in data else None
        if "uuid" in first or "creationDate" in first:
            return "dayone"
        if "date" in first or "title" in first:
            return "jrnl"
    return None


def detect(path: Path) -> tuple[str, str | None, Any]:
    """``(format, text, parsed JSON or None)`` for *path*; raises if it is none we know."""
    path = Path(path)
    if path.is_dir():
        return "vault", None, None
    if not path.exists():
        raise ImportFormatError(_("{file}: no such file or folder").format(file=path))
    if zipfile.is_zipfile(path):
        return "dayone", None, None
    text = read_text(path)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        from questionbook.exchange.json_format import load_json

        data = load_json(text, str(path))
        fmt = detect_json(data)
        if fmt is None:
            raise ImportFormatError(
                _(
                    "{file}: JSON, but not an export QuestionBook knows "
                    "(QuestionBook, jrnl or Day One)"
                ).format(file=path)
            )
        return fmt, text, data
    first = next((line for line in text.splitlines() if line.strip()), "")
    if is_jrnl_heading(first):
        return "jrnl", text, None
    from questionbook.exchange.markdown_import import looks_like_markdown_journal

    if looks_like_markdown_journal(text):
        return "markdown", text, None
    raise UnknownFormat(
        _(
            "{file}: cannot tell which format this is. QuestionBook reads its own JSON and "
            "Markdown exports, vault folders, jrnl journals and Day One exports"
        ).format(file=path)
    )


class UnknownFormat(ImportFormatError):
    """Detection failed: the command line adds how to name the format (``--from``)."""
