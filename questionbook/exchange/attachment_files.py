"""Attachments as files beside an export: which entries hold which, names, copying the bytes.

Every export that writes files (JSON's folder beside the file, the Markdown journal's folder,
a vault's ``attachments/``) copies each attachment once, in pieces, from SQLite's incremental
blob I/O to a private file; a file already there with the same size is left alone (the names
are derived from the content, so the same name means the same bytes).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from questionbook.core import rows
from questionbook.core.attachments import MARKUP_RE, REFERENCE_RE, copy_out, safe_file_name
from questionbook.core.errors import ExportError
from questionbook.core.journal import Journal
from questionbook.i18n import _


@dataclass(frozen=True, slots=True)
class Held:
    """One file an entry holds."""

    name: str
    sha256: str
    size: int
    mime: str
    inline: bool


def held_by(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[Held]]:
    """The files each of *ids* holds (entries without any are left out), in added order."""
    out: dict[str, list[Held]] = {}
    for chunk in rows.chunks(list(ids)):
        marks, params = rows.placeholders("id", chunk)
        for entry_id, name, sha, size, mime, inline in conn.execute(
            "SELECT a.entry_id, a.name, a.sha256, b.size, b.mime, a.inline "
            "FROM entry_attachment AS a JOIN attachment_blob AS b ON b.sha256 = a.sha256 "
            f"WHERE a.entry_id IN ({marks}) ORDER BY a.added_at, a.rowid",
            params,
        ):
            out.setdefault(entry_id, []).append(Held(name, sha, int(size), mime, bool(inline)))
    return out


def held_by_page(journal: Journal, ids: Sequence[str]) -> dict[str, list[Held]]:
    with journal.reading() as conn:
        return held_by(conn, ids)


class Namer:
    """Readable, unique file names in one folder: an attachment keeps its own (safe) name
    unless other bytes took it, then it gets ``name-<first 8 hex of its hash>.ext``.

    *earlier* (name → sha256 from a previous export) keeps names stable across re-exports;
    *blocked* says a name is taken on disk by a file that is not ours (never overwritten).
    :attr:`by_sha` holds the names given in this run only.
    """

    def __init__(
        self,
        earlier: dict[str, str] | None = None,
        blocked: Callable[[str], bool] | None = None,
    ) -> None:
        self.by_sha: dict[str, str] = {}
        self.earlier = {sha: name for name, sha in (earlier or {}).items()}
        self.owner: dict[str, str] = {n.casefold(): sha for n, sha in (earlier or {}).items()}
        self.blocked = blocked or (lambda _name: False)

    def _free(self, name: str, sha256: str) -> bool:
        owner = self.owner.get(name.casefold())
        if owner is not None:
            return owner == sha256
        return not self.blocked(name)

    def name(self, sha256: str, wanted: str) -> str:
        if sha256 in self.by_sha:
            return self.by_sha[sha256]
        name = self.earlier.get(sha256) or safe_file_name(wanted or sha256[:12])
        if not self._free(name, sha256):
            stem, dot, ext = name.rpartition(".")
            if not dot or not stem:
                stem, ext = name, ""
            name = f"{stem}-{sha256[:8]}" + (f".{ext}" if ext else "")
            n = 2
            while not self._free(name, sha256):
                name = f"{stem}-{sha256[:8]}-{n}" + (f".{ext}" if ext else "")
                n += 1
        self.by_sha[sha256] = name
        self.owner[name.casefold()] = sha256
        return name


def write_blob(conn: sqlite3.Connection, sha256: str, target: Path, size: int) -> bool:
    """Copy the blob to *target* (owner-only, via a temp file); False if it was there."""
    try:
        if target.is_file() and not target.is_symlink() and target.stat().st_size == size:
            return False
    except OSError:
        pass
    tmp = target.with_name(f".{target.name[:40]}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            copy_out(conn, sha256, fh)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportError(
            _("cannot write {file}: {reason}").format(file=target, reason=exc.strerror or exc)
        ) from None
    return True


def write_blobs(journal: Journal, folder: Path, files: Iterable[tuple[str, str, int]]) -> int:
    """Write (sha256, file name, size) into *folder*; returns how many files were written."""
    files = list(files)
    if not files:
        return 0
    written = 0
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with journal.reading() as conn:
        for sha, name, size in files:
            written += write_blob(conn, sha, folder / name, size)
    return written


def rewrite_references(text: str, target: Callable[[str, str], str | None]) -> str:
    """*text* with each ``attachment:<sha>/<name>`` link target replaced by
    ``target(sha, name)`` (a relative path, already URL-encoded); ``None`` keeps it."""
    if "attachment:" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        whole = m.group(0)
        ref = REFERENCE_RE.search(whole)
        if ref is None:
            return whole
        new = target(ref.group(1), urllib.parse.unquote(ref.group(2) or ""))
        if new is None:
            return whole
        start, end = ref.span()
        inner = whole[:start] + new + whole[end:]
        return inner.replace("(<" + new + ">)", "(" + new + ")")

    return MARKUP_RE.sub(sub, text)


def quote_path(rel: str) -> str:
    """A relative path as a Markdown link target that Obsidian and browsers follow."""
    return "/".join(urllib.parse.quote(part) for part in rel.split("/"))
