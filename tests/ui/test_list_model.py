"""The entry list model: lazy paging, Qt's model tester, sections, refresh."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtTest import QAbstractItemModelTester

from questionbook.core.journal import Journal
from questionbook.core.query import Query, parse_query
from questionbook.ui.item_models.entry_list_model import EntryListModel, SectionHeader


def _fill(journal: Journal, n: int) -> None:
    for i in range(n):
        journal.add(f"Question {i}", "body " * 200, hardness=i % 5, tags=["t"])


def test_model_passes_tester_and_fetches_lazily(qtbot, journal: Journal) -> None:
    _fill(journal, 25)
    model = EntryListModel(journal, page_size=10)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_query(Query())
    assert model.rowCount() == 10
    assert model.canFetchMore(QModelIndex())
    assert model.rowCount() == 10  # asking does not load
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 25
    assert not model.canFetchMore(QModelIndex())


def test_rows_carry_only_the_head(qtbot, journal: Journal) -> None:
    journal.add("Long one", "x" * 5000)
    model = EntryListModel(journal)
    model.set_query(Query())
    summary = model.data(model.index(0), EntryListModel.SummaryRole)
    assert summary.title == "Long one"
    assert len(summary.head) <= 400


def test_submerged_role_follows_waterline(qtbot, journal: Journal) -> None:
    low = journal.add("Easy", hardness=0)
    journal.add("Hard", hardness=4)
    model = EntryListModel(journal)
    model.set_query(Query())
    row = model.row_of(low.id)
    assert model.data(model.index(row), EntryListModel.SubmergedRole) is True
    assert model.data(model.index(1 - row), EntryListModel.SubmergedRole) is False


def test_refresh_picks_up_new_rows_and_keeps_loaded_count(qtbot, journal: Journal) -> None:
    _fill(journal, 15)
    model = EntryListModel(journal, page_size=10)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_query(Query())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 15
    journal.add("Fresh")
    model.refresh()
    assert model.data(model.index(0)) == "Fresh"
    assert model.rowCount() == 15  # the loaded window stays the same size ...
    assert model.canFetchMore(QModelIndex())  # ... and the rest is one fetch away
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 16


def test_sections_have_unselectable_headers(qtbot, journal: Journal) -> None:
    a = journal.add("A")
    model = EntryListModel(journal)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_sections(
        lambda: [
            (SectionHeader("Earlier"), journal.summaries([a.id])),
            (SectionHeader("Empty"), []),
        ]
    )
    assert model.rowCount() == 2  # empty sections are dropped
    assert model.data(model.index(0), EntryListModel.HeaderRole) == "Earlier"
    assert not model.flags(model.index(0)) & model.flags(model.index(1)).ItemIsSelectable
    assert model.entry_count() == 1


def test_snippet_moves_to_the_match(qtbot, journal: Journal) -> None:
    journal.add("Far", "lorem ipsum " * 30 + "elevator at the end")
    model = EntryListModel(journal)
    model.set_query(parse_query("elevator"))
    snippet = model.data(model.index(0), EntryListModel.SnippetRole)
    assert "elevator" in snippet
    assert snippet.startswith("…")
    assert model.data(model.index(0), EntryListModel.HighlightRole) == ("elevator",)


def test_pages_grow_with_the_rows_loaded(qtbot, journal: Journal) -> None:
    """Each insertion costs the view a pass over its rows, so pages double: few fetches."""
    _fill(journal, 70)
    model = EntryListModel(journal, page_size=10)
    model.set_query(Query())
    sizes = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        sizes.append(model.rowCount())
    assert sizes == [10, 20, 40, 70]


def test_refresh_entries_updates_one_row_in_place(qtbot, journal: Journal) -> None:
    _fill(journal, 5)
    model = EntryListModel(journal)
    model.set_query(Query())
    target = model.summary(2)
    assert target is not None
    journal.update(target.id, title="Renamed", hardness=0)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        assert model.refresh_entries([target.id])
    assert model.summary(2).title == "Renamed"  # type: ignore[union-attr]
    journal.delete(target.id)
    assert not model.refresh_entries([target.id])  # it left the view: a full refresh is due
