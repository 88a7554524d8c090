"""A large import file is read by a process of its own while the journal is written (issue 21).

The thresholds are lowered so that small real files take that path; each test checks that the
reading really happened in a child process (the batch's progress then comes from the pipe),
and compares with the same file read in this process: entries, tags, the search index, the
messages of a malformed file (in the user's language), and what a dying reader leaves.
"""

from __future__ import annotations

import functools
import multiprocessing
from pathlib import Path

import pytest

from questionbook.core.errors import ImportFormatError
from questionbook.exchange import incoming, reader_process
from questionbook.exchange.api import import_path, read_batch
from questionbook.exchange.common import ImportReport
from questionbook.exchange.importer import apply_batch
from questionbook.exchange.incoming import ImportBatch
from questionbook.i18n import current_language, set_language
from questionbook.storage.doctor import check_journal

from .conftest import snapshot


@pytest.fixture
def own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every later import streams its file and reads it in a process of its own."""
    monkeypatch.setattr(incoming, "READ_FIRST_BYTES", 0)
    monkeypatch.setattr(incoming, "OWN_PROCESS_BYTES", 0)


@pytest.fixture
def chinese():
    before = current_language()
    set_language("zh_CN")
    yield
    set_language(before)


def _jrnl(n: int, bad_at: int | None = None) -> str:
    lines = []
    for i in range(n):
        day = "2024-02-30" if i == bad_at else f"2024-01-{1 + i % 28:02d}"
        words = "电梯 水位上涨" if i % 3 == 0 else "an elevator pitch"
        lines += [
            f"[{day} {i % 24:02d}:{i % 60:02d}] Entry {i} @tag{i % 5} *"
            if i % 9 == 0
            else f"[{day} {i % 24:02d}:{i % 60:02d}] Entry {i} @tag{i % 5}",
            f"body {i}: {words} #标签{i % 4}",
            "",
        ]
    return "\n".join(lines)


def _import(journal, path: Path, **kwargs) -> tuple[ImportReport, ImportBatch]:
    """import_path's steps, keeping the batch to see how it was read."""
    batch = read_batch(journal, path, "auto", None, None)
    report = ImportReport(source=path, format=batch.format)
    return apply_batch(journal, batch, report, **kwargs), batch


def _rows(journal) -> list[tuple]:
    with journal.db.read() as conn:
        return conn.execute(
            "SELECT id, title, body, created_at, starred, tags_text, kind FROM entry ORDER BY id"
        ).fetchall()


def _found(journal, words: list[str]) -> dict[str, list[str]]:
    return {w: sorted(journal.find_ids(w)) for w in words}


def test_a_file_read_by_a_process_of_its_own_gives_the_same_journal(
    new_journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(1200))
    here = new_journal()
    monkeypatch.setattr(incoming, "READ_FIRST_BYTES", 0)  # streamed, in this process
    report_here, batch_here = _import(here, path)
    assert not isinstance(batch_here.reading, reader_process._Where)

    monkeypatch.setattr(incoming, "OWN_PROCESS_BYTES", 0)
    there = new_journal()
    report, batch = _import(there, path)
    # The progress came through the pipe: the file was read in the child.
    assert isinstance(batch.reading, reader_process._Where)
    assert batch.reading.read_bytes == batch.reading.size == path.stat().st_size
    assert report.added == report_here.added == 1200
    assert _rows(there) == _rows(here)
    words = ["电梯", "水位上涨", "elev", "标签2", "tag3", "Entry"]
    assert _found(there, words) == _found(here, words)
    assert all(_found(there, words).values())
    # The index holds exactly what indexing each entry's text gives (the doctor's check).
    assert check_journal(there.db.path).ok
    assert not multiprocessing.active_children()


def test_a_malformed_file_fails_the_same_way_in_the_users_language(
    new_journal, tmp_path: Path, own_process, chinese
) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(1500, bad_at=1400))
    journal = new_journal()
    journal.add("kept as it was")
    before = snapshot(journal)
    with pytest.raises(ImportFormatError) as raised:
        import_path(journal, path)
    message = str(raised.value)
    assert "第 4201 行" in message or "4201" in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # translated there too
    assert snapshot(journal) == before
    assert not multiprocessing.active_children()


def test_a_reader_that_dies_is_an_error_and_nothing_is_imported(
    new_journal, tmp_path: Path, own_process
) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(4000))  # ~600 KB: far more than a pipe holds beyond one page
    journal = new_journal()
    before = snapshot(journal)
    killed: list[int] = []

    def progress(done: int, total: int) -> bool:
        if done and not killed:
            for child in multiprocessing.active_children():
                child.kill()
                killed.append(child.pid or 0)
        return True

    with pytest.raises(ImportFormatError, match="stopped unexpectedly"):
        import_path(journal, path, progress=progress)
    assert killed
    assert snapshot(journal) == before
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("alone", [False, True], ids=["in the log", "rollback journal"])
def test_a_full_disk_stops_the_reader_and_keeps_the_journal(
    new_journal, tmp_path: Path, own_process, alone: bool
) -> None:
    """Also as the command line imports alone with the journal (Database.bulk_write): the
    full disk rolls the rollback journal back, and the journal is in WAL again."""
    from questionbook.core.errors import DiskFull
    from questionbook.storage.connection import connect

    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(3000))
    journal = new_journal()
    journal.add("kept as it was")
    before = snapshot(journal)
    with journal.db.read() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]

    def full_soon(p: Path):  # SQLite's own "database or disk is full" after a page or two
        conn = connect(p)
        conn.execute(f"PRAGMA max_page_count = {pages + 120}")
        return conn

    seen: list[bool] = []

    def progress(done: int, total: int) -> bool:
        seen.append(Path(f"{journal.db.path}-journal").exists())
        return True

    journal.db.use_opener(full_soon)
    with pytest.raises(DiskFull):
        import_path(journal, path, alone=alone, progress=progress)
    journal.db.use_opener(connect)
    assert any(seen) is alone  # the rollback journal was in use, or not
    assert snapshot(journal) == before
    assert not multiprocessing.active_children()
    assert not Path(f"{journal.db.path}-journal").exists()
    with journal.db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_cancel_stops_the_reader_and_keeps_the_journal(
    new_journal, tmp_path: Path, own_process
) -> None:
    from questionbook.exchange.common import Cancelled

    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(3000))
    journal = new_journal()
    before = snapshot(journal)
    with pytest.raises(Cancelled):
        import_path(journal, path, progress=lambda done, total: done == 0)
    assert snapshot(journal) == before
    assert not multiprocessing.active_children()


def test_without_a_process_the_file_is_read_here(
    new_journal, tmp_path: Path, own_process, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A parser that cannot cross to another process (a closure) is read here instead.
    batch = ImportBatch(format="jrnl", authoritative=False)
    got: list[object] = []
    assert not reader_process.read_in_child(lambda b: None, batch, got.append)
    assert not multiprocessing.active_children()
    # So is any file when there is one CPU to run on.
    monkeypatch.setattr(reader_process, "cpus", lambda: 1)
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(600))
    report, batch = _import(new_journal(), path)
    assert report.added == 600
    assert not isinstance(batch.reading, reader_process._Where)


def test_what_follows_the_entries_of_a_json_file_crosses_too(
    new_journal, tmp_path: Path, own_process
) -> None:
    from questionbook.exchange.api import export_journal

    source = new_journal()
    first = source.add("电梯里的问题？ #水位")
    source.add("a plan for the elevator", kind="plan")
    source.set_waterline(2, note="rising")
    source.follow_up(first.id, "what the water did next")
    path = tmp_path / "all.json"
    export_journal(source, "json", path)
    target = new_journal()
    report, batch = _import(target, path)
    assert isinstance(batch.reading, reader_process._Where)
    assert report.added == 3
    assert report.waterline_added == 1
    assert target.find_ids("电梯") == [first.id]
    assert target.follow_ups(first.id)[0].title == "what the water did next"
    assert check_journal(target.db.path).ok


def test_an_error_that_cannot_cross_still_reaches_the_importer() -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:  # pickles, but cannot load as Odd(message)
            super().__init__(f"odd {a} {b}")

    sent: list[tuple[str, object]] = []
    reader_process._send_error(lambda kind, payload: sent.append((kind, payload)), Odd(1, 2))
    kind, payload = sent[0]
    assert kind == "error"
    assert isinstance(payload, ImportFormatError)
    assert str(payload) == "odd 1 2"
    # One that crosses goes as it is.
    reader_process._send_error(lambda kind, payload: sent.append((kind, payload)), OSError(5, "x"))
    assert isinstance(sent[1][1], OSError) and sent[1][1].errno == 5


def test_the_parsers_cross_to_a_process_of_their_own(tmp_path: Path) -> None:
    import pickle

    from questionbook.exchange.jrnl import read_jrnl
    from questionbook.exchange.json_format import read_json

    for reader, name in ((read_jrnl, "j.txt"), (read_json, "j.json")):
        path = tmp_path / name
        path.write_bytes(b" " * (incoming.READ_FIRST_BYTES + 1))  # large: streamed
        batch = reader(path)
        assert batch.own_process and batch.stream is not None
        again = pickle.loads(pickle.dumps(batch.stream))
        assert isinstance(again, functools.partial)
        assert again.args[0] == path


def test_a_reading_started_before_the_journal_opens_is_the_one_applied(
    new_journal, tmp_path: Path, own_process
) -> None:
    """The command line starts the reading process first (read_file, start_reading), then
    opens the journal; the import takes that process's pages, and starts no second one."""
    from questionbook.exchange.api import read_file

    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(900))
    batch = read_file(path, "auto", tz=None)
    batch.start_reading()
    started = batch.reader
    assert isinstance(started, reader_process.Reader) and started.child.is_alive()
    journal = new_journal()
    report = import_path(journal, path, batch=batch)
    assert report.added == 900
    assert batch.reader is None and not started.child.is_alive()
    assert isinstance(batch.reading, reader_process._Where)  # the pages came through its pipe
    assert batch.reading.read_bytes == path.stat().st_size
    assert sorted(journal.find_ids("水位上涨")) and check_journal(journal.db.path).ok
    assert not multiprocessing.active_children()


def test_a_reading_started_but_never_wanted_is_stopped(tmp_path: Path, own_process) -> None:
    """The journal did not open (locked, damaged): the command stops the reading process."""
    from questionbook.exchange.api import read_file

    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(900))
    batch = read_file(path, "auto", tz=None)
    batch.start_reading()
    child = batch.reader.child
    batch.stop_reading()
    assert batch.reader is None and not child.is_alive()
    assert not multiprocessing.active_children()
    batch.stop_reading()  # twice: nothing left to stop


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "new interpreter"])
def test_a_forked_reader_reads_the_same_as_a_new_interpreter(
    new_journal, tmp_path: Path, own_process, fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line asks for a fork (no new interpreter to start); the app never does.
    (A fork is forced here: a test before may have left this process a thread of Qt's.)"""
    from questionbook.exchange.api import read_file

    monkeypatch.setattr(reader_process, "can_fork", lambda: True)
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(900))
    batch = read_file(path, "auto", tz=None)
    batch.start_reading(fork=fork)
    started = batch.reader
    assert type(started.child).__name__ == ("ForkProcess" if fork else "SpawnProcess")
    journal = new_journal()
    report = import_path(journal, path, batch=batch)
    assert report.added == 900 and not started.child.is_alive()
    assert batch.reading.read_bytes == path.stat().st_size  # the pages came through its pipe
    assert sorted(journal.find_ids("水位上涨")) and check_journal(journal.db.path).ok
    assert not multiprocessing.active_children()


def test_a_forked_reader_ends_when_its_importer_is_gone(
    tmp_path: Path, own_process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fork holds a copy of the pipe's receiving end: it closes it at once, so that when
    the importer's end closes (the importer died) its next send fails and it ends, rather
    than wait forever on a pipe nobody reads."""
    from questionbook.exchange.api import read_file

    monkeypatch.setattr(reader_process, "can_fork", lambda: True)

    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(4000))  # far more than the pipe holds: the child blocks in a send
    batch = read_file(path, "auto", tz=None)
    batch.start_reading(fork=True)
    reader = batch.reader
    assert type(reader.child).__name__ == "ForkProcess"
    assert reader.receiver.poll(10)  # a page is on its way
    reader.receiver.close()  # as the importer's death would
    reader.child.join(10)
    assert reader.child.exitcode == 0  # it ended on its own, on the broken pipe
    batch.reader = None


def test_no_fork_while_another_thread_runs(tmp_path: Path, own_process) -> None:
    """A fork copies a lock another thread holds, held forever: with a second thread the
    reader is a new interpreter, whatever the caller asked. A process of one thread (the
    command line) may fork."""
    import subprocess
    import sys
    import threading

    from questionbook.exchange.api import read_file

    alone = "from questionbook.exchange.reader_process import can_fork; print(can_fork())"
    out = subprocess.run([sys.executable, "-c", alone], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(50))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not reader_process.can_fork()
        batch = read_file(path, "auto", tz=None)
        batch.start_reading(fork=True)
        assert type(batch.reader.child).__name__ == "SpawnProcess"
        batch.stop_reading()
    finally:
        release.set()
        other.join()
