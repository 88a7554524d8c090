"""The attachments service: add files to an entry, list, detach, resolve them for the preview.

One method call is one user action and one transaction, like
:class:`~questionbook.core.journal.Journal`. The command line (``attach``, ``detach``,
``show --json``) and the app (paste or drop into the editor, the preview's resource loader,
"open with the default application") call only this.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from questionbook.core import attachments as att
from questionbook.core import entry_sql, rows
from questionbook.core.attachments import Attachment, AttachmentError, BlobInfo, Resolved
from questionbook.core.entities import Entry
from questionbook.core.entry_writes import change_entry
from questionbook.core.schema import ENTRY_ATTACHMENT
from questionbook.core.store import Store
from questionbook.core.timeutil import utcnow
from questionbook.i18n import _


def list_attachments(conn: sqlite3.Connection, entry_id: str) -> list[Attachment]:
    """The entry's files in the order they were added."""
    return [
        Attachment(name, sha, int(size), mime)
        for name, sha, size, mime in conn.execute(
            "SELECT entry_attachment.name, entry_attachment.sha256, attachment_blob.size, "
            "attachment_blob.mime FROM entry_attachment JOIN attachment_blob "
            "ON attachment_blob.sha256 = entry_attachment.sha256 "
            "WHERE entry_attachment.entry_id = ? ORDER BY entry_attachment.added_at, "
            "entry_attachment.rowid",
            (entry_id,),
        )
    ]


def add_rows(
    conn: sqlite3.Connection,
    entry_id: str,
    blobs: Iterable[tuple[BlobInfo, str]],
    *,
    inline: bool,
    now: datetime,
) -> list[Attachment]:
    """Attach stored blobs to an entry under (made safe, made unique) names. A blob the entry
    holds already keeps its name and is not added twice."""
    existing = {a.sha256: a for a in list_attachments(conn, entry_id)}
    taken = {a.name for a in existing.values()}
    out: list[Attachment] = []
    for info, name in blobs:
        if info.sha256 in existing:
            out.append(existing[info.sha256])
            continue
        name = att.unique_name(att.safe_file_name(name), taken)
        taken.add(name)
        rows.insert(
            conn,
            ENTRY_ATTACHMENT,
            {
                "entry_id": entry_id,
                "sha256": info.sha256,
                "name": name,
                "inline": inline,
                "added_at": now,
            },
        )
        found = Attachment(name, info.sha256, info.size, info.mime)
        existing[info.sha256] = found
        out.append(found)
    return out


class AttachmentService:
    """Files inside the journal, for one journal file."""

    def __init__(
        self,
        db: Store,
        *,
        clock: Callable[[], datetime] = utcnow,
        max_bytes: int = att.DEFAULT_MAX_MB << 20,
    ) -> None:
        self.db = db
        self.clock = clock
        self.max_bytes = max_bytes

    # -- reading -----------------------------------------------------------------------------
    def attached(self, id_or_prefix: str) -> list[Attachment]:
        """The files an entry holds, in the order they were added."""
        with self.db.read() as conn:
            return list_attachments(conn, entry_sql.resolve_id(conn, id_or_prefix))

    def first_images(self, ids: Iterable[str]) -> dict[str, Attachment]:
        """For list-row thumbnails: each entry's first image, for those of *ids* that have one
        (one indexed query per 500 ids; the UI resolves and scales them lazily)."""
        out: dict[str, Attachment] = {}
        with self.db.read() as conn:
            for chunk in rows.chunks(list(ids)):
                marks, params = rows.placeholders("id", chunk)
                for entry_id, name, sha, size, mime in conn.execute(
                    "SELECT a.entry_id, a.name, a.sha256, b.size, b.mime FROM entry_attachment "
                    "AS a JOIN attachment_blob AS b ON b.sha256 = a.sha256 "
                    f"WHERE a.entry_id IN ({marks}) AND b.mime LIKE 'image/%' "
                    "ORDER BY a.added_at DESC, a.rowid DESC",
                    params,
                ):
                    out[entry_id] = Attachment(name, sha, int(size), mime)
        return out

    def resolve(self, reference: str) -> Resolved | None:
        """Bytes and type for an ``attachment:`` URL in the preview (see
        :func:`~questionbook.core.attachments.resolve_reference`)."""
        with self.db.read() as conn:
            return att.resolve_reference(conn, reference)

    def private_copy(self, sha256: str, name: str, folder: Path | None = None) -> Path:
        """Write the attachment to a new owner-only temporary folder (or *folder*) under
        *name* made safe, for opening with the system's default application.

        Such a copy is readable outside the journal, also of an encrypted one, for as long as
        it exists: the folders live under :func:`private_copies_root` and
        :func:`remove_private_copies` (the app calls it when it quits)
        removes them all."""
        target_dir = (
            Path(folder)
            if folder
            else Path(tempfile.mkdtemp(prefix="open-", dir=private_copies_root()))
        )
        target = target_dir / att.safe_file_name(name)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh, self.db.read() as conn:
            att.copy_out(conn, sha256, fh)
        return target

    def orphans(self) -> tuple[int, int]:
        """(blobs, bytes) no entry refers to: freed when the Trash is emptied."""
        with self.db.read() as conn:
            n, size = conn.execute(
                "SELECT count(*), coalesce(sum(size), 0) FROM attachment_blob "
                "WHERE sha256 NOT IN (SELECT sha256 FROM entry_attachment)"
            ).fetchone()
        return int(n), int(size)

    # -- writing -----------------------------------------------------------------------------
    def attach(
        self, id_or_prefix: str, paths: Iterable[Path], *, insert: bool = True
    ) -> tuple[Entry, list[Attachment]]:
        """Store the files and attach them to the entry, all or none; with *insert* a
        reference to each goes at the end of the body. Returns the entry as saved."""
        paths = [Path(p) for p in paths]
        names = [att.safe_file_name(p.name) for p in paths]

        def storer(path: Path) -> Callable[[sqlite3.Connection], BlobInfo]:
            return lambda conn: att.store_file(conn, path, limit=self.max_bytes, now=self.clock())

        return self._attach(id_or_prefix, [storer(p) for p in paths], names, insert=insert)

    def attach_data(
        self, id_or_prefix: str, name: str, data: bytes, *, insert: bool = False
    ) -> tuple[Entry, list[Attachment]]:
        """Attach bytes already in memory (a pasted image) under *name*. The app inserts the
        reference at the cursor itself (:func:`markup`), so *insert* defaults to False."""
        if len(data) > self.max_bytes:
            raise AttachmentError(att.too_large_message(name, len(data), self.max_bytes))

        def store(conn: sqlite3.Connection) -> BlobInfo:
            return att.store_stream(
                conn, lambda: io.BytesIO(data), name, limit=self.max_bytes, now=self.clock()
            )

        return self._attach(id_or_prefix, [store], [att.safe_file_name(name)], insert=insert)

    def _attach(
        self,
        id_or_prefix: str,
        stores: list[Callable[[sqlite3.Connection], BlobInfo]],
        names: list[str],
        *,
        insert: bool,
    ) -> tuple[Entry, list[Attachment]]:
        now = self.clock()
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, id_or_prefix)
            blobs = [(store(conn), name) for store, name in zip(stores, names, strict=True)]
            added = add_rows(conn, entry.id, blobs, inline=insert, now=now)
            if insert:
                present = {sha for sha, _n in att.parse_references(entry.body)}
                lines = [
                    att.markup(a.sha256, a.name, a.mime) for a in added if a.sha256 not in present
                ]
                if lines:
                    body = entry.body.rstrip("\n")
                    body = (body + "\n\n" if body else "") + "\n".join(lines)
                    entry = change_entry(conn, entry, {"body": body}, now=now)
            return entry, added

    def detach(self, id_or_prefix: str, name: str) -> tuple[Entry, Attachment]:
        """Remove the file called *name* from the entry and its references from the text;
        its bytes are freed if no other entry holds them."""
        now = self.clock()
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, id_or_prefix)
            found = list_attachments(conn, entry.id)
            match = [a for a in found if a.name == name] or [
                a for a in found if a.name.casefold() == name.casefold()
            ]
            if not found:
                raise AttachmentError(_("{title} has no attachments").format(title=entry.title))
            if not match:
                raise AttachmentError(
                    _("{title} has no attachment called {name!r} (it has: {names})").format(
                        title=entry.title, name=name, names=", ".join(a.name for a in found)
                    )
                )
            gone = match[0]
            conn.execute(
                "DELETE FROM entry_attachment WHERE entry_id = ? AND sha256 = ?",
                (entry.id, gone.sha256),
            )
            body = att.remove_references(entry.body, gone.sha256)
            if body != entry.body:
                entry = change_entry(conn, entry, {"body": body}, now=now)
            att.drop_unused_blobs(conn, only=gone.sha256)
            return entry, gone

    def drop_orphans(self) -> int:
        """Free every blob no entry refers to; returns how many."""
        with self.db.write() as conn:
            return att.drop_unused_blobs(conn)


def private_copies_root() -> Path:
    """``<tmp>/questionbook-open-<uid>``: an owner-only folder for the copies of attachments
    opened with other applications (created if missing)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(tempfile.gettempdir()) / f"questionbook-open-{uid}"
    root.mkdir(mode=0o700, exist_ok=True)
    if os.name == "posix":
        st = root.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid:  # not ours: use a fresh one
            return Path(tempfile.mkdtemp(prefix="questionbook-open-"))
        os.chmod(root, 0o700)
    return root


def remove_private_copies() -> None:
    """Remove every copy :meth:`AttachmentService.private_copy` made in its own folder."""
    import shutil

    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(tempfile.gettempdir()) / f"questionbook-open-{uid}"
    if root.is_dir() and not root.is_symlink():
        shutil.rmtree(root, ignore_errors=True)
