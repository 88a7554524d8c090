"""Bad input: a clear ImportFormatError naming the file and place, and the journal unchanged."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.api import export_journal, import_path

from .conftest import snapshot


@pytest.fixture
def full(new_journal, tmp_path):
    """A journal with entries, and a valid JSON export of another journal."""
    source = new_journal()
    for i in range(5):
        source.add(f"Question {i}?", "body #tag")
    good = tmp_path / "good.json"
    export_journal(source, "json", good)
    target = new_journal()
    target.add("Mine, do not touch")
    return target, good


def check_refused(journal, path: Path, fmt: str, *needles: str) -> None:
    before = snapshot(journal)
    with pytest.raises(ImportFormatError) as info:
        import_path(journal, path, fmt)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    assert snapshot(journal) == before


def test_truncated_json(full, tmp_path) -> None:
    journal, good = full
    bad = tmp_path / "bad.json"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    check_refused(journal, bad, "auto", "line")


def test_invalid_entry_names_it(full, tmp_path) -> None:
    journal, good = full
    data = json.loads(good.read_text())
    data["entries"][3]["kind"] = "poem"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    check_refused(journal, bad, "json", "entry 4")


def test_bad_date_in_later_entry_adds_nothing(full, tmp_path) -> None:
    journal, good = full
    data = json.loads(good.read_text())
    data["entries"][-1]["created_at"] = "yesterday-ish"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    check_refused(journal, bad, "json", "entry 5")


def test_newer_version_refused(full, tmp_path) -> None:
    journal, good = full
    data = json.loads(good.read_text())
    data["version"] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    check_refused(journal, bad, "auto", "99")


def test_invalid_utf8_names_the_line(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "j.txt"
    bad.write_bytes(b"[2024-06-17 18:05] ok\nline two\n\xff\xfe broken\n")
    check_refused(journal, bad, "jrnl", "line 3")


def test_nul_byte_names_the_line(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "j.txt"
    bad.write_bytes(b"[2024-06-17 18:05] ok\n\x00\n")
    check_refused(journal, bad, "auto", "line 2")


def test_jrnl_text_without_heading(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "j.txt"
    bad.write_text("just some notes\n[2024-06-17 18:05] ok\n")
    check_refused(journal, bad, "jrnl", "line 1")


def test_jrnl_bad_date(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "j.txt"
    bad.write_text("[2024-06-17 18:05] ok\n\n[2024-13-45 18:05] bad month\n")
    check_refused(journal, bad, "jrnl", "line 3")


def test_unknown_format(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    check_refused(journal, bad, "auto", "cannot tell which format")


def test_truncated_zip(full, tmp_path) -> None:
    journal, _good = full
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as zf:
        zf.writestr(
            "Journal.json",
            json.dumps(
                {
                    "entries": [
                        {
                            "uuid": "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
                            "creationDate": "2024-06-17T22:30:00Z",
                            "text": "x" * 5000,
                        }
                    ]
                }
            ),
        )
    bad = tmp_path / "bad.zip"
    bad.write_bytes(whole.read_bytes()[:200])
    check_refused(journal, bad, "dayone", "zip")


def test_dayone_entry_without_uuid(full, tmp_path) -> None:
    journal, _good = full
    bad = tmp_path / "d.json"
    bad.write_text(
        json.dumps(
            {"metadata": {}, "entries": [{"creationDate": "2024-01-01T00:00Z", "text": "x"}]}
        )
    )
    check_refused(journal, bad, "dayone", "entry 1")


def test_vault_bad_front_matter(full, tmp_path, new_journal) -> None:
    journal, _good = full
    src = new_journal()
    src.add("A fine entry")
    folder = tmp_path / "vault"
    export_journal(src, "vault", folder)
    broken = next(folder.rglob("2*.md"))
    broken.write_text("---\nid: [unclosed\n---\n# x\n", encoding="utf-8")
    check_refused(journal, folder, "vault", broken.name)


def test_failed_write_rolls_back_everything(full, tmp_path, monkeypatch) -> None:
    """A failure half-way through writing (after pages were inserted) leaves nothing."""
    journal, good = full
    from questionbook.exchange import importer

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "_apply_waterline", boom)
    before = snapshot(journal)
    with pytest.raises(RuntimeError):
        import_path(journal, good)
    assert snapshot(journal) == before


def test_vault_file_cut_short(full, tmp_path, new_journal) -> None:
    journal, _good = full
    src = new_journal()
    src.add("A fine entry", "with a body")
    folder = tmp_path / "vault"
    export_journal(src, "vault", folder)
    cut = next(folder.rglob("2*.md"))
    cut.write_bytes(cut.read_bytes()[:60])
    check_refused(journal, folder, "auto", cut.name, "cut short")


def test_a_folder_without_markdown_is_not_taken_for_an_empty_vault(
    full, tmp_path, new_journal
) -> None:
    """A wrong folder (photos, a download) says what a vault is instead of importing nothing;
    the vault of a journal with no entries (its index file alone) still imports as empty."""
    wrong = tmp_path / "photos"
    (wrong / "2024").mkdir(parents=True)
    (wrong / "2024" / "beach.jpg").write_bytes(b"\xff\xd8\xff")
    (wrong / "notes.txt").write_text("hello", encoding="utf-8")
    journal, _good = full
    before = snapshot(journal)
    with pytest.raises(ImportFormatError, match="no Markdown files in this folder"):
        import_path(journal, wrong)
    assert snapshot(journal) == before
    empty = new_journal()
    vault = tmp_path / "vault"
    export_journal(empty, "vault", vault)
    assert (vault / "index.md").is_file()
    report = import_path(new_journal(), vault)
    assert report.added == 0 and report.skipped_total == 0
