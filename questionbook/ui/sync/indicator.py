"""The sync indicator in the status bar: idle, syncing, waiting for files, folder missing or a
problem, with the details in its tooltip; a click opens Settings → Sync.

It shows nothing while sync is off (most journals never sync; a permanent "Sync off" would be
noise). It reads nothing itself: the :class:`~questionbook.ui.sync.runner.SyncRunner` hands it
a :class:`~questionbook.ui.sync.runner.SyncView` after every change.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from questionbook.i18n import _, ngettext
from questionbook.ui import resources
from questionbook.ui.locale_format import format_datetime
from questionbook.ui.sync.runner import SyncState, SyncView, state_text

#: Icon colour per state (the palette's text colour when None).
_COLOURS = {
    SyncState.IDLE: None,
    SyncState.SYNCING: "#3b8fd9",
    SyncState.WAITING: "#c98a00",
    SyncState.MISSING: "#c0392b",
    SyncState.PROBLEM: "#c0392b",
}


class SyncIndicator(QToolButton):
    """A flat button: an icon and a word or two for the state."""

    settings_requested = Signal()
    """The user clicked it: show Settings → Sync."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(16, 16))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the status bar is not in the tab chain
        self._view = SyncView(SyncState.OFF)
        self.clicked.connect(self.settings_requested)
        self.show_view(self._view)

    def view(self) -> SyncView:
        return self._view

    def show_view(self, view: SyncView) -> None:
        self._view = view
        self.setVisible(view.state is not SyncState.OFF)
        text = state_text(view)
        if view.conflicts:
            text += " · " + ngettext("{n} conflict", "{n} conflicts", view.conflicts).format(
                n=view.conflicts
            )
        self.setText(text)
        self.setToolTip(tooltip(view))
        self.setAccessibleName(text)
        self._paint_icon()

    def _paint_icon(self) -> None:
        colour = _COLOURS.get(self._view.state)
        if self._view.conflicts and colour is None:
            colour = "#c98a00"
        self.setIcon(resources.icon("sync", colour or self.palette().text().color()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.show_view(self._view)
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()


def tooltip(view: SyncView) -> str:
    """The details: where, when, what waits, what went wrong; and what a click does."""
    lines: list[str] = []
    status = view.status
    if view.state is SyncState.SYNCING:
        lines.append(_("Syncing with your other computers…"))
    if status is not None and status.enabled:
        lines.append(_("Sync folder: {path}").format(path=status.folder))
        if status.last_sync is not None:
            lines.append(_("Last sync: {when}").format(when=format_datetime(status.last_sync)))
        pending = status.pending_changes + status.unsent_files
        if pending:
            lines.append(
                ngettext("{n} change not yet sent", "{n} changes not yet sent", pending).format(
                    n=pending
                )
            )
        if status.conflicts:
            lines.append(
                ngettext(
                    "{n} text was edited on two computers: compare it in Conflicts",
                    "{n} texts were edited on two computers: compare them in Conflicts",
                    status.conflicts,
                ).format(n=status.conflicts)
            )
    if view.state is SyncState.MISSING:
        lines.append(_("The folder cannot be found (not mounted?); your changes wait here."))
    if view.error:
        lines.append(view.error)
    report = view.report
    if report is not None:
        lines += [_("Waiting: {text}").format(text=w) for w in report.waiting[:5]]
        lines += report.problems[:5]
    lines.append(_("Click for Settings → Sync."))
    return "\n".join(lines)
