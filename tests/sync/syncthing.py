"""Real Syncthing instances for the integration test, on 127.0.0.1 only.

Each instance gets its own ``--home`` (keys and config), GUI/REST port, API key and listen port;
discovery, relays, NAT, usage reporting, crash reports and upgrades are off, so nothing leaves
the machine. ``docs/sync.md`` describes the same steps for people setting it up by hand.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

FOLDER_ID = "questionbook-sync"


def syncthing_binary() -> str | None:
    return shutil.which("syncthing")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Syncthing:
    """One Syncthing process sharing *folder* as :data:`FOLDER_ID`."""

    def __init__(self, home: Path, folder: Path) -> None:
        self.home, self.folder = home, folder
        self.gui_port, self.listen_port = free_port(), free_port()
        self.api_key = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None
        binary = syncthing_binary()
        assert binary is not None
        self.binary = binary
        subprocess.run(
            [binary, "generate", f"--home={home}", "--no-default-folder"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        self._configure()
        self.device_id = self._device_id()

    def _configure(self) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for name, value in {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "startBrowser": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "crashReportingEnabled": "false",
            "reconnectionIntervalS": "1",  # dial again at once if the first try came too early
        }.items():
            _set(options, name, value)
        tree.write(path)

    def _device_id(self) -> str:
        out = subprocess.run(
            [self.binary, "serve", f"--home={self.home}", "--device-id"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return out.stdout.strip()

    # -- process ---------------------------------------------------------------------------------
    def start(self) -> None:
        log = open(self.home / "syncthing.log", "wb")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(
            [
                self.binary,
                "serve",
                f"--home={self.home}",
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
                "--no-default-folder",
                "--skip-port-probing",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={"STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "HOME": str(self.home)},
        )
        wait_for("Syncthing's REST API", self._ready)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def _ready(self) -> bool:
        try:
            return bool(self.get("/rest/system/status").get("myID"))
        except (OSError, urllib.error.URLError):
            return False

    # -- REST ------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text.strip() else None

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def introduce(self, other: Syncthing) -> None:
        """Know *other* by its id and loopback address, and share the folder with it."""
        self.request(
            "POST",
            "/rest/config/devices",
            {
                "deviceID": other.device_id,
                "name": other.home.name,
                "addresses": [f"tcp://127.0.0.1:{other.listen_port}"],
                "autoAcceptFolders": False,
            },
        )

    def share(self, others: list[Syncthing]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.request(
            "POST",
            "/rest/config/folders",
            {
                "id": FOLDER_ID,
                "label": "QuestionBook",
                "path": str(self.folder),
                "type": "sendreceive",
                "devices": [{"deviceID": d.device_id} for d in [self, *others]],
                "fsWatcherEnabled": True,
                "fsWatcherDelayS": 1,
                "rescanIntervalS": 10,
            },
        )

    def connected(self, other: Syncthing) -> bool:
        found = self.get("/rest/system/connections").get("connections", {})
        return bool(found.get(other.device_id, {}).get("connected"))

    def scan(self) -> None:
        """Look at the folder now (instead of waiting for the file watcher)."""
        self.request("POST", f"/rest/db/scan?folder={FOLDER_ID}")


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text
