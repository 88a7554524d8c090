"""Vault file names are safe, stay inside the folder, and re-exports touch only our files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from questionbook.core.errors import ExportError
from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.filenames import cut_bytes, inside, safe_name, slugify

WINDOWS_BAD = set('<>:"/\\|?*')


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "..",
        ".",
        "/abs/path",
        "C:\\Windows\\system32",
        "a\x00b",
        "CON",
        "con",
        "NUL.txt",
        "COM1",
        "LPT9.md",
        "aux ",
        "  ",
        "???",
        "#tag [link] ^block |pipe",
        "trailing dot.",
        "emoji 🙂 and 中文",
        "x" * 1000,
        "电梯" * 200,
        "\u202eevil\u202c",
    ],
)
def test_slug_is_safe(title: str) -> None:
    slug = slugify(title)
    assert slug and len(slug.encode("utf-8")) <= 80
    assert not (WINDOWS_BAD & set(slug))
    assert all(ord(ch) >= 32 for ch in slug)
    assert slug not in (".", "..") and not slug.endswith((".", " "))
    assert slug.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX", "PRN"}


def test_slug_keeps_chinese_and_cuts_on_characters() -> None:
    assert slugify("为什么 电梯 要有镜子？") == "为什么-电梯-要有镜子？"
    cut = cut_bytes("电梯" * 10, 8)
    assert cut == "电梯" and len(cut.encode()) <= 8


def test_safe_name_and_inside(tmp_path: Path) -> None:
    assert safe_name("CON.md") == "_CON.md"
    assert inside(tmp_path, "../x") is None
    assert inside(tmp_path, "/etc/passwd") is None
    assert inside(tmp_path, "a/../../x") is None
    assert inside(tmp_path, "2026/11/a.md") == tmp_path.resolve() / "2026/11/a.md"


def test_vault_layout_and_hostile_titles(new_journal, tmp_path: Path) -> None:
    journal = new_journal(tz=UTC)
    when = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    titles = ["../../escape", "CON", "Same title", "Same title", "长" * 300, "a/b\\c:d"]
    ids = [journal.add(t, created_at=when).id for t in titles]
    root = tmp_path / "vault"
    report = export_journal(journal, "vault", root)
    assert report.files_written == len(titles)
    files = sorted(p for p in root.rglob("*.md") if p.name != "index.md")
    assert len(files) == len(titles)
    for f in files:
        assert f.resolve().is_relative_to(root.resolve())
        assert f.parent.relative_to(root).as_posix() == "2026/11"
        assert f.name.startswith("2026-11-25-") and len(f.name.encode()) <= 255
    assert not (tmp_path / "escape").exists()
    names = {f.name for f in files}
    assert any(n.endswith(f"-{ids[2][:8]}.md") for n in names)
    assert any(n.endswith(f"-{ids[3][:8]}.md") for n in names)
    index = (root / "index.md").read_text(encoding="utf-8")
    assert index.count("](<2026/11/") == len(titles)


def test_reexport_updates_in_place_and_removes_only_its_files(new_journal, tmp_path) -> None:
    journal = new_journal(tz=UTC)
    keep = journal.add("Keep me?")
    gone = journal.add("Delete me?")
    renamed = journal.add("Old title?")
    root = tmp_path / "vault"
    export_journal(journal, "vault", root)
    mine = root / "my-own-note.md"
    mine.write_text("not from QuestionBook", encoding="utf-8")
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "app.json").write_text("{}")
    keep_file = next(root.rglob(f"*{keep.id[:8]}.md"))
    mtime = keep_file.stat().st_mtime_ns
    journal.delete(gone.id)
    journal.update(renamed.id, title="New title?")
    report = export_journal(journal, "vault", root)
    assert (report.files_written, report.files_unchanged, report.files_removed) == (1, 1, 2)
    assert keep_file.stat().st_mtime_ns == mtime
    assert not list(root.rglob(f"*{gone.id[:8]}.md"))
    assert [p.name for p in root.rglob(f"*{renamed.id[:8]}.md")] == [
        f"{renamed.created_at.date()}-New-title-{renamed.id[:8]}.md"
    ]
    assert mine.read_text(encoding="utf-8") == "not from QuestionBook"
    assert (root / ".obsidian" / "app.json").exists()
    report = import_path(new_journal(), root)
    assert report.added == 2 and report.skipped_total == 1  # my-own-note.md has no id


def test_tampered_manifest_cannot_delete_outside(new_journal, tmp_path) -> None:
    journal = new_journal(tz=UTC)
    journal.add("Entry")
    root = tmp_path / "vault"
    victim = tmp_path / "victim.md"
    victim.write_text("precious")
    root.mkdir()
    (root / ".questionbook-vault.json").write_text(
        '{"files": {"../victim.md": "00000000-0000-0000-0000-000000000000"}}'
    )
    export_journal(journal, "vault", root)
    assert victim.read_text() == "precious"


def test_vault_refuses_a_file_as_target(new_journal, tmp_path) -> None:
    journal = new_journal()
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ExportError):
        export_journal(journal, "vault", target)


def test_foreign_notes_in_a_vault_are_skipped_not_fatal(new_journal, tmp_path) -> None:
    source = new_journal(tz=UTC)
    source.add("Ours?")
    root = tmp_path / "vault"
    export_journal(source, "vault", root)
    (root / "obsidian-note.md").write_text("---\nid: my-note\naliases: [x]\n---\nhello\n")
    (root / "plain.md").write_text("no front matter\n")
    report = import_path(new_journal(), root)
    assert report.added == 1 and report.skipped_total == 2
