"""The prompt of the day under the capture box (issue 19): a question to start from.

:meth:`PromptService.for_today` remembers which prompt a day showed (so it stays all day and
does not come back within a month), which is a write, once a day. It runs as a *quiet*
operation: the user did not ask for it, so a journal busy in another program is no error to
show. Then the prompt is still shown, chosen by the same rule without being remembered
(:meth:`PromptService.for_day`, a read), and remembering is tried again a minute later.

Clicking the prompt asks for an entry started from it (:attr:`PromptOfTheDay.start_requested`:
the window opens a new entry titled with it, the cursor in the body). The settings
``daily_prompt`` and ``builtin_prompts`` (Settings → Writing, ``questionbook prompt off``)
apply at once; so do changes to the user's prompts (``Changes.writing``). At midnight the next
day's prompt comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from questionbook.core.errors import QuestionBookError
from questionbook.core.prompts import DailyPrompt, PromptService
from questionbook.i18n import _, is_wide
from questionbook.ui import resources
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.elided_label import wrap_without_widening

log = logging.getLogger(__name__)
#: How often the widget looks whether the day has changed or remembering can be retried.
CHECK_MS = 60_000
PROMPT_SETTINGS = ("daily_prompt", "builtin_prompts")


class _PromptText(QLabel):
    """The prompt itself: wraps within the column, and is a link to start an entry."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class PromptOfTheDay(QWidget):
    """Today's prompt, or nothing when prompts are off (see the module docstring)."""

    start_requested = Signal(str)
    """The user clicked the prompt: start an entry from this text."""

    def __init__(
        self,
        service: Callable[[], PromptService],
        ops: Operations,
        controller: SettingsController,
        parent: QWidget | None = None,
        *,
        check_ms: int = CHECK_MS,
    ) -> None:
        """*service* builds the prompt service as the settings say now (on, built-ins)."""
        super().__init__(parent)
        self.setObjectName("promptOfTheDay")
        self._service = service
        self._ops = ops
        self._controller = controller
        self._shown: DailyPrompt | None = None
        self._remembered = False
        self._asking = False
        self.icon = QLabel(self)
        self.icon.setFixedSize(QSize(16, 16))
        self.text = _PromptText(self)
        wrap_without_widening(self.text)
        self.text.setObjectName("promptText")
        self.text.setCursor(Qt.CursorShape.PointingHandCursor)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.clicked.connect(self._on_text_clicked)
        self.text.setStyleSheet("color: palette(placeholder-text);")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        ops.changed.connect(self._on_ops_changed)
        controller.subscribe(self, PROMPT_SETTINGS, lambda _names: self.refresh())
        self._paint_icon()
        self.hide()
        self.refresh()

    # -- public API ------------------------------------------------------------------------------
    def prompt(self) -> str:
        """The prompt shown ("" while none is)."""
        return self._shown.prompt.text if self._shown is not None and not self.isHidden() else ""

    def remembered(self) -> bool:
        """True once today's prompt is stored as today's (the journal was free)."""
        return self._remembered

    def refresh(self) -> None:
        """Show today's prompt again (settings, the user's prompts or the day changed)."""
        if not self._controller.get("daily_prompt"):
            self._show(None)
            return
        if self._asking:
            return
        service = self._service()
        self._asking = True
        self._ops.op(service.for_today).quiet().on_success(self._on_remembered).on_failure(
            lambda _reason: self._on_not_remembered(service)
        ).run()

    # -- internals -------------------------------------------------------------------------------
    def _on_remembered(self, shown: DailyPrompt | None) -> None:
        self._asking = False
        self._remembered = True
        self._show(shown)

    def _on_not_remembered(self, service: PromptService) -> None:
        """The journal is busy (or unwritable): choose by the same rule without a write."""
        self._asking = False
        self._remembered = False
        try:
            self._show(service.for_day(service.today()))
        except QuestionBookError as exc:
            log.info("no prompt of the day for now: %s", exc)
            self._show(None)

    def _show(self, shown: DailyPrompt | None) -> None:
        self._shown = shown
        if shown is None:
            self.hide()
            return
        self.text.setText(shown.prompt.text)
        # Chinese has no italic (Qt would draw a fake slant): a prompt with any is upright.
        font = self.text.font()
        font.setItalic(not any(is_wide(c) for c in shown.prompt.text))
        self.text.setFont(font)
        self._retranslate()
        self.show()

    def _retranslate(self) -> None:
        self.text.setToolTip(
            _(
                "Prompt of the day: click to start an entry from it (Settings → Writing turns it off)"
            )
        )

    def _today(self) -> date | None:
        try:
            return self._service().today()
        except QuestionBookError:
            return None

    def _on_timer_timeout(self) -> None:
        if not self._controller.get("daily_prompt"):
            return
        if not self._remembered or (self._shown is not None and self._today() != self._shown.day):
            self.refresh()

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.writing or changes.external:
            self.refresh()

    def _on_text_clicked(self) -> None:
        if self._shown is not None:
            self.start_requested.emit(self._shown.prompt.text)

    def _paint_icon(self) -> None:
        color = self.palette().color(self.palette().ColorRole.PlaceholderText)
        self.icon.setPixmap(resources.pixmap("prompt", 16, color))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()  # a built-in prompt is said in the new language
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()
