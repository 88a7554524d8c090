"""The first look at a journal file, with the standard library, before anything writes to it.

A file that is not ours is refused and left byte-for-byte unchanged; a file written by a newer
QuestionBook is refused rather than damaged. Both the full open (:mod:`questionbook.storage.migrate`)
and the command line's quick path (:mod:`questionbook.cli.quick`) start here.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from questionbook.core.errors import (
    JournalBusy,
    JournalCorrupt,
    JournalReadOnly,
    JournalTooNew,
    NotAJournal,
    StorageFull,
)
from questionbook.i18n import _
from questionbook.storage.connection import APPLICATION_ID, read_only_uri, translate_error

#: Every revision this version knows, oldest first. A test checks it against the scripts.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = KNOWN_REVISIONS[-1]
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileState:
    """What the pre-open probe learned about a journal file."""

    exists: bool
    revision: str | None

    @property
    def needs_migration(self) -> bool:
        return self.revision != HEAD_REVISION


def make_private(path: Path) -> None:
    """Owner-only permissions on a journal or backup file (POSIX): group and others lose
    every bit; the owner's bits stay as they are, so a read-only file stays read-only."""
    if os.name == "posix" and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)


def probe(path: Path) -> FileState:
    """Inspect *path* read-only. Raises NotAJournal, JournalCorrupt or JournalTooNew."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return FileState(exists=False, revision=None)
    if not path.is_file():
        raise NotAJournal(_("{path} is not a file").format(path=path))
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise NotAJournal(
            _("{path} is not a QuestionBook journal (not an SQLite database)").format(path=path)
        )
    if len(header) < 100:
        raise JournalCorrupt(_("{path} is damaged: the file is truncated").format(path=path))
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            # Read through SQLite, not from the header bytes: with WAL the newest header may
            # still be in the -wal file.
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        error = translate_error(exc)
        if isinstance(error, JournalReadOnly):  # access, not damage
            raise JournalReadOnly(
                _(
                    "cannot open {path}: the file or its folder is read-only or "
                    "not accessible ({reason})"
                ).format(path=path, reason=exc)
            ) from exc
        if isinstance(error, (StorageFull, JournalBusy)):  # a full or failing disk, a lock
            raise error from exc
        raise JournalCorrupt(
            _("{path} is damaged: {reason}").format(path=path, reason=exc)
        ) from exc
    if app_id != APPLICATION_ID:
        if tables:
            raise NotAJournal(
                _("{path} is an SQLite database, but not a QuestionBook journal").format(path=path)
            )
        return FileState(exists=True, revision=None)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise JournalTooNew(
            _(
                "{path} was written by a newer version of QuestionBook (schema {revision}); "
                "please update QuestionBook to open it"
            ).format(path=path, revision=revision)
        )
    return FileState(exists=True, revision=revision)
