"""A daily backup that fails shows a non-modal banner with the reason, and "Back Up Now" works
once the problem is fixed. Real journal, real backups folder, real window."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.storage.backup import BackupError, backups_dir_for, list_backups
from questionbook.ui.backup_runner import describe_backup_error
from questionbook.ui.features import install_features
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import list_of, status_of

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.skipif(os.name != "posix", reason="POSIX permissions"),
]


def _writable(folder: Path) -> bool:
    try:
        fd, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make *folder* read-only: ``chmod 555``, and for root, whom permissions do not stop (and
    for whom QuestionBook could just chmod the folder back), the immutable flag too."""
    os.chmod(folder, 0o555)
    immutable = False
    if os.geteuid() == 0 and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)], check=False).returncode == 0
    try:
        if _writable(folder) or (os.geteuid() == 0 and not immutable):
            pytest.skip("this file system cannot make a folder read-only for this user")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o700)


@pytest.fixture
def assembled(qtbot, services: Services, app_paths: AppPaths):
    controller = SettingsController(app_paths.settings_file)
    window = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=50
    )
    qtbot.addWidget(window)
    features = install_features(window, services, controller, reopen=lambda: None, with_tray=False)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window, features
    features.backups.wait()
    window.close()


def test_a_read_only_backups_folder_shows_a_banner_and_back_up_now_retries(
    qtbot, assembled, services: Services
) -> None:
    window, features = assembled
    services.journal.add("Worth keeping")
    folder = backups_dir_for(services.db.path)
    folder.mkdir(mode=0o700)
    banner = features.backup_banner
    assert not banner.isVisible()
    with read_only(folder):
        with qtbot.waitSignal(features.backups.failed, timeout=10_000):
            features.backups.run_daily()
        assert banner.isVisible()
        text = banner.label.text()
        assert text.startswith("Your journal could not be backed up:")
        assert "may not write to the backups folder" in text and str(folder) in text
        assert banner.backup_button.text() == "Back Up Now"
        assert banner.settings_button.text() == "Open Settings…"
        assert QApplication.activeModalWidget() is None  # nothing blocks the window
        line = list_of(window).capture.line  # and writing goes on as usual
        qtbot.keyClicks(line, "Still writing")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert [s.title for s in services.journal.find("Still")] == ["Still writing"]
        with qtbot.waitSignal(features.backups.failed, timeout=10_000):  # still read-only
            qtbot.mouseClick(banner.backup_button, Qt.MouseButton.LeftButton)
        assert banner.isVisible() and banner.backup_button.isEnabled()
    assert list_backups(services.db.path) == []
    with qtbot.waitSignal(features.backups.succeeded, timeout=10_000):
        qtbot.mouseClick(banner.backup_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert status_of(window).currentMessage() == "Your journal was backed up."
    assert len(list_backups(services.db.path)) == 1


def test_any_backup_failure_reaches_the_banner_with_its_reason(
    qtbot, assembled, services: Services
) -> None:
    """A failure the runner has no plain words for still shows, with the storage's reason."""
    resource = pytest.importorskip("resource")
    _window, features = assembled
    for i in range(20):
        services.journal.add(f"Entry {i}", "words " * 2000)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))  # no file may grow past 64 KiB
    try:
        with qtbot.waitSignal(features.backups.failed, timeout=10_000) as blocker:
            features.backups.run_daily()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert features.backup_banner.isVisible()
    assert blocker.args[0] in features.backup_banner.label.text()
    assert "could not back up" in blocker.args[0]
    assert list_backups(services.db.path) == []  # nothing half-written left behind


def test_closing_the_banner_hides_it_until_the_next_failure(qtbot, assembled) -> None:
    _window, features = assembled
    banner = features.backup_banner
    banner.show_failure("the disk is full")
    with qtbot.waitSignal(banner.dismissed):
        qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    banner.show_failure("the disk is full")
    assert banner.isVisible()


def test_open_settings_from_the_banner(qtbot, assembled) -> None:
    _window, features = assembled
    seen: list[str] = []

    def close_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            seen.append(dialog.objectName())
            dialog.reject()

    timer = QTimer()
    timer.timeout.connect(close_the_dialog)
    timer.start(50)
    features.backup_banner.show_failure("the disk is full")
    qtbot.mouseClick(features.backup_banner.settings_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert seen == ["settingsDialog"]


def test_reasons_are_worded_for_people(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    denied = PermissionError(errno.EACCES, "Permission denied", str(folder / "x.tmp"))
    assert describe_backup_error(denied, folder) == (
        f"QuestionBook may not write to the backups folder {folder}"
    )
    full = OSError(errno.ENOSPC, "No space left on device")
    assert describe_backup_error(full, folder) == (
        f"there is not enough free space for a copy in {folder}"
    )
    wrapped = BackupError("could not back up journal.sqlite3: database or disk is full")
    wrapped.__cause__ = OSError("database or disk is full")
    assert "not enough free space" in describe_backup_error(wrapped, folder)
    assert describe_backup_error(BackupError("the copy failed its check"), folder) == (
        "the copy failed its check"
    )
