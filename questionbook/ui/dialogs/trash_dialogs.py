"""The two questions asked before something is deleted for good.

Moving an entry to the Trash can be undone, so it asks nothing; emptying the Trash or deleting
one entry forever cannot, so both ask first and say exactly what will go (how many entries, or
which one). Each box has an object name, so tests answer the real dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from questionbook.i18n import _, ngettext


def _ask(parent: QWidget | None, name: str, title: str, text: str, confirm: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setObjectName(name)
    box.setInformativeText(_("This cannot be undone."))
    delete = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def confirm_empty_trash(parent: QWidget | None, count: int) -> bool:
    """Ask before deleting the *count* entries in the Trash forever."""
    return _ask(
        parent,
        "emptyTrashQuestion",
        _("Empty Trash"),
        ngettext(
            "Delete the {n} entry in the Trash forever?",
            "Delete the {n} entries in the Trash forever?",
            count,
        ).format(n=count),
        _("Empty Trash"),
    )


def confirm_purge(parent: QWidget | None, title: str) -> bool:
    """Ask before deleting the entry titled *title* forever."""
    return _ask(
        parent,
        "purgeQuestion",
        _("Delete Forever"),
        _("Delete “{title}” forever?").format(title=title),
        _("Delete Forever"),
    )
