"""Notices changes another process made to the journal (``questionbook add`` in a terminal).

SQLite cannot notify another connection, so we poll :meth:`Journal.data_version` (two index
probes) once a second; when it changes, :attr:`DataWatcher.data_changed` fires. After the
window writes itself it calls :meth:`DataWatcher.mark_seen`, so its own change is not reported
a second time.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal

log = logging.getLogger(__name__)
POLL_MS = 1000


class DataWatcher(QObject):
    """Polls the journal's data version with a QTimer."""

    data_changed = Signal()
    """The journal changed since the last check (possibly by another process)."""

    def __init__(
        self, journal: Journal, interval_ms: int = POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._version = self._read()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _read(self) -> object:
        try:
            return self._journal.data_version()
        except QuestionBookError:  # busy or briefly unreadable: try again next tick
            log.debug("data version not readable", exc_info=True)
            return None

    def mark_seen(self) -> None:
        """Take the current version as known (after our own write)."""
        self._version = self._read()

    def check_now(self) -> bool:
        """Compare now; emits and returns True when the journal changed."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        self.data_changed.emit()
        return True
