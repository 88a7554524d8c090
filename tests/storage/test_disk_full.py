"""A full disk or a read-only folder: a clear message and no half-written entry.

A full disk is simulated with SQLite's ``max_page_count`` on every connection of the journal; a read-only folder for real, by running the CLI as a user who cannot write it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from questionbook.core.errors import DiskFull, JournalReadOnly, StorageFull
from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.storage.connection import connect
from questionbook.storage.database import Database
from questionbook.storage.doctor import check_journal


def set_pragma(services: Services, pragma: str) -> None:
    """From now on the services' journal runs *pragma* on every connection it opens."""

    def opener(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.execute(f"PRAGMA {pragma}")
        return conn

    services.db.close()
    services.db = Database(services.db.path, opener=opener)
    services.journal = Journal(services.db)


def test_disk_full_raises_storage_full_and_keeps_everything_consistent(services: Services) -> None:
    journal = services.journal
    journal.add("saved before the disk filled")
    with sqlite3.connect(services.db.path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    set_pragma(services, f"max_page_count = {pages + 40}")
    journal = services.journal
    saved = 1
    big = "a long thought about elevators. " * 2000
    error = None
    for i in range(100):  # 40 pages hold only a few of these
        try:
            journal.add(f"entry {i}", big)
            saved += 1
        except StorageFull as exc:
            error = exc
            break
    assert error is not None
    assert isinstance(error, DiskFull)
    assert "disk is full" in str(error) and "nothing was lost" in str(error)
    assert "damaged" not in str(error)
    assert journal.count() == saved
    assert f"entry {saved - 1}" not in {s.title for s in journal.find("", limit=None)}
    first = journal.find("disk filled")[0]
    with pytest.raises(StorageFull):
        journal.update(first.id, body=big * 3)
    assert journal.get(first.id).body == ""  # the failed edit left the old text
    services.close()
    report = check_journal(services.db.path)
    assert report.ok, report.problems
    again = open_services(services.paths)
    again.journal.add("room again")
    assert again.journal.count() == saved + 1
    again.close()


def test_read_only_connection_gives_storage_full(services: Services) -> None:
    services.journal.add("already saved")
    set_pragma(services, "query_only = ON")
    with pytest.raises(JournalReadOnly, match="read-only"):
        services.journal.add("cannot be saved")
    assert [s.title for s in services.journal.find("")] == ["already saved"]


def _as_other_user() -> list[str]:
    """A command prefix that runs as a user who cannot write root-owned folders.

    As root, chmod stops nothing, so the command runs as ``nobody``, keeping only the
    capability to *read* any file (``CAP_DAC_READ_SEARCH``): the interpreter, the virtual
    environment and the checkout stay readable wherever they are (a clone in a 0700 folder),
    while the journal's folder is as read-only to it as to any other user.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv (util-linux) to drop root privileges")
    prefix = [
        setpriv,
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
    ]
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop root keeping read access here: {probe.stderr.strip()}")
    return prefix


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_data_folder_gives_a_clear_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = AppPaths(data_dir=home, config_dir=home / "config")
    svc = open_services(paths)
    svc.journal.add("written while it was writable")
    svc.close()
    os.chmod(home, 0o555)
    os.chmod(paths.database, 0o444)
    try:
        before = paths.database.read_bytes()
        env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANGUAGE": "en"}
        result = subprocess.run(
            [*_as_other_user(), sys.executable, "-m", "questionbook", "add", "a new question"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("questionbook: error: ")
        assert result.stderr.count("\n") == 1
        assert "read-only" in result.stderr
        assert "damaged" not in result.stderr
        assert paths.database.read_bytes() == before
    finally:
        if home.exists():
            os.chmod(home, 0o700)


# -- issue 14, item 5: a full disk is not a damaged journal ---------------------------------------
def test_driver_errors_are_told_apart(tmp_path: Path) -> None:
    """Only SQLite's own "corrupt" and "not a database" mean damage; each error is real."""
    from questionbook.core.errors import JournalCorrupt
    from questionbook.storage.connection import translate_error

    db = tmp_path / "x.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.Error) as full:
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.Error) as readonly:
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    text = tmp_path / "notes.sqlite3"
    text.write_bytes(b"dear diary " * 1000)
    with pytest.raises(sqlite3.Error) as notadb:
        sqlite3.connect(text).execute("SELECT * FROM sqlite_master")
    with pytest.raises(sqlite3.Error) as cantopen:
        sqlite3.connect(tmp_path / "no" / "such" / "dir.sqlite3")
    assert isinstance(translate_error(full.value), DiskFull)
    assert isinstance(translate_error(readonly.value), JournalReadOnly)
    assert isinstance(translate_error(cantopen.value), JournalReadOnly)
    assert isinstance(translate_error(notadb.value), JournalCorrupt)
    for error in (full, readonly, cantopen):
        assert not isinstance(translate_error(error.value), JournalCorrupt)


RESTORE_WITH_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from questionbook.storage.backup import BackupError, restore_backup
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    restore_backup(Path(sys.argv[1]))
except BackupError as exc:
    print("refused:", exc)
    sys.exit(1)
print("restored")
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE")
def test_a_restore_that_cannot_copy_the_journal_leaves_it_in_place(app_paths: AppPaths) -> None:
    """The reported case: with little room left, restore moved the healthy journal aside as
    "the damaged journal". The copy it must make first fails (a file-size limit makes every
    write past it fail, like a full disk): the journal stays where it is, untouched."""
    svc = open_services(app_paths)
    svc.journal.add("in the backup")
    from questionbook.storage import backup

    small = backup.make_backup(svc.db.path)
    for i in range(200):
        svc.journal.add(f"written later {i}", "a long thought " * 300)
    svc.close()
    db = app_paths.database
    before = db.read_bytes()
    limit = small.size + 64 * 1024  # room for the backup's copy, not for the journal's
    assert len(before) > limit
    result = subprocess.run(
        [sys.executable, "-c", RESTORE_WITH_A_FILE_SIZE_LIMIT, str(db), str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "refused:" in result.stdout and "damaged" not in result.stdout
    assert db.read_bytes() == before
    assert not list(app_paths.data_dir.glob("*.damaged-*"))
    assert not list(app_paths.data_dir.glob(".*.tmp"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), when this process may mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small file system")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_is_said_so_and_never_called_damage(tiny_disk: Path) -> None:
    home = tiny_disk / "home"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANGUAGE": "en"}

    def qb(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "questionbook", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert qb("add", "first question").returncode == 0
    assert qb("backup").returncode == 0
    filler = "".join(f"{i:08d} a thought that fills the disk\n" for i in range(2000))
    full = None
    for _ in range(200):
        result = qb("add", stdin=filler)
        if result.returncode != 0:
            full = result
            break
    assert full is not None, "the disk never filled"
    assert "disk is full" in full.stderr and "damaged" not in full.stderr
    assert "Traceback" not in full.stderr
    listed = qb("list", "-n", "1")
    assert listed.returncode == 0, listed.stderr
    doctor = qb("doctor")
    assert "damaged" not in doctor.stdout + doctor.stderr
    db = home / "journal.sqlite3"
    before = db.read_bytes()
    restore = qb("restore-backup")
    assert restore.returncode == 1
    assert "too full to restore" in restore.stderr and "Nothing was changed" in restore.stderr
    assert db.read_bytes() == before
    assert not list(home.glob("*.damaged-*"))


def test_a_connection_out_on_loan_when_the_opener_changes_is_not_reused(
    services: Services,
) -> None:
    """``use_opener`` (the simulated full disk) holds for every later connection, including
    when a worker had one borrowed at that moment: it is closed when given back, not pooled
    (a UI test saw its save succeed on such a connection now and then)."""
    db = services.db
    made: list[object] = []

    def opener(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        made.append(conn)
        return conn

    with db.read() as lent:
        db.use_opener(opener)
    with db.read() as conn:
        assert conn is not lent
        assert any(conn is m for m in made)
    with db.read() as again:  # the new opener's connection is pooled as usual
        assert again is conn
