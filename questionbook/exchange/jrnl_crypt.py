"""jrnl's encrypted journals (jrnl 2 and later), opened with the journal's password.

jrnl 2 and 3 encrypt the whole plain-text journal as one Fernet token (AES-128-CBC with an
HMAC-SHA256, ``cryptography.fernet``). The Fernet key is PBKDF2-HMAC-SHA256 over the password,
100,000 iterations, 32 bytes, base64url-encoded:

- **v2** files are the bare token (base64url text starting ``gAAAAA``), the key salted with
  the fixed 16 bytes every jrnl 2 install uses;
- **v3** files (jrnl 4.6) start ``JRNLv3``, a big-endian 16-bit header length and a header
  (base64 of JSON; raw JSON in early v3 files) whose ``salt`` (base64url) salts the key; the
  token follows.

Both were checked against jrnl 4.6's own ``Jrnlv2Encryption``/``Jrnlv3Encryption``: the test
files in ``tests/exchange/data`` were written with them. jrnl 1's AES-CBC
format (jrnl before 2.0, 2019) is not read: jrnl 2 converts it on first open.

The decrypted text is held in memory only (jrnl does the same); it is never written to disk,
so importing into an encrypted journal leaves no copy in the clear.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
from pathlib import Path

from questionbook.core.errors import ImportFormatError
from questionbook.i18n import _

V2_SALT = b"\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8"
V3_PREFIX = b"JRNLv3"
ITERATIONS = 100_000
FERNET_PREFIX = b"gAAAAA"  # version byte 0x80 and the first timestamp bytes, base64url


def is_encrypted_jrnl(head: bytes) -> bool:
    """True if a file starting with *head* is an encrypted jrnl journal."""
    head = head.lstrip()
    return head.startswith(V3_PREFIX) or head.startswith(FERNET_PREFIX)


def fernet_key(password: str, salt: bytes = V2_SALT) -> bytes:
    """jrnl's Fernet key for *password* (base64url of PBKDF2-HMAC-SHA256, 100,000 rounds)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return base64.urlsafe_b64encode(kdf.derive(password.encode("utf-8")))


def _split(data: bytes, name: str) -> tuple[bytes, bytes]:
    """(salt, token) of a v2 or v3 file."""
    if not data.startswith(V3_PREFIX):
        return V2_SALT, data.strip()
    try:
        offset = len(V3_PREFIX)
        (size,) = struct.unpack_from(">H", data, offset)
        field = data[offset + 2 : offset + 2 + size]
        try:
            header = json.loads(base64.b64decode(field, validate=True))
        except binascii.Error:  # an early v3 file: the JSON as it is
            header = json.loads(field)
        salt = base64.urlsafe_b64decode(header["salt"])
        return salt, data[offset + 2 + size :].strip()
    except (struct.error, ValueError, KeyError, TypeError) as exc:
        raise ImportFormatError(
            _("{file}: a damaged encrypted jrnl journal ({reason})").format(file=name, reason=exc)
        ) from exc


def decrypt_jrnl(path: Path, password: str | None) -> str:
    """The plain text of the encrypted jrnl journal at *path*."""
    from questionbook.exchange.reading import open_input

    name = str(path)
    if not password:
        raise ImportFormatError(
            _(
                "{file} is an encrypted jrnl journal; give its password with "
                "'import {file} --from jrnl --passphrase-file FILE'"
            ).format(file=name)
        )
    with open_input(path) as fh:
        data = fh.read()
    salt, token = _split(data.lstrip(), name)
    from cryptography.fernet import Fernet, InvalidToken

    try:
        plain = Fernet(fernet_key(password, salt)).decrypt(token)
    except (InvalidToken, ValueError):
        raise ImportFormatError(
            _(
                "{file}: wrong password for this encrypted jrnl journal (or the file is "
                "damaged); nothing was imported"
            ).format(file=name)
        ) from None
    return plain.decode("utf-8", "replace")
