"""Templates and the prompt of the day (issue 19), on real journal files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from questionbook.core.errors import InvalidValue
from questionbook.core.prompt_texts import BUILTIN_PROMPTS
from questionbook.core.prompts import NO_REPEAT_DAYS, PromptNotFound, PromptService, choose
from questionbook.core.templates import (
    BUILTINS,
    TemplateNotFound,
    TemplateService,
    builtin_row_id,
)
from questionbook.i18n import set_language
from questionbook.services import Services
from questionbook.storage.connection import connect
from tests.conftest import FakeClock

# -- templates ----------------------------------------------------------------------------------


def test_every_kind_has_built_in_templates_in_both_languages(services: Services) -> None:
    templates = TemplateService(services.db)
    assert {t.kind for t in templates.templates()} == {"question", "plan", "note"}
    first = templates.pick("question")
    assert first is not None and first.id == "builtin:question"
    assert "What would count as an answer?" in first.body
    assert "Who has asked this before?" in first.body
    try:
        set_language("zh_CN")
        zh = templates.pick("question")
        assert zh is not None and zh.name != first.name and "答案" in zh.body
    finally:
        set_language("en")
    assert len(BUILTINS) >= 6


def test_add_edit_pick_and_delete(services: Services, clock: FakeClock) -> None:
    templates = TemplateService(services.db, clock=clock)
    mine = templates.add("note", "  Reading   notes ", "**Source:**\r\n\r\n**What stayed:**")
    assert (mine.name, mine.body, mine.kind) == (
        "Reading notes",
        "**Source:**\n\n**What stayed:**",
        "note",
    )
    assert [t.name for t in templates.templates("note")][-1] == "Reading notes"
    assert templates.get("reading NOTES") == mine == templates.get(mine.id[:6])
    with pytest.raises(InvalidValue, match="already"):
        templates.add("note", "reading notes")
    with pytest.raises(InvalidValue, match="name"):
        templates.add("note", "   ")
    with pytest.raises(InvalidValue):
        templates.add("poem", "Haiku")
    templates.make_default(mine.id)
    assert templates.pick("note") == templates.get(mine.id)
    assert templates.pick("note", "Daily note").builtin == "note-day"  # type: ignore[union-attr]
    moved = templates.edit(mine.id, kind="question", body="**Source?**")
    assert (moved.kind, moved.body) == ("question", "**Source?**")
    templates.delete(mine.id)
    with pytest.raises(TemplateNotFound):
        templates.get(mine.id)


def test_built_ins_are_replaced_by_edits_and_come_back_on_reset(
    services: Services, clock: FakeClock
) -> None:
    templates = TemplateService(services.db, clock=clock)
    edited = templates.edit("builtin:plan", name="My plan", body="**Why?**")
    assert (edited.id, edited.name, edited.edited) == ("builtin:plan", "My plan", True)
    conn = connect(services.db.path)
    try:  # one row, with an id every device derives the same way
        stored = conn.execute("SELECT id, builtin, hidden FROM entry_template").fetchall()
    finally:
        conn.close()
    assert stored == [(builtin_row_id("plan"), "plan", 0)]
    templates.delete("Moonshot")
    assert [t.name for t in templates.templates("plan")] == ["My plan"]
    try:  # an edited built-in is the user's text now: it no longer follows the language
        set_language("zh_CN")
        assert templates.get("builtin:plan").name == "My plan"
    finally:
        set_language("en")
    templates.delete("builtin:plan")
    assert templates.templates("plan") == [] and templates.pick("plan") is None
    assert templates.reset() == 2
    assert [t.name for t in templates.templates("plan")] == ["A plan", "Moonshot"]


# -- prompts ------------------------------------------------------------------------------------


def test_there_are_enough_built_in_prompts_each_translated() -> None:
    assert len(BUILTIN_PROMPTS) >= 60
    assert len({k for k, _t in BUILTIN_PROMPTS}) == len(BUILTIN_PROMPTS)
    from questionbook.i18n import _

    try:
        set_language("zh_CN")
        untranslated = [t for _k, t in BUILTIN_PROMPTS if _(t) == t]
    finally:
        set_language("en")
    assert untranslated == []


def test_no_prompt_comes_back_within_a_month(services: Services, clock: FakeClock) -> None:
    service = PromptService(services.db, clock=clock, tz=UTC)
    seen: dict[str, date] = {}
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    for n in range(400):
        clock.now = start + timedelta(days=n)
        shown = service.for_today()
        assert shown is not None and shown.day == clock.now.date()
        last = seen.get(shown.prompt.key)
        assert last is None or (shown.day - last).days > NO_REPEAT_DAYS, (shown, last)
        seen[shown.prompt.key] = shown.day
        assert service.for_today() == shown  # the same all day
    assert len(seen) == len(BUILTIN_PROMPTS)  # a year uses every one of them


def test_the_choice_is_deterministic_from_the_date_and_the_memory() -> None:
    pool = [f"k{i}" for i in range(40)]
    day = date(2026, 3, 1)
    assert choose(day, pool, {}) == choose(day, list(reversed(pool)), {})
    shown = {choose(day, pool, {}): day - timedelta(days=3)}
    assert choose(day, pool, shown) not in shown  # shown three days ago: not again
    small = ["a", "b"]
    recent = {"a": day - timedelta(days=2), "b": day - timedelta(days=5)}
    assert choose(day, small, recent) == "b"  # every one was shown: the longest ago


def test_two_devices_with_the_same_memory_agree(services: Services, clock: FakeClock) -> None:
    here = PromptService(services.db, clock=clock, tz=ZoneInfo("Asia/Shanghai"))
    shown = here.for_today()
    there = PromptService(services.db, clock=clock, tz=ZoneInfo("Asia/Shanghai"))
    assert there.for_day(shown.day) == shown  # type: ignore[union-attr]
    assert here.for_day(shown.day + timedelta(days=1)) == there.for_day(  # type: ignore[union-attr]
        shown.day + timedelta(days=1)
    )


def test_own_prompts_and_the_switches(services: Services, clock: FakeClock) -> None:
    service = PromptService(services.db, clock=clock, tz=UTC)
    mine = service.add("  What did the   water cover this week? ")
    assert mine.text == "What did the water cover this week?" and not mine.builtin
    with pytest.raises(InvalidValue):
        service.add("what did the water cover this week?")
    with pytest.raises(InvalidValue):
        service.add(" ")
    with pytest.raises(InvalidValue):
        service.add("x" * 301)
    assert [p.key for p in service.prompts()] == [mine.key]
    assert len(service.prompts(include_builtin=True)) == len(BUILTIN_PROMPTS) + 1
    service.for_today()  # remembered with built-ins on
    only_mine = PromptService(services.db, clock=clock, tz=UTC, builtin=False)
    assert only_mine.for_today().prompt == mine  # type: ignore[union-attr]
    clock.now += timedelta(days=1)
    assert only_mine.for_today().prompt == mine  # type: ignore[union-attr]  # repeats: alone
    off = PromptService(services.db, clock=clock, tz=UTC, enabled=False)
    assert off.for_today() is None
    assert service.remove(mine.key[:5]) == mine
    with pytest.raises(PromptNotFound):
        service.remove(mine.key)
    assert only_mine.for_today() is None  # nothing left to show
    assert service.for_today() is not None  # the day's removed prompt is chosen anew


# -- in the lossless JSON --------------------------------------------------------------------


def test_json_export_carries_templates_and_own_prompts(tmp_path: Path) -> None:
    from questionbook.exchange.api import export_journal, import_path
    from questionbook.paths import AppPaths
    from questionbook.services import open_services

    def journal_at(name: str) -> Services:
        home = tmp_path / name
        return open_services(AppPaths(home, home / "config"), daily_backup=False)

    source, target = journal_at("a"), journal_at("b")
    try:
        clock = FakeClock()
        templates = TemplateService(source.db, clock=clock)
        mine = templates.add("plan", "Quarter plan", "**Goal:**")
        templates.edit("builtin:question", body="**Who else wonders?**")
        templates.delete("Moonshot")
        prompt = PromptService(source.db, clock=clock).add("What did the water cover?")
        out = tmp_path / "all.json"
        export_journal(source.journal, "json", out)
        report = import_path(target.journal, out)
        assert report.writing_added == 4  # one template, two built-ins changed, one prompt
        there = TemplateService(target.db)
        assert there.get(mine.id) == templates.get(mine.id)
        assert there.get("builtin:question").body == "**Who else wonders?**"
        assert "Moonshot" not in [t.name for t in there.templates("plan")]
        assert PromptService(target.db).prompts() == [prompt]
        again = import_path(target.journal, out)
        assert (again.writing_added, again.writing_updated) == (0, 0)
        clock.now += timedelta(hours=1)  # changed later in the source: the file's wins
        templates.edit(mine.id, body="**Goal, and why:**")
        export_journal(source.journal, "json", out)
        assert import_path(target.journal, out).writing_updated == 1
        assert there.get(mine.id).body == "**Goal, and why:**"
    finally:
        source.close()
        target.close()


def test_a_bad_template_in_a_file_is_one_clear_error() -> None:
    from questionbook.core.errors import ImportFormatError
    from questionbook.exchange.writing_json import parse_rows

    with pytest.raises(ImportFormatError, match="templates 1: missing 'kind'"):
        parse_rows({"templates": [{"id": "x", "name": "n"}]}, "f.json")
    with pytest.raises(ImportFormatError, match="'position' has the wrong type"):
        parse_rows(
            {
                "templates": [
                    {
                        "id": "x",
                        "kind": "note",
                        "name": "n",
                        "position": "first",
                        "created_at": "2026-01-01T00:00:00+00:00",
                        "updated_at": "2026-01-01T00:00:00+00:00",
                    }
                ]
            },
            "f.json",
        )
    assert parse_rows({}, "f.json") == {"templates": [], "prompts": []}
