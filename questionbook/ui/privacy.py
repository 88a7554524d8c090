"""What Settings → Privacy and the start dialog do, without Qt (tests drive it directly).

:class:`PrivacyControl` wraps :mod:`questionbook.storage.encryption` for one open journal:
``encrypt`` and ``decrypt`` replace the file under the writers' lock held alone, so the window's
own connections are closed first (*close_journal*) and the window is rebuilt afterwards over the
new file, like after a restore; ``change_passphrase`` only rewrites key files. The passphrase
remembered on this computer (:mod:`questionbook.journal_keyring`) follows every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook import journal_keyring
from questionbook.core.errors import QuestionBookError
from questionbook.storage.keyfile import JournalKey, key_file_path, read_key_file

if TYPE_CHECKING:  # imported when used: the first paint needs none of it (issue 21)
    from questionbook.storage import encryption


@dataclass
class KeyringAccess:
    """How the app reaches the OS keyring (tests pass a dictionary-backed one)."""

    recall: Callable[[str], str | None] = journal_keyring.recall
    remember: Callable[[str, str], bool] = journal_keyring.remember
    forget: Callable[[str], None] = journal_keyring.forget
    available: Callable[[], bool] = journal_keyring.keyring_available


def unlock_remembered(db_path: Path, keyring: KeyringAccess) -> JournalKey | None:
    """The journal's key from the passphrase remembered on this computer, if that works."""
    try:
        key_file = read_key_file(key_file_path(db_path))
    except QuestionBookError:
        return None
    secret = keyring.recall(key_file.key_id)
    if not secret:
        return None
    try:
        return key_file.unlock(secret)
    except QuestionBookError:
        keyring.forget(key_file.key_id)  # changed elsewhere: ask, and remember the new one
        return None


class PrivacyControl:
    """Encryption on, off and the passphrase, for the journal at *db_path*."""

    def __init__(
        self,
        db_path: Path,
        key: JournalKey | None,
        *,
        close_journal: Callable[[], None],
        key_changed: Callable[[JournalKey | None], None],
        keyring: KeyringAccess | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.key = key
        self._close_journal = close_journal
        self._key_changed = key_changed
        self.keyring = keyring or KeyringAccess()
        self.reopen_needed = False  # the journal was closed: the window must be rebuilt

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def remembered(self) -> bool:
        return self.key is not None and bool(self.keyring.recall(self.key.key_id))

    def _close(self) -> None:
        if not self.reopen_needed:
            self.reopen_needed = True
            self._close_journal()

    def encrypt(self, passphrase: str, *, remember: bool) -> encryption.EncryptResult:
        """Encrypt the journal, its backups and unsaved copies; returns the recovery key."""
        from questionbook.storage import encryption
        from questionbook.storage.keyfile import check_new_passphrase

        check_new_passphrase(passphrase)  # before the journal is closed for nothing
        self._close()
        result = encryption.encrypt_journal(self.db_path, passphrase)
        self.key = result.key
        self._key_changed(result.key)
        if remember:
            self.keyring.remember(result.key.key_id, passphrase)
        return result

    def check(self, secret: str) -> JournalKey:
        """The key if *secret* is this journal's passphrase or recovery key (else raises
        :class:`~questionbook.storage.keyfile.WrongPassphrase`)."""
        from questionbook.storage import encryption

        return encryption.unlock(self.db_path, secret)

    def decrypt(self, secret: str) -> encryption.DecryptResult:
        """Turn encryption off, confirmed with the passphrase (or recovery key)."""
        from questionbook.storage import encryption

        key = self.check(secret)
        self._close()
        result = encryption.decrypt_journal(self.db_path, key)
        self.keyring.forget(key.key_id)
        self.key = None
        self._key_changed(None)
        return result

    def change_passphrase(self, secret: str, new: str, *, remember: bool) -> list[Path]:
        """Re-wrap the key under *new*, confirmed with the current passphrase (or recovery key)."""
        from questionbook.storage import encryption

        key = self.check(secret)
        written = encryption.change_passphrase(self.db_path, key, new)
        if remember:
            self.keyring.remember(key.key_id, new)
        else:
            self.keyring.forget(key.key_id)
        return written

    def forget_remembered(self) -> None:
        if self.key is not None:
            self.keyring.forget(self.key.key_id)
