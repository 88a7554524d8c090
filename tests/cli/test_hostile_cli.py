"""The command line under attack (issue 14): escape sequences in titles, odd dates and numbers,
unclear errors, a full disk, leftovers of interrupted runs. Each was a traceback, a raw
terminal escape or a misleading message before."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from questionbook.cli.main import run
from questionbook.paths import AppPaths
from questionbook.storage.connection import connect

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # writes "hello" to the clipboard in many terminals


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, *needles: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("questionbook: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# -- item 7: terminal escape injection ---------------------------------------------------------
def test_list_and_show_show_control_characters_instead_of_sending_them(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    title = f"innocent{OSC52}title \u202eevil\u202c \x9b31m"
    body = "line one\n\ttabbed\x1b[2Jcleared?\x7f"
    code, out, _ = cli(capsys, "add", f"{title}\n{body}")
    assert code == 0
    entry_id = out.strip()
    for args in (["list"], ["search", "innocent"], ["show", entry_id[:8]]):
        code, out, err = cli(capsys, *args)
        assert code == 0
        for raw in ("\x1b", "\x07", "\u202e", "\x9b", "\x7f"):
            assert raw not in out and raw not in err, (args, raw)
        assert "^[]52;c;aGVsbG8=^G" in out
        assert "<U+202E>" in out
    code, out, _ = cli(capsys, "show", entry_id[:8])
    assert "\ttabbed^[[2Jcleared?^?" in out  # tabs and newlines keep their layout
    assert "line one\n" in out


def test_json_output_stays_exact(app_paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    title = f"innocent{OSC52}title \u202eevil \x9b"
    entry_id = cli(capsys, "add", title)[1].strip()
    for args in (["show", entry_id, "--json"], ["list", "--json"]):
        out = cli(capsys, *args)[1]
        data = json.loads(out)
        shown = data["title"] if isinstance(data, dict) else data[0]["title"]
        assert shown == title


def test_an_error_message_cannot_drive_the_terminal(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = cli(capsys, "show", f"nosuch{OSC52}")
    assert code == 1 and "\x1b" not in err and "\x07" not in err


# -- item 11: dates near year 1 and 9999 ------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["add", "--date", "9999-12-31T23:59", "x"],
        ["add", "--date", "0001-01-01", "x"],
        ["list", "--since", "0001-01-01"],
        ["list", "--until", "9999-12-31"],
        ["search", "after:0001-01-01"],
        ["search", "before:9999-12-31 x"],
        ["export", "-o", "OUT", "--week", "0001-W01"],
        ["export", "-o", "OUT", "--week", "9999-W52"],
        ["export", "-o", "OUT", "--query", "after:0001-01-01"],
        ["review", "--week", "0001-W01"],
        ["review", "--week", "9999-W52"],
    ],
)
def test_dates_outside_the_supported_years_get_a_clear_message(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    cli(capsys, "add", "already there")
    args = [str(tmp_path / "out.md") if a == "OUT" else a for a in args]
    code, _out, err = cli(capsys, *args)
    # A query operator with a bad value is a usage error (issue 12 #14), an option's is not.
    assert code == (2 if args[0] == "search" or "--query" in args else 1)
    one_error_line(err, "1000", "9000")
    assert not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York", "Pacific/Kiritimati"])
def test_a_time_at_the_edge_of_the_range_shows_in_every_zone(
    app_paths: AppPaths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
) -> None:
    import time

    assert cli(capsys, "add", "--date", "9000-12-31T23:59", "at the far end")[0] == 0
    assert cli(capsys, "add", "--date", "1000-01-02T00:00", "at the near end")[0] == 0
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for args in (["list"], ["list", "--json"], ["search", "end"], ["review"]):
            code, _out, err = cli(capsys, *args)
            assert code == 0, err
        assert "far end" in cli(capsys, "list")[1]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_stored_times_beyond_the_range_still_display(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal written by an older version may hold 9999-12-31: showing it never fails."""
    import time

    entry_id = cli(capsys, "add", "from an older version")[1].strip()
    conn = sqlite3.connect(app_paths.database)
    conn.create_function("qb_search_text", 1, lambda t: t)
    conn.execute(
        "UPDATE entry SET created_at = '9999-12-31T23:59:00.000000+00:00' WHERE id = ?",
        (entry_id,),
    )
    conn.commit()
    conn.close()
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        for args in (["list"], ["show", entry_id], ["list", "--json"]):
            code, out, err = cli(capsys, *args)
            assert code == 0, err
            assert "older version" in out
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_relative_dates_work_as_documented(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--since -3d`` failed with "expected one argument"; only ``--since=-3d`` worked."""
    code, out, err = cli(capsys, "add", "--date", "-3d", "three days ago")
    assert code == 0, err
    entry_id = out.strip()
    assert cli(capsys, "list", "--since", "-4d")[1].count("three days ago") == 1
    assert "three days ago" not in cli(capsys, "list", "--since", "-2d")[1]
    assert "three days ago" in cli(capsys, "list", "--until", "-3d")[1]
    code, _out, err = cli(capsys, "edit", entry_id, "--date", "-5d")
    assert code == 0, err
    assert "three days ago" not in cli(capsys, "list", "--since", "-4d")[1]


# -- item 14, 15: numbers and ids -------------------------------------------------------------
def test_a_huge_limit_means_all_and_a_negative_one_is_a_usage_error(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "add", "one")
    cli(capsys, "add", "two")
    code, out, err = cli(capsys, "list", "--limit", "99999999999999999999999", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 2
    with pytest.raises(SystemExit) as info:
        run(["list", "--limit", "-1"])
    assert info.value.code == 2
    assert "0 (all) or more" in capsys.readouterr().err


def test_an_ambiguous_id_prefix_says_which_entries_it_matches(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = []
    for title in ("first", "second"):
        ids.append(cli(capsys, "add", title)[1].strip())
    conn = sqlite3.connect(app_paths.database)
    conn.create_function("qb_search_text", 1, lambda t: t)
    for i, old in enumerate(ids):  # give them ids that share a prefix
        conn.execute(
            "UPDATE entry SET id = ? WHERE id = ?",
            (f"abcd{i}111-0000-4000-8000-00000000000{i}", old),
        )
    conn.commit()
    conn.close()
    for command in (["show"], ["edit", "--title", "x"], ["rm"], ["restore"]):
        code, _out, err = cli(capsys, command[0], "abcd", *command[1:])
        assert code == 1
        line = one_error_line(err, "abcd matches 2 entries", "abcd0111-0000", "abcd1111-0000")
        assert "[" not in line and "(" not in line  # not a Python tuple


# -- item 16: export to a folder ----------------------------------------------------------------
def test_export_to_an_existing_folder_names_the_target(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli(capsys, "add", "x")
    folder = tmp_path / "exp4_dir"
    folder.mkdir()
    code, _out, err = cli(capsys, "export", "-f", "json", "-o", str(folder))
    assert code == 1
    line = one_error_line(err, str(folder), "folder")
    assert ".tmp" not in line


# -- item 12: full disk on the quick path -------------------------------------------------------
def test_a_full_disk_on_the_quick_add_path_gives_the_disk_full_message(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite rolls back by itself when the disk fills at COMMIT; the message used to be
    'cannot rollback - no transaction is active'."""
    from questionbook.cli.quick import open_quick
    from questionbook.core.entry_sql import new_entry
    from questionbook.core.errors import DiskFull

    assert cli(capsys, "add", "first")[0] == 0
    assert cli(capsys, "backup")[0] == 0  # today's backup: the quick path is taken
    quick = open_quick(app_paths.database)
    assert quick is not None
    with quick.reading() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]

    def almost_full(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    quick.db.use_opener(almost_full)  # type: ignore[attr-defined]
    try:
        big = "a long thought about elevators. " * 3000
        with pytest.raises(DiskFull, match="disk is full"):
            for i in range(20):
                quick.insert(new_entry(f"entry {i}", big, now=quick.clock()))
    finally:
        quick.db.close()
    code, out, _ = cli(capsys, "list", "--json")
    assert code == 0 and "first" in out


# -- item 20: leftovers of interrupted runs -----------------------------------------------------
def test_leftover_temp_files_are_listed_by_doctor_and_removed_by_the_next_run(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "add", "x")
    cli(capsys, "backup")
    backups = app_paths.backups
    leftover = backups / ".journal-2026-12-01T101010Z.sqlite3-k2j3h4.tmp"
    leftover.write_bytes(b"\0" * 4096)
    restore_tmp = app_paths.data_dir / ".journal.sqlite3-restore-a1b2c3.tmp"
    restore_tmp.write_bytes(b"\0" * 100)
    mine = backups / "my-own-notes.tmp"
    mine.write_text("not ours")
    code, out, _err = cli(capsys, "doctor")
    assert code == 0
    assert str(leftover) in out and str(restore_tmp) in out and "my-own-notes" not in out
    assert leftover.exists()  # the doctor only looks
    code, _out, err = cli(capsys, "list")
    assert code == 0
    assert str(leftover) in err and "interrupted" in err
    assert not leftover.exists() and not restore_tmp.exists() and mine.exists()


KILLED_BACKUP = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import questionbook.storage.backup as backup
    real = backup._copy_database
    def copy_then_die(source, target, key=None):
        real(source, target, key)
        os.kill(os.getpid(), signal.SIGKILL)  # after the copy, before its rename
    backup._copy_database = copy_then_die
    backup.make_backup(Path(sys.argv[1]))
""")


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_a_backup_killed_half_way_leaves_a_temp_file_the_next_run_removes(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "add", "x")
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP, str(app_paths.database)], timeout=60, check=False
    )
    assert proc.returncode == -9
    left = list(app_paths.backups.glob(".*.tmp"))
    assert len(left) == 1 and left[0].stat().st_size > 0
    _code, out, _err = cli(capsys, "doctor")
    assert str(left[0]) in out
    cli(capsys, "add", "y")
    assert not left[0].exists()


# -- item 18: a read-only folder is not "damaged" ----------------------------------------------
def test_doctor_on_a_read_only_journal_does_not_say_damaged(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "add", "x")
    os.chmod(app_paths.data_dir, 0o500)
    try:
        _code, out, err = cli(capsys, "doctor")
    finally:
        os.chmod(app_paths.data_dir, 0o700)
    assert "damaged" not in out + err and "restore" not in out + err
    assert "read-only" in out


def test_the_sqlite_journal_of_a_killed_backup_copy_goes_too(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "add", "x")
    cli(capsys, "backup")
    side = (
        app_paths.backups / ".journal-2026-12-06T180137Z-pre-restore.sqlite3-ij39rl3v.tmp-journal"
    )
    side.write_bytes(b"\0" * 512)
    code, _out, err = cli(capsys, "list")
    assert code == 0 and str(side) in err
    assert err.count(str(side)) == 1  # said once
    assert not side.exists()


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_a_backup_being_written_keeps_its_sqlite_journal_and_a_new_temp_file_is_spared(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    """Another process's backup in progress holds its temporary copy; SQLite's side file of
    that copy (``-journal``) is never locked, and deleting it made that backup fail. A
    temporary file just created, not yet locked by its writer, is spared too; once nobody holds
    them, the same files are leftovers."""
    import time as _time

    from questionbook.storage.leftovers import JUST_CREATED_S, journal_leftovers

    backups = app_paths.backups
    backups.mkdir(parents=True, exist_ok=True)
    copy = backups / ".journal-2026-12-07T054853Z.sqlite3-97fzptcp.tmp"
    side = copy.with_name(copy.name + "-journal")
    copy.write_bytes(b"\0" * 4096)
    side.write_bytes(b"\0" * 512)
    fresh = backups / ".journal-2026-12-07T054854Z.sqlite3-a1b2c3d4.tmp"
    fresh.touch()  # what mkstemp makes, before its writer locks it
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys; from questionbook.storage.locks import hold_temp_file; "
            "fd = os.open(sys.argv[1], os.O_RDWR); hold_temp_file(fd); print('held', flush=True); "
            "sys.stdin.read()",
            str(copy),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert journal_leftovers(app_paths.database) == []  # the copy, its journal, the new file
    finally:
        holder.communicate("", timeout=30)
    old = _time.time() - JUST_CREATED_S - 1
    os.utime(fresh, (old, old))
    found = {f.path.name for f in journal_leftovers(app_paths.database)}
    assert found == {copy.name, side.name, fresh.name}
