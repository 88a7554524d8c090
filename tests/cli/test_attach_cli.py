"""``attach``, ``detach``, ``links`` and what ``show --json`` says of files and links."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import CLI


def _blobs(qb: CLI) -> int:
    conn = sqlite3.connect(qb.home / "journal.sqlite3")  # type: ignore[attr-defined]
    try:
        return int(conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0])
    finally:
        conn.close()


def test_attach_show_detach(qb: CLI, tmp_path: Path) -> None:
    photo = tmp_path / "white board.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(b"%PDF-1.7 tiny")
    entry_id = qb("add", "Why does grokking happen?").stdout.strip()
    out = qb("attach", entry_id[:8], str(photo), str(paper)).stdout
    assert "Attached white board.jpg" in out and "image/jpeg" in out
    data = json.loads(qb("show", entry_id, "--json").stdout)
    assert data["attachments"] == [
        {
            "name": "white board.jpg",
            "sha256": hashlib.sha256(photo.read_bytes()).hexdigest(),
            "size": photo.stat().st_size,
            "mime": "image/jpeg",
        },
        {
            "name": "paper.pdf",
            "sha256": hashlib.sha256(paper.read_bytes()).hexdigest(),
            "size": paper.stat().st_size,
            "mime": "application/pdf",
        },
    ]
    assert all(set(a) == {"name", "sha256", "size", "mime"} for a in data["attachments"])
    assert "![white board.jpg](attachment:" in data["body"] and "white%20board.jpg)" in data["body"]
    assert "[paper.pdf](attachment:" in data["body"]
    assert "Attachments:" in qb("show", entry_id).stdout
    qb("detach", entry_id, "white board.jpg")
    data = json.loads(qb("show", entry_id, "--json").stdout)
    assert [a["name"] for a in data["attachments"]] == ["paper.pdf"]
    assert "white board" not in data["body"]
    assert _blobs(qb) == 1


def test_attach_no_insert_and_json(qb: CLI, tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("x")
    entry_id = qb("add", "Plan", "-k", "plan").stdout.strip()
    added = json.loads(qb("attach", entry_id, str(f), "--no-insert", "--json").stdout)
    assert added[0]["name"] == "notes.txt" and added[0]["mime"] == "text/plain"
    assert json.loads(qb("show", entry_id, "--json").stdout)["body"] == ""


def test_attach_errors_are_one_line_and_change_nothing(qb: CLI, tmp_path: Path) -> None:
    entry_id = qb("add", "Q").stdout.strip()
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        fh.truncate((2 << 20) + 5)
    settings = qb.home / "config" / "settings.ini"  # type: ignore[attr-defined]
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[questionbook]\nattachment_max_mb = 2\n")
    proc = qb("attach", entry_id, str(big), check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "big.bin is 2.0 MB; attachments are limited to 2.0 MB" in proc.stderr
    proc = qb("attach", entry_id, str(tmp_path / "nope.png"), check=False)
    assert proc.returncode == 1 and "cannot read" in proc.stderr
    proc = qb("detach", entry_id, "nope.png", check=False)
    assert proc.returncode == 1 and "Q has no attachments" in proc.stderr
    assert json.loads(qb("show", entry_id, "--json").stdout)["attachments"] == []
    assert _blobs(qb) == 0


def test_links_and_backlinks_in_show_and_links(qb: CLI) -> None:
    target = qb("add", "电梯为什么会突然停下？").stdout.strip()
    source = qb("add", f"Plan\nBuild on [[{target}|电梯]]. Then more.", "-k", "plan").stdout.strip()
    data = json.loads(qb("show", source, "--json").stdout)
    assert (data["links"], data["backlinks"]) == ([target], [])
    assert json.loads(qb("show", target, "--json").stdout)["backlinks"] == [source]
    out = json.loads(qb("links", target[:8], "--json").stdout)
    assert out["backlinks"][0]["sentences"] == ["Build on 电梯为什么会突然停下？."]
    assert [e["id"] for e in json.loads(qb("search", f"links:{target[:8]}", "--json").stdout)] == [
        source
    ]
    qb("rm", target)
    text = qb("links", source).stdout
    assert "(in the Trash)" in text
