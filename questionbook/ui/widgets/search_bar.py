"""The search field: results follow the typing, debounced so a fast typist waits for no query.

The text is the same query language as the CLI (``#tag``, ``kind:plan``, ``hardness>=3`` ...).
:func:`questionbook.core.query.parse_query` never raises, so any text just searches.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from questionbook.i18n import _
from questionbook.ui import resources

DEBOUNCE_MS = 150


def search_help() -> str:
    """The search field's help: every operator of the query language, one group a line."""
    return "\n".join(
        (
            _('Words, "exact phrase", -exclude, #tag'),
            _("kind:plan  status:open  hardness>=3  reach>=3  reach:2"),
            _("is:starred  is:submerged  is:sealed  is:unrated"),
            _("is:edge  is:moonshot  is:delegate  is:justdo"),
            _("has:trial  verdict:failed  links:ID  linked-from:ID"),
            _("before:YYYY-MM-DD  after:YYYY-MM-DD"),
        )
    )


class SearchBar(QLineEdit):
    """A line edit that emits the query once typing pauses for :data:`DEBOUNCE_MS`."""

    query_changed = Signal(str)
    """The search text settled on a new value ("" when cleared)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        *,
        clear_button: bool = True,
    ) -> None:
        """Without *clear_button* it is enabled later with ``setClearButtonEnabled`` (see
        :class:`~questionbook.ui.widgets.capture_box.CaptureBox`)."""
        super().__init__(parent)
        self.setObjectName("searchBar")
        self.setClearButtonEnabled(clear_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_pause)
        self._last = ""
        self._paused = False
        self.textChanged.connect(self._on_text_changed)
        self._icon_action = self.addAction(
            resources.icon("search", self.palette().placeholderText().color()),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a live switch of theme (the icon) and language (the texts)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._icon_action.setIcon(
                resources.icon("search", self.palette().placeholderText().color())
            )
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(_("Search"))
        self.setToolTip(search_help())

    def query(self) -> str:
        return self.text().strip()

    def paused(self) -> bool:
        """True while :attr:`query_changed` is emitted because the typing paused (the list may
        then read in the background), False when it is emitted by :meth:`flush` (Enter, Esc:
        the results are wanted now)."""
        return self._paused

    def flush(self) -> None:
        """Emit now if a change is waiting (Enter, or a test that does not want to wait)."""
        if self._timer.isActive():
            self._timer.stop()
        self._emit()

    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    def settle(self) -> None:
        """Emit now as a pause in the typing would (the benchmark and the tests type without
        waiting for the debounce; the list then reads in the background)."""
        self._timer.stop()
        self._on_pause()

    def _on_pause(self) -> None:
        self._paused = True
        try:
            self._emit()
        finally:
            self._paused = False

    def _emit(self) -> None:
        query = self.query()
        if query != self._last:
            self._last = query
            self.query_changed.emit(query)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.flush()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
        super().keyPressEvent(event)
