"""Attachments and links through every export and import: byte-identical, and never fooled."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.core.links import Links, link_markup
from questionbook.exchange.api import export_journal, import_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"pixels" * 50
OTHER_PNG = PNG + b"different bytes, same name"


def _files(journal: Journal) -> AttachmentService:
    return AttachmentService(journal.db, clock=journal.clock)


def _fill(journal: Journal, tmp_path: Path) -> dict[str, str]:
    """Three entries: a target, a source that links to it and shows an image, and one with
    another image of the same name plus a file attached without a reference."""
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "image.png").write_bytes(PNG)
    (src / "b" / "image.png").write_bytes(OTHER_PNG)
    (src / "电梯 notes.txt").write_text("走楼梯 vs 造电梯", encoding="utf-8")
    files = _files(journal)
    target = journal.add("电梯为什么会突然停下？")
    source = journal.add(
        "Plan", f"Builds on {link_markup(target.id, target.title)} and [[{target.id}]]."
    )
    third = journal.add("Third")
    files.attach(source.id, [src / "a" / "image.png"])
    files.attach(third.id, [src / "b" / "image.png"])
    files.attach(third.id, [src / "电梯 notes.txt"], insert=False)
    return {"target": target.id, "source": source.id, "third": third.id}


def _state(journal: Journal, ids: dict[str, str]) -> dict[str, object]:
    files, links = _files(journal), Links(journal.db)
    out: dict[str, object] = {}
    for key, entry_id in ids.items():
        entry = journal.get(entry_id)
        held = files.attached(entry_id)
        data = {}
        with journal.reading() as conn:
            from questionbook.core.attachments import read_bytes

            for a in held:
                data[a.name] = read_bytes(conn, a.sha256)
        out[key] = (
            entry.body,
            [a.to_json() for a in held],
            data,
            [t.id for t in links.outgoing(entry_id)],
            links.backlink_ids(entry_id),
        )
    return out


@pytest.mark.parametrize("fmt", ["json", "vault"])
def test_round_trip_is_byte_identical(new_journal, tmp_path: Path, fmt: str) -> None:
    source = new_journal()
    ids = _fill(source, tmp_path)
    out = tmp_path / ("export.json" if fmt == "json" else "vault")
    export_journal(source, fmt, out)
    target = new_journal()
    report = import_path(target, out)
    assert report.added == 3 and report.attachments_added == 3, report
    assert _state(target, ids) == _state(source, ids)
    again = import_path(target, out)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_json_keeps_the_bytes_beside_the_file(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    _fill(journal, tmp_path)
    out = tmp_path / "out" / "journal.json"
    export_journal(journal, "json", out)
    folder = tmp_path / "out" / "journal.attachments"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        hashlib.sha256(b).hexdigest() for b in (PNG, OTHER_PNG, "走楼梯 vs 造电梯".encode())
    )
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["attachments"]["folder"] == "journal.attachments"
    third = next(e for e in doc["entries"] if e["title"] == "Third")
    assert [(a["name"], a["inline"]) for a in third["attachments"]] == [
        ("image.png", True),
        ("电梯 notes.txt", False),
    ]
    plain = new_journal()
    plain.add("no files")
    export_journal(plain, "json", tmp_path / "plain.json")
    assert not (tmp_path / "plain.attachments").exists()  # no empty folder when nothing to carry


def test_json_import_refuses_hostile_paths_and_skips_damaged_files(
    new_journal, tmp_path: Path
) -> None:
    journal = new_journal()
    ids = _fill(journal, tmp_path)
    out = tmp_path / "journal.json"
    export_journal(journal, "json", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    evil = json.loads(json.dumps(doc))
    evil["attachments"]["folder"] = "../elsewhere"
    (tmp_path / "evil.json").write_text(json.dumps(evil), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not beside the file"):
        import_path(new_journal(), tmp_path / "evil.json")
    evil = json.loads(json.dumps(doc))
    evil["attachments"]["files"][0]["sha256"] = "../../etc/passwd"
    (tmp_path / "evil.json").write_text(json.dumps(evil), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not an attachment's SHA-256"):
        import_path(new_journal(), tmp_path / "evil.json")
    folder = tmp_path / "journal.attachments"
    (folder / hashlib.sha256(PNG).hexdigest()).write_bytes(b"tampered")  # wrong content
    (folder / hashlib.sha256(OTHER_PNG).hexdigest()).unlink()  # missing
    target = new_journal()
    report = import_path(target, out)
    assert report.added == 3 and report.attachments_added == 1
    assert any("does not match its SHA-256" in n for n in report.notes)
    assert any("1 attachment is missing" in n for n in report.notes)
    assert journal.get(ids["source"]).body == target.get(ids["source"]).body  # references kept
    assert [a.name for a in _files(target).attached(ids["third"])] == ["电梯 notes.txt"]


def test_vault_links_and_files_work_in_obsidian(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    ids = _fill(journal, tmp_path)
    root = tmp_path / "vault"
    export_journal(journal, "vault", root)
    names = {p.name for p in (root / "attachments").iterdir()}
    renamed = {f"image-{hashlib.sha256(b).hexdigest()[:8]}.png" for b in (PNG, OTHER_PNG)}
    assert len(names) == 3 and "image.png" in names and "电梯 notes.txt" in names
    assert len(names & renamed) == 1  # the same name, other bytes: the second gets its hash
    source = next(root.rglob(f"*-{ids['source'][:8]}.md"))
    target = next(root.rglob(f"*-{ids['target'][:8]}.md"))
    text = source.read_text(encoding="utf-8")
    assert f"[[{target.stem}|电梯为什么会突然停下？]]" in text and f"[[{target.stem}]]" in text
    link = text.split("![image.png](", 1)[1].split(")", 1)[0]
    assert (source.parent / urllib.parse.unquote(link)).resolve().read_bytes() == PNG
    assert "attachment:" not in text


def test_vault_reexport_keeps_foreign_files_and_removes_stale_ones(
    new_journal, tmp_path: Path
) -> None:
    journal = new_journal()
    ids = _fill(journal, tmp_path)
    root = tmp_path / "vault"
    (root / "attachments").mkdir(parents=True)
    (root / "attachments" / "image.png").write_bytes(b"the user's own file")
    export_journal(journal, "vault", root)
    assert (root / "attachments" / "image.png").read_bytes() == b"the user's own file"
    _files(journal).detach(ids["third"], "电梯 notes.txt")
    export_journal(journal, "vault", root)
    assert not (root / "attachments" / "电梯 notes.txt").exists()
    assert (root / "attachments" / "image.png").read_bytes() == b"the user's own file"


def test_vault_import_never_leaves_the_folder_and_reads_obsidian_embeds(
    new_journal, tmp_path: Path
) -> None:
    journal = new_journal()
    entry = journal.add("Pictures")
    root = tmp_path / "vault"
    export_journal(journal, "vault", root)
    (tmp_path / "outside.png").write_bytes(PNG)
    (root / "attachments").mkdir()
    (root / "attachments" / "Pasted image.png").write_bytes(PNG)
    path = next(root.rglob(f"*-{entry.id[:8]}.md"))
    text = path.read_text(encoding="utf-8").replace(
        "# Pictures\n\n",
        "# Pictures\n\n![](../../../outside.png)\n![[Pasted image.png]]\n[x](https://example.com/a.png)\n",
    )
    text = text.replace(
        "parent: null",
        'parent: null\nattachments: [{"file": "../outside.png", "name": "x", "sha256": "'
        + "0" * 64
        + '"}]',
    )
    path.write_text(text, encoding="utf-8")
    report = import_path(journal, root)
    body = journal.get(entry.id).body
    assert "![](../../../outside.png)" in body  # left as text: outside the vault
    assert "https://example.com/a.png" in body
    sha = hashlib.sha256(PNG).hexdigest()
    assert f"![Pasted image.png](attachment:{sha}/Pasted%20image.png)" in body
    assert [a.name for a in _files(journal).attached(entry.id)] == ["Pasted image.png"]
    assert any("outside the vault" in n for n in report.notes)


def test_markdown_export_writes_a_folder_next_to_the_file(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    _fill(journal, tmp_path)
    out = tmp_path / "md" / "journal.md"
    export_journal(journal, "markdown", out)
    text = out.read_text(encoding="utf-8")
    folder = tmp_path / "md" / "journal.attachments"
    links = [part.split(")", 1)[0] for part in text.split("![image.png](")[1:]]
    assert len(links) == 2 and all(link.startswith("journal.attachments/") for link in links)
    assert {(out.parent / urllib.parse.unquote(link)).read_bytes() for link in links} == {
        PNG,
        OTHER_PNG,
    }
    assert "Attached: [电梯 notes.txt](journal.attachments/%E7%94%B5%E6%A2%AF%20notes.txt)" in text
    assert len(list(folder.iterdir())) == 3
    assert "[[电梯为什么会突然停下？]]" in text and "attachment:" not in text


DAYONE = {
    "metadata": {"version": "1.0"},
    "entries": [
        {
            "uuid": "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
            "creationDate": "2024-06-17T22:30:00Z",
            "text": "# Trip\n\n![](dayone-moment://P1)\nthen a clip\n![](dayone-moment:/video/V1)\n"
            "![](dayone-moment:/audio/A1)\n![](dayone-moment:/pdfAttachment/D1)\n"
            "![](dayone-moment://GONE)",
            "photos": [
                {"identifier": "P1", "md5": "aa11", "type": "jpeg"},
                {"identifier": "GONE", "md5": "ff99", "type": "jpeg"},
            ],
            "videos": [{"identifier": "V1", "md5": "bb22", "type": "mov"}],
            "audios": [{"identifier": "A1", "md5": "cc33", "type": "m4a"}],
            "pdfAttachments": [{"identifier": "D1", "md5": "dd44", "filename": "../../ticket.pdf"}],
        }
    ],
}


def test_dayone_zip_brings_media_into_their_places(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Journal.json", json.dumps(DAYONE))
        zf.writestr("photos/aa11.jpeg", b"\xff\xd8\xff photo")
        zf.writestr("videos/bb22.mov", b"video bytes")
        zf.writestr("audios/cc33.m4a", b"audio bytes")
        zf.writestr("pdfs/dd44.pdf", b"%PDF-1.4 ticket")
        zf.writestr("../photos/ff99.jpeg", b"outside the zip's folders: never a match")
        zf.writestr("photos/../ff99.jpeg", b"nor this")
    journal = new_journal()
    report = import_path(journal, path)
    trip = journal.get("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
    held = {a.name: a for a in _files(journal).attached(trip.id)}
    assert set(held) == {"photo.jpeg", "video.mov", "audio.m4a", "ticket.pdf"}
    assert held["ticket.pdf"].mime == "application/pdf" and held["photo.jpeg"].mime == "image/jpeg"
    lines = trip.body.split("\n")
    assert lines[0].startswith("![photo.jpeg](attachment:") and lines[1] == "then a clip"
    assert lines[2].startswith("[video.mov](attachment:")
    assert "GONE" in lines[-1] and "not imported" in lines[-1]
    assert report.attachments_added == 4 and report.attachments_skipped == 1
    with journal.reading() as conn:
        from questionbook.core.attachments import read_bytes

        assert read_bytes(conn, held["video.mov"].sha256) == b"video bytes"
    assert import_path(journal, path).unchanged == 1
