"""No menu has two items with the same accelerator, in English or Chinese (issue 22).

Alt+B in File opened "Back Up Now" or "Restore from Backup", whichever Qt found first; in
Chinese 查找(&F) and 打磨(&F) shared Edit's F. This walks every menu of the window as the app
builds it (features included) in both languages.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtWidgets import QMenu

from questionbook.i18n import current_language, set_language
from questionbook.services import Services
from questionbook.ui.screenshots import screenshot_window

_MNEMONIC = re.compile(r"&([^&])")


def accelerator(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def clashes(menu: QMenu, path: str) -> list[str]:
    seen: dict[str, list[str]] = defaultdict(list)
    out: list[str] = []
    for act in menu.actions():
        if act.isSeparator() or not act.isVisible():
            continue
        key = accelerator(act.text())
        if key:
            seen[key].append(act.text())
        if act.menu() is not None:
            out += clashes(act.menu(), f"{path} › {act.text()}")  # type: ignore[arg-type]
    out += [f"{path}: {' / '.join(texts)}" for key, texts in seen.items() if len(texts) > 1]
    return out


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_no_menu_shares_an_accelerator(qtbot, services: Services, lang: str) -> None:
    previous = current_language()
    set_language(lang)
    try:
        window = screenshot_window(services)
        qtbot.addWidget(window)
        bar = window.menuBar()
        menus = [a.menu() for a in bar.actions() if a.menu() is not None]
        assert len(menus) >= 4
        found = []
        titles: dict[str, list[str]] = defaultdict(list)
        for act in bar.actions():
            if (key := accelerator(act.text())) is not None:
                titles[key].append(act.text())
            if act.menu() is not None:
                found += clashes(act.menu(), act.text())
        found += [f"menu bar: {' / '.join(t)}" for t in titles.values() if len(t) > 1]
        items = sum(len(m.actions()) for m in menus)
        assert items > 15, items  # the features' actions are there too
        assert not found, "\n".join(found)
    finally:
        set_language(previous)
