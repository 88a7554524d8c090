"""A new journal gets its schema from new_journal.sql, not from Alembic (issue 21): the same
journal the migrations build, byte for byte where it matters, and no Alembic imported."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from questionbook.storage import new_schema
from questionbook.storage.connection import connect
from questionbook.storage.migrate import open_database, upgrade
from questionbook.storage.probe import HEAD_REVISION


def _everything(path: Path) -> dict[str, object]:
    """The schema, the header's fields and every row of a journal."""
    conn = connect(path)
    try:
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        rows = {
            name: conn.execute(f'SELECT * FROM "{name}"').fetchall()
            for (kind, name, _t, _s) in schema
            if kind == "table"
        }
        pragmas = {
            p: conn.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("application_id", "user_version", "journal_mode", "page_size", "auto_vacuum")
        }
        return {"schema": schema, "rows": rows, "pragmas": pragmas}
    finally:
        conn.close()


def test_a_new_journal_is_the_one_the_migrations_build(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    upgrade(migrated)
    scripted = tmp_path / "scripted.sqlite3"
    open_database(scripted).close()
    assert _everything(scripted) == _everything(migrated)
    assert len(_everything(scripted)["schema"]) > 50  # tables, indexes, triggers, the index


def test_the_stored_script_is_what_the_migrations_build_now() -> None:
    # Fails when a migration is added and the script is not written again.
    stored = new_schema.SCRIPT.read_text(encoding="utf-8")
    assert stored == new_schema.script_text(new_schema.migrated_schema()), (
        "questionbook/storage/new_journal.sql is stale: run "
        "`python -m questionbook.storage.new_schema`"
    )


def test_creating_a_journal_does_not_import_alembic(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from questionbook.storage.migrate import open_database;"
        f"open_database(Path({str(tmp_path / 'new.sqlite3')!r})).close();"
        "print('alembic' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert (tmp_path / "new.sqlite3").stat().st_size > 0


def test_a_failed_creation_leaves_no_half_made_journal(tmp_path: Path, monkeypatch) -> None:
    good = new_schema.SCRIPT
    broken = tmp_path / "broken.sql"
    text = good.read_text(encoding="utf-8")
    broken.write_text(text.replace("CREATE TABLE entry (", "CREATE TABLE entry (((", 1))
    monkeypatch.setattr(new_schema, "SCRIPT", broken)
    path = tmp_path / "j.sqlite3"
    with pytest.raises(sqlite3.Error):
        open_database(path).close()
    conn = connect(path)
    try:  # one transaction: nothing of the schema stayed
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()
    monkeypatch.setattr(new_schema, "SCRIPT", good)
    open_database(path).close()  # the same file opens as a journal now
    conn = connect(path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert revision == [(HEAD_REVISION,)]
    finally:
        conn.close()
