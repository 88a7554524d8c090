"""File → Export… and File → Import…: choose, then run the work under a cancellable progress
dialog.

The work itself is :mod:`questionbook.exchange.api`; these dialogs only collect choices and
show the outcome. The work runs when the user presses Export/Import, and the dialog closes only
when it is done: after an error, a cancel or a dry run it stays open with every choice kept, so
the user can correct the path or the format and go on. The work runs on the GUI thread and the progress callback pumps events, so
Cancel is seen at the next page of 500 entries; cancelling an export leaves no file, cancelling
an import rolls its single transaction back. :func:`run_import_dialog` returns the report so
the main window can refresh its views when something was added or updated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.exchange.common import (
    Cancelled,
    ExportFilter,
    ExportReport,
    ImportReport,
    describe_report,
)
from questionbook.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from questionbook.services import Services

T = TypeVar("T")
EXPORT_CHOICES = (
    ("markdown", N_("Markdown journal (one file)")),
    ("vault", N_("Folder of Markdown files (Obsidian vault)")),
    ("json", N_("JSON (everything, lossless)")),
)
IMPORT_CHOICES = (
    ("auto", N_("Detect automatically")),
    ("json", N_("QuestionBook JSON")),
    ("markdown", N_("QuestionBook Markdown journal (one file)")),
    ("vault", N_("QuestionBook folder (vault)")),
    ("jrnl", N_("jrnl")),
    ("dayone", N_("Day One (JSON or .zip)")),
)
KIND_CHOICES = (
    ("", N_("All kinds")),
    ("question", N_("Questions")),
    ("plan", N_("Plans")),
    ("note", N_("Notes")),
)


def show_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """Tell the user how it went (tests replace this to read the message)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def run_with_progress(
    parent: QWidget | None, label: str, work: Callable[[Callable[[int, int], bool]], T]
) -> T:
    """Run ``work(progress)`` showing a modal, cancellable progress dialog."""
    dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int) -> bool:
        if total and dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total) if total else 0)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        return work(progress)
    finally:
        dialog.close()
        dialog.deleteLater()


class _PathRow(QWidget):
    """A path field with a Browse… button that picks a file to save, to open, or a folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.button = QPushButton(_("Browse…"), self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None


class _WorkDialog(QDialog):
    """A dialog whose OK button runs the work: it closes only if *attempt* says it is done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attempt: Callable[[], bool] | None = None

    def set_attempt(self, attempt: Callable[[], bool]) -> None:
        self._attempt = attempt

    def accept(self) -> None:
        if self._attempt is None or self._attempt():
            super().accept()


class ExportDialog(_WorkDialog):
    """Format, filters and destination of an export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export"))
        self.setMinimumWidth(520)
        self.format = QComboBox(self)
        for key, label in EXPORT_CHOICES:
            self.format.addItem(_(label), key)
        self.kind = QComboBox(self)
        for key, label in KIND_CHOICES:
            self.kind.addItem(_(label), key)
        self.tag = QLineEdit(self)
        self.tag.setPlaceholderText(_("any tag"))
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(_("a search, e.g. elevator is:starred"))
        self.use_since, self.since = self._date_row()
        self.use_until, self.until = self._date_row()
        self.target = _PathRow(self)
        self.target.button.clicked.connect(self._on_browse_clicked)
        form = QFormLayout()
        form.addRow(_("Format:"), self.format)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Tag:"), self.tag)
        form.addRow(_("Search:"), self.query)
        form.addRow(self.use_since, self.since)
        form.addRow(self.use_until, self.until)
        form.addRow(_("Save to:"), self.target)
        self.use_since.setText(_("From"))
        self.use_until.setText(_("Until"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.target.edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _date_row(self) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(self)
        edit = QDateEdit(QDate.currentDate(), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        return check, edit

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.target.path() is not None)

    def _on_browse_clicked(self) -> None:
        if self.format.currentData() == "vault":
            chosen = QFileDialog.getExistingDirectory(self, _("Export to folder"))
        else:
            ext = "md" if self.format.currentData() == "markdown" else "json"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export to file"), f"questionbook.{ext}", f"*.{ext}"
            )
        if chosen:
            self.target.edit.setText(chosen)

    def export_filter(self) -> ExportFilter:
        kind = self.kind.currentData()
        return ExportFilter(
            query=self.query.text(),
            kinds=[kind] if kind else [],
            tags=[self.tag.text()] if self.tag.text().strip() else [],
            since=_day(self.since.date()) if self.use_since.isChecked() else None,
            until=_day(self.until.date()) if self.use_until.isChecked() else None,
        )

    def run(self, services: Services) -> ExportReport:
        """Export with the chosen options under a progress dialog (raises on error/cancel)."""
        from questionbook.exchange.api import export_journal

        path = self.target.path()
        assert path is not None
        return run_with_progress(
            self.parentWidget(),
            _("Exporting…"),
            lambda progress: export_journal(
                services.journal,
                self.format.currentData(),
                path,
                self.export_filter(),
                progress=progress,
            ),
        )


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ImportDialog(_WorkDialog):
    """Source, format and dry-run choice of an import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import"))
        self.setMinimumWidth(520)
        self.format = QComboBox(self)
        for key, label in IMPORT_CHOICES:
            self.format.addItem(_(label), key)
        self.source = _PathRow(self)
        self.source.button.clicked.connect(self._on_browse_clicked)
        self.folder = QPushButton(_("Folder…"), self.source)
        row = self.source.layout()
        assert row is not None
        row.addWidget(self.folder)
        self.folder.clicked.connect(self._on_folder_clicked)
        self.dry_run = QCheckBox(_("Only show what would happen (dry run)"), self)
        form = QFormLayout()
        form.addRow(_("File:"), self.source)
        form.addRow(_("Format:"), self.format)
        form.addRow("", self.dry_run)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.source.edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.source.path() is not None
        )

    def _on_browse_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Import file"), "", _("Exports (*.json *.zip *.txt *.md);;All files (*)")
        )
        if chosen:
            self.source.edit.setText(chosen)

    def _on_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Import folder (vault)"))
        if chosen:
            self.source.edit.setText(chosen)

    def run(self, services: Services) -> ImportReport:
        """Import with the chosen options under a progress dialog (raises on error/cancel)."""
        from questionbook.exchange.api import import_path

        path = self.source.path()
        assert path is not None
        return run_with_progress(
            self.parentWidget(),
            _("Importing…"),
            lambda progress: import_path(
                services.journal,
                path,
                self.format.currentData(),
                dry_run=self.dry_run.isChecked(),
                progress=progress,
            ),
        )


def _run(
    parent: QWidget | None, dialog: ExportDialog | ImportDialog, services: Services
) -> ExportReport | ImportReport | None:
    """Show *dialog*; each press of its OK button runs the work and says how it went. The
    dialog stays open after an error, a cancel or a dry run; returns the report of the work
    that closed it (None if the user closed it without one)."""
    title = dialog.windowTitle()
    done: list[ExportReport | ImportReport] = []

    def attempt() -> bool:
        try:
            report = dialog.run(services)
        except Cancelled:
            show_message(
                dialog, QMessageBox.Icon.Information, title, _("Cancelled. Nothing was changed.")
            )
            return False
        except (QuestionBookError, OSError) as exc:
            show_message(dialog, QMessageBox.Icon.Warning, title, str(exc))
            return False
        if isinstance(report, ImportReport) and report.dry_run:
            text = describe_report(report)
            text += "\n\n" + _("To import it, clear the dry run and press Import.")
            show_message(dialog, QMessageBox.Icon.Information, title, text)
            return False
        done.append(report)
        return True

    dialog.set_attempt(attempt)
    if dialog.exec() != QDialog.DialogCode.Accepted or not done:
        return None
    report = done[-1]
    if isinstance(report, ImportReport):
        text = describe_report(report)
    else:
        text = ngettext(
            "Exported {n} entry to {path}", "Exported {n} entries to {path}", report.entries
        ).format(n=report.entries, path=report.path)
    show_message(parent, QMessageBox.Icon.Information, title, text)
    return report


def run_export_dialog(parent: QWidget | None, services: Services) -> ExportReport | None:
    """File → Export…: returns the report, or None if cancelled or failed (already told)."""
    dialog = ExportDialog(parent)
    try:
        result = _run(parent, dialog, services)
    finally:
        dialog.deleteLater()
    return result if isinstance(result, ExportReport) else None


def run_import_dialog(parent: QWidget | None, services: Services) -> ImportReport | None:
    """File → Import…: returns the report (refresh the views if it added or updated)."""
    dialog = ImportDialog(parent)
    try:
        result = _run(parent, dialog, services)
    finally:
        dialog.deleteLater()
    return result if isinstance(result, ImportReport) else None
