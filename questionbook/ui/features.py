"""Plug the optional parts of the app into the main window: the Review, Insights and Still mine
pages, the review reminder (banner and tray), the background backups with their failure
banner, and the File/Edit menu actions for export, import, backups and settings; the writing
comfort parts (calendar, prompt of the day, capture window, tag renames) come from
:mod:`questionbook.ui.writing_features`.

The main window only assembles the browsing parts; everything here is added through its
public API (``add_page``, ``add_menu_action``, ``add_banner``, ``operations``, ``open_entry``,
``flush_edits`` ...), never through its parts, so each part stays replaceable and the window
module stays small (ARCHITECTURE.md, rule 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from questionbook.i18n import N_, _
from questionbook.services import Services
from questionbook.ui import resources
from questionbook.ui.backup_runner import BackupRunner
from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Changes
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.backup_banner import BackupBanner
from questionbook.ui.writing_features import Writing, add_settings_page, install_writing

if TYPE_CHECKING:
    from questionbook.ui.privacy import PrivacyControl


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
    writing: Writing | None = None


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
    privacy: PrivacyControl | None = None,
) -> Features:
    """Add pages, reminders and menu actions to *window*. *reopen* rebuilds the window over a
    freshly opened journal (after a restore replaced the file).

    Every object made here is a child of *window*, and every connection ends at one of them,
    so rebuilding the window after a restore leaves nothing of the old one connected.
    """
    from questionbook.ui.pages.insights_page import InsightsPage
    from questionbook.ui.pages.review_page import ReviewPage
    from questionbook.ui.pages.still_mine_page import StillMinePage
    from questionbook.ui.widgets.review_banner import ReviewBanner, ReviewReminder, route_reminder

    features = Features()
    ops = window.operations
    review = ReviewPage(services.review, controller, window, ops=ops)
    insights = InsightsPage(services.insights, window, settings=controller, ops=ops)
    window.add_page("review", N_("Weekly review"), review, "review")
    window.add_page("insights", N_("Insights"), insights, "insights")
    still_mine = StillMinePage(services.journal, window, ops=ops)
    window.add_page("still_mine", N_("Still mine"), still_mine, "still-mine")
    features.pages = {"review": review, "insights": insights, "still_mine": still_mine}
    review.entry_open_requested.connect(window.open_entry)
    still_mine.entry_open_requested.connect(window.open_entry)
    writing = features.writing = install_writing(window, services, controller)

    def _on_week_start_changed(_names: set[str]) -> None:
        services.review.week_start = controller.get("week_start")

    controller.subscribe(window, {"week_start"}, _on_week_start_changed)
    _on_week_start_changed(set())

    banner = ReviewBanner(window)
    window.add_banner(banner)
    banner.start_requested.connect(lambda: window.show_view("review"))
    reminder = ReviewReminder(services.review, controller, window)
    tray = None
    if with_tray:
        from questionbook.ui.tray import create_tray

        tray = create_tray(resources.icon("app"), window)
    route_reminder(reminder, banner, tray)
    if tray is not None:
        tray.review_requested.connect(lambda: _bring_forward(window, "review"))
        tray.capture_requested.connect(writing.capture.show_capture)
        tray.show_requested.connect(lambda: _bring_forward(window, None))
        tray.quit_requested.connect(window.close)
    due = reminder.start()
    if due:
        banner.show_due(due)  # on start the banner shows even when the tray also notifies
    features.reminder, features.banner, features.tray = reminder, banner, tray

    def _export() -> None:
        from questionbook.ui.dialogs.exchange_dialogs import run_export_dialog

        window.flush_edits()
        run_export_dialog(window, services)

    def _import() -> None:
        from questionbook.ui.dialogs.exchange_dialogs import run_import_dialog

        window.flush_edits()
        if run_import_dialog(window, services) is not None:
            ops.announce(Changes.everything())

    def _backup() -> None:
        from questionbook.ui.dialogs.backup_dialogs import run_backup_dialog

        window.flush_edits()
        run_backup_dialog(window, services)

    def _restore() -> None:
        from questionbook.ui.dialogs.backup_dialogs import run_restore_dialog

        if not window.flush_edits():
            return
        window.pause_background()
        if run_restore_dialog(window, services):
            reopen()
        else:
            window.resume_background()

    def _settings() -> None:
        from questionbook.ui.dialogs.settings_dialog import SettingsDialog

        if privacy is None:
            dialog = SettingsDialog(controller, services.paths.data_dir, window)
            add_settings_page(dialog.pages, writing, services, window, controller)
            dialog.exec()
            return
        # Settings → Privacy may close the journal to encrypt or decrypt it: the edits are
        # stored first, and nothing in the background reads it meanwhile (a backup running
        # now would otherwise leave a copy made from the file being replaced).
        window.flush_edits()
        window.pause_background()
        if features.backups is not None:
            features.backups.wait()
        dialog = SettingsDialog(controller, services.paths.data_dir, window, privacy=privacy)
        add_settings_page(dialog.pages, writing, services, window, controller)
        dialog.exec()
        if privacy.reopen_needed:
            reopen()
        else:
            window.resume_background()

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
    _LanguageFollower(window, features)
    retranslate_features(features)
    return features


class _LanguageFollower(QObject):
    """Sets the texts of the actions added here again when the window's language changes."""

    def __init__(self, window: MainWindow, features: Features) -> None:
        super().__init__(window)
        self._features = features
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            retranslate_features(self._features)
        return super().eventFilter(watched, event)


def _install_backups(
    window: MainWindow, services: Services, controller: SettingsController
) -> tuple[BackupRunner, BackupBanner]:
    """The background backups (the app starts the daily one after the first paint) and the
    banner that says when one fails; "Back Up Now" on it tries again in the background."""

    def keep() -> tuple[int, int, int]:
        s = controller.settings  # read when a backup starts: the values of that moment
        return (s.backup_daily, s.backup_weekly, s.backup_monthly)

    runner = BackupRunner(services.db, keep, window)
    banner = BackupBanner(window)
    window.add_banner(banner)

    def _on_succeeded(_info: object) -> None:
        if banner.isVisible():  # it worked again: say so once, quietly
            banner.hide()
            window.show_message(_("Your journal was backed up."), 5000)

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
        "restore_backup": _("Res&tore from Backup…"),
        "review": _("Start &Weekly Review"),
        "insights": _("&Insights"),
        "settings": _("Settings…"),
    }
    for key, action in features.actions.items():
        action.setText(texts[key])


def _bring_forward(window: MainWindow, view: str | None) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
    if view:
        window.show_view(view)
    else:
        window.focus_capture()
    QApplication.alert(window)
