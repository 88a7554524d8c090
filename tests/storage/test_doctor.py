"""The doctor finds what is wrong with a journal file and repairs what can be repaired."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from questionbook.services import Services, open_services
from questionbook.storage import backup
from questionbook.storage.connection import configure_connection
from questionbook.storage.doctor import FIXED, NOTE, PROBLEM, check_journal
from questionbook.storage.fts import CREATE_STATEMENTS


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    configure_connection(conn)
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


@pytest.fixture
def journal_file(services: Services) -> Path:
    j = services.journal
    a = j.add("Why does grokking happen suddenly? #ml", "", hardness=3)
    j.add("电梯 and stairs #ai", "people build elevators", kind="plan")
    j.follow_up(a.id, "Sharper: when does grokking happen?")
    services.close()
    return services.db.path


def codes(report, severity: str) -> set[str]:
    return {f.code for f in report.findings if f.severity == severity}


def test_a_healthy_journal_passes(journal_file: Path) -> None:
    before = journal_file.read_bytes()
    report = check_journal(journal_file)
    assert report.ok, report.findings
    assert {"integrity", "schema", "contents"} <= {f.code for f in report.findings}
    assert not codes(report, PROBLEM)
    assert journal_file.read_bytes() == before  # checking writes nothing


def test_finds_orphans_and_a_stale_index_then_repairs_them(journal_file: Path) -> None:
    conn = raw(journal_file)
    conn.execute("DROP TRIGGER entry_fts_update")
    conn.execute("UPDATE entry SET title = 'renamed zebra question' WHERE kind = 'plan'")
    conn.execute("INSERT INTO entry_tag(entry_id, tag_id, inline) VALUES ('gone', 1, 0)")
    conn.execute(
        "INSERT INTO hardness_rating(entry_id, level, source, rated_at) "
        "VALUES ('gone', 2, 'user', '2026-11-01T00:00:00.000000Z')"
    )
    conn.execute("UPDATE entry SET parent_id = 'missing-parent' WHERE parent_id IS NOT NULL")
    conn.execute("INSERT INTO tag(name, key) VALUES ('lonely', 'lonely')")
    conn.execute(
        "INSERT INTO entry_fts(rowid, title, body, tags, outcome) "
        "VALUES (99999, 'ghost', '', '', '')"
    )
    conn.close()

    report = check_journal(journal_file)
    assert not report.ok
    assert {
        "triggers_missing",
        "index_count",
        "index_stale",
        "orphan_entry_tags",
        "orphan_ratings",
        "orphan_parents",
    } <= codes(report, PROBLEM)
    assert "unused_tags" in codes(report, NOTE)

    repaired = check_journal(journal_file, repair=True)
    assert repaired.ok, repaired.problems
    assert repaired.backup is not None and repaired.backup.exists()
    assert {"triggers_missing", "index_stale", "orphan_parents", "unused_tags"} <= codes(
        repaired, FIXED
    )
    again = check_journal(journal_file)
    assert again.ok and not codes(again, NOTE)

    svc = open_services(repaired_paths(journal_file))
    assert [e.title for e in svc.journal.find("zebra")] == ["renamed zebra question"]
    assert svc.journal.count() == 3
    svc.close()


def repaired_paths(db: Path):
    from questionbook.paths import AppPaths

    return AppPaths(data_dir=db.parent, config_dir=db.parent / "config")


def test_an_index_out_of_step_with_the_text_is_found(journal_file: Path) -> None:
    conn = raw(journal_file)
    conn.execute("DROP TRIGGER entry_fts_update")
    conn.execute("UPDATE entry SET body = 'zebra crossing' WHERE kind = 'plan'")
    conn.executescript("".join(s + ";" for s in CREATE_STATEMENTS[1:]))
    conn.close()
    report = check_journal(journal_file)
    assert codes(report, PROBLEM) == {"index_stale"}
    assert check_journal(journal_file, repair=True).ok
    assert check_journal(journal_file).ok


@pytest.mark.parametrize("damage", ["id > 10", "id = 10"])  # index data; index structure
def test_a_damaged_search_index_is_found_and_rebuilt(journal_file: Path, damage: str) -> None:
    conn = raw(journal_file)
    conn.execute(f"DELETE FROM entry_fts_data WHERE {damage}")
    conn.close()
    report = check_journal(journal_file)
    assert "index_corrupt" in codes(report, PROBLEM)
    assert check_journal(journal_file, repair=True).ok
    assert check_journal(journal_file).ok
    svc = open_services(repaired_paths(journal_file))
    assert len(svc.journal.find("grokking")) == 2
    svc.close()


def test_a_damaged_file_is_reported_not_changed(journal_file: Path) -> None:
    conn = raw(journal_file)
    conn.executemany(
        "INSERT INTO entry(id, kind, title, body, starred, outcome, tags_text, "
        "created_at, updated_at) VALUES (?, 'note', ?, ?, 0, '', '', "
        "'2026-11-01T00:00:00.000000Z', '2026-11-01T00:00:00.000000Z')",
        [(f"id-{i}", f"t{i}", "x" * 3000) for i in range(100)],
    )
    conn.close()
    data = bytearray(journal_file.read_bytes())
    rnd = random.Random(3)
    mid = len(data) // 4096 // 2
    data[mid * 4096 : (mid + 2) * 4096] = bytes(rnd.getrandbits(8) for _ in range(8192))
    journal_file.write_bytes(bytes(data))
    for repair in (False, True):
        report = check_journal(journal_file, repair=repair)
        assert not report.ok
        assert "integrity" in codes(report, PROBLEM)
        assert journal_file.read_bytes() == bytes(data)
    assert backup.list_backups(journal_file) == []


def test_not_a_journal_and_newer_schema_are_problems(tmp_path: Path, journal_file: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("hello")
    assert "file" in codes(check_journal(text), PROBLEM)
    conn = raw(journal_file)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    report = check_journal(journal_file)
    assert not report.ok and "newer" in report.problems[0].message
