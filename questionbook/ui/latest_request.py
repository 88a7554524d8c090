"""A one-thread worker where the latest request wins: the list's page reader and match counter.

Why one shape for both: the list asks for a page and a count of every query the user types.
Each runs on a worker (SQLite releases the GIL while it works), requests that arrive while one
runs fold into one more run of the newest, and each result carries the *ticket* of its request,
so the list drops results of queries it no longer shows. Subclasses say what a request does
(:meth:`LatestRequestWorker._work`) and which signals carry its result.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool


class _Job(QRunnable):
    def __init__(self, worker: LatestRequestWorker) -> None:
        super().__init__()
        self._worker = worker

    def run(self) -> None:
        self._worker._run()


class LatestRequestWorker(QObject):
    """Runs :meth:`_work` for the newest request, one at a time, off the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._wanted: Any = None
        self._running = False
        self._closed = False
        self._ticket = 0

    @property
    def ticket(self) -> int:
        """The ticket of the latest request (or cancel)."""
        return self._ticket

    def is_busy(self) -> bool:
        """True while a request runs or waits to run."""
        return self._running

    def cancel(self) -> None:
        """Forget the request not yet started (the list learnt the answer another way)."""
        self._ticket += 1
        self._drop_wanted()

    def close(self, timeout_ms: int = 2000) -> None:
        """Take no more requests and wait for a running one (before the journal closes)."""
        with self._lock:
            self._closed = True
            self._wanted = None
        self._pool.waitForDone(timeout_ms)

    def _next_ticket(self) -> int:
        self._ticket += 1
        return self._ticket

    def _submit(self, wanted: tuple[Any, ...]) -> None:
        """Make *wanted* (its first item the ticket) the request to run next."""
        with self._lock:
            if self._closed:
                return
            self._wanted = wanted
            if self._running:
                return  # the running job picks it up when it is done
            self._running = True
        self._pool.start(_Job(self))

    def _drop_wanted(self) -> None:
        with self._lock:
            self._wanted = None

    def _run(self) -> None:
        while True:
            with self._lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None or self._closed:
                    self._running = False
                    return
            self._work(wanted)

    def _work(self, wanted: Any) -> None:
        """Do one request on the worker thread and emit its result (never raise)."""
        raise NotImplementedError
