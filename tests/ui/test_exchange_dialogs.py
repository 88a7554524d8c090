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


class _Driver:
    """Answers the modal windows as they come, a step per window, in order: each step waits
    for a modal of its type (the same import dialog comes back after each message)."""

    def __init__(self, steps: list[tuple[type, object]]) -> None:
        from PySide6.QtCore import QTimer

        self.steps = list(steps)
        self.texts: list[str] = []
        self.last: object = None
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        widget = QApplication.activeModalWidget()
        if not self.steps or widget is None or widget is self.last:
            return
        kind, act = self.steps[0]
        if not isinstance(widget, kind):
            return
        self.steps.pop(0)
        self.last = widget if kind is not ImportDialog else None
        if isinstance(widget, QMessageBox):
            self.texts.append(widget.text())
        # Outside this tick: the action may open a modal of its own, whose event loop must
        # see this timer fire again (a timer does not fire while its slot runs).
        QTimer.singleShot(0, lambda: act(widget))  # type: ignore[operator]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_import_dialog_stays_open_after_an_error_and_a_dry_run(
    qtbot, services, other, tmp_path
) -> None:
    """Driven like a user: a file it cannot read, then the app's own Markdown export with
    "Detect automatically", first as a dry run, then for real, all in one dialog."""
    from questionbook.exchange.api import export_journal

    services.journal.add("Why do cats purr? #cats", "Vibration.", hardness=3)
    services.journal.add("Learn to sail", kind="plan", status="active")
    services.journal.add("A quiet day", kind="note")
    mine = tmp_path / "journal.md"
    export_journal(services.journal, "markdown", mine)
    odd = tmp_path / "notes.txt"
    odd.write_text("just some words\nnothing like an export\n", encoding="utf-8")

    def fill(path: Path, dry: bool):
        def act(d: ImportDialog) -> None:
            qtbot.addWidget(d)
            assert d.format.currentData() == "auto"
            d.source.edit.setText(str(path))
            d.dry_run.setChecked(dry)
            d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        return act

    def ok(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.Ok).click()

    driver = _Driver(
        [
            (ImportDialog, fill(odd, False)),
            (QMessageBox, ok),  # cannot tell the format: the dialog stays open
            (ImportDialog, fill(mine, True)),
            (QMessageBox, ok),  # the dry run's report: still open
            (ImportDialog, fill(mine, False)),
            (QMessageBox, ok),  # imported: closed
        ]
    )
    report = run_import_dialog(None, other)
    driver.timer.stop()
    assert driver.steps == []
    assert report is not None and report.added == 3 and report.format == "markdown"
    error, dry, done = driver.texts
    assert str(odd) in error
    assert "Dry run" in dry and "added: 3" in dry
    assert "added: 3" in done
    assert not any("--" in text for text in driver.texts)  # no command-line flags
    imported = {e.title: e for e in other.journal.entries(other.journal.find_ids(""))}
    assert set(imported) == {"Why do cats purr? #cats", "Learn to sail", "A quiet day"}
    cats = imported["Why do cats purr? #cats"]
    assert (cats.kind, cats.hardness, cats.tags, cats.body) == (
        "question",
        3,
        ("cats",),
        "Vibration.",
    )
    assert (imported["Learn to sail"].kind, imported["Learn to sail"].status) == ("plan", "active")
    assert imported["A quiet day"].kind == "note"


def test_a_large_file_is_read_by_a_second_process_from_the_dialog(
    qtbot, other, tmp_path, monkeypatch, messages
) -> None:
    """From the app (the dialog imports with the event loop pumped between pages), a large
    file is read by a second process too, and none is left behind."""
    import multiprocessing

    from questionbook.exchange import incoming, reader_process

    monkeypatch.setattr(incoming, "READ_FIRST_BYTES", 0)  # as if the file were over 8 MiB
    monkeypatch.setattr(incoming, "OWN_PROCESS_BYTES", 0)
    started: list[bool] = []
    real = reader_process.read_in_child

    def spy(*args):
        started.append(real(*args))
        return started[-1]

    monkeypatch.setattr(reader_process, "read_in_child", spy)
    src = tmp_path / "journal.txt"
    src.write_text(
        "\n".join(
            f"[2024-03-{1 + i % 28:02d} 10:{i % 60:02d}] 问题 {i}？\nbody\n" for i in range(900)
        ),
        encoding="utf-8",
    )

    def setup(d: ImportDialog) -> None:
        qtbot.addWidget(d)
        d.source.edit.setText(str(src))

    accept_with(monkeypatch, ImportDialog, setup)
    report = run_import_dialog(None, other)
    assert started == [True]
    assert report is not None and report.added == 900
    assert other.journal.count("问题") == 900
    assert not multiprocessing.active_children()
