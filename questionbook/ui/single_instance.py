"""One app window process per journal: a second launch hands its arguments over and exits.

The primary is decided by a ``QLockFile`` next to the journal (``journal.sqlite3.lock``): the
lock is atomic and Qt removes it when its process has died, so a crash never locks anyone out.
Stale-by-age detection is switched off (``setStaleLockTime(0)``): with Qt's default of 30 s a
second launch would otherwise take the lock from a primary that has simply been running for a
while. The primary listens on a ``QLocalServer`` whose name is derived from the journal path
and the user; ``removeServer()`` first clears a socket file left by a crash. A secondary sends
its arguments as one JSON line and exits; the primary emits :attr:`message_received` (and the
main window brings itself to the front).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 2000
CONNECT_ATTEMPTS = 10  # the primary may hold the lock a moment before it listens
MAX_MESSAGE_BYTES = 1_000_000
_BUFFER = "qb_buffer"  # a socket's bytes so far, kept on the socket so it dies with it


def server_name(journal_path: Path) -> str:
    """A local-socket name unique to this user and journal (short: socket paths are limited)."""
    key = f"{getpass.getuser()}\0{Path(journal_path).expanduser().resolve()}"
    return "questionbook-" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:20]


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

    def try_primary(self) -> bool:
        """Take the lock and start listening; False if another live process is the primary."""
        if self._server is not None:
            return True
        lock_path(self.journal_path).parent.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            return False
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
        payload = json.dumps([str(a) for a in args], ensure_ascii=True).encode() + b"\n"
        for _attempt in range(CONNECT_ATTEMPTS):
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS // CONNECT_ATTEMPTS):
                socket.write(payload)
                ok = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                    socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
                return ok
            socket.abort()
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
            socket = self._server.nextPendingConnection()
            socket.setProperty(_BUFFER, QByteArray())
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        """Collect bytes until the newline that ends a message; then emit it once."""
        buffer = socket.property(_BUFFER)
        if not isinstance(buffer, QByteArray):
            return  # already handled
        buffer.append(socket.readAll())
        if buffer.size() > MAX_MESSAGE_BYTES:
            socket.setProperty(_BUFFER, None)
            socket.abort()
            return
        if not buffer.contains(b"\n"):
            socket.setProperty(_BUFFER, buffer)
            return
        socket.setProperty(_BUFFER, None)
        line = bytes(buffer.data()).split(b"\n", 1)[0]
        try:
            args = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return
        if isinstance(args, list) and all(isinstance(a, str) for a in args):
            self.message_received.emit(args)
