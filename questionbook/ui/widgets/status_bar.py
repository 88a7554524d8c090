"""The status bar: entry counts, an "Undo" after a delete, a notice while the journal is busy in
another program, and the current waterline.

The waterline button opens a menu of the five levels with their meanings; choosing one emits
:attr:`StatusBar.waterline_chosen` and the window asks the journal to move it (the bar itself
never writes).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QStatusBar, QToolButton, QWidget

from questionbook.core.entities import JournalStats
from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import _, ngettext
from questionbook.ui import resources
from questionbook.ui.journal_writer import busy_explanation, busy_notice
from questionbook.ui.locale_format import format_number
from questionbook.ui.widgets.editor.hardness_picker import LEVELS_TOP_DOWN
from questionbook.ui.widgets.elided_label import ElidedLabel

UNDO_TIMEOUT_MS = 12_000


class StatusBar(QStatusBar):
    """Counts on the left, undo in the middle, the waterline on the right."""

    waterline_chosen = Signal(int)
    """The user picked a new waterline level (0-4)."""
    undo_requested = Signal()
    """The user clicked "Undo" on the last delete."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(False)
        self.counts = QLabel(self)
        self.counts.setObjectName("countsLabel")
        self.addWidget(self.counts)
        self.notice = ElidedLabel(parent=self)  # names the entry: a long title must not widen
        self.notice.setObjectName("noticeLabel")
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.undo_button.setAutoRaise(True)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.addWidget(self.notice)
        self.addWidget(self.undo_button)
        self.notice.hide()
        self.undo_button.hide()
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_TIMEOUT_MS)
        self._undo_timer.timeout.connect(self.hide_undo)

        self.waterline_button = QToolButton(self)
        self.waterline_button.setObjectName("waterlineButton")
        self.waterline_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.waterline_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.waterline_button.setAutoRaise(True)
        self.waterline_button.setIconSize(QSize(16, 16))
        self.waterline_menu = QMenu(self.waterline_button)
        self.waterline_button.setMenu(self.waterline_menu)
        self._level_group = QActionGroup(self)
        self._level_actions: list[QAction] = []
        for info in LEVELS_TOP_DOWN:  # Summit on top, as every list of levels runs
            action = QAction(self.waterline_menu)
            action.setCheckable(True)
            action.setData(info.level)
            action.triggered.connect(self._on_level_action_triggered)
            self._level_group.addAction(action)
            self.waterline_menu.addAction(action)
            self._level_actions.append(action)
        # Permanent, so that passing messages do not hide it while a save waits.
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("busyNotice")
        self.busy_label.setStyleSheet("color: rgba(127, 127, 127, 230); padding: 0 8px;")
        self.busy_label.hide()
        self.addPermanentWidget(self.busy_label)
        self.addPermanentWidget(self.waterline_button)
        self._waterline = 1
        self._stats: JournalStats | None = None
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a live switch of theme (icon colours) and language (texts)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _paint_icons(self) -> None:
        self.undo_button.setIcon(resources.icon("undo", self.palette().text().color()))
        self.waterline_button.setIcon(resources.icon("waterline", "#3b8fd9"))

    def retranslate(self) -> None:
        self.undo_button.setText(_("Undo"))
        self._paint_icons()
        for action, info in zip(self._level_actions, LEVELS_TOP_DOWN, strict=True):
            action.setText(f"{info.level}  {info.label} — {info.description}")
        self.waterline_button.setToolTip(
            _("Where AI stands now, in your judgement. Entries at or below it are submerged.")
        )
        self._show_waterline()
        if self._stats is not None:
            self.set_stats(self._stats)
        self.busy_label.setText(busy_notice())
        self.busy_label.setToolTip(busy_explanation())

    def set_stats(self, stats: JournalStats) -> None:
        self._stats = stats
        parts = [
            ngettext("{n} entry", "{n} entries", stats.total).format(n=format_number(stats.total))
        ]
        if stats.submerged:
            parts.append(
                ngettext("{n} submerged", "{n} submerged", stats.submerged).format(
                    n=format_number(stats.submerged)
                )
            )
        if stats.trash:
            parts.append(
                ngettext("{n} in the Trash", "{n} in the Trash", stats.trash).format(
                    n=format_number(stats.trash)
                )
            )
        self.counts.setText("  ·  ".join(parts))
        self._waterline = stats.waterline
        self._show_waterline()

    def _show_waterline(self) -> None:
        info = HARDNESS[self._waterline]
        self.waterline_button.setText(_("Waterline: {level}").format(level=info.label))
        for action in self._level_actions:
            action.setChecked(action.data() == self._waterline)

    def waterline(self) -> int:
        return self._waterline

    def show_busy(self, busy: bool) -> None:
        """Say (or stop saying) that a save waits for the journal, busy in another program."""
        self.busy_label.setVisible(busy)

    def busy_shown(self) -> bool:
        return not self.busy_label.isHidden()

    # -- undo ----------------------------------------------------------------------------
    def show_undo(self, message: str) -> None:
        """Show *message* with an Undo button for a few seconds."""
        self.notice.setText(message)
        self.notice.show()
        self.undo_button.show()
        self._undo_timer.start()

    def hide_undo(self) -> None:
        self._undo_timer.stop()
        self.notice.hide()
        self.undo_button.hide()

    def undo_visible(self) -> bool:
        return not self.undo_button.isHidden()

    def _on_undo_button_clicked(self) -> None:
        self.hide_undo()
        self.undo_requested.emit()

    def _on_level_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.waterline_chosen.emit(int(action.data()))
