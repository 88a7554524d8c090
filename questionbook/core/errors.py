"""Specific errors the core raises; the CLI turns them into one line, the GUI into a dialog."""

from __future__ import annotations


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


class JournalBusy(JournalError):
    """Another process kept the journal locked for too long."""


class StorageFull(JournalError):
    """The disk (or the database's size limit) is full, or the folder is read-only."""


class EntryNotFound(QuestionBookError):
    """No entry has that id (or id prefix)."""


class AmbiguousId(QuestionBookError):
    """An id prefix matches more than one entry."""

    def __init__(self, prefix: str, matches: list[str]) -> None:
        super().__init__(prefix, matches)
        self.prefix = prefix
        self.matches = matches


class InvalidValue(QuestionBookError):
    """A field value is not allowed (unknown kind, status, hardness ...)."""


class ImportFormatError(QuestionBookError):
    """A file to import is malformed; the message names the file and where."""


class ExportError(QuestionBookError):
    """An export could not be written."""


class SyncError(QuestionBookError):
    """Syncing through the folder failed (no folder, not enabled, unwritable); nothing in the
    journal is lost: local changes wait for the next sync."""
