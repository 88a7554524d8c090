"""The screenshot tool writes a PNG of each main view (Chinese, dark theme here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from questionbook.i18n import current_language, set_language
from questionbook.ui.screenshots import take_screenshots

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_screenshots_are_written(qapp: QApplication, tmp_path: Path) -> None:
    saved = (
        current_language(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
        qapp.style().name(),
    )
    try:
        paths = take_screenshots(tmp_path / "shots", "zh_CN", "dark")
    finally:
        set_language(saved[0])
        qapp.setStyle(saved[4])
        qapp.setPalette(saved[1])
        qapp.setStyleSheet(saved[2])
        qapp.setFont(saved[3])
    names = {p.name for p in paths}
    assert names == {
        "today.png",
        "all-entry.png",
        "search.png",
        "hardness-picker.png",
        "trash.png",
        "welcome.png",
    }
    image = QImage(str(tmp_path / "shots" / "all-entry.png"))
    assert image.width() >= 1200 and image.height() >= 700
    # the dark theme really applied: the top-left window background is dark
    assert image.pixelColor(5, image.height() // 2).lightness() < 100


def test_evidence_screenshots_are_written(qapp: QApplication, tmp_path: Path) -> None:
    """The evidence tool drives the whole window: Evidence section, Ask AI against its own
    loopback server, Settings → AI, the review's waterline step, Insights and Still mine."""
    from questionbook.ui.evidence_screenshots import take_screenshots as take_evidence

    saved = (qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name())
    try:
        paths = take_evidence(tmp_path / "shots", "en", "light")
    finally:
        set_language("en")
        qapp.setStyle(saved[3])
        qapp.setPalette(saved[0])
        qapp.setStyleSheet(saved[1])
        qapp.setFont(saved[2])
    assert {p.name for p in paths} == {
        f"{name}-en-light.png"
        for name in (
            "evidence-editor",
            "evidence-editor-800x600",
            "ask-ai",
            "evidence-editor-trials",
            "settings-ai",
            "review-waterline-flood",
            "insights-evidence",
            "still-mine",
        )
    }
    assert all(not QImage(str(p)).isNull() for p in paths)


def test_the_screenshots_show_the_real_sidebar(qapp: QApplication, tmp_path: Path) -> None:
    """The README's pictures come from the window the app builds: Weekly review and Insights
    are in its sidebar (issue 12)."""
    from questionbook.demo import create_demo_services
    from questionbook.ui.screenshots import screenshot_window
    from tests.ui.parts import sidebar_of

    services = create_demo_services(tmp_path / "demo")
    try:
        window = screenshot_window(services)
        keys = sidebar_of(window).keys()  # type: ignore[arg-type]
        assert "review" in keys and "insights" in keys
        assert sidebar_of(window).title_of("review") == "Weekly review"  # type: ignore[arg-type]
        window.close()  # type: ignore[attr-defined]
        window.deleteLater()  # type: ignore[attr-defined]
    finally:
        services.close()


def test_picture_and_link_screenshots_are_written(qapp: QApplication, tmp_path: Path) -> None:
    """Issue 18: the demo's morning note with its picture, chip and "Linked from", at full
    size and at 800×600, and the ``[[`` completion."""
    from questionbook.ui.pictures_screenshots import take_screenshots as take_pictures

    saved = (qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name())
    try:
        paths = take_pictures(tmp_path / "shots", "en", "light")
    finally:
        set_language("en")
        qapp.setStyle(saved[3])
        qapp.setPalette(saved[0])
        qapp.setStyleSheet(saved[1])
        qapp.setFont(saved[2])
    assert {p.name for p in paths} == {
        "pictures-links-en-light.png",
        "pictures-links-800x600-en-light.png",
        "link-completion-en-light.png",
    }
    image = QImage(str(tmp_path / "shots" / "pictures-links-en-light.png"))
    assert image.width() >= 1200 and image.height() >= 700
