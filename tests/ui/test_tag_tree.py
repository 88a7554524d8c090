"""Nested tags in the sidebar and renaming them from it (issue 19)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from questionbook.core import entry_sql
from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.counts_loader import CountsLoader
from questionbook.ui.dialogs.tag_rename_dialog import TagRenameDialog
from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Operations
from tests.ui.parts import list_of, settle, sidebar_of
from tests.ui.writing_helpers import assembled_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _counts_now(window: MainWindow) -> None:
    loader = window.findChild(CountsLoader)
    assert loader is not None
    loader.load_now()


def _fill(journal: Journal) -> dict[str, str]:
    ids = {
        "both": journal.add("Grokking and ML #ml #ml/grokking").id,
        "grok": journal.add("Why the sudden jump? #ml/grokking").id,
        "deep": journal.add("Depth #ml/deep").id,
        "phys": journal.add("天空为什么是蓝的？ #学习/物理").id,
        "ops": journal.add("Not under ml #ml-ops").id,
    }
    journal.delete(journal.add("Trashed #ml/grokking").id)
    return ids


def test_the_sidebar_shows_a_tree_with_subtree_counts_and_folds(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    ids = _fill(services.journal)
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        _counts_now(window)
        sidebar = sidebar_of(window)
        assert sidebar.count_text("tag:ml") == "3"  # each entry once, the Trash left out
        assert sidebar.count_text("tag:ml/grokking") == "2"
        assert sidebar.count_text("tag:学习") == "1" and sidebar.count_text("tag:学习/物理") == "1"
        assert sidebar.tag_children("ml") == ["ml/grokking", "ml/deep"]  # most used first
        assert not sidebar.is_tag_expanded("ml")  # folded until the user opens it
        assert sidebar.set_tag_expanded("ml", True)
        services.journal.add("One more #ml/deep")
        _counts_now(window)  # the counts are read again: the fold stays as the user left it
        assert sidebar.is_tag_expanded("ml") and sidebar.count_text("tag:ml") == "4"

        assert window.show_view("tag:ml")  # clicking a parent lists its whole subtree
        listed = {
            list_of(window).model.summary(r).id for r in range(list_of(window).model.rowCount())
        }
        assert {ids["both"], ids["grok"], ids["deep"]} <= listed and ids["ops"] not in listed
        sidebar.set_tag_expanded("学习", False)
        assert window.show_view("tag:学习/物理")  # a nested tag selected: its parents unfold
        assert sidebar.is_tag_expanded("学习")


def test_the_tag_menu_offers_a_rename(qtbot, services: Services, app_paths: AppPaths) -> None:
    _fill(services.journal)
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        _counts_now(window)
        menu = sidebar_of(window).tag_menu("tag:ml/grokking")
        assert menu is not None and sidebar_of(window).tag_menu("today") is None
        rename = [a for a in menu.actions() if a.objectName() == "renameTag"]
        with qtbot.waitSignal(window.tag_rename_requested) as asked:
            rename[0].trigger()
        assert asked.args == ["ml/grokking"]
        dialog = QApplication.activeModalWidget() or window.findChild(TagRenameDialog)
        assert isinstance(dialog, TagRenameDialog) and dialog.name.text() == "ml/grokking"
        dialog.reject()


def test_renaming_a_parent_renames_the_subtree_and_the_window_follows(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    ids = _fill(services.journal)
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        _counts_now(window)
        assert window.show_view("tag:ml")
        window.tag_rename_requested.emit("ml")
        dialog = window.findChild(TagRenameDialog)
        assert dialog is not None
        dialog.name.setText("machine-learning")
        with qtbot.waitSignal(dialog.renamed, timeout=10_000) as done:
            dialog.run()
        assert done.args[0].entries == 4  # the entry in the Trash too
        assert services.journal.get(ids["both"]).title == (
            "Grokking and ML #machine-learning #machine-learning/grokking"
        )
        qtbot.waitUntil(lambda: window.current_view_key() == "tag:machine-learning", timeout=5000)
        assert sidebar_of(window).count_text("tag:machine-learning/grokking") == "2"
        assert "tag:ml" not in sidebar_of(window).keys()  # noqa: SIM118 - keys() is the sidebar's method
        assert "Renamed #ml to #machine-learning" in window.statusBar().currentMessage()


def test_a_rename_the_service_refuses_is_said_in_the_dialog(qtbot, services: Services) -> None:
    _fill(services.journal)
    journal = services.journal
    ops = Operations(journal.db.path)
    dialog = TagRenameDialog("ml", journal, services.tags, ops, known=["ml", "ml/deep"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("ml/deep/inner")
    assert dialog.run()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    assert "cannot be moved under itself" in dialog.error.text()
    assert dialog.isVisible() and journal.count("#ml/deep/inner") == 0
    dialog.name.setText("ml/deep")
    assert "merged" in dialog.note.text()  # an existing name: the two tags merge
    ops.close()


def test_cancel_rolls_a_long_rename_back(qtbot, services: Services) -> None:
    """Progress comes every 500 entries; Cancel makes the next report raise, and the rename's
    one transaction rolls back with nothing changed."""
    journal = services.journal
    with journal.db.write() as conn:
        for i in range(1100):
            new = entry_sql.new_entry(f"Entry {i} #bulk", "", now=journal.clock(), tz=journal.tz)
            entry_sql.insert_entry(conn, new)
    ops = Operations(journal.db.path)
    dialog = TagRenameDialog("bulk", journal, services.tags, ops)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("heap")
    reports: list[int] = []

    def cancel_on_first(done: int, _total: int) -> None:
        reports.append(done)
        dialog.cancel_button.click()  # while running: cancels instead of closing

    dialog._progress.reported.connect(cancel_on_first)
    dialog.run()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=60_000)
    settle(qtbot, ops)
    assert "cancelled" in dialog.error.text() and dialog.isVisible()
    assert journal.count("#bulk") == 1100 and journal.count("#heap") == 0
    ops.close()
