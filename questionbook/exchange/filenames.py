"""File names that are safe on Windows, macOS and Linux and never leave the export folder.

Titles are written by people, so they hold anything: ``../../etc``, ``CON``, ``a:b?``, emoji,
500 characters of Chinese. A slug keeps letters of every script (Chinese stays Chinese), drops
what any of the three systems forbids or treats specially, steers clear of Windows' reserved
device names, and is cut by *bytes* (file systems limit a name to 255 bytes, and a Chinese
character takes three). :func:`inside` is the last guard: a path is used only if it resolves
inside the target folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: Characters Windows forbids, plus the ones Obsidian links choke on (``#^[]|``).
_UNSAFE = re.compile(r'[<>:"/\\|?*#^\[\]\x00-\x1f\x7f]')
_SPACES = re.compile(r"[\s\-_]+")
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in "0123456789¹²³"}
    | {f"LPT{i}" for i in "0123456789¹²³"}
)
SLUG_BYTES = 80


def cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of *text* whose UTF-8 form fits in *limit* bytes (never half a char)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def slugify(title: str, limit: int = SLUG_BYTES) -> str:
    """A short, safe, readable piece of file name from *title*; ``entry`` if nothing is left."""
    text = unicodedata.normalize("NFC", title)
    if not text.isprintable():  # printable: no C* or Z* character but the space
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    text = _UNSAFE.sub(" ", text)
    text = _SPACES.sub("-", text.strip())
    text = cut_bytes(text, limit).strip(".- ")
    if not text or set(text) <= {"."}:
        return "entry"
    if text.split(".")[0].upper() in RESERVED:
        text = f"_{text}"
    return text


def safe_name(name: str, limit: int = 200) -> str:
    """A whole file name (with its extension) made safe the same way."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return slugify(name, limit)
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    return f"{slugify(stem, limit - len(ext) - 1)}.{ext}" if ext else slugify(stem, limit)


def inside(root: Path, relative: str | Path) -> Path | None:
    """``root / relative`` if that path stays inside *root* (after resolving ``..`` and links)."""
    rel = Path(relative)
    if rel.is_absolute() or rel.drive:
        return None
    root_resolved = root.resolve()
    target = (root_resolved / rel).resolve()
    try:
        target.relative_to(root_resolved)
    except ValueError:
        return None
    return target if target != root_resolved else None
