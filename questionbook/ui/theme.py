"""Light and dark themes from palettes plus one small QSS, and a CJK-aware application font.

Why palettes first: every Qt widget (and every dialog we never styled, such as QFileDialog)
draws from ``QPalette``, so a palette gives a complete, consistent theme; the QSS in
``resources/styles/base.qss`` only adds spacing and a few accents and refers to colours through
``palette(role)``, so one file serves both themes. We use the Fusion style because it honours
the palette on every platform (native Windows/macOS styles partly ignore it).

"system" follows ``QStyleHints.colorScheme()`` and keeps following it while the app runs;
headless (offscreen) platforms report ``Unknown``, which we treat as light.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")

#: The calm water-blue accent, and its brighter twin for dark backgrounds.
ACCENT_LIGHT = "#2f7fb5"
ACCENT_DARK = "#5aa9dc"

#: Families tried after the platform's UI font for characters it lacks (Han, kana, hangul).
#: Simplified-Chinese cuts come first so shared Han characters get mainland glyph forms.
CJK_FALLBACK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
)

_THEME_PROPERTY = "questionbook_theme"
_FOLLOWING_PROPERTY = "questionbook_follows_system"
_STYLE_PROPERTY = "questionbook_style"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT: dict[QPalette.ColorRole, str] = {
    Role.Window: "#f4f6f8",
    Role.WindowText: "#1d2630",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#eef2f6",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1d2630",
    Role.PlaceholderText: "#7b8794",
    Role.Text: "#1d2630",
    Role.Button: "#eaeef2",
    Role.ButtonText: "#1d2630",
    Role.BrightText: "#c0392b",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e8ed",
    Role.Mid: "#c5ced7",
    Role.Dark: "#8e9aa6",
    Role.Shadow: "#5c6873",
    Role.Highlight: ACCENT_LIGHT,
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1f6fa6",
    Role.LinkVisited: "#5b5ea6",
    Role.Accent: ACCENT_LIGHT,
}

_DARK: dict[QPalette.ColorRole, str] = {
    Role.Window: "#1b2129",
    Role.WindowText: "#e3e8ee",
    Role.Base: "#12171d",
    Role.AlternateBase: "#1f2731",
    Role.ToolTipBase: "#253040",
    Role.ToolTipText: "#e3e8ee",
    Role.PlaceholderText: "#7f8b98",
    Role.Text: "#e3e8ee",
    Role.Button: "#262e38",
    Role.ButtonText: "#e3e8ee",
    Role.BrightText: "#ff7b6b",
    Role.Light: "#39434f",
    Role.Midlight: "#2f3842",
    Role.Mid: "#222a33",
    Role.Dark: "#0d1116",
    Role.Shadow: "#000000",
    Role.Highlight: ACCENT_DARK,
    Role.HighlightedText: "#0b1620",
    Role.Link: "#7cc0ea",
    Role.LinkVisited: "#a9a4e6",
    Role.Accent: ACCENT_DARK,
}


def _palette(colors: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (Role.Text, Role.WindowText, Role.ButtonText, Role.HighlightedText):
        palette.setColor(Group.Disabled, role, QColor(disabled_text))
    palette.setColor(Group.Disabled, Role.Highlight, QColor(colors[Role.Mid]))
    return palette


def light_palette() -> QPalette:
    """The light theme: paper-white bases, dark slate text, water-blue accent."""
    return _palette(_LIGHT, "#9aa5b1")


def dark_palette() -> QPalette:
    """The dark theme: deep-water greys, soft light text, a brighter blue accent."""
    return _palette(_DARK, "#5f6b78")


def system_prefers_dark() -> bool:
    """True only when the platform positively says dark (``Unknown`` headless means light)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(theme: str) -> str:
    """``"light"`` or ``"dark"`` for a setting value; unknown values behave like "system"."""
    if theme in ("light", "dark"):
        return theme
    return "dark" if system_prefers_dark() else "light"


def stylesheet_text() -> str:
    """The shared QSS (empty when the resources are missing, so the app still starts)."""
    try:
        from questionbook.ui.resources import stylesheet
    except ImportError:  # pragma: no cover - the locator is part of the package
        return ""
    try:
        return stylesheet("base")
    except FileNotFoundError:
        return ""


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply *theme* ("system", "light" or "dark") to *app*; returns the resolved look.

    With "system" the app also re-applies itself when the platform's colour scheme changes.
    """
    theme = theme if theme in THEMES else "system"
    resolved = resolve_theme(theme)
    app.setProperty(_THEME_PROPERTY, theme)
    if app.property(_STYLE_PROPERTY) != "Fusion":  # once: setStyle re-polishes everything
        app.setStyle("Fusion")
        app.setProperty(_STYLE_PROPERTY, "Fusion")
    app.setPalette(dark_palette() if resolved == "dark" else light_palette())
    app.setStyleSheet(stylesheet_text())
    app.setProperty("questionbook_resolved_theme", resolved)
    if not app.property(_FOLLOWING_PROPERTY):
        app.setProperty(_FOLLOWING_PROPERTY, True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _on_system_scheme(app))
    return resolved


def current_theme(app: QApplication) -> str:
    """The resolved look ("light" or "dark") last applied to *app*."""
    return str(app.property("questionbook_resolved_theme") or "light")


def _on_system_scheme(app: QApplication) -> None:
    if app.property(_THEME_PROPERTY) == "system":
        apply_theme(app, "system")


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is dark: widgets use it to pick icon colours."""
    return palette.color(Role.Window).lightness() < 128


def with_cjk_fallback(font: QFont) -> QFont:
    """*font* with its family first and the CJK fallback families after it.

    Latin text keeps the platform's UI font; characters it lacks fall through to a font that
    has them instead of showing boxes or a random face.
    """
    result = QFont(font)
    families = [f for f in font.families() or [font.family()] if f]
    for family in CJK_FALLBACK_FAMILIES:
        if family not in families:
            families.append(family)
    result.setFamilies(families)
    return result


def apply_fonts(app: QApplication) -> QFont:
    """Give the application font a CJK fallback chain; returns the font set."""
    font = with_cjk_fallback(app.font())
    app.setFont(font)
    return font


def editor_font(family: str, size: int) -> QFont:
    """The editor's font from the settings: fixed-pitch default, CJK fallback, sane size.

    The platform's fixed font is often an alias ("monospace") that only fontconfig knows; in
    a list of families Qt skips such a name and would take the first CJK fallback, a
    proportional face. So the alias is resolved to the real family first.
    """
    from PySide6.QtGui import QFontDatabase, QFontInfo

    if family:
        base = QFont(family)
    else:
        base = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        base.setStyleHint(QFont.StyleHint.TypeWriter)
    font = QFont(QFontInfo(base).family())
    font.setStyleHint(base.styleHint())
    font.setPointSize(max(6, min(int(size), 72)))
    return with_cjk_fallback(font)
