"""Is a folder safe to sync through? The one rule people break: syncing the database itself.

A sync program copies a live SQLite file file by file while it is being written, and two
computers writing "the same" file lose one side's work (``docs/sync.md``, "Never do this").
So the folder chosen for sync must not hold the journal file, its backups, or QuestionBook's
data folder, and it is never the data folder itself. Pure path logic, Qt-free, so the app's
folder dialog and the command line can say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from questionbook.i18n import _


@dataclass(frozen=True)
class FolderCheck:
    """What is wrong with a folder: *refusal* (it cannot be used) or *warnings* (it can, but
    it holds something that must never be synced)."""

    refusal: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refusal and not self.warnings


def _real(path: Path) -> Path:
    return Path(path).expanduser().resolve(strict=False)


def _inside(path: Path, folder: Path) -> bool:
    """True if *path* is *folder* or lies below it."""
    return path == folder or folder in path.parents


def check_sync_folder(folder: Path, *, journal: Path, data_dir: Path, backups: Path) -> FolderCheck:
    """Check *folder* against the journal file, its backups folder and the data folder."""
    where = _real(folder)
    data, db, saved = _real(data_dir), _real(journal), _real(backups)
    if where.exists() and not where.is_dir():
        return FolderCheck(refusal=_("{path} is not a folder.").format(path=where))
    if where in (data, saved):
        return FolderCheck(
            refusal=_(
                "{path} is where QuestionBook keeps your journal and its backups. Choose a "
                "folder of its own for syncing, for example one inside your Syncthing or "
                "Dropbox folder."
            ).format(path=where)
        )
    warnings = []
    if _inside(db, where):
        warnings.append(
            _(
                "The journal file itself ({path}) is inside this folder. A sync program that "
                "copies a journal while it is open damages it."
            ).format(path=db)
        )
    if _inside(saved, where):
        warnings.append(
            _("The journal's backups ({path}) are inside this folder.").format(path=saved)
        )
    if _inside(data, where) and not _inside(db, where):
        warnings.append(
            _("QuestionBook's data folder ({path}) is inside this folder.").format(path=data)
        )
    return FolderCheck(warnings=tuple(warnings))
