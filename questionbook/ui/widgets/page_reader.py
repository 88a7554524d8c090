"""The first page of a search, read off the UI thread while the user types.

Why: at 100,000 entries the ranked query of a typed word (bm25 over up to 2,000 hits) takes
5-10 ms of SQLite, and the first letter's page (34,000 hits walked newest first) as much: with
the repaint that was more than a frame per keystroke on the UI thread (issue 21). SQLite
releases the GIL while it works, so a worker reads the page and the list keeps showing the
previous one until the new one is ready; the UI thread only swaps the rows in and paints.

Like :class:`~questionbook.ui.match_counter.MatchCounter`: one worker, the latest request wins
(requests made while a read runs fold into one more read of the newest), and each result
carries the ticket of its request so the list drops pages of queries it no longer shows.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from questionbook.core.entities import EntrySummary
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.query import Query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """A page read for a request: the query, its first *limit* entries, and the waterline
    then (a row's water depends on it)."""

    ticket: int
    query: Query
    trash: bool
    entries: list[EntrySummary]
    waterline: int


class _Job(QRunnable):
    def __init__(self, reader: PageReader) -> None:
        super().__init__()
        self._reader = reader

    def run(self) -> None:
        self._reader._run()


class PageReader(QObject):
    """Reads first pages in the background; see the module docstring."""

    read = Signal(object)
    """A page is ready (a :class:`Page`)."""
    failed = Signal(int, str)
    """Reading failed: (ticket, why)."""

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._wanted: tuple[int, Query, bool, int] | None = None
        self._running = False
        self._closed = False
        self._ticket = 0

    @property
    def ticket(self) -> int:
        """The ticket of the latest request (or cancel)."""
        return self._ticket

    def request(self, query: Query, *, trash: bool = False, limit: int) -> int:
        """Read the first *limit* entries *query* finds; returns the ticket of the page."""
        self._ticket += 1
        with self._lock:
            if self._closed:
                return self._ticket
            self._wanted = (self._ticket, query, trash, limit)
            if self._running:
                return self._ticket
            self._running = True
        self._pool.start(_Job(self))
        return self._ticket

    def cancel(self) -> None:
        """Forget the request not yet read: the list was read another way meanwhile."""
        self._ticket += 1
        with self._lock:
            self._wanted = None

    def is_busy(self) -> bool:
        """True while a read runs or waits to run."""
        return self._running

    def close(self, timeout_ms: int = 2000) -> None:
        """Take no more requests and wait for a running read (before the journal closes)."""
        with self._lock:
            self._closed = True
            self._wanted = None
        self._pool.waitForDone(timeout_ms)

    def _run(self) -> None:
        while True:
            with self._lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None or self._closed:
                    self._running = False
                    return
            ticket, query, trash, limit = wanted
            try:
                waterline = self._journal.waterline()
                entries = self._journal.find(query, trash=trash, limit=limit)
            except QuestionBookError as exc:
                log.info("reading the list failed: %s", exc)
                self.failed.emit(ticket, str(exc))
            except Exception as exc:  # a worker must not take the app down
                log.exception("reading the list failed")
                self.failed.emit(ticket, str(exc))
            else:
                self.read.emit(Page(ticket, query, trash, entries, waterline))
