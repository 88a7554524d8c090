"""The first look at a journal file, with the standard library, before anything writes to it.

A file that is not ours is refused and left byte-for-byte unchanged; a file written by a newer
QuestionBook is refused rather than damaged. Both the full open (:mod:`questionbook.storage.migrate`)
and the command line's quick path (:mod:`questionbook.cli.quick`) start here.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import (
    JournalBusy,
    JournalCorrupt,
    JournalLocked,
    JournalReadOnly,
    JournalTooNew,
    NotAJournal,
    StorageFull,
)
from questionbook.i18n import _
from questionbook.storage.cipher import errors
from questionbook.storage.connection import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    open_read_only,
    settle_hot_journal,
    translate_error,
)
from questionbook.storage.keyfile import key_file_path

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

#: Every revision this version knows, oldest first. A test checks it against the scripts.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = KNOWN_REVISIONS[-1]
SQLITE_HEADER = b"SQLite format 3\x00"
#: SQLCipher's page size: an encrypted journal is at least one page long.
CIPHER_PAGE = 4096


@dataclass(frozen=True)
class FileState:
    """What the pre-open probe learned about a journal file."""

    exists: bool
    revision: str | None
    encrypted: bool = False

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


def is_encrypted(path: Path) -> bool:
    """True if *path* is an encrypted journal: a non-empty file that does not start like an
    SQLite database, with a key file beside it. The file decides, not the key file: a key
    file left beside a plain journal (an interrupted ``decrypt``) changes nothing."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(header) and header != SQLITE_HEADER and key_file_path(path).is_file()


def probe(path: Path, key: JournalKey | None = None) -> FileState:
    """Inspect *path* read-only. Raises NotAJournal, JournalCorrupt, JournalTooNew, or
    JournalLocked for an encrypted journal without its *key*."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return FileState(exists=False, revision=None)
    if not path.is_file():
        raise NotAJournal(_("{path} is not a file").format(path=path))
    with open(path, "rb") as fh:
        header = fh.read(100)
    encrypted = not header.startswith(SQLITE_HEADER)
    if encrypted and not key_file_path(path).is_file():
        raise NotAJournal(
            _(
                "{path} is not a QuestionBook journal (not an SQLite database; if it is an "
                "encrypted journal, its key file {key} is missing)"
            ).format(path=path, key=key_file_path(path).name)
        )
    if encrypted and key is None:
        raise JournalLocked(
            _("{path} is encrypted: give its passphrase to open it").format(path=path)
        )
    size = path.stat().st_size
    if len(header) < 100 or (encrypted and size < CIPHER_PAGE):
        raise JournalCorrupt(_("{path} is damaged: the file is truncated").format(path=path))
    file_key = key if encrypted else None
    settle_hot_journal(path, file_key)  # a killed import's, if any
    try:
        # As long as any other wait for the journal (Python's default is 5 s): a large
        # import by the command line holds it for longer than that (Database.bulk_write).
        conn = open_read_only(path, file_key, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # Read through SQLite, not from the header bytes: with WAL the newest header may
            # still be in the -wal file. One read transaction: between two statements of
            # their own another process may create the journal, and a header read before it
            # with tables read after it looked like someone else's database.
            conn.execute("BEGIN")
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
    except errors("DatabaseError") as exc:
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
        if encrypted:  # the key is right (its key file's check said so): the file is damaged
            raise JournalCorrupt(
                _(
                    "{path} is damaged: {reason} (the passphrase is right, but the file does "
                    "not open with its key; or {key} belongs to another journal)"
                ).format(path=path, reason=exc, key=key_file_path(path).name)
            ) from exc
        raise JournalCorrupt(
            _("{path} is damaged: {reason}").format(path=path, reason=exc)
        ) from exc
    if app_id != APPLICATION_ID:
        if tables:
            raise NotAJournal(
                _("{path} is an SQLite database, but not a QuestionBook journal").format(path=path)
            )
        return FileState(exists=True, revision=None, encrypted=encrypted)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise JournalTooNew(
            _(
                "{path} was written by a newer version of QuestionBook (schema {revision}); "
                "please update QuestionBook to open it"
            ).format(path=path, revision=revision)
        )
    return FileState(exists=True, revision=revision, encrypted=encrypted)
