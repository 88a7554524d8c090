"""The daily backup (and "Back up now" from the failure banner), in a worker thread, with the
reason when it fails.

Why not ``storage.backup.daily_backup``: it logs a failure and returns ``None``, so that the
command line never stops over a backup, but in the app a backup that silently stops working
is how people lose their journals. This runner calls :func:`make_backup` itself, after the
window is up (a large journal never delays the first paint), and reports the failure with a
plain reason (:func:`describe_backup_error`) for the banner to show.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from questionbook.i18n import _
from questionbook.storage.backup import (
    BackupError,
    backups_dir_for,
    has_backup_today,
    make_backup,
)
from questionbook.storage.cipher import errors

if TYPE_CHECKING:
    from questionbook.storage.database import Database
log = logging.getLogger(__name__)
_NO_ACCESS = {errno.EACCES, errno.EPERM, errno.EROFS}
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def describe_backup_error(exc: BaseException, folder: Path) -> str:
    """A reason a person can act on: the folder cannot be written, or the disk is full."""
    cause = exc.__cause__ if isinstance(exc, BackupError) and exc.__cause__ else exc
    code = getattr(cause, "errno", None)
    text = str(cause).lower()
    if code in _NO_ACCESS or isinstance(cause, PermissionError) or "readonly" in text:
        return _("QuestionBook may not write to the backups folder {folder}").format(folder=folder)
    if code in _NO_ROOM or "disk is full" in text or "too large" in text:
        return _("there is not enough free space for a copy in {folder}").format(folder=folder)
    return str(exc) or type(exc).__name__


class _Job(QRunnable):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


class BackupRunner(QObject):
    """Makes backups of the journal in the background and says how it went."""

    succeeded = Signal(object)
    """A backup was made (its :class:`~questionbook.storage.backup.BackupInfo`)."""
    failed = Signal(str)
    """A backup could not be made; the argument is the reason, ready to show."""

    def __init__(
        self,
        db: Database,
        keep: Callable[[], tuple[int, int, int]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._keep = keep
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = False

    @property
    def folder(self) -> Path:
        return backups_dir_for(self._db.path)

    def is_running(self) -> bool:
        return self._running

    def run_daily(self) -> None:
        """Make today's backup unless one exists (the first open of the day)."""
        self._start(daily=True)

    def back_up_now(self) -> None:
        """Make a backup now, whether or not one exists today (the banner's button)."""
        self._start(daily=False)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    def _start(self, *, daily: bool) -> None:
        if self._running:
            return
        self._running = True
        keep = self._keep()  # read the settings here, on the UI thread
        self._pool.start(_Job(lambda: self._run(daily, keep)))

    def _run(self, daily: bool, keep: tuple[int, int, int]) -> None:
        path = self._db.path
        try:
            if daily and (has_backup_today(path) or not path.is_file()):
                return
            info = make_backup(path, keep=keep, key=self._db.key)
        except errors("Error", BackupError, OSError) as exc:
            log.warning("the backup of %s failed: %s", path, exc)
            self.failed.emit(describe_backup_error(exc, self.folder))
            return
        except Exception as exc:  # a worker must not take the app down
            log.exception("the backup of %s failed", path)
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        finally:
            self._running = False
        if daily:
            self._db.refresh_statistics()  # once a day, like the backup
        self.succeeded.emit(info)
