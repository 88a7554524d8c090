"""Backups: made online, verified, private, rotated, listed, restored without losing anything."""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.storage import backup
from questionbook.storage.backup import BackupError, BackupInfo

PAGE = 4096


def titles(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM entry")}
    finally:
        conn.close()


def damage_middle(path: Path, pages: int = 3) -> None:
    """Overwrite a few pages in the middle of *path* with random bytes."""
    data = bytearray(path.read_bytes())
    n = len(data) // PAGE
    rnd = random.Random(7)
    for k in range(n // 2, n // 2 + pages):
        data[k * PAGE : (k + 1) * PAGE] = bytes(rnd.getrandbits(8) for _ in range(PAGE))
    path.write_bytes(bytes(data))


@pytest.fixture
def filled(services: Services) -> Services:
    for i in range(60):
        services.journal.add(f"question {i}", "why does it happen? " * 100)
    return services


def test_backup_is_a_verified_private_copy_of_committed_data(filled: Services) -> None:
    db = filled.db.path
    info = backup.make_backup(db)
    assert info.path.parent == filled.paths.backups
    assert info.path.name.startswith("journal-") and info.path.name.endswith("Z.sqlite3")
    assert backup.verify_backup(info.path) is None
    assert titles(info.path) == {f"question {i}" for i in range(60)}
    if os.name == "posix":
        assert info.path.stat().st_mode & 0o777 == 0o600
        assert filled.paths.backups.stat().st_mode & 0o777 == 0o700
    # One self-contained file: no -wal is needed to read it.
    assert not Path(str(info.path) + "-wal").exists()


def test_backup_while_a_write_is_in_progress_copies_the_last_commit(filled: Services) -> None:
    db = filled.db.path
    with filled.db.write() as conn:
        conn.execute("UPDATE entry SET title = 'uncommitted' WHERE title = 'question 0'")
        info = backup.make_backup(db)
    got = titles(info.path)
    assert "question 0" in got and "uncommitted" not in got


def test_a_backup_that_fails_its_check_is_discarded_and_reported(filled: Services) -> None:
    db = filled.db.path
    filled.close()
    damage_middle(db)
    with pytest.raises(BackupError):
        backup.make_backup(db)
    assert backup.list_backups(db) == []
    assert [p.name for p in filled.paths.backups.iterdir()] == []  # no temporary left behind


def test_backup_to_path_refuses_to_overwrite(filled: Services, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    with pytest.raises(BackupError):
        backup.backup_to(filled.db.path, target)
    assert target.read_text() == "precious"
    made = backup.backup_to(filled.db.path, tmp_path / "elsewhere" / "copy.sqlite3")
    assert titles(made.path) >= {"question 1"}


def test_list_backups_newest_first_and_ignores_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [
        "journal-2026-11-01T100000Z.sqlite3",
        "journal-2026-11-03T100000Z-pre-restore.sqlite3",
        "journal-2026-11-02T100000Z.sqlite3",
        "other-2026-11-04T100000Z.sqlite3",
        "journal-notes.txt",
        "journal-2026-11-05T100000Z.sqlite3.tmp",
    ]
    for i, name in enumerate(names):
        (folder / name).write_bytes(b"x" * (i + 1))
    found = backup.list_backups(tmp_path / "journal.sqlite3")
    assert [b.name for b in found] == [names[1], names[2], names[0]]
    assert found[0].label == "pre-restore" and found[0].size == 2
    assert found[0].created == datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def _fake(day: datetime) -> BackupInfo:
    return BackupInfo(Path(f"/b/journal-{day:%Y-%m-%dT%H%M%SZ}.sqlite3"), day, 1)


def test_rotation_keeps_newest_per_day_week_and_month() -> None:
    start = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    backups = [_fake(start - timedelta(days=d, hours=h)) for d in range(400) for h in (0, 5)]
    keep = backup.select_to_keep(backups, 7, 4, 12, tz=UTC)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.created, reverse=True)
    # the newest copy of each of the last 7 days
    assert [b.created for b in kept[:7]] == [start - timedelta(days=d) for d in range(7)]
    assert all(b.created.hour == 20 for b in kept)  # never the older copy of a day
    months = {(b.created.year, b.created.month) for b in kept}
    assert len(months) == 12
    weeks = {b.created.isocalendar()[:2] for b in kept}
    assert len(weeks) >= 4
    assert len(kept) <= 7 + 4 + 12


def test_rotation_after_a_long_gap_keeps_old_copies() -> None:
    old = [_fake(datetime(2025, 1, d, tzinfo=UTC)) for d in range(1, 11)]
    keep = backup.select_to_keep(old, 7, 4, 12, tz=UTC)
    assert len(keep) >= 7  # a holiday never empties the folder


def test_rotate_deletes_only_unkept_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    for d in range(20):
        (folder / f"journal-{start - timedelta(days=d):%Y-%m-%dT%H%M%SZ}.sqlite3").write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    removed = backup.rotate(tmp_path / "journal.sqlite3", None, 3, 0, 0, tz=UTC)
    left = sorted(p.name for p in folder.iterdir())
    assert len(removed) == 17
    assert "notes.txt" in left and len(left) == 4


def test_settings_counts_drive_rotation(filled: Services) -> None:
    db = filled.db.path
    t0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for d in range(5):
        backup.make_backup(db, now=t0 + timedelta(days=d), keep=(2, 0, 0))
    assert len(backup.list_backups(db)) == 2


def test_newest_good_backup_skips_a_damaged_one(filled: Services) -> None:
    db = filled.db.path
    good = backup.make_backup(db, now=datetime(2026, 11, 1, tzinfo=UTC))
    bad = backup.make_backup(db, now=datetime(2026, 11, 2, tzinfo=UTC))
    damage_middle(bad.path)
    assert backup.verify_backup(bad.path) is not None
    newest = backup.newest_good_backup(db)
    assert newest is not None and newest.path == good.path


def test_daily_backup_once_a_day_on_open(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.journal.add("first")
    svc.close()
    assert backup.list_backups(app_paths.database) == []  # a new journal has nothing to save
    for _ in range(2):
        svc = open_services(app_paths)
        svc.close()
    found = backup.list_backups(app_paths.database)
    assert len(found) == 1 and titles(found[0].path) == {"first"}
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert backup.daily_backup(app_paths.database, now=tomorrow) is not None
    assert len(backup.list_backups(app_paths.database)) == 2


def test_daily_backup_failure_never_stops_opening(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.journal.add("first")
    svc.close()
    app_paths.backups.write_text("a file where the folder should be")
    svc = open_services(app_paths)  # must not raise
    assert svc.journal.count() == 1
    svc.close()


def test_before_migrate_hook_makes_a_labelled_backup(filled: Services) -> None:
    info = backup.backup_before_migrate(filled.db.path)
    assert info.label == "pre-migrate"
    assert backup.list_backups(filled.db.path)[0].name.endswith("-pre-migrate.sqlite3")


def test_restore_backs_up_the_current_file_first(filled: Services) -> None:
    db = filled.db.path
    old = backup.make_backup(db, now=datetime(2026, 11, 1, tzinfo=UTC))
    filled.journal.add("written after the backup")
    filled.close()
    result = backup.restore_backup(db, old.path)
    assert "written after the backup" not in titles(db)
    assert result.safety_backup is not None and result.moved_aside is None
    assert "written after the backup" in titles(result.safety_backup)
    assert old.path.exists()
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    if os.name == "posix":
        assert db.stat().st_mode & 0o777 == 0o600


def test_restore_moves_a_damaged_file_aside_unchanged(filled: Services) -> None:
    db = filled.db.path
    backup.make_backup(db)
    filled.close()
    db.write_bytes(b"this is not a database at all" * 100)
    damaged = db.read_bytes()
    result = backup.restore_backup(db)  # newest good by default
    assert result.moved_aside is not None and result.safety_backup is None
    assert result.moved_aside.read_bytes() == damaged
    assert ".damaged-" in result.moved_aside.name
    assert "question 5" in titles(db)
    reopened = open_services(filled.paths)
    assert reopened.journal.count() == 60
    reopened.close()


def test_restore_refuses_a_bad_backup_and_changes_nothing(filled: Services, tmp_path: Path) -> None:
    db = filled.db.path
    filled.close()
    before = db.read_bytes()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(BackupError):
        backup.restore_backup(db, bad)
    assert db.read_bytes() == before
    assert backup.list_backups(db) == []
    with pytest.raises(BackupError):
        backup.restore_backup(db)  # no backups at all
