"""The editor pane's widgets and their arrangement, kept apart from the saving logic.

:class:`EditorForm` only builds and arranges widgets and offers a few view-only switches
(preview mode, read-only, indicator text); :class:`~.entry_editor.EntryEditor` owns the
behaviour. Keeping the two apart keeps both short and lets the layout change freely.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.vocabulary import Kind
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.ui.journal_writer import busy_explanation
from questionbook.ui.locale_format import datetime_edit_format
from questionbook.ui.theme import editor_font
from questionbook.ui.widgets.editor.autosave import SaveState
from questionbook.ui.widgets.editor.form_state import FormState, to_msecs
from questionbook.ui.widgets.editor.hardness_picker import HardnessButton, HardnessPicker
from questionbook.ui.widgets.editor.link_highlight import EntryLinkHighlighter
from questionbook.ui.widgets.editor.list_indent import handle_tab
from questionbook.ui.widgets.editor.markdown_highlighter import HIGHLIGHT_LIMIT
from questionbook.ui.widgets.editor.markdown_view import MarkdownView
from questionbook.ui.widgets.editor.status_widgets import KindSwitch, OutcomeField, StatusBox
from questionbook.ui.widgets.editor.tag_editor import TagEditor
from questionbook.ui.widgets.editor.title_edit import TitleEdit
from questionbook.ui.widgets.elided_label import ElidedLabel
from questionbook.ui.widgets.flow_layout import FlowLayout

if TYPE_CHECKING:
    from questionbook.ui.widgets.editor.attachment_input import MimeHandler

_MUTED = "color: rgba(127, 127, 127, 230);"
_ERROR = "color: #c0392b;"
#: A run this long with no break opportunity (no space, no CJK) makes Qt's word wrapping
#: quadratic: 300 k characters took 7 s, 1 M took 90 s. Such text wraps anywhere instead.
_LONG_RUN_RE = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{2000,}")


class BodyEdit(QPlainTextEdit):
    """The Markdown body: plain text, wrapped so that even pasted blobs never hang it, and
    styled as Markdown while it is typed (:mod:`.markdown_highlighter`)."""

    edited = Signal()
    """The text changed (``textChanged`` also fires when the highlighter only recolours it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.highlighter = EntryLinkHighlighter(self, self.palette())  # links: issue 18
        self.highlighter.setDocument(None)  # attached by set_body when the text is not huge
        self._highlighted = False
        self._text = ""  # the text as last reported, while the highlighter is attached
        #: Asked first on paste and drop: files and pictures become attachments (issue 18).
        self.mime_handler: MimeHandler | None = None
        self.textChanged.connect(self._on_text_changed)

    def _on_text_changed(self) -> None:
        if not self._highlighted:
            self.edited.emit()  # nothing recolours it: every change is an edit
            return
        text = self.toPlainText()  # at most HIGHLIGHT_LIMIT characters: cheap
        if text != self._text:
            self._text = text
            self.edited.emit()

    def set_body(self, text: str) -> None:
        """Replace the text (and the undo history), choosing a wrap mode that stays fast."""
        long_run = _LONG_RUN_RE.search(text) is not None
        self.setWordWrapMode(
            QTextOption.WrapMode.WrapAnywhere
            if long_run
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        self.highlighter.setDocument(None)  # no colouring pass while the text is replaced
        self.setPlainText(text)
        self._text = text
        self._highlighted = len(text) <= HIGHLIGHT_LIMIT
        if self._highlighted:
            self.highlighter.setDocument(self.document())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if self.mime_handler is not None and self.mime_handler.accepts(source):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Files and pictures go to the attachments; pasting or dropping a long unbroken run
        switches to wrapping anywhere first."""
        if self.mime_handler is not None and self.mime_handler.insert(source):
            return
        if source.hasText() and _LONG_RUN_RE.search(source.text()):
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Tab nests a list item, Shift+Tab un-nests it; no tab characters (list_indent)."""
        tab = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if tab and plain and not self.isReadOnly():
            cursor = self.textCursor()
            handle_tab(cursor, outdent=event.key() == Qt.Key.Key_Backtab)
            self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)


class DateTimeEdit(QDateTimeEdit):
    """The creation date: Tab leaves it in one step (it used to stop at each of its five
    parts); the arrow keys still move between them."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class EditorForm(QWidget):
    """Every control of the editor pane, laid out; no saving logic here."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        completion_source: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._preview_mode = "side"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 8)
        outer.setSpacing(8)

        # In the Trash the entry is read-only: the banner offers the only two things to do.
        self.trash_banner = QFrame()
        self.trash_banner.setObjectName("trashBanner")
        self.trash_banner.setStyleSheet(
            "#trashBanner { background: rgba(192, 57, 43, 30); border-radius: 4px; }"
        )
        banner_row = QHBoxLayout(self.trash_banner)
        banner_row.setContentsMargins(8, 4, 4, 4)
        self.trash_label = QLabel()
        self.trash_label.setWordWrap(True)
        banner_row.addWidget(self.trash_label, 1)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setAutoDefault(False)
        banner_row.addWidget(self.restore_button)
        self.purge_button = QPushButton()
        self.purge_button.setObjectName("purgeButton")
        self.purge_button.setAutoDefault(False)
        banner_row.addWidget(self.purge_button)
        self.trash_banner.hide()
        outer.addWidget(self.trash_banner)

        # Title row: the title, then the star and the trash button.
        top = QHBoxLayout()
        top.setSpacing(6)
        self.title_edit = TitleEdit()  # a long title wraps instead of running out of sight
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setStyleSheet(
            "#titleEdit { background: transparent; border: none; padding: 2px 0;"
            " border-bottom: 1px solid transparent; border-radius: 0; }"
            "#titleEdit:focus { border-bottom: 1px solid palette(highlight); }"
        )
        font = QFont(self.title_edit.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.title_edit.setFont(font)
        top.addWidget(self.title_edit, 1, Qt.AlignmentFlag.AlignTop)
        self.star_button = QToolButton()
        self.star_button.setObjectName("starButton")
        self.star_button.setCheckable(True)
        self.star_button.setAutoRaise(True)
        self.star_button.toggled.connect(self._on_star_button_toggled)
        self._on_star_button_toggled(False)
        top.addWidget(self.star_button, 0, Qt.AlignmentFlag.AlignTop)
        self.delete_button = QToolButton()
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.setAutoRaise(True)
        top.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        # Properties row: kind, status, hardness ... creation time.
        # It wraps onto a second line in a narrow window rather than widen the window.
        meta_row = QWidget()
        meta_row.setObjectName("propertiesRow")
        meta = FlowLayout(meta_row, spacing=8, last_at_right=True)
        self.kind_switch = KindSwitch()
        self.kind_switch.setObjectName("kindSwitch")
        meta.addWidget(self.kind_switch)
        self.status_box = StatusBox()
        self.status_box.setObjectName("statusBox")
        meta.addWidget(self.status_box)
        self.hardness_button = HardnessButton()
        self.hardness_button.setObjectName("hardnessButton")
        meta.addWidget(self.hardness_button)
        self.hardness_picker = HardnessPicker(self)
        self.date_edit = DateTimeEdit()
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(datetime_edit_format())
        self.date_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        meta.addWidget(self.date_edit)
        outer.addWidget(meta_row)
        self._properties = meta

        # Tags, the followed-up entry and the outcome.
        self.tag_editor = TagEditor(completion_source=completion_source)
        self.tag_editor.setObjectName("tagEditor")
        outer.addWidget(self.tag_editor)
        self.parent_label = ElidedLabel()  # a long title must not widen the window
        self.parent_label.setObjectName("parentLabel")
        self.parent_label.setStyleSheet(_MUTED)
        self.parent_label.hide()
        outer.addWidget(self.parent_label)
        self.outcome = OutcomeField()
        self.outcome.setObjectName("outcomeField")
        self.outcome.hide()
        outer.addWidget(self.outcome)

        # Body and preview.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.body_edit = BodyEdit()
        self.body_edit.setObjectName("bodyEdit")
        self.body_edit.setFrameShape(QFrame.Shape.StyledPanel)
        self.body_edit.document().setDocumentMargin(10)  # the same as the preview's
        self.preview = MarkdownView()
        self.preview.setObjectName("markdownPreview")
        self.splitter.addWidget(self.body_edit)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        self._outer = outer
        # Sections other modules add under the text (the evidence section, issue 17).
        self._sections = QVBoxLayout()
        self._sections.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._sections)

        # Footer: follow up on the left; preview switch and save state on the right.
        footer = QHBoxLayout()
        footer.setSpacing(10)
        self.follow_up_button = QPushButton()
        self.follow_up_button.setObjectName("followUpButton")
        self.follow_up_button.setAutoDefault(False)
        footer.addWidget(self.follow_up_button)
        footer.addStretch(1)
        self.preview_button = QToolButton()
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setCheckable(True)
        self.preview_button.setChecked(True)
        footer.addWidget(self.preview_button)
        self.indicator = ElidedLabel()  # an error can name a long path
        self.indicator.setObjectName("saveIndicator")
        self.indicator.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        footer.addWidget(self.indicator)
        outer.addLayout(footer)
        self._footer = footer
        self._kind = Kind.QUESTION.value
        self._parent_title = ""
        self._set_tab_order()
        self.retranslate()

    def add_section(self, widget: QWidget) -> None:
        """Put *widget* under the text, above the footer (it manages its own contents)."""
        self._sections.addWidget(widget)

    # Hooks for the writing-comfort parts (issue 19), which live in modules of their own.
    def add_property(self, widget: QWidget) -> None:
        """Put *widget* in the properties row, just before the creation date."""
        self._properties.insertWidget(self._properties.count() - 1, widget)

    def add_above_text(self, widget: QWidget) -> None:
        """Put *widget* right above the body (and its preview)."""
        self._outer.insertWidget(self._outer.indexOf(self.splitter), widget)

    def add_footer_widget(self, widget: QWidget) -> None:
        """Put *widget* in the footer, before the preview switch."""
        self._footer.insertWidget(self._footer.indexOf(self.preview_button), widget)

    def _set_tab_order(self) -> None:
        """Tab from the title goes straight to the body (writing is what comes next); the
        other fields follow the body, reached with Ctrl+Tab from it or Shift+Tab."""
        chain = [
            self.title_edit,
            self.body_edit,
            self.outcome.edit,
            self.tag_editor,
            self.kind_switch,
            self.status_box,
            self.hardness_button,
            self.date_edit,
            self.star_button,
            self.follow_up_button,
            self.preview_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        """Set every text in the current language (also on a ``LanguageChange`` event)."""
        self.date_edit.setDisplayFormat(datetime_edit_format())
        self.trash_label.setText(_("This entry is in the Trash."))
        self.restore_button.setText(_("Restore"))
        self.restore_button.setToolTip(_("Take the entry out of the Trash to edit it again"))
        self.purge_button.setText(_("Delete Forever"))
        self.purge_button.setToolTip(_("Delete this entry for good; this cannot be undone"))
        self.title_edit.setPlaceholderText(_("Title"))
        self.star_button.setToolTip(_("Star this entry (Ctrl+D)"))
        self.delete_button.setText(_("Move to Trash"))
        self.delete_button.setToolTip(_("Move this entry to the Trash (Delete)"))
        self.date_edit.setToolTip(_("When this was written (local time); change it to backdate"))
        self.body_edit.setPlaceholderText(_("Write in Markdown… #tags work here too."))
        self.preview_button.setText(_("Preview"))
        self.preview_button.setToolTip(_("Show the formatted text"))
        self.set_kind(self._kind)
        self.set_parent_title(self._parent_title)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    # -- view switches ---------------------------------------------------------------------------
    def set_kind(self, kind: str) -> None:
        """Word the follow-up button for *kind*."""
        self._kind = kind
        if kind == Kind.QUESTION.value:
            self.follow_up_button.setText(_("Sharpen this question"))
            self.follow_up_button.setToolTip(
                _("Write a sharper version of this question, linked to this one")
            )
        else:
            self.follow_up_button.setText(_("Follow up"))
            self.follow_up_button.setToolTip(_("Start a new entry that follows up this one"))

    def set_parent_title(self, title: str) -> None:
        self._parent_title = title
        self.parent_label.setText(_("Follows up: {title}").format(title=title) if title else "")
        self.parent_label.setVisible(bool(title))

    # -- showing an entry ------------------------------------------------------------------------
    def show_entry(self, entry: Entry, inline_tags: list[str], parent_title: str) -> None:
        """Show every field of *entry* (a freshly opened one: the body's undo history and
        cursor start over)."""
        self.title_edit.setText(entry.title)
        self.title_edit.setCursorPosition(0)
        self.body_edit.set_body(entry.body)
        self.outcome.set_text(entry.outcome)
        self.date_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(to_msecs(entry.created_at)))
        self.show_discrete(entry, inline_tags)
        self.set_parent_title(parent_title)
        self.set_read_only(entry.in_trash)

    def show_discrete(self, entry: Entry, inline_tags: list[str]) -> None:
        """Show the non-text fields of *entry* (kind, status, star, hardness, tags)."""
        self.kind_switch.set_kind(entry.kind)
        self.status_box.set_kind_status(entry.kind, entry.status)
        self.status_box.setVisible(entry.kind != Kind.NOTE.value)
        self.outcome.set_context(entry.kind, entry.status)
        self.star_button.setChecked(entry.starred)
        self.hardness_button.set_level(entry.hardness)
        self.tag_editor.set_tags(entry.tags, inline_tags)
        self.set_kind(entry.kind)

    def snapshot(self) -> FormState:
        """What the form shows, to compare with what is stored."""
        kind = self.kind_switch.kind()
        return FormState(
            title=self.title_edit.text(),
            body=self.body_edit.toPlainText(),
            outcome=self.outcome.text(),
            kind=kind,
            status=self.status_box.status() if kind != Kind.NOTE.value else None,
            starred=self.star_button.isChecked(),
            created_ms=self.date_edit.dateTime().toMSecsSinceEpoch(),
        )

    def apply_settings(self, settings: Settings) -> None:
        """Use the editor font and preview mode of *settings* (the font default is the
        system's fixed-pitch font, so Markdown tables line up)."""
        font = editor_font(settings.editor_font_family, settings.editor_font_size)
        for widget in (self.body_edit, self.outcome.edit):
            widget.setFont(font)
        preview_font = self.preview.font()
        preview_font.setPointSize(font.pointSize())  # the same size, in the UI's typeface
        self.preview.setFont(preview_font)
        self.set_preview_mode(settings.preview_mode)

    def show_save_state(self, state: SaveState, reason: str) -> None:
        """Say in the footer whether what is shown is stored."""
        if state is SaveState.FAILED:
            self.set_indicator(_("Not saved: {reason}").format(reason=reason), error=True)
        elif state is SaveState.WAITING:
            self.set_indicator(_("Journal busy — will save when it is free"))
            self.indicator.set_tooltip(busy_explanation())
        else:
            self.set_indicator(_("Saving…") if state is SaveState.PENDING else _("Saved"))

    def keep_cursor_set_text(
        self, entry: Entry, only: Iterable[str] = ("title", "body", "outcome", "created_at")
    ) -> None:
        """Show texts stored by somebody else (the fields named in *only*); a field whose text
        is unchanged is not touched, and a changed one keeps its cursor, selection and scroll
        where they were."""
        fields = set(only)
        title, body, outcome = entry.title, entry.body, entry.outcome
        created = QDateTime.fromMSecsSinceEpoch(to_msecs(entry.created_at))
        if "created_at" in fields and self.date_edit.dateTime() != created:
            self.date_edit.setDateTime(created)
        if "title" in fields and self.title_edit.text() != title:
            position = self.title_edit.cursorPosition()
            self.title_edit.setText(title)
            self.title_edit.setCursorPosition(min(position, len(title)))
        for name, edit, text in (
            ("body", self.body_edit, body),
            ("outcome", self.outcome.edit, outcome),
        ):
            if name not in fields or edit.toPlainText() == text:
                continue
            cursor = edit.textCursor()
            anchor, position = cursor.anchor(), cursor.position()
            scroll = edit.verticalScrollBar().value()
            if isinstance(edit, BodyEdit):
                edit.set_body(text)
            else:
                edit.setPlainText(text)
            cursor = edit.textCursor()
            end = len(text)
            cursor.setPosition(min(anchor, end))
            cursor.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
            edit.setTextCursor(cursor)
            edit.verticalScrollBar().setValue(scroll)

    def set_indicator(self, text: str, *, error: bool = False) -> None:
        self.indicator.setText(text)
        self.indicator.set_tooltip(text if error else "")
        self.indicator.setStyleSheet(_ERROR if error else _MUTED)

    def set_read_only(self, read_only: bool) -> None:
        """Entries in the Trash are shown but not edited: the banner's Restore and Delete
        Forever are the only actions left, the others are hidden or disabled."""
        self.trash_banner.setVisible(read_only)
        self.title_edit.setReadOnly(read_only)
        self.body_edit.setReadOnly(read_only)
        self.outcome.edit.setReadOnly(read_only)
        self.tag_editor.set_read_only(read_only)
        for widget in (
            self.kind_switch,
            self.status_box,
            self.hardness_button,
            self.star_button,
            self.date_edit,
        ):
            widget.setEnabled(not read_only)
        self.follow_up_button.setVisible(not read_only)
        self.delete_button.setVisible(not read_only)

    def set_preview_mode(self, mode: str) -> None:
        """``"side"``: preview beside the text; ``"toggle"``: the button swaps text and preview."""
        self._preview_mode = "toggle" if mode == "toggle" else "side"
        if self._preview_mode == "toggle":
            self.preview_button.setChecked(False)
        self.show_preview(self.preview_button.isChecked())

    def show_preview(self, shown: bool) -> None:
        self.preview.setVisible(shown)
        self.body_edit.setVisible(not (shown and self._preview_mode == "toggle"))

    def preview_shown(self) -> bool:
        return self.preview_button.isChecked()

    def _on_star_button_toggled(self, starred: bool) -> None:
        self.star_button.setText("\u2605" if starred else "\u2606")
        color = "#e0a100" if starred else "rgba(127, 127, 127, 220)"
        self.star_button.setStyleSheet(
            f"QToolButton {{ color: {color}; font-size: 15pt; border: none;"
            " background: transparent; padding: 0 4px; }"
        )
