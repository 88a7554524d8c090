"""Work the first paint does not need, done right after it, one step per turn of the event loop.

Why (issue 21): the window must be visible and take typing within a small multiple of a bare
Qt window's start. What the first paint shows — the last view with its rows, the sidebar, the
capture box — is built before ``show()``; the parts nobody sees yet (the tray, the background
backups, the menu actions, the editor's form until an entry is opened) are queued here and run
after the window's first Paint event, each in its own zero-timer turn, so a key typed meanwhile
is handled between two steps rather than after all of them. Each step is a milestone of the
start-up trace (``QUESTIONBOOK_TRACE_START``).

A queue made with ``eager=True`` (what tests and every window but the app's first get) runs each
step as it is added, so code that builds a window and uses it at once sees it complete;
:meth:`finish` runs what is left at once (a test, or a part needed before its turn).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from questionbook import start_trace


class StartQueue(QObject):
    """Steps run after *window*'s first paint (or at once when *eager*)."""

    def __init__(self, window: QWidget, *, eager: bool = False) -> None:
        super().__init__(window)
        self._window = window
        self._steps: deque[tuple[str, Callable[[], object]]] = deque()
        self._eager = eager
        self._painted = False
        app = QApplication.instance()
        if not eager and app is not None:
            app.installEventFilter(self)  # the first Paint may reach a child, not the window

    def add(self, name: str, step: Callable[[], object]) -> None:
        """Run *step* after the first paint (at once if the queue is eager or already done)."""
        if self._eager:
            step()
            return
        self._steps.append((name, step))
        if self._painted and len(self._steps) == 1:
            QTimer.singleShot(0, self._run_next)

    def pending(self) -> int:
        """How many steps wait for their turn."""
        return len(self._steps)

    def finish(self) -> None:
        """Run every waiting step now; from here on steps run as they are added."""
        self._eager = True
        while self._steps:
            self._run_one()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and not self._painted
            and _within(watched, self._window)
        ):
            self._painted = True
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, self._run_next)  # after this paint, not inside it
        return False

    def _run_next(self) -> None:
        if self._steps:
            self._run_one()
        if self._steps:
            QTimer.singleShot(0, self._run_next)

    def _run_one(self) -> None:
        name, step = self._steps.popleft()
        step()
        start_trace.mark(f"deferred: {name}")


def _within(obj: QObject | None, window: QWidget) -> bool:
    while obj is not None:
        if obj is window:
            return True
        obj = obj.parent()
    return False
