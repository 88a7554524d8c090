"""The worker under :mod:`questionbook.ui.operations`: journal writes off the UI thread, so
that a busy journal never freezes the window.

Why: another program may hold the journal's write lock for a long time (``questionbook import``
of a big file, say). A write then waits inside SQLite for the busy timeout and is retried by
``Database.write``: seconds during which a window writing on its own thread would not even
repaint. So every write of the window goes to a :class:`JournalWriter`: one worker thread runs
them in the order they were handed in, and each result comes back as a callback on the UI
thread. (Widgets do not use it directly; they run an operation.)

- A *patient* write (autosave, capture: text someone typed) that finds the journal busy is
  retried until it goes through (the other program is done) or fails for another reason;
  meanwhile its owner is told, once, that it is waiting, so it can say "will save when it is
  free" while the text stays safe with it.
- A *quick* write (star, delete, a review step ...) does not wait for another program: it fails
  with :class:`JournalBusy` at once, so the user can simply try again. It also fails at once
  when handed in behind a patient write that is waiting for the busy journal.
- Before a write starts, a non-blocking look at the write lock
  (:func:`~questionbook.storage.connection.write_lock_taken`) says at once whether another
  program holds it, rather than after the busy timeout. It is only a shortcut: the write runs
  on the worker either way, so a lock taken just after the look costs a wait there, never a
  frozen window.
- :meth:`JournalWriter.wait` lets the UI wait a moment for a write: the common case takes a
  few milliseconds, and switching entries wants to know whether the text is stored. It stops
  waiting as soon as the journal is known to be busy, and runs no event loop, so nothing
  re-enters the caller.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from questionbook.core.errors import JournalBusy, QuestionBookError
from questionbook.i18n import _
from questionbook.storage.connection import write_lock_taken

log = logging.getLogger(__name__)
#: Pause between two tries of a write that found the journal busy. Each try itself waits for
#: SQLite's busy timeout, so a freed journal is noticed at once; this only spaces out tries.
RETRY_PAUSE_S = 0.2
#: Writers closed while a write was still running (see :meth:`JournalWriter.close`).
_LINGERING: list[JournalWriter] = []


def busy_notice() -> str:
    """What the window says while a write waits for the busy journal."""
    return _("Journal busy in another program — will save when it is free")


def busy_refusal() -> str:
    """Why a quick write was not done: the journal is busy (try again in a moment)."""
    return _("the journal is busy in another program; try again in a moment")


def busy_explanation() -> str:
    """The longer story, for a tooltip."""
    return _(
        "Another program (an import, say) is writing to the journal. What you wrote is "
        "kept here and saved as soon as the journal is free."
    )


class WriteJob:
    """One write: :attr:`work` runs on the worker, the callbacks on the UI thread."""

    def __init__(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_waiting: Callable[[], object] | None,
        patient: bool = True,
    ) -> None:
        self.work = work
        self.patient = patient
        self.on_done = on_done
        self.on_failed = on_failed
        self.on_waiting = on_waiting
        # Written by the worker under the writer's condition, read by the UI thread.
        self.done = False
        self.busy = False
        self.result: Any = None
        self.error = ""
        # UI thread only: which callbacks have run (a result is delivered exactly once).
        self.told_done = False
        self.told_busy = False


class _Runner(QRunnable):
    def __init__(self, writer: JournalWriter, job: WriteJob) -> None:
        super().__init__()
        self._writer = writer
        self._job = job

    def run(self) -> None:
        self._writer._run(self._job)


class JournalWriter(QObject):
    """Runs journal writes one after another on a worker thread; see the module docstring."""

    busy_changed = Signal(bool)
    """A write started waiting for the busy journal (True), or none is waiting any more."""
    idle = Signal()
    """Every write handed in so far has finished (stored or failed)."""
    _job_finished = Signal(object)
    _job_waiting = Signal(object)

    def __init__(
        self,
        db_path: Path | None,
        parent: QObject | None = None,
        *,
        lock_probe: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._probe = lock_probe or (
            (lambda: write_lock_taken(db_path)) if db_path else (lambda: False)
        )
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # writes in the order they were handed in
        self._cond = threading.Condition()
        self._closed = threading.Event()
        self._jobs: list[WriteJob] = []  # handed in, result not yet delivered (UI thread)
        self._stalled = False  # the running write waits for the busy journal (worker sets it)
        self._busy = False
        self._job_finished.connect(self._deliver)
        self._job_waiting.connect(self._deliver_waiting)

    # -- UI thread -------------------------------------------------------------------------------
    def submit(
        self,
        work: Callable[[], Any],
        *,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_waiting: Callable[[], object] | None = None,
        patient: bool = True,
    ) -> WriteJob:
        """Run *work* on the worker; exactly one of *on_done*/*on_failed* follows later (or
        inside :meth:`wait`), and for a *patient* write *on_waiting* first if the journal is
        busy. A write that is not patient fails at once on a busy journal."""
        job = WriteJob(work, on_done, on_failed, on_waiting, patient)
        self._jobs.append(job)
        if not patient and self._stalled:  # it would queue behind a write waiting for the lock
            with self._cond:
                job.error, job.done = busy_refusal(), True
            QTimer.singleShot(0, self, lambda: self._deliver(job))
            return job
        self._pool.start(_Runner(self, job))
        return job

    def wait(self, job: WriteJob, timeout_ms: int) -> bool:
        """Block up to *timeout_ms* for *job*; True if it finished (its callback has run).

        Returns early, False, once the journal is known to be busy (for this write, or for
        one ahead of it in the queue): then the write goes on in the background and the caller
        must not block on it.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        with self._cond:
            while not job.done and not job.busy and not self._stalled:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            done, busy = job.done, job.busy or self._stalled
        if done:
            self._deliver(job)
            return True
        if busy:
            self._deliver_waiting(job)
        return False

    def pending(self) -> int:
        """How many writes are handed in and not finished."""
        return len(self._jobs)

    def is_busy(self) -> bool:
        """True while a write waits for the journal, which another program is using."""
        return self._busy

    def close(self, timeout_ms: int = 2000) -> None:
        """Stop retrying busy writes and wait a little for the running one (on quitting).

        Results that arrive afterwards are dropped: their owners are going away. A write
        still stuck in SQLite's busy wait keeps this object alive until it ends, so that the
        worker never signals a deleted object.
        """
        self._closed.set()
        if not self._pool.waitForDone(timeout_ms):
            self.setParent(None)
            _LINGERING.append(self)

    def _deliver(self, job: WriteJob) -> None:
        if job.told_done or self._closed.is_set():
            return
        job.told_done = True
        if job in self._jobs:
            self._jobs.remove(job)
        try:
            if job.error:
                job.on_failed(job.error)
            else:
                job.on_done(job.result)
        finally:
            self._update_busy()
            if not self._jobs:
                self.idle.emit()

    def _deliver_waiting(self, job: WriteJob) -> None:
        if job.told_busy or job.told_done or self._closed.is_set():
            return
        job.told_busy = True
        if job.on_waiting is not None:
            job.on_waiting()
        self._update_busy()

    def _update_busy(self) -> None:
        busy = any(j.told_busy for j in self._jobs)
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # -- worker thread ---------------------------------------------------------------------------
    def _run(self, job: WriteJob) -> None:
        if self._probe():
            if not job.patient:
                self._finish(job, None, busy_refusal())
                return
            self._mark_busy(job)
        result: Any = None
        error = ""
        while True:
            try:
                result = job.work()
            except JournalBusy as exc:
                if not job.patient:
                    error = str(exc)
                    break
                self._mark_busy(job)
                if self._closed.wait(RETRY_PAUSE_S):  # quitting: the owner keeps the text
                    error = str(exc)
                    break
                continue
            except QuestionBookError as exc:
                error = str(exc) or type(exc).__name__
            except Exception as exc:  # must not take the app down; the owner keeps the text
                log.exception("a journal write failed")
                error = _("unexpected error: {reason}").format(reason=exc)
            break
        self._finish(job, result, error)

    def _finish(self, job: WriteJob, result: Any, error: str) -> None:
        with self._cond:
            job.result, job.error, job.done = result, error, True
            self._stalled = False
            self._cond.notify_all()
        self._job_finished.emit(job)

    def _mark_busy(self, job: WriteJob) -> None:
        with self._cond:
            if job.busy:
                return
            job.busy = self._stalled = True
            self._cond.notify_all()
        self._job_waiting.emit(job)
