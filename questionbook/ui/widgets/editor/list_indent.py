"""Tab and Shift+Tab in the Markdown body: nest and un-nest list items, never a tab character.

A tab character in Markdown is an indented code block waiting to happen, and the preview nests
lists by two spaces (:mod:`questionbook.core.markdown`). So in the body:

- Tab on a list item (``- a``, ``* a``, ``1. a``, ``- [ ] a``), or on a selection of lines, puts
  two spaces before each line: the item moves one level in;
- Shift+Tab takes up to two spaces away again;
- Tab anywhere else types spaces up to the next multiple of four columns.

Each press is one undo step. The functions work on a ``QTextCursor`` only, so any plain-text
editor can use them.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextBlock, QTextCursor

#: A Markdown list item: indentation, a bullet or a number, a space.
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
NEST = "  "
TAB_STOP = 4


def is_list_item(line: str) -> bool:
    return LIST_ITEM_RE.match(line) is not None


def _lines(cursor: QTextCursor) -> tuple[int, int]:
    """The first and last block numbers the cursor's selection touches."""
    doc = cursor.document()
    start = doc.findBlock(cursor.selectionStart()).blockNumber()
    end_pos = cursor.selectionEnd()
    end_block = doc.findBlock(end_pos)
    if (
        cursor.hasSelection()
        and end_block.position() == end_pos
        and end_pos > cursor.selectionStart()
    ):
        end_block = end_block.previous()  # a selection ending at a line's start leaves it out
    return start, max(start, end_block.blockNumber())


def handle_tab(cursor: QTextCursor, *, outdent: bool) -> bool:
    """Apply Tab (or Shift+Tab with *outdent*) at *cursor*; True if it was handled here
    (False: let the editor do its default, which only happens for Shift+Tab on plain text)."""
    doc = cursor.document()
    first, last = _lines(cursor)
    blocks = [doc.findBlockByNumber(n) for n in range(first, last + 1)]
    several = last > first
    if not several and not is_list_item(blocks[0].text()):
        if outdent:
            return _outdent(cursor, blocks, TAB_STOP)
        column = cursor.positionInBlock()
        cursor.insertText(" " * (TAB_STOP - column % TAB_STOP))
        return True
    if outdent:
        return _outdent(cursor, blocks, len(NEST))
    cursor.beginEditBlock()
    try:
        for block in blocks:
            edit = QTextCursor(block)
            edit.insertText(NEST)
    finally:
        cursor.endEditBlock()
    return True


def _outdent(cursor: QTextCursor, blocks: list[QTextBlock], width: int) -> bool:
    cursor.beginEditBlock()
    try:
        for block in blocks:
            text = block.text()
            n = len(text) - len(text.lstrip(" "))
            take = min(n, width)
            if take:
                edit = QTextCursor(block)
                edit.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, take
                )
                edit.removeSelectedText()
    finally:
        cursor.endEditBlock()
    return True
