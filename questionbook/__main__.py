"""Entry points: ``questionbook`` (CLI, or the app with no command) and ``questionbook-gui``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from questionbook.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


def gui_main() -> int:
    from questionbook.cli.main import run

    return run(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
