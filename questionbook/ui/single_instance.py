"""One app window process per journal: a second launch hands its arguments over and exits.

The primary is decided by a ``QLockFile`` next to the journal (``journal.sqlite3.lock``): the
lock is atomic and Qt removes it when its process has died, so a crash never locks anyone out.
Stale-by-age detection is switched off (``setStaleLockTime(0)``): with Qt's default of 30 s a
second launch would otherwise take the lock from a primary that has simply been running for a
while. The lock file is made owner-only (0600) as soon as it is taken.

The primary listens on a ``QLocalServer``. On Linux and macOS its socket lives in a folder only
this user can enter (``$XDG_RUNTIME_DIR/questionbook``, else ``<tmp>/questionbook-<uid>``,
checked to be ours and 0700), never under a name in the shared ``/tmp`` that another local user
could compute and take first (they would have received our arguments, and our window would not
have opened). Each side also checks the other's user id on the connected socket
(``SO_PEERCRED`` / ``LOCAL_PEERCRED``) before trusting it. ``removeServer()`` first clears a
socket file left by a crash. A secondary sends its arguments as one JSON line (at most
:data:`MAX_MESSAGE_BYTES`, a flat list of at most :data:`MAX_ARGS` strings; anything else,
deep nesting included, is dropped) and exits; the primary emits :attr:`message_received` (and
the main window brings itself to the front).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import socket
import stat
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal

if TYPE_CHECKING:  # QtNetwork is imported when the primary listens, after the first paint
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 2000
CONNECT_ATTEMPTS = 10  # the primary may hold the lock a moment before it listens
MAX_MESSAGE_BYTES = 64 * 1024
MAX_ARGS = 256
_BUFFER = "qb_buffer"  # a socket's bytes so far, kept on the socket so it dies with it
_SOCKET_PATH_MAX = 100  # sun_path holds 104 (macOS) or 108 (Linux) bytes


def _private_folder(path: Path) -> Path | None:
    """*path* if it is (or can be made) a real folder of ours that nobody else can enter."""
    with contextlib.suppress(OSError):
        path.mkdir(mode=0o700)
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return None  # a link, a file, or someone else's folder: not to be trusted
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return None
    return path


def socket_folder() -> Path | None:
    """Where this user's sockets go (POSIX): a 0700 folder only this user owns, or None."""
    uid = os.geteuid()
    candidates = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        try:
            st = os.stat(runtime)
        except OSError:
            st = None
        if st is not None and st.st_uid == uid and not stat.S_IMODE(st.st_mode) & 0o077:
            candidates.append(Path(runtime) / "questionbook")
    candidates.append(Path(tempfile.gettempdir()) / f"questionbook-{uid}")
    candidates.append(Path.home() / ".cache" / "questionbook-run")
    for folder in candidates:
        if len(str(folder)) > _SOCKET_PATH_MAX - 25:
            continue
        found = _private_folder(folder)
        if found is not None:
            return found
    return None


def server_name(journal_path: Path) -> str:
    """The local socket of this user and journal: a path in :func:`socket_folder` on POSIX,
    a per-user pipe name on Windows. Empty if no private place exists (then no second launch
    is handed over: each opens its own window, guarded by the lock file alone)."""
    key = f"{getpass.getuser()}\0{Path(journal_path).expanduser().resolve()}"
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:20]
    if os.name != "posix":
        return "questionbook-" + digest
    folder = socket_folder()
    return str(folder / f"qb-{digest}") if folder is not None else ""


def peer_uid(descriptor: int) -> int | None:
    """The user id of the process at the other end of a connected Unix socket, if known."""
    if os.name != "posix" or descriptor < 0:
        return None
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, fileno=os.dup(descriptor))
    except OSError:
        return None
    try:
        if hasattr(socket, "SO_PEERCRED"):  # Linux: struct ucred {pid, uid, gid}
            raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            return int(struct.unpack("3i", raw)[1])
        if sys.platform == "darwin":  # struct xucred {version, uid, ngroups, groups[16]}
            raw = sock.getsockopt(0, 0x001, 76)  # SOL_LOCAL, LOCAL_PEERCRED
            return int(struct.unpack_from("2I", raw)[1])
    except OSError:
        return None
    finally:
        sock.close()  # our duplicate only; Qt's descriptor stays open
    return None


def _same_user(descriptor: int) -> bool:
    """True if the peer on *descriptor* is this user (on Windows the pipe's access rights
    already say so)."""
    if os.name != "posix":
        return True
    return peer_uid(descriptor) == os.geteuid()


def parse_message(line: bytes) -> list[str] | None:
    """A secondary's arguments, or None for anything but a flat JSON list of strings.

    Never raises: 100,000 nested brackets used to raise RecursionError in the app.
    """
    if len(line) > MAX_MESSAGE_BYTES or not line.lstrip().startswith(b"["):
        return None
    try:
        args = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if isinstance(args, list) and len(args) <= MAX_ARGS and all(isinstance(a, str) for a in args):
        return args
    return None


def lock_path(journal_path: Path) -> Path:
    """The lock file of *journal_path*; the CLI reads it to avoid restoring under a running app."""
    return Path(f"{Path(journal_path).expanduser()}.lock")


class SingleInstance(QObject):
    """Decides whether this process is the primary window for a journal and links the two."""

    message_received = Signal(list)
    """A second launch sent its command-line arguments (a list of str)."""

    def __init__(self, journal_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal_path = Path(journal_path)
        self.name = server_name(self.journal_path)
        self._lock = QLockFile(str(lock_path(self.journal_path)))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def try_primary(self, *, listen: bool = True) -> bool:
        """Take the lock and start listening; False if another live process is the primary.

        With *listen* false only the lock is taken; :meth:`listen` follows (the app does it
        right after its first paint: the server and QtNetwork cost ~10 ms of the start, and a
        second launch meanwhile keeps trying for :data:`CONNECT_TIMEOUT_MS`)."""
        if self._server is not None:
            return True
        lock_path(self.journal_path).parent.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            return False
        with contextlib.suppress(OSError):  # QLockFile creates it 0666 & ~umask
            os.chmod(lock_path(self.journal_path), 0o600)
        if not self.name:
            self._lock.unlock()
            return False
        return self.listen() if listen else True

    def listen(self) -> bool:
        """Listen for second launches (the lock is ours); False if the socket cannot be made,
        and then the lock is given up too."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return True
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            self._lock.unlock()
            return False
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server
        return True

    def send_to_primary(self, args: list[str]) -> bool:
        """Hand *args* to the running primary; True once it has received them."""
        if not self.name:
            return False
        payload = json.dumps([str(a) for a in args], ensure_ascii=True).encode() + b"\n"
        if len(payload) > MAX_MESSAGE_BYTES or len(args) > MAX_ARGS:
            return False
        from PySide6.QtNetwork import QLocalSocket

        slot = CONNECT_TIMEOUT_MS / CONNECT_ATTEMPTS / 1000
        for _attempt in range(CONNECT_ATTEMPTS):
            began = time.monotonic()
            sock = QLocalSocket()
            sock.connectToServer(self.name)
            if sock.waitForConnected(CONNECT_TIMEOUT_MS // CONNECT_ATTEMPTS):
                if not _same_user(int(sock.socketDescriptor())):
                    sock.abort()  # not our own app: it gets nothing
                    return False
                sock.write(payload)
                ok = sock.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                sock.disconnectFromServer()
                if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                    sock.waitForDisconnected(CONNECT_TIMEOUT_MS)
                return ok
            sock.abort()
            # No server yet fails at once: give a primary that holds the lock but has not
            # started listening (right after its first paint) the whole slot to do so.
            time.sleep(max(0.0, slot - (time.monotonic() - began)))
        return False

    def release(self) -> None:
        """Stop listening and drop the lock (on quit)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    @property
    def is_primary(self) -> bool:
        return self._server is not None

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if not _same_user(int(sock.socketDescriptor())):
                sock.abort()  # another user's process: not listened to
                sock.deleteLater()
                continue
            sock.setProperty(_BUFFER, QByteArray())
            sock.readyRead.connect(self._on_socket_ready_read)
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _on_socket_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        """Collect bytes until the newline that ends a message; then emit it once."""
        buffer = sock.property(_BUFFER)
        if not isinstance(buffer, QByteArray):
            return  # already handled
        buffer.append(sock.readAll())
        if buffer.size() > MAX_MESSAGE_BYTES + 1:
            sock.setProperty(_BUFFER, None)
            sock.abort()
            return
        if not buffer.contains(b"\n"):
            sock.setProperty(_BUFFER, buffer)
            return
        sock.setProperty(_BUFFER, None)
        args = parse_message(bytes(buffer.data()).split(b"\n", 1)[0])
        if args is not None:
            self.message_received.emit(args)
