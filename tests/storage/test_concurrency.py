"""Many writers at once, very large bodies and odd characters: nothing is lost, nothing crashes.

The writers are real processes (each ``add`` opens the journal, writes one entry and closes it,
as separate ``questionbook add`` runs do) racing a Journal in this process and a backup.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from questionbook.core.entry_sql import MAX_BODY_CHARS
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.storage import backup

PER_CLI = 25
IN_PROCESS = 40

WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from questionbook.cli.main import run
    name, count, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    for _ in range(3000):  # wait for the start signal (bounded)
        if go.exists():
            break
        time.sleep(0.01)
    failures = 0
    for i in range(count):
        if run(["add", "-t", name, f"{name} entry {i}"]) != 0:
            failures += 1
    sys.exit(failures)
""")


def test_two_clis_and_the_app_write_at_once(app_paths: AppPaths, tmp_path: Path) -> None:
    svc = open_services(app_paths)
    svc.journal.add("already there")
    go = tmp_path / "go"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(app_paths.data_dir), "LANGUAGE": "en"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"cli{k}", str(PER_CLI), str(go)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in (1, 2)
    ]
    try:
        go.touch()
        made_backup = None
        for i in range(IN_PROCESS):
            svc.journal.add(f"app entry {i}", "typed in the window")
            if i == IN_PROCESS // 2:  # a backup in the middle of it all finishes too
                made_backup = backup.make_backup(app_paths.database)
        errors = [p.communicate(timeout=300)[1] for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e.lower() or "busy" in e.lower() for e in errors), errors
    journal = svc.journal
    assert journal.count() == 1 + IN_PROCESS + 2 * PER_CLI
    for k in (1, 2):
        titles = {s.title for s in journal.find(f"#cli{k}", limit=None)}
        assert titles == {f"cli{k} entry {i}" for i in range(PER_CLI)}
    assert len(journal.find("app entry", limit=None)) == IN_PROCESS
    assert made_backup is not None and backup.verify_backup(made_backup.path) is None
    svc.close()


def test_ten_megabyte_bodies_save_and_read_back(journal: Journal) -> None:
    body = ("A long essay about elevators and stairs 电梯与楼梯. " * 220_000)[:MAX_BODY_CHARS]
    assert len(body) == MAX_BODY_CHARS
    entry = journal.add("A very long entry", body)
    again = journal.get(entry.id)
    assert again.body == body
    assert [s.id for s in journal.find("elevators")] == [entry.id]
    assert [s.id for s in journal.find("楼梯")] == [entry.id]
    edited = journal.update(entry.id, body=body[:-10] + "zebra end.")
    assert journal.get(edited.id).body.endswith("zebra end.")
    with pytest.raises(InvalidValue, match="too long"):
        journal.add("too long", body + "x")
    assert journal.count() == 1


ODD = "a\x00b\ud800c\udfffd\x07e\x1bf\u200bg\r\n\x0bh\ufeff"


def test_nul_surrogates_and_control_characters_are_stored_cleaned(journal: Journal) -> None:
    entry = journal.add(f"odd {ODD} title", f"body {ODD} #tag\x00x", tags=[f"t{ODD}"])
    got = journal.get(entry.id)
    for text in (got.title, got.body, *got.tags):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogates: this would raise
    assert got.title.startswith("odd ab")
    assert "\x07" in got.body  # other control characters are kept as typed
    journal.update(entry.id, title=f"new {ODD}", body=ODD, add_tags=[ODD])
    assert "\x00" not in journal.get(entry.id).title
    for query in (ODD, f'"{ODD}"', f"#{ODD}", "\x00", "\ud800"):
        assert isinstance(journal.find(query), list)
    assert journal.count() == 1


def test_invalid_utf8_on_the_command_line_is_stored_cleaned(
    app_paths: AppPaths, services: Services
) -> None:
    env = {**os.environ, "QUESTIONBOOK_HOME": str(app_paths.data_dir), "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "questionbook", "add", b"bad bytes \xff\xfe here\x01"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [summary] = services.journal.find("")
    assert summary.title.startswith("bad bytes ") and summary.title.endswith("here\x01")
    summary.title.encode("utf-8")


def test_eight_processes_creating_the_same_journal_lose_nothing(tmp_path: Path) -> None:
    """Concurrent first use (issue 14, item 13): the journal does not exist yet and eight
    processes each add five entries. Creation and migration used to race ("database is
    locked" out of Alembic): 36 of 40 were saved."""
    home = tmp_path / "fresh"
    go = tmp_path / "go"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANGUAGE": "en"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"p{k}", "5", str(go)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(8)
    ]
    try:
        go.touch()
        errors = [p.communicate(timeout=300)[1] for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0] * 8, errors
    assert not any("Traceback" in e for e in errors), errors
    svc = open_services(AppPaths(home, home / "config"))
    try:
        assert svc.journal.count() == 40
    finally:
        svc.close()


# -- first use by several processes at once (found by the test above, one run in ten) -------------
def test_a_journal_created_while_it_is_probed_is_not_taken_for_another_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A probe read the header (no application id yet), then another process created the
    journal, then the probe read its tables: "an SQLite database, but not a QuestionBook
    journal". Both reads are one snapshot now: the file is still new to this probe, and the
    next probe sees the journal."""
    from questionbook.storage import new_schema, probe
    from questionbook.storage.connection import connect

    path = tmp_path / "journal.sqlite3"
    connect(path).close()  # a new, empty file in WAL mode, as a first start leaves it
    real = probe.open_read_only
    created: list[bool] = []

    class CreatedMidway:
        """The probe's connection; the journal is created by another connection just before
        the probe lists the tables."""

        def __init__(self, conn) -> None:
            self.conn = conn

        def execute(self, sql: str, *args):
            if "sqlite_master" in sql and not created:
                created.append(new_schema.create(path))
            return self.conn.execute(sql, *args)

        def close(self) -> None:
            self.conn.close()

    monkeypatch.setattr(probe, "open_read_only", lambda *a, **k: CreatedMidway(real(*a, **k)))
    state = probe.probe(path, None)
    assert created == [True]  # the other connection did create it in between
    assert state.exists and state.revision is None  # what the probe's snapshot held
    monkeypatch.setattr(probe, "open_read_only", real)
    assert probe.probe(path, None).revision is not None  # the journal, created


def test_a_backup_removed_by_another_process_while_listed_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight processes making the day's backup at once: one's rotation removed a backup while
    another listed the folder, and the listing's `stat` failed the other's command."""
    db = tmp_path / "journal.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    gone = folder / "journal-2026-12-07T055917Z.sqlite3"
    kept = folder / "journal-2026-12-07T055918Z.sqlite3"
    for f in (gone, kept):
        f.write_bytes(b"\0" * 100)
    real = os.scandir

    def listed_then_removed(where):
        entries = list(real(where))
        gone.unlink()  # the other process's rotation, between the listing and the stat
        return iter(entries)

    monkeypatch.setattr(backup.os, "scandir", listed_then_removed)
    assert [b.path for b in backup.list_backups(db, folder)] == [kept]
