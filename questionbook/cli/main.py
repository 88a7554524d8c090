"""``questionbook [--db PATH] COMMAND``: parse, open the journal lazily, run, report errors.

Errors a user can cause become one line, ``questionbook: error: ...``, and exit status 1;
usage errors exit 2 (argparse). Modules with commands register themselves in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook import __version__
from questionbook.i18n import _, set_language

if TYPE_CHECKING:
    from questionbook.core.journal import Journal
    from questionbook.paths import AppPaths
    from questionbook.services import Services

COMMAND_MODULES = (
    "questionbook.cli.journal_cmds",
    "questionbook.cli.backup_cmds",
    "questionbook.cli.exchange_cmds",
    "questionbook.cli.review_cmds",
    "questionbook.cli.sync_cmds",
)
PROG = "questionbook"


@dataclass
class Context:
    """What a command gets: its arguments and, on first use, the open journal's services."""

    args: argparse.Namespace
    _services: Services | None = field(default=None, repr=False)
    _quick: Journal | None = field(default=None, repr=False)
    daily_backup: bool = True  # the app turns this off and backs up after the window shows

    @property
    def paths(self) -> AppPaths:
        from questionbook.paths import AppPaths

        return AppPaths.default()

    @property
    def db_path(self) -> Path:
        return Path(self.args.db).expanduser() if self.args.db else self.paths.database

    @property
    def services(self) -> Services:
        if self._services is None and getattr(self.args, "demo", False):
            from questionbook.demo import create_demo_services

            self._services = create_demo_services()  # a throw-away journal in a temp folder
        if self._services is None:
            from questionbook.services import open_services

            self._services = open_services(self.paths, self.db_path, daily_backup=self.daily_backup)
        return self._services

    @property
    def journal(self) -> Journal:
        """For the commands that only read or add (``add``, ``list``, ``search``, ``show``,
        ``tags``, ``due``): the standard-library quick path when the journal needs nothing
        else (see :mod:`questionbook.cli.quick`), else the service."""
        if self._services is None and self._quick is None and not getattr(self.args, "demo", False):
            from questionbook.cli.quick import open_quick

            self._quick = open_quick(self.db_path)
        return self._quick or self.services.journal

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
    def error(self, message: str) -> Any:  # one line, exit 2, like argparse but translated
        self.print_usage(sys.stderr)
        sys.stderr.write(_("%(prog)s: error: %(message)s\n") % {"prog": PROG, "message": message})
        sys.exit(2)  # a usage error (argparse's convention)


def build_parser() -> argparse.ArgumentParser:
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
        "--demo", action="store_true", help=_("use a throw-away journal filled with sample entries")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show program's version number and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = sub.add_parser("gui", help=_("open the app (the default without a command)"))
    gui.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("use a throw-away journal filled with sample entries"),
    )
    gui.set_defaults(func=_open_app)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _fix_tag_removals(argv: list[str]) -> list[str]:
    """Let ``--tag -x`` mean "remove tag x" (argparse would read ``-x`` as an option)."""
    out: list[str] = []
    it = iter(range(len(argv)))
    for i in it:
        if (
            argv[i] in ("--tag", "-t")
            and i + 1 < len(argv)
            and argv[i + 1].startswith("-")
            and len(argv[i + 1]) > 1
            and not argv[i + 1].startswith("--")
        ):
            out.append(f"{argv[i]}={argv[i + 1]}" if argv[i] == "--tag" else f"--tag={argv[i + 1]}")
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
    language = set_language(_language_from(argv))
    with _argparse_speaks(language):  # argparse translates titles when parsers are built
        parser = build_parser()
        args = parser.parse_args(_fix_tag_removals(argv))
    if not getattr(args, "func", None):
        args.func = _open_app
    ctx = Context(args)
    from questionbook.core.errors import JournalCorrupt, NotAJournal, QuestionBookError

    try:
        return int(args.func(ctx) or 0)
    except (JournalCorrupt, NotAJournal) as exc:  # name the newest good backup and the remedy
        from questionbook.cli.backup_cmds import damaged_journal_message

        return _fail(damaged_journal_message(exc, ctx.db_path, ctx.paths.database))
    except QuestionBookError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: {_('interrupted')}\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    finally:
        ctx.close()


def _fail(message: str) -> int:
    """Report an error a user can fix: one line on standard error, exit status 1."""
    sys.stderr.write(_("%(prog)s: error: %(message)s\n") % {"prog": PROG, "message": message})
    return 1


def _open_app(ctx: Context) -> int:
    from questionbook.ui.app import run_app

    return run_app(ctx)
