"""No write goes into a damaged journal (issue 14, item 4).

A page in the middle of the file is overwritten where no ``add`` would read it; before the
fix ``add``, ``list`` and ``search`` carried on and ``add`` wrote into the file. Now the first
write of a day runs ``quick_check`` and refuses; so does every write after SQLite reported
damage, or after a backup's copy failed its check. Reading stays possible (to rescue text).
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from questionbook.core.errors import JournalCorrupt
from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage import backup
from questionbook.storage.health import JournalGuard, check_tables
from questionbook.storage.locks import writers_lock_path

PAGE = 4096


def qb(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANG": "C.UTF-8", "LANGUAGE": "en"}
    return subprocess.run(
        [sys.executable, "-m", "questionbook", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=60,
        check=False,
    )


def overflow_page(path: Path) -> int:
    """A page holding the middle of an old entry's long body: no add or list reads it."""
    conn = sqlite3.connect(path)
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    return pages // 2


def damage_page(path: Path, page: int) -> None:
    rnd = random.Random(5)
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(bytes(rnd.getrandbits(8) for _ in range(PAGE)))


def yesterday_stamp(db: Path) -> None:
    """Make the last passing check yesterday's: the next write is the first of a new day."""
    lock = writers_lock_path(db)
    day = (date.today() - timedelta(days=1)).isoformat()
    lock.write_bytes(f"checked {day}\n".encode())


@pytest.fixture
def damaged(app_paths: AppPaths) -> Path:
    svc = open_services(app_paths)
    for i in range(60):
        svc.journal.add(f"question {i}", f"body {i} " + "stairs and elevators " * 400)
    svc.close()
    backup.make_backup(app_paths.database)  # today's backup: the CLI takes its quick path
    db = app_paths.database
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damage_page(db, overflow_page(db))
    assert check_tables(db) is not None  # SQLite's check sees it
    return db


def test_cli_add_refuses_to_write_into_a_damaged_file(app_paths: AppPaths, damaged: Path) -> None:
    yesterday_stamp(damaged)
    before = damaged.read_bytes()
    result = qb(app_paths.data_dir, "add", "one more question")
    assert result.returncode == 1, result
    assert "damaged" in result.stderr and "restore-backup" in result.stderr
    assert "Traceback" not in result.stderr
    assert damaged.read_bytes() == before  # not one byte written
    listed = qb(app_paths.data_dir, "list", "-n", "3")  # reading still works, to rescue text
    assert listed.returncode == 0 and "question 59" in listed.stdout


def test_services_refuse_writes_but_still_read(app_paths: AppPaths, damaged: Path) -> None:
    yesterday_stamp(damaged)
    svc = open_services(app_paths)
    try:
        assert svc.journal.count() == 60
        with pytest.raises(JournalCorrupt, match="damaged"):
            svc.journal.add("not into a damaged file")
    finally:
        svc.close()
    assert not svc.db.guard.lock.held


def test_a_backup_that_finds_damage_makes_the_next_write_check(
    app_paths: AppPaths, damaged: Path
) -> None:
    """Today's check passed before the damage; the backup's check finds it, so the next
    write checks again and refuses."""
    result = qb(app_paths.data_dir, "backup")
    assert result.returncode == 1 and "check" in result.stderr
    result = qb(app_paths.data_dir, "add", "one more question")
    assert result.returncode == 1 and "damaged" in result.stderr


def test_a_passing_check_is_done_once_a_day(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.journal.add("first")
    svc.close()
    stamp = writers_lock_path(app_paths.database).read_bytes()
    assert stamp.startswith(f"checked {date.today().isoformat()}".encode())
    guard = JournalGuard(app_paths.database)
    try:
        damage_page(app_paths.database, 2)  # damage after today's check ...
        guard.before_write()  # ... is not looked for again today
        tomorrow = JournalGuard(app_paths.database, today=date.today() + timedelta(days=1))
        try:
            with pytest.raises(JournalCorrupt):
                tomorrow.before_write()  # ... but on the first write of the next day
        finally:
            tomorrow.close()
    finally:
        guard.close()


def test_damage_sqlite_reports_stops_further_writes(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    try:
        svc.journal.add("first")
        error = svc.db.guard.failed(JournalCorrupt("database disk image is malformed"))
        assert isinstance(error, JournalCorrupt)
        with pytest.raises(JournalCorrupt):
            svc.journal.add("second")
        other = JournalGuard(app_paths.database)  # another process checks before writing
        try:
            other.before_write()  # the file itself is fine, so it may write
        finally:
            other.close()
    finally:
        svc.close()


def test_without_a_writable_stamp_the_check_runs_once_per_process(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the day cannot be kept in the lock file (Windows, a read-only lock file), a
    process checks once, not before every write (0.25 s each at 100,000 entries)."""
    from questionbook.storage import health

    svc = open_services(app_paths)
    svc.close()
    calls: list[Path] = []
    real = health.check_tables
    monkeypatch.setattr(health, "check_tables", lambda p, key=None: calls.append(p) or real(p, key))
    monkeypatch.setattr(health, "_write_stamp", lambda fd, day: False)
    writers_lock_path(app_paths.database).write_bytes(b"")
    guard = JournalGuard(app_paths.database)
    try:
        for _ in range(3):
            guard.before_write()
    finally:
        guard.close()
    assert len(calls) == 1


def test_restore_over_a_journal_from_a_newer_version_keeps_a_copy_not_a_damaged_file(
    app_paths: AppPaths,
) -> None:
    """A journal written by a newer QuestionBook is not damaged: a restore saves it as the
    pre-restore backup like any good journal instead of moving it aside as damaged."""
    svc = open_services(app_paths)
    svc.journal.add("older")
    old = backup.make_backup(svc.db.path)
    svc.journal.add("newer")
    svc.close()
    conn = sqlite3.connect(app_paths.database)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    result = backup.restore_backup(app_paths.database, old.path)
    assert result.moved_aside is None and result.safety_backup is not None
    assert not list(app_paths.data_dir.glob("*.damaged-*"))
