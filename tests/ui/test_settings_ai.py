"""Settings → AI: off by default, the endpoint checked before it is kept, the key in the OS
keyring (a real in-memory keyring backend here, and the "no keyring" backend)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QTabWidget

from questionbook.settings import Settings, load_settings, save_settings
from questionbook.ui.dialogs.settings_ai import AiSettingsPage
from questionbook.ui.dialogs.settings_dialog import SettingsDialog
from questionbook.ui.settings_controller import SettingsController
from tests.ui.test_ask_ai import MemoryKeyring

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "settings.ini"
    save_settings(Settings(), path)
    return path


@pytest.fixture
def controller(ini: Path) -> SettingsController:
    return SettingsController(ini)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def make_page(qtbot, controller: SettingsController) -> AiSettingsPage:
    page = AiSettingsPage(controller)
    qtbot.addWidget(page)
    page.show()
    return page


def test_off_by_default_and_switched_on(qtbot, controller, ini, memory_keyring) -> None:
    page = make_page(qtbot, controller)
    assert not page.enabled.isChecked()
    assert not page.endpoint.isEnabled() and not page.model.isEnabled()
    assert page.endpoint.text() == "http://localhost:11434/v1"
    assert "nothing leaves it" in page.endpoint_note.text()
    page.enabled.click()
    assert load_settings(ini).ai_enabled is True
    assert page.endpoint.isEnabled()
    page.model.setText("qwen3:8b")
    page.model.editingFinished.emit()
    page.timeout.setValue(30)
    saved = load_settings(ini)
    assert (saved.ai_model, saved.ai_timeout) == ("qwen3:8b", 30)


def test_a_bad_endpoint_is_said_and_not_kept(qtbot, controller, ini, memory_keyring) -> None:
    page = make_page(qtbot, controller)
    page.enabled.click()
    page.endpoint.setText("localhost:11434")
    page.endpoint.editingFinished.emit()
    assert "not an endpoint URL" in page.endpoint_note.text()
    assert load_settings(ini).ai_endpoint == "http://localhost:11434/v1"
    page.endpoint.setText("https://api.example.com/v1/chat/completions")  # the full URL pasted
    page.endpoint.editingFinished.emit()
    assert load_settings(ini).ai_endpoint == "https://api.example.com/v1"
    assert page.endpoint.text() == "https://api.example.com/v1"
    assert "api.example.com is not on this computer" in page.endpoint_note.text()


def test_the_key_goes_to_the_keyring_under_the_endpoint(
    qtbot, controller, ini, memory_keyring
) -> None:
    page = make_page(qtbot, controller)
    page.enabled.click()
    assert page.key_note.text() == "No key is kept for http://localhost:11434/v1."
    page.key.setText("sk-secret")
    assert page.keep_key()
    assert memory_keyring.keys == {("QuestionBook AI", "http://localhost:11434/v1"): "sk-secret"}
    assert page.key.text() == ""  # not left on screen
    assert "sk-secret" not in ini.read_text()
    assert "kept in the system keyring" in page.key_note.text()
    page.forget_key.click()
    assert memory_keyring.keys == {}


def test_without_a_keyring_it_says_so_plainly(qtbot, controller, ini, no_keyring) -> None:
    page = make_page(qtbot, controller)
    assert page.key_note.text().startswith("No keyring is available on this system")
    page.enabled.click()
    page.key.setText("sk-secret")
    assert not page.keep_key()  # nothing raised, nothing written
    assert page.key_note.text().startswith("No keyring is available on this system")
    assert "sk-secret" not in ini.read_text()


def test_the_settings_dialog_has_an_ai_page(qtbot, controller, tmp_path, memory_keyring) -> None:
    dialog = SettingsDialog(controller, tmp_path / "data")
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget, "settingsPages")
    assert tabs is not None
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["General", "AI"]
    assert tabs.widget(1) is dialog.ai_page
