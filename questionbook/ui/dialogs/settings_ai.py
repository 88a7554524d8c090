"""Settings → AI: the one OpenAI-compatible endpoint "Ask AI" may use (issue 17).

Off by default. Like the rest of the Settings dialog, every control writes through
:meth:`SettingsController.update` at once; the endpoint is checked with
:func:`questionbook.ai_client.parse_endpoint` first, and a bad one is said under the field and
not saved. The API key is never a setting: it goes to the operating system's keyring
(:func:`questionbook.ai_keyring.store_api_key`), filed under the endpoint's base URL, and the
page says plainly when this system has no keyring to keep it in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from questionbook.ai_client import AiError, parse_endpoint
from questionbook.i18n import N_, _
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import RANGES, SettingsController

_ERROR = "color: #c0392b;"
_MUTED = "color: rgba(127, 127, 127, 230);"

KeyLookup = Callable[[str], "str | None"]
KeyStore = Callable[[str, str], None]


def _stored_key(endpoint: str) -> str | None:
    from questionbook.ai_keyring import api_key

    return api_key(endpoint)


def _keyring_available() -> bool:
    from questionbook.ai_keyring import keyring_available

    return keyring_available()


def _store_key(endpoint: str, key: str) -> None:
    from questionbook.ai_keyring import store_api_key

    store_api_key(endpoint, key)


class AiSettingsPage(QWidget):
    """Enabled, endpoint, model, timeout and the API key (kept in the keyring)."""

    def __init__(
        self,
        controller: SettingsController,
        parent: QWidget | None = None,
        *,
        key_lookup: KeyLookup | None = None,
        key_store: KeyStore | None = None,
        keyring_available: Callable[[], bool] | None = None,
    ) -> None:
        """*key_lookup*, *key_store* and *keyring_available* reach the OS keyring (through
        :mod:`questionbook.ai_keyring` by default)."""
        super().__init__(parent)
        self.setObjectName("aiSettingsPage")
        self._controller = controller
        self._lookup = key_lookup or _stored_key
        self._store = key_store or _store_key
        self._keyring_available = keyring_available or _keyring_available
        self._texts = Texts()
        self._key_state = ""  # what the key line says, as a source string (or a literal)
        self._key_values: dict[str, str] = {}
        self._key_literal = False

        self.enabled = QCheckBox(self)
        self.enabled.setObjectName("ai_enabled")
        self._texts.set(self.enabled.setText, N_("Let me ask an AI about an entry (Ask AI)"))
        self.endpoint = QLineEdit(self)
        self.endpoint.setObjectName("ai_endpoint")
        self.endpoint.setPlaceholderText("http://localhost:11434/v1")
        self.endpoint_note = QLabel(self)
        self.endpoint_note.setObjectName("aiEndpointNote")
        self.endpoint_note.setWordWrap(True)
        self.model = QLineEdit(self)
        self.model.setObjectName("ai_model")
        self._texts.set(self.model.setPlaceholderText, N_("e.g. qwen3:8b"))
        self.timeout = QSpinBox(self)
        self.timeout.setObjectName("ai_timeout")
        self.timeout.setRange(*RANGES["ai_timeout"])
        self._texts.set(self.timeout.setSuffix, N_(" s"))
        self.key = QLineEdit(self)
        self.key.setObjectName("ai_api_key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self._texts.set(self.key.setPlaceholderText, N_("Only if the endpoint needs one"))
        self.store_key = QPushButton(self)
        self.store_key.setObjectName("ai_store_key")
        self.store_key.setAutoDefault(False)
        self._texts.set(self.store_key.setText, N_("Keep in keyring"))
        self.forget_key = QPushButton(self)
        self.forget_key.setObjectName("ai_forget_key")
        self.forget_key.setAutoDefault(False)
        self._texts.set(self.forget_key.setText, N_("Forget"))
        self.key_note = QLabel(self)
        self.key_note.setObjectName("aiKeyNote")
        self.key_note.setWordWrap(True)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(_MUTED)
        self._texts.set(
            self.explanation.setText,
            N_(
                "QuestionBook talks to the network only here: when you press Send in Ask AI, it "
                "sends what that window shows to this OpenAI-compatible endpoint. A local "
                "server (Ollama, llama.cpp) keeps everything on this computer; any other host "
                "needs your confirmation each time."
            ),
        )

        group = QGroupBox(self)
        self._texts.set(group.setTitle, N_("AI"))
        form = QFormLayout(group)
        form.addRow(self.enabled)
        key_row = QWidget(group)
        key_box = QHBoxLayout(key_row)
        key_box.setContentsMargins(0, 0, 0, 0)
        key_box.addWidget(self.key, 1)
        key_box.addWidget(self.store_key)
        key_box.addWidget(self.forget_key)
        for text, widget in (
            (N_("&Endpoint:"), self.endpoint),
            (None, self.endpoint_note),
            (N_("&Model:"), self.model),
            (N_("&Timeout:"), self.timeout),
            (N_("API &key:"), key_row),
            (None, self.key_note),
        ):
            if text is None:
                form.addRow("", widget)
                continue
            label = QLabel(group)
            self._texts.set(label.setText, text)
            label.setBuddy(self.key if widget is key_row else widget)
            form.addRow(label, widget)
        box = QVBoxLayout(self)
        box.addWidget(group)
        box.addWidget(self.explanation)
        box.addStretch(1)
        for widget, name in (
            (self.enabled, N_("Ask an AI")),
            (self.endpoint, N_("AI endpoint")),
            (self.model, N_("AI model")),
            (self.timeout, N_("AI timeout in seconds")),
            (self.key, N_("AI API key")),
        ):
            self._texts.set(widget.setAccessibleName, name)

        self._load()
        self.enabled.toggled.connect(self._on_enabled_toggled)
        self.endpoint.editingFinished.connect(self.save_endpoint)
        self.model.editingFinished.connect(self._on_model_editing_finished)
        self.timeout.valueChanged.connect(self._on_timeout_value_changed)
        self.store_key.clicked.connect(self.keep_key)
        self.forget_key.clicked.connect(lambda: self.keep_key(forget=True))
        self.key.returnPressed.connect(self.keep_key)

    # -- showing ---------------------------------------------------------------------------
    def _load(self) -> None:
        s = self._controller.settings
        self.enabled.setChecked(s.ai_enabled)
        self.endpoint.setText(s.ai_endpoint)
        self.model.setText(s.ai_model)
        self.timeout.setValue(s.ai_timeout)
        self._say_endpoint(s.ai_endpoint)
        self._say_enabled()

    def _say_enabled(self) -> None:
        on = self.enabled.isChecked()
        for widget in (self.endpoint, self.model, self.timeout, self.key):
            widget.setEnabled(on)
        self.store_key.setEnabled(on)
        self.forget_key.setEnabled(on)

    def _say_endpoint(self, text: str, error: str | None = None) -> None:
        if error:
            self.endpoint_note.setText(error)
            self.endpoint_note.setStyleSheet(_ERROR)
            return
        try:
            endpoint = parse_endpoint(text)
        except AiError as exc:
            self.endpoint_note.setText(str(exc))
            self.endpoint_note.setStyleSheet(_ERROR)
            return
        if endpoint.loopback:
            self.endpoint_note.setText(_("On this computer: nothing leaves it."))
            self.endpoint_note.setStyleSheet(_MUTED)
        else:
            self.endpoint_note.setText(
                _(
                    "{host} is not on this computer: every question to it asks for your "
                    "confirmation."
                ).format(host=endpoint.host)
            )
            self.endpoint_note.setStyleSheet("")

    def _say_key(
        self,
        source: str,
        values: dict[str, str] | None = None,
        *,
        error: bool = False,
        literal: bool = False,
    ) -> None:
        """Say *source* (marked ``N_``; said again after a language switch) or, with
        *literal*, a text that is already translated."""
        values = values or {}
        self._key_state, self._key_values, self._key_literal = source, values, literal
        self.key_note.setText(source if literal else _(source).format(**values))
        self.key_note.setStyleSheet(_ERROR if error else _MUTED)

    # -- writing ---------------------------------------------------------------------------
    def save_endpoint(self) -> bool:
        """Keep the endpoint typed if it is one (normalised to its base URL); else say why
        under the field and keep the old one."""
        text = self.endpoint.text().strip()
        try:
            endpoint = parse_endpoint(text)
        except AiError as exc:
            self._say_endpoint(text, str(exc))
            return False
        self._controller.update(ai_endpoint=endpoint.base_url)
        if self.endpoint.text() != endpoint.base_url:
            self.endpoint.setText(endpoint.base_url)
        self._say_endpoint(endpoint.base_url)
        return True

    def keep_key(self, *, forget: bool = False) -> bool:
        """Store the key typed (or forget the stored one) in the OS keyring, filed under the
        endpoint saved; says plainly when there is no keyring."""
        from questionbook.ai_keyring import KeyringUnavailable

        try:
            base = parse_endpoint(self._controller.get("ai_endpoint")).base_url
        except AiError as exc:
            self._say_key(str(exc), error=True, literal=True)
            return False
        key = "" if forget else self.key.text().strip()
        if not key and not forget:
            self._say_key(N_("Type the key first."), error=True)
            return False
        try:
            self._store(base, key)
        except KeyringUnavailable:
            self._say_key(
                N_(
                    "No keyring is available on this system, so a key cannot be kept. "
                    "A local server needs none."
                ),
                error=True,
            )
            return False
        self.key.clear()
        if forget:
            self._say_key(N_("No key is kept for {endpoint}."), {"endpoint": base})
        else:
            self._say_key(
                N_("The key is kept in the system keyring for {endpoint}."), {"endpoint": base}
            )
        return True

    def show_key_state(self) -> None:
        """Say whether a key is kept for the endpoint (asks the keyring: done when the page
        is first shown, not when the dialog opens)."""
        if not self._keyring_available():
            self._say_key(
                N_(
                    "No keyring is available on this system, so a key cannot be kept. "
                    "A local server needs none."
                ),
                error=True,
            )
            return
        try:
            base = parse_endpoint(self._controller.get("ai_endpoint")).base_url
        except AiError:
            return
        if self._lookup(base):
            self._say_key(
                N_("A key is kept in the system keyring for {endpoint}."), {"endpoint": base}
            )
        else:
            self._say_key(N_("No key is kept for {endpoint}."), {"endpoint": base})

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._key_state:
            self.show_key_state()

    def _on_enabled_toggled(self, on: bool) -> None:
        self._controller.update(ai_enabled=bool(on))
        self._say_enabled()

    def _on_model_editing_finished(self) -> None:
        self._controller.update(ai_model=" ".join(self.model.text().split()))

    def _on_timeout_value_changed(self, value: int) -> None:
        self._controller.update(ai_timeout=int(value))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._say_endpoint(self.endpoint.text())
            if self._key_state and not self._key_literal:
                self._say_key(self._key_state, self._key_values)
