"""Change capture: every table declares how it syncs; triggers follow the declarations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from questionbook.core.schema import TABLES
from questionbook.paths import AppPaths
from questionbook.sync import capture
from questionbook.sync.plan import PLANS, undeclared
from tests.sync.helpers import Device, FakeTime

Make = Callable[..., Device]


def test_every_table_declares_how_it_syncs() -> None:
    """A table merged in from another branch must say fields, set, log or local."""
    assert undeclared() == []
    synced = {n for n, t in TABLES.items() if t.sync and t.sync.synced}
    assert set(PLANS) == synced
    assert {"entry", "entry_tag", "hardness_rating", "conflict_copy"} <= synced
    assert "sync_outbox" not in synced


def test_an_edit_is_captured_with_the_fields_it_changed(
    make_device: Make, fake_time: FakeTime
) -> None:
    a = make_device("a")
    e = a.journal.add("Title")
    a.sync()
    fake_time.advance()
    a.journal.update(e.id, body="new body", hardness=2)
    rows = a.query("SELECT tbl, key, op, fields FROM sync_outbox WHERE tbl = 'entry'")
    assert rows == [("entry", json.dumps([e.id]).replace(" ", ""), "u", "body,hardness,updated_at")]


def test_a_purge_marks_the_rows_that_go_with_it(make_device: Make) -> None:
    a = make_device("a")
    e = a.journal.add("Title", tags=["manual"])
    a.sync()
    a.journal.purge(e.id)
    rows = a.query("SELECT tbl, op, fields FROM sync_outbox ORDER BY id")
    assert ("entry_tag", "d", "cascade") in rows and ("entry", "d", None) in rows


def test_triggers_lost_in_a_migration_are_recreated_when_the_journal_opens(
    make_device: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_device("a")
    with a.db.write() as conn:
        conn.execute("DROP TRIGGER qbsync_entry_u")  # what rebuilding the table would do
        assert not capture.is_current(conn)
    a.close()
    import questionbook.services as services
    from questionbook.storage.migrate import open_database

    def migrating_open(
        path: Path, *, before_migrate: Callable[[Path], object], **options: object
    ) -> object:
        before_migrate(path)  # as open_database does when the file needs a migration
        return open_database(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "open_database", migrating_open)
    home = tmp_path / "home"
    svc = services.open_services(
        AppPaths(home, home / "config"), a.path, before_migrate=lambda p: None
    )
    try:
        with svc.db.read() as conn:
            assert capture.is_current(conn)
    finally:
        svc.close()
