"""``questionbook backup``, ``backups``, ``restore-backup`` and ``doctor`` from the command line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from questionbook.cli.main import run
from questionbook.paths import AppPaths
from questionbook.storage import backup


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(app_paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> AppPaths:
    for title in ("Why does grokking happen suddenly?", "电梯 and stairs"):
        assert cli(capsys, "add", title)[0] == 0
    return app_paths


def titles(db: Path) -> set[str]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM entry")}
    finally:
        conn.close()


def test_backup_and_list(home: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "backup")
    assert code == 0
    made = backup.list_backups(home.database)
    assert len(made) == 1 and str(made[0].path) in out
    code, out, _err = cli(capsys, "backups")
    assert code == 0 and made[0].name in out and "KB" in out
    code, out, _err = cli(capsys, "backups", "--json")
    data = json.loads(out)
    assert data[0]["path"] == str(made[0].path) and data[0]["size"] == made[0].size


def test_backup_to_a_path_or_folder(
    home: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.sqlite3"
    assert cli(capsys, "backup", str(target))[0] == 0
    assert "电梯 and stairs" in titles(target)
    code, _out, err = cli(capsys, "backup", str(target))
    assert code == 1 and "already exists" in err and err.count("\n") == 1
    folder = tmp_path / "usb"
    folder.mkdir()
    assert cli(capsys, "backup", str(folder))[0] == 0
    assert len(list(folder.glob("journal-*.sqlite3"))) == 1


def test_no_backups_yet(app_paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "backups")
    assert code == 0 and "No backups yet" in out


def test_restore_newest_good_backup_by_default(
    home: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "backup")[0] == 0
    assert cli(capsys, "add", "written later")[0] == 0
    code, out, _err = cli(capsys, "restore-backup")
    assert code == 0
    assert "Saved the current journal as" in out and "Restored" in out
    assert "written later" not in titles(home.database)
    safety = [b for b in backup.list_backups(home.database) if b.label == "pre-restore"]
    assert len(safety) == 1 and "written later" in titles(safety[0].path)
    code, out, _err = cli(capsys, "list")
    assert code == 0 and "grokking" in out


def test_restore_a_named_backup(home: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "backup")[0] == 0
    name = backup.list_backups(home.database)[0].name
    assert cli(capsys, "rm", "--purge", _first_id(capsys))[0] == 0
    code, _out, _err = cli(capsys, "restore-backup", name)
    assert code == 0 and len(titles(home.database)) == 2
    code, _out, err = cli(capsys, "restore-backup", "no-such-backup.sqlite3")
    assert code == 1 and "no backup named" in err


def _first_id(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _err = cli(capsys, "list", "--json")
    assert code == 0
    return json.loads(out)[0]["id"]


def test_restore_refuses_while_the_app_has_the_journal_open(
    home: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "backup")[0] == 0
    before = home.database.read_bytes()
    app = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        Path(f"{home.database}.lock").write_text(f"{app.pid}\nquestionbook\nhost\n")
        code, _out, err = cli(capsys, "restore-backup")
        assert code == 1 and str(app.pid) in err
        assert home.database.read_bytes() == before
    finally:
        app.kill()
        app.wait()
    assert cli(capsys, "restore-backup")[0] == 0  # a stale lock does not block


def test_doctor_reports_and_repairs(home: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "doctor")
    assert code == 0 and "No problems found" in out
    conn = sqlite3.connect(home.database)
    conn.execute("DROP TRIGGER entry_fts_insert")
    conn.close()
    code, out, _err = cli(capsys, "doctor")
    assert code == 1 and "entry_fts_insert" in out and "doctor --repair" in out
    code, out, _err = cli(capsys, "doctor", "--json")
    assert code == 1 and json.loads(out)["ok"] is False
    code, out, _err = cli(capsys, "doctor", "--repair")
    assert code == 0 and "fixed" in out and "A copy was saved first" in out
    assert cli(capsys, "doctor")[0] == 0
    assert cli(capsys, "add", "after repair zebra")[0] == 0
    code, out, _err = cli(capsys, "search", "zebra")
    assert "after repair zebra" in out


def test_doctor_on_a_damaged_file_names_the_backup(
    home: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "backup")[0] == 0
    home.database.write_bytes(b"not a database" * 500)
    code, out, _err = cli(capsys, "doctor")
    assert code == 1 and "questionbook restore-backup" in out
    assert backup.list_backups(home.database)[0].name in out
