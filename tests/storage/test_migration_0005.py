"""Migration 0005 (issue 19) on a journal written at 0004: entries, tags, links and the search
index come through; the revisit day and the template and prompt tables are there."""

from __future__ import annotations

import io
import sqlite3
from datetime import date
from pathlib import Path

from questionbook.core.journal import Journal
from questionbook.storage.connection import APPLICATION_ID
from questionbook.storage.fts import TRIGGERS
from questionbook.storage.migrate import MIGRATIONS_DIR, migration_engine, open_database
from questionbook.storage.probe import HEAD_REVISION

ID = "11111111-1111-4111-8111-111111111111"


def _journal_at_0004(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    path.touch(mode=0o600)
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = migration_engine(path)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004")
            conn.commit()
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.close()


def test_upgrade_from_0004_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _journal_at_0004(path)
    from questionbook.storage.database import Database

    old = Database(path)
    with old.write() as conn:
        conn.execute(
            "INSERT INTO entry (id, kind, title, body, status, hardness, starred, outcome,"
            " tags_text, parent_id, created_at, updated_at, still_mine) VALUES"
            f" ('{ID}', 'question', '电梯 elevators #ml/grokking', 'body', 'open', 2, 0, '',"
            " 'ml/grokking', NULL, '2026-01-01T00:00:00.000000+00:00',"
            " '2026-01-01T00:00:00.000000+00:00', '')"
        )
        conn.execute("INSERT INTO tag (name, key) VALUES ('ml/grokking', 'ml/grokking')")
        conn.execute(f"INSERT INTO entry_tag (entry_id, tag_id, inline) VALUES ('{ID}', 1, 1)")
    old.close()

    db = open_database(path)
    try:
        journal = Journal(db)
        entry = journal.get("11111111")
        assert (entry.title, entry.tags, entry.revisit_on) == (
            "电梯 elevators #ml/grokking",
            ("ml/grokking",),
            None,
        )
        assert [s.id for s in journal.find("电梯")] == [entry.id]
        assert [s.id for s in journal.find("#ml")] == [entry.id]  # the parent finds its child
        assert journal.update(entry.id, revisit="2099-03-01").revisit_on == date(2099, 3, 1)
    finally:
        db.close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert set(TRIGGERS) <= names
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"entry_template", "prompt", "prompt_shown"} <= tables
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(entry)")}
    assert "ix_entry_revisit_on" in indexes
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
