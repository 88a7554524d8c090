"""The key file of an encrypted journal: its master key, wrapped, in two key slots.

An encrypted journal is keyed with a random 256-bit *master key*, never with the passphrase
itself. The master key is kept *wrapped* (AES-256-GCM) in ``<journal>.key``, a small JSON file
beside the journal, in two slots, like LUKS:

- the **passphrase** slot, under a key stretched from the passphrase by Argon2id (scrypt where
  the ``cryptography`` build lacks Argon2); the parameters are stored in the slot, so they can
  be raised later without breaking old files;
- the **recovery** slot, under a key derived (HKDF) from a random 160-bit *recovery key* shown
  once when encryption is turned on. It needs no stretching: nobody can guess 160 random bits.

Why not ``PRAGMA key = 'passphrase'``: SQLCipher would run its own PBKDF2 (256,000 rounds) on
every connection the pool opens; changing the passphrase would re-encrypt the whole file
(``PRAGMA rekey``) and every backup; and a forgotten passphrase could not be replaced by a
recovery key. With the slots, changing the passphrase rewrites a few hundred bytes and the
recovery key keeps working; each connection is keyed with the raw key at no cost.

GCM's tag tells a wrong passphrase from a right one with certainty (the *check value*): the
unwrap fails unless the passphrase is right and the slot untouched. So when the key unwraps
but SQLCipher still cannot read page 1, the journal file is damaged, not the passphrase wrong.
Each slot's associated data names the key id and the slot, so slots cannot be swapped between
files or kinds; the key id is a hash of the master key, checked after unwrapping.

Key files are written owner-only (0600) and atomically (a temporary file, fsync, rename).
Everything here is Qt-free; ``cryptography`` is imported only when a key is made or unwrapped.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionbook.core.errors import JournalError
from questionbook.i18n import _

KEY_SUFFIX = ".key"
FORMAT = "questionbook-key"
VERSION = 1
CIPHER = "sqlcipher4"
PASSPHRASE, RECOVERY = "passphrase", "recovery"
#: Passphrases shorter than this are refused (the recovery key is the safety net, not this).
MIN_PASSPHRASE = 8
#: Argon2id as OWASP recommends it (46 MiB, one pass, one lane): ~0.1 s here, so that a
#: ``questionbook add`` with a passphrase file stays within its half-second.
ARGON2 = {"m": 47104, "t": 1, "p": 1}
#: scrypt where Argon2id is missing: 32 MiB, about the same time.
SCRYPT = {"n": 1 << 15, "r": 8, "p": 1}
RECOVERY_BYTES = 20  # 160 bits: 32 base32 letters in 8 groups of 4
_MAX_KEY_FILE = 64 * 1024


class KeyFileError(JournalError):
    """The key file is missing, unreadable or not a key file."""


class WrongPassphrase(JournalError):
    """The passphrase (or recovery key) does not open the key file."""


def key_file_path(db_path: Path) -> Path:
    """``<journal>.key``, beside the journal (or a backup)."""
    return Path(f"{Path(db_path).expanduser()}{KEY_SUFFIX}")


@dataclass(frozen=True)
class JournalKey:
    """An unwrapped master key. Its bytes never appear in ``repr`` or logs."""

    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != 32:
            raise ValueError("a journal key has 32 bytes")

    @property
    def key_id(self) -> str:
        """A public name for the key: a hash of it (reveals nothing about the key)."""
        return hmac.new(self.raw, b"questionbook key id", hashlib.sha256).hexdigest()[:16]

    def sqlcipher_pragma(self, schema: str = "") -> str:
        """``PRAGMA key`` with the raw key, so SQLCipher runs no key derivation of its own."""
        prefix = f"{schema}." if schema else ""
        return f"PRAGMA {prefix}key = \"x'{self.raw.hex()}'\""

    def attach_clause(self) -> str:
        """The ``KEY`` clause of ``ATTACH DATABASE ... AS x KEY ...`` for this key."""
        return f"KEY \"x'{self.raw.hex()}'\""

    @classmethod
    def generate(cls) -> JournalKey:
        return cls(secrets.token_bytes(32))


# -- recovery keys ------------------------------------------------------------------------------
_FIX = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_recovery_key() -> str:
    """A random recovery key as people copy it: ``ABCD-EFGH-…`` (8 groups of 4 letters)."""
    text = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """The bytes of a recovery key as typed (any case, spaces or dashes, 0/1/8 for O/I/B), or
    ``None`` if *text* is not shaped like one."""
    compact = "".join(text.split()).replace("-", "").upper().translate(_FIX)
    if len(compact) != RECOVERY_BYTES * 8 // 5:
        return None
    try:
        return base64.b32decode(compact)
    except (ValueError, TypeError):
        return None


# -- wrapping -----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def argon2_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8)
    except Exception:  # an older cryptography, or a build without Argon2
        return False
    return True


def _stretch(passphrase: str, params: Mapping[str, Any]) -> bytes:
    """The key-encryption key for *passphrase* under the slot's KDF parameters."""
    secret = passphrase.encode("utf-8")
    salt = _unb64(params["salt"])
    kdf = params["kdf"]
    if kdf == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=salt,
            length=32,
            iterations=int(params["t"]),
            lanes=int(params["p"]),
            memory_cost=int(params["m"]),
        ).derive(secret)
    if kdf == "scrypt":
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(
            salt=salt, length=32, n=int(params["n"]), r=int(params["r"]), p=int(params["p"])
        ).derive(secret)
    raise KeyFileError(
        _("the key file uses a method this version does not know ({kdf})").format(kdf=kdf)
    )


def _recovery_kek(recovery: bytes, params: Mapping[str, Any]) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    if params.get("kdf") != "hkdf-sha256":
        raise KeyFileError(
            _("the key file uses a method this version does not know ({kdf})").format(
                kdf=params.get("kdf")
            )
        )
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=_unb64(params["salt"]),
        info=b"questionbook recovery key",
    ).derive(recovery)


def _aad(key_id: str, slot: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{key_id}/{slot}".encode("ascii")


def _seal(kek: bytes, key: JournalKey, slot: str, params: dict[str, Any]) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(kek).encrypt(nonce, key.raw, _aad(key.key_id, slot))
    return {**params, "nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _open(kek: bytes, key_id: str, slot: str, params: Mapping[str, Any]) -> JournalKey | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = AESGCM(kek).decrypt(
            _unb64(params["nonce"]), _unb64(params["wrapped"]), _aad(key_id, slot)
        )
    except InvalidTag:
        return None
    key = JournalKey(raw)
    if key.key_id != key_id:  # cannot happen unless the file was forged around a real slot
        return None
    return key


def _passphrase_slot(key: JournalKey, passphrase: str) -> dict[str, Any]:
    salt = _b64(secrets.token_bytes(16))
    if argon2_available():
        params: dict[str, Any] = {"kdf": "argon2id", **ARGON2, "salt": salt}
    else:
        params = {"kdf": "scrypt", **SCRYPT, "salt": salt}
    return _seal(_stretch(passphrase, params), key, PASSPHRASE, params)


def _recovery_slot(key: JournalKey, recovery: str) -> dict[str, Any]:
    secret = parse_recovery_key(recovery)
    if secret is None:
        raise ValueError("not a recovery key")
    params: dict[str, Any] = {"kdf": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}
    return _seal(_recovery_kek(secret, params), key, RECOVERY, params)


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect anything (a clear one-line reason)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise WrongPassphrase(
            _("a passphrase needs at least {n} characters; nothing was changed").format(
                n=MIN_PASSPHRASE
            )
        )


# -- the file -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyFile:
    """The parsed key file: which key it holds and its slots (still wrapped)."""

    key_id: str
    slots: dict[str, dict[str, Any]]

    @classmethod
    def create(cls, key: JournalKey, passphrase: str, recovery: str) -> KeyFile:
        """Slots for a new key: the passphrase's and the recovery key's."""
        check_new_passphrase(passphrase)
        return cls(
            key.key_id,
            {
                PASSPHRASE: _passphrase_slot(key, passphrase),
                RECOVERY: _recovery_slot(key, recovery),
            },
        )

    def with_passphrase(self, key: JournalKey, passphrase: str) -> KeyFile:
        """The same key under a new passphrase; the recovery slot is kept as it is."""
        check_new_passphrase(passphrase)
        return KeyFile(self.key_id, {**self.slots, PASSPHRASE: _passphrase_slot(key, passphrase)})

    def with_recovery(self, key: JournalKey, recovery: str) -> KeyFile:
        """The same key under a new recovery key (the old one stops working)."""
        return KeyFile(self.key_id, {**self.slots, RECOVERY: _recovery_slot(key, recovery)})

    def unlock(self, secret: str) -> JournalKey:
        """The master key, opened with a passphrase or a recovery key (tried in that order);
        :class:`WrongPassphrase` if neither opens it."""
        slot = self.slots.get(PASSPHRASE)
        try:
            if slot is not None and secret:
                key = _open(_stretch(secret, slot), self.key_id, PASSPHRASE, slot)
                if key is not None:
                    return key
            recovery = parse_recovery_key(secret)
            slot = self.slots.get(RECOVERY)
            if recovery is not None and slot is not None:
                key = _open(_recovery_kek(recovery, slot), self.key_id, RECOVERY, slot)
                if key is not None:
                    return key
        except (KeyError, ValueError, TypeError) as exc:
            raise KeyFileError(_("the key file is damaged ({reason})").format(reason=exc)) from exc
        raise WrongPassphrase(_("wrong passphrase; nothing was changed"))

    def unlock_recovery(self, recovery_text: str) -> JournalKey:
        """The master key, opened with the recovery key only."""
        recovery = parse_recovery_key(recovery_text)
        slot = self.slots.get(RECOVERY)
        if recovery is None:
            raise WrongPassphrase(
                _("that is not a recovery key (8 groups of 4 letters and digits)")
            )
        try:
            key = (
                None
                if slot is None
                else _open(_recovery_kek(recovery, slot), self.key_id, RECOVERY, slot)
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise KeyFileError(_("the key file is damaged ({reason})").format(reason=exc)) from exc
        if key is None:
            raise WrongPassphrase(_("wrong recovery key; nothing was changed"))
        return key

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "cipher": CIPHER,
            "key_id": self.key_id,
            "slots": self.slots,
        }

    @classmethod
    def from_json(cls, data: Any, where: Path | str = "") -> KeyFile:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeyFileError(_("{path} is not a QuestionBook key file").format(path=where))
        if data.get("version") != VERSION or data.get("cipher") != CIPHER:
            raise KeyFileError(
                _(
                    "{path} was written by a newer version of QuestionBook; please update "
                    "QuestionBook to open it"
                ).format(path=where)
            )
        slots = data.get("slots")
        key_id = data.get("key_id")
        if not isinstance(slots, dict) or not isinstance(key_id, str) or not slots:
            raise KeyFileError(_("the key file {path} is damaged").format(path=where))
        return cls(key_id, {str(k): dict(v) for k, v in slots.items() if isinstance(v, dict)})


def read_key_file(path: Path) -> KeyFile:
    """Parse the key file at *path* (:class:`KeyFileError` for anything wrong with it)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise KeyFileError(
            _(
                "the key file {path} is missing: an encrypted journal cannot be opened "
                "without it (a backup's key file has the same name plus .key)"
            ).format(path=path)
        ) from None
    except OSError as exc:
        raise KeyFileError(
            _("cannot read the key file {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    if len(data) > _MAX_KEY_FILE:
        raise KeyFileError(_("{path} is not a QuestionBook key file").format(path=path))
    try:
        decoded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeyFileError(_("the key file {path} is damaged").format(path=path)) from None
    return KeyFile.from_json(decoded, path)


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Write *key_file* to *path* owner-only and atomically (temp file, fsync, rename)."""
    path = Path(path)
    data = (json.dumps(key_file.to_json(), indent=1, sort_keys=True) + "\n").encode("ascii")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    if os.name == "posix":
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def copy_key_file(source: Path, target: Path) -> None:
    """Put a copy of the key file *source* at *target* (owner-only, atomic)."""
    write_key_file(target, read_key_file(source))
