"""Find the widgets a test drives the way a user finds them: by what they are and their name.

The window and the editor keep their parts private (they talk to them through methods and
signals); tests reach the real widgets by object name with ``findChild`` instead of through
private attributes, so a test breaks when behaviour changes, not when an attribute is renamed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from questionbook.ui.widgets.editor.hardness_picker import HardnessButton, HardnessPicker
from questionbook.ui.widgets.editor.markdown_view import MarkdownView
from questionbook.ui.widgets.editor.status_widgets import KindSwitch, OutcomeField, StatusBox
from questionbook.ui.widgets.editor.tag_editor import TagEditor
from questionbook.ui.widgets.editor.title_edit import TitleEdit
from questionbook.ui.widgets.entry_list import EntryListPane
from questionbook.ui.widgets.sidebar import Sidebar
from questionbook.ui.widgets.status_bar import StatusBar

W = TypeVar("W", bound=QWidget)


def part(parent: QWidget, kind: type[W], name: str | None = None) -> W:
    """The one child of *parent* of type *kind* (named *name*, if given)."""
    found = parent.findChild(kind, name) if name else parent.findChild(kind)
    assert found is not None, f"no {kind.__name__} {name or ''} in {parent.objectName()}"
    return found


class EditorParts:
    """The editor's widgets, by object name."""

    def __init__(self, editor: EntryEditor) -> None:
        self.editor = editor

    @property
    def title_edit(self) -> TitleEdit:
        return part(self.editor, TitleEdit, "titleEdit")

    @property
    def body_edit(self) -> QPlainTextEdit:
        return part(self.editor, QPlainTextEdit, "bodyEdit")

    @property
    def outcome(self) -> OutcomeField:
        return part(self.editor, OutcomeField, "outcomeField")

    @property
    def preview(self) -> MarkdownView:
        return part(self.editor, MarkdownView, "markdownPreview")

    @property
    def indicator(self) -> QLabel:
        return part(self.editor, QLabel, "saveIndicator")

    @property
    def placeholder(self) -> QLabel:
        return part(self.editor, QLabel, "editorPlaceholder")

    @property
    def tag_editor(self) -> TagEditor:
        return part(self.editor, TagEditor, "tagEditor")

    @property
    def status_box(self) -> StatusBox:
        return part(self.editor, StatusBox, "statusBox")

    @property
    def kind_switch(self) -> KindSwitch:
        return part(self.editor, KindSwitch, "kindSwitch")

    @property
    def hardness_button(self) -> HardnessButton:
        return part(self.editor, HardnessButton, "hardnessButton")

    @property
    def hardness_picker(self) -> HardnessPicker:
        return part(self.editor, HardnessPicker, "hardnessPicker")

    @property
    def date_edit(self) -> QDateTimeEdit:
        return part(self.editor, QDateTimeEdit, "dateEdit")

    @property
    def star_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "starButton")

    @property
    def delete_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "deleteButton")

    @property
    def follow_up_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "followUpButton")

    @property
    def preview_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "previewButton")

    @property
    def restore_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "restoreButton")

    @property
    def purge_button(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "purgeButton")

    @property
    def trash_banner(self) -> QWidget:
        return part(self.editor, QWidget, "trashBanner")


def ui(editor: EntryEditor) -> EditorParts:
    return EditorParts(editor)


def editor_of(window: MainWindow) -> EntryEditor:
    return part(window, EntryEditor, "entryEditor")


def list_of(window: MainWindow) -> EntryListPane:
    return part(window, EntryListPane, "entryListPane")


def sidebar_of(window: MainWindow) -> Sidebar:
    return part(window, Sidebar, "sidebar")


def status_of(window: MainWindow) -> StatusBar:
    return part(window, StatusBar, "statusBar")


def action(window: MainWindow, name: str) -> QAction:
    """The window's action called *name* ("star", "hardness3", "emptyTrash" ...)."""
    found = window.findChild(QAction, name)
    assert found is not None, f"no action {name}"
    return found


def settle(qtbot: object, ops: Operations, timeout: int = 10_000) -> None:
    """Wait until every write handed to *ops* has come back (stored or failed)."""
    qtbot.waitUntil(lambda: ops.pending() == 0, timeout=timeout)  # type: ignore[attr-defined]


def journal_changed(window: MainWindow) -> None:
    """Tell the window that a test wrote to the journal behind its back (as another program
    would; the window's watcher would notice within a second)."""
    window.operations.announce(Changes.everything())


def current_page(window: MainWindow) -> QWidget | None:
    """What the content area shows: the browsing splitter or a page (review, insights; a
    page sits in a scroll area of its own)."""
    shown = part(window, QStackedWidget, "contentStack").currentWidget()
    return shown.widget() if isinstance(shown, QScrollArea) else shown


def browse_of(window: MainWindow) -> QWidget:
    return part(window, QSplitter, "browseSplitter")


def menu(window: MainWindow, name: str) -> QMenu:
    """The "file", "edit", "rate" or "view" menu of the menu bar."""
    index = ("file", "edit", "rate", "view").index(name)
    found = window.menuBar().actions()[index].menu()
    assert isinstance(found, QMenu)
    return found


Action = Callable[[QWidget], None]


class ModalAnswers:
    """Answers modal dialogs as they appear: one action per new modal window, in order."""

    #: Every instance still answering: stopped after each test (tests/ui/conftest.py), so a
    #: test's unused answers never press a button in the next test's dialog.
    live: ClassVar[list[ModalAnswers]] = []

    def __init__(self) -> None:
        ModalAnswers.live.append(self)
        self.actions: list[Action] = []
        self.seen: list[QWidget] = []
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.ticks = 0

    def queue(self, *actions: Action) -> None:
        self.actions.extend(actions)
        self.ticks = 0
        self.timer.start()

    @classmethod
    def stop_all(cls) -> int:
        """Stop every instance; returns how many still had answers queued."""
        left = sum(1 for answers in cls.live if answers.actions)
        for answers in cls.live:
            answers.timer.stop()
            answers.actions.clear()
        cls.live.clear()
        return left

    def _on_timer_timeout(self) -> None:
        self.ticks += 1
        if not self.actions or self.ticks > 1500:  # bounded: ~30 s
            self.timer.stop()
            return
        widget = QApplication.activeModalWidget()
        if widget is None or any(widget is w for w in self.seen):
            return
        self.seen.append(widget)
        if isinstance(widget, QMessageBox):
            self.texts.append(f"{widget.text()}\n{widget.informativeText()}")
        self.actions.pop(0)(widget)


class EvidenceParts:
    """The editor's Evidence section (issue 17), by object name."""

    def __init__(self, editor: EntryEditor) -> None:
        self.editor = editor

    @property
    def panel(self) -> QWidget:
        return part(self.editor, QWidget, "evidencePanel")

    @property
    def toggle(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "evidenceToggle")

    @property
    def summary(self) -> QLabel:
        return part(self.editor, QLabel, "evidenceSummary")

    @property
    def reach(self) -> QComboBox:
        return part(self.editor, QComboBox, "reachPicker")

    @property
    def quadrant(self) -> QLabel:
        return part(self.editor, QLabel, "quadrantLabel")

    @property
    def seal(self) -> QComboBox:
        return part(self.editor, QComboBox, "sealPicker")

    @property
    def seal_message(self) -> QLabel:
        return part(self.editor, QLabel, "sealMessage")

    @property
    def still_mine(self) -> QLineEdit:
        return part(self.editor, QLineEdit, "stillMineEdit")

    @property
    def evidence_line(self) -> QLabel:
        return part(self.editor, QLabel, "evidenceLine")

    @property
    def rerate(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "rerateButton")

    @property
    def add_trial(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "addTrialButton")

    @property
    def ask_ai(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "askAiButton")

    def cards(self) -> list[QFrame]:
        """The trial cards, in the order shown (newest first)."""
        found = [c for c in self.editor.findChildren(QFrame, "trialCard") if not c.isHidden()]
        return sorted(found, key=lambda c: c.mapTo(self.editor, c.rect().topLeft()).y())


def evidence(editor: EntryEditor) -> EvidenceParts:
    return EvidenceParts(editor)


def activate(combo: QComboBox, data: object) -> None:
    """Choose the item whose data is *data*, as a user picking it from the list does."""
    index = combo.findData(data)
    assert index >= 0, f"no item {data!r} in {combo.objectName()}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


class ReferenceParts:
    """The editor's pictures, files and links (issue 18), by object name."""

    def __init__(self, editor: EntryEditor) -> None:
        self.editor = editor

    @property
    def chips(self) -> QWidget:
        return part(self.editor, QWidget, "attachmentChips")

    def chip_names(self) -> list[str]:
        """The files shown as chips, left to right."""
        found = [c for c in self.editor.findChildren(QFrame, "attachmentChip") if not c.isHidden()]
        found.sort(key=lambda c: c.mapTo(self.editor, c.rect().topLeft()).x())
        return [str(c.property("attachmentName")) for c in found]

    def chip(self, name: str) -> QFrame:
        for chip in self.editor.findChildren(QFrame, "attachmentChip"):
            if chip.property("attachmentName") == name and not chip.isHidden():
                return chip
        raise AssertionError(f"no chip for {name}")

    @property
    def linked_from(self) -> QWidget:
        return part(self.editor, QWidget, "linkedFromPanel")

    @property
    def linked_from_toggle(self) -> QAbstractButton:
        return part(self.editor, QAbstractButton, "linkedFromToggle")

    def backlinks(self) -> list[QLabel]:
        found = [b for b in self.editor.findChildren(QLabel, "backlinkItem") if not b.isHidden()]
        return sorted(found, key=lambda b: b.mapTo(self.editor, b.rect().topLeft()).y())

    @property
    def completion(self) -> QListWidget:
        return part(self.editor, QListWidget, "linkCompletion")


def references(editor: EntryEditor) -> ReferenceParts:
    return ReferenceParts(editor)


def close_for_teardown(window: QWidget) -> None:
    """Close *window* at a fixture's teardown without ever hanging on a question: a test that
    failed half-way can leave unsaved text behind, and the "not saved yet" question would then
    wait for a click nobody makes (seen in the CI). Every question asked meanwhile is answered
    with its accepting button (quit, keeping a copy)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            accept = [
                b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
            ]
            if accept:
                accept[0].click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    try:
        window.close()
    finally:
        timer.stop()
