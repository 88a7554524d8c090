"""Issue 15 on the command line: encrypt, every command with --passphrase-file, a wrong
passphrase, decrypt; and the marker test (no entry text in the clear anywhere in the folder)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from pathlib import Path

import pytest

from questionbook.cli.main import run
from questionbook.paths import AppPaths
from questionbook.storage.convert import same_contents

PASS = "correct horse battery"
MARKERS = ("zyxmarker", "麒麟标记")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(capsys, *args)
    assert code == 0, (args, err)
    return out


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    """Passphrase files outside the data folder (where a user keeps them)."""
    d = tmp_path / "secrets"
    d.mkdir()
    (d / "pass").write_text(PASS + "\n", encoding="utf-8")
    (d / "wrong").write_text("not the passphrase\n", encoding="utf-8")
    (d / "new").write_text("a brand new passphrase\n", encoding="utf-8")
    return d


def encrypt(capsys: pytest.CaptureFixture[str], secrets_dir: Path, *extra: str) -> str:
    out = ok(capsys, "encrypt", "--new-passphrase-file", str(secrets_dir / "pass"), *extra)
    line = next(x for x in out.splitlines() if x.startswith("Recovery key: "))
    return line.removeprefix("Recovery key: ")


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def readable(path: Path) -> bytes:
    """What anyone can read in *path*: its bytes, and for a sync file packed with zlib (not
    encrypted) its unpacked payload too."""
    data = path.read_bytes()
    if path.suffix in (".qbchanges", ".qbsnap"):
        from questionbook.sync.fileformat import parse_file

        header, payload, _digest = parse_file(data)
        if header.codec == "zlib":
            data += zlib.decompress(payload)
    return data


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files_under(folder)
        if not p.name.endswith(".writers")  # the lock file keeps the day's check
    }


def test_nothing_is_left_in_the_clear_after_encrypt(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path, tmp_path: Path
) -> None:
    en, zh = MARKERS
    ok(capsys, "add", f"Why does the {en} elevator stop?", "-t", en)
    ok(capsys, "add", f"电梯为什么会停 {zh}")
    picture = tmp_path / "note.txt"
    picture.write_text(f"an attached file about {en} and {zh}\n", encoding="utf-8")
    entry = ok(capsys, "add", "has a file").strip()
    ok(capsys, "attach", entry, str(picture))
    ok(capsys, "backup")  # a plain backup before encryption
    unsaved = app_paths.data_dir / "unsaved"
    unsaved.mkdir(mode=0o700)
    (unsaved / "unsaved-2026-12-01-100000.md").write_text(f"# typed {en} {zh}\n")
    sync_dir = app_paths.data_dir / "sync-folder"  # wherever it is, it is checked too
    ok(capsys, "sync", "--folder", str(sync_dir))
    assert any(en.encode() in readable(f) for f in files_under(sync_dir))  # plain so far

    def assert_no_marker_anywhere() -> set[str]:
        files = files_under(app_paths.data_dir)
        for f in files:
            data = readable(f)
            for marker in MARKERS:
                assert marker.encode() not in data, f"{marker} readable in {f}"
                assert marker.encode("utf-16-le") not in data, f"{marker} (UTF-16) in {f}"
        return {str(f.relative_to(app_paths.data_dir)) for f in files}

    encrypt(capsys, secrets_dir)
    names = assert_no_marker_anywhere()  # the old backup and the unsaved copy included
    assert len([n for n in names if n.startswith("backups/")]) == 2  # a backup and its key
    p = ["--passphrase-file", str(secrets_dir / "pass")]
    ok(capsys, *p, "add", f"after encryption {en} {zh}")  # WAL content, search index
    ok(capsys, *p, "sync")  # sealed change files
    ok(capsys, *p, "backup")
    ok(capsys, *p, "doctor", "--repair")
    names = assert_no_marker_anywhere()
    assert "journal.sqlite3.key" in names and any(n.endswith(".sqlite3.key") for n in names)
    assert not any(n.endswith(".md") for n in names)  # the unsaved copy was sealed
    assert not any(n.endswith(".tmp") for n in names)
    # Still all there for the passphrase.
    out = ok(capsys, *p, "search", en)
    assert len(out.splitlines()) == 2
    assert list(sync_dir.rglob("*.qbchanges")) or list(sync_dir.rglob("*.qbsnap"))
    assert ok(capsys, *p, "unsaved").count(".sealed") == 1
    shown = ok(capsys, *p, "unsaved", "unsaved-2026-12-01-100000.md.sealed")
    assert f"# typed {en} {zh}" in shown


def test_every_command_works_with_a_passphrase_file(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path, tmp_path: Path
) -> None:
    first = ok(capsys, "add", "First question #lift", "-H", "3").strip()
    encrypt(capsys, secrets_dir)
    p = ["--passphrase-file", str(secrets_dir / "pass")]
    second = ok(capsys, *p, "add", "Second plan with [[link]]", "--kind", "plan").strip()
    assert ok(capsys, *p, "list").count("\n") == 2
    assert "First question" in ok(capsys, *p, "search", "first")
    assert "First question" in ok(capsys, *p, "show", first[:8])
    assert "lift" in ok(capsys, *p, "tags")
    ok(capsys, *p, "edit", first[:8], "--star")
    ok(capsys, *p, "rm", second[:8])
    ok(capsys, *p, "restore", second[:8])
    ok(capsys, *p, "waterline", "2")
    ok(capsys, *p, "backup")
    assert "backup" in ok(capsys, *p, "backups")
    ok(capsys, *p, "doctor")
    ok(capsys, *p, "export", "-f", "json", "-o", str(tmp_path / "out.json"))
    ok(capsys, *p, "import", str(tmp_path / "out.json"))
    ok(capsys, *p, "review")
    ok(capsys, *p, "due")
    trial = ok(capsys, *p, "trial", "add", first[:8], "--model", "m", "--verdict", "failed")
    assert trial.strip()
    ok(capsys, *p, "still-mine")
    att = tmp_path / "a.txt"
    att.write_text("bytes")
    ok(capsys, *p, "attach", first[:8], str(att))
    assert "a.txt" in ok(capsys, *p, "show", first[:8])
    ok(capsys, *p, "detach", first[:8], "a.txt")
    ok(capsys, *p, "links", first[:8])
    ok(capsys, *p, "calendar")
    ok(capsys, *p, "prompt")
    ok(capsys, *p, "templates")
    ok(capsys, *p, "unsaved")
    assert "Restored" in ok(capsys, *p, "restore-backup")
    assert ok(capsys, *p, "list").count("\n") == 2
    ok(capsys, *p, "passphrase", "--new-passphrase-file", str(secrets_dir / "new"))
    n = ["--passphrase-file", str(secrets_dir / "new")]
    ok(capsys, *n, "list")
    ok(capsys, *n, "decrypt")
    assert ok(capsys, "list").count("\n") == 2  # plain again, no passphrase needed


def test_a_wrong_passphrase_exits_1_with_one_line_and_changes_nothing(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path
) -> None:
    ok(capsys, "add", "A question")
    ok(capsys, "backup")
    encrypt(capsys, secrets_dir)
    before = snapshot(app_paths.data_dir)
    wrong = ["--passphrase-file", str(secrets_dir / "wrong")]
    for args in (
        ("list",),
        ("add", "never stored"),
        ("search", "question"),
        ("backup",),
        ("doctor",),
        ("decrypt",),
        ("restore-backup",),
        ("passphrase", "--new-passphrase-file", str(secrets_dir / "new")),
    ):
        code, out, err = cli(capsys, *wrong, *args)
        assert code == 1, (args, out, err)
        lines = [x for x in err.splitlines() if x.strip()]
        assert lines == ["questionbook: error: wrong passphrase; nothing was changed"], (args, err)
        assert "hmac" not in (out + err).lower()
    code, _out, err = cli(capsys, "list")  # no terminal, no file
    assert code == 1 and "--passphrase-file" in err and len(err.splitlines()) == 1
    assert snapshot(app_paths.data_dir) == before


def test_decrypt_gives_back_a_plain_journal_with_identical_content(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path, tmp_path: Path
) -> None:
    for i in range(20):
        ok(capsys, "add", f"entry {i} 电梯 #t{i % 3}", "-H", str(i % 5))
    att = tmp_path / "pic.bin"
    att.write_bytes(os.urandom(300_000))
    first = ok(capsys, "list", "--json")
    ok(capsys, "attach", json.loads(first)[0]["id"][:8], str(att))
    plain_copy = tmp_path / "before.sqlite3"
    ok(capsys, "backup", str(plain_copy))
    encrypt(capsys, secrets_dir)
    p = ["--passphrase-file", str(secrets_dir / "pass")]
    ok(capsys, *p, "decrypt")
    db = app_paths.database
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not Path(f"{db}.key").exists()
    assert same_contents(db, None, plain_copy, None)
    with sqlite3.connect(db) as conn:  # any SQLite tool reads it again
        assert conn.execute("SELECT count(*) FROM entry").fetchone()[0] == 20
    backups = list((app_paths.data_dir / "backups").glob("*.sqlite3"))
    assert backups and all(b.read_bytes()[:16] == b"SQLite format 3\x00" for b in backups)
    assert not list((app_paths.data_dir / "backups").glob("*.key"))


def test_the_recovery_key_sets_a_new_passphrase(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path
) -> None:
    ok(capsys, "add", "A question")
    recovery = encrypt(capsys, secrets_dir)
    rk = secrets_dir / "recovery"
    rk.write_text(recovery.lower().replace("-", " ") + "\n")  # however it was copied down
    out = ok(
        capsys,
        "passphrase",
        "--recovery-key-file",
        str(rk),
        "--new-passphrase-file",
        str(secrets_dir / "new"),
    )
    assert "recovery key still works" in out
    code, _o, err = cli(capsys, "--passphrase-file", str(secrets_dir / "pass"), "list")
    assert code == 1 and "wrong passphrase" in err  # the old one stopped
    assert "A question" in ok(capsys, "--passphrase-file", str(secrets_dir / "new"), "list")
    assert "A question" in ok(capsys, "--passphrase-file", str(rk), "list")  # it opens too


def test_declined_backups_are_listed_and_the_doctor_names_them(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path
) -> None:
    ok(capsys, "add", "A question")
    ok(capsys, "backup")
    [plain] = (app_paths.data_dir / "backups").glob("*.sqlite3")
    out = ok(
        capsys,
        "encrypt",
        "--new-passphrase-file",
        str(secrets_dir / "pass"),
        "--keep-plain-backups",
    )
    assert str(plain) in out and "Still readable" in out
    doctor = ok(capsys, "--passphrase-file", str(secrets_dir / "pass"), "doctor")
    assert f"{plain} is not encrypted" in doctor


def test_a_damaged_encrypted_journal_is_told_apart_from_a_wrong_passphrase(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path
) -> None:
    ok(capsys, "add", "A question")
    encrypt(capsys, secrets_dir)
    db = app_paths.database
    data = bytearray(db.read_bytes())
    data[100:200] = os.urandom(100)  # page 1's ciphertext: its HMAC fails with the right key
    db.write_bytes(bytes(data))
    code, _o, err = cli(capsys, "--passphrase-file", str(secrets_dir / "pass"), "list")
    assert code == 1 and len(err.splitlines()) == 1
    assert "is damaged" in err and "passphrase is right" in err and "wrong passphrase" not in err
    code, _o, err = cli(capsys, "--passphrase-file", str(secrets_dir / "wrong"), "list")
    assert code == 1 and "wrong passphrase" in err


def test_encrypt_refuses_a_short_passphrase_and_a_journal_already_encrypted(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path
) -> None:
    ok(capsys, "add", "A question")
    before = snapshot(app_paths.data_dir)
    short = secrets_dir / "short"
    short.write_text("abc\n")
    code, _o, err = cli(capsys, "encrypt", "--new-passphrase-file", str(short))
    assert code == 1 and "at least 8 characters" in err
    assert snapshot(app_paths.data_dir) == before
    encrypt(capsys, secrets_dir)
    code, _o, err = cli(capsys, "encrypt", "--new-passphrase-file", str(secrets_dir / "pass"))
    assert code == 1 and "already encrypted" in err


@pytest.mark.parametrize("fmt", ["json", "vault"])
def test_an_export_can_be_one_encrypted_archive_that_imports_back(
    app_paths: AppPaths,
    capsys: pytest.CaptureFixture[str],
    secrets_dir: Path,
    tmp_path: Path,
    fmt: str,
) -> None:
    import pyrage

    en, zh = MARKERS
    ok(capsys, "add", f"Title {en} {zh}", "-t", "lift")
    target = tmp_path / "out" / f"export-{fmt}"
    out = ok(
        capsys, "export", "-f", fmt, "-o", str(target), "--encrypt-to", str(secrets_dir / "pass")
    )
    archive = target.with_name(target.name + ".tar.age")
    assert str(archive) in out and archive.is_file() and not target.exists()
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]
    data = archive.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert en.encode() not in data and zh.encode() not in data and b"Title" not in data
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    plain = pyrage.passphrase.decrypt(data, PASS)  # any age tool opens it
    assert en.encode() in plain
    # ... and it imports back into another journal, wrong passphrase first.
    other = ["--db", str(tmp_path / "other.sqlite3")]
    code, _o, err = cli(
        capsys, *other, "import", str(archive), "--passphrase-file", str(secrets_dir / "wrong")
    )
    assert code == 1 and "wrong passphrase" in err
    ok(capsys, *other, "import", str(archive), "--passphrase-file", str(secrets_dir / "pass"))
    assert f"Title {en}" in ok(capsys, *other, "search", zh)


def test_a_plain_export_from_an_encrypted_journal_says_it_is_plain(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path, tmp_path: Path
) -> None:
    ok(capsys, "add", "A question")
    out = ok(capsys, "export", "-f", "json", "-o", str(tmp_path / "plain.json"))
    assert "not encrypted" not in out
    encrypt(capsys, secrets_dir)
    out = ok(
        capsys,
        "--passphrase-file",
        str(secrets_dir / "pass"),
        "export",
        "-f",
        "json",
        "-o",
        str(tmp_path / "plain2.json"),
    )
    assert "the export is not encrypted" in out and "--encrypt-to" in out


def test_computers_sharing_the_key_sync_sealed_files_and_others_wait(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str], secrets_dir: Path, tmp_path: Path
) -> None:
    import shutil

    ok(capsys, "add", "Written on the first computer")
    encrypt(capsys, secrets_dir)
    folder = tmp_path / "shared"
    p = ["--passphrase-file", str(secrets_dir / "pass")]
    ok(capsys, *p, "sync", "--folder", str(folder))
    # The second computer starts from a copy of the encrypted journal and its key file.
    other = tmp_path / "other" / "journal.sqlite3"
    other.parent.mkdir()
    shutil.copyfile(app_paths.database, other)
    shutil.copyfile(f"{app_paths.database}.key", f"{other}.key")
    ok(capsys, *p, "add", "Written after the copy 麒麟标记")
    ok(capsys, *p, "sync")
    ok(capsys, *p, "--db", str(other), "sync")
    assert "麒麟标记" in ok(capsys, *p, "--db", str(other), "search", "麒麟标记")
    for f in folder.rglob("*"):
        if f.is_file():
            assert "麒麟标记".encode() not in readable(f), f
    # A journal without the key (plain here) reads nothing and says what it waits for.
    plain = ["--db", str(tmp_path / "plain.sqlite3")]
    ok(capsys, *plain, "add", "A plain journal")
    out = ok(capsys, *plain, "sync", "--folder", str(folder))
    assert "麒麟标记" not in ok(capsys, *plain, "list")
    status = ok(capsys, *plain, "sync", "--status")
    assert "aesgcm1-" in out + status
