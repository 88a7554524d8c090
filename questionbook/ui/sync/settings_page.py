"""Settings → Sync (issue 16): the folder, this computer, on/off, "Sync now" and the status.

Everything that touches the journal or the folder goes through the window's
:class:`~questionbook.ui.sync.runner.SyncRunner` (off the UI thread, one job at a time); the
page only shows the :class:`~questionbook.ui.sync.runner.SyncView` it hands out and asks it to
act. Choosing a folder is checked first (:func:`check_sync_folder`): the data folder itself is
refused, and a folder holding the journal file, its backups or the data folder gets a plain
warning the user must confirm. Turning sync off keeps the folder's files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from questionbook.i18n import N_, _, ngettext
from questionbook.paths import AppPaths
from questionbook.settings import Settings
from questionbook.sync.folder_check import check_sync_folder
from questionbook.ui.locale_format import format_datetime
from questionbook.ui.retranslate import Texts
from questionbook.ui.sync.runner import SyncRunner, SyncState, SyncView, state_text

#: Asks the user for a folder (a folder dialog; tests pass their answer).
ChooseFolder = Callable[[QWidget, Path | None], Path | None]


def choose_folder_dialog(parent: QWidget, start: Path | None) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, _("Choose the Sync Folder"), str(start or Path.home())
    )
    return Path(chosen) if chosen else None


class SyncSettingsPage(QWidget):
    """The Sync tab of the Settings dialog; see the module docstring."""

    def __init__(
        self,
        runner: SyncRunner,
        paths: AppPaths,
        settings: Callable[[], Settings],
        parent: QWidget | None = None,
        *,
        choose_folder: ChooseFolder = choose_folder_dialog,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncSettingsPage")
        self._runner = runner
        self._paths = paths
        self._settings = settings
        self._choose = choose_folder
        self._folder: Path | None = None
        self._texts = Texts()
        self._build()
        runner.state_changed.connect(self._show)
        runner.failed.connect(self._on_runner_failed)
        self._show(runner.view())

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        intro = QLabel()
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._texts.set(
            intro.setText,
            N_(
                "Keep this journal in step with your other computers through a folder that "
                "Syncthing, Nextcloud, Dropbox or a USB stick shares. Each computer writes its "
                "own change files there; the journal file itself is never shared."
            ),
        )
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("syncFolder")
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setMinimumWidth(240)
        self.choose_button = self._button("chooseSyncFolder", N_("Choose…"), self._on_choose)
        self.folder_note = QLabel()
        self.folder_note.setObjectName("syncFolderNote")
        self.folder_note.setWordWrap(True)
        self.folder_note.setStyleSheet("color: #c0392b;")
        self.folder_note.hide()
        self.enabled_box = QCheckBox()
        self.enabled_box.setObjectName("syncEnabled")
        self._texts.set(self.enabled_box.setText, N_("Sync this journal through the folder"))
        self.enabled_box.toggled.connect(self._on_enabled_toggled)
        off_note = QLabel()
        off_note.setWordWrap(True)
        off_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._texts.set(
            off_note.setText,
            N_("Turning sync off keeps the folder's files; turning it on again starts afresh."),
        )
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("syncDeviceName")
        self.name_edit.setMaxLength(64)
        self.name_edit.editingFinished.connect(self._on_name_edited)
        self.device_label = QLabel()
        self.device_label.setObjectName("syncDeviceId")
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = self._button("syncNow", N_("Sync Now"), self._runner.sync_now)
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.last_label = QLabel()
        self.last_label.setObjectName("syncLastSync")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.problems_label = QLabel()
        self.problems_label.setObjectName("syncProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.devices = QTreeWidget()
        self.devices.setObjectName("syncDevices")
        self.devices.setRootIsDecorated(False)
        self.devices.setMinimumHeight(90)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.sync_button)
        form = QFormLayout()
        for label, field in (
            (N_("Sync &folder:"), folder_row),
            (None, self.folder_note),
            (None, self.enabled_box),
            (None, off_note),
            (N_("This &computer:"), self.name_edit),
            (N_("Device id:"), self.device_label),
            (N_("Status:"), state_row),
            (N_("Last sync:"), self.last_label),
            (N_("Not yet sent:"), self.pending_label),
            (N_("Problems:"), self.problems_label),
        ):
            if label is None:
                form.addRow(field)
                continue
            text = QLabel()
            self._texts.set(text.setText, label)
            if field is folder_row:
                text.setBuddy(self.folder_edit)
            elif isinstance(field, QWidget):
                text.setBuddy(field)
            form.addRow(text, field)
        devices_title = QLabel()
        self._texts.set(devices_title.setText, N_("Computers seen in the folder:"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(devices_title)
        layout.addWidget(self.devices, 1)
        self._set_headers()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the dialog means Close
        self._texts.set(button.setText, text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _set_headers(self) -> None:
        self.devices.setHeaderLabels([_("Computer"), _("Last seen"), _("Files read")])

    # -- showing ---------------------------------------------------------------------------
    def _show(self, view: SyncView) -> None:
        status = view.status
        on = view.state is not SyncState.OFF
        if status is not None and status.enabled and status.folder is not None:
            self._folder = status.folder
        self.folder_edit.setText(str(self._folder) if self._folder else "")
        self.folder_edit.setToolTip(self.folder_edit.text())
        was = self.enabled_box.blockSignals(True)
        self.enabled_box.setChecked(on)
        self.enabled_box.setEnabled(on or self._folder is not None)
        self.enabled_box.blockSignals(was)
        if not self.name_edit.hasFocus():
            self.name_edit.setText(status.name if status is not None and on else "")
        self.name_edit.setEnabled(on)
        self.sync_button.setEnabled(on and view.state is not SyncState.SYNCING)
        device = status.device if status is not None and on else None
        self.device_label.setText(device or "—")
        self.state_label.setText(state_text(view))
        last = status.last_sync if status is not None and on else None
        self.last_label.setText(format_datetime(last) if last else _("never"))
        pending = (status.pending_changes + status.unsent_files) if status and on else 0
        self.pending_label.setText(ngettext("{n} change", "{n} changes", pending).format(n=pending))
        problems = [view.error] if view.error else []
        if status is not None and on:
            problems += status.problems + [
                _("Waiting: {text}").format(text=w) for w in status.waiting
            ]
        self.problems_label.setText("\n".join(problems) if problems else _("nothing wrong"))
        self.devices.clear()
        for dev in status.devices if status is not None and on else []:
            name = dev.name or dev.id
            if dev.this_device:
                name = _("{name} (this computer)").format(name=name)
            item = QTreeWidgetItem(
                [
                    name,
                    format_datetime(dev.last_seen) if dev.last_seen else "—",
                    f"{dev.files_read} / {dev.files_seen}",
                ]
            )
            item.setToolTip(0, dev.id)
            self.devices.addTopLevelItem(item)
        self.devices.resizeColumnToContents(0)

    def _note(self, text: str) -> None:
        self.folder_note.setText(text)
        self.folder_note.setVisible(bool(text))

    # -- acting ----------------------------------------------------------------------------
    def _on_choose(self) -> None:
        chosen = self._choose(self, self._folder)
        if chosen is None:
            return
        check = check_sync_folder(
            chosen,
            journal=self._paths.database,
            data_dir=self._paths.data_dir,
            backups=self._paths.backups,
        )
        if check.refusal:
            self._note(check.refusal)
            return
        if check.warnings:
            self._note("\n".join(check.warnings))
            answer = QMessageBox.warning(
                self,
                _("Sync Through This Folder?"),
                "\n\n".join(
                    [
                        *check.warnings,
                        _("Only the sync folder may be shared. Use this folder anyway?"),
                    ]
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        else:
            self._note("")
        self._folder = chosen
        self.folder_edit.setText(str(chosen))
        if self._runner.is_enabled() or self.enabled_box.isChecked():
            self._runner.enable(chosen, self._settings())  # move to this folder
        else:
            self.enabled_box.setEnabled(True)
            self.enabled_box.setChecked(True)  # choosing a folder means: sync through it

    def _on_enabled_toggled(self, on: bool) -> None:
        if on and self._folder is not None:
            self._runner.enable(self._folder, self._settings())
        elif on:
            was = self.enabled_box.blockSignals(True)
            self.enabled_box.setChecked(False)
            self.enabled_box.blockSignals(was)
            self._on_choose()
        elif self._runner.is_enabled():
            self._runner.disable()

    def _on_name_edited(self) -> None:
        status = self._runner.view().status
        name = self.name_edit.text().strip()
        if name and status is not None and status.enabled and name != status.name:
            self._runner.rename(name)

    def _on_runner_failed(self, reason: str) -> None:
        self._note(reason)

    # -- events ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._runner.is_enabled():
            self._runner.refresh_status()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._set_headers()
            self._show(self._runner.view())
