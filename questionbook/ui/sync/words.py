"""How a conflict copy's place and field are said (in the current language, when shown)."""

from __future__ import annotations

from questionbook.i18n import _
from questionbook.sync.conflicts import Place


def field_label(table: str, name: str) -> str:
    """A field as the user knows it ("Title", "Reflection", "Note" ...)."""
    labels = {
        "title": _("Title"),
        "body": _("Text"),
        "outcome": _("Outcome"),
        "still_mine": _("Still mine"),
        "reflection": _("Reflection"),
        "note": _("Note"),
        "answer": _("Answer"),
        "prompt": _("Question asked"),
        "model": _("Model"),
        "name": _("Name"),
        "text": _("Text"),
    }
    if table == "prompt" and name == "text":
        return _("Prompt")
    return labels.get(name, name)


def place_text(place: Place) -> str:
    """What a conflict copy belongs to: “an entry's title”, the week's review, a template …"""
    if place.kind == "entry":
        return _("“{title}”").format(title=place.name) if place.name else _("A deleted entry")
    if place.kind == "review":
        return _("Weekly review {period}").format(period=place.name)
    if place.kind == "trial":
        return _("AI trial of “{title}”").format(title=place.name)
    if place.kind == "template":
        return _("Template “{name}”").format(name=place.name)
    if place.kind == "prompt":
        return _("Your prompt “{text}”").format(text=place.name)
    return place.name
