"""The command line's quick path (issue 8): same results as the services, without SQLAlchemy.

``add``, ``list`` and ``search`` open a journal that needs nothing else with :mod:`sqlite3`
and run the services' own plain-SQL functions. These tests hold the two paths to the same
answers on a varied journal, check when the quick path is (not) taken, and that it never
imports SQLAlchemy.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from questionbook.cli.quick import QuickJournal, open_quick
from questionbook.core.entry_sql import new_entry
from questionbook.core.errors import EntryNotFound, JournalBusy, JournalTooNew, NotAJournal
from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.storage import backup, connection

WORDS = ["电梯", "水位上涨", "人工智能", "模型", "elevator", "Elevation", "water", "café", "owl"]
TAGS = ["ai", "AI研究", "hardware", "梦想", "plan-b"]
QUERIES = [
    "",
    "电梯",
    "水位",
    "人工",
    "elev",
    "water -电梯",
    '"rising water"',
    "#ai",
    "#AI研究 kind:plan",
    "kind:question status:open",
    "hardness>=3",
    "hardness<2 is:starred",
    "is:submerged",
    "is:unrated",
    "after:2025-06-01 before:2026-01-01",
    "#nobody-uses-this",
    "-owl",
    '"',
    "(*) OR NOT :",
]


@pytest.fixture
def varied(services: Services) -> Journal:
    """About 200 entries: both languages, kinds, tags, hardness, statuses, stars, dates, Trash."""
    journal = services.journal
    rng = random.Random(8)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(200):
        words = rng.sample(WORDS, rng.randint(1, 4))
        kind = rng.choice(["question", "plan", "note"])
        entry = journal.add(
            " ".join(words[:2]),
            " ".join(words[2:]) + (" rising water" if i % 7 == 0 else ""),
            kind=kind,
            hardness=rng.choice([None, 0, 1, 2, 3, 4]),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            starred=rng.random() < 0.2,
            status={"question": "open", "plan": "active"}.get(kind) if i % 3 else None,
            created_at=start + timedelta(days=rng.randint(0, 700), minutes=i),
        )
        if i % 17 == 0:
            journal.delete(entry.id)
    journal.set_waterline(2)
    return journal


def _quick(journal: Journal) -> QuickJournal:
    return QuickJournal(connection.connect(journal.db.path))


@pytest.mark.parametrize("query", QUERIES)
def test_find_gives_the_services_answer(varied: Journal, query: str) -> None:
    quick = _quick(varied)
    try:
        for trash in (False, True):
            for limit in (None, 5):
                expected = varied.find(query, trash=trash, limit=limit)
                assert quick.find(query, trash=trash, limit=limit) == expected
        ids = [s.id for s in varied.find(query, limit=None)]
        assert quick.entries(ids) == varied.entries(ids)
    finally:
        quick.close()


def test_get_and_tag_counts_give_the_services_answer(varied: Journal) -> None:
    quick = _quick(varied)
    try:
        for summary in varied.find("", trash=True, limit=None)[:5] + varied.find("")[:5]:
            assert (
                quick.get(summary.id[:8])
                == varied.get(summary.id)
                == varied.entries([summary.id])[0]
            )
        assert quick.tag_counts() == varied.tag_counts()
        assert {t.name for t in quick.tag_counts()} == set(TAGS)  # spelled as first written
        with pytest.raises(EntryNotFound):
            quick.get("abc")  # too short to be an id
        with pytest.raises(EntryNotFound):
            quick.get("ffffffff-0000")
    finally:
        quick.close()


def test_the_varied_journal_exercises_the_filters(varied: Journal) -> None:
    """Guards the comparison above against comparing empty lists."""
    for query in (
        "电梯",
        "#ai",
        "is:submerged",
        "hardness>=3",
        '"rising water"',
        "after:2025-06-01",
    ):
        assert varied.find(query), query
    assert varied.find("", trash=True)
    assert varied.waterline() == 2 == _quick(varied).waterline()


def test_add_is_the_services_add(services: Services) -> None:
    journal = services.journal
    quick = _quick(journal)
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    kwargs = dict(
        kind="plan",
        status="active",
        hardness="3",
        tags=["Hardware", "梦想"],
        starred=True,
        created_at=when,
    )
    text = "造一台 #AI研究 的电梯\nbody with #ai and #hardware"
    a = quick.insert(new_entry("", text, now=datetime.now(UTC), **kwargs))  # type: ignore[arg-type]
    b = journal.add("", text, **kwargs)  # type: ignore[arg-type]
    quick.close()
    stored_a, stored_b = journal.get(a.id), journal.get(b.id)
    assert stored_a == a
    differs = {"id", "updated_at"}
    for field in stored_a.__dataclass_fields__:
        if field not in differs:
            assert getattr(stored_a, field) == getattr(stored_b, field), field
    assert stored_a.tags == ("ai", "AI研究", "hardware", "梦想")  # the first spelling wins
    assert journal.hardness_history(a.id)[0].level == 3
    assert journal.status_history(a.id)[0].status == "active"
    assert {s.id for s in journal.find("电梯")} == {a.id, b.id}  # indexed by the triggers
    assert {t.name: t.count for t in journal.tag_counts()}["梦想"] == 2


def test_quick_path_only_for_a_journal_that_needs_nothing_else(tmp_path: Path) -> None:
    from questionbook.storage.migrate import open_database

    path = tmp_path / "journal.sqlite3"
    assert open_quick(path) is None  # no journal yet: the full open creates it
    open_database(path).close()
    assert open_quick(path) is None  # no backup today: the full open makes it
    backup.make_backup(path)
    quick = open_quick(path)
    assert quick is not None
    quick.close()
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
    varied: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    quick = _quick(varied)
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
    quick.close()
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


def test_cli_reading_commands_and_add_never_import_sqlalchemy(tmp_path: Path, qb) -> None:
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
    shown = qb("show", new_id[:8]).stdout  # the full path reads what the quick path wrote
    assert "电梯里的问题" in shown
