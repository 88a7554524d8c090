"""The autosave debounce: write about a second after typing pauses, retry after a failure.

There is no Save button. The editor calls :meth:`AutosaveController.mark_dirty` on every edit;
a single-shot timer, restarted by each edit, calls the save function once typing pauses, and a
second one, started by the first unsaved edit and never restarted, saves during long bursts of
typing too: a crash loses at most about the last second of what was typed. The
editor also calls :meth:`flush` on switching entry, on focus loss and on close. A save that
raises a :class:`~questionbook.core.errors.QuestionBookError` (disk full, journal busy ...)
leaves the controller dirty, so the next edit or flush tries again, and a slower retry timer
tries on its own; the typed text never leaves the editor, so nothing is lost meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal

from questionbook.core.errors import QuestionBookError

SAVE_DELAY_MS = 1000
MAX_WAIT_MS = 1000
RETRY_DELAY_MS = 5000


class SaveState(Enum):
    SAVED = "saved"
    PENDING = "pending"
    FAILED = "failed"


class AutosaveController(QObject):
    """Debounces edits into calls of *save*; tracks whether everything typed is stored."""

    state_changed = Signal(object, str)
    """The save state changed: (:class:`SaveState`, reason text; empty unless FAILED)."""
    saved = Signal()
    """*save* ran and succeeded."""
    failed = Signal(str)
    """*save* raised; the argument is the reason to show the user."""

    def __init__(
        self,
        save: Callable[[], None],
        parent: QObject | None = None,
        *,
        delay_ms: int = SAVE_DELAY_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        retry_ms: int = RETRY_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._state = SaveState.SAVED
        self._reason = ""
        self._saving = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max_wait_ms)
        self._deadline.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.flush)

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
        if self._state is SaveState.SAVED:
            self._set_state(SaveState.PENDING, "")
            self._deadline.start()
        self._timer.start()

    def set_max_wait(self, ms: int) -> None:
        """How long typing may go on without a save (longer for huge texts: saving costs)."""
        self._deadline.setInterval(ms)

    def flush(self) -> bool:
        """Save now if anything is pending; True if everything is stored afterwards."""
        self._timer.stop()
        self._deadline.stop()
        self._retry.stop()
        if self._state is SaveState.SAVED:
            return True
        if self._saving:  # re-entered (e.g. a focus change during a save): the save is running
            return False
        self._saving = True
        try:
            self._save()
        except QuestionBookError as exc:
            self._set_state(SaveState.FAILED, str(exc) or type(exc).__name__)
            self._retry.start()
            self.failed.emit(self._reason)
            return False
        finally:
            self._saving = False
        self._set_state(SaveState.SAVED, "")
        self.saved.emit()
        return True

    def reset(self) -> None:
        """Forget pending edits (after loading another entry whose form is freshly filled)."""
        self._timer.stop()
        self._deadline.stop()
        self._retry.stop()
        self._set_state(SaveState.SAVED, "")

    def _set_state(self, state: SaveState, reason: str) -> None:
        if state is not self._state or reason != self._reason:
            self._state, self._reason = state, reason
            self.state_changed.emit(state, reason)
