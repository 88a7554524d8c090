"""The small capture window (issue 19): one entry written down from anywhere, then gone.

``questionbook capture`` (a keyboard shortcut, the desktop file's action) and the tray's
"Capture…" show it. It stays on top, asks for one line — the kind beside it, the hardness under
it, ``#tags`` inline as everywhere — and Enter saves and closes it; Esc closes it without
saving. A template (the kind's, from the journal) opens a body under the line, filled with the
template's text; Enter in the body is a new line there, Ctrl+Enter saves from anywhere.

The write is a patient operation (:mod:`questionbook.ui.operations`): in the running app it is
the window's own worker, so the new entry is listed at once; run on its own
(:mod:`questionbook.ui.capture_app`) the window has an :class:`Operations` of its own. The
window waits a moment for the write; if the journal is busy in another program it stays open,
says so, and closes once the entry is stored. A failure keeps the text in the window with the
reason under it. Nothing typed is dropped unless the user presses Esc.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.tags import parse_tags
from questionbook.core.vocabulary import HARDNESS, KIND_LABELS, Kind
from questionbook.i18n import N_, _
from questionbook.ui import resources
from questionbook.ui.journal_writer import busy_notice
from questionbook.ui.operations import Changes, Operations

if TYPE_CHECKING:
    from questionbook.core.entities import Entry
    from questionbook.core.journal import Journal
    from questionbook.core.templates import Template, TemplateService

PLACEHOLDERS = {
    Kind.QUESTION: N_("What are you curious about?"),
    Kind.PLAN: N_("What ambitious thing do you want to do?"),
    Kind.NOTE: N_("What's on your mind?"),
}
#: How long Enter waits for the write before saying that the journal is busy.
SAVE_WAIT_MS = 2000
_MUTED = "color: rgba(127, 127, 127, 230);"
_ERROR = "color: #c0392b;"


@dataclass(frozen=True)
class Capture:
    """What the window is about to store."""

    title: str
    body: str
    kind: Kind
    hardness: int | None


class CaptureWindow(QWidget):
    """A small always-on-top window that stores one new entry (see the module docstring)."""

    entry_captured = Signal(str)
    """A new entry was stored (its id); the window has closed."""

    def __init__(
        self,
        journal: Journal,
        ops: Operations,
        templates: TemplateService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("captureWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._journal = journal
        self._ops = ops
        self._templates = templates
        self._template_bodies: dict[str, str] = {}  # template id → body, for the chosen kind
        self._saving = False
        self._error = ""
        self._hardness: int | None = None

        self.line = QLineEdit(self)
        self.line.setObjectName("captureWindowLine")
        self.line.setClearButtonEnabled(True)
        self.line.setMinimumWidth(420)
        self.line.returnPressed.connect(self.save)
        self.line.textChanged.connect(self._on_text_changed)

        self._kinds = QButtonGroup(self)
        self._kinds.setExclusive(True)
        self._kind_buttons: dict[Kind, QToolButton] = {}
        kinds_row = QHBoxLayout()
        kinds_row.setSpacing(4)
        for kind in Kind:
            button = self._tool_button(f"captureKind_{kind.value}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self._kinds.addButton(button)
            self._kind_buttons[kind] = button
            kinds_row.addWidget(button)
            button.toggled.connect(self._on_kind_toggled)
        kinds_row.addStretch(1)
        self._levels: list[QToolButton] = []
        for level in HARDNESS:  # a row of buttons runs 0 → 4, left to right
            button = self._tool_button(f"captureHardness{level.level}")
            button.clicked.connect(lambda _on=False, n=level.level: self._on_level_clicked(n))
            self._levels.append(button)
            kinds_row.addWidget(button)
        self.level_name = QLabel(self)
        self.level_name.setObjectName("captureHardnessName")
        self.level_name.setStyleSheet(_MUTED)
        self.level_name.setMinimumWidth(self.fontMetrics().horizontalAdvance("Highlands") + 8)
        kinds_row.addWidget(self.level_name)

        self.tags = QLabel(self)
        self.tags.setObjectName("captureTags")
        self.tags.setStyleSheet(_MUTED)
        self.template = QComboBox(self)
        self.template.setObjectName("captureTemplate")
        self.template.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.template.activated.connect(self._on_template_activated)
        under = QHBoxLayout()
        under.addWidget(self.tags, 1)
        self.template_label = QLabel(self)
        self.template_label.setBuddy(self.template)
        under.addWidget(self.template_label)
        under.addWidget(self.template)

        self.body = QPlainTextEdit(self)
        self.body.setObjectName("captureWindowBody")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(120)
        self.body.hide()

        self.hint = QLabel(self)
        self.hint.setObjectName("captureHint")
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(kinds_row)
        layout.addWidget(self.line)
        layout.addLayout(under)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.hint)
        self.body.installEventFilter(self)  # Ctrl+Enter saves from the body too
        self.setStyleSheet(
            "#captureWindow QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 5px; padding: 1px 6px; }"
        )
        self._kind_buttons[Kind.QUESTION].setChecked(True)
        self.retranslate()
        self._paint_icons()

    def _tool_button(self, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setIconSize(QSize(18, 18))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    # -- public API ------------------------------------------------------------------------------
    def kind(self) -> Kind:
        for kind, button in self._kind_buttons.items():
            if button.isChecked():
                return kind
        return Kind.QUESTION

    def set_kind(self, kind: Kind) -> None:
        self._kind_buttons[kind].setChecked(True)

    def hardness(self) -> int | None:
        return self._hardness

    def set_hardness(self, level: int | None) -> None:
        self._hardness = level
        for button in self._levels:
            button.setChecked(self._levels.index(button) == level)
        self.level_name.setText(HARDNESS[level].label if level is not None else "")
        self._paint_icons()

    def choose_template(self, template_id: str | None) -> bool:
        """Start the body from template *template_id* of the current kind (``None``: no
        template). False if the kind has no such template."""
        index = self.template.findData(template_id or "")
        if index < 0:
            return False
        self.template.setCurrentIndex(index)
        self._on_template_activated(index)
        return True

    def pending(self) -> Capture:
        """What Enter would store now."""
        return Capture(
            self.line.text().strip(),
            self.body.toPlainText() if not self.body.isHidden() else "",
            self.kind(),
            self._hardness,
        )

    def is_saving(self) -> bool:
        """True while a stored entry is on its way (the journal may be busy)."""
        return self._saving

    def open_fresh(self) -> None:
        """Show the window empty and ready to type (the kind stays as last chosen)."""
        if not self._saving:
            self.line.clear()
            self.body.clear()
            self.body.hide()
            self.set_hardness(None)
            self._load_templates()
            self._show_error("")
        self.show()
        self.raise_()
        self.activateWindow()
        self.line.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def save(self) -> bool:
        """Store the entry (Enter, Ctrl+Enter); False if there is nothing to store yet."""
        capture = self.pending()
        if self._saving or not (capture.title or capture.body.strip()):
            return False
        self._set_saving(True)
        journal = self._journal
        job = (
            self._ops.op(
                lambda: journal.add(
                    capture.title, capture.body, kind=capture.kind, hardness=capture.hardness
                ),
                changes=lambda entry: Changes.of(entry.id, rows=True, tags=bool(entry.tags)),
                initiator=self,
            )
            .patient(self._on_save_waiting)
            .on_success(self._on_saved)
            .on_failure(self._on_save_failed)
            .run()
        )
        self._ops.wait(job, SAVE_WAIT_MS)
        return True

    # -- texts and icons -------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Capture — QuestionBook"))
        for kind, button in self._kind_buttons.items():
            button.setText(_(KIND_LABELS[kind]))
            button.setToolTip(_("This entry is a: {kind}").format(kind=_(KIND_LABELS[kind])))
        for button, level in zip(self._levels, HARDNESS, strict=True):
            button.setToolTip(f"{level.level} {level.label} — {level.description}")
            button.setAccessibleName(level.label)
        self.level_name.setText(
            HARDNESS[self._hardness].label if self._hardness is not None else ""
        )
        self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))
        self.template_label.setText(_("&Template:"))
        if self.template.count():
            self.template.setItemText(0, _("None"))
        self.body.setPlaceholderText(_("Details (Markdown). Ctrl+Enter saves."))
        self._show_tags()
        self._show_error(self._error)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()

    def _paint_icons(self) -> None:
        palette = self.palette()
        color = palette.color(self.foregroundRole())
        armed = palette.color(palette.ColorRole.HighlightedText)
        for kind, button in self._kind_buttons.items():
            button.setIcon(resources.icon(kind.value, armed if button.isChecked() else color))
        for level, button in enumerate(self._levels):
            button.setIcon(
                resources.icon(f"hardness-{level}", armed if button.isChecked() else color)
            )

    # -- reacting to the user --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.body
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes without saving (unless an entry is already on its way)."""
        if event.key() == Qt.Key.Key_Escape and not self._saving:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:  # stored or failed soon: the text must not go with the window
            event.ignore()
            return
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.template.count():
            self._load_templates()

    def _on_kind_toggled(self, checked: bool) -> None:
        if not checked:
            return
        self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))
        self._paint_icons()
        if not self.body.isHidden() and self.body.toPlainText() in self._template_bodies.values():
            self.body.clear()  # an untouched template of the other kind goes with it
            self.body.hide()
            self.adjustSize()
        self._load_templates()

    def _on_level_clicked(self, level: int) -> None:
        self.set_hardness(None if self._hardness == level else level)

    def _on_text_changed(self, _text: str) -> None:
        self._show_tags()
        if self._error and not self._saving:
            self._show_error("")

    def _show_tags(self) -> None:
        found = parse_tags(self.line.text())
        self.tags.setText(
            _("Tags: {tags}").format(tags=" ".join(f"#{t}" for t in found))
            if found
            else _("#tags work in the line")
        )

    def _load_templates(self) -> None:
        """The current kind's templates (its default first) in the picker."""
        found: list[Template] = []
        if self._templates is not None:
            try:
                found = self._templates.templates(self.kind().value)
            except QuestionBookError:
                found = []  # unreadable for a moment: capture works without templates
        self._template_bodies = {t.id: t.body for t in found}
        self.template.blockSignals(True)
        try:
            self.template.clear()
            self.template.addItem(_("None"), "")
            for index, t in enumerate(found):
                label = _("{name} (default)").format(name=t.name) if index == 0 else t.name
                self.template.addItem(label, t.id)
        finally:
            self.template.blockSignals(False)
        self.template.setEnabled(bool(found))

    def _on_template_activated(self, index: int) -> None:
        template_id = str(self.template.itemData(index) or "")
        text = self._template_bodies.get(template_id, "")
        current = self.body.toPlainText()
        if current.strip() and current not in self._template_bodies.values():
            if not template_id:
                return  # the user's own words stay
            text = current.rstrip("\n") + "\n\n" + text  # added under what was written
        self.body.setPlainText(text)
        self.body.setVisible(bool(text))
        if not text:
            self.adjustSize()

    # -- the write -------------------------------------------------------------------------------
    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        for widget in (self.line, self.body, self.template, *self._levels):
            widget.setEnabled(not saving)
        for button in self._kind_buttons.values():
            button.setEnabled(not saving)
        if not saving:
            self.template.setEnabled(bool(self._template_bodies))

    def _on_save_waiting(self) -> None:
        self._show_error(busy_notice(), error=False)

    def _on_saved(self, entry: Entry) -> None:
        self._set_saving(False)
        self._show_error("")
        self.line.clear()
        self.body.clear()
        self.close()
        self.entry_captured.emit(entry.id)

    def _on_save_failed(self, reason: str) -> str:
        self._set_saving(False)
        self._show_error(_("Not saved: {reason}").format(reason=reason))
        self.line.setFocus()
        return _("Not saved: {reason}").format(reason=reason)

    def _show_error(self, text: str, *, error: bool = True) -> None:
        self._error = text if error else ""
        if text:
            self.hint.setText(text)
            self.hint.setStyleSheet(_ERROR if error else _MUTED)
        else:
            self.hint.setText(_("Enter saves and closes · Esc cancels"))
            self.hint.setStyleSheet(_MUTED)
