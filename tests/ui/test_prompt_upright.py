"""Chinese is never drawn in italics: Qt has no Chinese italic and slants the glyphs (issue 22)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from questionbook.i18n import current_language, is_wide, set_language
from questionbook.paths import AppPaths
from questionbook.services import Services
from tests.ui.writing_helpers import assembled_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_prompt_of_the_day_is_upright_in_chinese(
    qtbot, services: Services, app_paths: AppPaths, lang: str
) -> None:
    previous = current_language()
    set_language(lang)
    try:
        with assembled_window(qtbot, services, app_paths) as (window, _features, _c):
            label = window.findChild(QLabel, "promptText")
            assert label is not None
            qtbot.waitUntil(lambda: bool(label.text()))
            chinese = any(is_wide(c) for c in label.text())
            assert chinese is (lang == "zh_CN")
            assert label.font().italic() is not chinese
    finally:
        set_language(previous)
