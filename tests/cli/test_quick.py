"""The command line's quick path: a journal that needs nothing else opens without start-up
chores, and no command imports SQLAlchemy unless the journal must be migrated."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from questionbook.cli.quick import open_quick
from questionbook.core.entry_sql import new_entry
from questionbook.core.errors import JournalBusy, JournalTooNew, NotAJournal
from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.storage import backup, connection, database
from questionbook.storage.database import Database


def test_add_stores_tags_history_and_index_as_first_written(services: Services) -> None:
    journal = services.journal
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    text = "造一台 #AI研究 的电梯\nbody with #ai and #hardware"
    new = new_entry(
        "",
        text,
        kind="plan",
        status="active",
        hardness="3",
        tags=["Hardware", "梦想"],
        starred=True,
        created_at=when,
        now=datetime.now(UTC),
    )
    a = journal.insert(new)
    assert journal.get(a.id) == a
    assert a.tags == ("ai", "AI研究", "hardware", "梦想")  # the first spelling wins
    assert journal.hardness_history(a.id)[0].level == 3
    assert journal.status_history(a.id)[0].status == "active"
    assert {s.id for s in journal.find("电梯")} == {a.id}  # indexed by the triggers
    assert {t.name: t.count for t in journal.tag_counts()}["梦想"] == 1


def test_quick_path_only_for_a_journal_that_needs_nothing_else(tmp_path: Path) -> None:
    from questionbook.storage.migrate import open_database

    path = tmp_path / "journal.sqlite3"
    assert open_quick(path) is None  # no journal yet: the full open creates it
    open_database(path).close()
    assert open_quick(path) is None  # no backup today: the full open makes it
    backup.make_backup(path)
    quick = open_quick(path)
    assert quick is not None
    quick.db.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(JournalTooNew):  # the same refusal as the full open
        open_quick(path)
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"not a database at all" * 10)
    with pytest.raises(NotAJournal):
        open_quick(other)


def test_busy_journal_is_a_clear_error_and_loses_nothing(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    varied = services.journal
    varied.add("already here")
    quick = Journal(Database(varied.db.path))  # another program's view of the same file
    holder = sqlite3.connect(varied.db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(JournalBusy):
            quick.insert(new_entry("written while another program writes", now=datetime.now(UTC)))
        assert quick.find("")  # readers are never blocked in WAL mode
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not varied.find('"written while another program writes"')
    quick.insert(new_entry("written while another program writes", now=datetime.now(UTC)))
    quick.db.close()
    assert len(varied.find('"written while another program writes"')) == 1


BLOCK_SQLALCHEMY = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("sqlalchemy", "sqlmodel", "pydantic", "alembic"):
            raise ImportError("the quick path must not import " + name)
        return None
sys.meta_path.insert(0, Block())
from questionbook.cli.main import run
sys.exit(run(sys.argv[1:]))
"""


def test_commands_import_sqlalchemy_only_to_migrate(tmp_path: Path, qb) -> None:
    """SQLAlchemy, pydantic and Alembic cost a third of a second; only a migration needs them."""
    qb("add", "first entry #setup")  # creates the journal (full path)
    qb("list")  # the daily backup (full path)

    def quick(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", BLOCK_SQLALCHEMY, *args],
            capture_output=True,
            text=True,
            env={**qb.env},
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    new_id = quick("add", "电梯里的问题 #水位", "--hardness", "2").strip()
    assert new_id in quick("search", "电梯", "--json")
    assert "电梯里的问题" in quick("list", "--tag", "水位")
    assert "first entry" in quick("search", "#setup")
    assert "电梯里的问题" in quick("show", new_id[:8])
    assert '"水位"' in quick("tags", "--json")
    quick("edit", new_id[:8], "--status", "exploring", "--tag", "+边界")
    assert quick("waterline", "3").strip()
    assert "边界" in quick("show", new_id[:8])
    quick("rm", new_id[:8])
    quick("restore", new_id[:8])
    quick("export", "--format", "json", "-o", str(tmp_path / "all.json"))
    assert "电梯里的问题" in (tmp_path / "all.json").read_text("utf-8")
    assert "电梯里的问题" in quick("review", "--format", "json")
    trial = quick("trial", "add", new_id[:8], "--verdict", "failed").strip()  # issue 17
    quick("trial", "judge", trial[:8], "partly")
    assert trial in quick("trial", "list", new_id[:8], "--json")
    quick("edit", new_id[:8], "--reach", "2", "--still-mine", "mine")
    assert "mine" in quick("still-mine")
    quick("edit", new_id[:8], "--revisit", "+30d")  # issue 19
    assert "水位" in quick("tags", "--tree")
    assert quick("calendar").strip() and quick("prompt").strip()
    assert "builtin:question" in quick("templates")
    quick("tags", "--rename", "水位", "水位线")
