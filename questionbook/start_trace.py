"""The start-up trace: ``QUESTIONBOOK_TRACE_START=1`` prints milestones of the app's start.

Each milestone is one line on standard error, ``questionbook start: 312.4 ms  journal opened``,
with the milliseconds since the process started, so the time between two lines is what the step
in between cost (issue 21: find where the start-up time goes before deferring anything). Without
the variable :func:`mark` does nothing but compare a boolean: the trace costs nothing when off.

The zero is the process's start as the kernel recorded it (``/proc/self/stat``, 10 ms steps),
else the moment this module was imported. A benchmark that knows better (``bench/start_probe.py``
stamps ``time.time()`` just before it spawns the process) passes that stamp as the variable's
value instead of ``1``.

Standard library only, like the CLI's quick path: the CLI imports it before anything heavy, and
Qt only inside :func:`watch_first_paint`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

ENV = "QUESTIONBOOK_TRACE_START"

#: Called with (milestone, seconds since process start) after each milestone is printed (the
#: start-up benchmark listens here to type a key once the window has painted).
listeners: list[Callable[[str, float], None]] = []

_imported_at = time.time()


def _process_start() -> float:
    """``time.time()`` of the process's start: the stamp the variable carries, the kernel's
    record, or this module's import."""
    value = os.environ.get(ENV, "")
    try:
        stamp = float(value)
    except ValueError:
        stamp = 0.0
    if stamp > 1e9:  # an epoch stamp, not a flag
        return stamp
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, field 22 (after pid and comm)
        since_boot = ticks / os.sysconf("SC_CLK_TCK")
        uptime = time.clock_gettime(time.CLOCK_BOOTTIME)
        return time.time() - (uptime - since_boot)
    except (OSError, ValueError, IndexError, AttributeError):
        return _imported_at


_enabled = bool(os.environ.get(ENV, "").strip()) and os.environ.get(ENV, "").strip() != "0"
_zero = _process_start() if _enabled else 0.0
_seen: set[str] = set()


def enabled() -> bool:
    """True when ``QUESTIONBOOK_TRACE_START`` asks for the trace."""
    return _enabled


def mark(name: str, *, once: bool = True) -> None:
    """Print milestone *name* with the time since the process started (if the trace is on).
    With *once* (the default) a milestone reached again (a window rebuilt after a restore) is
    not printed again."""
    if not _enabled or (once and name in _seen):
        return
    _seen.add(name)
    elapsed = time.time() - _zero
    sys.stderr.write(f"questionbook start: {elapsed * 1000:8.1f} ms  {name}\n")
    sys.stderr.flush()
    for listener in list(listeners):
        listener(name, elapsed)


def watch_first_paint(window: Any) -> None:
    """Mark ``first paint`` when *window* (or a child) first paints, then ``event loop
    running`` at the next turn of the event loop, when a typed key would be handled."""
    if not _enabled:
        return
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return

    class _PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and _is_in(watched, window):
                QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
                mark("first paint")
                QTimer.singleShot(0, lambda: mark("event loop running"))
                self.deleteLater()
            return False

    app.installEventFilter(_PaintWatch(window))


def _is_in(obj: Any, window: Any) -> bool:
    while obj is not None:
        if obj is window:
            return True
        obj = obj.parent() if hasattr(obj, "parent") else None
    return False
