"""One window process per journal: real second launches, a crashed primary's stale lock."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket

from questionbook.cli.backup_cmds import app_holding
from questionbook.ui.single_instance import SingleInstance, lock_path, server_name

SECOND_LAUNCH = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from questionbook.ui.single_instance import SingleInstance
    app = QCoreApplication([])
    inst = SingleInstance(Path(sys.argv[1]))
    if inst.try_primary():
        sys.exit(3)  # must not become a second primary
    sys.exit(0 if inst.send_to_primary(sys.argv[2:]) else 4)
""")

CRASHING_PRIMARY = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from questionbook.ui.single_instance import SingleInstance
    app = QCoreApplication([])
    inst = SingleInstance(Path(sys.argv[1]))
    assert inst.try_primary()
    print("ready", flush=True)
    sys.stdin.readline()
    os.kill(os.getpid(), signal.SIGKILL)  # crash: no cleanup at all
""")


def python(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", *args],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


def test_first_launch_is_primary_and_a_second_object_is_not(qtbot, journal_path: Path) -> None:
    first = SingleInstance(journal_path)
    assert first.try_primary() and first.is_primary
    assert lock_path(journal_path).exists()
    second = SingleInstance(journal_path)
    assert not second.try_primary()
    first.release()
    assert second.try_primary()
    second.release()


def test_a_second_launch_hands_over_its_arguments_and_exits(qtbot, journal_path: Path) -> None:
    primary = SingleInstance(journal_path)
    assert primary.try_primary()
    args = ["add", "Why do people build elevators? 电梯", "--kind", "question"]
    with qtbot.waitSignal(primary.message_received, timeout=20_000) as blocker:
        launch = python(SECOND_LAUNCH, str(journal_path), *args)
    assert launch.wait(timeout=30) == 0, launch.stderr.read() if launch.stderr else ""
    assert blocker.args == [args]
    primary.release()


def test_a_stale_lock_after_a_crash_is_recovered(qtbot, journal_path: Path) -> None:
    crashed = python(CRASHING_PRIMARY, str(journal_path))
    assert crashed.stdout is not None and crashed.stdin is not None
    assert crashed.stdout.readline().strip() == "ready"
    # While it runs, the command line sees it holds the journal (and will not restore under it).
    assert app_holding(journal_path) == crashed.pid
    crashed.stdin.write("go\n")
    crashed.stdin.flush()
    crashed.wait(timeout=30)
    assert crashed.returncode == -9
    assert lock_path(journal_path).exists()  # the dead process left its lock behind
    assert app_holding(journal_path) is None
    survivor = SingleInstance(journal_path)
    assert survivor.try_primary()
    with qtbot.waitSignal(survivor.message_received, timeout=20_000) as blocker:
        launch = python(SECOND_LAUNCH, str(journal_path), "--show")
    assert launch.wait(timeout=30) == 0
    assert blocker.args == [["--show"]]
    survivor.release()


def test_garbage_on_the_socket_is_ignored(qtbot, journal_path: Path) -> None:
    primary = SingleInstance(journal_path)
    assert primary.try_primary()
    with qtbot.assertNotEmitted(primary.message_received, wait=300):
        sock = QLocalSocket()
        sock.connectToServer(server_name(journal_path))
        assert sock.waitForConnected(2000)
        sock.write(b'{"not": "a list"}\n')
        sock.waitForBytesWritten(2000)
        sock.disconnectFromServer()
    with qtbot.waitSignal(primary.message_received, timeout=5000) as blocker:
        assert SingleInstance(journal_path).send_to_primary(["ok"])
    assert blocker.args == [["ok"]]
    primary.release()


def test_nobody_listening_means_send_fails(qtbot, tmp_path: Path) -> None:
    assert not SingleInstance(tmp_path / "other.sqlite3").send_to_primary(["x"])
    assert server_name(tmp_path / "a.sqlite3") != server_name(tmp_path / "b.sqlite3")
