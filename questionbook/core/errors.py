"""Specific errors the core raises; the CLI turns them into one line, the GUI into a dialog."""

from __future__ import annotations

from questionbook.i18n import ngettext


class QuestionBookError(Exception):
    """Base class of every error a user can cause or meet."""


class JournalError(QuestionBookError):
    """The journal file cannot be used."""


class NotAJournal(JournalError):
    """The file is not a QuestionBook journal (or not an SQLite database at all)."""


class JournalCorrupt(JournalError):
    """The file is a damaged SQLite database."""


class JournalTooNew(JournalError):
    """The file was written by a newer QuestionBook whose schema this version does not know."""


class JournalLocked(JournalError):
    """The journal is encrypted and was not given its key (no passphrase, or a wrong one)."""


class JournalBusy(JournalError):
    """Another process kept the journal locked for too long."""


class StorageFull(JournalError):
    """The journal cannot be written for a reason outside the file: the disk is full, the
    file or folder is read-only, or the disk reports an error. Never means "damaged"."""


class DiskFull(StorageFull):
    """No space left on the disk (``SQLITE_FULL``, ``ENOSPC``): nothing was written."""


class JournalReadOnly(StorageFull):
    """The journal file or its folder is read-only (by permission or by the user's choice):
    it is opened for reading only and every write is refused before it starts."""


class JournalInUse(JournalError):
    """Another process has the journal open for writing, so it cannot be replaced now."""


class EntryNotFound(QuestionBookError):
    """No entry has that id (or id prefix)."""


class AmbiguousId(QuestionBookError):
    """An id prefix matches more than one entry."""

    def __init__(self, prefix: str, matches: list[str]) -> None:
        shown = ", ".join(m[:13] + "…" for m in matches[:5]) + (", …" if len(matches) > 5 else "")
        super().__init__(
            ngettext(
                "{prefix} matches {n} entry: {ids}",
                "{prefix} matches {n} entries: {ids}; give more of the id",
                len(matches),
            ).format(prefix=prefix, n=len(matches), ids=shown)
        )
        self.prefix = prefix
        self.matches = matches


class InvalidValue(QuestionBookError):
    """A field value is not allowed (unknown kind, status, hardness ...)."""


class ImportFormatError(QuestionBookError):
    """A file to import is malformed; the message names the file and where."""


class ExportError(QuestionBookError):
    """An export could not be written."""


class UsageError(QuestionBookError):
    """What the user typed is not understood (a bad operator in a query): the command line exits
    with status 2, as for a bad option."""


class TrialNotFound(QuestionBookError):
    """No AI trial has that id (or id prefix)."""


class SyncError(QuestionBookError):
    """Syncing through the folder failed (no folder, not enabled, unwritable); nothing in the
    journal is lost: local changes wait for the next sync."""
