"""Sidebar and status-bar counts, computed off the UI thread.

Why a thread: on a 100,000-entry journal the counts by kind and the tag counts take most of a
second, and they are wanted after every save and every change another process makes; on the UI
thread that would freeze typing. Each request runs the journal's own read calls (each its own
session, so safe from a worker) in a one-thread pool; requests that arrive while one runs are
folded into a single re-run, and the result arrives as :attr:`CountsLoader.loaded` on the UI
thread.

The tags come as the nested tree (issue 19, :meth:`TagService.tree`): the flat counts plus one
indexed subtree count per parent node, over the same journal file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from questionbook.core.entities import JournalStats
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.tag_service import TagNode, TagService
from questionbook.ui.views import today_entries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    """Everything the sidebar and the status bar count."""

    stats: JournalStats
    today: int
    tags: list[TagNode]  # the tag tree's roots


def load_counts(journal: Journal, today: date) -> Counts:
    """Read the counts (plain service calls; runs in the worker)."""
    return Counts(
        stats=journal.stats(),
        today=len(today_entries(journal, today)),
        tags=TagService(journal.db, clock=journal.clock).tree(),
    )


class _Job(QRunnable):
    def __init__(self, loader: CountsLoader) -> None:
        super().__init__()
        self._loader = loader

    def run(self) -> None:
        self._loader._run_job()


class CountsLoader(QObject):
    """Computes :class:`Counts` in the background; see the module docstring."""

    loaded = Signal(object)
    """New :class:`Counts` are ready."""
    failed = Signal(str)
    """Counting failed (journal busy, say); the message says why."""

    def __init__(
        self, journal: Journal, today: Callable[[], date], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._today = today
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._closed = False

    def request(self) -> None:
        """Ask for fresh counts; several requests while one runs cost one more run."""
        with self._lock:
            if self._closed:
                return
            if self._running:
                self._again = True
                return
            self._running = True
        self._pool.start(_Job(self))

    def load_now(self) -> Counts:
        """Count on the calling thread (first paint needs numbers, tests want them now)."""
        counts = load_counts(self._journal, self._today())
        self.loaded.emit(counts)
        return counts

    def _run_job(self) -> None:
        while True:
            with self._lock:
                self._again = False
            try:
                counts = load_counts(self._journal, self._today())
            except QuestionBookError as exc:
                self.failed.emit(str(exc))
            except Exception:  # a worker must not take the app down; the next request retries
                log.exception("counting failed")
            else:
                if not self._closed:
                    self.loaded.emit(counts)
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return

    def is_busy(self) -> bool:
        return self._running

    def close(self, timeout_ms: int = 5000) -> None:
        """Stop taking requests and wait for a running count (before the database closes)."""
        self._closed = True
        self._pool.waitForDone(timeout_ms)

    def reopen(self) -> None:
        """Take requests again after :meth:`close` (the journal stayed open after all)."""
        self._closed = False
        self.request()
