"""Syncing in the app (issue 16): when it runs, on which thread, and what the window hears.

- **Off the UI thread, never two at once.** Every sync-related job (a sync, turning sync on
  or off, renaming this computer, reading the status) runs on a daemon thread, one job at a
  time; a sync asked for while another job runs is remembered and runs once afterwards
  (requests coalesce). The window never waits for one: a join of a large folder takes a
  minute, and the engine applies it in bounded transactions, so the window keeps working.
- **When.** After the first paint (:meth:`SyncRunner.start`); a few seconds after the last
  write of the window (:attr:`Operations.changed`, at most a minute behind during a long burst
  of typing), and only if the journal holds something to send; when the folder changes (a
  :class:`QFileSystemWatcher` on ``devices/`` and the other computers' folders) if
  :meth:`SyncService.has_news` — names only — says there is something to read; and on a
  fallback timer (every five minutes; every minute while the folder is missing, files are
  still arriving or the last sync failed), for folders whose changes the system does not report.
- **What it tells.** :attr:`SyncRunner.state_changed` carries a :class:`SyncView` (idle,
  syncing, waiting for files, folder missing, problem, with the last status) for the status-bar
  indicator and Settings → Sync. A sync that received anything is announced with
  ``ops.announce(Changes.everything())``, so every view refreshes itself; the window is told
  the writes were its own (``own_write``), so its watcher does not announce them again.

Qt only for timers, the file watcher and signals; the work is :class:`SyncService`'s.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from questionbook.core.errors import QuestionBookError, SyncError
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.sync.engine import SyncReport
from questionbook.sync.service import SyncService, SyncStatus
from questionbook.ui.operations import Changes, Operations

log = logging.getLogger(__name__)

#: A sync this long after the last write (the user stopped typing) ...
AFTER_WRITE_MS = 3000
#: ... but never later than this after the first unsent write.
AFTER_WRITE_MAX_MS = 60_000
#: Files arrive in bursts (a sync program renames them one by one): wait for a pause.
AFTER_FOLDER_CHANGE_MS = 1000
#: The first sync, once the window is up.
START_DELAY_MS = 1000
#: Fallback for folders whose changes the system does not report (network mounts).
FALLBACK_MS = 5 * 60_000
#: ... and while something is wrong (the folder is missing, files are still arriving).
RETRY_MS = 60_000


class SyncState(enum.Enum):
    OFF = "off"
    IDLE = "idle"
    SYNCING = "syncing"
    WAITING = "waiting"
    MISSING = "missing"
    PROBLEM = "problem"


@dataclass(frozen=True)
class SyncView:
    """What the indicator and Settings → Sync show."""

    state: SyncState
    status: SyncStatus | None = None
    """As of the last look (after each sync)."""
    report: SyncReport | None = None
    """What the last sync did."""
    error: str = ""
    """Why the last sync (or turning sync on) failed."""

    @property
    def conflicts(self) -> int:
        return self.status.conflicts if self.status is not None else 0


@dataclass
class _Outcome:
    """What a job found, handed back to the UI thread."""

    status: SyncStatus | None = None
    report: SyncReport | None = None
    error: str = ""
    skipped: bool = False
    wrote: bool = False


@dataclass
class _Job:
    kind: str
    work: Callable[[], _Outcome]
    then: Callable[[_Outcome], None] | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


class SyncRunner(QObject):
    """Runs one journal's syncs in the background; see the module docstring."""

    state_changed = Signal(object)
    """The view changed: a :class:`SyncView`."""
    synced = Signal(object)
    """A sync (or turning sync on) finished: its :class:`SyncReport`. Received changes have
    been announced already."""
    enabled_changed = Signal(bool)
    """Sync was turned on (True) or off for this journal."""
    failed = Signal(str)
    """Turning sync on, renaming this computer or turning sync off failed: why."""
    _finished = Signal(object, object)  # (job, outcome), from the worker thread
    _started_syncing = Signal()  # from the worker thread

    def __init__(
        self,
        service: SyncService,
        ops: Operations,
        parent: QObject | None = None,
        *,
        own_write: Callable[[], object] | None = None,
        after_write_ms: int = AFTER_WRITE_MS,
        after_folder_change_ms: int = AFTER_FOLDER_CHANGE_MS,
        start_delay_ms: int = START_DELAY_MS,
        fallback_ms: int = FALLBACK_MS,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._ops = ops
        self._own_write = own_write or (lambda: None)
        self._fallback_ms, self._retry_ms = fallback_ms, retry_ms
        self._jobs: deque[_Job] = deque()
        self._wants: set[str] = set()
        self._current: _Job | None = None
        self._closed = False
        self._paused = False
        self._first_write = 0.0
        config = service.config()
        self._enabled = config is not None
        self._folder: Path | None = config.folder if config else None
        self._device: str | None = config.device if config else None
        self._view = SyncView(SyncState.IDLE if self._enabled else SyncState.OFF)

        self._write_timer = self._timer(after_write_ms, lambda: self.request("outgoing"))
        self._watch_timer = self._timer(after_folder_change_ms, lambda: self.request("news"))
        self._start_timer = self._timer(start_delay_ms, lambda: self.request("full"))
        self._fallback = QTimer(self)
        self._fallback.setInterval(fallback_ms)
        self._fallback.timeout.connect(self._on_fallback_timeout)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self._finished.connect(self._on_finished)
        self._started_syncing.connect(self._on_started_syncing)
        ops.changed.connect(self._on_ops_changed)

    def _timer(self, ms: int, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # -- public API ------------------------------------------------------------------------
    @property
    def service(self) -> SyncService:
        return self._service

    def view(self) -> SyncView:
        return self._view

    def is_enabled(self) -> bool:
        return self._enabled

    def is_idle(self) -> bool:
        """True when no job runs or waits (tests wait for it)."""
        return self._current is None and not self._jobs and not self._wants

    def start(self) -> None:
        """Begin: the first sync shortly after the window is up (timers only run once the
        event loop does, so this is after the first paint), then the watcher and the
        fallback timer."""
        if self._enabled:
            self._start_timer.start()
            self._fallback.start()
            self._rewatch()

    def sync_now(self) -> None:
        """Sync now (Settings → Sync's button), or right after the job running now; also
        while paused (the user asked for it)."""
        if self._paused and self._enabled:
            self._submit("sync", lambda: self._sync_work({"full"}), self._on_synced)
            return
        self.request("full")

    def request(self, *why: str) -> None:
        """Ask for a sync: ``full``, or only if the folder has ``news`` or the journal has
        ``outgoing`` changes."""
        if self._closed or self._paused or not self._enabled:
            return
        self._wants.update(why)
        self._pump()

    def refresh_status(self) -> None:
        """Read the status again (folder, devices, pending) in the background."""
        self._submit("status", self._status_work, self._on_status_done)

    def enable(self, folder: Path, settings: Settings) -> None:
        """Turn sync on through *folder* (or move to another folder), then sync;
        *settings* seeds the journal's own settings (review day and time, week start)."""
        self._submit("enable", lambda: self._enable_work(folder, settings), self._on_enabled)

    def disable(self) -> None:
        """Turn sync off; the folder keeps its files."""
        self._submit("disable", self._disable_work, self._on_disabled)

    def rename(self, name: str) -> None:
        """Call this computer *name* in the folder."""
        self._submit("rename", lambda: self._rename_work(name), self._on_renamed)

    def pause(self, timeout_ms: int = 3000) -> None:
        """Stop syncing in the background for now (a restore or Settings → Privacy may
        replace the journal file): timers and the watcher stop and a running job gets
        *timeout_ms* to finish. What the user asks for (Sync Now, on, off) still runs."""
        self._paused = True
        self._stop_timers()
        self._wants.clear()
        self._join(timeout_ms)

    def resume(self) -> None:
        self._paused = False
        self.start()

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """The window closes: no new jobs; a running one gets *timeout_ms* to finish (the
        engine's transactions make stopping anywhere safe)."""
        self._closed = True
        self._stop_timers()
        self._jobs.clear()
        self._wants.clear()
        self._join(timeout_ms)

    # -- scheduling ------------------------------------------------------------------------
    def _stop_timers(self) -> None:
        for timer in (self._write_timer, self._watch_timer, self._start_timer, self._fallback):
            timer.stop()
        with contextlib.suppress(RuntimeError):
            paths = self._watcher.directories()
            if paths:
                self._watcher.removePaths(paths)

    def _join(self, timeout_ms: int) -> None:
        job = self._current
        if job is not None and job.thread is not None:
            job.thread.join(timeout_ms / 1000)

    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        """A write of the window (or another program's): sync when the typing pauses."""
        if initiator is self or not changes or not self._enabled or self._closed:
            return
        now = time.monotonic()
        if not self._write_timer.isActive():
            self._first_write = now
            self._write_timer.start()
        elif (now - self._first_write) * 1000 < AFTER_WRITE_MAX_MS:
            self._write_timer.start()  # restart: still typing

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self._rewatch()
        self._watch_timer.start()

    def _on_fallback_timeout(self) -> None:
        self.request("full" if self._view.state is not SyncState.IDLE else "news", "outgoing")

    def _rewatch(self) -> None:
        """Watch the folder, its ``devices/`` and every other computer's folder in it."""
        if self._folder is None or not self._enabled or self._closed or self._paused:
            return
        devices = self._folder / "devices"
        wanted = [self._folder, devices]
        with contextlib.suppress(OSError):
            wanted += [p for p in devices.iterdir() if p.is_dir() and p.name != self._device]
        wanted_s = {str(p) for p in wanted if p.is_dir()}
        have = set(self._watcher.directories())
        if have - wanted_s:
            self._watcher.removePaths(sorted(have - wanted_s))
        if wanted_s - have:
            self._watcher.addPaths(sorted(wanted_s - have))

    def watched(self) -> list[str]:
        """The folders watched now (for tests and the curious)."""
        return sorted(self._watcher.directories())

    def _submit(
        self, kind: str, work: Callable[[], _Outcome], then: Callable[[_Outcome], None]
    ) -> None:
        if self._closed:
            return
        self._jobs.append(_Job(kind, work, then))
        self._pump()

    def _pump(self) -> None:
        if self._current is not None or self._closed:
            return
        if self._jobs:
            job = self._jobs.popleft()
        elif self._wants and self._enabled and not self._paused:
            wants, self._wants = set(self._wants), set()
            job = _Job("sync", lambda: self._sync_work(wants), self._on_synced)
        else:
            self._wants.clear()
            return
        self._current = job
        job.thread = threading.Thread(
            target=self._run, args=(job,), name=f"questionbook-sync-{job.kind}", daemon=True
        )
        job.thread.start()

    # -- worker thread ---------------------------------------------------------------------
    def _run(self, job: _Job) -> None:
        try:
            outcome = job.work()
        except QuestionBookError as exc:
            outcome = _Outcome(error=str(exc) or type(exc).__name__)
        except Exception as exc:  # a worker must not take the app down
            log.exception("sync job %s failed", job.kind)
            outcome = _Outcome(error=_("unexpected error: {reason}").format(reason=exc))
        with contextlib.suppress(RuntimeError):  # the window went away meanwhile
            self._finished.emit(job, outcome)

    def _look(self) -> SyncStatus | None:
        try:
            return self._service.status()
        except QuestionBookError:
            return None

    def _sync_work(self, wants: set[str]) -> _Outcome:
        svc = self._service
        if not svc.enabled:
            return _Outcome(skipped=True)
        if "full" not in wants:
            news = "news" in wants and svc.has_news()
            out = "outgoing" in wants and svc.has_local_changes()
            if not (news or out):
                return _Outcome(skipped=True)
        with contextlib.suppress(RuntimeError):
            self._started_syncing.emit()
        try:
            report = svc.sync()
        except SyncError as exc:
            return _Outcome(status=self._look(), error=str(exc), wrote=True)
        return _Outcome(status=self._look(), report=report, wrote=True)

    def _enable_work(self, folder: Path, settings: Settings) -> _Outcome:
        with contextlib.suppress(RuntimeError):
            self._started_syncing.emit()
        try:
            report = self._service.enable(folder, settings)
        except SyncError as exc:  # e.g. the folder missing after setting it: still on
            return _Outcome(status=self._look(), error=str(exc), wrote=True)
        return _Outcome(status=self._look(), report=report, wrote=True)

    def _disable_work(self) -> _Outcome:
        self._service.disable()
        return _Outcome(status=SyncStatus(enabled=False), wrote=True)

    def _rename_work(self, name: str) -> _Outcome:
        self._service.rename(name)
        return _Outcome(status=self._look(), wrote=True)

    def _status_work(self) -> _Outcome:
        return _Outcome(status=self._look())

    # -- back on the UI thread -------------------------------------------------------------
    def _on_started_syncing(self) -> None:
        if not self._closed:
            self._set_view(SyncView(SyncState.SYNCING, self._view.status, self._view.report))

    def _on_finished(self, job: _Job, outcome: _Outcome) -> None:
        if job is not self._current:
            return
        self._current = None
        if self._closed:
            return
        try:
            if job.then is not None:
                job.then(outcome)
            if outcome.wrote:
                self._own_write()  # the window's watcher must not announce these writes again
        finally:
            self._pump()

    def _on_synced(self, outcome: _Outcome) -> None:
        if outcome.skipped:
            return
        report = outcome.report
        if report is not None and (report.received or report.conflicts or report.new_device):
            self._ops.announce(Changes.everything(), self)
        self._settle_view(outcome)
        if report is not None:
            self.synced.emit(report)

    def _on_enabled(self, outcome: _Outcome) -> None:
        enabled = outcome.status is not None and outcome.status.enabled
        if not enabled:
            self.failed.emit(outcome.error or _("sync could not be turned on"))
            if self._enabled:  # moving to another folder failed: still on, as before
                self._settle_view(outcome)
            else:
                self._set_view(SyncView(SyncState.OFF, outcome.status, error=outcome.error))
            return
        was = self._enabled
        self._take_config(outcome.status)
        self._enabled = True
        self._ops.announce(Changes.everything(), self)  # joining merges both journals
        self._settle_view(outcome)
        self._fallback.start()
        self._rewatch()
        if not was:
            self.enabled_changed.emit(True)
        if outcome.report is not None:
            self.synced.emit(outcome.report)

    def _on_disabled(self, outcome: _Outcome) -> None:
        if outcome.error:
            self.failed.emit(outcome.error)
            return
        self._enabled = False
        self._folder = self._device = None
        self._stop_timers()
        self._set_view(SyncView(SyncState.OFF, outcome.status))
        self.enabled_changed.emit(False)

    def _on_renamed(self, outcome: _Outcome) -> None:
        if outcome.error:
            self.failed.emit(outcome.error)
        self._on_status_done(outcome)

    def _on_status_done(self, outcome: _Outcome) -> None:
        if outcome.status is None:
            return
        state = self._view.state
        if state is SyncState.SYNCING and self._current is None:
            state = SyncState.IDLE
        self._set_view(SyncView(state, outcome.status, self._view.report, self._view.error))

    def _take_config(self, status: SyncStatus | None) -> None:
        if status is not None and status.enabled:
            self._folder, self._device = status.folder, status.device

    def _settle_view(self, outcome: _Outcome) -> None:
        """The state after a sync: missing folder, problem, files still arriving, or idle."""
        status = outcome.status or self._view.status
        if status is not None and not status.enabled:
            self._set_view(SyncView(SyncState.OFF, status))
            return
        report = outcome.report
        if status is not None and not status.folder_found:
            state = SyncState.MISSING
        elif outcome.error or (report is not None and report.problems):
            state = SyncState.PROBLEM
        elif report is not None and report.waiting:
            state = SyncState.WAITING
        else:
            state = SyncState.IDLE
        self._take_config(status)
        self._set_view(SyncView(state, status, report or self._view.report, outcome.error))
        self._fallback.setInterval(self._fallback_ms if state is SyncState.IDLE else self._retry_ms)
        self._rewatch()

    def _set_view(self, view: SyncView) -> None:
        self._view = view
        self.state_changed.emit(view)


def state_text(view: SyncView) -> str:
    """The indicator's words for *view*'s state."""
    texts = {
        SyncState.OFF: _("Sync off"),
        SyncState.IDLE: _("Synced"),
        SyncState.SYNCING: _("Syncing…"),
        SyncState.WAITING: _("Waiting for files"),
        SyncState.MISSING: _("Sync folder missing"),
        SyncState.PROBLEM: _("Sync problem"),
    }
    return texts[view.state]
