"""Database.bulk_write: a large import by a process alone with the journal skips the
write-ahead log, and is as atomic and as private as any other write."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from questionbook.core.journal import Journal
from questionbook.storage.database import Database


def _mode(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def _titles(db: Database) -> list[str]:
    with db.read() as conn:
        return [r[0] for r in conn.execute("SELECT title FROM entry ORDER BY num")]


def _fill(conn: sqlite3.Connection, start: int, n: int) -> None:
    """*n* entries straight into the tables (enough of them to spill SQLite's page cache)."""
    conn.executemany(
        "INSERT INTO entry (id, kind, title, body, starred, outcome, tags_text, created_at,"
        " updated_at) VALUES (?, 'note', ?, ?, 0, '', '', '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z')",
        (
            (f"00000000-0000-4000-8000-{i:012d}", f"bulk {i}", "x" * 2000)
            for i in range(start, start + n)
        ),
    )


def test_alone_it_runs_without_the_log_and_goes_back_to_it(journal: Journal) -> None:
    journal.add("already there")
    db = journal.db
    with db.read():  # an idle pooled connection of this very process does not stop it
        pass
    with db.bulk_write() as conn:
        assert _mode(conn) == "delete"
        _fill(conn, 0, 50)
    with db.read() as conn:
        assert _mode(conn) == "wal"
    assert _titles(db) == ["already there", *(f"bulk {i}" for i in range(50))]
    assert not Path(f"{db.path}-journal").exists()


def test_with_another_connection_open_it_stays_in_the_log(journal: Journal) -> None:
    journal.add("already there")
    other = sqlite3.connect(journal.db.path)  # the app, say, with the journal open
    try:
        other.execute("SELECT count(*) FROM entry").fetchone()
        with journal.db.bulk_write() as conn:
            assert _mode(conn) == "wal"
            _fill(conn, 0, 5)
            # in the log, the other connection still reads the journal as it was
            assert other.execute("SELECT count(*) FROM entry").fetchone()[0] == 1
        assert other.execute("SELECT count(*) FROM entry").fetchone()[0] == 6
    finally:
        other.close()
    with journal.db.read() as conn:
        assert _mode(conn) == "wal"


def test_an_error_rolls_it_all_back_and_the_log_returns(journal: Journal) -> None:
    journal.add("already there")
    with pytest.raises(RuntimeError, match="half-way"), journal.db.bulk_write() as conn:
        _fill(conn, 0, 2000)
        raise RuntimeError("half-way")
    assert _titles(journal.db) == ["already there"]
    with journal.db.read() as conn:
        assert _mode(conn) == "wal"
    assert not Path(f"{journal.db.path}-journal").exists()


def test_its_rollback_journal_is_readable_by_the_owner_alone(journal: Journal) -> None:
    journal.add("already there")
    side = Path(f"{journal.db.path}-journal")
    with journal.db.bulk_write() as conn:
        conn.execute("UPDATE entry SET title = 'changed'")  # journals the page it changes
        _fill(conn, 0, 3000)  # and spills the cache into the file
        assert side.exists()
        assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0
    assert not side.exists()


KILLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from questionbook.storage.database import Database
    db = Database(Path(sys.argv[1]))
    with db.bulk_write() as conn:
        conn.execute("UPDATE entry SET title = 'overwritten'")
        conn.executemany(
            "INSERT INTO entry (id, kind, title, body, starred, outcome, tags_text, created_at,"
            " updated_at) VALUES (?, 'note', 'half', ?, 0, '', '', '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:00:00Z')",
            ((f"00000000-0000-4000-8000-{i:012d}", "y" * 3000) for i in range(20000)),
        )
        assert Path(sys.argv[1] + "-journal").exists()
        os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_process_killed_half_way_leaves_the_journal_as_it_was(journal: Journal, services) -> None:
    journal.add("kept as it was")
    path = journal.db.path
    services.close()  # the killed process must be alone with the journal
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(path)],
        env={**os.environ, "LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr
    assert Path(f"{path}-journal").exists()  # a hot journal: the file holds half a write
    db = Database(path)
    try:
        assert _titles(db) == ["kept as it was"]  # played back before anything read
        with db.read() as conn:
            assert _mode(conn) == "wal"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
    assert not Path(f"{path}-journal").exists()


@pytest.mark.parametrize("alone", [True, False])
def test_only_a_large_import_alone_skips_the_log(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: bool
) -> None:
    from questionbook.exchange import incoming
    from questionbook.exchange.api import import_path

    monkeypatch.setattr(incoming, "READ_FIRST_BYTES", 0)  # streamed: "large"
    path = tmp_path / "journal.txt"
    path.write_text(
        "\n".join(f"[2024-01-{1 + i % 28:02d} 09:00] Entry {i}\nbody {i}\n" for i in range(3000))
    )
    journal.add("already there")
    rollback_journal = Path(f"{journal.db.path}-journal")
    seen: list[bool] = []

    def progress(done: int, total: int) -> bool:
        seen.append(rollback_journal.exists())
        return True

    report = import_path(journal, path, "jrnl", progress=progress, alone=alone)
    assert report.added == 3000
    assert any(seen) is alone  # a rollback journal was written beside the file, or not
    assert not rollback_journal.exists()
    with journal.db.read() as conn:
        assert _mode(conn) == "wal"
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == 3001
        hits = conn.execute("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH 'body'")
        assert hits.fetchone()[0] == 3000


def test_a_small_import_alone_stays_in_the_log(journal: Journal, tmp_path: Path) -> None:
    """A file read whole (under 8 MiB) with few entries is written through the log, where
    other processes can read while it writes."""
    from questionbook.exchange.api import import_path

    path = tmp_path / "journal.txt"
    path.write_text("".join(f"[2024-01-01 09:{i:02d}] Entry {i}\n\n" for i in range(20)))
    journal.add("already there")
    seen: list[tuple[bool, bool]] = []

    def progress(done: int, total: int) -> bool:
        db = journal.db.path
        seen.append((Path(f"{db}-journal").exists(), Path(f"{db}-wal").exists()))
        return True

    assert import_path(journal, path, "jrnl", progress=progress, alone=True).added == 20
    assert seen and all(wal and not rollback for rollback, wal in seen)


@pytest.mark.parametrize("first", ["list", "doctor"])
def test_after_a_killed_import_the_next_command_reads_the_journal_as_it_was(
    journal: Journal, services, first: str
) -> None:
    """A killed import's hot journal can only be rolled back by a connection that may write;
    every command starts by looking at the journal read-only (the probe, the doctor), and
    failed with "attempt to write a readonly database" until something wrote. The probe plays
    the journal back first now."""
    journal.add("kept as it was")
    path = journal.db.path
    services.close()
    env = {**os.environ, "LANGUAGE": "en", "QUESTIONBOOK_HOME": str(path.parent)}
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(path)], env=env, capture_output=True, timeout=120
    )
    assert proc.returncode == -9
    assert Path(f"{path}-journal").stat().st_size > 0  # hot
    command = subprocess.run(
        [sys.executable, "-m", "questionbook", "--db", str(path), first],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr
    assert "readonly" not in command.stderr and "read-only" not in command.stderr
    if first == "list":
        assert "kept as it was" in command.stdout and "overwritten" not in command.stdout
    assert not Path(f"{path}-journal").exists()
    db = Database(path)
    try:
        assert _titles(db) == ["kept as it was"]
    finally:
        db.close()
