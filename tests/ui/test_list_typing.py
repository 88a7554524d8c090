"""Search as you type off the UI thread, counts after a pause, and compact list rows (issue 21)."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication, QLineEdit

from questionbook.core.journal import Journal
from questionbook.core.query import Query, parse_query
from questionbook.exchange.api import import_path
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.item_models.list_row import SNIPPET_COLUMNS, ListRow, cap_columns, pack_id
from questionbook.ui.match_counter import MatchCounter
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.entry_list import EntryListPane

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def pane(qtbot, journal: Journal) -> EntryListPane:
    widget = EntryListPane(journal, lambda: date(2026, 11, 25))
    qtbot.addWidget(widget)
    widget.resize(500, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _fill(journal: Journal, folder: Path, n: int = 300) -> None:
    lines = []
    for i in range(n):
        topic = "elevators" if i % 3 == 0 else "tides"
        lines.append(f"[2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}] Q{i} {topic}?\n")
    path = folder / "bulk.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert import_path(journal, path, "jrnl").added == n


def _titles(pane: EntryListPane) -> list[str]:
    model = pane.model
    return [s.title for s in (model.summary(r) for r in range(model.rowCount())) if s]


def test_a_typed_search_is_read_off_the_ui_thread_and_the_old_rows_stay_meanwhile(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    _fill(journal, tmp_path)
    pane.show_view("all")
    before = _titles(pane)
    finders: list[str] = []
    original_find = journal.find

    def find(*args, **kwargs):  # the real query, noting the thread it runs on
        finders.append(threading.current_thread().name)
        return original_find(*args, **kwargs)

    journal.find = find  # type: ignore[method-assign]
    seen_at_the_pause: list[list[str]] = []
    # Connected after the pane: runs right after it handled the paused typing.
    pane.search.query_changed.connect(lambda _q: seen_at_the_pause.append(_titles(pane)))
    with qtbot.waitSignal(pane.results_shown, timeout=5000):
        qtbot.keyClicks(pane.search, "elev")
    assert seen_at_the_pause == [before]  # nothing was read on the UI thread
    assert finders and threading.main_thread().name not in finders
    assert all("elevators" in t for t in _titles(pane))
    assert pane.model.highlight_terms == ("elev",)
    assert pane.model.query == parse_query("elev")


def test_only_the_latest_typed_page_is_shown(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    _fill(journal, tmp_path)
    pane.show_view("all")
    shown: list[str] = []
    pane.results_shown.connect(lambda: shown.append(pane.model.highlight_terms[0]))
    for text in ("t", "ti", "tid", "tide", "tides"):
        pane.search.setText(text)
        pane.search.settle()  # as if the debounce ran out after each letter
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == "tides", timeout=5000)
    qtbot.waitUntil(lambda: not pane.reader.is_busy(), timeout=5000)
    assert shown[-1] == "tides" and all(t == "tides" for t in shown)  # stale pages dropped
    assert all("tides" in t for t in _titles(pane))


def test_enter_still_searches_at_once(qtbot, pane: EntryListPane, journal: Journal) -> None:
    journal.add("Why do elevators have mirrors?")
    journal.add("Learn to swim")
    pane.show_view("all")
    pane.search.setText("swim")
    pane.search.flush()  # Enter: the results are wanted now
    assert _titles(pane) == ["Learn to swim"]


def test_typing_counts_once_after_the_pause(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    _fill(journal, tmp_path, n=600)  # more than a page: the total must be counted
    pane.show_view("all")
    qtbot.waitUntil(lambda: not pane.counter.is_busy(), timeout=5000)
    counts: list[int] = []
    pane.counter.counted.connect(lambda _ticket, n: counts.append(n))
    for text in ("t", "ti", "tid"):
        pane.search.setText(text)
        pane.search.flush()
        assert not pane.counter.is_counting()  # waiting for the pause, not counting
        assert pane.counter.is_busy()
    qtbot.waitUntil(lambda: pane.total() == 400, timeout=5000)
    qtbot.waitUntil(lambda: bool(counts), timeout=5000)  # the test's own slot may come second
    assert counts == [400]  # one count, of the last text
    assert pane.count.text() == "400"


def test_a_count_that_waits_for_a_pause_is_not_started_by_a_running_one(
    qtbot, journal: Journal
) -> None:
    journal.add("elevators")
    counter = MatchCounter(journal)
    got: list[tuple[int, int]] = []
    counter.counted.connect(lambda ticket, n: got.append((ticket, n)))
    counter.request(parse_query("nothing"))
    later = counter.request(parse_query("elevators"), after_ms=200)
    qtbot.waitUntil(lambda: (later, 1) in got, timeout=5000)
    assert [n for _t, n in got] in ([0, 1], [1])
    counter.close()


def test_rows_are_compact_and_say_the_same(qtbot, journal: Journal) -> None:
    long_chinese = "水位上涨的时候我们该做什么呢" * 20
    first = journal.add("电梯 Elevators", long_chinese, tags=["ai", "家庭"])
    second = journal.add("Second", "English words " * 30, tags=["ai", "家庭"])
    model = EntryListModel(journal, page_size=1)
    model.set_query(Query())
    model.fetchMore(QModelIndex())  # the second page's snippets are made at once
    rows = [model.list_row(r) for r in range(2)]
    assert all(isinstance(r, ListRow) for r in rows)
    assert rows[0].tags is rows[1].tags  # one tuple for the same tags
    for entry in (first, second):
        summary = model.summary(model.row_of(entry.id))
        assert summary is not None
        assert summary.id == entry.id and summary.title == entry.title
        assert summary.created_at == entry.created_at  # to the microsecond
        assert summary.updated_at == entry.updated_at
        assert summary.tags == ("ai", "家庭")
    chinese = model.summary(model.row_of(first.id))
    assert chinese is not None
    assert chinese.head.startswith("水位上涨") and chinese.head.endswith("…")
    assert len(chinese.head) * 2 <= SNIPPET_COLUMNS + 2  # Chinese takes two columns


def test_ids_are_packed_only_when_they_come_back_the_same() -> None:
    uuid = "0000d6db-d061-433b-a905-9d49e80b472b"
    assert pack_id(uuid) == bytes.fromhex(uuid.replace("-", ""))
    for other in ("0000D6DB-D061-433B-A905-9D49E80B472B", "imported-1", "x" * 36):
        assert pack_id(other) == other


def test_cap_columns_counts_wide_characters_twice() -> None:
    assert cap_columns("abc", 4) == "abc"
    assert cap_columns("abcdefgh", 4) == "abc…"
    assert cap_columns("水位上涨", 4) == "水…"
    assert cap_columns("水位", 4) == "水位"


def test_typing_in_the_capture_box_does_no_list_work(
    qtbot, pane: EntryListPane, journal: Journal, tmp_path: Path
) -> None:
    _fill(journal, tmp_path)
    pane.show_view("all")
    qtbot.waitUntil(lambda: not pane.counter.is_busy(), timeout=5000)
    finds: list[object] = []
    original_find, original_find_as = journal.find, journal.find_as
    journal.find = lambda *a, **k: finds.append(a) or original_find(*a, **k)  # type: ignore[method-assign]
    journal.find_as = lambda *a, **k: finds.append(a) or original_find_as(*a, **k)  # type: ignore[method-assign]
    line = pane.capture.findChild(QLineEdit, "captureLine")
    assert line is not None
    with (
        qtbot.assertNotEmitted(pane.model.modelReset),
        qtbot.assertNotEmitted(pane.model.dataChanged),
        qtbot.assertNotEmitted(pane.counter.counted),
    ):
        qtbot.keyClicks(line, "elevators and tides")
        qtbot.wait(50)
    assert finds == []
    assert not pane.reader.is_busy() and not pane.counter.is_busy()


def test_a_change_announced_while_a_page_is_read_reads_it_again(
    qtbot, journal: Journal, tmp_path: Path
) -> None:
    _fill(journal, tmp_path, n=60)  # 40 mention tides: one page holds them all
    ops = Operations(journal.db.path)
    pane = EntryListPane(journal, lambda: date(2026, 11, 25), ops=ops)
    qtbot.addWidget(pane)
    pane.show()
    pane.show_view("all")
    pane.search.setText("tides")
    pane.search.settle()
    deadline = time.monotonic() + 5
    while pane.reader.is_busy() and time.monotonic() < deadline:
        time.sleep(0.001)  # read, but not yet delivered: the event loop has not turned
    fresh = journal.add("A newer question about tides")
    ops.announce(Changes.everything())
    qtbot.waitUntil(lambda: fresh.title in _titles(pane), timeout=5000)
    qtbot.waitUntil(lambda: not pane.reader.is_busy(), timeout=5000)
    QApplication.processEvents()  # a stale page still on its way is delivered now
    assert fresh.title in _titles(pane) and len(_titles(pane)) == 41
    pane.shutdown()
    ops.close()
