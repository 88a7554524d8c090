"""Before the window opens: can Qt start here? If not, say why in one line instead of aborting.

When Qt has no display, or its platform plugin cannot load, it aborts the process (SIGABRT)
after printing its own lines ("Could not load the Qt platform plugin \"xcb\" ... This
application failed to start"). On Linux the usual cause is a missing system library: Qt 6.5+
needs ``libxcb-cursor0`` and friends, which minimal installs and containers lack.

:func:`gui_problem` looks first, without importing Qt and before any ``QApplication`` exists:
it works out which platforms Qt would try (as ``QGuiApplication`` does, from
``QT_QPA_PLATFORM``, ``WAYLAND_DISPLAY``, ``XDG_SESSION_TYPE`` and ``DISPLAY``), checks that a
display is set, finds the platform plugin where Qt would (``QT_QPA_PLATFORM_PLUGIN_PATH``,
``QT_PLUGIN_PATH``, then PySide6's own) and loads it with the dynamic loader, which names the
first library that is missing. The answer is one translated line naming what is missing and
the Debian/Ubuntu and Fedora packages that provide it. The command line never calls this:
it works without a display.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from questionbook.i18n import _

#: What Qt's xcb platform needs beyond Qt itself (Qt 6.5+), as Debian/Ubuntu and Fedora name
#: the packages. Named together, because a system missing one usually misses several.
XCB_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-shape0 libxcb-xinerama0 libxkbcommon-x11-0",
    "xcb-util-cursor xcb-util-wm xcb-util-keysyms xcb-util-image xcb-util-renderutil "
    "libxkbcommon-x11",
)
#: Other libraries Qt's platforms load, by name without ``.so``: (Debian/Ubuntu, Fedora).
LIBRARY_PACKAGES = {
    "libxkbcommon": ("libxkbcommon0", "libxkbcommon"),
    "libX11": ("libx11-6", "libX11"),
    "libX11-xcb": ("libx11-xcb1", "libX11-xcb"),
    "libEGL": ("libegl1", "libglvnd-egl"),
    "libGL": ("libgl1", "libglvnd-glx"),
    "libOpenGL": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig": ("libfontconfig1", "fontconfig"),
    "libfreetype": ("libfreetype6", "freetype"),
    "libdbus-1": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0": ("libglib2.0-0", "glib2"),
    "libgobject-2.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0": ("libglib2.0-0", "glib2"),
    "libwayland-client": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl": ("libwayland-egl1", "libwayland-egl"),
    "libexpat": ("libexpat1", "expat"),
    "libz": ("zlib1g", "zlib"),
    "libgssapi_krb5": ("libgssapi-krb5-2", "krb5-libs"),
}
_MISSING = re.compile(r"([\w.+-]+\.so[\w.]*): cannot open shared object file")


def gui_problem(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """None when Qt can open a window here, else one line (translated) saying what is missing."""
    if not platform.startswith("linux"):
        return None  # Windows and macOS have one platform plugin that always loads
    env = os.environ if env is None else env
    problems = []
    for name in requested_platforms(env):
        problem = _platform_problem(name, env)
        if problem is None:
            return None  # Qt tries the platforms in order: one that works is enough
        problems.append(problem)
    if not any(env.get(v) for v in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        return _(
            "cannot open the window: there is no display (neither DISPLAY nor WAYLAND_DISPLAY "
            "is set). Start QuestionBook in a desktop session; the command line works anywhere "
            "(questionbook --help)."
        )
    return problems[0] if problems else None


def requested_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (``QGuiApplication``'s rules on Linux)."""
    requested = env.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return [p.split(":")[0].strip() for p in requested.split(";") if p.strip()]
    wayland = env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland"
    return ["wayland", "xcb"] if wayland else ["xcb"]


def _platform_problem(name: str, env: Mapping[str, str]) -> str | None:
    if name == "xcb" and not env.get("DISPLAY"):
        return _(
            "cannot open the window: Qt's xcb platform needs an X display and DISPLAY is not "
            "set. Start QuestionBook in a desktop session; the command line works anywhere "
            "(questionbook --help)."
        )
    if name.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return _(
            "cannot open the window: Qt's wayland platform needs a Wayland display and "
            "WAYLAND_DISPLAY is not set. Start QuestionBook in a desktop session; the command "
            "line works anywhere (questionbook --help)."
        )
    folders = plugin_folders(env)
    if not folders:
        return None  # Qt is not where we can look; let it speak for itself
    plugin = _find_plugin(name, folders)
    if plugin is None:
        available = sorted({p.name[4:-3] for f in folders for p in f.glob("libq*.so")})
        return _(
            'cannot open the window: Qt has no platform plugin named "{name}" (asked for '
            "by QT_QPA_PLATFORM); available: {available}."
        ).format(name=name, available=", ".join(available))
    return _load_problem(name, plugin) or _connect_problem(name, env)


def plugin_folders(env: Mapping[str, str]) -> list[Path]:
    """Where Qt looks for platform plugins, in its order; only folders that exist."""
    folders = (
        [Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"])] if env.get("QT_QPA_PLATFORM_PLUGIN_PATH") else []
    )
    folders += [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(":") if p]
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            folders.append(Path(location) / "Qt" / "plugins" / "platforms")
    return [f for f in folders if f.is_dir()]


def _find_plugin(name: str, folders: list[Path]) -> Path | None:
    files = [f"libq{name}.so"]
    if name.startswith("wayland"):
        files += ["libqwayland.so", "libqwayland-generic.so"]
    for folder in folders:
        for file in files:
            if (folder / file).is_file():
                return folder / file
    return None


def _load_problem(name: str, plugin: Path) -> str | None:
    """Load *plugin* as Qt would; a message naming the first missing library, if any."""
    import ctypes

    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        reason = " ".join(str(exc).split())
        missing = _MISSING.search(reason)
        if missing is None:
            return _(
                "cannot open the window: Qt's {platform} platform plugin does not load: {reason}"
            ).format(platform=name, reason=reason)
        return missing_library_message(name, missing.group(1))
    return None


def missing_library_message(platform: str, library: str) -> str:
    """The line for a platform plugin that needs *library*, with the packages to install."""
    stem = library.split(".so")[0]
    if stem.startswith("libxcb"):
        packages: tuple[str, str] | None = XCB_PACKAGES
    else:
        packages = LIBRARY_PACKAGES.get(stem)
    if packages is None:
        return _(
            "cannot open the window: Qt's {platform} platform needs {library}, which is "
            "missing. Install the package that provides it."
        ).format(platform=platform, library=library)
    return _(
        "cannot open the window: Qt's {platform} platform needs {library}, which is missing. "
        "Install it: sudo apt install {debian} (Debian, Ubuntu) or sudo dnf install {fedora} "
        "(Fedora)."
    ).format(platform=platform, library=library, debian=packages[0], fedora=packages[1])


def _connect_problem(name: str, env: Mapping[str, str]) -> str | None:
    """A line when the display is set but nothing answers there (a stale or wrong DISPLAY)."""
    if name == "xcb" and x_display_reachable(env["DISPLAY"]) is False:
        return _(
            "cannot open the window: nothing answers at the X display {display} (DISPLAY). "
            "Is the desktop session running? The command line works anywhere "
            "(questionbook --help)."
        ).format(display=env["DISPLAY"])
    if name.startswith("wayland") and wayland_display_reachable(env) is False:
        return _(
            "cannot open the window: nothing answers at the Wayland display {display} "
            "(WAYLAND_DISPLAY). Is the desktop session running? The command line works "
            "anywhere (questionbook --help)."
        ).format(display=env["WAYLAND_DISPLAY"])
    return None


def x_display_reachable(display: str, timeout: float = 2.0) -> bool | None:
    """Whether an X server accepts connections at *display*; None when we cannot tell."""
    host, _sep, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit() or host.startswith("/"):
        return None  # a form we do not know (e.g. a launchd socket path): let Qt judge
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return _connects(socket.AF_UNIX, "\0" + path, timeout) or _connects(
            socket.AF_UNIX, path, timeout
        )
    return _connects(socket.AF_INET, (host, 6000 + int(number)), timeout)


def wayland_display_reachable(env: Mapping[str, str], timeout: float = 2.0) -> bool | None:
    """Whether a Wayland compositor accepts connections at ``WAYLAND_DISPLAY``."""
    name = env["WAYLAND_DISPLAY"]
    if not name.startswith("/"):
        runtime = env.get("XDG_RUNTIME_DIR")
        if not runtime:
            return None
        name = os.path.join(runtime, name)
    return _connects(socket.AF_UNIX, name, timeout)


def _connects(family: int, address: str | tuple[str, int], timeout: float) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
    except OSError:
        return False
    return True
