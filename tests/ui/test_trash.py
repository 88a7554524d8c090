"""The Trash in the window (issue 12, #7 and #8): emptied with a confirmation that says how many,
one entry deleted forever, and a trashed entry read-only with Restore and Delete Forever only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import (
    ModalAnswers,
    action,
    editor_of,
    list_of,
    settle,
    sidebar_of,
    status_of,
    ui,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> Iterator[MainWindow]:
    win = MainWindow(services.journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def answers(qtbot) -> Iterator[ModalAnswers]:
    a = ModalAnswers()
    yield a
    a.timer.stop()


def press(button_text: str):
    def answer(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        next(b for b in widget.buttons() if b.text() == button_text).click()

    return answer


def trashed(journal: Journal, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        entry = journal.add(title)
        journal.delete(entry.id)
        ids.append(entry.id)
    return ids


def open_trash(qtbot, window: MainWindow) -> None:
    window.show_view("trash")
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("trash") != "", timeout=3000)


def test_empty_trash_asks_naming_how_many_and_deletes_for_good(
    qtbot, window: MainWindow, journal: Journal, answers: ModalAnswers
) -> None:
    keep = journal.add("Not in the Trash")
    trashed(journal, "One", "Two", "Three")
    open_trash(qtbot, window)
    assert action(window, "emptyTrash").isEnabled()

    answers.queue(press("Cancel"))
    action(window, "emptyTrash").trigger()
    assert answers.texts[0].startswith("Delete the 3 entries in the Trash forever?")
    assert "cannot be undone" in answers.texts[0]
    assert journal.stats().trash == 3  # cancelled: nothing gone

    answers.queue(press("Empty Trash"))
    action(window, "emptyTrash").trigger()
    qtbot.waitUntil(lambda: journal.stats().trash == 0, timeout=3000)
    settle(qtbot, window.operations)
    assert [s.id for s in journal.find("")] == [keep.id]
    qtbot.waitUntil(lambda: list_of(window).model.rowCount() == 0, timeout=3000)
    assert "Deleted 3 entries forever." in status_of(window).currentMessage()
    assert editor_of(window).current_id() is None
    qtbot.waitUntil(lambda: not action(window, "emptyTrash").isEnabled(), timeout=3000)


def test_the_confirmation_counts_one_entry_in_the_singular(
    qtbot, window: MainWindow, journal: Journal, answers: ModalAnswers
) -> None:
    trashed(journal, "Only one")
    open_trash(qtbot, window)
    answers.queue(press("Cancel"))
    action(window, "emptyTrash").trigger()
    assert answers.texts[0].startswith("Delete the 1 entry in the Trash forever?")


def test_delete_forever_from_the_editor_removes_one_entry(
    qtbot, window: MainWindow, journal: Journal, answers: ModalAnswers
) -> None:
    first, second = trashed(journal, "Gone for good", "Stays in the Trash")
    open_trash(qtbot, window)
    assert list_of(window).select_id(first)
    parts = ui(editor_of(window))
    assert parts.purge_button.isVisible() and parts.restore_button.isVisible()
    answers.queue(press("Delete Forever"))
    qtbot.mouseClick(parts.purge_button, Qt.MouseButton.LeftButton)
    assert "“Gone for good”" in answers.texts[0]
    qtbot.waitUntil(lambda: journal.stats().trash == 1, timeout=3000)
    assert [s.id for s in journal.find("", trash=True)] == [second]
    qtbot.waitUntil(lambda: editor_of(window).current_id() == second, timeout=3000)
    assert list_of(window).current_id() == second  # the next trashed entry is shown


def test_restore_from_the_editor_in_the_trash_view(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    first, second = trashed(journal, "Bring me back", "Leave me")
    open_trash(qtbot, window)
    assert list_of(window).select_id(first)
    qtbot.mouseClick(ui(editor_of(window)).restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not journal.get(first).in_trash, timeout=3000)
    # The restored entry left this view: the editor shows an entry of the Trash, not it.
    qtbot.waitUntil(lambda: editor_of(window).current_id() == second, timeout=3000)
    assert window.current_view_key() == "trash"


def test_a_trashed_entry_offers_restore_and_delete_forever_only(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    [entry_id] = trashed(journal, "Read only now")
    open_trash(qtbot, window)
    assert list_of(window).select_id(entry_id)
    parts = ui(editor_of(window))
    assert parts.body_edit.isReadOnly() and parts.title_edit.isReadOnly()
    assert not parts.star_button.isEnabled() and not parts.hardness_button.isEnabled()
    assert not parts.follow_up_button.isVisible() and not parts.delete_button.isVisible()

    menu = [a.text() for a in list_of(window).list.actions() if not a.isSeparator()]
    assert menu == ["&Restore from Trash", "Delete Fore&ver…", "Empty Tras&h…"]
    for name in ("star", "followUp", "delete", "hardness2"):
        assert not action(window, name).isEnabled(), name

    list_of(window).list.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_D, ctrl)  # star
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_3, ctrl)  # rate
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_N, ctrl | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window.operations)
    stored = journal.get(entry_id)
    assert not stored.starred and stored.hardness is None and stored.in_trash
    assert journal.count() == 0  # no follow-up was made

    window.show_view("all")  # elsewhere the usual actions are back
    menu = [a.text() for a in list_of(window).list.actions() if not a.isSeparator()]
    assert "&Star / Unstar" in menu and "Delete Fore&ver…" not in menu
