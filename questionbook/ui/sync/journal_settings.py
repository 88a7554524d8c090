"""Settings that travel with the journal (issue 16): review weekday and time, week start.

When the journal syncs, these belong to the journal, not to one computer: they are read with
:meth:`SyncService.journal_settings` and written with :meth:`SyncService.set_journal_settings`
(as the command line does). Everything in the app that uses them — the Settings dialog, the
review reminder, the review page, Insights, the review service's week start — reads them from
the :class:`SettingsController` and follows its ``changed`` signal, so this bridge keeps the
controller in step with the journal instead of teaching each of them about sync:

- *journal → controller*: after turning sync on, after every sync and when another program
  wrote, the journal's values are read and put into the controller (which tells every
  subscriber, as if the user had changed them here);
- *controller → journal*: a change made here (the Settings dialog) is written to the journal
  as a patient operation, so it travels to the other computers.

While such a write is on its way, reading back is held off, so the old value never flickers
back. With sync off nothing happens: the settings file alone holds them. Window settings never
travel.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal_settings import JOURNAL_KEYS
from questionbook.sync.service import SyncService
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.sync.runner import SyncRunner


class JournalSettingsBridge(QObject):
    """Keeps the journal's own settings and the controller in step; see the module docstring."""

    def __init__(
        self,
        service: SyncService,
        controller: SettingsController,
        ops: Operations,
        runner: SyncRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._controller = controller
        self._ops = ops
        self._runner = runner
        self._pulling = False
        self._writes = 0
        controller.subscribe(self, JOURNAL_KEYS, self._on_controller_changed)
        runner.synced.connect(self._on_runner_synced)
        ops.changed.connect(self._on_ops_changed)
        self.pull()

    def pull(self) -> bool:
        """Put the journal's values into the controller; True if any differed."""
        if self._writes or not self._runner.is_enabled():
            return False
        try:
            theirs = self._service.journal_settings(self._controller.settings)
        except QuestionBookError:
            return False  # unreadable for a moment: the next sync tries again
        mine = self._controller.settings
        changes = {
            k: getattr(theirs, k) for k in JOURNAL_KEYS if getattr(theirs, k) != getattr(mine, k)
        }
        if not changes:
            return False
        self._pulling = True
        try:
            self._controller.update(**changes)
        finally:
            self._pulling = False
        return True

    def _on_controller_changed(self, names: set[str]) -> None:
        if self._pulling or not self._runner.is_enabled():
            return
        values = {name: self._controller.get(name) for name in names}
        service = self._service
        self._writes += 1
        self._ops.op(
            lambda: service.set_journal_settings(**values), initiator=self
        ).patient().on_success(self._on_written).on_failure(self._on_write_failed).run()

    def _on_written(self, _result: object) -> None:
        self._writes -= 1
        self._runner.request("outgoing")  # travels soon, also without another write

    def _on_write_failed(self, _reason: str) -> None:
        self._writes -= 1
        return None

    def _on_runner_synced(self, _report: object) -> None:
        self.pull()

    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        if changes.external and initiator is None:  # another program (the command line)
            self.pull()
