"""Developer tool: PNGs of the main views over the demo journal, for the README and reviews.

``python -m questionbook.ui.screenshots OUTDIR [--lang en|zh_CN] [--theme light|dark]``

It opens the demo journal in a temporary folder (never the user's journal) and writes
``today.png``, ``all-entry.png``, ``search.png``, ``hardness-picker.png``, ``trash.png`` and
``welcome.png`` (the first-run empty state), then the review and insights pages
(:mod:`questionbook.ui.pages.screenshots`), the evidence features
(:mod:`questionbook.ui.evidence_screenshots`) and pictures, files and links
(:mod:`questionbook.ui.pictures_screenshots`). Without a display it uses Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

WINDOW_SIZE = (1360, 860)
SEARCHES = {"en": "water", "zh_CN": "问题"}


def _settle(app: object, rounds: int = 6) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _open_first(window: object, title_part: str | None = None) -> None:
    """Select the first entry (or the first whose title contains *title_part*)."""
    from PySide6.QtWidgets import QWidget

    from questionbook.ui.widgets.entry_list import EntryListPane

    assert isinstance(window, QWidget)
    pane = window.findChild(EntryListPane)
    assert pane is not None
    for row in range(pane.model.rowCount()):
        summary = pane.model.summary(row)
        if summary is not None and (title_part is None or title_part in summary.title):
            pane.select_id(summary.id)
            return


def _grab_with_popup(window: object, popup: object, anchor: object) -> object:
    """The window's pixels with a popup (a separate top-level) painted under *anchor*.

    The popup is placed here rather than where the platform put it: the offscreen platform's
    small virtual screen pushes popups into its corner.
    """
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    shot = window.grab()  # type: ignore[attr-defined]
    if popup is not None and popup.isVisible():  # type: ignore[attr-defined]
        image = popup.grab()  # type: ignore[attr-defined]
        pos = anchor.mapTo(window, anchor.rect().bottomLeft())  # type: ignore[attr-defined]
        x = max(0, min(pos.x(), window.width() - image.width() - 8))  # type: ignore[attr-defined]
        painter = QPainter(shot)
        painter.drawPixmap(QPoint(x, pos.y() + 4), image)
        painter.end()
    return shot


def screenshot_window(services: object, settings: object | None = None) -> object:
    """The window as the app builds it, Review and Insights pages and banners included (the
    README's pictures must show the real sidebar), without a tray icon."""
    from questionbook.services import Services
    from questionbook.settings import Settings
    from questionbook.ui.features import install_features
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.settings_controller import SettingsController

    assert isinstance(services, Services)
    controller = SettingsController(None, settings if isinstance(settings, Settings) else None)
    window = MainWindow(services.journal, settings=controller, poll_ms=60_000)
    install_features(window, services, controller, reopen=lambda: None, with_tray=False)
    return window


def take_screenshots(outdir: Path, language: str = "en", theme: str = "light") -> list[Path]:
    """Write the PNGs into *outdir*; returns their paths."""
    from questionbook.demo import create_demo_services
    from questionbook.i18n import set_language
    from questionbook.settings import Settings
    from questionbook.ui.app import create_application, prepare_application
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.operations import Changes
    from questionbook.ui.widgets.editor.entry_editor import EntryEditor
    from questionbook.ui.widgets.editor.hardness_picker import HardnessPicker
    from questionbook.ui.widgets.entry_list import EntryListPane

    set_language(language)
    outdir.mkdir(parents=True, exist_ok=True)
    app = create_application()
    prepare_application(app, Settings(), theme=theme, language=language)
    from PySide6.QtWidgets import QWidget

    tmp = Path(tempfile.mkdtemp(prefix="questionbook-shots-"))
    written: list[Path] = []
    services = create_demo_services(tmp / "demo")
    empty = None
    try:
        window = screenshot_window(services)
        assert isinstance(window, MainWindow)
        window.resize(*WINDOW_SIZE)
        window.show()
        _settle(app)
        pane = window.findChild(EntryListPane)
        editor = window.findChild(EntryEditor)
        assert pane is not None and editor is not None

        def save(name: str, pixmap: object | None = None) -> None:
            _settle(app)
            path = outdir / name
            (pixmap or window.grab()).save(str(path))  # type: ignore[attr-defined]
            written.append(path)

        window.show_view("today")
        _open_first(window)
        window.focus_capture()
        save("today.png")

        window.show_view("all")
        _open_first(window, "水位" if language.startswith("zh") else "city")
        save("all-entry.png")

        window.show_view("all")
        pane.search.setText(SEARCHES.get(language, "water"))
        pane.search.flush()
        _open_first(window)
        save("search.png")
        pane.search.clear()
        pane.search.flush()

        window.show_view("questions")
        _open_first(window)
        editor.open_hardness_picker()
        _settle(app)
        picker = editor.findChild(HardnessPicker)
        save(
            "hardness-picker.png",
            _grab_with_popup(window, picker, editor.findChild(QWidget, "hardnessButton")),
        )
        if picker is not None:
            picker.hide()

        for summary in services.journal.find("kind:question", limit=40)[-3:]:
            services.journal.delete(summary.id)
        window.operations.announce(Changes.everything())
        window.show_view("trash")
        _open_first(window)
        save("trash.png")
        window.close()

        from questionbook.paths import AppPaths
        from questionbook.services import open_services

        empty = open_services(AppPaths(tmp / "empty", tmp / "empty" / "config"))
        welcome = screenshot_window(empty)
        assert isinstance(welcome, MainWindow)
        welcome.resize(*WINDOW_SIZE)
        welcome.show()
        welcome.show_view("today")
        _settle(app)
        path = outdir / "welcome.png"
        welcome.grab().save(str(path))
        written.append(path)
        welcome.close()
    finally:
        services.close()
        if empty is not None:
            empty.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m questionbook.ui.screenshots",
        description="Write PNGs of the main views and the review and insights pages (demo journal).",
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "zh_CN"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from questionbook.ui.evidence_screenshots import take_screenshots as take_evidence_shots
    from questionbook.ui.pages.screenshots import take_screenshots as take_page_screenshots
    from questionbook.ui.sync.screenshots import take_screenshots as take_sync_shots

    for path in take_screenshots(args.outdir, args.lang, args.theme):
        print(path)
    for path in take_page_screenshots(args.outdir, args.lang, args.theme):
        print(path)
    for path in take_evidence_shots(args.outdir, args.lang, args.theme):
        print(path)
    from questionbook.ui.pictures_screenshots import take_screenshots as take_picture_shots

    for path in take_picture_shots(args.outdir, args.lang, args.theme):  # issue 18
        print(path)
    for path in take_sync_shots(args.outdir, args.lang, args.theme):  # issue 16
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
