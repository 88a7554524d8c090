"""A full disk or a read-only folder: a clear message and no half-written entry.

A full disk is simulated with SQLite's ``max_page_count`` on every connection of the journal; a read-only folder for real, by running the CLI as a user who cannot write it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from questionbook.core.errors import StorageFull
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
    assert "full" in str(error) and "cannot write the journal" in str(error)
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
    with pytest.raises(StorageFull, match="cannot write the journal"):
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
        os.chmod(home, 0o700)
