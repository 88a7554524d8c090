"""What the desktop app needs to start, and opening the journal it shows.

The command line builds a :class:`LaunchConfig` from its arguments and hands it to
:func:`questionbook.ui.app.run_app`; the GUI never sees the CLI's argparse objects, so ``ui``
does not import ``cli`` (and this module imports no Qt, so the CLI may build one cheaply).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.paths import AppPaths

if TYPE_CHECKING:
    from questionbook.services import Services
    from questionbook.storage.keyfile import JournalKey


@dataclass(frozen=True)
class LaunchConfig:
    """How to start the app: which journal, whether it is the demo, the language asked for."""

    paths: AppPaths
    db_path: Path
    demo: bool = False
    language: str | None = None  # ``--lang``: wins over the language setting
    argv: tuple[str, ...] = ()  # forwarded to a window already running
    key: JournalKey | None = None  # an encrypted journal's key, once unlocked

    def with_journal(self, path: Path) -> LaunchConfig:
        """The same launch over another journal file (the user picked one)."""
        return replace(self, db_path=Path(path).expanduser(), key=None)

    def with_key(self, key: JournalKey | None) -> LaunchConfig:
        """The same launch with the journal's key (unlocked, or changed by Privacy)."""
        return replace(self, key=key)

    def open_services(self) -> Services:
        """Open the journal (the demo: a fresh throw-away one). No daily backup here: the
        app makes it in the background once the window shows."""
        if self.demo:
            from questionbook.demo import create_demo_services

            return create_demo_services()
        from questionbook.services import open_services

        return open_services(self.paths, self.db_path, daily_backup=False, key=self.key)

    def close_services(self, services: Services) -> None:
        """Close the journal; the demo's folder is thrown away."""
        services.close()
        if self.demo:
            shutil.rmtree(services.paths.data_dir, ignore_errors=True)
