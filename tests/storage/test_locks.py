"""Restore never swaps the journal under a process that may still write to it (issue 14, item 1).

Every process with the journal open for writing holds a shared lock on ``<journal>.writers``;
a restore takes it exclusively without waiting, or refuses. The writers here are real: the
services of this process, the command line's quick path, and an import in another process.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from questionbook.cli.quick import open_quick
from questionbook.core.errors import JournalBusy, JournalInUse
from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage import backup
from questionbook.storage.backup import BackupError
from questionbook.storage.locks import WriterLock, exclusive_writers_lock, writers_lock_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock")


@pytest.fixture
def backed_up(app_paths: AppPaths) -> Path:
    """A journal with one entry and one backup of it; nothing holds it open."""
    svc = open_services(app_paths)
    svc.journal.add("in the backup")
    backup.make_backup(svc.db.path)
    svc.close()
    return app_paths.database


def test_restore_refuses_while_services_have_the_journal_open(
    app_paths: AppPaths, backed_up: Path
) -> None:
    svc = open_services(app_paths)
    svc.journal.add("written after the backup")
    with pytest.raises(BackupError, match="open for writing in another program"):
        backup.restore_backup(backed_up)
    svc.journal.add("still writing")  # the writer carries on, into the same file
    assert svc.journal.count() == 3
    svc.close()
    assert backup.list_backups(backed_up)[0].label == ""  # no pre-restore copy was made
    result = backup.restore_backup(backed_up)  # closed: now it may go ahead
    assert result.safety_backup is not None
    again = open_services(app_paths)
    assert [e.title for e in again.journal.find("")] == ["in the backup"]
    again.close()


def test_restore_refuses_while_the_quick_path_has_the_journal_open(backed_up: Path) -> None:
    quick = open_quick(backed_up)
    assert quick is not None  # today's backup exists: the command line's quick path
    try:
        with pytest.raises(BackupError, match="open for writing"):
            backup.restore_backup(backed_up)
    finally:
        quick.db.close()
    backup.restore_backup(backed_up)


IMPORTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from questionbook.cli.main import run
    ready, go, data = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    import questionbook.exchange.importer as imp
    original = imp.apply_batch
    def slow_apply(*args, **kwargs):  # the import is under way: the journal is open
        ready.touch()
        for _ in range(3000):
            if go.exists():
                break
            time.sleep(0.01)
        return original(*args, **kwargs)
    imp.apply_batch = slow_apply
    import questionbook.exchange.api as api
    api.apply_batch = slow_apply
    sys.exit(run(["import", data]))
""")


def test_restore_during_an_import_in_another_process_is_refused_and_the_import_is_kept(
    app_paths: AppPaths, backed_up: Path, tmp_path: Path
) -> None:
    """The reported case: an import said "added: N" while a restore threw its entries away."""
    entries = [
        {
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "title": f"imported {i}",
            "kind": "note",
            "created_at": "2026-11-01T10:00:00Z",
        }
        for i in range(50)
    ]
    data = tmp_path / "in.json"
    data.write_text(json.dumps({"format": "questionbook", "version": 1, "entries": entries}))
    ready, go = tmp_path / "ready", tmp_path / "go"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(app_paths.data_dir), "LANGUAGE": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(ready), str(go), str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(3000):
            if ready.exists() or proc.poll() is not None:
                break
            threading.Event().wait(0.01)
        assert ready.exists(), proc.communicate()
        with pytest.raises(BackupError, match="open for writing"):
            backup.restore_backup(backed_up)
    finally:
        go.touch()
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "added: 50" in out
    svc = open_services(app_paths)
    assert svc.journal.count() == 51  # every entry the import reported is there
    svc.close()


def test_a_writer_waits_for_a_running_restore_then_opens_the_restored_file(
    backed_up: Path,
) -> None:
    lock = WriterLock(backed_up)
    with exclusive_writers_lock(backed_up):
        with pytest.raises(JournalBusy, match="being restored"):
            lock.acquire(wait=0.1)
        assert not lock.held
    assert lock.acquire(wait=0.1)
    with pytest.raises(JournalInUse), exclusive_writers_lock(backed_up):
        pass  # pragma: no cover
    lock.release()


def test_the_lock_file_is_private_whatever_the_umask(backed_up: Path) -> None:
    path = writers_lock_path(backed_up)
    path.unlink(missing_ok=True)
    old = os.umask(0)
    try:
        lock = WriterLock(backed_up)
        lock.acquire()
        lock.release()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
