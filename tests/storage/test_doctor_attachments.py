"""The doctor on attachments: unused bytes are a note that --repair frees; damage is a problem."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from questionbook.services import Services
from questionbook.storage.connection import configure_connection
from questionbook.storage.doctor import FIXED, NOTE, PROBLEM, check_journal


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    configure_connection(conn)
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


def _codes(report, severity: str) -> set[str]:
    return {f.code for f in report.findings if f.severity == severity}


def test_unused_bytes_are_reported_and_repaired(services: Services, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"a" * 100)
    (tmp_path / "kept.txt").write_text("kept")
    entry = services.journal.add("q")
    services.attachments.attach(entry.id, [tmp_path / "a.png", tmp_path / "kept.txt"])
    services.journal.update(entry.id, body="the picture's line was deleted; kept.txt too")
    services.attachments.attach(entry.id, [tmp_path / "kept.txt"], insert=False)
    path = services.db.path
    services.close()
    report = check_journal(path)
    assert report.ok  # a note, not a problem: edits leave unused bytes until the Trash is emptied
    assert "orphan_blobs" in _codes(report, NOTE)
    assert any("1 attachment (108 B) is not used" in f.message for f in report.findings)
    repaired = check_journal(path, repair=True)
    assert "orphan_blobs" in _codes(repaired, FIXED)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0] == 1  # kept.txt
    conn.close()
    assert "orphan_blobs" not in {f.code for f in check_journal(path).findings}


def test_rows_without_bytes_and_wrong_sizes_are_problems(
    services: Services, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("aaaa")
    (tmp_path / "b.txt").write_text("bbbb")
    entry = services.journal.add("q")
    _e, added = services.attachments.attach(entry.id, [tmp_path / "a.txt", tmp_path / "b.txt"])
    path = services.db.path
    services.close()
    conn = _raw(path)
    conn.execute("DELETE FROM attachment_blob WHERE sha256 = ?", (added[0].sha256,))
    conn.execute("UPDATE attachment_blob SET size = 99 WHERE sha256 = ?", (added[1].sha256,))
    conn.close()
    report = check_journal(path)
    assert not report.ok
    assert {"orphan_attachments", "attachment_size"} <= _codes(report, PROBLEM)
    repaired = check_journal(path, repair=True)
    assert "orphan_attachments" in _codes(repaired, FIXED)
    assert "attachment_size" in _codes(repaired, PROBLEM)  # only a backup has the bytes
