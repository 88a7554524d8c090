"""Child process: start the app offscreen, time first paint and interactive, then typing/scrolling.

Run by :mod:`suite` as ``python app_probe.py DB HOME [full|startup]``; prints one JSON line. Times to first
paint and interactive are absolute ``time.time()`` stamps: the parent subtracts its own stamp
taken just before spawning, so interpreter start and imports count, as a user would feel them.

Definitions: *first paint* is the first Paint event the main window (or a child) receives;
*interactive* is the first turn of the event loop after it (a zero timer), i.e. when a key
press would be handled. Search-as-you-type is timed from the debounced query (the search bar's
``flush()``, so the deliberate 150 ms pause is not counted) until the list has repainted.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

WORDS = ("elevator", "水位上涨")
SCROLL_PAGES = 200
SCROLL_ALL_LIMIT_S = 120.0


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def none_leak_per_call() -> int:
    """How many references to ``None`` one void Qt call drops (0 when PySide6 is sound).

    PySide6 6.12.0 on Python 3.11 decrements ``None``'s refcount on every call of a method that
    returns nothing (``QFont.setWeight``, ``QLabel.setText`` ...), so a process dies with
    "deallocating None" after a few thousand calls: scrolling a list is enough. On Python 3.12+
    ``None`` is immortal and the leak is harmless.
    """
    from PySide6.QtCore import QSize

    size = QSize()
    before = sys.getrefcount(None)
    for _ in range(100):
        size.setWidth(1)
    return round((before - sys.getrefcount(None)) / 100)


def shield_none() -> None:
    """Lift ``None``'s refcount far out of reach so the probe can finish measuring.

    Only the benchmark does this, and the result says so (``pyside_none_leak_per_call``): the
    app itself must be fixed (another PySide6 version, or Python 3.12+).
    """
    import ctypes

    if sys.version_info < (3, 12):
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


def bench_key(db: Path) -> Any:
    """The key of an encrypted benchmark journal (``QB_BENCH_PASSPHRASE_FILE``), unlocked as
    the app does after its dialog, or None for a plain one."""
    secret_file = os.environ.get("QB_BENCH_PASSPHRASE_FILE")
    if not secret_file:
        return None
    from questionbook.storage.encryption import unlock

    return unlock(db, Path(secret_file).read_text(encoding="utf-8").splitlines()[0])


def build_window(db: Path, home: Path) -> tuple[Any, Any, Any]:
    """(QApplication, main window, services), built in the order ``ui.app.run_app`` uses."""
    from questionbook.paths import AppPaths
    from questionbook.services import open_services
    from questionbook.settings import load_settings
    from questionbook.ui.app import create_application, create_main_window, prepare_application

    paths = AppPaths(data_dir=home, config_dir=home / "config")
    settings = load_settings(paths.settings_file)
    app = create_application()
    prepare_application(app, settings, language=settings.language)
    services = open_services(paths, db, key=bench_key(db))
    window = create_main_window(services.journal, paths.settings_file, settings)
    return app, window, services


def main(db_path: str, home: str, mode: str = "full") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QLineEdit, QListView

    stamps: dict[str, float] = {}

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first_paint" not in stamps:
                stamps["first_paint"] = time.time()
                QTimer.singleShot(0, on_interactive)
            return False

    def on_interactive() -> None:
        stamps["interactive"] = time.time()
        loop.quit()

    leak = none_leak_per_call()
    if leak:
        shield_none()
    watch = PaintWatch()
    app, window, services = build_window(Path(db_path), Path(home))
    loop = QEventLoop()
    app.installEventFilter(watch)
    window.show()
    if hasattr(window, "focus_capture"):
        window.focus_capture()  # as run_app does
    elif hasattr(window, "list_pane"):
        window.list_pane.capture.focus()
    QTimer.singleShot(30_000, loop.quit)  # never hang the suite
    loop.exec()  # a local loop: app.quit() would start the app's shutdown
    app.removeEventFilter(watch)
    out: dict[str, Any] = dict(stamps)
    out["pyside_none_leak_per_call"] = leak
    out["startup_peak_mb"] = _rss_mb()
    if mode == "startup":
        services.close()
        print(json.dumps(out))
        return
    search = window.findChild(QLineEdit, "searchBar")
    view = window.findChild(QListView, "entryList")
    pane = window.findChild(QObject, "entryListPane")
    if search is None or view is None:
        out["note"] = "search bar or entry list not found (objectName searchBar / entryList)"
        print(json.dumps(out))
        return
    if pane is not None and hasattr(pane, "show_view"):
        t = time.perf_counter()
        pane.show_view("all")
        app.processEvents()
        view.viewport().repaint()
        out["all_view_ms"] = round((time.perf_counter() - t) * 1000, 2)
    typing: list[float] = []
    for word in WORDS:
        for i in range(1, len(word) + 1):
            search.setText(word[:i])
            t = time.perf_counter()
            search.flush()
            app.processEvents()
            view.viewport().repaint()
            typing.append((time.perf_counter() - t) * 1000)
        search.setText("")
        search.flush()
        app.processEvents()
    out["type_worst_ms"] = round(max(typing), 2)
    out["type_median_ms"] = round(statistics.median(typing), 2)
    out.update(_scroll(app, view))
    out["peak_mb_inside"] = _rss_mb()
    services.close()
    print(json.dumps(out))


def _scroll(app: Any, view: Any) -> dict[str, Any]:
    """Page-down latency over the first pages, then the time to reach the end of the list."""
    bar = view.verticalScrollBar()
    model = view.model()
    pages: list[float] = []
    for _ in range(SCROLL_PAGES):
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        app.processEvents()
        view.viewport().repaint()
        pages.append((time.perf_counter() - t) * 1000)
    pages.sort()
    t = time.perf_counter()
    from PySide6.QtCore import QModelIndex

    while time.perf_counter() - t < SCROLL_ALL_LIMIT_S:
        bar.setValue(bar.maximum())
        app.processEvents()
        view.viewport().repaint()
        if not model.canFetchMore(QModelIndex()):
            break
    elapsed = time.perf_counter() - t
    return {
        "scroll_page_p50_ms": round(pages[len(pages) // 2], 2),
        "scroll_page_p95_ms": round(pages[int(len(pages) * 0.95) - 1], 2),
        "scroll_all_s": round(elapsed, 3),
        "rows_loaded": model.rowCount(),
        "scroll_all_complete": not model.canFetchMore(QModelIndex()),
    }


if __name__ == "__main__":
    main(*sys.argv[1:4])
