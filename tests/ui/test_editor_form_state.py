"""The editor's saving rules, without widgets: only what changed is written."""

from __future__ import annotations

from dataclasses import replace

from questionbook.ui.widgets.editor.form_state import FormState, changes_between

BASE = FormState(
    title="Title",
    body="Body",
    outcome="",
    kind="question",
    status="open",
    starred=False,
    created_ms=1_700_000_000_000,
)


def test_nothing_changed_writes_nothing() -> None:
    assert changes_between(BASE, BASE) == {}


def test_only_changed_fields_are_written() -> None:
    now = replace(BASE, body="New body", starred=True)
    assert changes_between(BASE, now) == {"body": "New body", "starred": True}


def test_an_empty_title_is_not_written() -> None:
    assert changes_between(BASE, replace(BASE, title="  ")) == {}


def test_a_kind_change_lets_the_journal_choose_the_status() -> None:
    now = replace(BASE, kind="plan", status="answered")
    assert changes_between(BASE, now) == {"kind": "plan"}


def test_creation_time_counts_to_the_minute_shown() -> None:
    assert changes_between(BASE, replace(BASE, created_ms=BASE.created_ms + 1_000)) == {}
    later = replace(BASE, created_ms=BASE.created_ms + 60_000)
    assert changes_between(BASE, later) == {"created_at": later.created_at}


def test_tag_edits_are_passed_on() -> None:
    assert changes_between(BASE, BASE, ["a"], ["b"]) == {"add_tags": ["a"], "remove_tags": ["b"]}
