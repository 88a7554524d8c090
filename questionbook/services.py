"""Composition: open a journal file and build the services over it.

Only :mod:`questionbook.__main__`, the CLI and tests call this; everything else receives the
services it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.storage.database import Database
from questionbook.storage.migrate import open_database


@dataclass
class Services:
    """The services over one open journal."""

    paths: AppPaths
    db: Database
    journal: Journal

    def close(self) -> None:
        self.db.close()


def open_services(
    paths: AppPaths, db_path: Path | None = None,
    before_migrate: Callable[[Path], object] | None = None,
) -> Services:
    """Open the journal (``db_path`` or the default in ``paths``) and build the services."""
    db = open_database(db_path or paths.database, before_migrate=before_migrate)
    return Services(paths=paths, db=db, journal=Journal(db))
