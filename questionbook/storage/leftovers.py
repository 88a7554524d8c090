"""Temporary files left behind by an interrupted backup, restore or export, and their removal.

Backups, restores and exports write a hidden temporary file first and rename it into place, so
a crash never leaves half a file under a real name; but a ``kill -9`` or a power cut leaves the
temporary file itself, as large as the journal. Each writer holds a lock on its temporary file
while working (:func:`questionbook.storage.locks.hold_temp_file`), so a file nobody holds is a
leftover and can go; one another process is still writing is never touched.

The next run removes them and says so; ``questionbook doctor`` lists any it finds.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from questionbook.storage.locks import temp_file_in_use

#: A temporary copy of the journal may leave SQLite's own journal files beside it.
_SQLITE_SIDE = "(?:-journal|-wal|-shm)?"


@dataclass(frozen=True)
class Leftover:
    """A temporary file of an interrupted run: where it is and how large."""

    path: Path
    size: int


def _pattern(name: str) -> re.Pattern[str]:
    """Names :func:`tempfile.mkstemp` gives our temporary files for a target called *name*:
    ``.<name>-<random>.tmp`` (backups, restores) and ``.<name>.<random>.tmp`` (exports)."""
    return re.compile(rf"^\.{re.escape(name)}[-.][A-Za-z0-9_-]+\.tmp{_SQLITE_SIDE}$")


def _scan(folder: Path, patterns: list[re.Pattern[str]]) -> list[Leftover]:
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for item in entries:
        if not any(p.match(item.name) for p in patterns):
            continue
        with contextlib.suppress(OSError):
            if item.is_file(follow_symlinks=False) and not _in_use(Path(item.path)):
                found.append(Leftover(Path(item.path), item.stat(follow_symlinks=False).st_size))
    return sorted(found, key=lambda f: f.path.name)


#: A temporary file younger than this and still empty may be one just created, whose writer
#: has not locked it yet (:func:`tempfile.mkstemp`, then the lock): it is left for a later run.
JUST_CREATED_S = 60.0
_SIDE = re.compile(r"-(?:journal|wal|shm)$")


def _in_use(path: Path) -> bool:
    """Whether a process may still be writing *path*: it holds the file, or the temporary
    database whose SQLite side file (``-journal``...) *path* is, or the file is empty and
    only just created.

    SQLite creates and deletes a side file as the copy goes on and never locks it: deleting
    one another process's backup is still writing made that backup fail (found by eight
    processes creating the same journal at once, each making the day's backup)."""
    main = path.with_name(_SIDE.sub("", path.name))
    if main != path and main.exists() and temp_file_in_use(main):
        return True
    if temp_file_in_use(path):
        return True
    info = path.stat()
    return info.st_size == 0 and time.time() - info.st_mtime < JUST_CREATED_S


def journal_leftovers(db_path: Path) -> list[Leftover]:
    """Unheld temporary files of backups and restores of the journal at *db_path*."""
    from questionbook.storage.backup import backups_dir_for

    db_path = Path(db_path).expanduser()
    stem = re.escape(db_path.stem)
    backup_tmp = re.compile(
        rf"^\.{stem}-[0-9T:Z-]+[A-Za-z0-9-]*\.sqlite3-[A-Za-z0-9_]+\.tmp{_SQLITE_SIDE}$"
    )
    found = _scan(db_path.parent, [_pattern(f"{db_path.name}-restore")])
    return found + _scan(backups_dir_for(db_path), [backup_tmp])


def export_leftovers(target: Path) -> list[Leftover]:
    """Unheld temporary files of earlier exports to *target*."""
    target = Path(target)
    return _scan(target.parent, [_pattern(target.name[:40])])


def remove(leftovers: list[Leftover]) -> list[Leftover]:
    """Delete *leftovers*; returns the ones that were removed."""
    removed = []
    for item in leftovers:
        with contextlib.suppress(FileNotFoundError):
            try:
                item.path.unlink()
            except OSError:
                continue
            removed.append(item)
    return removed


def clean_journal_leftovers(db_path: Path) -> list[Leftover]:
    """Remove the leftovers of interrupted backups and restores of *db_path*; returns them
    (the caller says so: the CLI on standard error, the daily backup in the log)."""
    return remove(journal_leftovers(db_path))
