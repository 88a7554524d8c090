"""Composition: open a journal file and build the services over it.

Only :mod:`questionbook.__main__`, the CLI and tests call this; everything else receives the
services it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.paths import AppPaths
from questionbook.storage.database import Database
from questionbook.storage.migrate import open_database


@dataclass
class Services:
    """The services over one open journal."""

    paths: AppPaths
    db: Database
    journal: Journal
    review: ReviewService | None = None  # weekly reviews (built by open_services)

    def close(self) -> None:
        self.db.close()


def open_services(
    paths: AppPaths,
    db_path: Path | None = None,
    before_migrate: Callable[[Path], object] | None = None,
    *,
    daily_backup: bool = True,
) -> Services:
    """Open the journal (``db_path`` or the default in ``paths``) and build the services.

    An existing journal is backed up before a migration (unless *before_migrate* says
    otherwise) and once a day on first open; the daily check only lists the backups folder.
    """
    from questionbook.settings import load_settings
    from questionbook.storage import backup

    settings = load_settings(paths.settings_file)
    path = Path(db_path or paths.database).expanduser()
    existed = path.is_file() and path.stat().st_size > 0
    if before_migrate is None:
        before_migrate = backup.backup_before_migrate
    db = open_database(path, before_migrate=before_migrate)
    if existed and daily_backup:
        keep = (settings.backup_daily, settings.backup_weekly, settings.backup_monthly)
        backup.daily_backup(path, keep=keep)
    journal = Journal(db)
    review = ReviewService(db, journal, week_start=settings.week_start)
    return Services(paths=paths, db=db, journal=journal, review=review)
