"""The GUI's handle on the one :class:`~questionbook.settings.Settings` object.

Every preference is read from ``controller.settings`` and written through
:meth:`SettingsController.update`, which validates, saves the INI at once (so a crash never
loses a preference) and emits :attr:`SettingsController.changed` with the names of the fields that
really changed. Widgets listen for the names they care about instead of re-reading string keys.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication

from questionbook.settings import Settings, load_settings, save_settings

log = logging.getLogger(__name__)

_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}

#: Allowed values for the fields that are choices; anything else is refused by ``update``.
CHOICES: dict[str, tuple[Any, ...]] = {
    "language": ("system", "en", "zh_CN"),
    "theme": ("system", "light", "dark"),
    "preview_mode": ("side", "toggle"),
    "review_weekday": tuple(range(1, 8)),
    "week_start": tuple(range(1, 8)),
}
#: Inclusive bounds for numeric fields.
RANGES: dict[str, tuple[int, int]] = {
    "editor_font_size": (6, 72),
    "backup_daily": (0, 365),
    "backup_weekly": (0, 520),
    "backup_monthly": (0, 1200),
}


class SettingsController(QObject):
    """Holds the settings, persists every change, and announces what changed."""

    changed = Signal(set)
    """Fields whose values changed (a ``set[str]`` of ``Settings`` field names)."""

    def __init__(
        self, path: Path, settings: Settings | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._path = Path(path)
        self._settings = settings if settings is not None else load_settings(self._path)

    @property
    def path(self) -> Path:
        """The INI file the settings are saved to."""
        return self._path

    @property
    def settings(self) -> Settings:
        """A copy of the current settings: change them only through :meth:`update`."""
        return dataclasses.replace(self._settings)

    def get(self, name: str) -> Any:
        """The current value of one field."""
        if name not in _FIELDS:
            raise AttributeError(name)
        return getattr(self._settings, name)

    def update(self, **changes: Any) -> set[str]:
        """Apply *changes*, save them and emit ``changed``; returns the names that changed.

        Unknown names and invalid values raise ``ValueError`` before anything is applied, so a
        bad call never leaves the settings half-updated.
        """
        clean = {name: self._validate(name, value) for name, value in changes.items()}
        changed = {name for name, value in clean.items() if getattr(self._settings, name) != value}
        if not changed:
            return set()
        updates = {n: clean[n] for n in changed}
        self._settings = dataclasses.replace(self._settings, **updates)
        try:
            # Merge into what is on disk: the window saves its layout into the same file, and a
            # stale copy of those fields must not overwrite it.
            on_disk = load_settings(self._path) if self._path.exists() else self._settings
            save_settings(dataclasses.replace(on_disk, **updates), self._path)
        except OSError:  # a read-only config folder must not crash the app
            log.exception("could not save settings to %s", self._path)
        self.changed.emit(set(changed))
        return changed

    def reload(self) -> set[str]:
        """Re-read the INI (edited by hand, say) and announce what differs."""
        fresh = load_settings(self._path)
        changes = {
            f: getattr(fresh, f) for f in _FIELDS if getattr(fresh, f) != getattr(self._settings, f)
        }
        self._settings = fresh
        if changes:
            self.changed.emit(set(changes))
        return set(changes)

    @staticmethod
    def _validate(name: str, value: Any) -> Any:
        if name not in _FIELDS:
            raise ValueError(f"unknown setting {name!r}")
        default = getattr(Settings(), name)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false")
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number")
            low, high = RANGES.get(name, (-(2**31), 2**31 - 1))
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}")
        else:
            value = str(value)
            if "\n" in value or "\r" in value:
                raise ValueError(f"{name} must be on one line")
        if name in CHOICES and value not in CHOICES[name]:
            raise ValueError(f"{name} must be one of {CHOICES[name]}")
        if name == "review_time":
            _check_time(value)
        return value


def _check_time(text: str) -> None:
    hours, _sep, minutes = text.partition(":")
    if not (
        hours.isdigit()
        and minutes.isdigit()
        and 0 <= int(hours) < 24
        and 0 <= int(minutes) < 60
        and len(minutes) == 2
    ):
        raise ValueError(f"review_time must be HH:MM, not {text!r}")


def connect_appearance(app: QCoreApplication, controller: SettingsController) -> None:
    """Apply theme changes at once, and language changes to everything built from now on.

    Widgets that show text already (menus, labels) keep it until they are rebuilt; the settings
    dialog says so ("applies fully after a restart").
    """

    def _on_controller_changed(names: set[str]) -> None:
        if "theme" in names and isinstance(app, QApplication):
            from questionbook.ui.theme import apply_theme

            apply_theme(app, controller.get("theme"))
        if "language" in names:
            from questionbook.i18n import set_language
            from questionbook.ui.locale_format import set_default_locale
            from questionbook.ui.qt_translations import install_qt_translator

            language = set_language(controller.get("language"))
            install_qt_translator(app, language)
            set_default_locale(language)

    controller.changed.connect(_on_controller_changed)
