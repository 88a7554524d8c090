"""The encrypted journal's engine (issue 15) on real files: SQLCipher through the same storage
code as a plain journal — migrations, the daily check, attachments, backups and restores —
and the key file's slots."""

from __future__ import annotations

import base64
import json
import os
import zlib
from datetime import date
from pathlib import Path

import pytest

from questionbook.core.errors import JournalCorrupt, JournalLocked, NotAJournal
from questionbook.paths import AppPaths
from questionbook.services import attachment_service, open_services
from questionbook.storage import backup, encryption
from questionbook.storage.connection import connect
from questionbook.storage.health import JournalGuard, check_tables
from questionbook.storage.keyfile import (
    JournalKey,
    KeyFile,
    WrongPassphrase,
    key_file_path,
    new_recovery_key,
    parse_recovery_key,
    read_key_file,
)
from questionbook.storage.migrate import open_database
from questionbook.storage.probe import HEAD_REVISION, is_encrypted, probe
from tests.storage.test_migration_0005 import ID, _journal_at_0004

PASS = "correct horse battery"


def encrypted_journal(app_paths: AppPaths, *titles: str) -> JournalKey:
    services = open_services(app_paths)
    for title in titles:
        services.journal.add(title)
    services.close()
    encryption.encrypt_journal(app_paths.database, PASS)
    return encryption.unlock(app_paths.database, PASS)


def test_an_old_encrypted_journal_is_migrated_through_sqlcipher_after_an_encrypted_backup(
    app_paths: AppPaths,
) -> None:
    path = app_paths.database
    path.parent.mkdir(parents=True)
    _journal_at_0004(path)
    raw = connect(path)  # the index triggers call the search function
    raw.execute("BEGIN")
    raw.execute(
        "INSERT INTO entry (id, kind, title, body, status, hardness, starred, outcome,"
        " tags_text, parent_id, created_at, updated_at, still_mine) VALUES"
        f" ('{ID}', 'question', '电梯 elevators', 'body', 'open', 2, 0, '', '', NULL,"
        " '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00', '')"
    )
    raw.execute("COMMIT")
    raw.close()
    encryption.encrypt_journal(path, PASS)
    key = encryption.unlock(path, PASS)
    assert probe(path, key).revision == "0004"

    services = open_services(app_paths, key=key)  # Alembic over SQLCipher connections
    try:
        assert [e.id for e in services.journal.find("电梯")] == [ID]
    finally:
        services.close()
    assert probe(path, key).revision == HEAD_REVISION
    [pre] = [b for b in backup.list_backups(path) if b.label == "pre-migrate"]
    assert is_encrypted(pre.path) and b"elevators" not in pre.path.read_bytes()
    assert backup.verify_backup(pre.path, key) is None


def test_the_daily_check_reads_an_encrypted_journal_with_its_key(app_paths: AppPaths) -> None:
    key = encrypted_journal(app_paths, "a question")
    path = app_paths.database
    assert check_tables(path, key) is None
    assert check_tables(path, None) is not None  # without the key it is not a database
    guard = JournalGuard(path, key=key, today=date(2099, 1, 1))  # a day not checked yet
    try:
        guard.before_write()
        assert guard.damage is None
    finally:
        guard.close()


def test_opening_without_the_key_or_without_the_key_file(app_paths: AppPaths) -> None:
    encrypted_journal(app_paths, "a question")
    path = app_paths.database
    with pytest.raises(JournalLocked):
        open_database(path)
    kf = key_file_path(path)
    kf.rename(kf.with_name("elsewhere.key"))
    with pytest.raises(NotAJournal, match=r"key file journal\.sqlite3\.key is missing"):
        probe(path)


def test_a_damaged_page_one_is_damage_not_a_wrong_key(app_paths: AppPaths) -> None:
    key = encrypted_journal(app_paths, "a question")
    path = app_paths.database
    data = bytearray(path.read_bytes())
    data[64:96] = bytes(32)
    path.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt, match="passphrase is right"):
        probe(path, key)


def test_attachments_stream_through_sqlcipher(app_paths: AppPaths, tmp_path: Path) -> None:
    key = encrypted_journal(app_paths)
    services = open_services(app_paths, key=key)
    try:
        entry = services.journal.add("with a picture")
        big = tmp_path / "big.bin"
        big.write_bytes(os.urandom(3 * (1 << 20) + 17))  # more than one 1 MiB piece
        files = attachment_service(services.journal, 50)
        _entry, [att] = files.attach(entry.id, [big])
        (tmp_path / "out").mkdir()
        copy = files.private_copy(att.sha256, att.name, tmp_path / "out")
        assert copy.read_bytes() == big.read_bytes()
    finally:
        services.close()
    assert big.read_bytes()[:4096] not in app_paths.database.read_bytes()


def test_backups_are_encrypted_with_the_journals_key_and_restore_with_their_key_file(
    app_paths: AppPaths,
) -> None:
    key = encrypted_journal(app_paths, "kept in the backup")
    path = app_paths.database
    info = backup.make_backup(path, key=key)
    assert is_encrypted(info.path) and key_file_path(info.path).is_file()
    assert read_key_file(key_file_path(info.path)).key_id == key.key_id
    result = backup.restore_backup(path, info.path, key=key)
    assert result.encrypted and result.safety_backup is not None
    assert is_encrypted(path) and is_encrypted(result.safety_backup)
    services = open_services(app_paths, key=key)
    try:
        assert [e.title for e in services.journal.find()] == ["kept in the backup"]
    finally:
        services.close()
    # Rotation takes a backup's key file with it.
    backup.rotate(path, daily=1, weekly=0, monthly=0)
    left = sorted(p.name for p in backup.backups_dir_for(path).iterdir())
    assert all(f"{n}.key" in left for n in left if n.endswith(".sqlite3"))
    assert all(n[: -len(".key")] in left for n in left if n.endswith(".key"))


def test_a_plain_backup_restored_makes_a_plain_journal(app_paths: AppPaths) -> None:
    services = open_services(app_paths)
    services.journal.add("plain days")
    services.close()
    plain = backup.make_backup(app_paths.database)
    encryption.encrypt_journal(app_paths.database, PASS, convert_backups=False)
    key = encryption.unlock(app_paths.database, PASS)
    result = backup.restore_backup(app_paths.database, plain.path, key=key)
    assert not result.encrypted
    assert not is_encrypted(app_paths.database)
    assert not key_file_path(app_paths.database).exists()


# -- the key file ----------------------------------------------------------------------------
def test_the_key_file_opens_with_the_passphrase_or_the_recovery_key_only(tmp_path: Path) -> None:
    key = JournalKey.generate()
    recovery = new_recovery_key()
    kf = KeyFile.create(key, PASS, recovery)
    assert kf.unlock(PASS) == key
    assert kf.unlock(recovery) == key
    assert kf.unlock(recovery.lower().replace("-", " ").replace("O", "0")) == key
    assert kf.unlock_recovery(recovery) == key
    for wrong in ("not it at all", PASS.upper(), new_recovery_key()):
        with pytest.raises(WrongPassphrase):
            kf.unlock(wrong)
    with pytest.raises(WrongPassphrase):
        kf.unlock_recovery(PASS)  # a passphrase is not a recovery key
    changed = kf.with_passphrase(key, "another passphrase")
    assert changed.unlock("another passphrase") == key and changed.unlock(recovery) == key
    with pytest.raises(WrongPassphrase):
        changed.unlock(PASS)
    assert PASS not in json.dumps(kf.to_json()) and key.raw.hex() not in json.dumps(kf.to_json())
    assert key.raw.hex() not in repr(key)


def test_slots_cannot_be_moved_between_key_files(tmp_path: Path) -> None:
    a, b = JournalKey.generate(), JournalKey.generate()
    fa = KeyFile.create(a, PASS, new_recovery_key())
    fb = KeyFile.create(b, PASS, new_recovery_key())
    forged = KeyFile(fb.key_id, {**fb.slots, "passphrase": fa.slots["passphrase"]})
    with pytest.raises(WrongPassphrase):
        forged.unlock(PASS)


def test_a_scrypt_slot_opens_too(tmp_path: Path) -> None:
    """Where ``cryptography`` lacks Argon2id, new slots use scrypt; both read everywhere."""
    from questionbook.storage import keyfile

    key = JournalKey.generate()
    params = {"kdf": "scrypt", **keyfile.SCRYPT, "salt": base64.b64encode(os.urandom(16)).decode()}
    slot = keyfile._seal(keyfile._stretch(PASS, params), key, keyfile.PASSPHRASE, params)
    assert KeyFile(key.key_id, {keyfile.PASSPHRASE: slot}).unlock(PASS) == key


def test_recovery_keys_are_160_random_bits_people_can_copy() -> None:
    keys = {new_recovery_key() for _ in range(50)}
    assert len(keys) == 50
    for k in keys:
        assert len(k) == 39 and k.count("-") == 7
        assert parse_recovery_key(k) is not None and len(parse_recovery_key(k) or b"") == 20
    assert parse_recovery_key("correct horse battery staple") is None


def test_key_files_are_private_and_a_change_reaches_the_backups(app_paths: AppPaths) -> None:
    key = encrypted_journal(app_paths, "x")
    info = backup.make_backup(app_paths.database, key=key)
    kf = key_file_path(app_paths.database)
    assert oct(kf.stat().st_mode & 0o777) == "0o600"
    written = encryption.change_passphrase(app_paths.database, key, "a new passphrase")
    assert set(written) == {kf, key_file_path(info.path)}
    assert read_key_file(key_file_path(info.path)).unlock("a new passphrase") == key


# -- sync payloads ---------------------------------------------------------------------------
def test_the_sealed_sync_codec_round_trips_and_refuses_other_keys() -> None:
    from questionbook.sync.codecs import PayloadTooLarge, PayloadUnreadable
    from questionbook.sync.sealed_codec import SealedCodec

    key = JournalKey.generate()
    codec = SealedCodec(key)
    lines = "".join(f'{{"title": "电梯 {i}"}}\n' for i in range(1000)).encode()
    packed = codec.encode(lines)
    assert "电梯".encode() not in packed
    with pytest.raises(zlib.error):
        zlib.decompress(packed)  # not merely compressed
    assert codec.decode(packed, len(lines)) == lines
    with pytest.raises(PayloadTooLarge):
        codec.decode(packed, 100)
    with pytest.raises(PayloadUnreadable):
        SealedCodec(JournalKey.generate()).decode(packed, len(lines))
    with pytest.raises(PayloadUnreadable):
        codec.decode(packed[:-1] + bytes([packed[-1] ^ 1]), len(lines))


def test_copies_opened_with_other_apps_live_in_one_private_folder_removed_at_quit(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    from questionbook.core.attachment_service import private_copies_root, remove_private_copies

    key = encrypted_journal(app_paths)
    services = open_services(app_paths, key=key)
    try:
        entry = services.journal.add("with a file")
        f = tmp_path / "note.txt"
        f.write_text("麒麟")
        files = attachment_service(services.journal, 50)
        _entry, [att] = files.attach(entry.id, [f])
        copy = files.private_copy(att.sha256, att.name)
    finally:
        services.close()
    root = private_copies_root()
    assert root in copy.parents and oct(root.stat().st_mode & 0o777) == "0o700"
    remove_private_copies()
    assert not copy.exists() and not root.exists()
