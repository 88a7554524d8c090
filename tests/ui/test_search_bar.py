"""The search bar waits for typing to pause, then emits the query once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from questionbook.ui.views import highlight_spans, snippet_for, view_for, view_query
from questionbook.ui.widgets.search_bar import SearchBar


def test_debounced_single_emit(qtbot) -> None:
    bar = SearchBar(debounce_ms=30)
    qtbot.addWidget(bar)
    seen: list[str] = []
    bar.query_changed.connect(seen.append)
    qtbot.keyClicks(bar, "elev")
    assert seen == []  # nothing while typing
    qtbot.waitUntil(lambda: seen == ["elev"], timeout=1000)
    qtbot.keyClick(bar, Qt.Key.Key_Escape)
    assert seen == ["elev", ""]


def test_view_query_keeps_search_inside_view() -> None:
    q = view_query(view_for("questions"), "kind:plan grok")
    assert q.kinds == ["-"]  # a plan inside Questions finds nothing
    assert q.terms == ["grok"]
    q = view_query(view_for("tag:阅读"), "")
    assert q.tags == ["阅读"]
    assert view_query(view_for("starred"), "x").starred is True


def test_snippet_and_highlight_helpers() -> None:
    head = "word " * 40 + "the elevator is here #tag"
    snippet = snippet_for(head, ["elevator"], length=60)
    assert "elevator" in snippet and "#tag" not in snippet
    assert highlight_spans("Elevator and elevators", ["elev"]) == [(0, 4), (13, 17)]
    assert highlight_spans("电梯和电梯", ["电梯"]) == [(0, 2), (3, 5)]
