"""jrnl's encrypted journals (issue 15): files written by jrnl 4.6's own encryption classes.

``data/jrnl-v3-encrypted.txt`` is what jrnl 4.6 writes (``Jrnlv3Encryption.encrypt``, a random
salt in a header); ``data/jrnl-v2-encrypted.txt`` what jrnl 2.0-4.5 wrote (the Fernet token
under ``Jrnlv2Encryption``'s key, its fixed salt). Both hold the same two entries; the
password is ``jrnl test password``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questionbook.cli.main import run
from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.exchange.api import import_path
from questionbook.exchange.detect import detect
from questionbook.paths import AppPaths

DATA = Path(__file__).parent / "data"
PASSWORD = "jrnl test password"


@pytest.mark.parametrize("name", ["jrnl-v2-encrypted.txt", "jrnl-v3-encrypted.txt"])
def test_an_encrypted_jrnl_journal_imports_with_its_password(
    journal: Journal, name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    shutil.copyfile(DATA / name, path)
    assert detect(path) == "jrnl"
    report = import_path(journal, path, password=PASSWORD)
    assert report.added == 2
    titles = {e.title: e for e in journal.find(limit=None)}
    assert "Why does the elevator stop between floors?" in titles
    zh = titles["电梯为什么会在两层之间停下？"]
    assert zh.starred
    assert journal.find("电梯")[0].id == zh.id
    assert import_path(journal, path, password=PASSWORD).added == 0  # again: nothing new


def test_a_wrong_or_missing_password_imports_nothing(journal: Journal) -> None:
    path = DATA / "jrnl-v3-encrypted.txt"
    with pytest.raises(ImportFormatError, match="wrong password"):
        import_path(journal, path, "jrnl", password="not it")
    with pytest.raises(ImportFormatError, match="--passphrase-file"):
        import_path(journal, path)
    assert journal.count() == 0


def test_the_cli_reads_the_jrnl_password_from_a_file(
    app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    path = str(DATA / "jrnl-v2-encrypted.txt")
    assert run(["import", path, "--from", "jrnl", "--passphrase-file", str(pw)]) == 0
    assert run(["search", "elevator"]) == 0
    assert "elevator" in capsys.readouterr().out
    assert run(["import", path]) == 1  # no password: one line, nothing imported
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "encrypted jrnl journal" in err
