"""The autosave debounce and the save state the editor shows.

There is no Save button. The editor calls :meth:`AutosaveController.mark_dirty` on every edit;
a single-shot timer, restarted by each edit, hands the edits to the save function once typing
pauses, and a second one, started by the first unsaved edit and never restarted, does so
during long bursts of typing too: a crash loses at most about the last second of what was
typed. The editor also calls :meth:`flush` on switching entry, on focus loss and on close.

Saving itself runs on a worker thread (:mod:`questionbook.ui.journal_writer`), so the
controller does not learn the outcome from the save function: the editor reports it with
:meth:`report_stored`, :meth:`report_waiting` (the journal is busy in another program; the
write is retried) and :meth:`report_failed` (disk full ...; the next edit or flush tries again).
Timer-driven saves never wait for the worker; :meth:`flush` lets the save function wait a
moment, so that when the journal is free, everything is stored by the time it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal

from questionbook.core.errors import QuestionBookError

SAVE_DELAY_MS = 1000
MAX_WAIT_MS = 1000


class SaveState(Enum):
    SAVED = "saved"  # everything shown is stored
    PENDING = "pending"  # edits not stored yet; a save is due or running
    WAITING = "waiting"  # a save waits for the journal, busy in another program
    FAILED = "failed"  # the last save failed; the text stays and is tried again


class AutosaveController(QObject):
    """Debounces edits into calls of *save*; tracks whether everything typed is stored."""

    state_changed = Signal(object, str)
    """The save state changed: (:class:`SaveState`, reason text; empty unless FAILED)."""
    saved = Signal()
    """Everything typed is stored."""
    failed = Signal(str)
    """A save failed; the argument is the reason to show the user."""

    def __init__(
        self,
        save: Callable[[bool], None],
        parent: QObject | None = None,
        *,
        delay_ms: int = SAVE_DELAY_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        """*save(wait)* hands the edits to the writer; with *wait* it may block a moment."""
        super().__init__(parent)
        self._save = save
        self._state = SaveState.SAVED
        self._reason = ""
        self._unsent = False  # edits made since the save function last ran
        self._saving = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max_wait_ms)
        self._deadline.timeout.connect(self._on_timer_timeout)

    @property
    def state(self) -> SaveState:
        return self._state

    @property
    def reason(self) -> str:
        """Why the last save failed (empty when it did not)."""
        return self._reason

    def is_dirty(self) -> bool:
        """True while something typed is not yet stored."""
        return self._state is not SaveState.SAVED

    def mark_dirty(self) -> None:
        """An edit happened: (re)start the countdown to the next save."""
        if not self._unsent:  # the first edit since the last hand-off starts the deadline
            self._deadline.start()
        self._unsent = True
        if self._state is SaveState.SAVED:
            self._set_state(SaveState.PENDING, "")
        self._timer.start()

    def set_max_wait(self, ms: int) -> None:
        """How long typing may go on without a save (longer for huge texts: saving costs)."""
        self._deadline.setInterval(ms)

    def flush(self, *, wait: bool = True) -> bool:
        """Save now if anything is pending; True if everything is stored afterwards."""
        self._timer.stop()
        self._deadline.stop()
        if self._state is SaveState.SAVED:
            return True
        if self._saving:  # re-entered (e.g. a focus change during a save): the save is running
            return False
        self._saving = True
        self._unsent = False
        try:
            self._save(wait)
        except QuestionBookError as exc:
            self.report_failed(str(exc) or type(exc).__name__)
        finally:
            self._saving = False
        return self._state is SaveState.SAVED

    def report_stored(self, complete: bool) -> None:
        """A write went through; *complete*: nothing handed in is left to write."""
        if complete and not self._unsent:
            self._set_state(SaveState.SAVED, "")
            self.saved.emit()
        elif self._state is not SaveState.SAVED:
            self._set_state(SaveState.PENDING, "")

    def report_waiting(self) -> None:
        """A write waits for the journal, which another program is using."""
        if self._state is not SaveState.SAVED:
            self._set_state(SaveState.WAITING, "")

    def report_failed(self, reason: str) -> None:
        """A write failed; the text stays and the next edit or flush tries again."""
        self._set_state(SaveState.FAILED, reason)
        self.failed.emit(reason)

    def reset(self, state: SaveState = SaveState.SAVED, reason: str = "") -> None:
        """Start over after another entry was loaded into a freshly filled form; *state* is
        that entry's (PENDING, WAITING or FAILED when it has a draft still being saved)."""
        self._timer.stop()
        self._deadline.stop()
        self._unsent = False
        self._set_state(state, reason)

    def _on_timer_timeout(self) -> None:
        self.flush(wait=False)

    def _set_state(self, state: SaveState, reason: str) -> None:
        if state is not self._state or reason != self._reason:
            self._state, self._reason = state, reason
            self.state_changed.emit(state, reason)
