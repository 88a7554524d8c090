"""Composition: open a journal file and build the services over it.

Only :mod:`questionbook.__main__`, the CLI and tests call this; everything else receives the
services it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths, ensure_private_dir
from questionbook.storage.database import Database
from questionbook.storage.migrate import open_database

if TYPE_CHECKING:
    from questionbook.core.review import ReviewService


@dataclass
class Services:
    """The services over one open journal."""

    paths: AppPaths
    db: Database
    journal: Journal
    week_start: int = 1
    _review: ReviewService | None = field(default=None, repr=False)

    @property
    def review(self) -> ReviewService:
        """Weekly reviews, built on first use (``questionbook add`` never pays for it)."""
        if self._review is None:
            from questionbook.core.review import ReviewService

            self._review = ReviewService(self.db, self.journal, week_start=self.week_start)
        return self._review

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
    if path.parent.resolve() == paths.data_dir.resolve():
        ensure_private_dir(paths.data_dir)  # our own folder: tightened if someone loosened it
    existed = path.is_file() and path.stat().st_size > 0
    if before_migrate is None:
        before_migrate = backup.backup_before_migrate
    migrated: list[Path] = []

    def migrating(p: Path) -> object:
        migrated.append(p)
        return before_migrate(p)

    db = open_database(path, before_migrate=migrating)
    if migrated:
        # A migration may rebuild a synced table (dropping its capture triggers) or add one:
        # the triggers are re-created before anything else can write.
        from questionbook.sync.capture import refresh_if_enabled

        refresh_if_enabled(db)
    if existed and daily_backup:
        keep = (settings.backup_daily, settings.backup_weekly, settings.backup_monthly)
        if backup.daily_backup(path, keep=keep) is not None:
            db.refresh_statistics()  # once a day, like the backup
    journal = Journal(db)
    return Services(paths=paths, db=db, journal=journal, week_start=settings.week_start)
