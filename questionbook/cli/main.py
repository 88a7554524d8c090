"""``questionbook [--db PATH] COMMAND``: parse, open the journal lazily, run, report errors.

Errors a user can cause become one line, ``questionbook: error: ...``, and exit status 1;
usage errors exit 2 (argparse). Modules with commands register themselves in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook import __version__
from questionbook.cli.help_format import HelpFormatter
from questionbook.i18n import _, label_value, set_language

if TYPE_CHECKING:
    from questionbook.core.journal import Journal
    from questionbook.paths import AppPaths
    from questionbook.services import Services
    from questionbook.storage.keyfile import JournalKey

COMMAND_MODULES = (
    "questionbook.cli.journal_cmds",
    "questionbook.cli.backup_cmds",
    "questionbook.cli.exchange_cmds",
    "questionbook.cli.review_cmds",
    "questionbook.cli.evidence_cmds",
    "questionbook.cli.attach_cmds",
    "questionbook.cli.calendar_cmds",
    "questionbook.cli.writing_cmds",
    "questionbook.cli.sync_cmds",
    "questionbook.cli.crypto_cmds",
)
PROG = "questionbook"


@dataclass
class Context:
    """What a command gets: its arguments and, on first use, the open journal's services."""

    args: argparse.Namespace
    _services: Services | None = field(default=None, repr=False)
    _quick: Journal | None = field(default=None, repr=False)
    daily_backup: bool = True  # the app turns this off and backs up after the window shows
    _key: JournalKey | None = field(default=None, repr=False)
    _key_known: bool = field(default=False, repr=False)

    @property
    def paths(self) -> AppPaths:
        from questionbook.paths import AppPaths

        return AppPaths.default()

    @property
    def db_path(self) -> Path:
        return Path(self.args.db).expanduser() if self.args.db else self.paths.database

    @property
    def key(self) -> JournalKey | None:
        """The journal's key if it is encrypted (asked for once: ``--passphrase-file`` or the
        terminal), else ``None``. Decided before anything opens the file: reading its first
        bytes later, with connections open, would drop SQLite's locks (see
        :func:`questionbook.storage.backup.file_key`)."""
        if not self._key_known:
            from questionbook.storage.probe import is_encrypted

            if not getattr(self.args, "demo", False) and is_encrypted(self.db_path):
                self._key = self.unlock(self.db_path)
            self._key_known = True
        return self._key

    @property
    def known_key(self) -> JournalKey | None:
        """The key if it was already asked for (never asks)."""
        return self._key

    def unlock(self, path: Path, what: str = "") -> JournalKey:
        """The key of the encrypted journal or backup at *path*: the passphrase (or recovery
        key) from ``--passphrase-file``, else asked on the terminal (three tries)."""
        from questionbook.cli.passphrases import TRIES, prompt, read_first_line
        from questionbook.storage.keyfile import WrongPassphrase, key_file_path, read_key_file

        key_file = read_key_file(key_file_path(path))
        given = getattr(self.args, "passphrase_file", None)
        if given:
            return key_file.unlock(read_first_line(given))
        for attempt in range(TRIES):
            secret = prompt(_("Passphrase for {what}: ").format(what=what or path.name))
            try:
                return key_file.unlock(secret)
            except WrongPassphrase:
                if attempt == TRIES - 1:
                    raise
                sys.stderr.write(_("Wrong passphrase; try again.") + "\n")
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def services(self) -> Services:
        if self._services is None and getattr(self.args, "demo", False):
            from questionbook.demo import create_demo_services

            self._services = create_demo_services()  # a throw-away journal in a temp folder
        if self._services is None:
            from questionbook.services import open_services

            key = self.key
            self._services = open_services(
                self.paths, self.db_path, daily_backup=self.daily_backup, key=key
            )
            self._clean_leftovers()
        return self._services

    @property
    def journal(self) -> Journal:
        """For the commands that only read or add (``add``, ``list``, ``search``, ``show``,
        ``tags``, ``due``): the standard-library quick path when the journal needs nothing
        else (see :mod:`questionbook.cli.quick`), else the service."""
        if self._services is None and self._quick is None and not getattr(self.args, "demo", False):
            from questionbook.cli.quick import open_quick

            self._quick = open_quick(self.db_path, self.key)
            if self._quick is not None:
                self._clean_leftovers()
        return self._quick or self.services.journal

    def _clean_leftovers(self) -> None:
        """Remove what an interrupted backup or restore left behind, and say so."""
        from questionbook.storage.leftovers import clean_journal_leftovers

        for item in clean_journal_leftovers(self.db_path):
            sys.stderr.write(
                _(
                    "{prog}: removed {file} ({size:,} bytes), left by an interrupted backup or restore"
                ).format(prog=PROG, file=item.path, size=item.size)
                + "\n"
            )

    def close(self) -> None:
        if self._quick is not None:
            self._quick.db.close()
            self._quick = None
        if self._services is not None:
            self._services.close()
            if getattr(self.args, "demo", False):
                import shutil

                shutil.rmtree(self._services.paths.data_dir, ignore_errors=True)
            self._services = None


class _Parser(argparse.ArgumentParser):
    """argparse, with help laid out in terminal columns and one-line translated errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # one line, exit 2, like argparse but translated
        self.print_usage(sys.stderr)
        sys.stderr.write(_("%(prog)s: error: %(message)s\n") % {"prog": PROG, "message": message})
        sys.exit(2)  # a usage error (argparse's convention)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; with *commands* false only the options and ``gui``, which is all
    a launch of the app needs (the command modules and their imports cost ~40 ms of its
    start-up, issue 21)."""
    parser = _Parser(
        prog=PROG,
        description=_("QuestionBook: a journal for good questions and ambitious plans."),
        epilog=_(
            "Run without a command to open the app. "
            "'questionbook COMMAND --help' explains a command."
        ),
    )
    parser.add_argument("--db", metavar="PATH", help=_("use this journal file"))
    parser.add_argument("--lang", metavar="LANG", help=_("language: en or zh_CN"))
    parser.add_argument(
        "--passphrase-file",
        metavar="PATH",
        help=_(
            "an encrypted journal's passphrase (or recovery key) is the first line of this "
            "file; without it the terminal asks"
        ),
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("use a throw-away journal filled with sample entries")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show program's version number and exit"),
    )
    # prog given: argparse would format a usage line to find it (importing wcwidth at start-up)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog=PROG)
    gui = sub.add_parser("gui", help=_("open the app (the default without a command)"))
    gui.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("use a throw-away journal filled with sample entries"),
    )
    gui.set_defaults(func=_open_app)
    for name in COMMAND_MODULES if commands else ():
        importlib.import_module(name).register(sub)
    return parser


def _launches_app(argv: list[str]) -> bool:
    """True if *argv* opens the main window (no command, or ``gui``) and asks for no help: its
    parse needs no command module."""
    from questionbook.__main__ import command_of

    return command_of(argv) in (None, "gui") and not {"-h", "--help"} & set(argv)


#: Options whose value may start with "-": ``--tag -x`` removes tag x, ``--since -3d`` means
#: three days ago. argparse would read such a value as an option of its own.
_DASH_VALUES = {"--tag": "--tag", "-t": "--tag", "--since": "--since", "--until": "--until"}
_DASH_VALUES |= {"--date": "--date"}
_RELATIVE_DAYS = re.compile(r"-\d{1,9}d")


def _fix_dash_values(argv: list[str]) -> list[str]:
    """Join ``--tag -x`` and ``--since -3d`` into ``--tag=-x`` and ``--since=-3d``."""
    out: list[str] = []
    it = iter(range(len(argv)))
    for i in it:
        option = _DASH_VALUES.get(argv[i])
        value = argv[i + 1] if i + 1 < len(argv) else ""
        if option == "--tag":
            joined = value.startswith("-") and len(value) > 1 and not value.startswith("--")
        else:
            joined = option is not None and _RELATIVE_DAYS.fullmatch(value.lower()) is not None
        if joined and option is not None:
            out.append(f"{option}={value}")
            next(it, None)
        else:
            out.append(argv[i])
    return out


def _language_from(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


@contextlib.contextmanager
def _argparse_speaks(language: str) -> Iterator[None]:
    """Let argparse's own words ("usage:", "options", its errors) come from our catalog.

    argparse looks them up with ``gettext.gettext`` in the process's text domain and the
    ``LANGUAGE`` variable; both are pointed at our catalog only while it parses, then restored.
    """
    import gettext
    import os

    from questionbook.i18n import DOMAIN, LOCALE_DIR

    saved_domain, saved_env = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_env


def run(argv: list[str]) -> int:
    """Run the command line; returns the exit status."""
    from questionbook.cli.terminal import visible_controls_on_terminal

    with visible_controls_on_terminal():  # nothing printed may drive the terminal
        return _run(argv)


def _run(argv: list[str]) -> int:
    language = set_language(_language_from(argv))
    with _argparse_speaks(language):  # argparse translates titles when parsers are built
        parser = build_parser(commands=not _launches_app(argv))
        args = parser.parse_args(_fix_dash_values(argv))
    if not getattr(args, "func", None):
        args.func = _open_app
    ctx = Context(args)
    from questionbook.core.errors import JournalCorrupt, NotAJournal, QuestionBookError, UsageError

    try:
        return int(args.func(ctx) or 0)
    except (JournalCorrupt, NotAJournal) as exc:  # name the newest good backup and the remedy
        from questionbook.cli.backup_cmds import damaged_journal_message

        return _fail(
            damaged_journal_message(exc, ctx.db_path, ctx.paths.database, key=ctx.known_key)
        )
    except UsageError as exc:
        _fail(str(exc))
        return 2  # like a bad option: what was typed is not understood
    except QuestionBookError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write(label_value(PROG, _("interrupted")) + "\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        import errno

        where = f": {exc.filename}" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            from questionbook.storage.connection import disk_full_message

            return _fail(f"{disk_full_message()}{where}")
        return _fail(f"{exc.strerror or exc}{where}")
    finally:
        ctx.close()


def _fail(message: str) -> int:
    """Report an error a user can fix: one line on standard error, exit status 1."""
    message = " ".join(message.splitlines())
    sys.stderr.write(_("%(prog)s: error: %(message)s\n") % {"prog": PROG, "message": message})
    return 1


def _open_app(ctx: Context) -> int:
    """Open the app (``gui``, no command, ``capture``) with a launch config of its own (the GUI
    never sees ``Context``); check first that Qt can start here."""
    from questionbook.preflight import gui_problem

    if problem := gui_problem():  # one clear line instead of Qt's abort
        return _fail(problem)
    if getattr(ctx.args, "capture", False):  # the small window alone: no main window imported
        from questionbook.ui.capture_app import run_capture as run_app
    else:
        from questionbook.ui.app import run_app
    from questionbook.ui.launch import LaunchConfig

    config = LaunchConfig(
        paths=ctx.paths,
        db_path=ctx.db_path,
        demo=bool(getattr(ctx.args, "demo", False)),
        language=getattr(ctx.args, "lang", None),
        argv=tuple(sys.argv[1:]),
    )
    return run_app(config)
