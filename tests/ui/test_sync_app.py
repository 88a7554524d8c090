"""Sync in the app (issue 16): Settings → Sync, the background runs, the indicator, the
Conflicts page and the settings that travel — a real window, two real journals and a real
folder; the laptop is driven by hand through its SyncService."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import Settings
from questionbook.sync.service import SyncService
from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Changes
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.sync.compare_dialog import CompareDialog
from questionbook.ui.sync.install import CONFLICTS_PAGE, SyncParts, install_sync
from questionbook.ui.sync.runner import SyncState
from tests.ui.parts import ModalAnswers, current_page, list_of, part, settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

FAST = {
    "after_write_ms": 100,
    "after_folder_change_ms": 100,
    "start_delay_ms": 20,
    "fallback_ms": 60_000,
    "retry_ms": 60_000,
}


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Services]:
    home = tmp_path / "laptop"
    svc = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    yield svc
    svc.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "QuestionBook"


class App:
    """The window with sync installed; *chosen* is what the folder dialog answers."""

    def __init__(self, qtbot, services: Services, app_paths: AppPaths, folder: Path) -> None:
        self.qtbot = qtbot
        self.services = services
        self.chosen: Path | None = folder
        self.controller = SettingsController(app_paths.settings_file)
        self.window = MainWindow(services.journal, settings=self.controller, poll_ms=50)
        qtbot.addWidget(self.window)
        self.settings_opened = 0
        self.parts: SyncParts = install_sync(
            self.window,
            services,
            self.controller,
            open_settings=self._open_settings,
            choose_folder=lambda _parent, _start: self.chosen,
            timings=FAST,
        )
        self.window.resize(1100, 700)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.page = self.parts.make_settings_page(self.window)
        self.page.setWindowFlag(Qt.WindowType.Window)
        self.page.show()

    def _open_settings(self) -> None:
        self.settings_opened += 1

    @property
    def runner(self):
        return self.parts.runner

    def idle(self, timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(self.runner.is_idle, timeout=timeout)

    def child(self, kind, name):
        return part(self.page, kind, name)


@pytest.fixture
def app(qtbot, services: Services, app_paths: AppPaths, folder: Path) -> Iterator[App]:
    made = App(qtbot, services, app_paths, folder)
    yield made
    made.runner.shutdown()
    made.page.close()
    made.window.close()


def _titles(services: Services) -> set[str]:
    return {s.title for s in services.journal.find("")}


def test_settings_page_turns_sync_on_shows_the_status_and_turns_it_off(
    qtbot, app: App, laptop: Services, folder: Path
) -> None:
    there = SyncService(laptop.db)
    laptop.journal.add("Written on the laptop")
    there.enable(folder)
    app.services.journal.add("Written on the desktop")
    assert app.parts.indicator.isHidden()  # sync off: no indicator
    assert app.window.show_view(CONFLICTS_PAGE) is False  # and no Conflicts page
    enabled = app.child(QCheckBox, "syncEnabled")
    assert not enabled.isChecked()

    app.child(QAbstractButton, "chooseSyncFolder").click()
    assert enabled.isChecked()
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.IDLE)
    assert app.child(QLineEdit, "syncFolder").text() == str(folder)
    assert "Written on the laptop" in _titles(app.services)  # joining merges both journals
    assert app.parts.indicator.isVisible()
    assert app.parts.indicator.text() == "Synced"
    assert app.window.show_view(CONFLICTS_PAGE)
    assert current_page(app.window) is app.parts.conflicts_page()
    assert app.child(QTreeWidget, "syncDevices").topLevelItemCount() == 2
    device = app.runner.view().status.device
    assert app.child(QLabel, "syncDeviceId").text() == device
    assert app.child(QLabel, "syncLastSync").text() != "never"
    there.sync()
    assert "Written on the desktop" in _titles(laptop)

    # This computer's name travels with its next files.
    name = app.child(QLineEdit, "syncDeviceName")
    name.setText("desk")
    name.editingFinished.emit()
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().status.name == "desk")

    # The indicator's click asks for Settings → Sync.
    app.parts.indicator.click()
    assert app.settings_opened == 1

    # Off: the folder keeps its files; the indicator goes.
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    enabled.setChecked(False)
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.OFF)
    assert not app.runner.is_enabled()
    assert app.parts.indicator.isHidden()
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == files
    assert not app.services.sync.enabled


def test_a_write_is_sent_soon_after_and_the_laptops_changes_come_in_by_themselves(
    qtbot, app: App, laptop: Services, folder: Path
) -> None:
    there = SyncService(laptop.db)
    there.enable(folder)
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.IDLE)

    # A write of the window: sent a moment later, without asking.
    journal = app.services.journal
    ops = app.window.operations
    ops.op(lambda: journal.add("Typed at the desk"), changes=Changes(rows=True)).run()
    settle(qtbot, ops)
    qtbot.waitUntil(lambda: not app.services.sync.has_local_changes(), timeout=10_000)
    there.sync()
    assert "Typed at the desk" in _titles(laptop)

    # The laptop writes and syncs: the folder changes, the window syncs and shows it.
    typed = laptop.journal.add("Typed on the laptop")
    there.sync()
    qtbot.waitUntil(lambda: "Typed on the laptop" in _titles(app.services), timeout=10_000)
    qtbot.waitUntil(lambda: list_of(app.window).row_of(typed.id) >= 0)  # the list refreshed


def test_the_data_folder_is_refused_and_the_journal_folder_needs_confirmation(
    qtbot, app: App, app_paths: AppPaths
) -> None:
    app.chosen = app_paths.data_dir
    app.child(QAbstractButton, "chooseSyncFolder").click()
    note = app.child(QLabel, "syncFolderNote")
    assert note.isVisible() and "keeps your journal" in note.text()
    assert not app.child(QCheckBox, "syncEnabled").isChecked()
    assert not app.runner.is_enabled()


def test_a_folder_holding_the_journal_needs_a_yes(qtbot, app: App, tmp_path: Path) -> None:
    answers = ModalAnswers()
    pressed: list[str] = []

    def press(which: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
        def act(widget: QWidget) -> None:
            assert isinstance(widget, QMessageBox)
            pressed.append(widget.text())
            button = widget.button(which)
            assert button is not None
            button.click()

        return act

    try:
        app.chosen = tmp_path  # holds home/, the data folder with the journal and backups
        answers.queue(press(QMessageBox.StandardButton.Cancel))
        app.child(QAbstractButton, "chooseSyncFolder").click()
        assert "journal file itself" in pressed[0]
        assert not app.runner.is_enabled()
        answers.queue(press(QMessageBox.StandardButton.Yes))
        app.child(QAbstractButton, "chooseSyncFolder").click()
        app.idle()
        assert app.runner.is_enabled()  # warned, and the user chose it anyway
        assert app.child(QLabel, "syncFolderNote").isVisible()
    finally:
        answers.timer.stop()


def test_a_missing_folder_shows_in_the_indicator(
    qtbot, app: App, laptop: Services, folder: Path
) -> None:
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.IDLE)
    folder.rename(folder.with_name("unplugged"))
    app.child(QAbstractButton, "syncNow").click()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.MISSING)
    assert app.parts.indicator.text() == "Sync folder missing"
    assert "cannot be found" in app.parts.indicator.toolTip()
    folder.with_name("unplugged").rename(folder)
    app.runner.sync_now()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.IDLE)


def test_requests_during_a_sync_coalesce_into_one_more(qtbot, app: App, folder: Path) -> None:
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    reports = []
    app.runner.synced.connect(reports.append)
    for _ in range(5):
        app.runner.sync_now()
    app.idle()
    assert 1 <= len(reports) <= 2  # one running, the rest folded into one more


def test_the_conflicts_page_lists_a_review_reflection_and_settles_it(
    qtbot, app: App, laptop: Services, folder: Path
) -> None:
    there = SyncService(laptop.db)
    there.enable(folder)
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    review = app.services.review.start()
    app.runner.sync_now()
    app.idle()
    there.sync()
    laptop.review.set_reflection(review.id, "a calm week")
    app.services.review.set_reflection(review.id, "a busy week")
    there.sync()
    app.runner.sync_now()
    app.idle()
    app.window.show_view(CONFLICTS_PAGE)
    page = app.parts.conflicts_page()
    tree = part(page, QTreeWidget, "conflictsList")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    assert "review" in tree.topLevelItem(0).text(0).lower()
    assert app.parts.indicator.text().endswith("1 conflict")
    part(page, QAbstractButton, "compareConflictButton").click()
    dialog = app.window.findChild(CompareDialog)
    assert dialog is not None
    with qtbot.wait_signal(dialog.accepted):
        part(dialog, QAbstractButton, "keepCurrentButton").click()
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 0)
    assert app.services.sync.conflicts() == []


def test_journal_settings_travel_both_ways(qtbot, app: App, laptop: Services, folder: Path) -> None:
    there = SyncService(laptop.db)
    there.enable(folder)
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    there.sync()
    there.set_journal_settings(review_weekday=3, review_time="08:30")
    there.sync()
    app.runner.sync_now()
    app.idle()
    qtbot.waitUntil(lambda: app.controller.get("review_weekday") == 3)
    assert app.controller.get("review_time") == "08:30"

    app.controller.update(week_start=7)  # as the Settings dialog does
    settle(qtbot, app.window.operations)  # written to the journal ...
    assert app.services.sync.journal_settings(Settings()).week_start == 7

    def arrived() -> bool:  # ... and sent soon after, without asking
        there.sync()
        return there.journal_settings(Settings()).week_start == 7

    qtbot.waitUntil(arrived, timeout=10_000)
    assert app.controller.get("theme") == SettingsController(None).get("theme")  # stays here


def test_settings_dialog_gets_a_sync_tab(qtbot, app: App, app_paths: AppPaths) -> None:
    from questionbook.i18n import N_
    from questionbook.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(app.controller, app_paths.data_dir, app.window)
    qtbot.addWidget(dialog)
    page = app.parts.make_settings_page(dialog)
    dialog.add_page(page, N_("Sync"))
    dialog.show_page(page)
    tabs = part(dialog, QTabWidget, "settingsPages")
    assert tabs.currentWidget() is page
    assert tabs.tabText(tabs.currentIndex()) == "Sync"


def test_a_journal_that_syncs_shows_the_indicator_and_syncs_after_opening(
    qtbot, services: Services, app_paths: AppPaths, laptop: Services, folder: Path
) -> None:
    SyncService(services.db).enable(folder)
    there = SyncService(laptop.db)
    there.enable(folder)
    laptop.journal.add("Written while the desktop was closed")
    there.sync()
    made = App(qtbot, services, app_paths, folder)
    try:
        assert made.parts.indicator.isVisible()  # from the first paint
        assert made.parts.conflicts_page() is not None
        qtbot.waitUntil(
            lambda: "Written while the desktop was closed" in _titles(services), timeout=10_000
        )
        made.idle()
        assert made.runner.view().state is SyncState.IDLE
    finally:
        made.runner.shutdown()
        made.page.close()
        made.window.close()


def test_paused_the_background_waits_but_sync_now_still_runs(
    qtbot, app: App, laptop: Services, folder: Path
) -> None:
    there = SyncService(laptop.db)
    there.enable(folder)
    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    app.runner.pause()  # Settings → Privacy is open, or a restore runs
    assert app.runner.watched() == []
    laptop.journal.add("Sent while paused")
    there.sync()
    app.runner.request("full", "news")  # a timer or the watcher: not now
    assert app.runner.is_idle()
    assert "Sent while paused" not in _titles(app.services)
    app.child(QAbstractButton, "syncNow").click()  # the user asks: it runs
    app.idle()
    assert "Sent while paused" in _titles(app.services)
    app.runner.resume()
    assert app.runner.watched()


def test_sync_texts_switch_language_while_running(qtbot, app: App, folder: Path) -> None:
    from questionbook.i18n import set_language
    from questionbook.ui.settings_controller import announce_language_change

    app.child(QAbstractButton, "chooseSyncFolder").click()
    app.idle()
    qtbot.waitUntil(lambda: app.runner.view().state is SyncState.IDLE)
    qapp = QApplication.instance()
    try:
        set_language("zh_CN")
        announce_language_change(qapp)
        assert app.child(QAbstractButton, "syncNow").text() == "立即同步"
        assert app.child(QLabel, "syncState").text() == "已同步"
        assert app.parts.indicator.text() == "已同步"
        assert app.child(QTreeWidget, "syncDevices").headerItem().text(0) == "电脑"
    finally:
        set_language("en")
        announce_language_change(qapp)
    assert app.parts.indicator.text() == "Synced"
