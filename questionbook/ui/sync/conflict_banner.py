"""The editor's banner "Edited on two computers — compare" (issue 16).

Shown above an entry that has unsettled conflict copies (of its title, text or outcome, of its
still-mine line, of one of its trials). "Compare…" asks for the compare dialog of the newest
one. The banner follows the entry the editor shows (:meth:`EntryEditor.add_banner`) and
re-reads whenever a change may concern it (a sync, a save that kept a copy, settling one).
The look-up is one probe of the copies' entry index, cheap enough for the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from questionbook.core.errors import QuestionBookError
from questionbook.i18n import _, ngettext
from questionbook.sync.service import ConflictCopy, SyncService
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.elided_label import ElidedLabel


class ConflictBanner(QFrame):
    """A notice above the entry; hidden when the entry has no unsettled conflict copy."""

    compare_requested = Signal(object)
    """The user wants to compare this :class:`ConflictCopy` (the newest of the entry's)."""

    def __init__(self, service: SyncService, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        self.setStyleSheet(
            "#conflictBanner { background: rgba(230, 160, 30, 45); border-radius: 4px; }"
        )
        self._service = service
        self._entry_id = ""
        self._copies: list[ConflictCopy] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        # One line, cut with "…" when narrow: a wrapped notice would make the window taller
        # than 800×600 allows.
        self.label = ElidedLabel(parent=self)
        self.label.setObjectName("conflictBannerText")
        row.addWidget(self.label, 1)
        self.compare_button = QPushButton(self)
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setAutoDefault(False)
        self.compare_button.clicked.connect(self._on_compare_button_clicked)
        row.addWidget(self.compare_button)
        ops.changed.connect(self._on_ops_changed)
        self.hide()
        self._retranslate()

    def copies(self) -> list[ConflictCopy]:
        return list(self._copies)

    def show_entry(self, entry_id: str) -> None:
        """Follow the entry the editor shows now ("" for none)."""
        self._entry_id = entry_id
        self.refresh()

    def refresh(self) -> None:
        copies: list[ConflictCopy] = []
        if self._entry_id:
            try:
                copies = self._service.conflicts(self._entry_id)
            except QuestionBookError:
                copies = self._copies  # unreadable for a moment: keep what was shown
        self._copies = copies
        self._retranslate()
        self.setVisible(bool(copies))

    def _retranslate(self) -> None:
        n = len(self._copies)
        text = _("Edited on two computers — compare the versions.")
        if n > 1:
            text += " " + ngettext(
                "{n} other version is kept.", "{n} other versions are kept.", n
            ).format(n=n)
        self.label.setText(text)
        self.compare_button.setText(_("Compare…"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if self._entry_id and (changes.external or changes.touches(self._entry_id)):
            self.refresh()

    def _on_compare_button_clicked(self) -> None:
        if self._copies:
            self.compare_requested.emit(self._copies[0])
