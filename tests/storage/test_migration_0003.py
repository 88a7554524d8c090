"""Migration 0003 (issue 17) on a journal written at 0002: entries, history, tags and the
search index come through; the trial table and the seal and still-mine fields are there."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from questionbook.core.journal import Journal
from questionbook.core.trials import TrialService
from questionbook.storage.connection import APPLICATION_ID
from questionbook.storage.fts import TRIGGERS
from questionbook.storage.migrate import MIGRATIONS_DIR, migration_engine, open_database
from questionbook.storage.probe import HEAD_REVISION


def _journal_at_0002(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    path.touch(mode=0o600)
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = migration_engine(path)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
            conn.commit()
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.close()


def test_upgrade_from_0002_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _journal_at_0002(path)
    from questionbook.storage.database import Database

    old = Database(path)  # the 0002 schema, written through the same rows as then
    with old.write() as conn:
        conn.execute(
            "INSERT INTO entry (id, kind, title, body, status, hardness, starred, outcome,"
            " tags_text, parent_id, created_at, updated_at, reach) VALUES"
            " ('11111111-1111-4111-8111-111111111111', 'question', '电梯 elevators', 'body',"
            " 'open', 2, 0, '', 'ai', NULL, '2026-01-01T00:00:00.000000+00:00',"
            " '2026-01-01T00:00:00.000000+00:00', 3)"
        )
        conn.execute("INSERT INTO tag (name, key) VALUES ('ai', 'ai')")
        conn.execute(
            "INSERT INTO entry_tag (entry_id, tag_id, inline) VALUES"
            " ('11111111-1111-4111-8111-111111111111', 1, 0)"
        )
        conn.execute(
            "INSERT INTO hardness_rating (entry_id, level, source, rated_at) VALUES"
            " ('11111111-1111-4111-8111-111111111111', 2, 'user',"
            " '2026-01-01T00:00:00.000000+00:00')"
        )
    old.close()

    db = open_database(path)
    try:
        journal = Journal(db)
        entry = journal.get("11111111")
        assert (entry.title, entry.reach, entry.tags) == ("电梯 elevators", 3, ("ai",))
        assert (entry.seal_level, entry.seal_waterline, entry.still_mine) == (None, None, "")
        assert entry.still_mine_at is None
        assert [s.id for s in journal.find("电梯")] == [entry.id]
        assert journal.hardness_history(entry.id)[0].level == 2
        trial = TrialService(db).add(entry.id, verdict="failed")
        assert TrialService(db).for_entry(entry.id) == [trial]
        journal.update(entry.id, seal_until=3, still_mine="the view")
        assert journal.find("is:sealed")[0].id == entry.id
    finally:
        db.close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert set(TRIGGERS) <= names
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
