"""``questionbook sync`` run as a user would: two journals (two QUESTIONBOOK_HOMEs), one folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import CLI


def _other(qb: CLI, tmp_path: Path) -> dict[str, str]:
    return {"QUESTIONBOOK_HOME": str(tmp_path / "second")}


def test_folder_then_sync_then_status(qb: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "Sync" / "journal"
    entry_id = qb("add", "Why does grokking happen? #ai", "-H", "3").stdout.strip()
    out = json.loads(qb("sync", "--folder", str(folder), "--json").stdout)
    assert set(out) == {"sent", "received", "conflicts"} and out["sent"] >= 3
    other = _other(qb, tmp_path)
    out = json.loads(qb("sync", "--folder", str(folder), "--json", extra_env=other).stdout)
    assert out["received"] >= 3
    shown = json.loads(qb("show", entry_id, "--json", extra_env=other).stdout)
    assert (shown["title"], shown["hardness"], shown["tags"]) == (
        "Why does grokking happen? #ai",
        3,
        ["ai"],
    )
    qb("edit", entry_id, "--body", "written on the second computer", extra_env=other)
    assert json.loads(qb("sync", "--json", extra_env=other).stdout)["sent"] == 1
    assert json.loads(qb("sync", "--json").stdout)["received"] == 1
    status = json.loads(qb("sync", "--status", "--json").stdout)
    assert status["enabled"] and status["folder"] == str(folder)
    assert status["pending_changes"] == 0 and status["conflicts"] == 0
    assert len(status["devices"]) == 2
    assert [d["this_device"] for d in status["devices"]].count(True) == 1
    text = qb("sync", "--status").stdout
    assert "this computer" in text and str(folder) in text
    written = [p for p in (folder / "devices").rglob("*")]
    assert written and all(
        p.stat().st_mode & 0o777 == (0o700 if p.is_dir() else 0o600) for p in written
    )


def test_conflicts_are_listed_and_resolved(qb: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    other = _other(qb, tmp_path)
    entry_id = qb("add", "A question").stdout.strip()
    qb("sync", "--folder", str(folder))
    qb("sync", "--folder", str(folder), extra_env=other)
    qb("edit", entry_id, "--body", "first computer's text")
    qb("edit", entry_id, "--body", "second computer's text", extra_env=other)
    qb("sync")
    out = qb("sync", extra_env=other).stdout
    assert "edited on two computers" in out
    listed = json.loads(qb("sync", "--conflicts", "--json", extra_env=other).stdout)
    assert len(listed) == 1 and listed[0]["entry_id"] == entry_id
    assert {listed[0]["value"], listed[0]["current"]} == {
        "first computer's text",
        "second computer's text",
    }
    assert "first computer's text" in qb("sync", "--conflicts", extra_env=other).stdout
    qb("sync", "--resolve", listed[0]["id"][:8], extra_env=other)
    assert json.loads(qb("sync", "--conflicts", "--json", extra_env=other).stdout) == []
    bad = qb("sync", "--resolve", "zzzz", check=False, extra_env=other)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1


def test_errors_are_one_line(qb: CLI, tmp_path: Path) -> None:
    qb("add", "Something")
    proc = qb("sync", check=False)
    assert proc.returncode == 1 and "sync --folder" in proc.stderr
    assert proc.stderr.count("\n") == 1
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    proc = qb("sync", "--folder", str(not_a_folder), check=False)
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    folder = tmp_path / "usb"
    qb("sync", "--folder", str(folder))
    folder.rename(tmp_path / "unplugged")
    qb("add", "Written while the stick was out")
    proc = qb("sync", check=False)
    assert proc.returncode == 1 and "missing" in proc.stderr
    (tmp_path / "unplugged").rename(folder)
    assert json.loads(qb("sync", "--json").stdout)["sent"] >= 1


def test_disable_stops_syncing(qb: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    qb("add", "Before")
    qb("sync", "--folder", str(folder))
    assert "off" in qb("sync", "--disable").stdout
    assert not json.loads(qb("sync", "--status", "--json").stdout)["enabled"]
    assert qb("sync", check=False).returncode == 1
