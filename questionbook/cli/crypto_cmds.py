"""``encrypt``, ``decrypt``, ``passphrase`` and ``unsaved``: the encrypted journal on the command line.

Like ``restore-backup``, none of them opens the journal through the services: ``encrypt`` and
``decrypt`` replace the file under the writers' lock held alone, so no other program may have
it open for writing (the app included; it is told to close first).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, label_value, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context


def register(sub: Any) -> None:
    p = sub.add_parser(
        "encrypt",
        help=_("encrypt the journal, its backups and unsaved copies"),
        description=_(
            "Encrypt the journal with a passphrase (SQLCipher, AES-256). A recovery key is "
            "shown once: keep it safe, it opens the journal if the passphrase is forgotten. "
            "Existing backups are encrypted too. Exports stay readable files."
        ),
    )
    p.add_argument(
        "--new-passphrase-file",
        metavar="PATH",
        help=_("the passphrase is the first line of this file (else the terminal asks twice)"),
    )
    p.add_argument(
        "--keep-plain-backups",
        action="store_true",
        help=_("leave existing backups unencrypted (they are listed)"),
    )
    p.set_defaults(func=cmd_encrypt)

    p = sub.add_parser(
        "decrypt",
        help=_("turn encryption off"),
        description=_(
            "Turn the encrypted journal and its backups back into plain SQLite files, readable "
            "by anyone who can read the files."
        ),
    )
    p.set_defaults(func=cmd_decrypt)

    p = sub.add_parser(
        "passphrase",
        help=_("change the passphrase of an encrypted journal"),
        description=_(
            "Change the passphrase (instant: the journal is not re-encrypted, and the recovery "
            "key keeps working). With --recovery-key-file the recovery key opens the journal "
            "instead of the current passphrase."
        ),
    )
    p.add_argument("--new-passphrase-file", metavar="PATH", help=_("the new passphrase's file"))
    p.add_argument(
        "--recovery-key-file",
        metavar="PATH",
        help=_("open with the recovery key in this file (first line) instead of the passphrase"),
    )
    p.add_argument(
        "--new-recovery-key",
        action="store_true",
        help=_("also replace the recovery key (the old one stops working); shown once"),
    )
    p.set_defaults(func=cmd_passphrase)

    p = sub.add_parser(
        "unsaved",
        help=_("list or show the copies of unsaved text the app kept"),
        description=_(
            "The app keeps a copy of text it could not save in the 'unsaved' folder beside "
            "the journal; in an encrypted journal the copy is sealed with its key. Without "
            "FILE, list them; with FILE, print it."
        ),
    )
    p.add_argument("file", nargs="?", metavar="FILE")
    p.set_defaults(func=cmd_unsaved)


def _refuse_if_app_has_it(ctx: Context) -> None:
    from questionbook.cli.backup_cmds import app_holding
    from questionbook.storage.encryption import EncryptionError

    pid = app_holding(ctx.db_path)
    if pid is not None:
        raise EncryptionError(
            _(
                "QuestionBook (process {pid}) has this journal open; use Settings → Privacy "
                "there, or close it first. Nothing was changed."
            ).format(pid=pid)
        )


def _say(message: str) -> None:
    print(message, flush=True)


def _show_recovery_key(recovery: str) -> None:
    print()
    print(_("Recovery key: {key}").format(key=recovery))
    print(
        _(
            "Write it down and keep it somewhere safe, away from this computer. It opens the "
            "journal if you forget the passphrase ('questionbook passphrase "
            "--recovery-key-file FILE'). It is shown only this once: without the passphrase "
            "and without this key, nobody can read the journal again, you included."
        )
    )
    print()


def cmd_encrypt(ctx: Context) -> int:
    from questionbook.cli.passphrases import new_passphrase
    from questionbook.storage.encryption import EncryptionError, encrypt_journal
    from questionbook.storage.keyfile import key_file_path
    from questionbook.storage.probe import is_encrypted

    db = ctx.db_path
    if not db.is_file():
        raise EncryptionError(_("there is no journal at {path}").format(path=db))
    if is_encrypted(db):
        raise EncryptionError(_("{path} is already encrypted").format(path=db))
    _refuse_if_app_has_it(ctx)
    passphrase = new_passphrase(ctx.args.new_passphrase_file)
    result = encrypt_journal(db, passphrase, convert_backups=not ctx.args.keep_plain_backups)
    print(_("Encrypted {path} (SQLCipher 4, AES-256).").format(path=db))
    _show_recovery_key(result.recovery_key)
    print(
        _(
            "The key file {key} holds the journal's key, locked by the passphrase: keep it "
            "beside the journal (copying the journal elsewhere, copy it too)."
        ).format(key=key_file_path(db))
    )
    if result.converted:
        print(
            ngettext(
                "Encrypted {n} backup.", "Encrypted {n} backups.", len(result.converted)
            ).format(n=len(result.converted))
        )
    if result.sealed:
        print(
            ngettext(
                "Sealed {n} copy of unsaved text ('questionbook unsaved' shows it).",
                "Sealed {n} copies of unsaved text ('questionbook unsaved' shows them).",
                len(result.sealed),
            ).format(n=len(result.sealed))
        )
    ctx._key, ctx._key_known = result.key, True  # the journal opens with it from now on
    left = [*result.left_plain, *_seal_sync_folder(ctx)]
    if left:
        print(_("Still readable without the passphrase (delete them or keep them safe):"))
        for path in left:
            print(f"  {path}")
    print(
        _(
            "Exports stay plain, readable files by design; 'questionbook export --encrypt-to "
            "FILE' writes an encrypted archive."
        )
    )
    return 0


def _seal_sync_folder(ctx: Context) -> list[Path]:
    """If the journal syncs: sync now (new change files are sealed), compact (a sealed
    snapshot replaces this computer's files every computer has read) and return this
    computer's change files still in the clear (others have not read them yet)."""
    from questionbook.sync import folder as sync_folder
    from questionbook.sync.fileformat import FileProblem, read_header
    from questionbook.sync.service import SyncService

    service = SyncService(ctx.services.db)
    cfg = service.config()
    if cfg is None:
        return []
    try:
        service.sync()
        service.compact()
    except (OSError, ValueError) as exc:
        print(_("Sync: {reason}").format(reason=exc))
    left = []
    own = sync_folder.own_dir(cfg.folder, cfg.device)
    for path in sorted(own.glob("*")) if own.is_dir() else []:
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            with open(path, "rb") as fh:
                header = read_header(fh.read(1 << 20))
        except (OSError, FileProblem):
            continue
        if header.codec == "zlib":
            left.append(path)
    return left


def cmd_decrypt(ctx: Context) -> int:
    from questionbook.storage.encryption import EncryptionError, decrypt_journal
    from questionbook.storage.probe import is_encrypted

    db = ctx.db_path
    if not is_encrypted(db):
        raise EncryptionError(_("{path} is not encrypted").format(path=db))
    key = ctx.key
    assert key is not None
    _refuse_if_app_has_it(ctx)
    result = decrypt_journal(db, key)
    print(
        _(
            "Decrypted {path}: it is a plain SQLite file again, readable by anyone who can "
            "read the file."
        ).format(path=db)
    )
    if result.converted:
        print(
            ngettext(
                "Decrypted {n} backup.", "Decrypted {n} backups.", len(result.converted)
            ).format(n=len(result.converted))
        )
    if result.left_encrypted:
        print(_("Left encrypted (made with another key; they open with its passphrase):"))
        for path in result.left_encrypted:
            print(f"  {path}")
    return 0


def cmd_passphrase(ctx: Context) -> int:
    from questionbook.cli.passphrases import new_passphrase, read_first_line
    from questionbook.storage.encryption import (
        EncryptionError,
        change_passphrase,
        replace_recovery_key,
        unlock_recovery,
    )
    from questionbook.storage.probe import is_encrypted

    db = ctx.db_path
    if not is_encrypted(db):
        raise EncryptionError(
            _("{path} is not encrypted; 'questionbook encrypt' encrypts it").format(path=db)
        )
    key = (
        unlock_recovery(db, read_first_line(ctx.args.recovery_key_file))
        if ctx.args.recovery_key_file
        else ctx.key
    )
    assert key is not None
    secret = new_passphrase(ctx.args.new_passphrase_file)
    written = change_passphrase(db, key, secret)
    print(
        ngettext(
            "Changed the passphrase ({n} key file).",
            "Changed the passphrase ({n} key files: the journal's and its backups').",
            len(written),
        ).format(n=len(written))
    )
    if ctx.args.new_recovery_key:
        _show_recovery_key(replace_recovery_key(db, key))
    else:
        print(_("The recovery key still works."))
    return 0


def cmd_unsaved(ctx: Context) -> int:
    from questionbook.storage.encryption import unsaved_folder
    from questionbook.storage.sealed import SEALED_SUFFIX, SealError, is_sealed, unseal

    folder = unsaved_folder(ctx.db_path)
    if not ctx.args.file:
        found = (
            sorted(p for p in folder.glob("unsaved-*") if p.is_file()) if folder.is_dir() else []
        )
        if not found:
            print(_("No unsaved copies in {folder}.").format(folder=folder))
            return 0
        for path in found:
            sealed = path.name.endswith(SEALED_SUFFIX)
            print(f"{path.name}{'  ' + _('(sealed)') if sealed else ''}")
        return 0
    given = Path(ctx.args.file).expanduser()
    path = given if given.is_file() else folder / ctx.args.file
    from questionbook.core.errors import QuestionBookError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QuestionBookError(
            _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    if is_sealed(data):
        key = ctx.key
        if key is None:
            raise QuestionBookError(
                _("{path} is sealed, but the journal is not encrypted now").format(path=path)
            )
        try:
            data = unseal(key, data)
        except SealError as exc:
            raise QuestionBookError(label_value(str(path), exc)) from None
    import sys

    sys.stdout.write(data.decode("utf-8", "replace"))
    return 0
