"""``[[`` in the body opens a list of entry titles; choosing one writes a link to it (issue 18).

Typing ``[[`` (or ``【【``, what a Chinese input method makes of the brackets) and a few letters
or characters lists the live entries whose title starts with or contains them
(``Links.complete``: the title column of the full-text index, so Chinese works and a one-letter
query stays fast). Up/Down choose, Enter or Tab (or a click) insert
:func:`~questionbook.core.links.link_markup` ``[[<id>|title]]`` in place of what was typed, Esc
closes the list and leaves the text as it is.

Keystrokes never wait for the journal: the lookup starts after a short pause in typing
(:data:`DELAY_MS`) and runs in a worker thread; a result for text that has changed meanwhile
is dropped. The list is a child widget that takes no focus, so the keys stay in the body;
while it is open an event filter (installed again each time, so it runs before the editor's
own Esc handling) routes the navigation keys to it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from questionbook.core.entities import EntrySummary
from questionbook.core.links import link_markup
from questionbook.i18n import _
from questionbook.ui.attachment_images import READ_ERRORS

#: ``[[`` (or ``【【``) and what was typed after it, up to the cursor.
TRIGGER_RE = re.compile(r"(?:\[\[|【【)([^\[\]|\n【】]{0,80})$")
DELAY_MS = 60
SHOWN = 12
IdRole = Qt.ItemDataRole.UserRole + 1
Search = Callable[[str], list[EntrySummary]]


class _Signals(QObject):
    found = Signal(int, object)  # generation, list[EntrySummary] or an error text


class _SearchJob(QRunnable):
    def __init__(self, generation: int, typed: str, search: Search, signals: _Signals) -> None:
        super().__init__()
        self._generation, self._typed, self._search, self._signals = (
            generation,
            typed,
            search,
            signals,
        )

    def run(self) -> None:
        result: object
        try:
            result = self._search(self._typed)
        except READ_ERRORS as exc:
            result = str(exc)
        with contextlib.suppress(RuntimeError):  # the editor closed meanwhile
            self._signals.found.emit(self._generation, result)


class LinkCompleter(QObject):
    """The ``[[`` completion of one body; see the module docstring."""

    inserted = Signal(str)
    """A link to the entry with this id was written into the body."""
    listed = Signal()
    """The list shows the result of the latest lookup."""

    def __init__(
        self,
        body: QPlainTextEdit,
        search: Search,
        host: QWidget,
        *,
        exclude: Callable[[], str | None] = lambda: None,
        pool: QThreadPool | None = None,
        delay_ms: int = DELAY_MS,
    ) -> None:
        """*search* looks titles up (in a worker thread); *host* holds the list (a widget
        around the body); *exclude* is the entry being edited (not offered)."""
        super().__init__(host)
        self._body = body
        self._search = search
        self._host = host
        self._exclude = exclude
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._typed: str | None = None
        self.popup = QListWidget(host)
        self.popup.setObjectName("linkCompletion")
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.itemClicked.connect(self._on_popup_item_clicked)
        self.popup.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._look_up)
        self._signals = _Signals(self)
        self._signals.found.connect(self._on_found)
        body.textChanged.connect(self._check)
        body.cursorPositionChanged.connect(self._check)

    # -- public API ------------------------------------------------------------------------
    def is_open(self) -> bool:
        return self.popup.isVisible()

    def typed(self) -> str | None:
        """What follows ``[[`` at the cursor, or ``None`` when the cursor is not in one."""
        match = self._match()
        return match.group(1) if match is not None else None

    def choose(self, row: int | None = None) -> bool:
        """Insert the link of list row *row* (the current one by default)."""
        item = self.popup.item(self.popup.currentRow() if row is None else row)
        entry_id = item.data(IdRole) if item is not None else None
        match = self._match()
        if not entry_id or match is None:
            return False
        cursor = self._body.textCursor()
        end = cursor.position()
        cursor.setPosition(end - len(match.group(0)))
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(link_markup(entry_id, item.data(Qt.ItemDataRole.DisplayRole)))
        self._body.setTextCursor(cursor)
        self.close()
        self.inserted.emit(entry_id)
        return True

    def close(self) -> None:
        self._timer.stop()
        self._generation += 1  # a lookup still running is not shown
        self._typed = None
        self.popup.hide()

    # -- watching the text -----------------------------------------------------------------
    def _match(self) -> re.Match[str] | None:
        if self._body.isReadOnly():
            return None
        cursor = self._body.textCursor()
        if cursor.hasSelection():
            return None
        # The last 100 characters before the cursor on its line, without copying the line
        # (a pasted blob may be one line of a megabyte).
        cursor.movePosition(
            QTextCursor.MoveOperation.Left,
            QTextCursor.MoveMode.KeepAnchor,
            min(100, cursor.positionInBlock()),
        )
        return TRIGGER_RE.search(cursor.selectedText())

    def _check(self) -> None:
        typed = self.typed()
        if typed is None:
            if self._typed is not None or self.popup.isVisible():
                self.close()
            return
        if typed != self._typed:
            self._typed = typed
            self._timer.start()

    def _look_up(self) -> None:
        if self._typed is None:
            return
        self._generation += 1
        self._pool.start(_SearchJob(self._generation, self._typed, self._search, self._signals))

    def _on_found(self, generation: int, result: object) -> None:
        if generation != self._generation or self.typed() is None:
            return
        self.popup.clear()
        if isinstance(result, str):
            self._add_note(_("Titles cannot be searched just now: {reason}").format(reason=result))
        elif isinstance(result, list):
            own = self._exclude()
            found = [s for s in result if isinstance(s, EntrySummary) and s.id != own]
            for summary in found[:SHOWN]:
                item = QListWidgetItem(summary.title or _("(untitled)"))
                item.setData(IdRole, summary.id)
                item.setToolTip(summary.title)
                self.popup.addItem(item)
            if not found:
                self._add_note(_("No entry has a title like “{typed}”").format(typed=self._typed))
            else:
                self.popup.setCurrentRow(0)
        self._place()
        self.listed.emit()

    def _add_note(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.popup.addItem(item)

    def _place(self) -> None:
        """Under the cursor (above it when there is no room below), inside the host."""
        rect = self._body.cursorRect()
        below = self._body.viewport().mapTo(self._host, rect.bottomLeft())
        above = self._body.viewport().mapTo(self._host, rect.topLeft())
        rows = max(1, min(self.popup.count(), 8))
        height = rows * max(self.popup.sizeHintForRow(0), 18) + 2 * self.popup.frameWidth() + 2
        width = min(420, max(220, self._host.width() - 20))
        x = max(0, min(below.x(), self._host.width() - width))
        y = below.y() + 2
        if y + height > self._host.height() and above.y() - height - 2 >= 0:
            y = above.y() - height - 2
        self.popup.setGeometry(x, y, width, height)
        self.popup.show()
        self.popup.raise_()
        self._body.installEventFilter(self)  # (again) first in line, before the editor's Esc

    # -- keys while the list is open -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._body or not self.popup.isVisible():
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.FocusOut:
            self.close()
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        rows = self.popup.count()
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step = -1 if key == Qt.Key.Key_Up else 1
            else:
                step = -8 if key == Qt.Key.Key_PageUp else 8
            if rows:
                row = max(0, min(rows - 1, self.popup.currentRow() + step))
                self.popup.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            if self.choose():
                return True
            self.close()
            return key == Qt.Key.Key_Tab  # no tab character; Enter still breaks the line
        return False

    def _on_popup_item_clicked(self, item: QListWidgetItem) -> None:
        self.choose(self.popup.row(item))
