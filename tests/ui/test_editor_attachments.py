"""Pictures and files in the editor (issue 18): paste and drop attach them and put a reference at
the cursor, the preview shows pictures from the journal, chips open and remove files; refusals
say why and change nothing. Real widgets, a real journal, the real writer thread."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton, QWidget

from questionbook.core.attachments import url
from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.settings import Settings
from questionbook.ui.attachment_images import PREVIEW_SIDE
from questionbook.ui.operations import Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import ModalAnswers, references, settle, ui
from tests.ui.pictures import color_at, picture, png_claiming

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


@pytest.fixture
def controller() -> SettingsController:
    return SettingsController(None, Settings())


@pytest.fixture
def editor(qtbot, services: Services, ops: Operations, controller) -> EntryEditor:
    widget = EntryEditor(
        services.journal,
        ops=ops,
        settings=controller,
        attachments=services.attachments,
        links=services.links,
        save_delay_ms=50,
    )
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def answers() -> Iterator[ModalAnswers]:
    helper = ModalAnswers()
    yield helper
    helper.timer.stop()


class _Opened(QObject):
    """Stands in for the desktop's "open this file" (QDesktopServices' own hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, target: QUrl) -> None:
        self.urls.append(target)


@pytest.fixture
def opened() -> Iterator[_Opened]:
    handler = _Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def _cursor_after(editor: EntryEditor, text: str) -> None:
    body = ui(editor).body_edit
    cursor = body.textCursor()
    cursor.setPosition(body.toPlainText().index(text) + len(text))
    body.setTextCursor(cursor)


def _drop(qtbot, editor: EntryEditor, paths: list[Path], at: str | None = None) -> None:
    """Drag *paths* from a file manager and drop them on the body (after *at*)."""
    body = ui(editor).body_edit
    point = QPoint(40, 20)
    if at is not None:
        cursor = body.textCursor()
        cursor.setPosition(body.toPlainText().index(at) + len(at))
        point = body.cursorRect(cursor).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    mime.setText("\n".join(str(p) for p in paths))  # file managers add the paths as text
    viewport = body.viewport()
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(point.toPointF(), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)


def _stored_body(qtbot, editor: EntryEditor, ops: Operations, journal: Journal, entry_id: str):
    editor.flush()
    settle(qtbot, ops)
    return journal.get(entry_id).body


def _paste_picture(image: QImage, editor: EntryEditor) -> None:
    mime = QMimeData()
    mime.setImageData(image)
    QApplication.clipboard().setMimeData(mime)
    body = ui(editor).body_edit
    body.setFocus()
    body.paste()


# -- paste and drop -------------------------------------------------------------------------
def test_a_pasted_picture_is_attached_and_referenced_where_the_cursor_was(
    qtbot, editor, services, ops
) -> None:
    entry = services.journal.add("Whiteboard", "Before the picture.\n\nAfter it.")
    editor.load(entry.id)
    _cursor_after(editor, "Before the picture.\n")
    image = QImage(64, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    _paste_picture(image, editor)
    body = ui(editor).body_edit
    assert "Attaching pasted-" in ui(editor).indicator.text()  # said while the writer works
    qtbot.waitUntil(lambda: "attachment:" in body.toPlainText(), timeout=10_000)
    stored = _stored_body(qtbot, editor, ops, services.journal, entry.id)
    (item,) = services.attachments.attached(entry.id)
    assert item.mime == "image/png" and item.name.startswith("pasted-")
    before, after = stored.split(f"attachment:{item.sha256}/")
    assert before.startswith("Before the picture.\n![pasted-") and after.endswith("After it.")
    shown = services.attachments.resolve(url(item.sha256, item.name))
    assert shown is not None
    decoded = QImage.fromData(shown.data)
    assert (decoded.width(), decoded.height()) == (64, 32)
    assert color_at(decoded, 3, 3) == "#3366cc"
    assert references(editor).chip_names() == [item.name]


def test_dropped_files_are_attached_byte_for_byte_at_the_drop(
    qtbot, editor, services, ops, tmp_path: Path
) -> None:
    report = tmp_path / "report 2024.pdf"
    report.write_bytes(b"%PDF-1.4\n" + os.urandom(300_000))
    notes = tmp_path / "notes.txt"
    notes.write_text("plain notes", encoding="utf-8")
    entry = services.journal.add("Papers", "First line\nSecond line")
    editor.load(entry.id)
    _drop(qtbot, editor, [report, notes], at="First line")
    body = ui(editor).body_edit
    qtbot.waitUntil(lambda: body.toPlainText().count("attachment:") == 2, timeout=10_000)
    stored = _stored_body(qtbot, editor, ops, services.journal, entry.id)
    names = [a.name for a in services.attachments.attached(entry.id)]
    assert names == ["report 2024.pdf", "notes.txt"]
    assert stored.startswith("First line[report 2024.pdf](attachment:")
    assert stored.endswith("/notes.txt)\nSecond line")
    copy = services.attachments.private_copy(
        services.attachments.attached(entry.id)[0].sha256, "check.pdf", Path(tempfile.mkdtemp())
    )
    assert copy.read_bytes() == report.read_bytes()
    assert references(editor).chip_names() == ["report 2024.pdf", "notes.txt"]


def test_text_and_web_addresses_are_still_pasted_as_text(qtbot, editor, services) -> None:
    entry = services.journal.add("Plain paste")
    editor.load(entry.id)
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/picture.png")])
    mime.setText("https://example.org/picture.png")
    QApplication.clipboard().setMimeData(mime)
    ui(editor).body_edit.paste()
    assert ui(editor).body_edit.toPlainText() == "https://example.org/picture.png"
    assert services.attachments.attached(entry.id) == []


def test_a_file_over_the_limit_is_refused_in_the_indicator_and_nothing_changes(
    qtbot, editor, services, ops, controller, tmp_path: Path
) -> None:
    controller.update(attachment_max_mb=1)  # Settings → General applies at once
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (2 << 20))
    entry = services.journal.add("Too big", "Text stays.")
    editor.load(entry.id)
    with qtbot.waitSignal(ops.failed, timeout=10_000) as failed:
        _drop(qtbot, editor, [big], at="Text stays.")
    assert "video.mp4 is 2.0 MB" in failed.args[0] and "1.0 MB" in failed.args[0]
    indicator = ui(editor).indicator
    assert indicator.text().startswith("Not attached:") and "limited to 1.0 MB" in indicator.text()
    assert ui(editor).body_edit.toPlainText() == "Text stays."
    assert services.attachments.attached(entry.id) == []
    assert not references(editor).chips.isVisible()


@pytest.mark.parametrize("what", ["folder", "missing"])
def test_what_cannot_be_read_is_refused_with_a_reason(
    qtbot, editor, services, ops, tmp_path: Path, what: str
) -> None:
    target = tmp_path / "a folder" if what == "folder" else tmp_path / "gone.png"
    if what == "folder":
        target.mkdir()
    entry = services.journal.add("Refusals", "Unchanged")
    editor.load(entry.id)
    with qtbot.waitSignal(ops.failed, timeout=10_000) as failed:
        _drop(qtbot, editor, [target])
    reason = "is not a file" if what == "folder" else "cannot read"
    assert reason in failed.args[0] and reason in ui(editor).indicator.text()
    assert ui(editor).body_edit.toPlainText() == "Unchanged"
    assert services.attachments.attached(entry.id) == []


@pytest.mark.parametrize("typed", ["Seen on the train: ", ""])
def test_a_new_entry_keeps_its_typing_and_gets_the_picture(
    qtbot, editor, services, ops, typed: str
) -> None:
    entry = services.journal.add("New note", kind="note")
    editor.load(entry.id)
    editor.mark_new(entry.id)  # Ctrl+N's entry: untouched, it would be dropped on leaving
    body = ui(editor).body_edit
    body.setFocus()
    if typed:
        qtbot.keyClicks(body, typed)  # not saved yet: handed to the writer before the attach
    _paste_picture(QImage(picture_image(20, 20)), editor)
    qtbot.waitUntil(lambda: "attachment:" in body.toPlainText(), timeout=10_000)
    editor.load(None)  # leaving: not discarded, since a picture went in
    settle(qtbot, ops)
    stored = services.journal.get(entry.id)
    assert stored.body.startswith(f"{typed}![pasted-")
    assert len(services.attachments.attached(entry.id)) == 1


def picture_image(width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#aa4400"))
    return image


def test_an_entry_in_the_trash_takes_no_files(qtbot, editor, services, tmp_path: Path) -> None:
    entry = services.journal.add("Trashed")
    services.attachments.attach_data(entry.id, "kept.png", picture(8, 8), insert=True)
    services.journal.delete(entry.id)
    editor.load(entry.id)
    target = tmp_path / "more.txt"
    target.write_text("x", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    assert not ui(editor).body_edit.canInsertFromMimeData(mime) or ui(editor).body_edit.isReadOnly()
    assert references(editor).chip_names() == ["kept.png"]
    remove = references(editor).chip("kept.png").findChild(QToolButton, "removeAttachment")
    assert remove is not None and remove.isHidden()


# -- the preview -----------------------------------------------------------------------------
def _preview_image(editor: EntryEditor, reference: str) -> object:
    doc = ui(editor).preview.document()
    return doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(reference))


def _image_point(editor: EntryEditor) -> QPoint | None:
    """Where the first picture of the preview is drawn (viewport coordinates)."""
    preview = ui(editor).preview
    doc = preview.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isImageFormat():
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                rect = preview.cursorRect(cursor)
                return QPoint(rect.left() + 10, rect.center().y())
            it += 1
        block = block.next()
    return None


def test_the_preview_shows_pictures_from_the_journal_scaled_and_opens_them_full_size(
    qtbot, editor, services
) -> None:
    entry = services.journal.add("Photo", "Look:")
    _e, (item,) = services.attachments.attach_data(
        entry.id, "wide.jpg", picture(3000, 1000, "#2266aa", fmt="JPEG"), insert=True
    )
    reference = url(item.sha256, item.name)
    editor.load(entry.id)
    qtbot.waitUntil(lambda: _image_point(editor) is not None, timeout=10_000)
    shown = _preview_image(editor, reference)
    assert isinstance(shown, QImage) and shown.width() == PREVIEW_SIDE  # decoded to the size shown
    preview = ui(editor).preview
    assert preview.document().size().width() <= preview.viewport().width() + 1  # fits the pane
    point = _image_point(editor)
    assert point is not None
    qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: _viewer() is not None, timeout=5_000)
    viewer = _viewer()
    qtbot.waitUntil(lambda: not viewer.image().isNull(), timeout=10_000)
    assert (viewer.image().width(), viewer.image().height()) == (3000, 1000)
    viewer.close()


def _viewer():
    from questionbook.ui.dialogs.image_viewer import ImageViewer

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ImageViewer) and widget.isVisible():
            return widget
    return None


def test_pictures_that_cannot_be_shown_say_why_in_the_preview(qtbot, editor, services) -> None:
    entry = services.journal.add("Hostile pictures")
    services.attachments.attach_data(
        entry.id, "bomb.png", png_claiming(100_000, 100_000), insert=True
    )
    body = services.journal.get(entry.id).body + f"\n\n![lost](attachment:{'cd' * 32}/lost.png)"
    services.journal.update(entry.id, body=body)
    editor.load(entry.id)
    preview = ui(editor).preview
    qtbot.waitUntil(lambda: "lost" in preview.toPlainText(), timeout=10_000)
    text = preview.toPlainText()
    assert "bomb.png — the image is too large to show (100000 × 100000 pixels)" in text
    assert "lost.png — the attachment is not in the journal" in text
    assert editor.isEnabled()


def test_an_svg_with_scripts_shows_as_a_drawing_only(qtbot, editor, services, tmp_path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture(40, 40, "#ff0000"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40" onload="alert(1)">'
        "<script>alert(1)</script>"
        f'<image href="{secret.as_uri()}" width="80" height="40"/>'
        '<rect x="20" y="10" width="40" height="20" fill="#00aa00"/></svg>'
    ).encode()
    drawing = tmp_path / "diagram.svg"
    drawing.write_bytes(svg)
    entry = services.journal.add("Diagram")
    _e, (item,) = services.attachments.attach(entry.id, [drawing])
    editor.load(entry.id)
    reference = url(item.sha256, item.name)
    qtbot.waitUntil(lambda: _image_point(editor) is not None, timeout=10_000)
    shown = _preview_image(editor, reference)
    assert isinstance(shown, QImage)
    assert color_at(shown, 40, 20) == "#00aa00"
    assert color_at(shown, 2, 2) != "#ff0000"  # the local file was never drawn


# -- chips -----------------------------------------------------------------------------------
def test_a_chip_opens_a_private_copy_with_the_default_application(
    qtbot, editor, services, opened: _Opened
) -> None:
    entry = services.journal.add("Chips")
    data = b"%PDF-1.4 " + os.urandom(2000)
    services.attachments.attach_data(entry.id, "../../etc/paper.pdf", data, insert=True)
    editor.load(entry.id)
    (name,) = references(editor).chip_names()
    assert name == "paper.pdf"  # "../" never reaches a name
    chip = references(editor).chip(name)
    assert "KB · PDF" in chip.findChild(QWidget, "attachmentDetails").text()  # type: ignore[union-attr]
    chip.findChild(QToolButton, "openAttachment").click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10_000)
    path = Path(opened.urls[0].toLocalFile())
    assert path.name == "paper.pdf" and path.read_bytes() == data
    assert Path(tempfile.gettempdir()) in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_file_link_with_a_hostile_name_opens_only_the_journal_copy(
    qtbot, editor, services, opened: _Opened
) -> None:
    entry = services.journal.add("Hostile link")
    _e, (item,) = services.attachments.attach_data(entry.id, "safe.txt", b"journal bytes")
    services.journal.update(
        entry.id, body=f"[open me](attachment:{item.sha256}/..%2F..%2F..%2Fetc%2Fpasswd)"
    )
    editor.load(entry.id)
    preview = ui(editor).preview
    qtbot.waitUntil(lambda: "open me" in preview.toPlainText(), timeout=10_000)
    preview.anchorClicked.emit(QUrl(f"attachment:{item.sha256}/..%2F..%2F..%2Fetc%2Fpasswd"))
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10_000)
    path = Path(opened.urls[0].toLocalFile())
    assert path.name == "passwd" and path.read_bytes() == b"journal bytes"
    assert Path(tempfile.gettempdir()) in path.parents


def test_removing_a_chip_detaches_the_file_and_its_reference(
    qtbot, editor, services, ops, answers: ModalAnswers
) -> None:
    entry = services.journal.add("Remove me", "Intro")
    _e, (item,) = services.attachments.attach_data(entry.id, "old.png", picture(8, 8), insert=True)
    editor.load(entry.id)
    assert "attachment:" in ui(editor).body_edit.toPlainText()
    answers.queue(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    references(editor).chip("old.png").findChild(QToolButton, "removeAttachment").click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: references(editor).chip_names() == [], timeout=10_000)
    settle(qtbot, ops)
    qtbot.waitUntil(lambda: "attachment:" not in ui(editor).body_edit.toPlainText())
    assert ui(editor).body_edit.toPlainText().rstrip() == "Intro"
    assert services.journal.get(entry.id).body.rstrip() == "Intro"
    assert services.attachments.resolve(url(item.sha256, item.name)).problem  # bytes freed
    assert not references(editor).chips.isVisible()


def test_cancelling_the_removal_keeps_the_file(
    qtbot, editor, services, ops, answers: ModalAnswers
) -> None:
    entry = services.journal.add("Keep me")
    services.attachments.attach_data(entry.id, "keep.png", picture(8, 8), insert=True)
    editor.load(entry.id)
    answers.queue(lambda box: box.button(QMessageBox.StandardButton.Cancel).click())
    references(editor).chip("keep.png").findChild(QToolButton, "removeAttachment").click()  # type: ignore[union-attr]
    settle(qtbot, ops)
    assert [a.name for a in services.attachments.attached(entry.id)] == ["keep.png"]
    assert references(editor).chip_names() == ["keep.png"]
