"""Developer tool: PNGs of sync in the app (issue 16) over the demo journal and a second one.

Called by ``python -m questionbook.ui.screenshots OUTDIR [--lang en|zh_CN] [--theme light|dark]``
after the other screenshots. The demo journal and a "laptop" journal sync through a folder in
a temporary directory and both change one entry's text, so the demo holds a conflict copy.
Writes, with ``-LANG-THEME`` in each name:

- ``sync-conflict-banner``: the editor with "Edited on two computers — compare" and the status
  bar's sync indicator; ``sync-conflict-banner-800x600`` the same at 800×600;
- ``sync-compare``: the compare dialog, both texts side by side;
- ``settings-sync``: Settings → Sync after the sync;
- ``sync-conflicts``: the Conflicts page;
- ``sync-indicator``: the status bar alone.

Everything runs in a temporary folder (never the user's journal or a real sync folder).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1360, 860)
#: The entry each language's shots show (a word of its title), the texts each computer typed.
ENTRIES = {"en": "balcony", "zh_CN": "模糊的好奇心"}
TEXTS = {
    "en": (
        "Asked at the garden centre: cherry tomatoes in the sunniest corner, with a white wall "
        "behind them to reflect the light.",
        "North-facing gets no direct sun. Try herbs that like shade instead: mint and parsley.",
    ),
    "zh_CN": (
        "先写下让我好奇的那个瞬间，再问“具体是哪一部分？”",
        "找一个能检验的说法，想想谁已经回答过。",
    ),
}
NAMES = {"en": ("Desktop", "Laptop"), "zh_CN": ("台式机", "笔记本")}


def _settle(until: Any = None, rounds: int = 8) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and until is not None and not until():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def take_screenshots(outdir: Path, language: str = "en", theme: str = "light") -> list[Path]:
    """Write the PNGs into *outdir*; returns their paths."""
    from PySide6.QtWidgets import QStatusBar, QWidget

    from questionbook.demo import create_demo_services
    from questionbook.i18n import N_, set_language
    from questionbook.paths import AppPaths
    from questionbook.services import open_services
    from questionbook.settings import Settings
    from questionbook.sync.service import SyncService
    from questionbook.ui.app import create_application, prepare_application
    from questionbook.ui.dialogs.settings_dialog import SettingsDialog
    from questionbook.ui.features import install_features
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.settings_controller import SettingsController

    set_language(language)
    outdir.mkdir(parents=True, exist_ok=True)
    app = create_application()
    prepare_application(app, Settings(), theme=theme, language=language)
    tmp = Path(tempfile.mkdtemp(prefix="questionbook-sync-shots-"))
    written: list[Path] = []
    suffix = f"-{language}-{theme}"
    services = create_demo_services(tmp / "demo")
    home = tmp / "laptop"
    laptop = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    folder = tmp / "Sync" / "QuestionBook"
    try:
        mine, theirs = TEXTS.get(language, TEXTS["en"])
        names = NAMES.get(language, NAMES["en"])
        here, there = services.sync, SyncService(laptop.db)
        here.enable(folder)
        here.rename(names[0])
        there.enable(folder)
        there.rename(names[1])
        here.sync()
        shown = services.journal.find(ENTRIES.get(language, ENTRIES["en"]), limit=1)[0].id
        laptop.journal.update(shown, body=theirs)
        services.journal.update(shown, body=mine)
        there.sync()
        here.sync()
        there.sync()

        controller = SettingsController(None, Settings())
        window = MainWindow(services.journal, settings=controller, poll_ms=60_000)
        features = install_features(
            window, services, controller, reopen=lambda: None, with_tray=False
        )
        assert features.sync is not None
        runner = features.sync.runner
        window.resize(*WINDOW_SIZE)
        window.show()
        _settle(lambda: runner.view().status is not None and runner.is_idle())

        def save(name: str, widget: QWidget) -> None:
            _settle()
            path = outdir / f"{name}{suffix}.png"
            widget.grab().save(str(path))
            written.append(path)

        window.show_view("all")
        window.open_entry(shown)
        save("sync-conflict-banner", window)
        status_bar = window.findChild(QStatusBar)
        assert status_bar is not None
        save("sync-indicator", status_bar)
        window.resize(800, 600)
        save("sync-conflict-banner-800x600", window)
        window.resize(*WINDOW_SIZE)

        copies = here.conflicts(shown)
        dialog = features.sync.compare(copies[0])
        dialog.resize(820, 480)
        save("sync-compare", dialog)
        dialog.reject()

        settings = SettingsDialog(controller, tmp / "demo", window)
        page = features.sync.make_settings_page(settings)
        settings.add_page(page, N_("Sync"))
        settings.show_page(page)
        settings.resize(640, 640)
        settings.show()
        _settle(lambda: runner.is_idle())
        save("settings-sync", settings)
        settings.close()

        window.show_view("conflicts")
        save("sync-conflicts", window)
        runner.shutdown()
        window.close()
    finally:
        laptop.close()
        services.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return written
