"""Child process: the entry list with and without pictures in the journal (issue 18).

``python thumb_probe.py DB WORK FILES [PAGES]`` copies the corpus journal into WORK and opens
the window offscreen as the app does. It measures the list of All entries (showing it, paging
down PAGES screens, repainting a screen), then attaches FILES real JPEG photos (about 400 KB
each, all different) to every 20th entry, newest first, so that every screen shows a few, and
measures the same again with the thumbnails being looked up and decoded in the background;
also how long the first screen's thumbnails take to appear, and paging down with the thumbnails
painted and not painted in alternating rounds (on a busy machine the fairest comparison).
Prints one JSON object.

The list must stay as fast as without pictures: the delegate only asks for a thumbnail while
painting (a dictionary lookup) and never waits for one.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from app_probe import build_window, none_leak_per_call, shield_none


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _photo(index: int) -> bytes:
    """A ~400 KB JPEG of noise (photos compress about as badly), distinct per *index*."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage

    global _BASE
    if _BASE is None:
        width, height = 1024, 768
        raw = os.urandom(width * height * 3)
        image = QImage(raw, width, height, width * 3, QImage.Format.Format_RGB888).copy()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", 60)
        _BASE = bytes(data.data())
    return _BASE + index.to_bytes(8, "little")  # after the end marker: still the same picture


_BASE: bytes | None = None


def _measure(app: Any, window: Any, pages: int) -> dict[str, Any]:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QListView

    view = window.findChild(QListView, "entryList")
    pane = window.findChild(QObject, "entryListPane")
    t = time.perf_counter()
    pane.show_view("all")
    app.processEvents()
    view.viewport().repaint()
    out: dict[str, Any] = {"all_view_ms": _ms(time.perf_counter() - t)}
    thumbs = getattr(pane, "thumbnails", None)
    if thumbs is not None:
        model = view.model()
        rows = view.viewport().height() // max(1, view.sizeHintForRow(0)) + 1
        ids = [model.summary(r).id for r in range(min(rows, model.rowCount()))]
        t = time.perf_counter()
        while time.perf_counter() - t < 30:
            app.processEvents()
            known = [thumbs.has_picture(i) for i in ids]
            shown = [thumbs.pixmap(i) is not None for i, k in zip(ids, known, strict=True) if k]
            if all(k is not None for k in known) and all(shown):
                break
            time.sleep(0.002)
        out["first_screen_thumbnails_ms"] = _ms(time.perf_counter() - t)
        out["first_screen_pictures"] = sum(1 for i in ids if thumbs.has_picture(i))
    repaint = []
    for _ in range(50):
        t = time.perf_counter()
        view.viewport().repaint()
        repaint.append(time.perf_counter() - t)
    out["repaint_screen_ms"] = _ms(statistics.median(repaint))
    bar = view.verticalScrollBar()
    steps = []
    for _ in range(pages):
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        app.processEvents()
        view.viewport().repaint()
        steps.append(time.perf_counter() - t)
    steps.sort()
    out["page_down_p50_ms"] = _ms(steps[len(steps) // 2])
    out["page_down_p95_ms"] = _ms(steps[max(0, int(len(steps) * 0.95) - 1)])
    out["page_down_max_ms"] = _ms(steps[-1])
    return out


def _alternate(app: Any, window: Any, rounds: int, pages: int) -> dict[str, Any]:
    """Page down with the thumbnails painted and not painted, in alternating rounds (the same
    journal, the same moment: a busy machine affects both alike); always onto new rows."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QListView

    view = window.findChild(QListView, "entryList")
    pane = window.findChild(QObject, "entryListPane")
    delegate = view.itemDelegate()
    thumbs = pane.thumbnails
    bar = view.verticalScrollBar()
    steps: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for key in ("with", "without"):
            delegate.thumbnails = thumbs if key == "with" else None
            for _ in range(pages):
                t = time.perf_counter()
                bar.setValue(bar.value() + bar.pageStep())
                app.processEvents()
                view.viewport().repaint()
                steps[key].append(time.perf_counter() - t)
    delegate.thumbnails = thumbs
    out: dict[str, Any] = {}
    for key, xs in steps.items():
        xs.sort()
        out[f"page_down_{key}_p50_ms"] = _ms(xs[len(xs) // 2])
        out[f"page_down_{key}_p95_ms"] = _ms(xs[max(0, int(len(xs) * 0.95) - 1)])
    return out


def main(db_path: str, work: str, files: str, pages: str = "200") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if none_leak_per_call():
        shield_none()
    folder = Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "thumbs.sqlite3"
    shutil.copyfile(db_path, db)
    home = folder / "home"
    home.mkdir(exist_ok=True)
    app, window, services = build_window(db, home)
    window.resize(1360, 860)
    window.show()
    app.processEvents()
    out: dict[str, Any] = {"before": _measure(app, window, int(pages))}
    window.close()
    window.deleteLater()
    app.processEvents()

    journal = services.journal
    with journal.reading() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entry WHERE deleted_at IS NULL ORDER BY created_at DESC"
            )
        ]
    targets = ids[::20][: int(files)]
    t = time.perf_counter()
    for i, entry_id in enumerate(targets):
        services.attachments.attach_data(entry_id, f"photo-{i}.jpg", _photo(i), insert=True)
    out["attach"] = {
        "files": len(targets),
        "file_kb": round(len(_photo(0)) / 1024, 1),
        "total_mb": round(len(targets) * len(_photo(0)) / 2**20, 1),
        "add_s": round(time.perf_counter() - t, 2),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }
    services.close()
    app2, window2, services2 = build_window(db, home)
    window2.resize(1360, 860)
    window2.show()
    app2.processEvents()
    out["after"] = _measure(app2, window2, int(pages))
    out["alternating"] = _alternate(app2, window2, 4, max(10, int(pages) // 8))
    services2.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:5])
