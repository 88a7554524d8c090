"""Every main-window action with its shortcut, and the menus that list them.

Shortcuts are explicit key sequences: ``QKeySequence.StandardKey.Quit`` has no binding on
generic Linux (TECH-NOTES.md), so Ctrl+Q is spelled out. Actions only emit ``triggered``; the
window connects them to its slots, so this module holds no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import _


@dataclass
class Actions:
    """The window's actions, by purpose."""

    new_entry: QAction
    capture: QAction
    find: QAction
    delete: QAction
    restore: QAction
    purge: QAction
    empty_trash: QAction
    undo_delete: QAction
    star: QAction
    follow_up: QAction
    quit: QAction
    next_entry: QAction
    previous_entry: QAction
    reading_mode: QAction
    hardness: list[QAction] = field(default_factory=list)
    views: dict[str, QAction] = field(default_factory=dict)
    menus: dict[str, QMenu] = field(default_factory=dict)
    quit_separator: QAction | None = None  # actions added to the File menu go before it

    def all(self) -> list[QAction]:
        return [
            self.new_entry,
            self.capture,
            self.find,
            self.delete,
            self.restore,
            self.purge,
            self.empty_trash,
            self.undo_delete,
            self.star,
            self.follow_up,
            self.quit,
            self.next_entry,
            self.previous_entry,
            self.reading_mode,
            *self.hardness,
            *self.views.values(),
        ]


def _action(parent: QObject, name: str, shortcut: str | None = None) -> QAction:
    action = QAction(parent)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    return action


def build_actions(window: QMainWindow, view_keys: list[str]) -> Actions:
    """Create the actions and the menu bar of *window* (texts set by :func:`retranslate`)."""
    actions = Actions(
        new_entry=_action(window, "newEntry", "Ctrl+N"),
        capture=_action(window, "capture", "Ctrl+L"),
        find=_action(window, "find", "Ctrl+F"),
        delete=_action(window, "delete", "Delete"),
        restore=_action(window, "restore", "Ctrl+Shift+R"),
        purge=_action(window, "purge", "Shift+Del"),
        empty_trash=_action(window, "emptyTrash"),
        undo_delete=_action(window, "undoDelete", "Ctrl+Z"),
        star=_action(window, "star", "Ctrl+D"),
        follow_up=_action(window, "followUp", "Ctrl+Shift+N"),
        quit=_action(window, "quit", "Ctrl+Q"),
        next_entry=_action(window, "nextEntry", "Ctrl+J"),
        previous_entry=_action(window, "previousEntry", "Ctrl+K"),
        reading_mode=_action(window, "readingMode", "F11"),
    )
    actions.undo_delete.setEnabled(False)
    actions.quit.setMenuRole(QAction.MenuRole.QuitRole)
    for info in HARDNESS:
        action = _action(window, f"hardness{info.level}", f"Ctrl+{info.level + 1}")
        action.setData(info.level)
        actions.hardness.append(action)
    for i, key in enumerate(view_keys):
        action = _action(window, f"view_{key}", f"Alt+{i + 1}" if i < 9 else None)
        action.setData(key)
        actions.views[key] = action

    bar = window.menuBar()
    file_menu = bar.addMenu("")
    file_menu.addActions([actions.new_entry, actions.capture])
    actions.quit_separator = file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu = bar.addMenu("")
    edit_menu.addActions([actions.find, actions.star, actions.follow_up])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.delete, actions.restore, actions.undo_delete])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.purge, actions.empty_trash])
    rate_menu = bar.addMenu("")
    rate_menu.addActions(actions.hardness[::-1])  # Summit on top, as every list of levels
    view_menu = bar.addMenu("")
    view_menu.addActions(list(actions.views.values()))
    view_menu.addSeparator()
    view_menu.addActions([actions.next_entry, actions.previous_entry])
    view_menu.addSeparator()
    view_menu.addAction(actions.reading_mode)
    actions.menus = {"file": file_menu, "edit": edit_menu, "rate": rate_menu, "view": view_menu}
    for action in actions.all():
        window.addAction(action)
    return actions


def retranslate(actions: Actions, view_titles: dict[str, str]) -> None:
    """(Re)set every visible text in the current language."""
    actions.menus["file"].setTitle(_("&File"))
    actions.menus["edit"].setTitle(_("&Edit"))
    actions.menus["rate"].setTitle(_("&Hardness"))
    actions.menus["view"].setTitle(_("&View"))
    actions.new_entry.setText(_("&New Entry"))
    actions.capture.setText(_("&Capture…"))
    actions.find.setText(_("&Find…"))
    actions.delete.setText(_("Move to &Trash"))
    actions.restore.setText(_("&Restore from Trash"))
    actions.undo_delete.setText(_("&Undo Move to Trash"))
    actions.purge.setText(_("Delete Fore&ver…"))
    actions.empty_trash.setText(_("Empty Tras&h…"))
    actions.star.setText(_("&Star / Unstar"))
    actions.follow_up.setText(_("Shar&pen (Follow-up)"))
    actions.quit.setText(_("&Quit"))
    actions.next_entry.setText(_("Next Entry"))
    actions.previous_entry.setText(_("Previous Entry"))
    actions.reading_mode.setText(_("&Reading Mode"))
    for action, info in zip(actions.hardness, HARDNESS, strict=True):
        action.setText(_("Rate {level}: {name}").format(level=info.level, name=info.label))
        action.setStatusTip(info.description)
    for key, action in actions.views.items():
        action.setText(view_titles.get(key, key))
