"""Plug sync into a window (issue 16): the background runner, the status-bar indicator, the
editor's conflict banner, the Conflicts page, the compare dialog, Settings → Sync and the
journal settings that travel.

Called by :func:`questionbook.ui.features.install_features` and built only from the window's
public API (``operations``, ``add_status_widget``, ``add_editor_banner``, ``add_page``,
``show_view``, ``open_entry``, ``flush_edits``, ``note_own_write``), so the rest of the app
knows nothing of sync but the :class:`SyncParts` it gets back. Everything made here is a child
of the window, so a rebuilt window (after a restore) leaves nothing of the old one behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from questionbook.core.errors import QuestionBookError
from questionbook.i18n import N_
from questionbook.services import Services
from questionbook.sync.conflicts import count_unresolved
from questionbook.sync.service import ConflictCopy
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.sync.compare_dialog import CompareDialog
from questionbook.ui.sync.conflict_banner import ConflictBanner
from questionbook.ui.sync.conflicts_page import ConflictsPage
from questionbook.ui.sync.indicator import SyncIndicator
from questionbook.ui.sync.journal_settings import JournalSettingsBridge
from questionbook.ui.sync.runner import SyncRunner
from questionbook.ui.sync.settings_page import ChooseFolder, SyncSettingsPage, choose_folder_dialog

#: The key of the Conflicts page in the sidebar.
CONFLICTS_PAGE = "conflicts"


@dataclass
class SyncParts:
    """What :func:`install_sync` made, for the window's features and the tests."""

    runner: SyncRunner
    indicator: SyncIndicator
    banner: ConflictBanner
    bridge: JournalSettingsBridge
    make_settings_page: Callable[[QWidget], SyncSettingsPage]
    compare: Callable[[ConflictCopy], CompareDialog]
    conflicts_page: Callable[[], ConflictsPage | None]
    extras: dict[str, QObject] = field(default_factory=dict)


def install_sync(
    window: MainWindow,
    services: Services,
    controller: SettingsController,
    *,
    open_settings: Callable[[], object],
    choose_folder: ChooseFolder = choose_folder_dialog,
    start: bool = True,
    timings: Mapping[str, int] | None = None,
) -> SyncParts:
    """Add sync to *window*; *open_settings* shows Settings → Sync (the indicator's click).
    With *start* the first sync runs shortly after the event loop paints the window; *timings*
    overrides the runner's delays (``after_write_ms`` ..., for tests)."""
    ops = window.operations
    service = services.sync
    runner = SyncRunner(
        service, ops, window, own_write=window.note_own_write, **dict(timings or {})
    )
    indicator = SyncIndicator(window)
    window.add_status_widget(indicator)
    runner.state_changed.connect(indicator.show_view)
    indicator.show_view(runner.view())  # a syncing journal shows it from the first paint
    indicator.settings_requested.connect(lambda: open_settings())
    banner = ConflictBanner(service, ops, window)
    window.add_editor_banner(banner, banner.show_entry)
    bridge = JournalSettingsBridge(service, controller, ops, runner, window)
    page: list[ConflictsPage] = []

    def own_device() -> str | None:
        status = runner.view().status
        return status.device if status is not None and status.enabled else None

    def compare(copy: ConflictCopy) -> CompareDialog:
        window.flush_edits()  # the text shown is stored before it is compared
        dialog = CompareDialog(
            copy,
            services.db,
            ops,
            window,
            tz=services.journal.tz,
            own_device=own_device(),
            before_write=window.flush_edits,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def ensure_page() -> None:
        """The Conflicts page joins the sidebar once the journal syncs or holds copies
        (a journal that never syncs never shows it)."""
        if page:
            return
        conflicts = ConflictsPage(service, services.db, ops, window, own_device=own_device())
        window.add_page(CONFLICTS_PAGE, N_("Conflicts"), conflicts, "conflicts")
        conflicts.compare_requested.connect(compare)
        conflicts.entry_open_requested.connect(window.open_entry)
        runner.state_changed.connect(lambda _view: conflicts.set_own_device(own_device()))
        page.append(conflicts)

    def on_enabled(on: bool) -> None:
        if on:
            ensure_page()

    banner.compare_requested.connect(compare)
    runner.enabled_changed.connect(on_enabled)
    try:
        if runner.is_enabled() or count_unresolved(services.db):
            ensure_page()
    except QuestionBookError:
        pass  # unreadable for a moment: the page comes with the next sync
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(runner.shutdown)  # ends with the runner (a QObject slot)

    def make_settings_page(parent: QWidget) -> SyncSettingsPage:
        return SyncSettingsPage(
            runner,
            services.paths,
            lambda: controller.settings,
            parent,
            choose_folder=choose_folder,
        )

    if start:
        runner.start()
    return SyncParts(
        runner=runner,
        indicator=indicator,
        banner=banner,
        bridge=bridge,
        make_settings_page=make_settings_page,
        compare=compare,
        conflicts_page=lambda: page[0] if page else None,
    )
