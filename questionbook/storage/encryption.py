"""Turning encryption on and off, changing the passphrase: ``encrypt``, ``decrypt``, ``passphrase``.

``encrypt`` and ``decrypt`` replace the journal file like a restore does: with the writers' lock
held exclusively (nobody has the journal open for writing), through a copy that is verified
before it takes the journal's name (:mod:`questionbook.storage.convert`), by an atomic rename.
The old file's ``-wal``/``-shm`` go with it. Either the old journal or the new one is in place
at every moment; the key file is written before an encrypted journal takes its place and
removed only after a plain one has, and a key file beside a plain journal is ignored.

After ``encrypt`` no copy of entry text stays readable in the journal's folder: backups are
converted one by one the same way (unless the caller declines: then :func:`plain_copies`
names them), unsaved copies are sealed, leftover temporary files removed. What is left in the
clear (a damaged journal moved aside, backups declined) is listed in the result.

``passphrase`` re-wraps the master key (a few hundred bytes, instant) in the journal's key file
and in the key files of its backups that hold the same key; the recovery key keeps working.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from questionbook.core.errors import JournalError, JournalInUse, QuestionBookError
from questionbook.i18n import _
from questionbook.storage.backup import (
    SIDE_FILES,
    BackupError,
    _fsync_dir,
    _private_temp,
    check_file,
    list_backups,
)
from questionbook.storage.cipher import errors
from questionbook.storage.connection import translate_error, translate_os_error
from questionbook.storage.keyfile import (
    JournalKey,
    KeyFile,
    KeyFileError,
    key_file_path,
    new_recovery_key,
    read_key_file,
    write_key_file,
)
from questionbook.storage.locks import exclusive_writers_lock
from questionbook.storage.probe import is_encrypted, make_private

UNSAVED_FOLDER = "unsaved"
Progress = Callable[[str], None]


class EncryptionError(QuestionBookError):
    """Encryption could not be turned on or off; nothing was changed."""


@dataclass
class EncryptResult:
    """What ``encrypt`` did. The recovery key is shown once and kept nowhere."""

    key: JournalKey
    recovery_key: str
    converted: list[Path] = field(default_factory=list)  # backups now encrypted
    sealed: list[Path] = field(default_factory=list)  # unsaved copies now sealed
    left_plain: list[Path] = field(default_factory=list)  # still readable: say so


@dataclass
class DecryptResult:
    converted: list[Path] = field(default_factory=list)  # backups now plain
    left_encrypted: list[Path] = field(default_factory=list)  # with another key: kept


def unlock(db_path: Path, secret: str) -> JournalKey:
    """The master key of the encrypted journal at *db_path*, opened with a passphrase or the
    recovery key (:class:`~questionbook.storage.keyfile.WrongPassphrase` otherwise)."""
    return read_key_file(key_file_path(db_path)).unlock(secret)


def unlock_recovery(db_path: Path, recovery: str) -> JournalKey:
    return read_key_file(key_file_path(db_path)).unlock_recovery(recovery)


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in SIDE_FILES]


def _failed(exc: BaseException, path: Path) -> EncryptionError:
    if isinstance(exc, OSError):
        reason: object = translate_os_error(exc, path) or exc.strerror or exc
    elif isinstance(exc, (QuestionBookError,)):
        reason = exc
    else:
        reason = translate_error(exc) or exc
    return EncryptionError(
        _("could not convert {path}: {reason}. Nothing was changed.").format(
            path=path, reason=reason
        )
    )


def _replace_with_copy(
    path: Path,
    *,
    source_key: JournalKey | None,
    target_key: JournalKey | None,
    key_file: KeyFile | None,
    journal: bool = False,
) -> None:
    """Convert the file at *path* in place: verified copy, key file, atomic rename.

    The temporary copy is named like a restore's (the journal) or a backup's, so that one
    left by a killed conversion is found and removed like theirs.
    """
    from questionbook.storage.convert import convert

    prefix = f".{path.name}-restore-" if journal else f".{path.name}-"
    try:
        with _private_temp(path.parent, prefix) as tmp:
            try:
                convert(path, tmp, source_key=source_key, target_key=target_key)
            except BaseException:
                for extra in (tmp, *_side_files(tmp)):
                    extra.unlink(missing_ok=True)
                raise
            if key_file is not None:  # the key first: beside a plain file it changes nothing
                write_key_file(key_file_path(path), key_file)
            for side in _side_files(path):
                side.unlink(missing_ok=True)
            os.replace(tmp, path)
    except errors("Error", OSError, JournalError) as exc:
        raise _failed(exc, path) from exc
    if key_file is None:
        key_file_path(path).unlink(missing_ok=True)
    make_private(path)
    _fsync_dir(path.parent)


def _check_journal(db_path: Path, key: JournalKey | None) -> None:
    _state, problem = check_file(db_path, key=key)
    if problem is not None:
        raise EncryptionError(
            _("{path} cannot be converted: {reason}. Nothing was changed.").format(
                path=db_path, reason=problem
            )
        )


@contextlib.contextmanager
def _exclusively(db_path: Path):  # type: ignore[no-untyped-def]
    try:
        with exclusive_writers_lock(db_path):
            yield
    except JournalInUse as exc:
        raise EncryptionError(str(exc)) from exc


def encrypt_journal(
    db_path: Path,
    passphrase: str,
    *,
    convert_backups: bool = True,
    progress: Progress | None = None,
) -> EncryptResult:
    """Encrypt the plain journal at *db_path* in place under *passphrase*; returns the new
    recovery key (to show once) and what became of the backups and unsaved copies."""
    db_path = Path(db_path).expanduser()
    say = progress or (lambda _m: None)
    if is_encrypted(db_path):
        raise EncryptionError(_("{path} is already encrypted").format(path=db_path))
    key = JournalKey.generate()
    recovery = new_recovery_key()
    key_file = KeyFile.create(key, passphrase, recovery)  # refuses a short passphrase first
    result = EncryptResult(key, recovery)
    with _exclusively(db_path):
        _check_journal(db_path, None)
        say(_("encrypting {path}").format(path=db_path))
        _replace_with_copy(
            db_path, source_key=None, target_key=key, key_file=key_file, journal=True
        )
        _remove_leftovers(db_path)
        for info in list_backups(db_path):
            if is_encrypted(info.path):
                continue
            if not convert_backups:
                result.left_plain.append(info.path)
                continue
            say(_("encrypting the backup {path}").format(path=info.path))
            try:
                _replace_with_copy(info.path, source_key=None, target_key=key, key_file=key_file)
            except EncryptionError as exc:
                say(str(exc))
                result.left_plain.append(info.path)
            else:
                result.converted.append(info.path)
        result.sealed = seal_unsaved_copies(db_path, key)
        result.left_plain.extend(other_plain_copies(db_path))
    return result


def decrypt_journal(
    db_path: Path,
    key: JournalKey,
    *,
    convert_backups: bool = True,
    progress: Progress | None = None,
) -> DecryptResult:
    """Turn the encrypted journal at *db_path* back into a plain SQLite file, and its backups
    made with the same key."""
    db_path = Path(db_path).expanduser()
    say = progress or (lambda _m: None)
    if not is_encrypted(db_path):
        raise EncryptionError(_("{path} is not encrypted").format(path=db_path))
    result = DecryptResult()
    with _exclusively(db_path):
        _check_journal(db_path, key)
        say(_("decrypting {path}").format(path=db_path))
        _replace_with_copy(db_path, source_key=key, target_key=None, key_file=None, journal=True)
        _remove_leftovers(db_path)
        for info in list_backups(db_path):
            if not is_encrypted(info.path):
                continue
            try:
                same = read_key_file(key_file_path(info.path)).key_id == key.key_id
            except KeyFileError:
                same = False
            if not same or not convert_backups:
                result.left_encrypted.append(info.path)
                continue
            say(_("decrypting the backup {path}").format(path=info.path))
            try:
                _replace_with_copy(info.path, source_key=key, target_key=None, key_file=None)
            except EncryptionError as exc:
                say(str(exc))
                result.left_encrypted.append(info.path)
            else:
                result.converted.append(info.path)
    return result


def key_files_of(db_path: Path, key: JournalKey) -> list[Path]:
    """The key files holding *key*: the journal's and its backups'."""
    found = []
    for path in [Path(db_path), *(b.path for b in list_backups(db_path))]:
        kf = key_file_path(path)
        with contextlib.suppress(KeyFileError):
            if kf.is_file() and read_key_file(kf).key_id == key.key_id:
                found.append(kf)
    return found


def change_passphrase(db_path: Path, key: JournalKey, new_passphrase: str) -> list[Path]:
    """Wrap *key* under *new_passphrase* in every key file that holds it; returns them. The
    recovery key keeps working; the old passphrase stops."""
    db_path = Path(db_path).expanduser()
    current = read_key_file(key_file_path(db_path))
    if current.key_id != key.key_id:
        raise EncryptionError(_("the key does not belong to {path}").format(path=db_path))
    new = current.with_passphrase(key, new_passphrase)
    return _rewrite(db_path, key, lambda kf: KeyFile(kf.key_id, {**kf.slots, **new.slots}))


def replace_recovery_key(db_path: Path, key: JournalKey) -> str:
    """A new recovery key for the journal (and its backups); the old one stops working."""
    db_path = Path(db_path).expanduser()
    recovery = new_recovery_key()
    new = read_key_file(key_file_path(db_path)).with_recovery(key, recovery)
    _rewrite(db_path, key, lambda kf: KeyFile(kf.key_id, {**kf.slots, **new.slots}))
    return recovery


def _rewrite(db_path: Path, key: JournalKey, change: Callable[[KeyFile], KeyFile]) -> list[Path]:
    written = []
    for kf in key_files_of(db_path, key):
        try:
            write_key_file(kf, change(read_key_file(kf)))
        except OSError as exc:
            if kf == key_file_path(db_path):
                raise _failed(exc, kf) from exc
            continue  # a backup's key file: it still opens with the old passphrase
        written.append(kf)
    return written


# -- what else holds entry text ------------------------------------------------------------------
def unsaved_folder(db_path: Path) -> Path:
    return Path(db_path).parent / UNSAVED_FOLDER


def seal_unsaved_copies(db_path: Path, key: JournalKey) -> list[Path]:
    """Seal the plain unsaved copies (``unsaved/*.md``) with the journal's key."""
    from questionbook.storage.sealed import seal_file_in_place

    folder = unsaved_folder(db_path)
    sealed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for path in sorted(folder.glob("*.md")):
            if path.is_file() and not path.is_symlink():
                sealed.append(seal_file_in_place(key, path))
    return sealed


def other_plain_copies(db_path: Path) -> list[Path]:
    """Files beside the journal that may hold entry text in the clear and that ``encrypt``
    does not convert: damaged journals moved aside by a restore."""
    db_path = Path(db_path)
    found = []
    with contextlib.suppress(OSError):
        for item in sorted(db_path.parent.glob(f"{db_path.name}.damaged-*")):
            if item.is_file() and not item.name.endswith(".key") and not is_encrypted(item):
                found.append(item)
    return found


def plain_copies(db_path: Path) -> list[Path]:
    """Everything in the journal's folder that an encrypted journal should not have in the
    clear: plain backups, unsaved copies not sealed, damaged journals moved aside."""
    found = [b.path for b in list_backups(db_path) if not is_encrypted(b.path)]
    with contextlib.suppress(OSError):
        found.extend(sorted(unsaved_folder(db_path).glob("*.md")))
    return found + other_plain_copies(db_path)


def _remove_leftovers(db_path: Path) -> None:
    from questionbook.storage.leftovers import clean_journal_leftovers

    clean_journal_leftovers(db_path)


__all__ = [
    "BackupError",
    "DecryptResult",
    "EncryptResult",
    "EncryptionError",
    "change_passphrase",
    "decrypt_journal",
    "encrypt_journal",
    "plain_copies",
    "replace_recovery_key",
    "unlock",
]
