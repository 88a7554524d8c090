"""Opening, migrating and refusing journal files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from questionbook.core.errors import JournalCorrupt, JournalTooNew, NotAJournal
from questionbook.storage.connection import APPLICATION_ID
from questionbook.storage.fts import TRIGGERS
from questionbook.storage.migrate import MIGRATIONS_DIR, migration_engine, open_database
from questionbook.storage.probe import HEAD_REVISION, KNOWN_REVISIONS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_created_at_head_with_triggers(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    db = open_database(path)
    db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert set(TRIGGERS) <= names
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='entry_fts'").fetchone()[0]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_known_revisions_match_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert script.get_current_head() == HEAD_REVISION
    revs = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(revs) == KNOWN_REVISIONS


def test_models_and_migrations_do_not_drift(tmp_path: Path) -> None:
    import io

    from alembic import command
    from alembic.config import Config

    path = tmp_path / "j.sqlite3"
    open_database(path).close()
    cfg = Config(stdout=io.StringIO())  # never the test runner's (possibly swapped) stdout
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = migration_engine(path)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises if autogenerate would emit any operation
    engine.dispose()


def test_reopening_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "j.sqlite3"
    open_database(path).close()
    code = (
        "import sys; from pathlib import Path; from questionbook.storage.migrate import "
        f"open_database; open_database(Path({str(path)!r})).close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_foreign_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"just some text, certainly not a database\n" * 20)
    before = _digest(path)
    with pytest.raises(NotAJournal):
        open_database(path)
    assert _digest(path) == before
    assert not (tmp_path / "notes.txt-wal").exists()


def test_other_sqlite_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.execute("INSERT INTO things VALUES (1)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotAJournal):
        open_database(path)
    assert _digest(path) == before


def test_newer_schema_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(path)
    with pytest.raises(JournalTooNew, match="newer version"):
        open_database(path)
    assert _digest(path) == before


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)
    with pytest.raises(JournalCorrupt):
        open_database(path)


def test_journal_file_is_private(tmp_path: Path) -> None:
    import os
    import stat

    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = tmp_path / "private" / "j.sqlite3"
    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_refresh_statistics_feeds_the_query_planner(tmp_path: Path) -> None:
    from questionbook.core.journal import Journal

    db = open_database(tmp_path / "j.sqlite3")
    journal = Journal(db)
    for i in range(30):
        journal.add(f"entry {i} #tag{i % 3}")
    db.refresh_statistics()
    db.close()
    conn = sqlite3.connect(tmp_path / "j.sqlite3")
    tables = {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"entry", "entry_tag"} <= tables
