"""Thumbnails on list rows of entries with pictures (issue 18): looked up lazily for the rows in
sight, off the GUI thread, cached, refreshed when an entry changes; hostile pictures get none."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage

from questionbook.services import Services
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.entry_list import EntryListPane
from tests.ui.pictures import color_at, picture, png_claiming

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


@pytest.fixture
def pane(qtbot, services: Services, ops: Operations) -> Iterator[EntryListPane]:
    widget = EntryListPane(
        services.journal, lambda: date(2026, 11, 25), ops=ops, attachments=services.attachments
    )
    qtbot.addWidget(widget)
    widget.resize(520, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _row_image(pane: EntryListPane, entry_id: str) -> QImage:
    row = pane.model.row_of(entry_id)
    rect = pane.list.visualRect(pane.model.index(row))
    return pane.list.viewport().grab(rect).toImage()


def test_a_row_with_a_picture_shows_it_and_a_row_without_shows_none(
    qtbot, pane: EntryListPane, services: Services
) -> None:
    with_picture = services.journal.add("With a picture", "A green field")
    services.attachments.attach_data(
        with_picture.id, "field.png", picture(300, 200, "#22aa22"), insert=True
    )
    plain = services.journal.add("Without", "Just words")
    pane.show_view("all")
    thumbs = pane.thumbnails
    assert thumbs is not None
    qtbot.waitUntil(lambda: thumbs.pixmap(with_picture.id) is not None, timeout=5_000)
    qtbot.waitUntil(lambda: thumbs.has_picture(plain.id) is False, timeout=5_000)
    assert thumbs.pixmap(plain.id) is None
    image = _row_image(pane, with_picture.id)
    greens = [
        x for x in range(image.width()) if color_at(image, x, image.height() // 2 + 6) == "#22aa22"
    ]
    assert greens and min(greens) > image.width() // 2  # at the right of the row
    plain_image = _row_image(pane, plain.id)
    assert not any(
        color_at(plain_image, x, plain_image.height() // 2 + 6) == "#22aa22"
        for x in range(plain_image.width())
    )


def test_only_the_rows_in_sight_are_looked_up_and_never_on_the_gui_thread(
    qtbot, pane: EntryListPane, services: Services, monkeypatch
) -> None:
    for i in range(120):
        services.journal.add(f"Entry {i}")
    asked: list[list[str]] = []
    threads: list[threading.Thread] = []
    real = services.attachments.first_images

    def first_images(ids: list[str]) -> object:
        asked.append(list(ids))
        threads.append(threading.current_thread())
        return real(ids)

    monkeypatch.setattr(services.attachments, "first_images", first_images)
    pane.show_view("all")
    thumbs = pane.thumbnails
    assert thumbs is not None
    first = pane.model.summary(0)
    assert first is not None
    qtbot.waitUntil(lambda: thumbs.has_picture(first.id) is False, timeout=5_000)
    looked_up = {i for batch in asked for i in batch}
    visible = pane.list.viewport().height() // pane.list.sizeHintForRow(0) + 2
    assert 0 < len(looked_up) <= visible < 120
    assert all(t is not threading.main_thread() for t in threads)


def test_a_picture_added_later_appears_and_a_hostile_one_gets_none(
    qtbot, pane: EntryListPane, services: Services, ops: Operations
) -> None:
    bomb = services.journal.add("A bomb")
    services.attachments.attach_data(bomb.id, "bomb.png", png_claiming(100_000, 100_000))
    later = services.journal.add("Later")
    pane.show_view("all")
    thumbs = pane.thumbnails
    assert thumbs is not None
    qtbot.waitUntil(lambda: thumbs.has_picture(bomb.id) is True, timeout=5_000)
    assert thumbs.pixmap(bomb.id) is None  # refused before decoding: no thumbnail, no crash
    qtbot.waitUntil(lambda: thumbs.has_picture(later.id) is False, timeout=5_000)
    services.attachments.attach_data(later.id, "sun.png", picture(50, 50, "#ffaa00"))
    ops.announce(Changes.of(later.id))  # the paste's operation says so
    qtbot.waitUntil(lambda: thumbs.pixmap(later.id) is not None, timeout=5_000)
    pixmap = thumbs.pixmap(later.id)
    assert pixmap is not None
    assert color_at(pixmap.toImage(), 5, 5) == "#ffaa00"
    assert pane.list.indexAt(QPoint(5, 5)).isValid()
