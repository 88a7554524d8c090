"""The sync folder on disk, read defensively, written only in this device's own corner.

Layout::

    <folder>/devices/<device-id>/000000000012.qbchanges     change files, numbered
    <folder>/devices/<device-id>/snapshot-000000000040.qbsnap  whole-journal snapshots
    <folder>/devices/<device-id>/state.json                 what this device has read

A journal writes only into its own ``devices/<its id>/``, each file under a dot-prefixed
temporary name first and then renamed, so another device (or the sync engine) never sees half
a file under the real name. Reading trusts nothing: symbolic links, nested folders, foreign
names and oversized files are passed over; a file that vanishes while it is read is tried again
next time. The sync engine's own conflict copies (``x.sync-conflict-….qbchanges``,
``x (conflicted copy).qbchanges``, ``x_conflict-….qbchanges``) are ordinary files here: what a
file is comes from its header, not its name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionbook.i18n import _
from questionbook.sync.fileformat import DEVICE_ID, Incomplete

DEVICES = "devices"
CHANGES_SUFFIX, SNAPSHOT_SUFFIX = ".qbchanges", ".qbsnap"
STATE_FILE = "state.json"
#: Files larger than this are passed over (a 100,000-entry journal needs a few dozen MB).
MAX_FILE_BYTES = 512 << 20
MAX_STATE_BYTES = 1 << 20
_SEQ = re.compile(r"^(?:snapshot-)?(\d{1,18})")
_CANONICAL = re.compile(r"^(?:\d{12}\.qbchanges|snapshot-\d{12}\.qbsnap)$")


def change_name(seq: int) -> str:
    return f"{seq:012d}{CHANGES_SUFFIX}"


def snapshot_name(seq: int) -> str:
    return f"snapshot-{seq:012d}{SNAPSHOT_SUFFIX}"


@dataclass(frozen=True)
class FileRef:
    """A file found in a device's folder (not read yet)."""

    device: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def snapshot(self) -> bool:
        return SNAPSHOT_SUFFIX in self.name

    @property
    def canonical(self) -> bool:
        """Named exactly as this program names files (not an engine's conflict copy)."""
        return bool(_CANONICAL.match(self.name))

    @property
    def seq_hint(self) -> int | None:
        """The number the name starts with (conflict copies keep it); None if none."""
        m = _SEQ.match(self.name)
        return int(m.group(1)) if m else None


@dataclass
class Scan:
    files: list[FileRef] = field(default_factory=list)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def devices(self) -> set[str]:
        return {f.device for f in self.files} | set(self.states)


def devices_dir(folder: Path) -> Path:
    return folder / DEVICES


def scan(folder: Path) -> Scan:
    """What the folder holds now. Never follows a symbolic link; never raises for what it
    finds (a vanished folder reads as empty)."""
    out = Scan()
    try:
        top = list(os.scandir(devices_dir(folder)))
    except FileNotFoundError:
        return out
    except OSError as exc:
        out.problems.append(f"{devices_dir(folder)}: {exc.strerror or exc}")
        return out
    for entry in top:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            out.problems.append(_("{path}: not a device folder (ignored)").format(path=entry.path))
            continue
        if not DEVICE_ID.match(entry.name):
            out.problems.append(_("{path}: not a device folder (ignored)").format(path=entry.path))
            continue
        _scan_device(entry.name, Path(entry.path), out)
    return out


def _scan_device(device: str, path: Path, out: Scan) -> None:
    try:
        entries = list(os.scandir(path))
    except OSError:
        return  # vanished or unreadable now: next time
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # our temporary files, the sync engine's, .stfolder ...
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            out.problems.append(_("{path}: a symbolic link (ignored)").format(path=entry.path))
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # nested folders and the like are not ours
        if name == STATE_FILE:
            state = _read_state(Path(entry.path))
            if state is not None:
                out.states[device] = state
        elif CHANGES_SUFFIX in name or SNAPSHOT_SUFFIX in name:
            out.files.append(FileRef(device, Path(entry.path), info.st_size, info.st_mtime_ns))


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        data = read_bytes(path, MAX_STATE_BYTES)
        state = json.loads(data)
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, never through a symbolic link; Incomplete if it vanished,
    ValueError if it is too large (default limit :data:`MAX_FILE_BYTES`) or not a regular
    file."""
    if limit is None:
        limit = MAX_FILE_BYTES
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise Incomplete(_("the file vanished while it was read")) from exc
    except OSError as exc:
        raise ValueError(_("cannot open: {reason}").format(reason=exc.strerror or exc)) from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("not a regular file"))
        if info.st_size > limit:
            raise ValueError(_("too large ({n:,} bytes)").format(n=info.st_size))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(_("too large ({n:,} bytes)").format(n=len(data)))
    return data


def own_dir(folder: Path, device: str) -> Path:
    return devices_dir(folder) / device


def _private_mkdir(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(mode=0o700)


def write_own(folder: Path, device: str, name: str, data: bytes) -> Path:
    """Write this device's file *name* atomically (temporary name, fsync, rename), owner-only.

    A file of that name that already exists is never overwritten: if it holds the same bytes
    the write is done, otherwise FileExistsError.
    """
    if not folder.is_dir():
        raise FileNotFoundError(2, "the sync folder is missing", str(folder))
    _private_mkdir(devices_dir(folder))
    target_dir = own_dir(folder, device)
    _private_mkdir(target_dir)
    target = target_dir / name
    if target.exists():
        with contextlib.suppress(ValueError, Incomplete):
            if read_bytes(target) == data:
                return target
        raise FileExistsError(17, "a different file has this name", str(target))
    tmp = target_dir / f".{name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target_dir)
    return target


def replace_own(folder: Path, device: str, name: str, data: bytes) -> None:
    """Write (or rewrite) this device's small file *name* atomically (its state file)."""
    target_dir = own_dir(folder, device)
    _private_mkdir(devices_dir(folder))
    _private_mkdir(target_dir)
    tmp = target_dir / f".{name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target_dir / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def clean_own_temp(folder: Path, device: str) -> None:
    """Remove temporary files this device left behind when it was killed while writing."""
    try:
        entries = list(os.scandir(own_dir(folder, device)))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def delete_own(path: Path, folder: Path, device: str) -> None:
    """Delete one of this device's own files (compaction); refuses anything else."""
    if path.parent.resolve() != own_dir(folder, device).resolve():
        raise ValueError(f"not this device's file: {path}")
    path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
