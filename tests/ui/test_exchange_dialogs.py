"""File → Export… / Import… dialogs driven with pytest-qt on real journals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QProgressDialog

from questionbook.services import open_services
from questionbook.ui.dialogs import exchange_dialogs as dialogs
from questionbook.ui.dialogs.exchange_dialogs import (
    ExportDialog,
    ImportDialog,
    run_export_dialog,
    run_import_dialog,
)


@pytest.fixture
def messages(monkeypatch) -> list[tuple[QMessageBox.Icon, str]]:
    seen: list[tuple[QMessageBox.Icon, str]] = []
    monkeypatch.setattr(
        dialogs, "show_message", lambda parent, icon, title, text: seen.append((icon, text))
    )
    return seen


@pytest.fixture
def other(app_paths, tmp_path):
    svc = open_services(app_paths, tmp_path / "other.sqlite3", daily_backup=False)
    yield svc
    svc.close()


def accept_with(monkeypatch, cls, setup) -> None:
    """Make ``cls.exec`` fill the dialog in as a user would and press OK."""

    def fake_exec(self) -> int:
        setup(self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled()
        ok.click()
        return self.result()

    monkeypatch.setattr(cls, "exec", fake_exec)


def test_ok_needs_a_path(qtbot) -> None:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.target.edit.setText("/tmp/x.md")
    assert ok.isEnabled()
    dialog.use_since.setChecked(True)
    assert dialog.since.isEnabled() and dialog.export_filter().since is not None


def test_export_dialog_writes_filtered_json(
    qtbot, services, tmp_path, monkeypatch, messages
) -> None:
    services.journal.add("Why does grokking happen?", tags=["ml"])
    services.journal.add("A plan", kind="plan")
    out = tmp_path / "out.json"

    def setup(d: ExportDialog) -> None:
        qtbot.addWidget(d)
        d.format.setCurrentIndex(d.format.findData("json"))
        d.kind.setCurrentIndex(d.kind.findData("question"))
        d.target.edit.setText(str(out))

    accept_with(monkeypatch, ExportDialog, setup)
    report = run_export_dialog(None, services)
    assert report is not None and report.entries == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [e["title"] for e in data["entries"]] == ["Why does grokking happen?"]
    assert messages and str(out) in messages[-1][1]


def test_export_dialog_vault(qtbot, services, tmp_path, monkeypatch, messages) -> None:
    services.journal.add("电梯为什么有镜子？")
    folder = tmp_path / "vault"

    def setup(d: ExportDialog) -> None:
        qtbot.addWidget(d)
        d.format.setCurrentIndex(d.format.findData("vault"))
        d.target.edit.setText(str(folder))

    accept_with(monkeypatch, ExportDialog, setup)
    assert run_export_dialog(None, services) is not None
    assert len(list(folder.rglob("*电梯*.md"))) == 1


def test_import_dialog_imports_and_reports(
    qtbot, services, other, tmp_path, monkeypatch, messages
) -> None:
    services.journal.add("One?")
    services.journal.add("Two?")
    src = tmp_path / "src.json"
    from questionbook.exchange.api import export_journal

    export_journal(services.journal, "json", src)

    def setup(d: ImportDialog) -> None:
        qtbot.addWidget(d)
        d.source.edit.setText(str(src))

    accept_with(monkeypatch, ImportDialog, setup)
    report = run_import_dialog(None, other)
    assert report is not None and report.added == 2
    assert other.journal.count() == 2
    assert "added: 2" in messages[-1][1]


def test_import_dialog_dry_run_and_error(qtbot, other, tmp_path, monkeypatch, messages) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "questionbook", "version": 1, "entries": [', encoding="utf-8")

    def setup(d: ImportDialog) -> None:
        qtbot.addWidget(d)
        d.source.edit.setText(str(bad))
        d.dry_run.setChecked(True)

    accept_with(monkeypatch, ImportDialog, setup)
    assert run_import_dialog(None, other) is None
    icon, text = messages[-1]
    assert icon == QMessageBox.Icon.Warning and str(bad) in text
    assert other.journal.count() == 0


def test_cancelling_import_leaves_journal_unchanged(
    qtbot, services, other, tmp_path, monkeypatch, messages
) -> None:
    for i in range(20):
        services.journal.add(f"Question {i}?")
    src = tmp_path / "src.json"
    from questionbook.exchange.api import export_journal

    export_journal(services.journal, "json", src)
    other.journal.add("Mine")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)

    def setup(d: ImportDialog) -> None:
        qtbot.addWidget(d)
        d.source.edit.setText(str(src))

    accept_with(monkeypatch, ImportDialog, setup)
    assert run_import_dialog(None, other) is None
    assert "Cancelled" in messages[-1][1]
    assert [s.title for s in other.journal.find("")] == ["Mine"]


def test_rejected_dialog_does_nothing(services, monkeypatch, messages) -> None:
    monkeypatch.setattr(ImportDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert run_import_dialog(None, services) is None
    assert messages == []


def test_export_to_unwritable_place_is_reported(
    qtbot, services, tmp_path, monkeypatch, messages
) -> None:
    services.journal.add("x")
    blocker = tmp_path / "file"
    blocker.write_text("")

    def setup(d: ExportDialog) -> None:
        qtbot.addWidget(d)
        d.target.edit.setText(str(Path(blocker) / "sub" / "x.md"))

    accept_with(monkeypatch, ExportDialog, setup)
    assert run_export_dialog(None, services) is None
    assert messages[-1][0] == QMessageBox.Icon.Warning
