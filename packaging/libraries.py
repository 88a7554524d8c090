"""Which shared libraries the Linux bundle carries and which it leaves to the system.

PyInstaller copies every library the bundled code links to, system libraries included. Some
of them must come from the system instead, and the spec drops them (:data:`SYSTEM_LIBRARIES`):

* fontconfig and FreeType read the system's font configuration; an older copy in the bundle
  cannot parse a newer ``fonts.conf`` and the app loses its fonts;
* GLib, D-Bus and X11 are the desktop's own: every Linux desktop has them, and the input
  method, portal and accessibility services talk to the same versions;
* zlib, expat, libuuid, libgpg-error and libcom_err are part of every base system.

The list follows the AppImage project's exclude list for those libraries. The libraries Qt's
xcb platform needs beyond these (``libxcb-cursor`` and friends, which minimal systems lack)
stay in the bundle. Then :func:`prune` drops every bundled library that nothing left in the
bundle links to any more — the libraries that came in only for an excluded one (libsystemd and
libgcrypt came with libdbus, libpcre2 with GLib, libpng and brotli with FreeType).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import elf_files

SYSTEM_LIBRARIES = {
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libglib-2.0.so.0",
    "libgobject-2.0.so.0",
    "libgthread-2.0.so.0",
    "libgmodule-2.0.so.0",
    "libgio-2.0.so.0",
    "libdbus-1.so.3",
    "libX11.so.6",
    "libxcb.so.1",
    "libz.so.1",
    "libexpat.so.1",
    "libuuid.so.1",
    "libgpg-error.so.0",
    "libcom_err.so.2",
}
_LIBRARY = re.compile(r"lib[^/]*\.so(\.\d+)*")

#: One entry of PyInstaller's TOC: (name in the bundle, source path, type code).
Entry = tuple[str, str, str]


def is_library(dest: str) -> bool:
    """A shared library that is there only because something links to it.

    Python extension modules, PySide6's modules, Qt plugins (loaded by name at run time) and
    libpython (loaded by the bootloader) are wanted for themselves.
    """
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return (
        bool(_LIBRARY.fullmatch(name))
        and "/plugins/" not in dest.replace("\\", "/")
        and not name.startswith("libpython")
    )


def prune(binaries: Iterable[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Split *binaries* into (kept, dropped): system libraries and what only they needed go."""
    entries = list(binaries)
    by_name: dict[str, Entry] = {}
    for entry in entries:
        by_name.setdefault(entry[0].replace("\\", "/").rsplit("/", 1)[-1], entry)
    wanted = {e[0] for e in entries if not is_library(e[0])}
    queue = [e for e in entries if e[0] in wanted]
    while queue:
        entry = queue.pop()
        for name in _needed(entry[1]):
            dep = by_name.get(name)
            if dep and name not in SYSTEM_LIBRARIES and dep[0] not in wanted:
                wanted.add(dep[0])
                queue.append(dep)
    kept = [e for e in entries if e[0] in wanted]
    dropped = [e for e in entries if e[0] not in wanted]
    return kept, dropped


def _needed(path: str) -> list[str]:
    try:
        return elf_files.needed(Path(path))
    except (OSError, ValueError):
        return []  # not ELF (a data file, or another platform): it links to nothing we know
