"""Sidebar counts and tags follow the journal."""

from __future__ import annotations

import pytest

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.sidebar import Sidebar
from tests.ui.parts import list_of, sidebar_of, status_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_counts_and_tags(qtbot, services: Services, app_paths: AppPaths) -> None:
    journal: Journal = services.journal
    journal.add("Q1 #ai", hardness=0)
    journal.add("Q2 #ai #家庭", hardness=4, starred=True)
    journal.add("P1", kind="plan")
    gone = journal.add("N1", kind="note")
    journal.delete(gone.id)
    window = MainWindow(journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(window)
    sidebar = sidebar_of(window)
    qtbot.waitUntil(lambda: sidebar.count_text("all") == "3", timeout=3000)  # counted off-thread
    assert sidebar.count_text("questions") == "2"
    assert sidebar.count_text("plans") == "1"
    assert sidebar.count_text("notes") == ""  # zero shows nothing
    assert sidebar.count_text("starred") == "1"
    assert sidebar.count_text("submerged") == "1"  # hardness 0 under the default waterline 1
    assert sidebar.count_text("trash") == "1"
    assert sidebar.count_text("tag:ai") == "2"
    assert sidebar.count_text("tag:家庭") == "1"
    assert status_of(window).counts.text().startswith("3 entries")
    window.show_view("tag:家庭")
    model = list_of(window).model
    assert [model.summary(r).title for r in range(model.rowCount())] == ["Q2 #ai #家庭"]
    window.close()


def test_selecting_a_row_emits_its_key(qtbot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    with qtbot.waitSignal(sidebar.view_selected) as blocker:
        assert sidebar.select("plans")
    assert blocker.args == ["plans"]
    assert not sidebar.select("no-such-view")


def test_the_sidebar_widens_for_longer_counts_and_titles(qtbot) -> None:
    """Its width is measured once per change (issue 21), so every change must re-measure."""
    from PySide6.QtGui import QFont

    from questionbook.core.entities import JournalStats

    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    small = JournalStats(
        total=1, by_kind={"question": 1}, starred=0, submerged=0, trash=0, waterline=2
    )
    sidebar.set_counts(small, today=1)
    narrow = sidebar.minimumSizeHint().width()
    assert sidebar.minimumSizeHint().width() == narrow  # asked again: the same
    big = JournalStats(
        total=123456789, by_kind={"question": 1}, starred=0, submerged=0, trash=0, waterline=2
    )
    sidebar.set_counts(big, today=1)
    wider = sidebar.minimumSizeHint().width()
    assert wider > narrow
    sidebar.add_page("long", "A page with a very much longer title than any view", "review")
    assert sidebar.minimumSizeHint().width() > wider
    widest = sidebar.minimumSizeHint().width()
    font = QFont(sidebar.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    sidebar.setFont(font)
    assert sidebar.minimumSizeHint().width() > widest
