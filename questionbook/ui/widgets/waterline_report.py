"""After the waterline rises: which entries the water just covered.

A small non-modal dialog, so the user can read the list while the main window stays usable;
"Show submerged" asks the window to open the Submerged view.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import WaterlineResult
from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import _, ngettext
from questionbook.ui import resources


class WaterlineReport(QDialog):
    """Lists :attr:`WaterlineResult.newly_submerged`."""

    show_submerged_requested = Signal()
    """The user wants to see the submerged entries."""

    def __init__(self, result: WaterlineResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterlineReport")
        self.setWindowTitle(_("The water rose"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        n = len(result.newly_submerged)
        head = QLabel(self)
        head.setWordWrap(True)
        head.setText(
            _("The waterline moved from {old} to {new}.").format(
                old=HARDNESS[result.previous].label, new=HARDNESS[result.level].label
            )
            + " "
            + ngettext(
                "The water now covers {n} more entry: an AI has caught up with it.",
                "The water now covers {n} more entries: an AI has caught up with them.",
                n,
            ).format(n=n)
        )
        self.entries = QListWidget(self)
        self.entries.setObjectName("coveredList")
        self.entries.setIconSize(QSize(16, 16))
        self.entries.setUniformItemSizes(True)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        color = self.palette().text().color()
        for summary in result.newly_submerged:
            level = HARDNESS[summary.hardness or 0].label
            item = QListWidgetItem(
                resources.icon(summary.kind, color), f"{summary.title}  ·  {level}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.entries.addItem(item)
        hint = QLabel(
            _("In the weekly review, sharpen them, raise their ambition, or retire them."), self
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        show = buttons.addButton(_("Show submerged"), QDialogButtonBox.ButtonRole.AcceptRole)
        show.clicked.connect(self.show_submerged_requested)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.entries, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 340)
