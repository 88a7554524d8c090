"""Entry points: ``questionbook`` (CLI, or the app with no command) and ``questionbook-gui``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from questionbook.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


def gui_main() -> int:
    """``questionbook-gui``: the app; ``questionbook-gui capture`` the capture window (what a
    desktop action or a keyboard shortcut runs: no console window on Windows)."""
    from questionbook.cli.main import run

    args = sys.argv[1:]
    if args[:1] == ["capture"]:
        return run(args)
    return run(["gui", *args])


if __name__ == "__main__":
    sys.exit(main())
