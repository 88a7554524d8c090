"""A big vault export creates its files in a second process (issue 21): the same bytes as the
single-process export, and the same behaviour when it is cancelled, when the child is killed,
when a file cannot be written and when no process can be started.

The parallel path is forced by lowering :data:`vault_writer.PARALLEL_MIN`; small pages give
each export several hand-overs to the child.
"""

from __future__ import annotations

import errno
import multiprocessing
import multiprocessing.resource_tracker
import multiprocessing.spawn
import os
import resource
import stat
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.errors import ExportError
from questionbook.core.journal import Journal
from questionbook.core.links import link_markup
from questionbook.exchange import selection, vault_writer
from questionbook.exchange.api import export_journal
from questionbook.exchange.common import Cancelled
from questionbook.exchange.vault import MANIFEST, PROGRESS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and kill")

TITLES = ["Why do elevators stall?", "电梯为什么会突然停下？", "../../escape", "CON", "a/b\\c:d"]


def fill(journal: Journal, tmp_path: Path, n: int = 40) -> list[str]:
    """*n* entries over several months, with hostile and Chinese titles, links and files."""
    start = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
    ids = []
    for i in range(n):
        body = f"notes {i} #tag{i % 3}\n\n走楼梯 vs 造电梯"
        if ids and i % 4 == 0:
            body += f"\n\nsee {link_markup(ids[-1], 'before')}"
        entry = journal.add(
            TITLES[i % len(TITLES)], body, created_at=start + timedelta(days=9 * i), hardness=i % 5
        )
        ids.append(entry.id)
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"pixels" * 40)
    AttachmentService(journal.db, clock=journal.clock).attach(ids[1], [picture])
    return ids


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[vault_writer.ChildWriter | None]]:
    """Every export in the test starts the child; yields the writers started."""
    multiprocessing.resource_tracker.ensure_running()  # before any test changes the executable
    monkeypatch.setattr(selection, "PAGE", 4)
    started: list[vault_writer.ChildWriter | None] = []
    original = vault_writer.ChildWriter.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[vault_writer.ChildWriter]) -> vault_writer.ChildWriter | None:
        writer = original(cls)
        started.append(writer)
        return writer

    monkeypatch.setattr(vault_writer.ChildWriter, "start", classmethod(start))
    monkeypatch.setattr(vault_writer, "PARALLEL_MIN", 1)
    yield started
    assert not multiprocessing.active_children()  # every child ended with its export


def single(journal: Journal, root: Path, monkeypatch: pytest.MonkeyPatch, **kw) -> None:
    """The same export in one process (the threshold out of reach)."""
    with monkeypatch.context() as m:
        m.setattr(vault_writer, "PARALLEL_MIN", 10**9)
        export_journal(journal, "vault", root, **kw)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_child_writes_the_same_bytes_as_one_process(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    journal = new_journal()
    fill(journal, tmp_path)
    report = export_journal(journal, "vault", tmp_path / "two")
    assert len(parallel) == 1 and parallel[0] is not None and not parallel[0].alone
    assert parallel[0].process.exitcode == 0
    single(journal, tmp_path / "one", monkeypatch)
    assert report.files_written == 40
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    for path in (tmp_path / "two").rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_a_re_export_writes_new_folders_in_the_child_and_existing_ones_itself(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    """Files in folders that were there are compared and adopted by the parent as before;
    only the new month's files go to the child."""
    journal = new_journal()
    fill(journal, tmp_path, n=12)
    single(journal, tmp_path / "one", monkeypatch)
    export_journal(journal, "vault", tmp_path / "two")
    later = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    journal.add("A new month", "and a new folder", created_at=later)
    journal.add("Another", created_at=later + timedelta(hours=1))
    report = export_journal(journal, "vault", tmp_path / "two")
    single(journal, tmp_path / "one", monkeypatch)
    assert (report.files_written, report.files_unchanged) == (2, 12)
    assert not parallel[-1].alone
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_a_killed_child_stops_the_export_and_a_second_run_finishes_it(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    monkeypatch.setattr(vault_writer, "MAX_PENDING", 0)  # the first page waits for the child
    journal = new_journal()
    fill(journal, tmp_path)
    root = tmp_path / "vault"
    killed: list[int] = []

    def progress(done: int, _total: int) -> bool:
        if done and not killed:
            # The first page was handed over: once its files are there, the child is killed.
            wait_for(lambda: len(list(root.rglob("*.md"))) == done)
            child = parallel[0].process
            child.kill()
            child.join()
            killed.append(child.exitcode)
        return True

    with pytest.raises(ExportError, match="stopped unexpectedly") as caught:
        export_journal(journal, "vault", root, progress=progress)
    assert killed and f"exit code {killed[0]}" in str(caught.value)
    assert not (root / MANIFEST).exists() and (root / PROGRESS).exists()
    report = export_journal(journal, "vault", root)  # the child of the second run
    assert report.files_unchanged >= 4 and report.files_written + report.files_unchanged == 40
    single(journal, tmp_path / "one", monkeypatch)
    assert tree(root) == tree(tmp_path / "one")


def test_a_cancel_leaves_what_the_single_process_export_leaves(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    journal = new_journal()
    fill(journal, tmp_path)

    def stop_at(page: int) -> Callable[[int, int], bool]:
        return lambda done, _total: done < 4 * page

    with pytest.raises(Cancelled):
        export_journal(journal, "vault", tmp_path / "two", progress=stop_at(3))
    assert not parallel[0].process.is_alive()
    with pytest.raises(Cancelled):
        single(journal, tmp_path / "one", monkeypatch, progress=stop_at(3))
    left = tree(tmp_path / "two")
    assert left == tree(tmp_path / "one")
    assert len([name for name in left if name.endswith(".md")]) == 12
    assert MANIFEST not in left
    export_journal(journal, "vault", tmp_path / "two")  # and it resumes
    single(journal, tmp_path / "one", monkeypatch)
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


@pytest.mark.parametrize("processes", [2, 1])
def test_a_file_that_cannot_be_written_is_a_clear_error(
    new_journal, tmp_path: Path, parallel, monkeypatch, processes: int
) -> None:
    """A write that fails half-way (here: larger than a process may write, EFBIG; a full
    disk, ENOSPC, takes the same path) stops the export with the file's name and reason,
    whether the child or the export itself was writing."""
    if processes == 1:
        monkeypatch.setattr(vault_writer, "PARALLEL_MIN", 10**9)
    journal = new_journal()
    fill(journal, tmp_path, n=8)
    journal.add("A very long entry", "长" * 60_000, created_at=datetime(2026, 8, 1, tzinfo=UTC))
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, limits[1]))  # the child inherits it
    try:
        with pytest.raises(ExportError, match=r"cannot write .*2026-08-01-A-very-long-entry") as e:
            export_journal(journal, "vault", tmp_path / "vault")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
    assert os.strerror(errno.EFBIG) in str(e.value)  # "File too large"
    assert [w is not None and not w.alone for w in parallel] == [True] * (processes == 2)
    assert not (tmp_path / "vault" / MANIFEST).exists()


def test_without_a_process_the_export_writes_alone(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    """A child that cannot run (no such program: multiprocessing does not report a failed
    exec, the child just exits) or exits at once: the parent writes every file itself."""
    journal = new_journal()
    fill(journal, tmp_path)
    single(journal, tmp_path / "one", monkeypatch)
    for name, program in (("none", os.fsencode(tmp_path / "no-python")), ("dead", b"/bin/false")):
        with monkeypatch.context() as m:
            m.setattr(multiprocessing.spawn, "get_executable", lambda p=program: p)
            report = export_journal(journal, "vault", tmp_path / name)
        assert parallel[-1] is None or parallel[-1].alone
        assert report.files_written == 40
        assert tree(tmp_path / name) == tree(tmp_path / "one")


def test_with_one_cpu_the_export_starts_no_process(
    new_journal, tmp_path: Path, parallel, monkeypatch
) -> None:
    from questionbook.exchange import common

    journal = new_journal()
    fill(journal, tmp_path)
    single(journal, tmp_path / "one", monkeypatch)
    monkeypatch.setattr(common, "cpus", lambda: 1)
    report = export_journal(journal, "vault", tmp_path / "vault")
    assert parallel[-1] is None  # no child: the export wrote alone
    assert report.files_written == 40
    assert tree(tmp_path / "vault") == tree(tmp_path / "one")
    assert not multiprocessing.active_children()


def test_small_exports_start_no_process(new_journal, tmp_path: Path, monkeypatch) -> None:
    journal = new_journal()
    fill(journal, tmp_path, n=5)
    started: list[object] = []
    monkeypatch.setattr(vault_writer.ChildWriter, "start", lambda: started.append(1))
    export_journal(journal, "vault", tmp_path / "vault")
    assert started == [] and vault_writer.PARALLEL_MIN > 1000


KILLABLE = """
import sys, time
from questionbook.cli.main import run
import questionbook.exchange.vault as vault
from questionbook.exchange import selection, vault_writer
vault_writer.PARALLEL_MIN = 1
selection.PAGE = 4
original = vault.render_file
def slow(entry, *args):  # slow enough to be killed in the middle, like a big export
    time.sleep(0.05)
    return original(entry, *args)
vault.render_file = slow
sys.exit(run(["export", "--format", "vault", "-o", sys.argv[1]]))
"""


def _gone(pid: int) -> bool:
    """The process has exited (a zombie not yet reaped by its new parent counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_a_killed_export_leaves_no_child_behind(app_paths, tmp_path: Path, monkeypatch) -> None:
    """kill -9 of the export: its child meets the end of the pipe and exits; running the
    export again finishes the vault without second copies."""
    import signal
    import subprocess

    from questionbook.services import open_services

    svc = open_services(app_paths)
    fill(svc.journal, tmp_path, n=40)
    root = tmp_path / "vault"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(app_paths.data_dir), "LANGUAGE": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, str(root)], env=env, stderr=subprocess.PIPE, text=True
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    wait_for(lambda: proc.poll() is not None or len(list(root.rglob("*.md"))) >= 8)
    assert proc.poll() is None, proc.communicate()[1]
    pids = [int(p) for p in children.read_text().split()]
    assert pids  # the writer (and multiprocessing's resource tracker)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wait_for(lambda: all(_gone(pid) for pid in pids), timeout=10)
    assert not (root / MANIFEST).exists()
    written_before = len(list(root.rglob("*.md")))
    report = export_journal(svc.journal, "vault", root)
    single(svc.journal, tmp_path / "one", monkeypatch)
    svc.close()
    assert report.files_written + report.files_unchanged == 40
    assert report.files_unchanged >= written_before - 1  # all but maybe one cut short
    assert tree(root) == tree(tmp_path / "one")
