"""The main window: assembles the sidebar, the list column, the editor and the status bar, and
connects their signals. Behaviour lives in the parts; the slots here only route facts between
them and call the journal for the few window-level actions (delete, undo, rate, waterline).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.vocabulary import KIND_LABELS
from questionbook.i18n import _
from questionbook.settings import Settings, load_settings
from questionbook.ui import actions as actions_mod
from questionbook.ui import resources
from questionbook.ui.counts_loader import Counts, CountsLoader
from questionbook.ui.data_watcher import DataWatcher
from questionbook.ui.dialogs.unsaved_dialogs import (
    COPY_FOLDER,
    QUIT_WAIT_MS,
    confirm_close,
    unsaved_texts,
)
from questionbook.ui.journal_writer import JournalWriter, attempt_write, busy_explanation
from questionbook.ui.views import VIEWS, is_view_key, local_today
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from questionbook.ui.widgets.entry_list import EntryListPane
from questionbook.ui.widgets.sidebar import Sidebar
from questionbook.ui.widgets.status_bar import StatusBar
from questionbook.ui.widgets.waterline_report import WaterlineReport
from questionbook.ui.window_state import decode_blob, parse_sizes, save_window_state

BROWSE_PAGE = "__browse__"


T = TypeVar("T")


class MainWindow(QMainWindow):
    """QuestionBook's window over one journal; see the module docstring."""

    def __init__(
        self,
        journal: Journal,
        *,
        settings: Settings | None = None,
        settings_path: Path | None = None,
        today: Callable[[], date] | None = None,
        poll_ms: int = 1000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.journal = journal
        self._settings_path = settings_path
        self._settings = settings or (load_settings(settings_path) if settings_path else Settings())
        self._today = today or (lambda: local_today(journal.tz))
        self._last_deleted: str | None = None
        self._pages: dict[str, QWidget] = {}
        self._pending_sizes: list[int] = []

        self.writer = JournalWriter(journal.db.path, self)
        self.quit_wait_ms = QUIT_WAIT_MS
        self._closing = False
        self.sidebar = Sidebar(self)
        self.list_pane = EntryListPane(journal, self._today, self, writer=self.writer)
        self.editor = EntryEditor(journal, self, writer=self.writer)
        self.editor.setObjectName("entryEditor")
        self.editor.apply_settings(self._settings)
        self.browse = QSplitter(Qt.Orientation.Horizontal, self)
        self.browse.setObjectName("browseSplitter")
        self.browse.addWidget(self.list_pane)
        self.browse.addWidget(self.editor)
        self.browse.setStretchFactor(0, 2)
        self.browse.setStretchFactor(1, 3)
        self.browse.setChildrenCollapsible(False)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("contentStack")
        self.stack.addWidget(self.browse)
        self._pages[BROWSE_PAGE] = self.browse
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.actions = actions_mod.build_actions(self, [v.key for v in VIEWS])
        self.watcher = DataWatcher(journal, poll_ms, self)
        self.counts = CountsLoader(journal, self._today, self)

        self._connect()
        self.setWindowIcon(resources.icon("app"))
        self.setStyleSheet(resources.stylesheet("main_window"))
        self.retranslate()
        self.refresh_all(reload_list=False)
        self._restore_state()
        self.watcher.start()

    def _connect(self) -> None:
        a = self.actions
        self.sidebar.view_selected.connect(self._on_sidebar_view_selected)
        self.list_pane.current_changed.connect(self._on_list_current_changed)
        self.list_pane.capture.entry_captured.connect(self._on_capture_entry_captured)
        self.list_pane.capture.capture_failed.connect(self._on_any_failed)
        self.list_pane.capture.late_entry_captured.connect(self._on_capture_late_entry_captured)
        self.writer.busy_changed.connect(self.status.show_busy)
        self.editor.entry_saved.connect(self._on_editor_entry_saved)
        self.editor.follow_up_created.connect(self._on_editor_follow_up_created)
        self.editor.delete_requested.connect(self.delete_entry)
        self.editor.save_failed.connect(self._on_any_failed)
        self.status.waterline_chosen.connect(self.set_waterline)
        self.status.undo_requested.connect(self.undo_delete)
        self.watcher.data_changed.connect(self._on_watcher_data_changed)
        self.counts.loaded.connect(self._on_counts_loaded)
        self.counts.failed.connect(self._on_any_failed)
        a.new_entry.triggered.connect(self.new_entry)
        a.capture.triggered.connect(self.list_pane.capture.focus)
        a.find.triggered.connect(self._on_find_triggered)
        a.delete.triggered.connect(self._on_delete_triggered)
        a.restore.triggered.connect(self._on_restore_triggered)
        a.undo_delete.triggered.connect(self.undo_delete)
        a.star.triggered.connect(self._on_star_triggered)
        a.follow_up.triggered.connect(self._on_follow_up_triggered)
        a.quit.triggered.connect(self.close)
        a.next_entry.triggered.connect(lambda: self._step(1))
        a.previous_entry.triggered.connect(lambda: self._step(-1))
        for action in a.hardness:
            action.triggered.connect(self._on_hardness_triggered)
        for action in a.views.values():
            action.triggered.connect(self._on_view_action_triggered)
        self.list_pane.list.set_context_actions(
            [a.star, a.follow_up, None, *a.hardness, None, a.delete, a.restore]
        )

    # -- public API --------------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget, icon_name: str) -> None:
        """Add a page (Review, Insights ...) to the content stack and a row to the sidebar."""
        if key in self._pages or is_view_key(key):
            raise ValueError(f"page key already used: {key!r}")
        self._pages[key] = widget
        self.stack.addWidget(widget)
        self.sidebar.add_page(key, title, icon_name)
        if self._settings.last_view == key:
            self.sidebar.select(key)

    def add_banner(self, widget: QWidget) -> None:
        """Show *widget* (a notice such as "Your weekly review is due") above the content."""
        self._central_layout.insertWidget(0, widget)

    def add_menu_action(self, menu: str, action: QAction) -> None:
        """Put *action* (Settings…, Export…) into the "file", "edit", "rate" or "view" menu;
        its shortcut works window-wide."""
        self.actions.menus[menu].addAction(action)
        self.addAction(action)

    def current_view_key(self) -> str:
        return self.sidebar.current_key()

    def show_view(self, key: str) -> bool:
        return self.sidebar.select(key)

    def retranslate(self) -> None:
        """Set every text again in the current language (after a language switch)."""
        self.setWindowTitle(_("QuestionBook"))
        self.sidebar.retranslate()
        self.list_pane.retranslate()
        self.status.retranslate()
        actions_mod.retranslate(self.actions, {v.key: _(v.title) for v in VIEWS})

    def refresh_all(self, *, reload_list: bool = True) -> None:
        """Re-read the listed rows now and the counts in the background (after any write)."""
        if reload_list:
            try:
                self.list_pane.refresh()
            except QuestionBookError as exc:
                self._on_any_failed(str(exc))
        self.counts.request()
        self.watcher.mark_seen()

    def new_entry(self) -> None:
        """Ctrl+N: a new entry of the current view's kind, open in the editor."""
        kind = self.list_pane.view.new_kind
        if not self.editor.flush():
            return
        title = _("New {kind}").format(kind=_(KIND_LABELS[kind]).lower())
        entry = self._attempt(lambda: self.journal.add(title, kind=kind))
        if entry is None:
            return
        if self.list_pane.view.trash:
            self.sidebar.select("today")
        self.refresh_all()
        if not self.list_pane.select_id(entry.id):
            self.editor.load(entry.id)
        self.editor.title_edit.setFocus()
        self.editor.title_edit.selectAll()

    def delete_entry(self, entry_id: str) -> None:
        """Move *entry_id* to the Trash and offer Undo in the status bar."""
        if not entry_id:
            return
        row = self.list_pane.model.row_of(entry_id)
        self.editor.flush()
        entry = self._attempt(lambda: self.journal.delete(entry_id))
        if entry is None:
            return
        self._last_deleted = entry.id
        self.actions.undo_delete.setEnabled(True)
        self.refresh_all()
        if self.editor.current_id() == entry.id:
            self.editor.load(None)
        self.list_pane.select_row(row)
        self.status.show_undo(_("Moved “{title}” to the Trash.").format(title=entry.title))

    def undo_delete(self) -> None:
        """Bring back the entry the last delete moved to the Trash."""
        entry_id, self._last_deleted = self._last_deleted, None
        self.actions.undo_delete.setEnabled(False)
        self.status.hide_undo()
        if not entry_id:
            return
        if self._attempt(lambda: self.journal.restore(entry_id)) is None:
            return
        self.refresh_all()
        self.list_pane.select_id(entry_id)
        self.status.showMessage(_("Restored."), 3000)

    def set_waterline(self, level: int) -> WaterlineReport | None:
        """Move the waterline; if the water covers new entries, say which (non-modal)."""
        result = self._attempt(lambda: self.journal.set_waterline(level))
        if result is None:
            return None
        self.refresh_all()
        if not result.newly_submerged:
            self.status.showMessage(_("Waterline set."), 4000)
            return None
        report = WaterlineReport(result, self)
        report.show_submerged_requested.connect(lambda: self.sidebar.select("submerged"))
        report.open()
        return report

    # -- slots -------------------------------------------------------------------------------
    def _on_sidebar_view_selected(self, key: str) -> None:
        if key in self._pages:
            self.editor.flush()
            self.stack.setCurrentWidget(self._pages[key])
            return
        if not is_view_key(key):
            return
        self.stack.setCurrentWidget(self.browse)
        self.list_pane.show_view(key)
        current = self.editor.current_id()
        if current:
            self.list_pane.select_id(current, emit=False)

    def _on_list_current_changed(self, entry_id: str) -> None:
        if not entry_id or entry_id == self.editor.current_id():
            return
        if not self.editor.load(entry_id):  # unsaved text could not be written: stay
            previous = self.editor.current_id()
            if previous:
                self.list_pane.select_id(previous, emit=False)

    def _on_capture_entry_captured(self, entry_id: str) -> None:
        self.refresh_all()
        self.list_pane.select_id(entry_id, emit=False)
        self.editor.load(entry_id)
        self.status.showMessage(_("Saved."), 2500)

    def _on_capture_late_entry_captured(self, _entry_id: str) -> None:
        # Saved once the journal was free; the user has moved on, so only list it.
        self.refresh_all()
        self.status.showMessage(_("Saved."), 2500)

    def _on_editor_entry_saved(self, entry_id: str) -> None:
        # Autosave runs every second or so while typing: update that one row in place rather
        # than re-reading every loaded row (thousands, after a long scroll).
        try:
            updated = self.list_pane.model.refresh_entries([entry_id])
        except QuestionBookError as exc:
            self._on_any_failed(str(exc))
            return
        self.refresh_all(reload_list=not updated)

    def _on_editor_follow_up_created(self, entry_id: str) -> None:
        self.refresh_all()
        self.list_pane.select_id(entry_id, emit=False)

    def _on_watcher_data_changed(self) -> None:
        self.refresh_all()

    def _on_counts_loaded(self, counts: Counts) -> None:
        self.sidebar.set_counts(counts.stats, counts.today)
        self.sidebar.set_tags(counts.tags)
        self.status.set_stats(counts.stats)

    def _on_any_failed(self, message: str) -> None:
        self.status.showMessage(message, 8000)

    def _attempt(self, work: Callable[[], T]) -> T | None:
        """One quick write; a busy or full journal is said in the status bar at once."""
        return attempt_write(self.journal, work, self._on_any_failed)

    def _on_find_triggered(self) -> None:
        if self.stack.currentWidget() is not self.browse:
            self.sidebar.select("all")
        self.list_pane.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_pane.search.selectAll()

    def _selected_id(self) -> str:
        return self.list_pane.current_id() or self.editor.current_id() or ""

    def _on_delete_triggered(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit):
            return  # Delete while typing edits text (those widgets normally take the key)
        if self.list_pane.view.trash:
            self.status.showMessage(_("This entry is already in the Trash."), 4000)
            return
        self.delete_entry(self._selected_id())

    def _on_restore_triggered(self) -> None:
        entry_id = self._selected_id()
        if not entry_id:
            return
        if self._attempt(lambda: self.journal.restore(entry_id)) is None:
            return
        self.refresh_all()
        self.editor.load(entry_id)

    def _on_star_triggered(self) -> None:
        entry_id = self._selected_id()
        if not entry_id or not self.editor.flush():
            return
        toggled = self._attempt(
            lambda: self.journal.star(entry_id, not self.journal.get(entry_id).starred)
        )
        if toggled is None:
            return
        if self.editor.current_id() == entry_id:
            self.editor.load(entry_id)
        self.refresh_all()

    def _on_follow_up_triggered(self) -> None:
        if self.editor.current_id():
            self.editor.follow_up_button.click()

    def _on_hardness_triggered(self) -> None:
        action = self.sender()
        level = int(action.data()) if action is not None else None  # type: ignore[attr-defined]
        entry_id = self._selected_id()
        if not entry_id:
            return
        if self.editor.current_id() == entry_id:
            self.editor.set_hardness(level)
            return
        if self._attempt(lambda: self.journal.rate(entry_id, level)) is None:
            return
        self.refresh_all()

    def _on_view_action_triggered(self) -> None:
        action = self.sender()
        if action is not None:
            self.sidebar.select(str(action.data()))  # type: ignore[attr-defined]

    def _step(self, delta: int) -> None:
        view = self.list_pane.list
        row = view.currentIndex().row() + delta
        while 0 <= row < view.model().rowCount():
            if self.list_pane.model.summary(row) is not None:
                self.list_pane.select_id(self.list_pane.model.summary(row).id)  # type: ignore[union-attr]
                return
            row += delta

    # -- state -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self._settings
        if s.window_geometry:
            self.restoreGeometry(decode_blob(s.window_geometry))
        else:
            self.resize(1280, 800)
        if s.window_state:
            self.restoreState(decode_blob(s.window_state))
        self._pending_sizes = parse_sizes(s.splitter_sizes)
        if not self.sidebar.select(s.last_view):
            self.sidebar.select("today")

    def _unsaved_reason(self) -> str:
        if self.writer.is_busy():
            return busy_explanation()
        errors = [d.error for d in self.editor.unsaved_drafts() if d.error]
        return errors[0] if errors else busy_explanation()

    def save_state(self) -> None:
        """Write geometry, splitter sizes and the last view to the settings file."""
        if self._settings_path is not None:
            save_window_state(
                self._settings_path,
                geometry=self.saveGeometry(),
                state=self.saveState(),
                sizes=[*self.splitter.sizes(), *self.browse.sizes()],
                last_view=self.current_view_key(),
            )

    def showEvent(self, event: QShowEvent) -> None:
        """Apply the saved splitter sizes once the window has its real size, not before
        (a splitter without a size would rescale them)."""
        super().showEvent(event)
        if self._pending_sizes:
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self.splitter.setSizes(self._pending_sizes[:2])
            self.browse.setSizes(self._pending_sizes[2:])
            self._pending_sizes = []
            self.list_pane.capture.focus()  # first show: ready to capture

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close once every save is stored; if one waits for a busy journal or failed, wait
        a moment visibly and then let the user choose (see :mod:`.dialogs.unsaved_dialogs`)."""
        if self._closing:  # asked again while the "Saving…" dialog is up
            event.ignore()
            return
        self._closing = True
        try:
            self.editor.flush()
            ready = confirm_close(
                self,
                self.writer,
                lambda: unsaved_texts(
                    self.editor.unsaved_drafts(), self.list_pane.capture.pending()
                ),
                self._unsaved_reason,
                self.journal.db.path.parent / COPY_FOLDER,
                timeout_ms=self.quit_wait_ms,
            )
        finally:
            self._closing = False
        if not ready:
            event.ignore()
            return
        self.writer.close(timeout_ms=300)  # only a write stuck on a busy journal takes long
        self.watcher.stop()
        self.counts.close()
        self.list_pane.shutdown()
        self.save_state()
        event.accept()
