"""The editor pane's widgets and their arrangement, kept apart from the saving logic.

:class:`EditorForm` only builds and arranges widgets and offers a few view-only switches
(preview mode, read-only, indicator text); :class:`~.entry_editor.EntryEditor` owns the
behaviour. Keeping the two apart keeps both short and lets the layout change freely.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.vocabulary import Kind
from questionbook.i18n import _
from questionbook.ui.widgets.editor.hardness_picker import HardnessButton, HardnessPicker
from questionbook.ui.widgets.editor.markdown_view import MarkdownView
from questionbook.ui.widgets.editor.status_widgets import KindSwitch, OutcomeField, StatusBox
from questionbook.ui.widgets.editor.tag_editor import TagEditor

_MUTED = "color: rgba(127, 127, 127, 230);"
_ERROR = "color: #c0392b;"
#: A run this long with no break opportunity (no space, no CJK) makes Qt's word wrapping
#: quadratic: 300 k characters took 7 s, 1 M took 90 s. Such text wraps anywhere instead.
_LONG_RUN_RE = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{2000,}")


class BodyEdit(QPlainTextEdit):
    """The Markdown body: plain text, wrapped so that even pasted blobs never hang it."""

    def set_body(self, text: str) -> None:
        """Replace the text (and the undo history), choosing a wrap mode that stays fast."""
        long_run = _LONG_RUN_RE.search(text) is not None
        self.setWordWrapMode(
            QTextOption.WrapMode.WrapAnywhere
            if long_run
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        self.setPlainText(text)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasting or dropping a long unbroken run switches to wrapping anywhere first."""
        if source.hasText() and _LONG_RUN_RE.search(source.text()):
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        super().insertFromMimeData(source)


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

        self.trash_banner = QLabel(_("This entry is in the Trash. Restore it to edit it."))
        self.trash_banner.setObjectName("trashBanner")
        self.trash_banner.setStyleSheet(
            "#trashBanner { background: rgba(192, 57, 43, 30); border-radius: 4px;"
            " padding: 4px 8px; }"
        )
        self.trash_banner.hide()
        outer.addWidget(self.trash_banner)

        # Title row: the title, then the star and the trash button.
        top = QHBoxLayout()
        top.setSpacing(6)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(_("Title"))
        self.title_edit.setFrame(False)
        self.title_edit.setStyleSheet(
            "#titleEdit { background: transparent; border: none; padding: 2px 0;"
            " border-bottom: 1px solid transparent; border-radius: 0; }"
            "#titleEdit:focus { border-bottom: 1px solid palette(highlight); }"
        )
        font = QFont(self.title_edit.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.title_edit.setFont(font)
        top.addWidget(self.title_edit, 1)
        self.star_button = QToolButton()
        self.star_button.setCheckable(True)
        self.star_button.setAutoRaise(True)
        self.star_button.setToolTip(_("Star this entry"))
        self.star_button.toggled.connect(self._on_star_button_toggled)
        self._on_star_button_toggled(False)
        top.addWidget(self.star_button)
        self.delete_button = QToolButton()
        self.delete_button.setText(_("Move to Trash"))
        self.delete_button.setAutoRaise(True)
        self.delete_button.setToolTip(_("Move this entry to the Trash (Delete)"))
        top.addWidget(self.delete_button)
        outer.addLayout(top)

        # Properties row: kind, status, hardness ... creation time.
        meta = QHBoxLayout()
        meta.setSpacing(8)
        self.kind_switch = KindSwitch()
        meta.addWidget(self.kind_switch)
        self.status_box = StatusBox()
        meta.addWidget(self.status_box)
        self.hardness_button = HardnessButton()
        meta.addWidget(self.hardness_button)
        self.hardness_picker = HardnessPicker(self)
        meta.addStretch(1)
        self.date_edit = QDateTimeEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.date_edit.setToolTip(_("When this was written (local time); change it to backdate"))
        self.date_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        meta.addWidget(self.date_edit)
        outer.addLayout(meta)

        # Tags, the followed-up entry and the outcome.
        self.tag_editor = TagEditor(completion_source=completion_source)
        outer.addWidget(self.tag_editor)
        self.parent_label = QLabel()
        self.parent_label.setStyleSheet(_MUTED)
        self.parent_label.setTextFormat(Qt.TextFormat.PlainText)
        self.parent_label.hide()
        outer.addWidget(self.parent_label)
        self.outcome = OutcomeField()
        self.outcome.hide()
        outer.addWidget(self.outcome)

        # Body and preview.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.body_edit = BodyEdit()
        self.body_edit.setObjectName("bodyEdit")
        self.body_edit.setPlaceholderText(_("Write in Markdown… #tags work here too."))
        self.body_edit.setFrameShape(QFrame.Shape.StyledPanel)
        self.body_edit.document().setDocumentMargin(10)  # the same as the preview's
        self.preview = MarkdownView()
        self.preview.setObjectName("markdownPreview")
        self.splitter.addWidget(self.body_edit)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)

        # Footer: follow up on the left; preview switch and save state on the right.
        footer = QHBoxLayout()
        footer.setSpacing(10)
        self.follow_up_button = QPushButton()
        self.follow_up_button.setAutoDefault(False)
        footer.addWidget(self.follow_up_button)
        footer.addStretch(1)
        self.preview_button = QToolButton()
        self.preview_button.setText(_("Preview"))
        self.preview_button.setCheckable(True)
        self.preview_button.setChecked(True)
        self.preview_button.setToolTip(_("Show the formatted text"))
        footer.addWidget(self.preview_button)
        self.indicator = QLabel()
        self.indicator.setObjectName("saveIndicator")
        self.indicator.setTextFormat(Qt.TextFormat.PlainText)
        self.indicator.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        footer.addWidget(self.indicator)
        outer.addLayout(footer)
        self.set_kind(Kind.QUESTION.value)
        self.set_indicator(_("Saved"))

    # -- view switches ---------------------------------------------------------------------------
    def set_kind(self, kind: str) -> None:
        """Word the follow-up button for *kind*."""
        if kind == Kind.QUESTION.value:
            self.follow_up_button.setText(_("Sharpen this question"))
            self.follow_up_button.setToolTip(
                _("Write a sharper version of this question, linked to this one")
            )
        else:
            self.follow_up_button.setText(_("Follow up"))
            self.follow_up_button.setToolTip(_("Start a new entry that follows up this one"))

    def set_parent_title(self, title: str) -> None:
        self.parent_label.setText(_("Follows up: {title}").format(title=title) if title else "")
        self.parent_label.setVisible(bool(title))

    def set_indicator(self, text: str, *, error: bool = False) -> None:
        self.indicator.setText(text)
        self.indicator.setToolTip(text if error else "")
        self.indicator.setStyleSheet(_ERROR if error else _MUTED)

    def set_read_only(self, read_only: bool) -> None:
        """Entries in the Trash are shown but not edited."""
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
            self.follow_up_button,
            self.delete_button,
        ):
            widget.setEnabled(not read_only)

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
