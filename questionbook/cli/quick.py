"""The command line's quick path: open an up-to-date journal without the start-up chores.

A full open (:func:`questionbook.services.open_services`) creates a missing journal, migrates an
old one (importing Alembic and SQLAlchemy, a third of a second) and makes the day's first backup.
When the file exists, passes the same probe, is at the current schema revision and already has
today's backup, none of that is needed: the reading commands and ``add`` then run on a
:class:`~questionbook.core.journal.Journal` over the file straight away — the very same service
the full open builds, so the results are the same by construction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.journal import Journal
from questionbook.storage.database import Database

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey


def open_quick(path: Path, key: JournalKey | None = None) -> Journal | None:
    """A :class:`Journal` over *path*, or None when the full services must open it.

    Raises what the full open would raise for a file that is not a journal, is damaged or is
    from a newer version (the probe is the same).
    """
    from questionbook.storage.backup import has_backup_today
    from questionbook.storage.probe import probe

    state = probe(path, key)
    if not state.exists or state.needs_migration or not has_backup_today(path):
        return None
    return Journal(Database(path, key=key if state.encrypted else None))
