"""Small files sealed with an encrypted journal's key: unsaved copies, sync payloads.

Some text leaves the journal file on purpose: the app's copy of unsaved text written when the
journal cannot take it (``unsaved/``), and sync's change files. With encryption on, both are
sealed with AES-256-GCM under a key derived (HKDF) from the journal's master key for that one
purpose, so a key for one use never decrypts another. A sealed file says which key it needs
(the key id) and nothing else::

    QBSEALED1\\n<key id>\\n<12-byte nonce><ciphertext and tag>

Qt-free; ``cryptography`` is imported on first use.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.i18n import _

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

MAGIC = b"QBSEALED1\n"
SEALED_SUFFIX = ".sealed"
UNSAVED, SYNC = b"questionbook unsaved copy", b"questionbook sync payload"


class SealError(ValueError):
    """A sealed file that this key cannot open (another key, damaged, not sealed)."""


def subkey(key: JournalKey, purpose: bytes) -> bytes:
    """The key for one *purpose*, derived from the master key (HKDF-SHA256)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key.raw)


def seal(key: JournalKey, data: bytes, purpose: bytes = UNSAVED) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    head = MAGIC + key.key_id.encode("ascii") + b"\n"
    nonce = secrets.token_bytes(12)
    return head + nonce + AESGCM(subkey(key, purpose)).encrypt(nonce, data, head + purpose)


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def sealed_key_id(data: bytes) -> str | None:
    if not is_sealed(data):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + 40)
    return data[len(MAGIC) : end].decode("ascii", "replace") if end > 0 else None


def unseal(key: JournalKey, data: bytes, purpose: bytes = UNSAVED) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key_id = sealed_key_id(data)
    if key_id is None:
        raise SealError(_("not a sealed QuestionBook file"))
    if key_id != key.key_id:
        raise SealError(_("sealed with another journal's key"))
    head = MAGIC + key_id.encode("ascii") + b"\n"
    body = data[len(head) :]
    try:
        return AESGCM(subkey(key, purpose)).decrypt(body[:12], body[12:], head + purpose)
    except (InvalidTag, ValueError) as exc:
        raise SealError(_("the sealed file is damaged")) from exc


def seal_file_in_place(key: JournalKey, path: Path) -> Path:
    """Replace the plain file *path* by ``<path>.sealed`` (owner-only); returns the new path."""
    import os

    target = path.with_name(path.name + SEALED_SUFFIX)
    data = seal(key, path.read_bytes())
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
    return target
