"""``questionbook [--db PATH] COMMAND``: parse, open the journal lazily, run, report errors.

Errors a user can cause become one line, ``questionbook: error: ...``, and exit status 1;
usage errors exit 2 (argparse). Modules with commands register themselves in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook import __version__
from questionbook.i18n import _, set_language

if TYPE_CHECKING:
    from questionbook.paths import AppPaths
    from questionbook.services import Services

COMMAND_MODULES = ("questionbook.cli.journal_cmds",)
PROG = "questionbook"


@dataclass
class Context:
    """What a command gets: its arguments and, on first use, the open journal's services."""

    args: argparse.Namespace
    _services: Services | None = field(default=None, repr=False)

    @property
    def paths(self) -> AppPaths:
        from questionbook.paths import AppPaths

        return AppPaths.default()

    @property
    def db_path(self) -> Path:
        return Path(self.args.db).expanduser() if self.args.db else self.paths.database

    @property
    def services(self) -> Services:
        if self._services is None:
            from questionbook.services import open_services

            self._services = open_services(self.paths, self.db_path)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, like argparse but translated
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{PROG}: error: {message}\n")
        sys.exit(2)


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
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
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


def run(argv: list[str]) -> int:
    """Run the command line; returns the exit status."""
    set_language(_language_from(argv))
    parser = build_parser()
    args = parser.parse_args(_fix_tag_removals(argv))
    if not getattr(args, "func", None):
        args.func = _open_app
    ctx = Context(args)
    from questionbook.core.errors import QuestionBookError

    try:
        return int(args.func(ctx) or 0)
    except QuestionBookError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: {_('interrupted')}\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        sys.stderr.write(
            f"{PROG}: error: {exc.strerror or exc}"
            f"{': ' + str(exc.filename) if exc.filename else ''}\n"
        )
        return 1
    finally:
        ctx.close()


def _open_app(ctx: Context) -> int:
    try:
        from questionbook.ui.app import run_app
    except ImportError:
        build_parser().print_help()
        return 0
    return run_app(ctx)
