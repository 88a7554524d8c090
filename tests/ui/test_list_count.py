"""The list header counts every entry the query matches, while only a page of them is loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication

from questionbook.core.journal import Journal
from questionbook.exchange.api import import_path
from questionbook.ui.item_models.entry_list_model import PAGE_SIZE
from questionbook.ui.locale_format import format_number
from questionbook.ui.widgets.entry_list import EntryListPane

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
N = 3000


def fill(journal: Journal, folder: Path, n: int = N) -> None:
    """*n* entries in one import (one transaction: seconds faster than *n* adds); every third
    one mentions elevators."""
    lines = []
    for i in range(n):
        topic = "elevators" if i % 3 == 0 else "tides"
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}"
        lines.append(f"[{day}] Question {i} about {topic}?\nSome thoughts.\n")
    path = folder / "bulk.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert import_path(journal, path, "jrnl").added == n


@pytest.fixture
def pane(qtbot, journal: Journal) -> EntryListPane:
    widget = EntryListPane(journal, lambda: date(2026, 11, 25))
    qtbot.addWidget(widget)
    widget.resize(500, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_the_header_shows_the_exact_count_with_one_page_loaded(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    fill(journal, tmp_path)
    with qtbot.waitSignal(pane.counter.counted, timeout=5000):
        pane.show_view("all")
    assert pane.count.text() == format_number(N)
    assert pane.model.rowCount() == PAGE_SIZE  # the rows are still loaded a page at a time
    assert pane.model.canFetchMore(QModelIndex())

    with qtbot.waitSignal(pane.counter.counted, timeout=5000):
        pane.search.setText("elevators")
        pane.search.flush()
    assert pane.count.text() == format_number(N // 3) == format_number(journal.count("elevators"))
    assert pane.model.entry_count() == PAGE_SIZE

    qtbot.waitUntil(lambda: not pane.counter.is_busy(), timeout=5000)
    with qtbot.assertNotEmitted(pane.counter.counted):  # scrolling does not recount:
        pane.model.fetchMore(QModelIndex())
        pane.model.fetchMore(QModelIndex())
        assert not pane.counter.is_busy()  # a count would be running (or queued) now
    assert pane.model.entry_count() > PAGE_SIZE
    assert pane.count.text() == format_number(N // 3)


def test_a_list_that_fits_is_counted_without_a_query(
    qtbot, pane: EntryListPane, journal: Journal
) -> None:
    for i in range(5):
        journal.add(f"Plan {i}", kind="plan")
    journal.add("A question")
    with qtbot.assertNotEmitted(pane.counter.counted):
        pane.show_view("plans")
        assert not pane.counter.is_busy()  # known from the rows loaded: nothing to count
    assert pane.count.text() == "5"
    assert pane.total() == 5
    pane.search.setText("nothing matches this")
    pane.search.flush()
    assert pane.count.text() == ""
    assert pane.total() == 0


def test_typing_fast_counts_only_the_latest_query(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    fill(journal, tmp_path)
    pane.show_view("all")
    counts: list[int] = []
    pane.counter.counted.connect(lambda _ticket, n: counts.append(n))
    for text in ("t", "ti", "tid", "tide", "tides"):
        pane.search.setText(text)
        pane.search.flush()
    qtbot.waitUntil(lambda: pane.count.text() == format_number(N - N // 3), timeout=5000)
    qtbot.waitUntil(lambda: not pane.counter.is_busy(), timeout=5000)
    QApplication.processEvents()  # a stale count still on its way is delivered now
    assert pane.count.text() == format_number(N - N // 3)
    assert pane.total() == N - N // 3
    assert counts[-1] == N - N // 3  # stale counts may arrive first; they are not shown
