"""Shared set-up for the writing-comfort tests (issue 19): the window as the app assembles it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QApplication

from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.features import Features, install_features
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController, connect_appearance


@contextmanager
def assembled_window(
    qtbot: object, services: Services, app_paths: AppPaths
) -> Iterator[tuple[MainWindow, Features, SettingsController]]:
    """The main window with every feature plugged in (no tray), shown; closed afterwards."""
    controller = SettingsController(app_paths.settings_file)
    connect_appearance(QApplication.instance(), controller)
    window = MainWindow(services.journal, settings=controller, poll_ms=60_000)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    features = install_features(window, services, controller, reopen=lambda: None, with_tray=False)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)  # type: ignore[attr-defined]
    try:
        yield window, features, controller
    finally:
        window.close()
