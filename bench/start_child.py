"""Child process of :mod:`start_probe`: start one window, time it, print one JSON line, exit.

``python start_child.py bare`` shows a bare PySide6 window (a QMainWindow with a QLabel);
``python start_child.py app DB`` starts QuestionBook over *DB* exactly as
``python -m questionbook --db DB`` does. Both take their time zero from
``QUESTIONBOOK_TRACE_START`` (the parent's ``time.time()`` just before it spawned this process),
so interpreter start and imports count, as a user feels them.

*Painted* is the first Paint event of the window (or a child). *Interactive*: at that first
paint a key ("q") is posted to the window's ``QWindow``, as the windowing system delivers a
typed key; the app is interactive when the capture box's text holds it (the bare window: when
the window receives the key press). Anything the app does on the GUI thread before the key is
handled — deferred work queued earlier included — counts.

Only the standard library is imported before the window's own imports, so the child costs both
windows the same.
"""

from __future__ import annotations

import json
import os
import sys
import time

ZERO = float(os.environ.get("QUESTIONBOOK_TRACE_START", "0") or 0) or time.time()
KEY_TEXT = "q"


def _done(result: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # no shutdown: the parent only wants the stamps


def _post_key(window: object) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    handle = window.windowHandle()  # type: ignore[attr-defined]
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Q, Qt.KeyboardModifier.NoModifier, KEY_TEXT)
    QApplication.postEvent(handle, event)


def bare() -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    result: dict[str, object] = {}
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello", window))
    available = window.screen().availableGeometry().size()  # the app's first-run size
    window.resize(min(1280, available.width() * 9 // 10), min(800, available.height() * 9 // 10))

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind == QEvent.Type.Paint and "painted" not in result:
                result["painted"] = time.time() - ZERO
                _post_key(window)
            elif kind == QEvent.Type.KeyPress and "painted" in result:
                result["interactive"] = time.time() - ZERO
                _done(result)
            return False

    watch = Watch()
    app.installEventFilter(watch)
    window.show()
    app.exec()


def app(db: str) -> None:
    from questionbook import start_trace

    result: dict[str, object] = {"milestones": {}}
    milestones: dict[str, float] = result["milestones"]  # type: ignore[assignment]

    def on_milestone(name: str, elapsed: float) -> None:
        milestones[name] = round(elapsed, 4)
        if name == "first paint":
            result["painted"] = elapsed
            _arm_key()

    def _arm_key() -> None:
        from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QMainWindow

        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
        if not windows or not isinstance(windows[0], QMainWindow):
            result["error"] = "no main window at first paint"
            _done(result)
            return
        window = windows[0]
        # The window's own focus widget: the one its keys go to (with no window manager under
        # Xvfb the window is never activated, so QApplication.focusWidget() stays None).
        focus = window.focusWidget()
        if not isinstance(focus, QLineEdit) or focus.objectName() != "captureLine":
            result["error"] = f"the keyboard is not in the capture box: {focus!r}"
            _done(result)
            return
        result["view"] = window.current_view_key()  # type: ignore[attr-defined]
        view = window.findChild(QListView, "entryList")
        result["rows_at_paint"] = view.model().rowCount() if view is not None else -1

        def on_text(text: str) -> None:
            if KEY_TEXT in text:
                result["interactive"] = time.time() - ZERO
                result["milestones_after_key"] = sorted(
                    k
                    for k, v in milestones.items()
                    if v > float(result["painted"])  # type: ignore[arg-type]
                )
                _done(result)

        focus.textChanged.connect(on_text)
        _post_key(window)

    start_trace.listeners.append(on_milestone)
    from questionbook.__main__ import main

    main(["--db", db])
    result["error"] = "the app quit before the key was typed"
    _done(result)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2])
