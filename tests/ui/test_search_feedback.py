"""The search box says what it cannot use, and highlights only what it matched (issue 12,
#14): "kind:foo" is named with the values it takes, while typing goes on; "the" is marked in
"the" and "The", never inside "father"; Chinese still matches inside a run of characters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.views import highlight_spans
from tests.ui.parts import journal_changed, list_of, part

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> MainWindow:
    win = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=60_000
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _search(qtbot, window: MainWindow, text: str) -> None:
    box = list_of(window).search
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    if text.isascii():
        qtbot.keyClicks(box, text)
    else:
        box.insert(text)  # as an input method commits it (QTest types ASCII only)
    box.flush()


def test_a_bad_operator_is_named_under_the_search_box(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("A plan about elevators", kind="plan")
    journal.add("A question about elevators")
    journal_changed(window)
    window.show_view("all")
    problem = part(list_of(window), QLabel, "searchProblem")
    assert not problem.isVisible()

    _search(qtbot, window, "kind:foo elev")
    assert problem.isVisible()
    assert "kind:foo" in problem.text()
    assert "question, plan, note" in problem.text()  # the values it takes
    assert list_of(window).model.entry_count() == 2  # the rest still searches
    assert list_of(window).search.hasFocus()  # typing was not interrupted
    qtbot.keyClicks(list_of(window).search, "ator")
    assert list_of(window).search.text() == "kind:foo elevator"

    _search(qtbot, window, "hardness>=9")
    assert "hardness>=9" in problem.text() and "summit" in problem.text()

    _search(qtbot, window, "kind:plan elev")
    assert not problem.isVisible()
    assert list_of(window).model.entry_count() == 1


def test_highlights_whole_words_and_prefixes_but_chinese_anywhere(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("The father of the bride")
    journal.add("为什么电梯里有镜子？")
    journal_changed(window)
    window.show_view("all")
    _search(qtbot, window, "the")
    model = list_of(window).model
    [row] = [r for r in range(model.rowCount()) if model.summary(r)]
    title = model.summary(row).title
    terms = model.index(row).data(EntryListModel.HighlightRole)
    marked = [title[a:b] for a, b in highlight_spans(title, terms)]
    assert marked == ["The", "the"]  # not the "the" inside "father"
    assert [title[a:b] for a, b in highlight_spans(title, ["fath"])] == ["fath"]

    _search(qtbot, window, "电梯")
    [row] = [r for r in range(model.rowCount()) if model.summary(r)]
    title = model.summary(row).title
    terms = model.index(row).data(EntryListModel.HighlightRole)
    assert [title[a:b] for a, b in highlight_spans(title, terms)] == ["电梯"]
