"""Imports at disk speed (issue 21): indexes built once at the end into a new journal, a larger
FTS5 buffer while indexing, and nothing of either left behind."""

from __future__ import annotations

import sqlite3

import pytest

from questionbook.core.journal import Journal
from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.common import Cancelled, ImportReport
from questionbook.storage.bulk import indexes_built_at_end
from questionbook.storage.doctor import check_journal
from questionbook.storage.fts import DEFAULT_HASHSIZE, FTS_TABLE

TABLES = ("entry", "entry_tag", "hardness_rating", "status_change")


def _indexes(journal: Journal) -> list[tuple[str, str]]:
    with journal.db.read() as conn:
        return list(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "ORDER BY name"
            )
        )


def _hashsize(journal: Journal) -> int | None:
    with journal.db.read() as conn:
        row = conn.execute(f"SELECT v FROM {FTS_TABLE}_config WHERE k = 'hashsize'").fetchone()
    return None if row is None else int(row[0])


def _source(new_journal, tmp_path, n: int = 40):
    source = new_journal()
    for i in range(n):
        e = source.add(f"问题 {i}: why does the elevator wait? #潮汐", tags=["bulk"])
        if i % 3 == 0:
            source.update(e.id, hardness=2)
    out = tmp_path / "all.json"
    export_journal(source, "json", out)
    return out


def _traced_import(journal: Journal, path) -> tuple[ImportReport, list[str]]:
    """import_path, and every statement its connections ran."""
    from questionbook.storage.connection import connect

    statements: list[str] = []

    def traced(p):
        conn = connect(p)
        conn.set_trace_callback(statements.append)
        return conn

    journal.db.use_opener(traced)
    try:
        return import_path(journal, path), statements
    finally:
        journal.db.use_opener(connect)


def _id_lookups(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM entry" in s and "id IN (" in s]


def test_import_into_a_new_journal_rebuilds_every_index_it_dropped(new_journal, tmp_path) -> None:
    out = _source(new_journal, tmp_path)
    target = new_journal()
    before = _indexes(target)
    assert any(name == "ix_entry_created_at" for name, _sql in before)
    assert import_path(target, out).added == 40
    assert _indexes(target) == before  # the same names, with the same statements
    assert _hashsize(target) in (None, DEFAULT_HASHSIZE)  # the FTS5 buffer is back to default
    assert len(target.find("elevator", limit=None)) == 40
    assert len(target.find("#潮汐", limit=None)) == 40
    with target.db.read() as conn:  # the query planner uses the rebuilt index again
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM entry WHERE created_at > '2000' "
                "ORDER BY created_at"
            )
        )
    assert "ix_entry_created_at" in plan
    doctor = check_journal(target.db.path)
    assert doctor.ok, doctor.problems


def test_an_import_into_a_journal_with_entries_keeps_its_indexes(new_journal, tmp_path) -> None:
    out = _source(new_journal, tmp_path)
    target = new_journal()
    target.add("already here")
    with target.db.write() as conn, indexes_built_at_end(conn, TABLES) as emptied:
        assert "entry" not in emptied  # the table has a row: its indexes are never dropped
        left = {r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type='index'")}
        assert "entry" in left
    assert import_path(target, out).added == 40
    assert check_journal(target.db.path).ok


def test_a_failed_bulk_write_leaves_the_indexes_as_they_were(new_journal) -> None:
    journal = new_journal()
    before = _indexes(journal)
    with (
        pytest.raises(sqlite3.IntegrityError),
        journal.db.write() as conn,
        indexes_built_at_end(conn, TABLES) as emptied,
    ):
        assert set(emptied) == set(TABLES)
        assert not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'ix_entry_created_at'"
        ).fetchall()
        conn.execute("INSERT INTO entry_tag (entry_id, tag_id, inline) VALUES (NULL, 1, 0)")
    assert _indexes(journal) == before  # the rollback restored them


def test_a_cancelled_import_into_a_new_journal_keeps_indexes_and_buffer(
    new_journal, tmp_path
) -> None:
    source = new_journal()
    for i in range(600):
        source.add(f"Question {i}?")
    out = tmp_path / "x.json"
    export_journal(source, "json", out)
    target = new_journal()
    before = _indexes(target)
    with pytest.raises(Cancelled):
        import_path(target, out, progress=lambda done, total: done < 500)
    assert _indexes(target) == before
    assert _hashsize(target) in (None, DEFAULT_HASHSIZE)
    assert not target.find("Question", limit=None)
    assert check_journal(target.db.path).ok


def test_the_bulk_index_needs_the_callers_transaction(new_journal) -> None:
    journal = new_journal()
    conn = sqlite3.connect(journal.db.path, isolation_level=None)
    try:
        with pytest.raises(RuntimeError), indexes_built_at_end(conn, TABLES):
            pass
    finally:
        conn.close()
    assert len(_indexes(journal)) > 10


def test_entries_are_found_by_their_index_even_with_stale_statistics(new_journal, tmp_path) -> None:
    """Statistics taken when the journal held one entry make SQLite scan the table for
    ``id IN (...)``; a 100k import then rereads every row for each page. The importer names
    the index, so each lookup is a search whatever the statistics say."""
    from questionbook.storage.bulk import unique_index

    path = _source(new_journal, tmp_path)
    target = new_journal()
    target.add("one entry")
    target.db.refresh_statistics()  # sqlite_stat1: the entry table holds one row
    report, statements = _traced_import(target, path)
    assert report.added == 40
    with target.db.read() as conn:
        name = unique_index(conn, "entry", "id")
        assert [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')] == ["id"]
        lookups = _id_lookups(statements)
        assert lookups  # the import did look its entries up by id
        for sql in lookups:
            plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert f"USING INDEX {name}" in plan, (sql, plan)


def test_an_import_into_a_journal_without_entries_looks_none_up(new_journal, tmp_path) -> None:
    """A journal with no entries holds none of the file's: no page searches the id index for
    them. What only those lookups would catch still holds: the file's duplicates are skipped,
    a follow-up before its parent keeps its link, and a second import finds every entry."""
    import json

    source = new_journal()
    parent = source.add("问题: why does the elevator wait?")
    child = source.add("a follow-up", parent_id=parent.id)
    for i in range(30):
        source.add(f"entry {i} #潮汐")
    path = tmp_path / "all.json"
    export_journal(source, "json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"].reverse()  # the follow-up comes before its parent
    data["entries"].append(dict(data["entries"][3]))  # the same entry twice
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = new_journal()
    report, statements = _traced_import(target, path)
    assert report.added == 32 and sum(report.skipped.values()) == 1
    assert not _id_lookups(statements)
    assert target.get(child.id).parent_id == parent.id
    again, statements = _traced_import(target, path)  # now the journal has them
    assert again.added == 0 and again.unchanged == 32
    assert _id_lookups(statements)  # so each page looks them up
    assert check_journal(target.db.path).ok


def test_a_new_entry_without_history_in_the_file_starts_one_at_its_creation(
    new_journal, tmp_path
) -> None:
    """A file that gives a hardness and a status but no history (an older export, a
    hand-written file): each new entry's history starts with them, when it was created, its
    rating marked as the import's; a file's own history is kept as it is."""
    import json

    source = new_journal()
    plain = source.add("rated once", hardness=2, kind="plan")
    kept = source.add("rated twice", hardness=1, kind="plan")
    source.update(kept.id, hardness=3, status="active")
    path = tmp_path / "all.json"
    export_journal(source, "json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        if entry["id"] == plain.id:
            del entry["hardness_history"], entry["status_history"]
            entry["created_at"] = "2020-01-02T03:04:05+00:00"  # long before its last change
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = new_journal()
    assert import_path(target, path).added == 2
    with target.db.read() as conn:
        ratings = conn.execute(
            "SELECT entry_id, level, source, rated_at FROM hardness_rating ORDER BY rated_at, id"
        ).fetchall()
        changes = conn.execute(
            "SELECT entry_id, status, changed_at FROM status_change ORDER BY changed_at, id"
        ).fetchall()
        created = conn.execute("SELECT created_at FROM entry WHERE id = ?", (plain.id,)).fetchone()
    assert [r for r in ratings if r[0] == plain.id] == [(plain.id, 2, "import", created[0])]
    assert [r for r in changes if r[0] == plain.id] == [(plain.id, "idea", created[0])]
    assert [r[2] for r in ratings if r[0] == kept.id] == ["user", "user"]
    assert [r[1] for r in ratings if r[0] == kept.id] == [1, 3]
    assert [r[1] for r in changes if r[0] == kept.id] == ["idea", "active"]
    assert created[0].startswith("2020-01-02T03:04:05")
