"""UI writes as operations: one way for every part of the window to change the journal.

Why: writes used to happen three ways (autosave and capture on a worker thread, "quick
actions" on the UI thread behind a separate look at the lock, the review page on its own), and
after each one somebody had to remember to refresh the list, the counts, the editor ...
(``refresh_all()`` in 16 places). Forgetting one was a bug; refreshing too much reloaded the
editor under the cursor. Modelled on Anki's ``aqt.operations`` (``CollectionOp`` and the
``operation_did_execute`` hook):

- An :class:`Op` wraps one service call (one transaction). It runs on the window's worker
  thread (:class:`~questionbook.ui.journal_writer.JournalWriter`), in the order handed in, so a
  busy journal never freezes the window and a star toggled after typing is stored after the
  typing.
- It says up front :class:`Changes`: what the write changes (which entries, whether lists may
  gain or lose rows, tags, the waterline, reviews). After it succeeds,
  :attr:`Operations.changed` announces that value with the part that started it (the
  *initiator*); every view listens to this one signal and refreshes only what it shows, and the
  initiator can skip its own echo (the editor does not reload the text it just saved).
- A failure is reported in one place, :attr:`Operations.failed` (the window's status bar);
  the part that started the write may show it where it happened as well.
- *Patient* operations (autosave, capture: words someone typed) wait for a journal that is
  busy in another program and are retried until stored; the others fail at once with "busy,
  try again" rather than queueing behind another program.

Changes made by another program (``questionbook add`` in a terminal) or by an import are
announced through the same signal with :meth:`Changes.everything`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from questionbook.ui.journal_writer import JournalWriter, WriteJob

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What a write changed; views look at it to decide what to re-read."""

    entries: frozenset[str] = field(default_factory=frozenset)
    """Entries whose stored fields changed (their rows and the editor may show old values)."""
    rows: bool = False
    """Entries may have joined or left lists: added, trashed, restored, purged, or a field
    that views filter on changed (kind, status, star, hardness, date)."""
    tags: bool = False
    """The set of tags or their counts may differ."""
    waterline: bool = False
    """The waterline moved (what is submerged changed)."""
    reviews: bool = False
    """A weekly review was started, advanced or finished."""
    writing: bool = False
    """The templates or the user's prompts changed (issue 19: the pickers and the prompt of
    the day read them again)."""
    external: bool = False
    """Anything may have changed: another program wrote, or an import ran."""

    @classmethod
    def of(cls, *entry_ids: str, rows: bool = False, tags: bool = False) -> Changes:
        """Changes to the entries *entry_ids*."""
        return cls(entries=frozenset(i for i in entry_ids if i), rows=rows, tags=tags)

    @classmethod
    def everything(cls) -> Changes:
        """Anything may differ (another program wrote to the journal, an import ran)."""
        return cls(rows=True, tags=True, waterline=True, reviews=True, writing=True, external=True)

    def __or__(self, other: Changes) -> Changes:
        """Both sets of changes."""
        merged: dict[str, Any] = {"entries": self.entries | other.entries}
        for f in fields(self):
            if f.name != "entries":
                merged[f.name] = getattr(self, f.name) or getattr(other, f.name)
        return Changes(**merged)

    def __bool__(self) -> bool:
        return bool(self.entries) or any(
            getattr(self, f.name) for f in fields(self) if f.name != "entries"
        )

    def touches(self, entry_id: str | None) -> bool:
        """True if the stored entry *entry_id* may differ from what was read before."""
        return bool(entry_id) and (self.external or entry_id in self.entries)

    def touches_any(self, entry_ids: Iterable[str]) -> bool:
        return self.external or not self.entries.isdisjoint(entry_ids)

    @property
    def counts(self) -> bool:
        """The sidebar's and status bar's numbers may differ."""
        return self.rows or self.tags or self.waterline or self.external


NO_CHANGES = Changes()


class Op(Generic[T]):
    """One journal write, described before it runs (build it with :meth:`Operations.op`).

    ``ops.op(lambda: journal.star(id), changes=Changes.of(id, rows=True), initiator=self)
    .on_success(...).run()``
    """

    def __init__(
        self,
        runner: Operations,
        work: Callable[[], T],
        changes: Changes | Callable[[T], Changes],
        initiator: object | None,
    ) -> None:
        self._runner = runner
        self._work = work
        self._changes = changes
        self._initiator = initiator
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[str], str | None] | None = None
        self._waiting: Callable[[], object] | None = None
        self._patient = False
        self._quiet = False

    def on_success(self, handler: Callable[[T], object]) -> Op[T]:
        """Call *handler* with the result on the UI thread, after the changes were announced
        (so the lists already show a new entry when the handler selects it)."""
        self._success = handler
        return self

    def on_failure(self, handler: Callable[[str], str | None]) -> Op[T]:
        """Also tell *handler* the reason when the write fails (to show it where it happened).
        It may return the text the status bar should say instead of the bare reason."""
        self._failure = handler
        return self

    def patient(self, on_waiting: Callable[[], object] | None = None) -> Op[T]:
        """Wait for a journal that is busy in another program and retry until it is stored
        (for text someone typed); *on_waiting* is told once that it waits."""
        self._patient = True
        self._waiting = on_waiting
        return self

    def quiet(self) -> Op[T]:
        """A write the user did not ask for (the prompt of the day remembering what it
        showed): a failure goes to the *on_failure* handler only, not to the status bar."""
        self._quiet = True
        return self

    def run(self) -> WriteJob:
        """Hand the write to the worker; returns a handle for :meth:`Operations.wait`."""
        return self._runner._submit(self)

    # -- the runner calls these on the UI thread ----------------------------------------
    def _done(self, result: T) -> None:
        changes = self._changes(result) if callable(self._changes) else self._changes
        if changes:
            self._runner.announce(changes, self._initiator)
        if self._success is not None:
            self._success(result)

    def _failed(self, reason: str) -> None:
        message = self._failure(reason) if self._failure is not None else None
        if not self._quiet:
            self._runner.failed.emit(message or reason)


class Operations(QObject):
    """Runs :class:`Op` writes for one window and announces what they changed."""

    changed = Signal(object, object)
    """A write succeeded or another program wrote: (:class:`Changes`, the initiating part or
    ``None``). Views refresh themselves from it."""
    failed = Signal(str)
    """A write failed; the argument says why, ready to show."""
    busy_changed = Signal(bool)
    """A patient write started waiting for the busy journal (True), or none waits any more."""
    idle = Signal()
    """Every write handed in so far has finished (stored or failed)."""

    def __init__(
        self,
        db_path: Path | None,
        parent: QObject | None = None,
        *,
        lock_probe: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._writer = JournalWriter(db_path, self, lock_probe=lock_probe)
        self._writer.busy_changed.connect(self.busy_changed)
        self._writer.idle.connect(self.idle)

    def op(
        self,
        work: Callable[[], T],
        *,
        changes: Changes | Callable[[T], Changes] = NO_CHANGES,
        initiator: object | None = None,
    ) -> Op[T]:
        """Describe a write: *work* runs on the worker; *changes* (or a function of its
        result) is announced when it succeeds."""
        return Op(self, work, changes, initiator)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view about *changes* made outside an :class:`Op` (another program,
        an import)."""
        self.changed.emit(changes, initiator)

    def wait(self, job: WriteJob, timeout_ms: int) -> bool:
        """Block up to *timeout_ms* for *job* (see :meth:`JournalWriter.wait`)."""
        return self._writer.wait(job, timeout_ms)

    def pending(self) -> int:
        """How many writes are handed in and not finished."""
        return self._writer.pending()

    def is_busy(self) -> bool:
        """True while a patient write waits for the journal, busy in another program."""
        return self._writer.is_busy()

    def close(self, timeout_ms: int = 2000) -> None:
        """Stop retrying and wait a little for the running write (the window closes)."""
        self._writer.close(timeout_ms)

    def _submit(self, op: Op[Any]) -> WriteJob:
        return self._writer.submit(
            op._work,
            on_done=op._done,
            on_failed=op._failed,
            on_waiting=op._waiting,
            patient=op._patient,
        )
