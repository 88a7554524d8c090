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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from questionbook.i18n import N_, _
from questionbook.services import Services
from questionbook.ui import resources
from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Changes
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.start_queue import StartQueue
from questionbook.ui.writing_features import Writing, add_settings_page, install_writing

if TYPE_CHECKING:
    from questionbook.ui.backup_runner import BackupRunner
    from questionbook.ui.privacy import PrivacyControl
    from questionbook.ui.sync.install import SyncParts
    from questionbook.ui.widgets.backup_banner import BackupBanner


class PageMap(Mapping[str, QObject]):
    """The pages added here by key; a page added lazily is built when looked up."""

    def __init__(self, window: MainWindow, keys: tuple[str, ...] = ()) -> None:
        self._window = window
        self._keys = keys

    def __getitem__(self, key: str) -> QObject:
        if key not in self._keys:
            raise KeyError(key)
        return self._window.page(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass
class Features:
    """What :func:`install_features` added, kept so the parts stay alive and reachable."""

    actions: dict[str, QAction] = field(default_factory=dict)
    pages: Mapping[str, QObject] = field(default_factory=dict)
    reminder: QObject | None = None
    banner: QObject | None = None
    tray: QObject | None = None
    backups: BackupRunner | None = None
    backup_banner: BackupBanner | None = None
    writing: Writing | None = None
    later: StartQueue | None = None
    sync: SyncParts | None = None


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
    later: StartQueue | None = None,
) -> Features:
    """Add pages, reminders and menu actions to *window*. *reopen* rebuilds the window over a
    freshly opened journal (after a restore replaced the file).

    With a *later* queue (the app's start, issue 21) the pages are built when first shown
    and what the first paint does not show (tray, backups, menu actions) is installed right
    after it; without one everything is built now, as tests expect.

    Every object made here is a child of *window*, and every connection ends at one of them,
    so rebuilding the window after a restore leaves nothing of the old one connected.
    """
    from questionbook.core.pending_review import PendingReview
    from questionbook.ui.widgets.review_banner import ReviewBanner, ReviewReminder, route_reminder

    lazy = later is not None
    if later is None:
        later = StartQueue(window, eager=True)
    features = Features(later=later)
    ops = window.operations

    def _review() -> QWidget:
        from questionbook.ui.pages.review_page import ReviewPage

        review = ReviewPage(services.review, controller, window, ops=ops)
        review.entry_open_requested.connect(window.open_entry)
        return review

    def _insights() -> QWidget:
        from questionbook.ui.pages.insights_page import InsightsPage

        return InsightsPage(services.insights, window, settings=controller, ops=ops)

    def _still_mine() -> QWidget:
        from questionbook.ui.pages.still_mine_page import StillMinePage

        still_mine = StillMinePage(services.journal, window, ops=ops)
        still_mine.entry_open_requested.connect(window.open_entry)
        return still_mine

    window.add_page("review", N_("Weekly review"), _review, "review")
    window.add_page("insights", N_("Insights"), _insights, "insights")
    window.add_page("still_mine", N_("Still mine"), _still_mine, "still-mine")
    features.pages = PageMap(window, ("review", "insights", "still_mine"))
    writing = features.writing = install_writing(window, services, controller)
    if not lazy:  # built now, as before: tests find them by type
        for key in (*features.pages, "calendar"):
            window.page(key)

    def _on_week_start_changed(_names: set[str]) -> None:
        services.week_start = controller.get("week_start")  # a review service built later
        if services.review_built:
            services.review.week_start = services.week_start

    controller.subscribe(window, {"week_start"}, _on_week_start_changed)
    _on_week_start_changed(set())

    banner = ReviewBanner(window)
    window.add_banner(banner)
    banner.start_requested.connect(lambda: window.show_view("review"))
    # the due week alone: the review service is imported when the review page is first shown
    reminder = ReviewReminder(PendingReview(services.db, services.journal.tz), controller, window)
    features.reminder, features.banner = reminder, banner

    def _tray() -> None:
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
        features.tray = tray

    if lazy:  # the banner shows at the first paint; the tray comes right after it
        due = reminder.start()
        later.add("tray", _tray)
        if due:
            banner.show_due(due)
            period = due
            later.add("tray notice", lambda: _notify_tray(features.tray, period))
    else:
        _tray()
        due = reminder.start()
        if due:
            banner.show_due(due)  # on start the banner shows even when the tray also notifies

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
        if features.sync is not None:
            features.sync.runner.pause()
        if run_restore_dialog(window, services):
            reopen()
        else:
            window.resume_background()
            if features.sync is not None:
                features.sync.runner.resume()

    def _settings(page: str = "") -> None:
        from questionbook.ui.dialogs.settings_dialog import SettingsDialog

        def add_sync_page(dialog: SettingsDialog) -> None:
            if features.sync is None:
                return
            sync_page = features.sync.make_settings_page(dialog)
            dialog.add_page(sync_page, N_("Sync"))
            if page == "sync":
                dialog.show_page(sync_page)

        if privacy is None:
            dialog = SettingsDialog(controller, services.paths.data_dir, window)
            add_settings_page(dialog.pages, writing, services, window, controller)
            add_sync_page(dialog)
            dialog.exec()
            dialog.deleteLater()  # its pages hold the journal: none may outlive the dialog
            return
        # Settings → Privacy may close the journal to encrypt or decrypt it: the edits are
        # stored first, and nothing in the background reads it meanwhile (a backup running
        # now would otherwise leave a copy made from the file being replaced).
        window.flush_edits()
        window.pause_background()
        if features.backups is not None:
            features.backups.wait()
        if features.sync is not None:
            features.sync.runner.pause()  # Sync Now on the Sync page still works
        dialog = SettingsDialog(controller, services.paths.data_dir, window, privacy=privacy)
        add_settings_page(dialog.pages, writing, services, window, controller)
        add_sync_page(dialog)
        dialog.exec()
        dialog.deleteLater()  # a page left behind would read a journal closed by a reopen
        if privacy.reopen_needed:
            reopen()
        else:
            window.resume_background()
            if features.sync is not None:
                features.sync.runner.resume()

    def _sync() -> None:
        if services.db.closed:  # the app quit before this deferred step's turn came
            return
        from questionbook.ui.sync.install import install_sync  # after the first paint

        features.sync = install_sync(
            window, services, controller, open_settings=lambda: _settings("sync")
        )

    def _backups() -> None:
        if services.db.closed:
            return
        features.backups, features.backup_banner = _install_backups(window, services, controller)
        features.backup_banner.settings_requested.connect(_settings)

    later.add("sync", _sync)

    later.add("backups", _backups)
    later.add(
        "menu actions",
        lambda: _install_actions(
            window,
            features,
            _settings,
            {
                "export": _export,
                "import": _import,
                "backup": _backup,
                "restore_backup": _restore,
            },
        ),
    )
    return features


def _install_actions(
    window: MainWindow,
    features: Features,
    settings: Callable[[], None],
    slots: dict[str, Callable[[], None]],
) -> None:
    """The File, Edit and View menu actions of the features (and their shortcuts)."""
    from questionbook.ui.dialogs.settings_dialog import make_settings_action

    _export, _import, _backup, _restore = (
        slots["export"],
        slots["import"],
        slots["backup"],
        slots["restore_backup"],
    )
    acts = {
        "export": _action(window, "export", "Ctrl+E", _export),
        "import": _action(window, "import", "Ctrl+I", _import),
        "backup": _action(window, "backupNow", None, _backup),
        "restore_backup": _action(window, "restoreBackup", None, _restore),
        "review": _action(window, "startReview", "Ctrl+R", lambda: window.show_view("review")),
        "insights": _action(window, "showInsights", None, lambda: window.show_view("insights")),
        "settings": make_settings_action(window, settings),
    }
    for key in ("export", "import", "backup", "restore_backup"):
        window.add_menu_action("file", acts[key])
    window.add_menu_action("edit", acts["settings"])
    window.add_menu_action("view", acts["review"])
    window.add_menu_action("view", acts["insights"])
    features.actions = acts
    _LanguageFollower(window, features)
    retranslate_features(features)


def _notify_tray(tray: QObject | None, due: str) -> None:
    """The tray's notice of a review due at start (the banner already shows it)."""
    notify = getattr(tray, "notify_review_due", None)
    if notify is not None:
        notify(due)


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

    from questionbook.ui.backup_runner import BackupRunner
    from questionbook.ui.widgets.backup_banner import BackupBanner

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
