""" "Remember on this computer": an encrypted journal's passphrase in the OS keyring.

Like :mod:`questionbook.ai_keyring`, through the ``keyring`` package (macOS Keychain, Windows
Credential Locker, the Secret Service on Linux). The passphrase is filed under the journal's
key id (a hash of its key, see :mod:`questionbook.storage.keyfile`), so two journals never
share an entry and a remembered passphrase never leaves this computer. Without a keyring
backend nothing is remembered and the app says so; it still opens with the passphrase typed.
"""

from __future__ import annotations

import contextlib

from questionbook.ai_keyring import keyring_available

SERVICE = "QuestionBook journal"

__all__ = ["forget", "keyring_available", "recall", "remember"]


def recall(key_id: str) -> str | None:
    """The passphrase remembered for the journal whose key is *key_id*, if any."""
    try:
        import keyring

        return keyring.get_password(SERVICE, key_id) or None
    except Exception:  # no backend, a locked or broken keyring: ask instead
        return None


def remember(key_id: str, passphrase: str) -> bool:
    """Keep *passphrase* for *key_id*; False when no keyring could keep it."""
    try:
        import keyring

        keyring.set_password(SERVICE, key_id, passphrase)
    except Exception:
        return False
    return True


def forget(key_id: str) -> None:
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(SERVICE, key_id)
