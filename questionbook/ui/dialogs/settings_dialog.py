"""The Settings dialog (Ctrl+,): every preference of the typed ``Settings`` object in one place.

Changes apply at once (no OK/Apply): each control writes through
:meth:`SettingsController.update`, which saves the INI and tells the rest of the app what
changed. That way closing the window never throws work away, and the theme, the editor font
and the language can be watched changing live: the dialog itself switches language with the
rest of the app (its texts are kept as source strings and set again on ``LanguageChange``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTime, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from questionbook.i18n import N_, _
from questionbook.ui.locale_format import day_name, locale_for
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import RANGES, SettingsController
from questionbook.ui.theme import editor_font

if TYPE_CHECKING:
    from questionbook.ui.privacy import PrivacyControl

#: Ctrl+, on every platform (Cmd+, on macOS); the platform's own Preferences key is added too.
SETTINGS_SHORTCUT = QKeySequence("Ctrl+,")


def settings_shortcuts() -> list[QKeySequence]:
    """Ctrl+, plus the platform's Preferences binding when it has one (none on generic Linux)."""
    keys = [SETTINGS_SHORTCUT]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences):
        if key not in keys:
            keys.append(key)
    return keys


def make_settings_action(parent: QWidget, trigger: Callable[[], object]) -> QAction:
    """A "Settings…" menu action bound to Ctrl+, that calls *trigger* (the main window's opener)."""
    action = QAction(_("Settings…"), parent)
    action.setShortcuts(settings_shortcuts())
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setStatusTip(_("Language, theme, editor font, weekly review and backups"))
    action.triggered.connect(lambda _checked=False: trigger())
    return action


def _language_choices() -> list[tuple[str, str]]:
    # Language names are shown in their own language so a user can always find theirs.
    return [("system", _("Follow the system")), ("en", "English"), ("zh_CN", "简体中文")]


def _theme_choices() -> list[tuple[str, str]]:
    return [("system", _("Follow the system")), ("light", _("Light")), ("dark", _("Dark"))]


def _set_item_texts(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
    for index, (_value, label) in enumerate(choices):
        combo.setItemText(index, label)


class SettingsDialog(QDialog):
    """Preferences, grouped as Appearance, Editor, Weekly review, Backups and Data."""

    def __init__(
        self,
        controller: SettingsController,
        data_dir: Path,
        parent: QWidget | None = None,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
        privacy: PrivacyControl | None = None,
    ) -> None:
        """*privacy* adds the Privacy tab (the journal's encryption; issue 15)."""
        super().__init__(parent)
        self._privacy = privacy
        self._controller = controller
        self._data_dir = Path(data_dir)
        self._open_url = open_url
        self._texts = Texts()
        self._texts.set(self.setWindowTitle, N_("Settings"))
        self.setObjectName("settingsDialog")
        self._build()
        self._load()
        self._connect()

    # ----------------------------------------------------------------- layout
    def _build(self) -> None:
        self.language = QComboBox()
        for value, label in _language_choices():
            self.language.addItem(label, value)
        self.theme = QComboBox()
        for value, label in _theme_choices():
            self.theme.addItem(label, value)

        self.font_family = QFontComboBox()
        self.font_size = QSpinBox()
        self.font_size.setRange(*RANGES["editor_font_size"])
        self._texts.set(self.font_size.setSuffix, N_(" pt"))
        self.font_default = QPushButton()
        self._texts.set(self.font_default.setText, N_("Use default font"))

        self.review_day = QComboBox()
        for iso in range(1, 8):
            self.review_day.addItem("", iso)
        self._show_day_names()
        self.review_time = QTimeEdit()
        self.review_time.setDisplayFormat("HH:mm")
        self.reminders = QCheckBox()
        self._texts.set(
            self.reminders.setText, N_("Remind me when it is time for the weekly review")
        )

        self.backup_daily = self._spin("backup_daily")
        self.backup_weekly = self._spin("backup_weekly")
        self.backup_monthly = self._spin("backup_monthly")

        self.attachment_max = QSpinBox()
        self.attachment_max.setRange(*RANGES["attachment_max_mb"])
        self._texts.set(self.attachment_max.setSuffix, N_(" MB"))

        self.data_folder = QLineEdit(str(self._data_dir))
        self.data_folder.setReadOnly(True)
        self.data_folder.setToolTip(str(self._data_dir))
        self.data_folder.setMinimumWidth(260)
        self.open_folder = QPushButton()
        self._texts.set(self.open_folder.setText, N_("Open folder"))
        for button in (self.font_default, self.open_folder):
            button.setAutoDefault(False)  # Enter in the dialog means Close, not these

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        appearance = self._group(
            N_("Appearance"),
            [
                (N_("&Language:"), self.language, None),
                (N_("&Theme:"), self.theme, None),
            ],
        )
        font_row = self._row(self.font_family, self.font_size, self.font_default)
        editor = self._group(
            N_("Editor"),
            [(N_("Editor &font:"), font_row, self.font_family)],
        )
        review = self._group(
            N_("Weekly review"),
            [
                (N_("Review &day:"), self.review_day, None),
                (N_("Review t&ime:"), self.review_time, None),
                (None, self.reminders, None),
            ],
        )
        backups = self._group(
            N_("Backups"),
            [
                (N_("Keep d&aily backups:"), self.backup_daily, None),
                (N_("Keep &weekly backups:"), self.backup_weekly, None),
                (N_("Keep &monthly backups:"), self.backup_monthly, None),
            ],
        )
        folder_row = self._row(self.data_folder, self.open_folder)
        data = self._group(
            N_("Data"),
            [
                (N_("Data f&older:"), folder_row, self.data_folder),
                (N_("Lar&gest attachment:"), self.attachment_max, None),
            ],
        )

        general = QWidget()
        general_layout = QVBoxLayout(general)
        for box in (appearance, editor, review, backups, data):
            general_layout.addWidget(box)
        general_layout.addStretch(1)
        from questionbook.ui.dialogs.settings_ai import AiSettingsPage

        self.ai_page = AiSettingsPage(self._controller)
        self.pages = QTabWidget()
        self.pages.setObjectName("settingsPages")
        self.pages.addTab(general, "")
        self.pages.addTab(self.ai_page, "")
        self._texts.set(lambda text: self.pages.setTabText(0, text), N_("General"))
        self._texts.set(lambda text: self.pages.setTabText(1, text), N_("AI"))
        if self._privacy is not None:
            from questionbook.ui.dialogs.settings_privacy import PrivacySettingsPage

            self.privacy_page = PrivacySettingsPage(self._privacy)
            self.privacy_page.journal_replaced.connect(self.accept)
            self.pages.addTab(self.privacy_page, "")
            self._texts.set(lambda text: self.pages.setTabText(2, text), N_("Privacy"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)

        self._name(self.language, "language", N_("Language"))
        self._name(self.theme, "theme", N_("Theme"))
        self._name(self.font_family, "editor_font", N_("Editor font"))
        self._name(self.font_size, "editor_font_size", N_("Editor font size"))
        self._name(self.font_default, "use_default_font", N_("Use default font"))
        self._name(self.review_day, "review_day", N_("Review day"))
        self._name(self.review_time, "review_time", N_("Review time"))
        self._name(self.reminders, "weekly_review_reminders", N_("Weekly review reminders"))
        self._name(self.backup_daily, "daily_backups_to_keep", N_("Daily backups to keep"))
        self._name(self.backup_weekly, "weekly_backups_to_keep", N_("Weekly backups to keep"))
        self._name(self.backup_monthly, "monthly_backups_to_keep", N_("Monthly backups to keep"))
        self._name(self.data_folder, "data_folder", N_("Data folder"))
        self._name(self.open_folder, "open_data_folder", N_("Open data folder"))
        self._name(self.attachment_max, "attachment_max_mb", N_("Largest attachment"))
        self._texts.set(
            self.attachment_max.setToolTip,
            N_("Pictures and files larger than this are not attached (they live in the journal)"),
        )
        self._texts.set(
            self.font_size.setAccessibleDescription, N_("Size of the editor font in points")
        )
        self._texts.set(
            self.open_folder.setToolTip, N_("Show the journal and its backups in the file manager")
        )

        order = [
            self.language,
            self.theme,
            self.font_family,
            self.font_size,
            self.font_default,
            self.review_day,
            self.review_time,
            self.reminders,
            self.backup_daily,
            self.backup_weekly,
            self.backup_monthly,
            self.data_folder,
            self.open_folder,
            self.attachment_max,
            self.buttons,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def add_page(self, widget: QWidget, title: str) -> None:
        """Add a tab (Sync ...) after the others; *title* is marked with ``N_`` and shown in
        the current language."""
        index = self.pages.addTab(widget, "")
        self._texts.set(lambda text: self.pages.setTabText(index, text), title)

    def show_page(self, widget: QWidget) -> None:
        """Open on the tab of *widget* (the sync indicator opens Settings → Sync)."""
        self.pages.setCurrentWidget(widget)

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(*RANGES[name])
        self._texts.set(spin.setSpecialValueText, N_("none"))
        return spin

    def _name(self, widget: QWidget, object_name: str, accessible: str) -> None:
        widget.setObjectName(object_name)
        self._texts.set(widget.setAccessibleName, accessible)

    def _show_day_names(self) -> None:
        loc = locale_for(None)
        for index in range(self.review_day.count()):
            self.review_day.setItemText(index, day_name(int(self.review_day.itemData(index)), loc))

    def changeEvent(self, event: QEvent) -> None:
        """The dialog switches language with the app, right under the user's eyes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            _set_item_texts(self.language, _language_choices())
            _set_item_texts(self.theme, _theme_choices())
            self._show_day_names()

    @staticmethod
    def _row(first: QWidget, *rest: QWidget) -> QWidget:
        """Controls side by side in one form row; the first takes the spare width."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(first, 1)
        for widget in rest:
            layout.addWidget(widget)
        return row

    def _group(
        self, title: str, rows: list[tuple[str | None, QWidget, QWidget | None]]
    ) -> QGroupBox:
        """A titled form (texts marked ``N_``); each label's mnemonic focuses its *buddy* (the
        row's first control)."""
        box = QGroupBox()
        self._texts.set(box.setTitle, title)
        form = QFormLayout(box)
        for label, widget, buddy in rows:
            if label is None:
                form.addRow(widget)
                continue
            text = QLabel()
            self._texts.set(text.setText, label)
            text.setBuddy(buddy or widget)
            form.addRow(text, widget)
        return box

    # ------------------------------------------------------------ load / save
    def _load(self) -> None:
        """Show the controller's values without writing them back."""
        s = self._controller.settings
        widgets: list[QWidget] = [
            self.language,
            self.theme,
            self.font_family,
            self.font_size,
            self.review_day,
            self.review_time,
            self.reminders,
            self.backup_daily,
            self.backup_weekly,
            self.backup_monthly,
            self.attachment_max,
        ]
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            self._select(self.language, s.language)
            self._select(self.theme, s.theme)
            # With no family chosen, show the default the editor really uses.
            family = s.editor_font_family or editor_font("", s.editor_font_size).family()
            self.font_family.setCurrentFont(QFont(family))
            self.font_size.setValue(s.editor_font_size)
            self._select(self.review_day, s.review_weekday)
            when = QTime.fromString(s.review_time, "HH:mm")
            self.review_time.setTime(when if when.isValid() else QTime(19, 0))
            self.reminders.setChecked(s.reminders)
            self.backup_daily.setValue(s.backup_daily)
            self.backup_weekly.setValue(s.backup_weekly)
            self.backup_monthly.setValue(s.backup_monthly)
            self.attachment_max.setValue(s.attachment_max_mb)
        finally:
            for widget, was in zip(widgets, blocked, strict=True):
                widget.blockSignals(was)
        self.font_default.setEnabled(bool(s.editor_font_family))

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _connect(self) -> None:
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.theme.currentIndexChanged.connect(
            lambda _i: self._controller.update(theme=self.theme.currentData())
        )
        self.font_family.currentFontChanged.connect(self._on_font_family_changed)
        self.font_size.valueChanged.connect(
            lambda v: self._controller.update(editor_font_size=int(v))
        )
        self.font_default.clicked.connect(self._on_font_default_clicked)
        self.review_day.currentIndexChanged.connect(
            lambda _i: self._controller.update(review_weekday=int(self.review_day.currentData()))
        )
        self.review_time.timeChanged.connect(
            lambda t: self._controller.update(review_time=t.toString("HH:mm"))
        )
        self.reminders.toggled.connect(lambda on: self._controller.update(reminders=bool(on)))
        for spin, name in (
            (self.backup_daily, "backup_daily"),
            (self.backup_weekly, "backup_weekly"),
            (self.backup_monthly, "backup_monthly"),
        ):
            spin.valueChanged.connect(
                lambda v, name=name: self._controller.update(**{name: int(v)})
            )
        self.attachment_max.valueChanged.connect(
            lambda v: self._controller.update(attachment_max_mb=int(v))
        )
        self.open_folder.clicked.connect(self._on_open_folder_clicked)

    def _on_language_changed(self, _index: int) -> None:
        self._controller.update(language=str(self.language.currentData()))

    def _on_font_family_changed(self, font: QFont) -> None:
        self._controller.update(editor_font_family=font.family())
        self.font_default.setEnabled(True)

    def _on_font_default_clicked(self) -> None:
        self._controller.update(editor_font_family="")
        self.font_default.setEnabled(False)

    def _on_open_folder_clicked(self) -> None:
        self._data_dir.mkdir(parents=True, exist_ok=True)
        self._open_url(QUrl.fromLocalFile(str(self._data_dir)))
