"""File → Back up now…, File → Restore from backup…, and the damaged-journal dialog.

The work is done by :mod:`questionbook.storage.backup`; these functions only ask and tell. The
main window wires them to its menu; after :func:`run_restore_dialog` returns True (or
:func:`damaged_journal_dialog` returns :data:`RESTORED`) the journal file has been replaced and
the caller reopens the services (``open_services``: a restored backup may need migrating) and
refreshes every view.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from questionbook.i18n import N_, _
from questionbook.storage.backup import (
    BackupError,
    BackupInfo,
    backups_dir_for,
    list_backups,
    make_backup,
    newest_good_backup,
    restore_backup,
)

if TYPE_CHECKING:
    from questionbook.paths import AppPaths
    from questionbook.services import Services
    from questionbook.storage.keyfile import JournalKey

#: What :func:`damaged_journal_dialog` returns.
RESTORED, OPEN_ANOTHER, QUIT = "restored", "open", "quit"
_LABELS = {
    "pre-restore": N_("before a restore"),
    "pre-migrate": N_("before an upgrade"),
    "pre-repair": N_("before a repair"),
}


def _size(n: int) -> str:
    return QLocale().formattedDataSize(n, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def _when(info: BackupInfo) -> str:
    # ISO on purpose, in every language: backups are told apart by their time stamps, as in
    # `questionbook backups` and their file names.
    return info.created.astimezone().strftime("%Y-%m-%d %H:%M")


def _tell(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("backupMessage")
    if details:
        box.setInformativeText(details)
    box.exec()


def _keep(services: Services) -> tuple[int, int, int]:
    from questionbook.settings import load_settings

    s = load_settings(services.paths.settings_file)
    return (s.backup_daily, s.backup_weekly, s.backup_monthly)


def run_backup_dialog(parent: QWidget | None, services: Services) -> BackupInfo | None:
    """Back up now into the backups folder, then say where it went (or why it failed)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        info = make_backup(services.db.path, keep=_keep(services), key=services.db.key)
    except (BackupError, OSError) as exc:
        QApplication.restoreOverrideCursor()
        _tell(
            parent,
            QMessageBox.Icon.Critical,
            _("Back Up"),
            _("The backup could not be made."),
            str(exc),
        )
        return None
    QApplication.restoreOverrideCursor()
    _tell(
        parent,
        QMessageBox.Icon.Information,
        _("Back Up"),
        _("Your journal was backed up and the copy checked."),
        _("{path} ({size})").format(path=info.path, size=_size(info.size)),
    )
    return info


class RestoreDialog(QDialog):
    """A list of backups, newest first, and a Restore button."""

    def __init__(
        self, backups: list[BackupInfo], folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(_("Restore from Backup"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Choose a backup to put in place of your journal. The journal as it "
                "is now is saved as a backup first, so this can be undone."
            )
            if backups
            else _("There are no backups yet in {folder}.").format(folder=folder)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("backupList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for info in backups:
            note = _(_LABELS[info.label]) if info.label in _LABELS else info.label
            text = f"{_when(info)}    {_size(info.size)}" + (f"    {note}" if note else "")
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = buttons.addButton(
            _("Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if backups:
            self.list.setCurrentRow(0)
        self._on_list_current_row_changed(self.list.currentRow())
        self.resize(520, 360)

    def selected_path(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _on_list_current_row_changed(self, row: int) -> None:
        self.restore_button.setEnabled(row >= 0)


def restore_with_messages(
    parent: QWidget | None, db_path: Path, backup: Path | None, key: JournalKey | None = None
) -> bool:
    """Restore *backup* (None: the newest good one) and tell the user what happened. *key*
    opens the journal and backups encrypted with it."""
    try:
        result = restore_backup(db_path, backup, key=key)
    except (BackupError, OSError) as exc:
        _tell(
            parent,
            QMessageBox.Icon.Critical,
            _("Restore from Backup"),
            _("The backup could not be restored. Your journal was not changed."),
            str(exc),
        )
        return False
    details = [_("Restored from {path}.").format(path=result.restored_from)]
    if result.safety_backup is not None:
        details.append(
            _("The journal as it was is saved as {path}.").format(path=result.safety_backup)
        )
    if result.moved_aside is not None:
        details.append(_("The damaged file was kept as {path}.").format(path=result.moved_aside))
    _tell(
        parent,
        QMessageBox.Icon.Information,
        _("Restore from Backup"),
        _("Your journal was restored."),
        "\n".join(details),
    )
    return True


def run_restore_dialog(parent: QWidget | None, services: Services) -> bool:
    """Let the user pick a backup and restore it; True if the journal file was replaced."""
    db_path = services.db.path
    dialog = RestoreDialog(list_backups(db_path), backups_dir_for(db_path), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected_path() is None:
        return False
    key = services.db.key
    services.db.close()  # no pooled connection may keep reading the file being replaced
    return restore_with_messages(parent, db_path, dialog.selected_path(), key)


def damaged_journal_dialog(
    parent: QWidget | None,
    error: Exception,
    paths: AppPaths,
    db_path: Path | None = None,
    key: JournalKey | None = None,
) -> str:
    """Tell the user the journal cannot be opened; offer to restore the newest good backup,
    open another file, or quit. Returns :data:`RESTORED` (done), :data:`OPEN_ANOTHER` or
    :data:`QUIT`. The damaged file is never changed: a restore moves it aside."""
    db_path = Path(db_path or paths.database)
    for _attempt in range(5):  # a failed restore comes back here, a few times at most
        newest = newest_good_backup(db_path, key=key)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Journal Cannot Be Opened"),
            _("QuestionBook cannot open your journal."),
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        box.setObjectName("damagedJournalDialog")
        info = [str(error)]
        if newest is not None:
            info.append(
                _(
                    "The newest good backup is from {when}. Restoring it keeps the "
                    "damaged file, renamed, next to it."
                ).format(when=_when(newest))
            )
        else:
            info.append(
                _("There is no good backup in {folder}.").format(folder=backups_dir_for(db_path))
            )
        box.setInformativeText("\n\n".join(info))
        restore = box.addButton(_("Restore Newest Good Backup"), QMessageBox.ButtonRole.AcceptRole)
        restore.setEnabled(newest is not None)
        restore.setObjectName("restoreButton")
        other = box.addButton(_("Open Another File…"), QMessageBox.ButtonRole.ActionRole)
        other.setObjectName("openButton")
        quit_button = box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quitButton")
        box.setDefaultButton(restore if newest is not None else other)
        box.setEscapeButton(quit_button)
        box.exec()
        clicked = box.clickedButton()
        if clicked is other:
            return OPEN_ANOTHER
        if clicked is not restore or newest is None:
            return QUIT
        if restore_with_messages(parent, db_path, newest.path, key):
            return RESTORED
    return QUIT
