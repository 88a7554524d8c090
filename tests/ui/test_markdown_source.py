"""Writing Markdown (issue 12, roughness): the source is styled as it is typed, the preview's
task boxes tick the source when clicked, and the preview follows the cursor in a long body."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextCursor

from questionbook.core.journal import Journal
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _formats(edit, line: int) -> list[tuple[str, object]]:
    """(text, format) of the styled pieces of *line* in the body."""
    block = edit.document().findBlockByNumber(line)
    return [
        (block.text()[r.start : r.start + r.length], QTextCharFormat(r.format))
        for r in block.layout().formats()
    ]


def test_the_source_is_styled_as_markdown(qtbot, editor: EntryEditor, journal: Journal) -> None:
    body_text = (
        "# A heading\n"
        "Some *words* and **strong ones**, `code`, #tag and [a link](https://example.org)\n"
        "```\n"
        "fenced *not emphasis*\n"
        "```\n"
        "~~struck~~"
    )
    entry = journal.add("Styled", body_text)
    editor.load(entry.id)
    body = ui(editor).body_edit
    qtbot.waitUntil(lambda: bool(_formats(body, 0)))
    accent = body.palette().color(QPalette.ColorRole.Highlight)

    [(heading, fmt)] = _formats(body, 0)
    assert heading == "# A heading" and fmt.fontWeight() == QFont.Weight.Bold
    pieces = dict(_formats(body, 1))
    assert pieces["*words*"].fontItalic()
    assert pieces["**strong ones**"].fontWeight() == QFont.Weight.Bold
    assert pieces["`code`"].fontFixedPitch()  # code in the fixed-pitch font
    assert pieces["#tag"].foreground().color() == accent
    assert pieces["[a link](https://example.org)"].fontUnderline()
    [(fenced, fmt)] = _formats(body, 3)
    assert fenced == "fenced *not emphasis*" and fmt.fontFixedPitch() and not fmt.fontItalic()
    assert dict(_formats(body, 5))["~~struck~~"].fontStrikeOut()


def _box_point(preview, text: str) -> QPoint:
    """Where the task box of the item *text* is drawn in the preview."""
    block = preview.document().begin()
    while block.isValid() and text not in block.text():
        block = block.next()
    assert block.isValid(), text
    rect = preview.cursorRect(QTextCursor(block))
    return QPoint(rect.left() + 4, rect.center().y())


def test_clicking_a_task_box_in_the_preview_ticks_the_source(
    qtbot, editor: EntryEditor, journal: Journal
) -> None:
    entry = journal.add("Errands", "- [ ] buy milk\n- [x] call mum\n\n```\n- [ ] in code\n```")
    editor.load(entry.id)
    preview, body = ui(editor).preview, ui(editor).body_edit
    qtbot.waitUntil(lambda: "\u2610 buy milk" in preview.toPlainText())

    qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=_box_point(preview, "buy"))
    assert body.toPlainText().startswith("- [x] buy milk\n- [x] call mum")
    qtbot.waitUntil(lambda: "\u2611 buy milk" in preview.toPlainText(), timeout=3000)

    qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=_box_point(preview, "call"))
    assert body.toPlainText().startswith("- [x] buy milk\n- [ ] call mum")
    assert body.toPlainText().endswith("- [ ] in code\n```")  # code is not a task
    assert editor.flush()
    assert journal.get(entry.id).body.startswith("- [x] buy milk\n- [ ] call mum")

    body.undo()  # an ordinary edit: undo takes it back
    assert body.toPlainText().startswith("- [x] buy milk\n- [x] call mum")


def test_the_preview_follows_the_cursor_in_a_long_body(
    qtbot, editor: EntryEditor, journal: Journal
) -> None:
    lines = []
    for part in range(10):
        lines.append(f"## Part {part}")
        lines += [f"Line {part}.{i} of a long body." for i in range(19)]
    entry = journal.add("Long", "\n".join(lines))
    editor.load(entry.id)
    preview, body = ui(editor).preview, ui(editor).body_edit
    qtbot.waitUntil(lambda: "Part 9" in preview.toPlainText())
    assert preview.verticalScrollBar().maximum() > 0
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)

    cursor = body.textCursor()
    cursor.setPosition(body.document().findBlockByNumber(182).position())  # in Part 9
    body.setTextCursor(cursor)
    body.centerCursor()

    def part_nine_shown() -> bool:
        block = preview.document().begin()
        while block.isValid() and block.text() != "Part 9":
            block = block.next()
        rect = preview.cursorRect(QTextCursor(block))
        return preview.viewport().rect().contains(rect.center())

    qtbot.waitUntil(part_nine_shown, timeout=3000)
    cursor.setPosition(0)
    body.setTextCursor(cursor)
    qtbot.waitUntil(lambda: preview.verticalScrollBar().value() == 0, timeout=3000)


def test_the_preview_follows_the_cursor_after_it_is_rendered_again(
    qtbot, editor: EntryEditor, journal: Journal
) -> None:
    """The preview's headings are kept between keystrokes (issue 21): a new rendering, with its
    headings further down, must be measured again."""
    lines = []
    for part in range(10):
        lines.append(f"## Part {part}")
        lines += [f"Line {part}.{i} of a long body." for i in range(19)]
    entry = journal.add("Long", "\n".join(lines))
    editor.load(entry.id)
    preview, body = ui(editor).preview, ui(editor).body_edit
    qtbot.waitUntil(lambda: "Part 9" in preview.toPlainText())
    assert preview.verticalScrollBar().maximum() > 0
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    cursor = body.textCursor()
    cursor.setPosition(body.document().findBlockByNumber(105).position())  # in Part 5
    body.setTextCursor(cursor)
    body.centerCursor()

    def shown(title: str) -> bool:
        block = preview.document().begin()
        while block.isValid() and block.text() != title:
            block = block.next()
        rect = preview.cursorRect(QTextCursor(block))
        return block.isValid() and preview.viewport().rect().contains(rect.center())

    qtbot.waitUntil(lambda: shown("Part 5"), timeout=3000)
    # Many lines written above: every heading of the next rendering is lower down.
    edit = QTextCursor(body.document().findBlockByNumber(1))
    edit.insertText("".join(f"A new line {i} above.\n\n" for i in range(120)))
    assert body.textCursor().block().text().startswith("Line 5.")  # the cursor stayed
    qtbot.waitUntil(lambda: "A new line 119 above." in preview.toPlainText(), timeout=3000)
    body.ensureCursorVisible()
    qtbot.waitUntil(lambda: shown("Part 5"), timeout=3000)
