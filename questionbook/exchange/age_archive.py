"""Exports as an encrypted archive: ``export --encrypt-to PASSPHRASE-FILE`` (issue 15).

Exports stay plain files by design: someone leaving the app needs files any program reads. For
keeping an export somewhere unsafe (a USB stick, a cloud folder) the export can instead be
written as one **age** file (``age-encryption.org/v1``, passphrase mode) holding a tar of the
export: ``out.json.tar.age``. Any age implementation opens it (``age -d out.json.tar.age >
out.tar``; rage, or pyrage in Python), and ``questionbook import out.json.tar.age`` reads it back.

Why age (through ``pyrage``, maintained, Rust wheels) and not zip-AES (``pyzipper``): age
stretches the passphrase with scrypt (work factor 2^18), zip-AES with PBKDF2-SHA1 at 1,000
rounds, which is about a thousand times cheaper to guess; age authenticates the whole file; and
a zip shows every member's name in the clear, while a vault export's file names are the entries'
titles. The cost: pyrage encrypts with a passphrase in memory only, so the archive is held in
memory (twice, briefly): exports over :data:`MAX_BYTES` are refused with a clear message.

The export is first written into a private temporary folder, in memory where the system has one
(``$XDG_RUNTIME_DIR`` or ``/dev/shm``, both tmpfs on Linux), packed, encrypted, and removed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from questionbook.core.errors import ExportError, ImportFormatError
from questionbook.i18n import _

SUFFIX = ".tar.age"
MAGIC = b"age-encryption.org/v1\n"
MAX_BYTES = 1 << 30


def archive_path(target: Path) -> Path:
    """Where the archive for an export to *target* goes: ``<target>.tar.age`` (or *target*
    itself when it already ends in ``.age``)."""
    return target if target.name.endswith(".age") else target.with_name(target.name + SUFFIX)


def is_age_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _private_scratch_parent() -> Path | None:
    """A folder in memory for the plain export while it is packed, if the system has one."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return None


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A new owner-only folder for a plain export on its way into an archive; removed after."""
    folder = Path(tempfile.mkdtemp(prefix="questionbook-export-", dir=_private_scratch_parent()))
    try:
        os.chmod(folder, 0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def write_archive(folder: Path, target: Path, passphrase: str) -> Path:
    """Pack everything in *folder* into an age archive at :func:`archive_path` (*target*),
    owner-only and atomically; returns its path."""
    import pyrage

    from questionbook.exchange.common import atomic_writer

    size = _size(folder)
    if size > MAX_BYTES:
        raise ExportError(
            _(
                "the export is too large to encrypt in memory ({mb:,} MB, at most {max:,} MB); "
                "export without --encrypt-to onto an encrypted disk instead"
            ).format(mb=size >> 20, max=MAX_BYTES >> 20)
        )
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for item in sorted(folder.iterdir()):
            tar.add(item, arcname=item.name)
    data = pyrage.passphrase.encrypt(buf.getvalue(), passphrase)
    buf.close()
    path = archive_path(target)
    with atomic_writer(path, binary=True) as fh:
        fh.write(data)
    return path


@contextlib.contextmanager
def opened_archive(path: Path, passphrase: str | None) -> Iterator[Path]:
    """Decrypt the age archive at *path* into a private scratch folder (removed afterwards)
    and yield the one export inside it (a file or a vault folder)."""
    import pyrage

    from questionbook.exchange.reading import open_input

    if not passphrase:
        raise ImportFormatError(
            _(
                "{file} is an encrypted archive; give its passphrase with "
                "'import {file} --passphrase-file FILE'"
            ).format(file=path)
        )
    with open_input(path, MAX_BYTES) as fh:
        data = fh.read()
    try:
        plain = pyrage.passphrase.decrypt(data, passphrase)
    except Exception:  # pyrage.DecryptError: a wrong passphrase or a damaged file
        raise ImportFormatError(
            _("{file}: wrong passphrase, or the archive is damaged; nothing was imported").format(
                file=path
            )
        ) from None
    with scratch_folder() as folder:
        try:
            with tarfile.open(fileobj=io.BytesIO(plain), mode="r") as tar:
                tar.extractall(folder, filter="data")  # no links out, no absolute paths
        except (tarfile.TarError, OSError) as exc:
            raise ImportFormatError(
                _("{file}: the archive is damaged ({reason})").format(file=path, reason=exc)
            ) from exc
        del plain
        items = [p for p in folder.iterdir() if not p.name.endswith(".attachments")]
        if len(items) != 1:
            raise ImportFormatError(
                _("{file}: not an archive of one QuestionBook export").format(file=path)
            )
        yield items[0]
