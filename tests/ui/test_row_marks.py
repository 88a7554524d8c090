"""List rows show the tide seal and reach (issue 17); the search help lists every operator."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from questionbook.core.journal import Journal
from questionbook.core.query import Quadrant, parse_query
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.widgets.entry_list import EntryListView
from questionbook.ui.widgets.row_marks import SEAL_COLOR, row_marks
from questionbook.ui.widgets.search_bar import SearchBar, search_help


def test_rows_carry_and_say_the_seal_and_reach(qtbot, journal: Journal) -> None:
    sealed = journal.add("Ask me again at Highlands", hardness=3, reach=2)
    journal.update(sealed.id, seal_until=3)
    plain = journal.add("Nothing special")
    model = EntryListModel(journal)
    model.set_query(parse_query(""))
    row = model.row_of(sealed.id)
    summary = model.summary(row)
    assert summary is not None
    assert (summary.reach, summary.seal_level, summary.seal_waterline) == (2, 3, 1)
    marks = row_marks(summary, model.waterline)
    assert [(m.icon, m.text) for m in marks] == [("seal", "Highlands"), (None, "Reach: On tiptoe")]
    tip = model.data(model.index(row), Qt.ItemDataRole.ToolTipRole)
    assert "Sealed until the water reaches Highlands" in str(tip)
    assert row_marks(model.summary(model.row_of(plain.id)), 1) == []  # type: ignore[arg-type]
    journal.set_waterline(3)
    model.refresh()
    tip = model.data(model.index(model.row_of(sealed.id)), Qt.ItemDataRole.ToolTipRole)
    assert "the tide came" in str(tip)


def test_a_sealed_row_paints(qtbot, journal: Journal) -> None:
    entry = journal.add("Sealed and far", hardness=4, reach=4)
    journal.update(entry.id, seal_until=4)
    view = EntryListView()
    qtbot.addWidget(view)
    model = EntryListModel(journal)
    model.set_query(parse_query(""))
    view.setModel(model)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    seal = QColor(SEAL_COLOR)

    def near(c: QColor) -> bool:
        return (
            abs(c.red() - seal.red()) + abs(c.green() - seal.green()) + abs(c.blue() - seal.blue())
            < 40
        )

    hits = sum(
        near(image.pixelColor(x, y))
        for x in range(image.width())
        for y in range(0, min(image.height(), 90))
    )
    assert hits >= 6  # the seal's mark is painted in its colour


def test_search_help_lists_every_operator_and_each_one_works(qtbot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    text = search_help()
    assert bar.toolTip() == text
    for operator in ("reach>=3", "is:sealed", "has:trial", "verdict:failed", "links:ID"):
        assert operator in text
    for q in Quadrant:
        assert f"is:{q.value}" in text
    for token in re.findall(r"[a-z-]+(?::|>=)[^\s,]+", text):
        value = token.replace("YYYY-MM-DD", "2026-01-01").replace("ID", "abcd")
        if value.startswith(("links:", "linked-from:")):
            continue  # needs an entry with that id
        assert parse_query(value).problems == [], token
