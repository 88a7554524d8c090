"""What ties the preview to the Markdown source beside it: it follows the cursor, and its task
boxes can be clicked (issue 12, roughness).

- **Following the cursor.** In a long body the preview used to stay at the top while the
  writer worked further down. Now, whenever the cursor moves (or the preview is re-rendered),
  the preview scrolls so that the part being written sits at the same height as the cursor.
  Headings are the anchors: the source's headings are paired, in order, with the preview's
  heading blocks, and a line between two headings is placed in proportion between them.
- **Clickable task boxes.** The preview shows ``- [ ] task`` as ☐ and ``- [x]`` as ☑ (Qt's
  rich text has no check boxes). A click on a box toggles the matching ``[ ]``/``[x]`` in the
  source, as an ordinary undoable edit, so it is saved like typing and the preview follows.
  The n-th box in the preview is the n-th task item in the source (outside fenced code).

A separate object, so that the preview widget (:mod:`.markdown_view`) and the editor only need
one line to connect it: it listens to the two widgets' own signals and events.
"""

from __future__ import annotations

import itertools
import re

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextBrowser

BOXES = ("\u2610", "\u2611")  # ☐ ☑, as core.markdown renders task items
_TASK_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s+\S")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
#: Bodies shorter than this many lines fit anyway: the preview is not moved for them.
FOLLOW_MIN_LINES = 12
#: After a re-render the preview is followed a moment later, in a turn of its own: placing it
#: lays out the new document (~5 ms for 20,000 characters), and with the re-render itself
#: (~7 ms) in the same turn it took more than a frame (issue 21).
FOLLOW_AFTER_RENDER_MS = 40


def task_positions(text: str) -> list[int]:
    """Where the box of each task item is in *text* (the position of ``x`` or the space
    between the brackets), in order, skipping fenced code."""
    found, fence, offset = [], "", 0
    for line in text.split("\n"):
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
        elif not fence:
            task = _TASK_RE.match(line)
            if task:
                found.append(offset + task.start(1))
        offset += len(line) + 1
    return found


def source_headings(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the Markdown headings in *text*, outside fenced code."""
    found, fence = [], ""
    for number, line in enumerate(text.split("\n")):
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        heading = None if fence else _HEADING_RE.match(line)
        if heading:
            found.append((number, heading.group(2).strip()))
    return found


class PreviewLink(QObject):
    """Keeps *preview* in step with *body* (see the module docstring)."""

    def __init__(
        self,
        body: QPlainTextEdit,
        preview: QTextBrowser,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._body = body
        self._preview = preview
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(0)  # after the layouts of this event loop round
        self._follow.timeout.connect(self.follow_cursor)
        body.cursorPositionChanged.connect(self._on_cursor_moved)
        #: The preview's headings and their heights, kept while the preview's document and
        #: width stay the same: finding them walks every block (~3 ms at 20,000 characters),
        #: and the cursor moves at every keystroke.
        self._shown: tuple[tuple[int, int, int], list[tuple[str, float]]] | None = None
        preview.verticalScrollBar().rangeChanged.connect(self._on_preview_range_changed)
        self._viewport = preview.viewport()
        self._viewport.installEventFilter(self)
        self._viewport.setMouseTracking(True)

    # -- following the cursor --------------------------------------------------------------
    def follow_cursor(self) -> None:
        """Scroll the preview to the part of the text the cursor is in (long bodies only)."""
        body, preview = self._body, self._preview
        if not (preview.isVisible() and body.isVisible()):  # side by side, not toggled
            return
        doc = body.document()
        if doc.blockCount() < FOLLOW_MIN_LINES:
            return
        y = self._preview_y(body.textCursor().blockNumber(), doc.blockCount())
        offset = body.cursorRect().top()
        bar = preview.verticalScrollBar()
        bar.setValue(max(0, min(bar.maximum(), int(y - offset))))

    def _on_cursor_moved(self) -> None:
        self._follow.start(0)

    def _on_preview_range_changed(self, _low: int, _high: int) -> None:
        if self._body.hasFocus():  # re-rendered while the writer types: stay with them
            self._follow.start(FOLLOW_AFTER_RENDER_MS)

    def _preview_headings(self) -> list[tuple[str, float]]:
        """(text, top) of the preview's heading blocks (see ``_shown``)."""
        doc = self._preview.document()
        key = (id(doc), doc.revision(), self._preview.viewport().width())
        if self._shown is None or self._shown[0] != key:
            layout = doc.documentLayout()
            shown = [
                (block.text().strip(), layout.blockBoundingRect(block).top())
                for block in _blocks(doc)
                if block.blockFormat().headingLevel() > 0
            ]
            self._shown = (key, shown)
        return self._shown[1]

    def _preview_y(self, line: int, lines: int) -> float:
        """The height in the preview that corresponds to source line *line* of *lines*."""
        layout = self._preview.document().documentLayout()
        shown = self._preview_headings()
        anchors: list[tuple[float, float]] = [(0.0, 0.0)]
        at = 0
        for number, title in source_headings(self._body.toPlainText()):
            for i in range(at, len(shown)):
                if shown[i][0] == title:
                    anchors.append((float(number), shown[i][1]))
                    at = i + 1
                    break
        anchors.append((float(max(lines - 1, 1)), float(layout.documentSize().height())))
        for (line_a, y_a), (line_b, y_b) in itertools.pairwise(anchors):
            if line_a <= line <= line_b:
                share = (line - line_a) / (line_b - line_a) if line_b > line_a else 0.0
                return y_a + (y_b - y_a) * share
        return anchors[-1][1]

    # -- task boxes ------------------------------------------------------------------------
    def box_at(self, pos: QPoint) -> int | None:
        """The number of the task box under *pos* (viewport coordinates), or None."""
        cursor = self._preview.cursorForPosition(pos)
        block = cursor.block()
        if block.textList() is None or not block.text().startswith(BOXES):
            return None
        rect = self._preview.cursorRect(QTextCursor(block))
        end = self._preview.cursorRect(_after_box(block))
        if not (rect.left() - 2 <= pos.x() <= end.left() + 2):
            return None
        if not (rect.top() - 2 <= pos.y() <= rect.bottom() + 2):
            return None
        number = 0
        for other in _blocks(self._preview.document()):
            if other == block:
                return number
            if other.textList() is not None and other.text().startswith(BOXES):
                number += 1
        return None

    def toggle_task(self, number: int) -> bool:
        """Tick or untick the *number*-th task of the source (an undoable edit)."""
        if self._body.isReadOnly():
            return False
        positions = task_positions(self._body.toPlainText())
        if not 0 <= number < len(positions):
            return False
        position = positions[number]
        cursor = QTextCursor(self._body.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(" " if cursor.selectedText() in ("x", "X") else "x")
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QMouseEvent) and watched is self._viewport:
            pos = event.position().toPoint()
            if event.type() == QEvent.Type.MouseMove:
                over = not self._body.isReadOnly() and self.box_at(pos) is not None
                cursor = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
                self._viewport.setCursor(cursor)
            elif (
                event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
            ):
                number = self.box_at(pos)
                if number is not None and self.toggle_task(number):
                    return True
        return super().eventFilter(watched, event)


def _blocks(doc: QTextDocument) -> list[QTextBlock]:
    found, block = [], doc.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def _after_box(block: QTextBlock) -> QTextCursor:
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.Right)
    return cursor
