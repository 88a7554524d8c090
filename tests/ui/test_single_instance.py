"""One window process per journal: real second launches, a crashed primary's stale lock."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
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


def test_a_second_launch_waits_for_a_primary_that_listens_after_its_first_paint(
    qtbot, journal_path: Path
) -> None:
    """The app takes the lock before its window and listens only after the first paint: a
    second launch in between keeps trying instead of opening a second window."""
    primary = SingleInstance(journal_path)
    assert primary.try_primary(listen=False) and not primary.is_primary
    assert not SingleInstance(journal_path).try_primary()  # the lock is held meanwhile
    with qtbot.waitSignal(primary.message_received, timeout=20_000) as blocker:
        launch = python(SECOND_LAUNCH, str(journal_path), "--show")
        qtbot.wait(1000)  # the second launch is trying, nobody listens yet
        assert launch.poll() is None
        assert primary.listen() and primary.is_primary
    assert launch.wait(timeout=30) == 0, launch.stderr.read() if launch.stderr else ""
    assert blocker.args == [["--show"]]
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


# -- another local user, hostile messages (issue 14, items 6 and 10) --------------------------
def test_the_socket_lives_in_a_folder_only_this_user_can_enter(journal_path: Path) -> None:
    import stat

    name = Path(server_name(journal_path))
    folder = name.parent
    st = folder.lstat()
    assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()
    assert stat.S_IMODE(st.st_mode) == 0o700
    assert folder != Path("/tmp")  # not a name anyone can compute and take first


def test_a_runtime_folder_owned_by_someone_else_is_not_used(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    squatted = tmp_path / "runtime"
    squatted.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(squatted, 65534, 65534)  # the other user's folder
    else:
        os.chmod(squatted, 0o777)  # or one everybody may write
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(squatted))
    assert not server_name(journal_path).startswith(str(squatted))


OTHER_USER_SERVER = textwrap.dedent("""
    import os, socket, sys
    path = sys.argv[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    os.chmod(path, 0o777)
    s.listen(1)
    print("ready", flush=True)
    conn, _ = s.accept()
    conn.settimeout(5)
    data = b""
    try:
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    print("got", len(data), flush=True)
""")


def _as_other_user() -> list[str]:
    import shutil

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a process as another user")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder both users can write (like /tmp), reachable by the other user."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="qb-shared-", dir="/tmp"))
    os.chmod(folder, 0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_arguments_are_never_handed_to_another_users_process(
    qtbot, journal_path: Path, shared: Path
) -> None:
    """The squatting attack: user B listens where A's app looks. A sends B nothing."""
    prefix = _as_other_user()
    path = shared / "qb-squatted"
    server = subprocess.Popen(
        [*prefix, sys.executable, "-c", OTHER_USER_SERVER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    assert server.stdout.readline().strip() == "ready"
    victim = SingleInstance(journal_path)
    victim.name = str(path)
    assert not victim.send_to_primary(["open", "my-secret-journal.sqlite3"])
    out, _err = server.communicate(timeout=30)
    assert out.strip() == "got 0"


OTHER_USER_CLIENT = textwrap.dedent("""
    import socket, sys
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(b'["--malicious"]\\n')
    s.close()
""")


def test_a_primary_ignores_messages_from_another_user(
    qtbot, journal_path: Path, shared: Path
) -> None:
    from PySide6.QtNetwork import QLocalServer

    prefix = _as_other_user()
    primary = SingleInstance(journal_path)
    primary.name = str(shared / "qb-primary")
    assert primary.try_primary()
    assert primary._server is not None
    primary._server.setSocketOptions(QLocalServer.SocketOption.WorldAccessOption)
    os.chmod(primary.name, 0o777)
    with qtbot.assertNotEmitted(primary.message_received, wait=500):
        client = subprocess.run(
            [*prefix, sys.executable, "-c", OTHER_USER_CLIENT, primary.name],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert client.returncode == 0, client.stderr
    with qtbot.waitSignal(primary.message_received, timeout=5000) as blocker:
        mine = SingleInstance(journal_path)
        mine.name = primary.name
        assert mine.send_to_primary(["--mine"])
    assert blocker.args == [["--mine"]]
    primary.release()


def test_deeply_nested_or_oversized_messages_are_dropped(qtbot, journal_path: Path) -> None:
    from questionbook.ui.single_instance import parse_message

    assert parse_message(b"[" * 100_000 + b"]" * 100_000) is None  # was RecursionError
    assert parse_message(b'["a", ["b"]]') is None
    assert parse_message(b'["x"' + b', "x"' * 1000 + b"]") is None
    assert parse_message(b'["--show"]') == ["--show"]
    primary = SingleInstance(journal_path)
    assert primary.try_primary()
    with qtbot.assertNotEmitted(primary.message_received, wait=300):
        sock = QLocalSocket()
        sock.connectToServer(server_name(journal_path))
        assert sock.waitForConnected(2000)
        sock.write(b"[" * 60_000 + b"\n")
        sock.waitForBytesWritten(2000)
        sock.disconnectFromServer()
    primary.release()


def test_the_lock_file_is_private_whatever_the_umask(qtbot, journal_path: Path) -> None:
    import stat

    old = os.umask(0)
    try:
        primary = SingleInstance(journal_path)
        assert primary.try_primary()
    finally:
        os.umask(old)
    assert stat.S_IMODE(lock_path(journal_path).stat().st_mode) == 0o600
    primary.release()
