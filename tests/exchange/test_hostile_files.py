"""Files that attack the importer or the exporter (issue 14, items 2, 8, 16, 19, 20, 11).

Each test reproduces one finding with a real file on disk and a real journal: a special file
read forever, YAML aliases that expand to gigabytes, a zip bomb, an over-long entry, an export
aimed at the journal itself, an export interrupted and its temporary file left behind.
"""

from __future__ import annotations

import json
import os
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import pytest

from questionbook.core.errors import ExportError, ImportFormatError
from questionbook.exchange import reading
from questionbook.exchange.api import export_journal, import_path

from .conftest import snapshot


def refused(journal, path: Path, *needles: str, fmt: str = "auto") -> str:
    before = snapshot(journal)
    with pytest.raises(ImportFormatError) as info:
        import_path(journal, path, fmt)
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    assert snapshot(journal) == before
    return message


def entry(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "title": f"entry {i}",
        "kind": "note",
        "created_at": "2026-01-02T03:04:05Z",
        **extra,
    }


def document(entries: list[dict[str, object]], **extra: object) -> str:
    return json.dumps({"format": "questionbook", "version": 1, "entries": entries, **extra})


# -- only regular files, bounded ------------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("fmt", ["auto", "json", "jrnl", "dayone"])
def test_a_device_is_refused_not_read_forever(new_journal, fmt: str) -> None:
    refused(new_journal(), Path("/dev/zero"), "not a regular file", fmt=fmt)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(new_journal, tmp_path: Path) -> None:
    fifo = tmp_path / "journal.txt"
    os.mkfifo(fifo)
    refused(new_journal(), fifo, "not a regular file", fmt="jrnl")


def test_a_file_over_the_size_limit_is_refused(
    new_journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(document([entry(i) for i in range(50)]))
    refused(new_journal(), big, "larger than 1,000 bytes")


# -- the same limits as add -----------------------------------------------------------------
def test_a_text_longer_than_add_allows_is_refused(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(document([entry(0), entry(1, body="x" * 10_000_001)]))
    refused(new_journal(), path, "entry 2", "too long", "10,000,000")


def test_a_jrnl_entry_longer_than_add_allows_is_refused(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("[2024-06-17 18:05] title\n" + "word " * 2_000_001 + "\n")
    refused(new_journal(), path, "line 1", "too long")


def test_too_many_tags_are_refused(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "tags.json"
    path.write_text(document([entry(0, tags=[f"t{i}" for i in range(5000)])]))
    refused(new_journal(), path, "5,000 tags")


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59+00:00", "0999-12-31T12:00:00"]
)
def test_dates_outside_the_supported_years_are_refused(
    new_journal, tmp_path: Path, when: str
) -> None:
    path = tmp_path / "old.json"
    path.write_text(document([entry(0, created_at=when)]))
    refused(new_journal(), path, "entry 1", "1000", "9000")


def test_jrnl_dates_outside_the_supported_years_are_refused(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text("[0001-01-01 00:00] at the very start\n")
    refused(new_journal(), path, "line 1", "1000", "9000")


def test_version_true_is_not_version_1(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"format": "questionbook", "version": True, "entries": []}))
    refused(new_journal(), path, "version True")


# -- YAML aliases, deep nesting -------------------------------------------------------------
LAUGHS = """---
id: 6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61
kind: note
created: 2026-01-01T00:00:00+00:00
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
# A title
"""


def test_yaml_aliases_are_refused(new_journal, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "laughs.md").write_text(LAUGHS)
    refused(new_journal(), vault, "laughs.md", "aliases")


def test_deeply_nested_front_matter_and_json_are_refused(new_journal, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    deep = "[" * 100_000 + "]" * 100_000
    (vault / "deep.md").write_text(
        f"---\nid: {uuid.UUID(int=5)}\nkind: note\ncreated: 2026-01-01\nx: {deep}\n---\n# t\n"
    )
    refused(new_journal(), vault, "deep.md")
    path = tmp_path / "deep.json"
    path.write_text('{"format": "questionbook", "version": 1, "entries": [' + deep + "]}")
    refused(new_journal(), path, "nested too deeply")


# -- zip bombs ------------------------------------------------------------------------------
def test_a_zip_bomb_is_refused_before_it_expands(new_journal, tmp_path: Path) -> None:
    bomb = tmp_path / "export.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open("Journal.json", "w") as fh,
    ):
        fh.write(b'{"metadata": {}, "entries": [{"uuid": "00112233445566778899aabbccddeeff",')
        fh.write(b'"creationDate": "2026-01-01T00:00:00Z", "text": "')
        for _ in range(64):
            fh.write(b"a" * (1 << 20))
        fh.write(b'"}]}')
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    try:
        message = refused(new_journal(), bomb, "Journal.json", "zip bomb")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "nothing was imported" in message
    assert peak < 64 << 20  # it stopped long before 64 MiB were expanded


def test_a_zip_listing_too_many_files_is_refused(
    new_journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from questionbook.exchange import dayone

    monkeypatch.setattr(dayone, "MAX_ZIP_MEMBERS", 10)
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(20):
            zf.writestr(f"photos/{i}.jpg", b"")
        zf.writestr("Journal.json", '{"entries": []}')
    refused(new_journal(), many, "21 files")


# -- memory: streamed, not held ------------------------------------------------------------
def _peak_while_reading(path: Path, journal) -> int:
    from questionbook.exchange.api import read_batch

    tracemalloc.start()
    try:
        batch = read_batch(journal, path)
        seen = []
        batch.each(lambda inc: seen.append(inc.id) if len(seen) < 1 else None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def test_reading_a_large_file_holds_a_bounded_number_of_entries(
    new_journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the number of entries an import keeps, the file is checked, then read again and
    handed over an entry at a time: four times the entries take nowhere near four times the
    memory (only the ids are kept), and less than the file itself."""
    from questionbook.exchange import incoming

    monkeypatch.setattr(incoming, "KEEP_ENTRIES", 500)  # 20,000 in use: smaller files will do
    body = "a thought about elevators and stairs, " * 8
    sizes, peaks = [], []
    for n in (3000, 12000):
        path = tmp_path / f"many{n}.json"
        path.write_text(document([entry(i, body=f"{body}{i}") for i in range(n)]))
        sizes.append(path.stat().st_size)
        peaks.append(_peak_while_reading(path, new_journal()))
    assert peaks[1] < sizes[1]
    assert peaks[1] - peaks[0] < (sizes[1] - sizes[0]) / 2, (peaks, sizes)  # the ids only


def test_a_file_read_twice_imports_exactly_as_one_read_once(
    new_journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second reading applies pages as they come: duplicates, follow-ups pointing
    forward and back, tags and the report are as if the whole file had been held."""
    from questionbook.exchange import incoming

    rows = [entry(i, body=f"#tag{i % 7} body {i}") for i in range(300)]
    rows[10]["parent_id"] = rows[250]["id"]  # a follow-up of an entry further down the file
    rows[260]["parent_id"] = rows[5]["id"]
    rows[270]["parent_id"] = str(uuid.UUID(int=99999))  # of an entry nowhere
    rows.append(dict(rows[3]))  # the same entry twice
    path = tmp_path / "twice.json"
    path.write_text(document(rows))
    kept = import_path(new_journal(), path)
    monkeypatch.setattr(incoming, "KEEP_ENTRIES", 40)
    journal = new_journal()
    streamed = import_path(journal, path)
    assert (streamed.added, streamed.skipped, streamed.notes) == (
        kept.added,
        kept.skipped,
        kept.notes,
    )
    assert streamed.added == 300
    assert journal.get(rows[10]["id"]).parent_id == rows[250]["id"]
    assert journal.get(rows[260]["id"]).parent_id == rows[5]["id"]
    assert journal.get(rows[270]["id"]).parent_id is None
    assert {t.name: t.count for t in journal.tag_counts()}["tag0"] == 43


# -- exports --------------------------------------------------------------------------------
@pytest.fixture
def journal_in_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A journal in its data folder (QUESTIONBOOK_HOME), with one backup."""
    from questionbook.paths import AppPaths
    from questionbook.services import open_services
    from questionbook.storage import backup

    home = tmp_path / "home"
    monkeypatch.setenv("QUESTIONBOOK_HOME", str(home))
    svc = open_services(AppPaths(home, home / "config"))
    svc.journal.add("precious question")
    info = backup.make_backup(svc.db.path)
    yield svc, info.path
    svc.close()


@pytest.mark.parametrize("fmt", ["json", "markdown", "vault"])
@pytest.mark.parametrize(
    "target",
    [
        "journal.sqlite3",
        "journal.sqlite3-wal",
        "journal.sqlite3-shm",
        "BACKUP",
        "settings-export.json",
        "config/settings.ini",
        ".",
        "backups",
    ],
)
def test_an_export_never_replaces_the_journal_or_its_files(
    journal_in_home, fmt: str, target: str
) -> None:
    svc, backup_file = journal_in_home
    home = svc.paths.data_dir
    path = backup_file if target == "BACKUP" else home / target
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    with pytest.raises(ExportError, match="QuestionBook's own files"):
        export_journal(svc.journal, fmt, path)
    after = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    assert after[svc.db.path] == before[svc.db.path]
    assert after[backup_file] == before[backup_file]
    assert [e.title for e in svc.journal.find("")] == ["precious question"]


def test_an_export_through_a_link_to_the_journal_is_refused(journal_in_home, tmp_path) -> None:
    svc, _backup = journal_in_home
    link = tmp_path / "innocent.json"
    link.symlink_to(svc.db.path)
    with pytest.raises(ExportError):
        export_journal(svc.journal, "json", link)


def test_export_to_an_existing_folder_names_the_folder(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    journal.add("a question")
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportError) as info:
        export_journal(journal, "json", folder)
    assert str(folder) in str(info.value) and ".tmp" not in str(info.value)
    assert list(folder.iterdir()) == []


def test_a_leftover_of_an_interrupted_export_is_removed_next_time(
    new_journal, tmp_path: Path
) -> None:
    journal = new_journal()
    journal.add("a question")
    out = tmp_path / "out.json"
    leftover = tmp_path / ".out.json.k3j4h5.tmp"
    leftover.write_bytes(b"x" * 5000)  # what a killed export leaves: nobody holds it
    other = tmp_path / ".other.json.abcd.tmp"
    other.write_bytes(b"y")  # another export's: not ours to judge
    report = export_journal(journal, "json", out)
    assert not leftover.exists() and other.exists()
    assert any(".out.json.k3j4h5.tmp" in note and "5,000" in note for note in report.notes)
    assert json.loads(out.read_text())["entries"][0]["title"] == "a question"


def test_a_temp_file_still_being_written_is_left_alone(new_journal, tmp_path: Path) -> None:
    from questionbook.exchange.common import atomic_writer
    from questionbook.storage.leftovers import export_leftovers

    out = tmp_path / "out.md"
    with atomic_writer(out) as fh:
        fh.write("half")
        assert export_leftovers(out) == []  # held: another run must not delete it
    assert out.read_text() == "half"
