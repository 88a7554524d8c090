"""The AI endpoint's API key, kept in the operating system's keyring (never in the settings).

Uses the ``keyring`` package: the macOS Keychain, Windows Credential Locker, the Secret Service
on Linux. On a system without a keyring backend reading finds no key (a local server needs
none) and storing one says so plainly. The key is filed under the endpoint's base URL, so
a key for one server is never sent to another.
"""

from __future__ import annotations

import contextlib

from questionbook.i18n import _

SERVICE = "QuestionBook AI"


class KeyringUnavailable(Exception):
    """No keyring backend could store the key."""


def api_key(endpoint: str) -> str | None:
    """The key stored for *endpoint* (a base URL), or None (also when there is no keyring)."""
    try:
        import keyring

        return keyring.get_password(SERVICE, endpoint) or None
    except Exception:  # no backend, a locked or broken keyring: ask without a key
        return None


def keyring_available() -> bool:
    """True when a keyring backend can keep a key; False on a system without one (the
    ``keyring`` package then falls back to a backend that refuses everything)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def store_api_key(endpoint: str, key: str) -> None:
    """Keep *key* for *endpoint* (an empty key forgets it). Raises :class:`KeyringUnavailable`."""
    try:
        import keyring
        import keyring.errors

        if key:
            keyring.set_password(SERVICE, endpoint, key)
        else:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, endpoint)
    except KeyringUnavailable:
        raise
    except Exception as exc:
        raise KeyringUnavailable(
            _("the API key cannot be kept: no keyring is available ({reason})").format(reason=exc)
        ) from None
