"""UI writes as operations: off the UI thread, in order, one change signal, one failure signal."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.ui.operations import Changes, Operations
from tests.ui.parts import settle


class WriteLock:
    """Another program's write transaction on the journal, held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self._conn: sqlite3.Connection | None = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None


@pytest.fixture
def ops(qtbot, services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close(5000)


def test_changes_merge_and_say_what_to_refresh() -> None:
    typing = Changes.of("a")
    assert typing and not typing.counts and typing.touches("a") and not typing.touches("b")
    moved = typing | Changes.of("b", rows=True)
    assert moved.entries == {"a", "b"} and moved.rows and moved.counts
    assert not Changes()
    everything = Changes.everything()
    assert everything.touches("any id") and everything.counts and everything.reviews


def test_an_operation_runs_off_the_ui_thread_and_announces_before_success(
    qtbot, ops: Operations, journal: Journal
) -> None:
    threads: list[threading.Thread] = []
    events: list[str] = []
    initiator = object()
    ops.changed.connect(lambda changes, who: events.append(f"changed {who is initiator}"))

    def work() -> str:
        threads.append(threading.current_thread())
        return journal.add("Written by an operation").id

    op = ops.op(work, changes=lambda entry_id: Changes.of(entry_id, rows=True), initiator=initiator)
    op.on_success(lambda entry_id: events.append(f"success {entry_id}"))
    with qtbot.waitSignal(ops.changed) as announced:
        op.run()
    settle(qtbot, ops)
    assert threads and threads[0] is not threading.main_thread()
    [entry] = journal.find("")
    assert announced.args[0] == Changes.of(entry.id, rows=True)
    assert events == ["changed True", f"success {entry.id}"]  # views first, then the caller


def test_a_failure_is_reported_in_one_place(qtbot, ops: Operations) -> None:
    shown: list[str] = []

    def refuse() -> None:
        raise InvalidValue("not like that")

    changed: list[object] = []
    ops.changed.connect(lambda *args: changed.append(args))
    with qtbot.waitSignal(ops.failed) as failed:
        ops.op(refuse).on_failure(shown.append).run()
    assert failed.args == ["not like that"]
    assert shown == ["not like that"] and changed == []
    with qtbot.waitSignal(ops.failed) as failed:
        ops.op(refuse).on_failure(lambda reason: f"Could not: {reason}").run()
    assert failed.args == ["Could not: not like that"]  # the caller may say it better


def test_writes_keep_their_order(qtbot, ops: Operations, journal: Journal) -> None:
    entry = journal.add("Ordered")
    for n in range(5):
        ops.op(lambda n=n: journal.update(entry.id, body=f"version {n}")).run()
    settle(qtbot, ops)
    assert journal.get(entry.id).body == "version 4"


def test_a_quick_write_on_a_busy_journal_fails_at_once(
    qtbot, ops: Operations, services: Services, journal: Journal
) -> None:
    entry = journal.add("Star me later")
    lock = WriteLock(services.db.path)
    try:
        with qtbot.waitSignal(ops.failed, timeout=3000) as failed:
            ops.op(lambda: journal.star(entry.id)).run()
        assert "busy" in failed.args[0]
        assert ops.pending() == 0  # not queued behind the other program
    finally:
        lock.release()
    assert not journal.get(entry.id).starred


def test_a_patient_write_waits_for_the_journal_and_quick_ones_do_not_queue_behind_it(
    qtbot, ops: Operations, services: Services, journal: Journal
) -> None:
    entry = journal.add("Typed while busy")
    lock = WriteLock(services.db.path)
    waiting: list[bool] = []
    try:
        ops.op(lambda: journal.update(entry.id, body="kept")).patient(
            lambda: waiting.append(True)
        ).run()
        qtbot.waitUntil(ops.is_busy, timeout=3000)
        assert waiting == [True]
        with qtbot.waitSignal(ops.failed, timeout=3000) as failed:
            ops.op(lambda: journal.star(entry.id)).run()  # would wait behind it: refused
        assert "busy" in failed.args[0]
        assert ops.pending() == 1
    finally:
        lock.release()
    settle(qtbot, ops, timeout=15_000)
    stored = journal.get(entry.id)
    assert stored.body == "kept" and not stored.starred
    assert not ops.is_busy()
