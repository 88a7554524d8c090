"""Plug the optional parts of the app into the main window: the Review and Insights pages,
the review reminder (banner and tray), the background backups with their failure banner, and
the File/Edit menu actions for export, import, backups and settings.

The main window only assembles the browsing parts; everything here is added through its
public ``add_page``/``add_menu_action``/``add_banner`` API, so each part stays replaceable and
the window module stays small (ARCHITECTURE.md, rule 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from questionbook.i18n import _
from questionbook.services import Services
from questionbook.ui import resources
from questionbook.ui.backup_runner import BackupRunner
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.backup_banner import BackupBanner


@dataclass
class Features:
    """What :func:`install_features` added, kept so the parts stay alive and reachable."""

    actions: dict[str, QAction] = field(default_factory=dict)
    pages: dict[str, QObject] = field(default_factory=dict)
    reminder: QObject | None = None
    banner: QObject | None = None
    tray: QObject | None = None
    backups: BackupRunner | None = None
    backup_banner: BackupBanner | None = None


def _action(
    window: MainWindow, name: str, shortcut: str | None, slot: Callable[[], object]
) -> QAction:
    action = QAction(window)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def install_features(
    window: MainWindow,
    services: Services,
    controller: SettingsController,
    *,
    reopen: Callable[[], None],
    with_tray: bool = True,
) -> Features:
    """Add pages, reminders and menu actions to *window*. *reopen* rebuilds the window over a
    freshly opened journal (after a restore replaced the file)."""
    from questionbook.ui.pages.insights_page import InsightsPage
    from questionbook.ui.pages.review_page import ReviewPage
    from questionbook.ui.widgets.review_banner import ReviewBanner, ReviewReminder, route_reminder

    features = Features()
    settings = controller.settings
    review = ReviewPage(services.review, settings, window)
    insights = InsightsPage(services.db, window, week_start=settings.week_start)
    window.add_page("review", _("Weekly review"), review, "review")
    window.add_page("insights", _("Insights"), insights, "insights")
    features.pages = {"review": review, "insights": insights}

    def _refresh() -> None:
        window.refresh_all()

    def _open_entry(entry_id: str) -> None:
        window.show_view("all")
        if not window.list_pane.select_id(entry_id):
            window.editor.load(entry_id)

    review.entries_changed.connect(_refresh)
    review.waterline_changed.connect(lambda _level: _refresh())
    review.review_finished.connect(lambda _period: _refresh())
    review.entry_open_requested.connect(_open_entry)

    banner = ReviewBanner(window)
    window.add_banner(banner)
    banner.start_requested.connect(lambda: window.show_view("review"))
    reminder = ReviewReminder(services.review, settings, window)
    tray = None
    if with_tray:
        from questionbook.ui.tray import create_tray

        tray = create_tray(resources.icon("app"), window)
    route_reminder(reminder, banner, tray)
    if tray is not None:
        tray.review_requested.connect(lambda: _bring_forward(window, "review"))
        tray.capture_requested.connect(lambda: _bring_forward(window, None))
        tray.show_requested.connect(lambda: _bring_forward(window, None))
        tray.quit_requested.connect(window.close)
    due = reminder.start()
    if due:
        banner.show_due(due)  # on start the banner shows even when the tray also notifies
    features.reminder, features.banner, features.tray = reminder, banner, tray

    def _export() -> None:
        from questionbook.ui.dialogs.exchange_dialogs import run_export_dialog

        window.editor.flush()
        run_export_dialog(window, services)

    def _import() -> None:
        from questionbook.ui.dialogs.exchange_dialogs import run_import_dialog

        window.editor.flush()
        if run_import_dialog(window, services) is not None:
            _refresh()

    def _backup() -> None:
        from questionbook.ui.dialogs.backup_dialogs import run_backup_dialog

        window.editor.flush()
        run_backup_dialog(window, services)

    def _restore() -> None:
        from questionbook.ui.dialogs.backup_dialogs import run_restore_dialog

        if not window.editor.flush():
            return
        window.watcher.stop()
        window.counts.close()
        if run_restore_dialog(window, services):
            reopen()
        else:
            window.watcher.start()

    def _settings() -> None:
        from questionbook.ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(controller, services.paths.data_dir, window).exec()

    def _on_settings_changed(names: set[str]) -> None:
        if "language" in names:
            window.retranslate()
            if tray is not None:
                tray.retranslate()
        if {"editor_font_family", "editor_font_size"} & names:
            window.editor.apply_settings(controller.settings)
        if {"reminders", "review_weekday", "review_time"} & names:
            reminder.check()

    controller.changed.connect(_on_settings_changed)
    features.backups, features.backup_banner = _install_backups(window, services, controller)
    features.backup_banner.settings_requested.connect(_settings)

    from questionbook.ui.dialogs.settings_dialog import make_settings_action

    acts = {
        "export": _action(window, "export", "Ctrl+E", _export),
        "import": _action(window, "import", "Ctrl+I", _import),
        "backup": _action(window, "backupNow", None, _backup),
        "restore_backup": _action(window, "restoreBackup", None, _restore),
        "review": _action(window, "startReview", "Ctrl+R", lambda: window.show_view("review")),
        "insights": _action(window, "showInsights", None, lambda: window.show_view("insights")),
        "settings": make_settings_action(window, _settings),
    }
    for key in ("export", "import", "backup", "restore_backup"):
        window.add_menu_action("file", acts[key])
    window.add_menu_action("edit", acts["settings"])
    window.add_menu_action("view", acts["review"])
    window.add_menu_action("view", acts["insights"])
    features.actions = acts
    retranslate_features(features)
    return features


def _install_backups(
    window: MainWindow, services: Services, controller: SettingsController
) -> tuple[BackupRunner, BackupBanner]:
    """The background backups (the app starts the daily one after the first paint) and the
    banner that says when one fails; "Back Up Now" on it tries again in the background."""

    def keep() -> tuple[int, int, int]:
        s = controller.settings
        return (s.backup_daily, s.backup_weekly, s.backup_monthly)

    runner = BackupRunner(services.db, keep, window)
    banner = BackupBanner(window)
    window.add_banner(banner)

    def _on_succeeded(_info: object) -> None:
        if banner.isVisible():  # it worked again: say so once, quietly
            banner.hide()
            window.status.showMessage(_("Your journal was backed up."), 5000)

    runner.failed.connect(banner.show_failure)
    runner.succeeded.connect(_on_succeeded)
    banner.backup_requested.connect(runner.back_up_now)
    return runner, banner


def retranslate_features(features: Features) -> None:
    """Set the texts of the actions added here in the current language."""
    texts = {
        "export": _("&Export…"),
        "import": _("&Import…"),
        "backup": _("&Back Up Now…"),
        "restore_backup": _("Restore from &Backup…"),
        "review": _("Start Weekly &Review"),
        "insights": _("&Insights"),
        "settings": _("Settings…"),
    }
    for key, action in features.actions.items():
        action.setText(texts[key])
    if features.backup_banner is not None:
        features.backup_banner.retranslate()


def _bring_forward(window: MainWindow, view: str | None) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
    if view:
        window.show_view(view)
    else:
        window.list_pane.capture.focus()
    QApplication.alert(window)
