"""Entry points: ``questionbook`` (CLI, or the app with no command) and ``questionbook-gui``."""

from __future__ import annotations

import sys

#: Options of the command line that take a value (``--db PATH``), to find the command word.
_VALUED_OPTIONS = frozenset({"--db", "--lang"})


def command_of(args: list[str]) -> str | None:
    """The command word of *args*: the first that is neither an option nor an option's value
    (``--db capture.sqlite3 gui`` is ``gui``)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def is_capture_request(args: list[str]) -> bool:
    """True if *args* ask for the capture window (a launch, or one handed to the running app)."""
    return command_of(args) == "capture"


def main(argv: list[str] | None = None) -> int:
    from questionbook.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


def gui_main() -> int:
    """``questionbook-gui``: the app; ``questionbook-gui capture`` the capture window (what a
    desktop action or a keyboard shortcut runs: no console window on Windows)."""
    from questionbook.cli.main import run

    args = sys.argv[1:]
    if is_capture_request(args):  # also with options before it: --db PATH capture
        return run(args)
    return run(["gui", *args])


if __name__ == "__main__":
    sys.exit(main())
