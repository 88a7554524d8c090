"""The assembled app: pages, reminder banner and menu actions plugged into the main window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication

from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.features import install_features
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController, connect_appearance
from tests.ui.parts import current_page, menu

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def assembled(qtbot, services: Services, app_paths: AppPaths):
    controller = SettingsController(app_paths.settings_file)
    connect_appearance(QApplication.instance(), controller)  # as run_app does, before features
    window = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=50
    )
    qtbot.addWidget(window)
    reopened: list[bool] = []
    features = install_features(
        window, services, controller, reopen=lambda: reopened.append(True), with_tray=False
    )
    window.show()
    qtbot.waitExposed(window)
    yield window, features, controller, reopened
    window.close()


def _menu_texts(window: MainWindow, name: str) -> list[str]:
    return [a.text() for a in menu(window, name).actions() if a.text()]


def test_pages_and_actions_are_reachable(assembled) -> None:
    window, features, _controller, _reopened = assembled
    assert set(features.pages) == {"review", "insights", "still_mine"}
    for key in ("review", "insights", "still_mine"):
        assert window.show_view(key)
        assert current_page(window) is features.pages[key]
    file_menu = _menu_texts(window, "file")
    for text in ("&Export…", "&Import…", "&Back Up Now…", "Res&tore from Backup…"):
        assert text in file_menu
    assert "Settings…" in _menu_texts(window, "edit")
    assert features.actions["settings"].shortcut().toString() == "Ctrl+,"
    assert features.actions["review"].shortcut().toString() == "Ctrl+R"


def test_review_shortcut_opens_the_review_page(qtbot, assembled) -> None:
    window, features, _controller, _reopened = assembled
    features.actions["review"].trigger()
    assert current_page(window) is features.pages["review"]


def test_banner_shows_when_a_review_is_due(qtbot, services: Services, app_paths: AppPaths) -> None:
    # An entry written two weeks ago makes last week's review due now.
    services.journal.add("an old question", created_at=datetime.now(UTC) - timedelta(days=14))
    controller = SettingsController(app_paths.settings_file)
    window = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=50
    )
    qtbot.addWidget(window)
    features = install_features(window, services, controller, reopen=lambda: None, with_tray=False)
    window.show()
    qtbot.waitExposed(window)
    assert features.banner.isVisible()
    features.banner.start_requested.emit()
    assert current_page(window) is features.pages["review"]
    window.close()


def test_no_banner_on_an_empty_journal(assembled) -> None:
    _window, features, _controller, _reopened = assembled
    assert not features.banner.isVisible()


def test_language_change_retranslates_the_window(assembled) -> None:
    from questionbook.i18n import set_language

    window, _features, controller, _reopened = assembled
    try:
        controller.update(language="zh_CN")
        assert menu(window, "file").title() != "&File"
    finally:
        set_language("en")
        controller.update(language="en")
    assert menu(window, "file").title() == "&File"


def test_a_closed_settings_dialog_leaves_nothing_behind(qtbot, assembled) -> None:
    """Its Writing page reloads the journal's templates on every language change: left alive
    under the window, it read a journal that a reopen (Settings -> Privacy) had closed."""
    from PySide6.QtWidgets import QDialog

    from tests.ui.parts import ModalAnswers

    window, features, _controller, _reopened = assembled
    answers = ModalAnswers()
    answers.queue(lambda dialog: dialog.reject())
    features.actions["settings"].trigger()
    assert [type(w).__name__ for w in answers.seen] == ["SettingsDialog"]
    qtbot.waitUntil(lambda: not window.findChildren(QDialog, "settingsDialog"))
