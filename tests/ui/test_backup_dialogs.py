"""The backup, restore and damaged-journal dialogs, driven like a person would click them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from questionbook.core.errors import NotAJournal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.storage import backup
from questionbook.ui.dialogs.backup_dialogs import (
    OPEN_ANOTHER,
    QUIT,
    RESTORED,
    RestoreDialog,
    damaged_journal_dialog,
    run_backup_dialog,
    run_restore_dialog,
)
from tests.ui.parts import Action, ModalAnswers

# Showing any window on the headless "offscreen" platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def answers(qtbot) -> Iterator[ModalAnswers]:
    a = ModalAnswers()
    yield a
    a.timer.stop()


def ok(widget: QWidget) -> None:
    assert isinstance(widget, QMessageBox)
    widget.button(QMessageBox.StandardButton.Ok).click()


def click(name: str) -> Action:
    def action(widget: QWidget) -> None:
        button = widget.findChild(QPushButton, name)
        assert button is not None and button.isEnabled(), name
        button.click()

    return action


def pick_row(row: int) -> Action:
    def action(widget: QWidget) -> None:
        assert isinstance(widget, RestoreDialog)
        widget.list.setCurrentRow(row)
        widget.restore_button.click()

    return action


def titles(db: Path) -> set[str]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM entry")}
    finally:
        conn.close()


def test_back_up_now_makes_a_checked_copy_and_says_where(
    services: Services, answers: ModalAnswers
) -> None:
    services.journal.add("worth keeping")
    answers.queue(ok)
    info = run_backup_dialog(None, services)
    assert info is not None and backup.verify_backup(info.path) is None
    assert str(info.path) in answers.texts[0]


def test_back_up_now_reports_a_failure(services: Services, answers: ModalAnswers) -> None:
    services.journal.add("worth keeping")
    services.paths.backups.write_text("a file in the way")
    answers.queue(ok)
    assert run_backup_dialog(None, services) is None
    assert "could not be made" in answers.texts[0]


def test_restore_dialog_lists_backups_newest_first(qtbot, tmp_path: Path) -> None:
    infos = [
        backup.BackupInfo(
            tmp_path / f"journal-{d}.sqlite3", datetime(2026, 11, d, 12, tzinfo=UTC), 2048, label
        )
        for d, label in ((3, "pre-restore"), (1, ""))
    ]
    dialog = RestoreDialog(infos, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    assert "2026-11-03" in dialog.list.item(0).text()
    assert "before a restore" in dialog.list.item(0).text()
    assert dialog.selected_path() == infos[0].path and dialog.restore_button.isEnabled()
    empty = RestoreDialog([], tmp_path)
    qtbot.addWidget(empty)
    assert not empty.restore_button.isEnabled() and empty.selected_path() is None


def test_restore_from_backup_replaces_the_journal_and_keeps_the_current_one(
    services: Services, answers: ModalAnswers
) -> None:
    db = services.db.path
    services.journal.add("A")
    backup.make_backup(db, now=datetime(2026, 11, 1, tzinfo=UTC))
    services.journal.add("B")
    backup.make_backup(db, now=datetime(2026, 11, 2, tzinfo=UTC))
    services.journal.add("C")
    answers.queue(pick_row(1), ok)  # the older backup
    assert run_restore_dialog(None, services) is True
    assert titles(db) == {"A"}
    safety = [b for b in backup.list_backups(db) if b.label == "pre-restore"]
    assert len(safety) == 1 and titles(safety[0].path) == {"A", "B", "C"}
    assert "restored" in answers.texts[0]
    reopened = open_services(services.paths)
    assert reopened.journal.count() == 1
    reopened.close()


def test_cancel_changes_nothing(services: Services, answers: ModalAnswers) -> None:
    services.journal.add("A")
    backup.make_backup(services.db.path)
    services.journal.add("B")
    answers.queue(lambda w: w.reject())
    assert run_restore_dialog(None, services) is False
    assert services.journal.count() == 2


@pytest.fixture
def damaged(app_paths: AppPaths) -> Path:
    svc = open_services(app_paths)
    svc.journal.add("safe in the backup")
    svc.close()
    backup.make_backup(app_paths.database)
    app_paths.database.write_bytes(b"scribbles" * 300)
    return app_paths.database


def test_damaged_journal_restore_newest(
    app_paths: AppPaths, damaged: Path, answers: ModalAnswers
) -> None:
    before = damaged.read_bytes()
    answers.queue(click("restoreButton"), ok)
    choice = damaged_journal_dialog(None, NotAJournal("not a journal"), app_paths)
    assert choice == RESTORED
    assert titles(damaged) == {"safe in the backup"}
    aside = list(damaged.parent.glob("journal.sqlite3.damaged-*Z"))
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert "not a journal" in answers.texts[0]


@pytest.mark.parametrize(
    ("button", "expected"), [("openButton", OPEN_ANOTHER), ("quitButton", QUIT)]
)
def test_damaged_journal_other_choices_leave_the_file(
    app_paths: AppPaths, damaged: Path, answers: ModalAnswers, button: str, expected: str
) -> None:
    before = damaged.read_bytes()
    answers.queue(click(button))
    assert damaged_journal_dialog(None, NotAJournal("x"), app_paths) == expected
    assert damaged.read_bytes() == before


def test_without_a_backup_restore_is_not_offered(
    app_paths: AppPaths, answers: ModalAnswers
) -> None:
    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"scribbles" * 300)
    seen: list[bool] = []

    def check_then_quit(widget: QWidget) -> None:
        seen.append(widget.findChild(QPushButton, "restoreButton").isEnabled())
        click("quitButton")(widget)

    answers.queue(check_then_quit)
    assert damaged_journal_dialog(None, NotAJournal("x"), app_paths) == QUIT
    assert seen == [False]
    assert "no good backup" in answers.texts[0]
