"""Entry point of the frozen bundle: one script behind both executables.

``questionbook`` is the console executable (the CLI, or the app when given no command);
``questionbook-gui`` is the windowed one that desktop launchers start, which never opens a
console window on Windows. Both run the same code as the pip-installed entry points.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    from questionbook.__main__ import gui_main, main

    name = Path(sys.executable).stem.lower()
    return gui_main() if name.endswith("-gui") else main()


if __name__ == "__main__":
    # A large import reads its file, and a big vault export creates its files, in a second
    # process started with "spawn" (exchange/reader_process.py, exchange/vault_writer.py): in a
    # frozen bundle that process is this executable again (--multiprocessing-fork), and
    # freeze_support() runs it as the child; otherwise it returns at once.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(_main())
