"""Developer tool: PNGs of pictures, files and links in the app (issue 18) over the demo journal.

``python -m questionbook.ui.pictures_screenshots OUTDIR [--lang en|zh_CN] [--theme light|dark]``
(also run by :mod:`questionbook.ui.screenshots`). Writes, with ``-LANG-THEME`` in each name:

- ``pictures-links``: the morning note of the demo with its picture in the preview, its links
  shown by title, its file as a chip, "Linked from" open, and the list's thumbnail;
- ``pictures-links-800x600``: the same window at 800×600 (it must fit);
- ``link-completion``: ``[[`` typed in the body, with the list of titles.

Everything runs in a temporary folder (never the user's journal). Run it under Xvfb with
``QT_QPA_PLATFORM=xcb`` for a real window (docs/screenshots are taken that way).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1360, 860)
#: What the completion screenshot types after ``[[``.
TYPED = {"en": "grok", "zh_CN": "旧书"}


def _settle(ops: Any = None, until: Any = None, rounds: int = 8) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        (ops is not None and ops.pending()) or (until is not None and not until())
    ):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def _shows_picture(view: Any) -> bool:
    """True once the preview has laid out a picture (it is decoded before it is shown)."""
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                return True
            it += 1
        block = block.next()
    return False


def take_screenshots(outdir: Path, language: str = "en", theme: str = "light") -> list[Path]:
    """Write the PNGs into *outdir*; returns their paths."""
    from PySide6.QtGui import QInputMethodEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QListWidget, QPlainTextEdit, QTextEdit, QWidget

    from questionbook.demo import create_demo_services
    from questionbook.i18n import set_language
    from questionbook.settings import Settings
    from questionbook.ui.app import create_application, prepare_application
    from questionbook.ui.features import install_features
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.settings_controller import SettingsController
    from questionbook.ui.widgets.editor.entry_editor import EntryEditor
    from questionbook.ui.widgets.editor.linked_from_panel import LinkedFromPanel

    set_language(language)
    outdir.mkdir(parents=True, exist_ok=True)
    app = create_application()
    prepare_application(app, Settings(), theme=theme, language=language)
    tmp = Path(tempfile.mkdtemp(prefix="questionbook-picture-shots-"))
    written: list[Path] = []
    services = create_demo_services(tmp / "demo")
    suffix = f"-{language}-{theme}"
    try:
        controller = SettingsController(None, Settings())
        window = MainWindow(
            services.journal,
            settings=controller,
            poll_ms=60_000,
            attachments=services.attachments,
            links=services.links,
        )
        install_features(window, services, controller, reopen=lambda: None, with_tray=False)
        window.resize(*WINDOW_SIZE)
        window.show()
        ops = window.operations

        def save(name: str, widget: QWidget) -> None:
            _settle(ops)
            path = outdir / f"{name}{suffix}.png"
            widget.grab().save(str(path))
            written.append(path)

        editor = window.findChild(EntryEditor)
        assert editor is not None
        morning = services.journal.find("Morning pages", limit=1)[0].id
        window.show_view("all")
        window.open_entry(morning)
        panel = editor.findChild(LinkedFromPanel)
        assert panel is not None
        panel.expand()
        preview = editor.findChild(QTextEdit, "markdownPreview")
        assert preview is not None
        _settle(ops, until=lambda: _shows_picture(preview))
        save("pictures-links", window)

        window.resize(800, 600)
        save("pictures-links-800x600", window)
        window.resize(*WINDOW_SIZE)

        body = editor.findChild(QPlainTextEdit, "bodyEdit")
        assert body is not None
        body.setFocus()
        body.moveCursor(QTextCursor.MoveOperation.End)
        typing = QInputMethodEvent()
        typing.setCommitString("\n\n[[" + TYPED.get(language, TYPED["en"]))
        QApplication.sendEvent(body, typing)
        popup = editor.findChild(QListWidget, "linkCompletion")
        _settle(ops, until=lambda: popup is not None and popup.isVisible())
        save("link-completion", window)
        body.document().undo()  # the demo journal is thrown away anyway; leave it as it was
        window.close()
    finally:
        services.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", default="en", choices=["en", "zh_CN"])
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in take_screenshots(args.outdir, args.lang, args.theme):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
