"""Where the command line gets passphrases: a file named on the command line, or the terminal.

Never from argv or the environment: both are visible to other programs of the same user (``ps``,
``/proc/PID/environ``) and end up in shell histories. ``--passphrase-file PATH`` reads the first
line of PATH (for scripts and tests); otherwise the terminal is asked with :mod:`getpass`, which
does not echo. Without a terminal and without a file, the command says what to pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

from questionbook.core.errors import QuestionBookError
from questionbook.i18n import _

#: A passphrase file is read up to this many bytes: a first line, not a whole disk.
MAX_FILE = 64 * 1024
TRIES = 3


class PassphraseInputError(QuestionBookError):
    """No passphrase could be read (no such file, no terminal, an empty answer)."""


def read_first_line(path: str | Path) -> str:
    """The first line of the file at *path*, without its line ending."""
    path = Path(path).expanduser()
    try:
        if not path.is_file():
            raise PassphraseInputError(
                _(
                    "{path} is not a file; --passphrase-file needs a file whose first line is the passphrase"
                ).format(path=path)
            )
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE)
    except OSError as exc:
        raise PassphraseInputError(
            _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    text = data.decode("utf-8", "replace").splitlines()
    line = text[0] if text else ""
    if not line:
        raise PassphraseInputError(_("the first line of {path} is empty").format(path=path))
    return line


def can_prompt() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def prompt(text: str) -> str:
    """Ask on the terminal without echo."""
    import getpass

    if not can_prompt():
        raise PassphraseInputError(
            _(
                "the journal is encrypted and there is no terminal to ask for its passphrase; "
                "give --passphrase-file PATH"
            )
        )
    try:
        return getpass.getpass(text)
    except EOFError:
        raise PassphraseInputError(_("no passphrase was given")) from None


def new_passphrase(file: str | None) -> str:
    """A new passphrase: from *file*, or typed twice on the terminal."""
    from questionbook.storage.keyfile import check_new_passphrase

    if file:
        secret = read_first_line(file)
        check_new_passphrase(secret)
        return secret
    if not can_prompt():
        raise PassphraseInputError(
            _("there is no terminal to ask for the new passphrase; give --new-passphrase-file PATH")
        )
    for _attempt in range(TRIES):
        first = prompt(_("New passphrase: "))
        try:
            check_new_passphrase(first)
        except QuestionBookError as exc:
            sys.stderr.write(f"{exc}\n")
            continue
        if prompt(_("The new passphrase again: ")) == first:
            return first
        sys.stderr.write(_("The two passphrases differ; try again.") + "\n")
    raise PassphraseInputError(_("no new passphrase was set; nothing was changed"))
