"""Only the owner can read the journal: data folder 0700, journal, its side files and backups
0600, whatever the umask, and loose permissions from elsewhere are tightened on open."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage import backup

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """A umask that would leave files world-readable, to prove we do not rely on it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_new_journal_folder_and_files_are_private(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.journal.add("private thought")
    assert mode(app_paths.data_dir) == 0o700
    assert mode(app_paths.database) == 0o600
    for suffix in ("-wal", "-shm"):
        side = Path(f"{app_paths.database}{suffix}")
        if side.exists():  # SQLite gives them the journal's own mode
            assert mode(side) & 0o077 == 0, side
    svc.close()


def test_loose_permissions_are_tightened_on_open(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.close()
    os.chmod(app_paths.data_dir, 0o755)
    os.chmod(app_paths.database, 0o644)
    svc = open_services(app_paths)
    assert mode(app_paths.data_dir) == 0o700
    assert mode(app_paths.database) == 0o600
    svc.close()


def test_a_folder_the_user_chose_keeps_its_permissions(app_paths: AppPaths, tmp_path: Path) -> None:
    """``--db /shared/folder/j.sqlite3`` must not lock others out of /shared/folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    svc = open_services(app_paths, shared / "journal.sqlite3")
    svc.journal.add("kept in a folder of my choosing")
    svc.close()
    assert mode(shared) == 0o755
    assert mode(shared / "journal.sqlite3") == 0o600
    made = tmp_path / "new" / "folder"
    open_services(app_paths, made / "journal.sqlite3").close()
    assert mode(made) == 0o700  # a folder we create is private


def test_backups_folder_and_every_kind_of_backup_are_private(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    svc = open_services(app_paths)
    svc.journal.add("private thought")
    svc.close()
    svc = open_services(app_paths)  # the daily backup
    svc.close()
    made = [b.path for b in backup.list_backups(app_paths.database)]
    made.append(backup.make_backup(app_paths.database, label="pre-migrate").path)
    made.append(backup.backup_to(app_paths.database, tmp_path / "elsewhere.sqlite3").path)
    assert len(made) == 3
    assert mode(app_paths.backups) == 0o700
    for path in made:
        assert mode(path) == 0o600, path


def test_a_restored_journal_is_private(app_paths: AppPaths, tmp_path: Path) -> None:
    svc = open_services(app_paths)
    svc.journal.add("private thought")
    svc.close()
    outside = backup.backup_to(app_paths.database, tmp_path / "copy.sqlite3").path
    os.chmod(outside, 0o644)  # e.g. copied back from a USB stick
    backup.restore_backup(app_paths.database, outside)
    assert mode(app_paths.database) == 0o600
    assert all(mode(b.path) == 0o600 for b in backup.list_backups(app_paths.database))


def test_folders_made_for_a_backup_path_are_private(app_paths: AppPaths, tmp_path: Path) -> None:
    svc = open_services(app_paths)
    svc.journal.add("private thought")
    svc.close()
    target = tmp_path / "usb" / "stick" / "copy.sqlite3"
    backup.backup_to(app_paths.database, target)
    assert mode(tmp_path / "usb") == 0o700 and mode(tmp_path / "usb" / "stick") == 0o700
    assert mode(target) == 0o600


def test_the_writers_lock_file_is_private(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    try:
        assert mode(Path(f"{app_paths.database}.writers")) == 0o600
    finally:
        svc.close()


@pytest.mark.parametrize("what", ["journal", "folder"])
def test_a_journal_the_user_made_read_only_stays_read_only(app_paths: AppPaths, what: str) -> None:
    """Not made writable again: opened for reading, every write refused with a clear message."""
    from questionbook.core.errors import JournalReadOnly

    svc = open_services(app_paths)
    svc.journal.add("kept as it is")
    svc.close()
    locked = app_paths.database if what == "journal" else app_paths.data_dir
    before_mode = 0o400 if what == "journal" else 0o500
    os.chmod(locked, before_mode)
    before = app_paths.database.read_bytes()
    try:
        svc = open_services(app_paths)
        try:
            assert [e.title for e in svc.journal.find("")] == ["kept as it is"]
            with pytest.raises(JournalReadOnly, match="read-only"):
                svc.journal.add("refused")
        finally:
            svc.close()
        assert mode(locked) == before_mode  # never loosened, not even to 0600 / 0700
        assert app_paths.database.read_bytes() == before
    finally:
        os.chmod(locked, 0o700 if what == "folder" else 0o600)
