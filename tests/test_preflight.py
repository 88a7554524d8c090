"""The start-up check: without a display or with a platform plugin that cannot load, the app
says what is missing in one line (in the user's language) and exits 1 instead of Qt aborting;
the command line keeps working without a display.

The app runs in a subprocess, as a user starts it, with the display variables set per test.
"A plugin that cannot load" is real: a copy of Qt's xcb plugin whose dependency on
``libxcb-cursor.so.0`` names a library no system has, put where Qt would look first
(``QT_QPA_PLATFORM_PLUGIN_PATH``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from questionbook.preflight import (
    gui_problem,
    missing_library_message,
    plugin_folders,
    requested_platforms,
    x_display_reachable,
)

DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "QT_QPA_PLATFORM")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux platforms")


def _start(tmp_path: Path, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARS}
    env.update({"QUESTIONBOOK_HOME": str(tmp_path / "home"), "LANGUAGE": "en", **env_vars})
    return subprocess.run(
        [sys.executable, "-m", "questionbook", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "qt.qpa" not in result.stderr and "Aborted" not in result.stderr
    return result.stderr


def test_platforms_are_tried_in_qts_order() -> None:
    assert requested_platforms({}) == ["xcb"]
    assert requested_platforms({"DISPLAY": ":0"}) == ["xcb"]
    assert requested_platforms({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == [
        "wayland",
        "xcb",
    ]
    assert requested_platforms({"XDG_SESSION_TYPE": "wayland"}) == ["wayland", "xcb"]
    assert requested_platforms({"QT_QPA_PLATFORM": "wayland;xcb:nograb", "DISPLAY": ":0"}) == [
        "wayland",
        "xcb",
    ]


@linux_only
def test_offscreen_needs_no_display() -> None:
    assert gui_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert gui_problem({}, platform="win32") is None


@linux_only
def test_no_display_gives_one_line_and_exit_1(tmp_path: Path) -> None:
    line = _one_clear_line(_start(tmp_path))
    assert line.startswith("questionbook: error: cannot open the window: there is no display")
    assert "DISPLAY" in line and "questionbook --help" in line
    assert not (tmp_path / "home" / "journal.sqlite3").exists(), "nothing is written first"


@linux_only
def test_the_line_speaks_the_users_language(tmp_path: Path) -> None:
    line = _one_clear_line(_start(tmp_path, "--demo", LANGUAGE="zh_CN"))
    assert "无法打开窗口" in line and "DISPLAY" in line


@linux_only
def test_xcb_asked_for_without_a_display(tmp_path: Path) -> None:
    line = _one_clear_line(_start(tmp_path, "gui", QT_QPA_PLATFORM="xcb"))
    assert "xcb" in line and "DISPLAY is not set" in line


@linux_only
def test_a_platform_qt_does_not_have(tmp_path: Path) -> None:
    line = _one_clear_line(_start(tmp_path, QT_QPA_PLATFORM="bogus"))
    assert 'no platform plugin named "bogus"' in line
    assert "xcb" in line and "offscreen" in line  # the ones that exist


@linux_only
def test_a_platform_plugin_that_cannot_load(tmp_path: Path) -> None:
    """Qt's xcb plugin needing a library the system lacks: the message names the packages."""
    real = next((f / "libqxcb.so" for f in plugin_folders({}) if (f / "libqxcb.so").exists()), None)
    if real is None:
        pytest.skip("this PySide6 has no xcb platform plugin")
    plugins = tmp_path / "plugins" / "platforms"
    plugins.mkdir(parents=True)
    data = real.read_bytes()
    assert data.count(b"libxcb-cursor.so.0\0") == 1
    (plugins / "libqxcb.so").write_bytes(data.replace(b"cursor.so.0\0", b"cursor.so.9\0"))
    # The copy finds Qt's own libraries where the original does: $ORIGIN/../../lib.
    (tmp_path / "lib").symlink_to(real.parent.parent.parent / "lib")
    line = _one_clear_line(
        _start(
            tmp_path,
            QT_QPA_PLATFORM="xcb",
            DISPLAY=":0",
            QT_QPA_PLATFORM_PLUGIN_PATH=str(plugins),
        )
    )
    assert "Qt's xcb platform needs libxcb-cursor.so.9, which is missing" in line
    assert "sudo apt install libxcb-cursor0 " in line and "(Debian, Ubuntu)" in line
    assert "sudo dnf install xcb-util-cursor " in line and "(Fedora)" in line


def test_missing_libraries_name_their_packages() -> None:
    assert "libegl1" in missing_library_message("xcb", "libEGL.so.1")
    assert "libglvnd-egl" in missing_library_message("xcb", "libEGL.so.1")
    assert "libxcb-icccm4" in missing_library_message("xcb", "libxcb-icccm.so.4")
    unknown = missing_library_message("xcb", "libfoo.so.3")
    assert "libfoo.so.3" in unknown and "apt" not in unknown


@linux_only
def test_a_display_nobody_answers(tmp_path: Path) -> None:
    number = next(n for n in range(900, 1000) if x_display_reachable(f":{n}") is False)
    line = _one_clear_line(_start(tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=f":{number}"))
    assert f"nothing answers at the X display :{number}" in line


@linux_only
def test_a_listening_x_socket_counts_as_a_display() -> None:
    number = next(n for n in range(900, 1000) if x_display_reachable(f":{n}") is False)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")  # the abstract socket an X server opens
        server.listen(1)
        assert x_display_reachable(f":{number}") is True
        assert x_display_reachable(f"unix:{number}.0") is True
    assert x_display_reachable("some/odd/form") is None


def test_the_command_line_works_without_a_display(tmp_path: Path) -> None:
    added = _start(tmp_path, "add", "Why is the sky blue?")
    assert added.returncode == 0, added.stderr
    listed = _start(tmp_path, "list")
    assert listed.returncode == 0 and "Why is the sky blue?" in listed.stdout
    assert _start(tmp_path, "--help").returncode == 0
