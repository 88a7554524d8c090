"""The GUI's handle on the one :class:`~questionbook.settings.Settings` object.

Every preference is written through :meth:`SettingsController.update`, which validates, saves
the INI at once (so a crash never loses a preference) and emits
:attr:`SettingsController.changed` with the names of the fields that really changed.

How a setting reaches a widget: the widget holds the controller and reads the value when it
uses it (``controller.get("review_weekday")``, or ``controller.settings`` for a snapshot of
all of them), never a copy taken at start-up, which would go stale. A widget that must act
when a value changes (re-colour, re-font) subscribes with :meth:`SettingsController.subscribe`,
naming the fields it cares about (like qutebrowser's ``config.change_filter``); the
subscription belongs to the widget and ends when the widget is deleted, so a rebuilt window
leaves no handler behind that would touch deleted widgets.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
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
    "ai_timeout": (5, 600),
    "attachment_max_mb": (1, 2048),
}


class SettingsController(QObject):
    """Holds the settings, persists every change, and announces what changed."""

    changed = Signal(set)
    """Fields whose values changed (a ``set[str]`` of ``Settings`` field names)."""

    def __init__(
        self, path: Path | None, settings: Settings | None = None, parent: QObject | None = None
    ) -> None:
        """*path* ``None`` keeps the settings in memory only (tests, a window on its own)."""
        super().__init__(parent)
        self._path = Path(path) if path is not None else None
        if settings is None:
            settings = load_settings(self._path) if self._path is not None else Settings()
        self._settings = settings

    @property
    def path(self) -> Path | None:
        """The INI file the settings are saved to (``None``: not saved)."""
        return self._path

    @property
    def settings(self) -> Settings:
        """A copy of the current settings: change them only through :meth:`update`."""
        return dataclasses.replace(self._settings)

    def subscribe(
        self, owner: QObject, names: Iterable[str], slot: Callable[[set[str]], object]
    ) -> QObject:
        """Call *slot* with the changed names whenever one of *names* changes, for as long as
        *owner* lives. Returns the subscription (a child of *owner*; delete it to stop)."""
        wanted = set(names)
        unknown = wanted - _FIELDS.keys()
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return _Subscription(self, owner, wanted, slot)

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
        if self._path is None:
            self.changed.emit(set(changed))
            return changed
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
        if self._path is None:
            return set()
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


class _Subscription(QObject):
    """A filtered connection to :attr:`SettingsController.changed` owned by a widget.

    The signal is connected to a method of this object, a child of the owner, so Qt breaks
    the connection when the owner (and with it this object) is deleted.
    """

    def __init__(
        self,
        controller: SettingsController,
        owner: QObject,
        names: set[str],
        slot: Callable[[set[str]], object],
    ) -> None:
        super().__init__(owner)
        self._names = names
        self._slot = slot
        controller.changed.connect(self._on_controller_changed)

    def _on_controller_changed(self, names: set[str]) -> None:
        hits = names & self._names
        if hits:
            self._slot(hits)


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
    """Apply theme and language changes to the whole running app at once.

    A new theme sets the application palette: every widget gets a ``PaletteChange`` event and
    re-colours its icons. A new language switches the gettext catalog, Qt's own catalog and
    the locale, then sends every widget a ``LanguageChange`` event: each sets its texts again
    (its ``retranslate``), so the switch is complete without a restart.
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
            announce_language_change(app)

    controller.changed.connect(_on_controller_changed)


def announce_language_change(app: QCoreApplication) -> None:
    """Send ``LanguageChange`` to every top-level widget now (they pass it to their children).

    Installing a Qt translator posts one too, but not when the language needs no Qt catalog
    (English), and a posted event arrives later: sending it here makes the switch immediate.
    """
    if not isinstance(app, QApplication):
        return
    for widget in app.topLevelWidgets():
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
