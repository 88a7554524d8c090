"""A full disk or a read-only folder: a clear message and no half-written entry.

A full disk is simulated with SQLite's ``max_page_count`` on every connection of the journal's
engine; a read-only folder for real, by running the CLI as a user who cannot write it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from questionbook.core.errors import DiskFull, JournalReadOnly, StorageFull
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.storage.doctor import check_journal


def set_pragma(services: Services, pragma: str) -> None:
    """Apply *pragma* to every connection the journal opens from now on."""

    @event.listens_for(services.db.engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA {pragma}")

    services.db.engine.dispose()


def test_disk_full_raises_storage_full_and_keeps_everything_consistent(services: Services) -> None:
    journal = services.journal
    journal.add("saved before the disk filled")
    with sqlite3.connect(services.db.path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    set_pragma(services, f"max_page_count = {pages + 40}")
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
    """A command prefix that runs as a user who cannot write root-owned folders."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv to drop root privileges")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_data_folder_gives_a_clear_message(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = Path(tmp_path_factory.getbasetemp()).parent.parent / f"qb-ro-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    home = base / "home"
    try:
        paths = AppPaths(data_dir=home, config_dir=home / "config")
        svc = open_services(paths)
        svc.journal.add("written while it was writable")
        svc.close()
        os.chmod(base, 0o755)
        os.chmod(home, 0o555)
        os.chmod(paths.database, 0o444)
        before = paths.database.read_bytes()
        env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANGUAGE": "en"}
        result = subprocess.run(
            [*_as_other_user(), sys.executable, "-m", "questionbook", "add", "a new question"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=base,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("questionbook: error: ")
        assert result.stderr.count("\n") == 1
        assert "read-only" in result.stderr
        assert "damaged" not in result.stderr
        assert paths.database.read_bytes() == before
    finally:
        if home.exists():
            os.chmod(home, 0o700)
        shutil.rmtree(base, ignore_errors=True)
