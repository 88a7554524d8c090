"""Links between entries in the editor (issue 18): ``[[`` completion (Chinese too, off the GUI
thread), readable link markup, links in the preview (current titles; trashed and missing ones
marked; a click opens the entry) and the "Linked from" section."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent, QPalette, QTextCharFormat, QTextFormat
from PySide6.QtWidgets import QApplication

from questionbook.core.links import link_markup
from questionbook.services import Services
from questionbook.settings import Settings
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import editor_of, list_of, references, settle, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


@pytest.fixture
def editor(qtbot, services: Services, ops: Operations) -> EntryEditor:
    widget = EntryEditor(
        services.journal,
        ops=ops,
        settings=SettingsController(None, Settings()),
        attachments=services.attachments,
        links=services.links,
        save_delay_ms=50,
    )
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _type(qtbot, editor: EntryEditor, text: str) -> None:
    body = ui(editor).body_edit
    body.setFocus()
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, text)


def _commit(editor: EntryEditor, text: str) -> None:
    """Type *text* the way an input method does (Chinese is committed, not key-clicked)."""
    body = ui(editor).body_edit
    body.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(body, event)


def _listed(editor: EntryEditor) -> list[str]:
    popup = references(editor).completion
    if not popup.isVisible():
        return []
    return [popup.item(i).text() for i in range(popup.count())]


# -- [[ completion ---------------------------------------------------------------------------
def test_typing_double_brackets_lists_titles_and_enter_writes_the_link(
    qtbot, editor, services, ops
) -> None:
    target = services.journal.add("Why does grokking happen so suddenly?")
    services.journal.add("Grow tomatoes on the balcony")
    source = services.journal.add("Thinking about phase changes", "It reminds me of ")
    editor.load(source.id)
    _type(qtbot, editor, "[[grok")
    qtbot.waitUntil(lambda: _listed(editor) == [target.title], timeout=5_000)
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Return)
    body = ui(editor).body_edit.toPlainText()
    assert body == f"It reminds me of {link_markup(target.id, target.title)}"
    assert not references(editor).completion.isVisible()
    editor.flush()
    settle(qtbot, ops)
    assert services.links.backlink_ids(target.id) == [source.id]


def test_chinese_titles_complete_and_full_width_brackets_work_too(qtbot, editor, services) -> None:
    target = services.journal.add("水位线上涨的速度有多快？")
    services.journal.add("怎么做一碗番茄炒蛋")
    source = services.journal.add("读书笔记")
    editor.load(source.id)
    _commit(editor, "见【【水位")
    qtbot.waitUntil(lambda: _listed(editor) == [target.title], timeout=5_000)
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Tab)
    assert ui(editor).body_edit.toPlainText() == "见" + link_markup(target.id, target.title)


def test_arrows_choose_escape_closes_without_leaving_the_editor(qtbot, editor, services) -> None:
    first = services.journal.add("Alpha plan")
    second = services.journal.add("Alpha question")
    source = services.journal.add("Source")
    editor.load(source.id)
    _type(qtbot, editor, "[[alpha")
    qtbot.waitUntil(lambda: len(_listed(editor)) == 2, timeout=5_000)
    assert source.title not in _listed(editor)  # an entry is not offered to itself
    with qtbot.assertNotEmitted(editor.leave_requested):
        qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Escape)
    assert not references(editor).completion.isVisible()
    assert ui(editor).body_edit.toPlainText() == "[[alpha"
    _type(qtbot, editor, " ")  # typing on opens it again
    qtbot.waitUntil(lambda: len(_listed(editor)) == 2, timeout=5_000)
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Down)
    chosen = _listed(editor)[references(editor).completion.currentRow()]
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Return)
    wanted = first if chosen == first.title else second
    assert ui(editor).body_edit.toPlainText() == link_markup(wanted.id, wanted.title)


def test_a_click_on_a_title_writes_the_link(qtbot, editor, services) -> None:
    target = services.journal.add("Clickable target")
    source = services.journal.add("Source")
    editor.load(source.id)
    _type(qtbot, editor, "[[click")
    qtbot.waitUntil(lambda: _listed(editor) == [target.title], timeout=5_000)
    popup = references(editor).completion
    rect = popup.visualItemRect(popup.item(0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ui(editor).body_edit.toPlainText() == link_markup(target.id, target.title)


def test_nothing_found_says_so_and_enter_still_breaks_the_line(qtbot, editor, services) -> None:
    source = services.journal.add("Source")
    editor.load(source.id)
    _type(qtbot, editor, "[[zzqx")
    qtbot.waitUntil(lambda: bool(_listed(editor)), timeout=5_000)
    assert "No entry has a title like" in _listed(editor)[0]
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Return)
    assert ui(editor).body_edit.toPlainText() == "[[zzqx\n"


def test_titles_are_looked_up_off_the_gui_thread(qtbot, editor, services, monkeypatch) -> None:
    services.journal.add("Threaded title")
    source = services.journal.add("Source")
    editor.load(source.id)
    threads: list[threading.Thread] = []
    real = services.links.complete

    def complete(typed: str, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return real(typed, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.links, "complete", complete)
    _type(qtbot, editor, "[[thre")
    qtbot.waitUntil(lambda: _listed(editor) == ["Threaded title"], timeout=5_000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(threads) < len("thre")  # debounced: not one lookup per key


# -- the markup reads well -------------------------------------------------------------------
def test_the_id_of_a_link_is_shown_small_and_faint(qtbot, editor, services) -> None:
    target = services.journal.add("Target title")
    source = services.journal.add("Source", "See " + link_markup(target.id, target.title) + ".")
    editor.load(source.id)
    body = ui(editor).body_edit
    block = body.document().begin()
    qtbot.waitUntil(lambda: bool(block.layout().formats()))  # highlighting runs after a load
    formats = {(r.start, r.length): QTextCharFormat(r.format) for r in block.layout().formats()}
    start = len("See ")
    quiet = [f for (s, n), f in formats.items() if s <= start < s + n]
    title_at = start + len(f"[[{target.id}|")
    loud = [f for (s, n), f in formats.items() if s <= title_at < s + n]
    assert quiet and quiet[0].property(QTextFormat.Property.FontSizeAdjustment) == -1
    assert loud and loud[0].foreground().color() == body.palette().color(QPalette.ColorRole.Link)
    assert body.toPlainText() == source.body  # shown differently, stored as it is


# -- the preview -----------------------------------------------------------------------------
def test_the_preview_shows_current_titles_and_marks_trashed_and_missing_links(
    qtbot, editor, services, ops
) -> None:
    renamed = services.journal.add("Old title")
    trashed = services.journal.add("Gone to the trash")
    services.journal.delete(trashed.id)
    missing = "0f0f0f0f-1111-2222-3333-444455556666"
    body = (
        f"A {link_markup(renamed.id, 'Old title')}, "
        f"B {link_markup(trashed.id, trashed.title)}, C {link_markup(missing, 'Vanished')}."
    )
    source = services.journal.add("Source", body)
    editor.load(source.id)
    preview = ui(editor).preview
    qtbot.waitUntil(lambda: "Old title" in preview.toPlainText(), timeout=5_000)
    text = preview.toPlainText()
    assert "Gone to the trash (in the Trash)" in text and "Vanished (deleted)" in text
    assert renamed.id not in text  # ids never show in the preview
    services.journal.update(renamed.id, title="New title")
    ops.announce(Changes.of(renamed.id))  # as the window would after the rename
    qtbot.waitUntil(lambda: "A New title," in preview.toPlainText(), timeout=5_000)


def test_clicking_a_link_in_the_preview_asks_to_open_that_entry(qtbot, editor, services) -> None:
    target = services.journal.add("Follow me")
    source = services.journal.add("Source", "Go to " + link_markup(target.id, target.title))
    editor.load(source.id)
    preview = ui(editor).preview
    qtbot.waitUntil(lambda: "Follow me" in preview.toPlainText(), timeout=5_000)
    doc = preview.document()
    cursor = doc.find("Follow me")
    rect = preview.cursorRect(cursor)
    with qtbot.waitSignal(editor.open_entry_requested, timeout=3_000) as asked:
        qtbot.mouseClick(
            preview.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(rect.left() - 8, rect.center().y()),
        )
    assert asked.args == [target.id]


# -- Linked from -----------------------------------------------------------------------------
def test_linked_from_lists_the_sources_with_their_sentences(qtbot, editor, services, ops) -> None:
    target = services.journal.add("The target")
    services.journal.add(
        "First source", "Intro. I keep thinking of " + link_markup(target.id) + " today. Bye."
    )
    services.journal.add("Second source", "Also " + link_markup(target.id, "x"))
    trashed = services.journal.add("Trashed source", link_markup(target.id))
    services.journal.delete(trashed.id)
    editor.load(target.id)
    parts = references(editor)
    assert parts.linked_from.isVisible()
    assert parts.linked_from_toggle.text() == "Linked from · 2"  # the Trash does not count
    assert not parts.backlinks()  # folded: one line
    parts.linked_from_toggle.click()
    qtbot.waitUntil(lambda: len(parts.backlinks()) == 2)
    texts = [label.text() for label in parts.backlinks()]
    assert any("First source" in t and "I keep thinking of The target today." in t for t in texts)
    assert any("Second source" in t for t in texts)


def test_linked_from_follows_new_links_and_hides_without_any(qtbot, editor, services, ops) -> None:
    target = services.journal.add("Lonely")
    editor.load(target.id)
    parts = references(editor)
    assert not parts.linked_from.isVisible()
    source = services.journal.add("Newcomer")
    services.journal.update(source.id, body="See " + link_markup(target.id, target.title))
    ops.announce(Changes.of(source.id))
    qtbot.waitUntil(lambda: parts.linked_from_toggle.text() == "Linked from · 1")
    assert parts.linked_from.isVisible()
    services.journal.update(source.id, body="No link any more")
    ops.announce(Changes.of(source.id))
    qtbot.waitUntil(lambda: not parts.linked_from.isVisible())


def test_clicking_a_source_opens_it_in_the_window(qtbot, services) -> None:
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.settings_controller import SettingsController

    target = services.journal.add("Target in window")
    source = services.journal.add("Source in window", "Points to " + link_markup(target.id))
    window = MainWindow(
        services.journal,
        settings=SettingsController(None, Settings()),
        attachments=services.attachments,
        links=services.links,
    )
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.open_entry(target.id)
    editor = editor_of(window)
    parts = references(editor)
    parts.linked_from_toggle.click()
    qtbot.waitUntil(lambda: len(parts.backlinks()) == 1)
    label = parts.backlinks()[0]
    qtbot.mouseClick(
        label, Qt.MouseButton.LeftButton, pos=QPoint(8, label.fontMetrics().height() // 2)
    )
    qtbot.waitUntil(lambda: editor.current_id() == source.id, timeout=3_000)
    assert list_of(window).current_id() == source.id
    settle(qtbot, window.operations)


def test_both_sections_fit_800_by_600(qtbot, services, ops) -> None:
    editor = EntryEditor(
        services.journal, ops=ops, attachments=services.attachments, links=services.links
    )
    qtbot.addWidget(editor)
    editor.resize(800, 600)
    editor.show()
    qtbot.waitExposed(editor)
    target = services.journal.add("Much linked", "Body text.")
    for i in range(30):
        services.journal.add(f"Source {i}", "About " + link_markup(target.id) + " again.")
    for i in range(12):
        services.attachments.attach_data(target.id, f"file-{i}.txt", f"{i}".encode())
    editor.load(target.id)
    parts = references(editor)
    body_folded = ui(editor).body_edit.height()
    parts.linked_from_toggle.click()
    QApplication.processEvents()
    assert editor.minimumSizeHint().height() <= 600
    assert ui(editor).body_edit.height() >= 80  # the text stays writable
    assert part_height(editor, "linkedFromScroll") <= 0.25 * 600 + 1
    assert parts.chips.height() <= 2 * editor.fontMetrics().height() + 24  # one row
    assert ui(editor).body_edit.height() <= body_folded


def part_height(editor: EntryEditor, name: str) -> int:
    from PySide6.QtWidgets import QWidget

    from tests.ui.parts import part

    return part(editor, QWidget, name).height()
