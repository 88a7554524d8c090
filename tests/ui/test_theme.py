"""Themes: palettes for light and dark, "system" following the platform, one QSS, CJK fonts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit

from questionbook.ui import theme
from questionbook.ui.theme import (
    CJK_FALLBACK_FAMILIES,
    apply_fonts,
    apply_theme,
    current_theme,
    dark_palette,
    editor_font,
    is_dark,
    light_palette,
    resolve_theme,
    with_cjk_fallback,
)

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp: QApplication):
    """The test app, with its palette, style sheet and font restored afterwards."""
    palette, sheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    yield qapp
    qapp.setProperty("questionbook_theme", None)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_light_and_dark_palettes_are_readable_and_distinct() -> None:
    light, dark = light_palette(), dark_palette()
    assert not is_dark(light) and is_dark(dark)
    for palette in (light, dark):
        text = palette.color(Role.Text).lightness()
        base = palette.color(Role.Base).lightness()
        assert abs(text - base) > 150, "text must stand out from its background"
        assert palette.color(Role.Highlight).hue() in range(190, 215), "water-blue accent"


def test_apply_dark_then_light(app: QApplication, qtbot) -> None:
    assert apply_theme(app, "dark") == "dark"
    assert is_dark(app.palette()) and current_theme(app) == "dark"
    edit = QLineEdit()
    qtbot.addWidget(edit)
    assert is_dark(edit.palette()), "widgets inherit the dark palette"
    assert apply_theme(app, "light") == "light"
    assert not is_dark(app.palette())
    assert app.property("questionbook_style") == "Fusion"


def test_stylesheet_is_loaded_and_uses_palette_roles(app: QApplication) -> None:
    apply_theme(app, "light")
    sheet = app.styleSheet()
    assert "QToolTip" in sheet and "palette(highlight)" in sheet
    assert "#" not in sheet.split("*/", 1)[1], "colours belong in the palette, not the QSS"


def test_system_headless_is_light(app: QApplication) -> None:
    assert QApplication.styleHints().colorScheme() == Qt.ColorScheme.Unknown
    assert resolve_theme("system") == "light"
    assert apply_theme(app, "system") == "light"
    assert resolve_theme("nonsense") == "light"


def test_system_follows_platform_changes(app: QApplication, monkeypatch) -> None:
    apply_theme(app, "system")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_theme(app) == "dark" and is_dark(app.palette())
    apply_theme(app, "light")  # an explicit choice stops following the system
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_theme(app) == "light"


def test_cjk_fallback_keeps_ui_font_first() -> None:
    base = QFont("DejaVu Sans", 10)
    font = with_cjk_fallback(base)
    families = font.families()
    assert families[0] == "DejaVu Sans"
    assert families[1:] == list(CJK_FALLBACK_FAMILIES)
    assert font.pointSize() == 10
    assert with_cjk_fallback(font).families() == families, "applying twice adds nothing"


def test_apply_fonts_sets_app_font(app: QApplication) -> None:
    font = apply_fonts(app)
    assert "Noto Sans CJK SC" in app.font().families()
    assert font.families() == app.font().families()


def test_editor_font_clamps_size_and_has_fallback() -> None:
    font = editor_font("", 200)
    assert font.pointSize() == 72
    assert "Noto Sans CJK SC" in font.families()
    assert editor_font("DejaVu Sans Mono", 13).families()[0] == "DejaVu Sans Mono"
