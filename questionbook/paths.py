"""Where QuestionBook keeps its files.

``QUESTIONBOOK_HOME`` overrides everything (tests, portable installs, the demo journal); otherwise
platformdirs gives the per-user data and config folders. Folders are created private (0700).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "journal.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create *path* (and parents) readable only by the owner; tighten it if it exists.

    Only for QuestionBook's own folders (the data folder, backups): a folder the user chose
    for a journal (``--db ~/Documents/j.sqlite3``) is theirs; see :func:`create_private_dir`.
    """
    make_private_dirs(path)
    if os.name == "posix":
        st = path.stat()
        mode = stat.S_IMODE(st.st_mode)
        # Others lose every bit; the owner's stay, so a folder the user made read-only stays
        # read-only. A folder someone else owns cannot be changed, and is not ours to change.
        if mode & 0o077 and st.st_uid == os.geteuid():
            os.chmod(path, mode & 0o700)
    return path


def make_private_dirs(path: Path) -> Path:
    """``mkdir -p`` where every folder it creates is 0700, whatever the umask.

    ``Path.mkdir(parents=True, mode=...)`` gives the mode only to the last folder; the
    parents get ``0777 & ~umask``, which is world-writable under umask 000. Folders that
    already exist are left as they are.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask: never looser, but
            # a umask such as 0277 would leave it unwritable by its owner
    return path


def create_private_dir(path: Path) -> Path:
    """Create *path* readable only by the owner if it is missing; leave an existing one be.

    A journal may live in a folder the user shares with other files (``/tmp``, Documents);
    changing that folder's permissions would break other programs. The journal file itself is
    still made owner-only.
    """
    if not path.is_dir():
        make_private_dirs(path)
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
