"""The Still mine page: every "still mine" line, grouped by tag, each opening its entry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget

from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.pages.still_mine_page import ID_ROLE, StillMinePage
from tests.ui.parts import part

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


def tree_texts(page: StillMinePage) -> list[tuple[str, list[str]]]:
    tree = part(page, QTreeWidget, "stillMineTree")
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        out.append((top.text(0), [top.child(j).text(0) for j in range(top.childCount())]))
    return out


def test_lines_grouped_by_tag_and_opened(qtbot, journal: Journal, ops) -> None:
    page = StillMinePage(journal, ops=ops)
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentWidget() is page.empty  # nothing yet: it says how lines come
    grandma = journal.add("Teach grandma to video-call #family #teaching", hardness=1)
    poem = journal.add("Translate a Tang poem #poetry", hardness=1)
    journal.add("No line here #family")
    journal.update(grandma.id, still_mine="Her patience")
    journal.update(poem.id, still_mine="哪种节奏像我自己的声音")
    ops.announce(Changes.everything())
    assert tree_texts(page) == [
        ("#family  (1)", ["Her patience   —  Teach grandma to video-call #family #teaching"]),
        ("#poetry  (1)", ["哪种节奏像我自己的声音   —  Translate a Tang poem #poetry"]),
        ("#teaching  (1)", ["Her patience   —  Teach grandma to video-call #family #teaching"]),
    ]
    tree = part(page, QTreeWidget, "stillMineTree")
    item = tree.topLevelItem(1).child(0)  # type: ignore[union-attr]
    assert item.data(0, ID_ROLE) == poem.id
    with qtbot.waitSignal(page.entry_open_requested) as opened:
        tree.itemActivated.emit(item, 0)
    assert opened.args == [poem.id]
    assert item.toolTip(0).startswith("哪种节奏")
    assert Qt.ItemFlag.ItemIsSelectable not in tree.topLevelItem(0).flags()  # type: ignore[union-attr]


def test_an_untagged_line_comes_last_and_the_page_reads_only_when_shown(
    qtbot, journal: Journal, ops
) -> None:
    page = StillMinePage(journal, ops=ops)
    qtbot.addWidget(page)
    entry = journal.add("Choose the wedding stories", hardness=0)
    journal.update(entry.id, still_mine="which stories, to whom")
    ops.announce(Changes.of(entry.id))
    assert page.groups() == []  # hidden: nothing read yet
    page.show()
    assert tree_texts(page) == [
        ("Without a tag  (1)", ["which stories, to whom   —  Choose the wedding stories"])
    ]
