"""Attachments stored inside the journal: streaming in and out, dedupe, names, hostile files."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest

from questionbook.core import attachments as att
from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import AttachmentError
from questionbook.core.journal import Journal
from questionbook.services import Services


def png(width: int, height: int) -> bytes:
    """A real PNG header (and a tiny valid body) declaring *width* × *height*."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def files(services: Services) -> AttachmentService:
    return services.attachments


def _blob_count(journal: Journal) -> int:
    with journal.reading() as conn:
        return int(conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0])


def test_attach_stores_bytes_inside_and_inserts_a_reference(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    data = png(16, 9)
    path = tmp_path / "whiteboard.png"
    path.write_bytes(data)
    entry = journal.add("Why does grokking happen?")
    saved, added = files.attach(entry.id, [path])
    sha = hashlib.sha256(data).hexdigest()
    assert [a.to_json() for a in added] == [
        {"name": "whiteboard.png", "sha256": sha, "size": len(data), "mime": "image/png"}
    ]
    assert saved.body == f"![whiteboard.png](attachment:{sha}/whiteboard.png)"
    assert journal.get(entry.id).body == saved.body
    path.unlink()  # the journal holds the bytes, not the file
    out = io.BytesIO()
    with journal.reading() as conn:
        assert att.copy_out(conn, sha, out) == len(data)
    assert out.getvalue() == data
    resolved = files.resolve(f"attachment:{sha}/whiteboard.png")
    assert resolved is not None and resolved.data == data and resolved.mime == "image/png"


def test_same_content_is_stored_once(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"same")
    (tmp_path / "b.txt").write_bytes(b"same")
    one, two = journal.add("one"), journal.add("two")
    files.attach(one.id, [tmp_path / "a.txt"])
    files.attach(two.id, [tmp_path / "b.txt"], insert=False)
    assert _blob_count(journal) == 1
    assert files.attached(two.id)[0].name == "b.txt"


def test_detaching_the_last_reference_frees_the_bytes(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4 not really")
    one, two = journal.add("one"), journal.add("two")
    files.attach(one.id, [tmp_path / "paper.pdf"])
    files.attach(two.id, [tmp_path / "paper.pdf"])
    entry, gone = files.detach(one.id, "paper.pdf")
    assert gone.mime == "application/pdf" and "attachment:" not in entry.body
    assert _blob_count(journal) == 1  # the other entry still holds it
    files.detach(two.id, "PAPER.PDF")  # names compare case-insensitively as a fallback
    assert _blob_count(journal) == 0
    with pytest.raises(AttachmentError, match="two has no attachments"):
        files.detach(two.id, "paper.pdf")
    files.attach(two.id, [tmp_path / "paper.pdf"])
    with pytest.raises(
        AttachmentError, match=r"no attachment called 'x.pdf' \(it has: paper.pdf\)"
    ):
        files.detach(two.id, "x.pdf")


def test_removing_the_reference_then_emptying_the_trash_frees_the_bytes(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02")
    kept, trashed = journal.add("kept"), journal.add("trashed")
    files.attach(kept.id, [tmp_path / "x.bin"])
    files.attach(trashed.id, [tmp_path / "x.bin"])
    journal.update(kept.id, body="the reference is gone")
    assert files.attached(kept.id) == []
    assert _blob_count(journal) == 1  # an undo in the editor must find it again
    journal.update(
        kept.id, body=f"back: [x](attachment:{files.attached(trashed.id)[0].sha256}/x.bin)"
    )
    assert [a.name for a in files.attached(kept.id)] == ["x.bin"]
    journal.update(kept.id, body="gone again")
    journal.delete(trashed.id)
    assert _blob_count(journal) == 1  # the Trash still holds it (restore must work)
    journal.empty_trash()
    assert _blob_count(journal) == 0
    assert files.orphans() == (0, 0)


def test_a_file_attached_without_a_reference_stays_until_detached(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    entry = journal.add("plan")
    saved, _ = files.attach(entry.id, [tmp_path / "notes.txt"], insert=False)
    assert saved.body == ""
    journal.update(entry.id, body="edited")
    assert [a.name for a in files.attached(entry.id)] == ["notes.txt"]


def test_over_the_limit_is_refused_with_a_clear_message(
    services: Services, journal: Journal, tmp_path: Path
) -> None:
    small = AttachmentService(services.db, max_bytes=1 << 20)
    big = tmp_path / "huge.bin"
    with open(big, "wb") as fh:
        fh.truncate((1 << 20) + 1)
    entry = journal.add("q")
    with pytest.raises(AttachmentError, match=r"huge.bin is 1.0 MB; attachments are limited"):
        small.attach(entry.id, [big])
    assert journal.get(entry.id).body == "" and _blob_count(journal) == 0
    with pytest.raises(AttachmentError, match="limited"):
        small.attach_data(entry.id, "pasted.png", b"x" * ((1 << 20) + 1))


def test_zero_byte_file_is_a_file(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    entry = journal.add("q")
    _saved, added = files.attach(entry.id, [tmp_path / "empty.txt"])
    assert added[0].size == 0 and added[0].sha256 == hashlib.sha256(b"").hexdigest()
    assert files.resolve(f"attachment:{added[0].sha256}/empty.txt").data == b""


def test_unreadable_and_missing_files_change_nothing(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    entry = journal.add("q", "body")
    (tmp_path / "ok.txt").write_text("fine")
    for bad, message in (
        (tmp_path / "missing.txt", "cannot read"),
        (tmp_path, "is not a file"),
        (Path("/proc/self/mem"), "cannot read"),  # a regular file whose read fails (EIO)
    ):
        with pytest.raises(AttachmentError, match=message):
            files.attach(entry.id, [tmp_path / "ok.txt", bad])  # all or nothing
    assert journal.get(entry.id).body == "body"
    assert files.attached(entry.id) == [] and _blob_count(journal) == 0


def test_a_file_that_changes_while_being_read_is_refused(journal: Journal, tmp_path: Path) -> None:
    path = tmp_path / "growing.log"
    path.write_bytes(b"first version")
    calls = []

    def opener() -> io.BufferedReader:
        calls.append(1)
        if len(calls) == 2:  # another program rewrites it between the two reads
            path.write_bytes(b"second version!")
        return open(path, "rb")

    from datetime import UTC, datetime

    with (
        pytest.raises(AttachmentError, match="changed while it was being read"),
        journal.db.write() as conn,
    ):
        att.store_stream(conn, opener, path.name, limit=1 << 20, now=datetime.now(UTC))
    assert _blob_count(journal) == 0


def test_hostile_names_are_made_safe_and_unique(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    assert att.safe_file_name("../../etc/passwd") == "passwd"
    assert att.safe_file_name("..\\..\\boot.ini") == "boot.ini"
    assert att.safe_file_name("a\x00b\x1f\u202e.txt") == "ab.txt"  # controls and bidi marks go
    assert att.safe_file_name("CON.txt") == "_CON.txt"
    assert att.safe_file_name("com1") == "_com1"
    assert att.safe_file_name("..") == "file"
    assert att.safe_file_name(".hidden") == "hidden"
    assert att.safe_file_name("trailing. . ") == "trailing"
    long = att.safe_file_name("长" * 200 + ".jpeg")
    assert long.endswith(".jpeg") and len(long.encode()) <= att.MAX_NAME_BYTES
    entry = journal.add("q")
    for i, folder in enumerate(("a", "b", "c")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes([i]))
    _saved, added = files.attach(entry.id, [tmp_path / f / "photo.jpg" for f in "abc"])
    assert [a.name for a in added] == ["photo.jpg", "photo (2).jpg", "photo (3).jpg"]
    body = journal.get(entry.id).body
    assert body.count("attachment:") == 3 and "photo%20%282%29.jpg" in body
    files.detach(entry.id, "photo (2).jpg")
    assert [a.name for a in files.attached(entry.id)] == ["photo.jpg", "photo (3).jpg"]


def test_decompression_bomb_is_refused_before_decoding(
    journal: Journal, files: AttachmentService
) -> None:
    bomb = png(100_000, 100_000)
    assert att.image_size(bomb) == (100_000, 100_000)
    assert "too large to show" in (att.image_too_large(bomb) or "")
    entry = journal.add("q")
    _saved, added = files.attach_data(entry.id, "bomb.png", bomb, insert=True)
    resolved = files.resolve(f"attachment:{added[0].sha256}/bomb.png")
    assert resolved is not None and resolved.data == b"" and "too large" in (resolved.problem or "")
    assert att.image_too_large(png(800, 600)) is None


def test_declared_sizes_of_each_image_format() -> None:
    gif = b"GIF89a" + struct.pack("<HH", 320, 200) + b"\0" * 10
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe1"
        + struct.pack(">H", 18)
        + b"Exif\0\0"
        + b"\0" * 10  # an APP1 block first
        + b"\xff\xc0"
        + struct.pack(">HBHH", 17, 8, 480, 640)
        + b"\0" * 10
    )
    vp8x = (
        b"RIFF\0\0\0\0WEBPVP8X"
        + b"\0" * 8
        + (1023).to_bytes(3, "little")
        + (767).to_bytes(3, "little")
    )
    bits = (99) | (49 << 14)
    vp8l = b"RIFF\0\0\0\0WEBPVP8L" + b"\0" * 4 + b"\x2f" + bits.to_bytes(4, "little")
    vp8 = b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 7 + b"\x9d\x01\x2a" + struct.pack("<HH", 64, 48)
    assert att.image_size(gif) == (320, 200)
    assert att.image_size(jpeg) == (640, 480)
    assert att.image_size(vp8x) == (1024, 768)
    assert att.image_size(vp8l) == (100, 50)
    assert att.image_size(vp8) == (64, 48)
    assert att.image_size(b"\xff\xd8\xff") is None  # cut short: cannot tell
    assert att.image_size(b"plain text") is None
    assert att.guess_mime("x.png", jpeg) == "image/jpeg"  # content wins over the name
    assert att.guess_mime("drawing.svg") == "image/svg+xml"
    assert att.guess_mime("unknown.zzz") == "application/octet-stream"


def test_svg_with_a_script_is_stored_as_is(journal: Journal, files: AttachmentService) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    entry = journal.add("q")
    _saved, added = files.attach_data(entry.id, "evil.svg", svg, insert=True)
    assert added[0].mime == "image/svg+xml"
    resolved = files.resolve(f"attachment:{added[0].sha256}/evil.svg")
    assert resolved is not None and resolved.data == svg  # the UI draws it as an image only
    assert "![evil.svg]" in journal.get(entry.id).body


def test_references_to_bytes_not_in_the_journal_are_ignored(journal: Journal) -> None:
    ghost = "ab" * 32
    entry = journal.add("q", f"![x](attachment:{ghost}/x.png)")
    with journal.reading() as conn:
        assert conn.execute("SELECT count(*) FROM entry_attachment").fetchone()[0] == 0
    assert att.parse_references(entry.body) == [(ghost, "x.png")]


def test_private_copy_is_owner_only(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "r.txt").write_text("report")
    entry = journal.add("q")
    _saved, added = files.attach(entry.id, [tmp_path / "r.txt"])
    copy = files.private_copy(added[0].sha256, "../r.txt")
    assert copy.name == "r.txt" and copy.read_text() == "report"
    assert copy.stat().st_mode & 0o777 == 0o600


def test_blobs_are_written_in_pieces(journal: Journal, tmp_path: Path) -> None:
    """A file of several pieces goes in and out intact (incremental blob I/O, not one read)."""
    data = bytes(range(256)) * (att.PIECE // 256 * 3 + 7)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    from datetime import UTC, datetime

    with journal.db.write() as conn:
        info = att.store_file(conn, path, limit=len(data), now=datetime.now(UTC))
    out = io.BytesIO()
    with journal.reading() as conn:
        att.copy_out(conn, info.sha256, out)
        assert conn.execute("SELECT length(data) FROM attachment_blob").fetchone()[0] == len(data)
    assert out.getvalue() == data


def test_schema_holds_blob_and_links(tmp_path: Path, journal: Journal) -> None:
    conn = sqlite3.connect(journal.db.path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"attachment_blob", "entry_attachment", "entry_link"} <= names
    conn.close()


def test_first_images_for_list_thumbnails(
    journal: Journal, files: AttachmentService, tmp_path: Path
) -> None:
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    one, two, none = journal.add("one"), journal.add("two"), journal.add("none")
    files.attach(one.id, [tmp_path / "doc.pdf"])
    files.attach_data(one.id, "first.png", png(4, 4), insert=True)
    files.attach_data(one.id, "second.png", png(8, 8), insert=True)
    files.attach(two.id, [tmp_path / "doc.pdf"])
    found = files.first_images([one.id, two.id, none.id])
    assert list(found) == [one.id] and found[one.id].name == "first.png"
