"""Damaged journals: the real CLI says what is wrong in one line, names the newest good backup
and the restore command, exits 1, and leaves the damaged file byte-for-byte as it was."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage import backup

PAGE = 4096


def qb(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "LANG": "C.UTF-8", "LANGUAGE": "en"}
    return subprocess.run(
        [sys.executable, "-m", "questionbook", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def journal_with_backup(app_paths: AppPaths) -> tuple[AppPaths, backup.BackupInfo]:
    svc = open_services(app_paths)
    for i in range(80):
        svc.journal.add(f"question {i} about elevators", "stairs " * 500)
    svc.close()
    return app_paths, backup.make_backup(app_paths.database)


def assert_clear_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("questionbook: error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "not a database":
        path.write_bytes(b"Dear diary, today I asked a good question.\n" * 200)
    elif how == "torn header":
        path.write_bytes(bytes(data[:60]))
    elif how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "garbage in the middle":
        conn = sqlite3.connect(path)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entry'").fetchone()[0]
        conn.close()
        data = bytearray(path.read_bytes())
        rnd = random.Random(11)
        n = len(data) // PAGE
        for page in (root, n // 2, n // 2 + 1):
            start = (page - 1) * PAGE
            data[start : start + PAGE] = bytes(rnd.getrandbits(8) for _ in range(PAGE))
        path.write_bytes(bytes(data))
    else:  # pragma: no cover
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["not a database", "torn header", "truncated", "garbage in the middle"]
)
def test_damaged_journal_gets_one_clear_line_and_is_not_touched(
    journal_with_backup: tuple[AppPaths, backup.BackupInfo], how: str
) -> None:
    paths, good = journal_with_backup
    damage(paths.database, how)
    before = paths.database.read_bytes()
    result = qb(paths.data_dir, "list", "--limit", "0")
    assert_clear_error(result, str(good.path), "questionbook restore-backup")
    assert paths.database.read_bytes() == before
    assert backup.newest_good_backup(paths.database).path == good.path  # nothing rotated away


def test_the_named_restore_command_brings_the_journal_back(
    journal_with_backup: tuple[AppPaths, backup.BackupInfo],
) -> None:
    paths, _good = journal_with_backup
    damage(paths.database, "not a database")
    damaged = paths.database.read_bytes()
    result = qb(paths.data_dir, "restore-backup")
    assert result.returncode == 0, result.stderr
    assert "Moved the damaged journal aside" in result.stdout
    aside = list(paths.data_dir.glob("journal.sqlite3.damaged-*Z"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    listed = qb(paths.data_dir, "list", "--limit", "0")
    assert listed.returncode == 0 and listed.stdout.count("about elevators") == 80


def test_without_a_backup_the_message_says_so(app_paths: AppPaths) -> None:
    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"\x00\x01 not sqlite" * 50)
    before = app_paths.database.read_bytes()
    result = qb(app_paths.data_dir, "add", "a question")
    assert_clear_error(result, "no good backup", "doctor")
    assert app_paths.database.read_bytes() == before


def test_another_journal_file_is_named_with_db(tmp_path: Path, app_paths: AppPaths) -> None:
    other = tmp_path / "work" / "work.sqlite3"
    svc = open_services(app_paths, other)
    svc.journal.add("at work")
    svc.close()
    info = backup.make_backup(other)
    damage(other, "torn header")
    result = qb(app_paths.data_dir, "--db", str(other), "list")
    assert_clear_error(result, str(info.path), f"questionbook --db {other} restore-backup")


def test_a_newer_schema_is_refused_and_left_alone(app_paths: AppPaths) -> None:
    svc = open_services(app_paths)
    svc.journal.add("from the future")
    svc.close()
    conn = sqlite3.connect(app_paths.database)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.commit()
    conn.close()
    before = app_paths.database.read_bytes()
    result = qb(app_paths.data_dir, "add", "from the past")
    assert result.returncode == 1
    assert "newer version of QuestionBook" in result.stderr
    assert result.stderr.count("\n") == 1
    assert app_paths.database.read_bytes() == before
