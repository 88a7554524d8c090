"""The main window: assembles the sidebar, the list column, the editor and the status bar, and
connects their signals. Behaviour lives in the parts; the slots here only route facts between
them and run the few window-level writes (delete, undo, restore, delete forever, rate, the
waterline) as operations (:mod:`questionbook.ui.operations`). Nothing here refreshes a view by
hand: every part refreshes itself when an operation announces what changed.

The window talks to its parts through their public methods and signals only, and offers its
own small public API (``add_page``, ``open_entry``, ``operations`` ...) to the optional
features plugged in by :mod:`questionbook.ui.features`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.links import Links
from questionbook.i18n import _
from questionbook.ui import actions as actions_mod
from questionbook.ui import resources
from questionbook.ui.counts_loader import Counts, CountsLoader
from questionbook.ui.data_watcher import DataWatcher
from questionbook.ui.journal_writer import busy_explanation
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.views import VIEWS, is_view_key, local_today
from questionbook.ui.widgets.editor_stand_in import EditorStandIn
from questionbook.ui.widgets.entry_list import EntryListPane
from questionbook.ui.widgets.sidebar import Sidebar
from questionbook.ui.widgets.status_bar import StatusBar
from questionbook.ui.window_state import decode_blob, encode_blob, first_run_size, parse_sizes
from questionbook.ui.window_writes import EntryWrites

if TYPE_CHECKING:
    from questionbook.ui.widgets.editor.entry_editor import EntryEditor

BROWSE_PAGE = "__browse__"


class MainWindow(EntryWrites, QMainWindow):
    """QuestionBook's window over one journal; see the module docstring."""

    tag_rename_requested = Signal(str)
    """The user asked to rename or merge the tag with this full name (the sidebar's menu)."""

    def __init__(
        self,
        journal: Journal,
        *,
        settings: SettingsController | None = None,
        today: Callable[[], date] | None = None,
        poll_ms: int = 1000,
        demo: bool = False,
        attachments: AttachmentService | None = None,
        links: Links | None = None,
        defer_editor: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """*attachments* and *links* (issue 18) default to services over *journal*'s file.
        With *defer_editor* (the app's first window, issue 21) the editor pane shows its empty
        state without the editor until :meth:`build_editor` or the first use of the editor, and
        the counts and clear buttons wait for :meth:`after_first_paint`."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._journal = journal
        self._settings = settings or SettingsController(None)
        self._today = today or (lambda: local_today(journal.tz))
        self._demo = demo
        self._last_deleted: str | None = None
        self._pages: dict[str, QWidget] = {}
        self._page_builders: dict[str, Callable[[], QWidget]] = {}  # lazy pages (issue 21)
        self._pending_sizes: list[int] = []
        self._counts: Counts | None = None
        self.quit_wait_ms: int | None = None  # None: the dialogs' own QUIT_WAIT_MS
        self._closing = False
        self._reading_hidden: list[QWidget] = []  # what reading mode put aside

        self._ops = Operations(journal.db.path, self)
        self._sidebar = Sidebar(self)
        if attachments is None:
            mb = self._settings.get("attachment_max_mb")
            attachments = AttachmentService(journal.db, clock=journal.clock, max_bytes=mb << 20)
        self._list = EntryListPane(
            journal,
            self._today,
            self,
            ops=self._ops,
            attachments=attachments,
            clear_buttons=not defer_editor,
        )
        self._editor_services = (attachments, links)
        self._built_editor: EntryEditor | None = None
        self._editor_stand_in: EditorStandIn | None = EditorStandIn(self)
        self._browse = QSplitter(Qt.Orientation.Horizontal, self)
        self._browse.setObjectName("browseSplitter")
        self._browse.addWidget(self._list)
        self._browse.addWidget(self._editor_stand_in)
        self._browse.setStretchFactor(0, 2)
        self._browse.setStretchFactor(1, 3)
        self._browse.setChildrenCollapsible(False)
        self._stack = QStackedWidget(self)
        self._stack.setObjectName("contentStack")
        self._stack.addWidget(self._browse)
        self._pages[BROWSE_PAGE] = self._browse
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("mainSplitter")
        self._splitter.addWidget(self._sidebar)
        self._splitter.addWidget(self._stack)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setChildrenCollapsible(False)
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self._splitter, 1)
        self.setCentralWidget(central)
        self._status = StatusBar(self)
        self.setStatusBar(self._status)
        self._actions = actions_mod.build_actions(self, [v.key for v in VIEWS])
        self._watcher = DataWatcher(journal, poll_ms, self)
        self._counter = CountsLoader(journal, self._today, self)

        self._connect()
        if not defer_editor:
            self.build_editor()
        self.setWindowIcon(resources.icon("app"))
        self.setStyleSheet(resources.stylesheet("main_window"))
        self.retranslate()
        if not defer_editor:  # else after the first paint: see after_first_paint
            self._counter.request()
        self._restore_state()
        self._update_actions()
        self._watcher.start()

    def _connect(self) -> None:
        a = self._actions
        self._ops.changed.connect(self._on_ops_changed)
        self._ops.failed.connect(self._on_any_failed)
        self._ops.busy_changed.connect(self._status.show_busy)
        self._sidebar.view_selected.connect(self._on_sidebar_view_selected)
        self._list.current_changed.connect(self._on_list_current_changed)
        self._list.entry_captured.connect(self._on_list_entry_captured)
        self._list.late_entry_captured.connect(self._on_list_late_entry_captured)
        self._list.failed.connect(self._on_any_failed)
        self._sidebar.tag_rename_requested.connect(self.tag_rename_requested)
        self._status.waterline_chosen.connect(self.set_waterline)
        self._status.undo_requested.connect(self.undo_delete)
        self._watcher.data_changed.connect(self._on_watcher_data_changed)
        self._counter.loaded.connect(self._on_counter_loaded)
        self._counter.failed.connect(self._on_any_failed)
        a.new_entry.triggered.connect(self.new_entry)
        a.capture.triggered.connect(self.focus_capture)
        a.find.triggered.connect(self._on_find_triggered)
        a.delete.triggered.connect(self._on_delete_triggered)
        a.restore.triggered.connect(lambda: self.restore_entry(self._selected_id()))
        a.purge.triggered.connect(lambda: self.purge_entry(self._selected_id()))
        a.empty_trash.triggered.connect(self.empty_trash)
        a.undo_delete.triggered.connect(self.undo_delete)
        a.star.triggered.connect(self._on_star_triggered)
        a.follow_up.triggered.connect(lambda: self._editor.follow_up())
        a.quit.triggered.connect(self.close)
        a.next_entry.triggered.connect(lambda: self._list.step(1))
        a.previous_entry.triggered.connect(lambda: self._list.step(-1))
        a.reading_mode.triggered.connect(self.toggle_reading_mode)
        for action in a.hardness:
            level = int(action.data())
            action.triggered.connect(lambda _on=False, level=level: self.rate_selected(level))
        for action in a.views.values():
            action.triggered.connect(self._on_view_action_triggered)

    # -- the editor, built when first needed (issue 21) --------------------------------------
    @property
    def _editor(self) -> EntryEditor:
        """The editor pane, built now if the window was made without it."""
        if self._built_editor is None:
            self.build_editor()
        assert self._built_editor is not None
        return self._built_editor

    def after_first_paint(self) -> None:
        """What a deferred window (``defer_editor``) leaves until it has painted: the sidebar's
        counts (a query on a worker thread that would compete with the first paint for the
        CPU) and the clear buttons of the capture and search lines."""
        self._counter.request()
        self._list.enable_clear_buttons()

    def build_editor(self) -> None:
        """Put the editor in place of its stand-in (the app does it right after the first
        paint; anything that uses the editor before does it then)."""
        if self._built_editor is not None:
            return
        from questionbook.ui.widgets.editor.entry_editor import EntryEditor

        attachments, links = self._editor_services
        editor = EntryEditor(
            self._journal,
            self,
            ops=self._ops,
            settings=self._settings,
            attachments=attachments,
            links=links,
        )
        self._built_editor = editor
        if self._editor_stand_in is not None:
            stand_in, self._editor_stand_in = self._editor_stand_in, None
            editor.setSizePolicy(stand_in.sizePolicy())  # with the splitter's stretch factor
            self._browse.replaceWidget(self._browse.indexOf(stand_in), editor)
            stand_in.deleteLater()
        editor.follow_up_created.connect(self._on_editor_follow_up_created)
        editor.delete_requested.connect(self.delete_entry)
        editor.restore_requested.connect(self.restore_entry)
        editor.purge_requested.connect(self.purge_entry)
        editor.leave_requested.connect(self._list.focus_list)
        editor.open_entry_requested.connect(self.open_entry)
        editor.reading_mode_changed.connect(self._on_editor_reading_mode_changed)

    # -- public API --------------------------------------------------------------------------
    @property
    def operations(self) -> Operations:
        """Runs this window's journal writes and announces what they changed."""
        return self._ops

    def add_page(
        self, key: str, title: str, widget: QWidget | Callable[[], QWidget], icon_name: str
    ) -> None:
        """Add a page (Review, Insights ...) to the content stack and a row to the sidebar;
        *title* is marked with ``N_`` and shown in the current language. *widget* may be a
        function that builds the page: then it is built when first shown (or asked for with
        :meth:`page`), so the app's start does not pay for pages nobody opened (issue 21)."""
        if key in self._pages or key in self._page_builders or is_view_key(key):
            raise ValueError(f"page key already used: {key!r}")
        if isinstance(widget, QWidget):
            self._add_page_widget(key, widget)
        else:
            self._page_builders[key] = widget
        self._sidebar.add_page(key, title, icon_name)
        if self._settings.get("last_view") == key:
            self._sidebar.select(key)

    def page(self, key: str) -> QWidget:
        """The widget of page *key*, built now if it was added as a function."""
        build = self._page_builders.pop(key, None)
        if build is not None:
            self._add_page_widget(key, build())
        scroller = self._pages[key]
        shown = scroller.widget() if isinstance(scroller, QScrollArea) else scroller
        assert shown is not None
        return shown

    def _add_page_widget(self, key: str, widget: QWidget) -> None:
        # A page scrolls rather than set the window's minimum size: the window must work at
        # 800×600 and never grow by itself (issue 12, #3).
        scroller = QScrollArea(self._stack)
        scroller.setObjectName(f"page_{key}")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroller.setWidget(widget)
        self._pages[key] = scroller
        self._stack.addWidget(scroller)

    def add_banner(self, widget: QWidget) -> None:
        """Show *widget* (a notice such as "Your weekly review is due") above the content."""
        self._central_layout.insertWidget(0, widget)

    def add_status_widget(self, widget: QWidget) -> None:
        """Show *widget* (the sync indicator) at the right end of the status bar."""
        self._status.addPermanentWidget(widget)

    def add_editor_banner(self, banner: QWidget, show_entry: Callable[[str], object]) -> None:
        """Show *banner* above the entry in the editor; *show_entry* is told the id of every
        entry shown ("" for none) — see :meth:`EntryEditor.add_banner`."""
        self._editor.add_banner(banner, show_entry)

    def note_own_write(self) -> None:
        """The journal was just written by this window outside an operation (a sync): the
        watcher must not report it as another program's change a second later."""
        self._watcher.mark_seen()

    def add_under_capture(self, widget: QWidget) -> None:
        """Show *widget* (the prompt of the day) right under the capture box."""
        self._list.add_under_capture(widget)

    def toggle_reading_mode(self) -> bool:
        """F11: the entry shown gets the whole window, or its usual place back. False if
        there is no entry to read (a page is shown, or nothing is selected)."""
        if self._stack.currentWidget() is not self._browse:
            return False
        return self._editor.set_reading_mode(not self._editor.reading_mode())

    def add_menu_action(self, menu: str, action: QAction) -> None:
        """Put *action* (Settings…, Export…) into the "file", "edit", "rate" or "view" menu
        (in File, before Quit); its shortcut works window-wide."""
        target = self._actions.menus[menu]
        if menu == "file" and self._actions.quit_separator is not None:
            target.insertAction(self._actions.quit_separator, action)
        else:
            target.addAction(action)
        self.addAction(action)

    def current_view_key(self) -> str:
        return self._sidebar.current_key()

    def show_view(self, key: str, *, when_listed: bool = False) -> bool:
        """Show view or page *key*; with *when_listed*, a tag that is not listed yet (just
        renamed) is shown as soon as the sidebar lists it."""
        return self._sidebar.select(key, when_listed=when_listed)

    def show_message(self, text: str, timeout_ms: int = 5000) -> None:
        """A passing notice in the status bar."""
        self._status.showMessage(text, timeout_ms)

    def focus_capture(self) -> None:
        """Put the cursor in the capture box (Ctrl+L)."""
        if self._stack.currentWidget() is not self._browse:
            self._sidebar.select(self._list.view.key)
        self._list.focus_capture()

    def flush_edits(self) -> bool:
        """Store what is typed in the editor now; False if it could not be (yet)."""
        return self._built_editor is None or self._built_editor.flush()

    def open_entry(self, entry_id: str) -> None:
        """Show *entry_id* in the editor, selected in a view that lists it (the current one
        if it does; else All entries, or the Trash for a trashed entry)."""
        if self._stack.currentWidget() is self._browse and self._list.select_id(entry_id):
            return
        try:
            trashed = self._journal.get(entry_id).in_trash
        except QuestionBookError:  # gone or unreadable: the editor says which
            trashed = False
        self._sidebar.select("trash" if trashed else "all")
        if not self._list.select_id(entry_id):
            self._editor.load(entry_id)

    def pause_background(self) -> None:
        """Stop watching and counting (a restore is about to replace the journal file)."""
        self._watcher.stop()
        self._counter.close()

    def resume_background(self) -> None:
        """Watch again after :meth:`pause_background` when the journal stayed."""
        self._counter.reopen()
        self._watcher.start()

    def retranslate(self) -> None:
        """Set the window's own texts in the current language (its parts do theirs on the
        ``LanguageChange`` event every widget receives)."""
        self.setWindowTitle(_("Demo journal (not saved)") if self._demo else _("QuestionBook"))
        actions_mod.retranslate(self._actions, {v.key: _(v.title) for v in VIEWS})

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    # -- slots -------------------------------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.counts:
            self._counter.request()
        if not changes.external:
            self._watcher.mark_seen()  # our own write: not another program's
        self._update_actions()

    def _on_watcher_data_changed(self) -> None:
        self._ops.announce(Changes.everything())

    def _on_editor_reading_mode_changed(self, on: bool) -> None:
        """Reading mode: the sidebar, the list, the banners and the status bar step aside
        (and come back as they were)."""
        if not on:
            for part in self._reading_hidden:
                part.show()
            self._reading_hidden = []
            return
        layout = self._central_layout
        items = (layout.itemAt(i) for i in range(layout.count()))
        banners = [item.widget() for item in items if item is not None]
        self._reading_hidden = [
            w
            for w in (*banners, self._sidebar, self._list, self._status)
            if w is not None and w is not self._splitter and not w.isHidden()
        ]
        for part in self._reading_hidden:
            part.hide()

    def _on_sidebar_view_selected(self, key: str) -> None:
        editor = self._built_editor  # none yet: nothing to leave or to store
        if editor is not None:
            editor.set_reading_mode(False)  # another view or page: the usual layout
        if key in self._pages or key in self._page_builders:
            self.flush_edits()
            self.page(key)  # a lazy page is built when first shown
            self._stack.setCurrentWidget(self._pages[key])
            self._update_actions()
            return
        if not is_view_key(key):
            return
        self._stack.setCurrentWidget(self._browse)
        self._list.show_view(key)
        current = editor.current_id() if editor is not None else None
        if current and not self._list.select_id(current, emit=False):
            self._editor.load(None)  # not an entry of this view: show none rather than it
        self._update_actions()

    def _on_list_current_changed(self, entry_id: str) -> None:
        # The editor refuses to switch when unsaved text could not be written: stay there.
        if entry_id and entry_id != self._editor.current_id() and not self._editor.load(entry_id):
            previous = self._editor.current_id()
            if previous:
                self._list.select_id(previous, emit=False)
        self._update_actions()

    def _on_list_entry_captured(self, entry_id: str) -> None:
        if not self._list.select_id(entry_id, emit=False):
            self._sidebar.select("today")
            self._list.select_id(entry_id, emit=False)
        self._editor.load(entry_id)
        self._status.showMessage(_("Saved."), 2500)

    def _on_list_late_entry_captured(self, _entry_id: str) -> None:
        # Saved once the journal was free; the user has moved on, so only say so.
        self._status.showMessage(_("Saved."), 2500)

    def _on_editor_follow_up_created(self, entry_id: str) -> None:
        self._list.select_id(entry_id, emit=False)

    def _on_counter_loaded(self, counts: Counts) -> None:
        self._counts = counts
        self._sidebar.set_counts(counts.stats, counts.today)
        self._sidebar.set_tags(counts.tags)
        self._status.set_stats(counts.stats)
        self._update_actions()

    def _on_any_failed(self, message: str) -> None:
        self._status.showMessage(message, 8000)

    def _on_find_triggered(self) -> None:
        if self._stack.currentWidget() is not self._browse:
            self._sidebar.select("all")
        self._list.focus_search()

    def _selected_id(self) -> str:
        if self._stack.currentWidget() is not self._browse:
            return ""
        editor = self._built_editor
        return self._list.current_id() or (editor.current_id() if editor else None) or ""

    def _selection_trashed(self) -> bool:
        entry_id = self._selected_id()
        editor = self._built_editor
        if entry_id and editor is not None and entry_id == editor.current_id():
            return editor.shows_trashed()
        return self._list.view.trash

    def _update_actions(self) -> None:
        """Offer what makes sense for the selection: in the Trash only Restore and Delete
        Forever (no star, rating, sharpening or moving to the Trash), elsewhere the rest."""
        a = self._actions
        selected = bool(self._selected_id())
        trashed = self._selection_trashed()
        for action in (a.star, a.follow_up, a.delete, *a.hardness):
            action.setEnabled(selected and not trashed)
        for action in (a.restore, a.purge):
            action.setEnabled(selected and trashed)
        a.empty_trash.setEnabled(self._counts is None or self._counts.stats.trash > 0)
        if self._list.view.trash:
            self._list.set_context_actions([a.restore, a.purge, None, a.empty_trash])
        else:
            self._list.set_context_actions([a.star, a.follow_up, None, *a.hardness, None, a.delete])

    def _on_delete_triggered(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit):
            return  # Delete while typing edits text (those widgets normally take the key)
        self.delete_entry(self._selected_id())

    def _on_view_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self._sidebar.select(str(action.data()))

    # -- state -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = self._settings.settings
        if s.window_geometry:
            self.restoreGeometry(decode_blob(s.window_geometry))
        else:
            self.resize(first_run_size(self.screen().availableGeometry().size()))
        if s.window_state:
            self.restoreState(decode_blob(s.window_state))
        self._pending_sizes = parse_sizes(s.splitter_sizes)
        if not self._sidebar.select(s.last_view):
            self._sidebar.select("today")

    def _unsaved_reason(self) -> str:
        if self._ops.is_busy():
            return busy_explanation()
        drafts = self._built_editor.unsaved_drafts() if self._built_editor else []
        errors = [d.error for d in drafts if d.error]
        return errors[0] if errors else busy_explanation()

    def save_state(self) -> None:
        """Write geometry, splitter sizes and the last view to the settings."""
        if self._built_editor is not None:  # its hidden parts would be saved as size 0
            self._built_editor.set_reading_mode(False)
        with contextlib.suppress(ValueError):  # refused values: not worth a crash on quitting
            self._settings.update(
                window_geometry=encode_blob(self.saveGeometry()),
                window_state=encode_blob(self.saveState()),
                splitter_sizes=",".join(
                    str(x) for x in [*self._splitter.sizes(), *self._browse.sizes()]
                ),
                last_view=self.current_view_key() or "today",
            )

    def showEvent(self, event: QShowEvent) -> None:
        """Apply the saved splitter sizes once the window has its real size, not before
        (a splitter without a size would rescale them)."""
        super().showEvent(event)
        if self._pending_sizes:
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self._splitter.setSizes(self._pending_sizes[:2])
            self._browse.setSizes(self._pending_sizes[2:])
            self._pending_sizes = []
            self._list.focus_capture()  # first show: ready to capture

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close once every save is stored; if one waits for a busy journal or failed, wait
        a moment visibly and then let the user choose (see :mod:`.dialogs.unsaved_dialogs`,
        imported here: the first paint does not need it, issue 21)."""
        from questionbook.ui.dialogs.unsaved_dialogs import (
            COPY_FOLDER,
            QUIT_WAIT_MS,
            confirm_close,
            unsaved_texts,
        )

        if self._closing:  # asked again while the "Saving…" dialog is up
            event.ignore()
            return
        self._closing = True
        try:
            self._editor.discard_untouched_new()
            self._editor.flush()
            ready = confirm_close(
                self,
                self._ops,
                lambda: unsaved_texts(self._editor.unsaved_drafts(), self._list.pending_captures()),
                self._unsaved_reason,
                self._journal.db.path.parent / COPY_FOLDER,
                timeout_ms=QUIT_WAIT_MS if self.quit_wait_ms is None else self.quit_wait_ms,
                key=getattr(self._journal.db, "key", None),  # sealed if encrypted
            )
        finally:
            self._closing = False
        if not ready:
            event.ignore()
            return
        self._ops.close(timeout_ms=300)  # only a write stuck on a busy journal takes long
        self._watcher.stop()
        self._counter.close()
        self._list.shutdown()
        self.save_state()
        event.accept()
