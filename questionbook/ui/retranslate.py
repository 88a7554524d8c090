"""Widgets that say their texts again when the language changes while the app runs.

Switching the language sends every widget a ``LanguageChange`` event
(:func:`~questionbook.ui.settings_controller.announce_language_change`). A widget with texts
that never change (headings, button labels, tooltips) records each one once with its source
string, marked ``N_`` for extraction, in a :class:`Texts`; on the event it calls
:meth:`Texts.retranslate`, and only the texts that depend on data (counts, titles) need code
of their own.
"""

from __future__ import annotations

from collections.abc import Callable

from questionbook.i18n import _


class Texts:
    """Remembers which setter shows which source text, to set them all again."""

    def __init__(self) -> None:
        self._items: list[tuple[Callable[[str], object], str]] = []

    def set(self, setter: Callable[[str], object], source: str) -> None:
        """Show ``_(source)`` through *setter* now and after every language switch."""
        self._items.append((setter, source))
        setter(_(source))

    def retranslate(self) -> None:
        """Set every recorded text again in the current language."""
        for setter, source in self._items:
            setter(_(source))
