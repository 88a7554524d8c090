"""Where QuestionBook keeps its files.

``QUESTIONBOOK_HOME`` overrides everything (tests, portable installs, the demo journal); otherwise
platformdirs gives the per-user data and config folders. Folders are created private (0700).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "journal.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create *path* (and parents) readable only by the owner; tighten it if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one QuestionBook installation."""

    data_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.ini"

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get("QUESTIONBOOK_HOME")
        if home:
            base = Path(home).expanduser()
            return cls(data_dir=base, config_dir=base / "config")
        import platformdirs

        return cls(
            data_dir=Path(platformdirs.user_data_dir("QuestionBook", appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir("QuestionBook", appauthor=False)),
        )
