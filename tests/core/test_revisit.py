"""Revisit on a date (issue 19): a local calendar day the user chose, due with ``revisit``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from questionbook.core.due_query import DueQuery
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.core.schedule import ScheduleFacts, due_reasons, reason_label
from questionbook.core.timeutil import parse_date
from questionbook.exchange.json_export import export_json
from questionbook.exchange.json_format import read_json
from questionbook.exchange.vault import export_vault, read_vault
from questionbook.services import Services
from questionbook.storage.connection import connect
from tests.conftest import FakeClock

AUCKLAND = ZoneInfo("Pacific/Auckland")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_a_revisit_day_is_stored_as_a_day_and_cleared_with_none(
    services: Services, clock: FakeClock
) -> None:
    journal = Journal(services.db, clock=clock, tz=AUCKLAND)
    entry = journal.add("Ask me again on 1 March")
    saved = journal.update(entry.id, revisit="2027-03-01")
    assert saved.revisit_on == date(2027, 3, 1) == journal.get(entry.id).revisit_on
    conn = connect(services.db.path)
    try:  # the stored form is the day itself, not an instant in some zone
        stored = conn.execute("SELECT revisit_on FROM entry WHERE id = ?", (entry.id,))
        assert stored.fetchone()[0] == "2027-03-01"
    finally:
        conn.close()
    assert journal.get(entry.id).to_json()["revisit_on"] == "2027-03-01"
    assert journal.update(entry.id, revisit="none").revisit_on is None
    assert journal.get(entry.id).to_json()["revisit_on"] is None
    # "+30d" counts from the journal's own local day (Auckland is already on 26 November)
    assert journal.update(entry.id, revisit="+30d").revisit_on == date(2026, 12, 26)
    assert journal.update(entry.id, revisit=date(2026, 11, 26)).revisit_on == date(2026, 11, 26)


def test_a_day_that_has_passed_is_refused_and_nothing_changes(
    services: Services, clock: FakeClock
) -> None:
    journal = Journal(services.db, clock=clock, tz=UTC)
    entry = journal.add("Ask me again")
    journal.update(entry.id, revisit="2027-01-10")
    for bad in ("2026-11-24", "yesterday", "-3d"):
        with pytest.raises(InvalidValue, match="has passed"):
            journal.update(entry.id, revisit=bad, title="changed")
    with pytest.raises(InvalidValue, match="not a date"):
        journal.update(entry.id, revisit="1 March")
    kept = journal.get(entry.id)
    assert (kept.title, kept.revisit_on) == ("Ask me again", date(2027, 1, 10))
    assert journal.update(entry.id, revisit="today").revisit_on == date(2026, 11, 25)


def test_relative_days_ahead() -> None:
    today = date(2026, 1, 31)
    assert parse_date("+3d", today=today) == date(2026, 2, 3)
    assert parse_date("+2w", today=today) == date(2026, 2, 14)
    assert parse_date("+1m", today=today) == date(2026, 2, 28)  # no 31 February
    assert parse_date("+13m", today=today) == date(2027, 2, 28)
    assert parse_date("+1y", today=date(2024, 2, 29)) == date(2025, 2, 28)
    assert parse_date("-3d", today=today) == date(2026, 1, 28)
    with pytest.raises(InvalidValue):
        parse_date("-3w", today=today)
    with pytest.raises(InvalidValue):
        parse_date("+99999y", today=today)


def _facts(**kw: object) -> ScheduleFacts:
    created = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    base: dict[str, object] = dict(
        kind="question", status="open", hardness=3, created_at=created, updated_at=created
    )
    return ScheduleFacts(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("tz", [AUCKLAND, NEW_YORK, UTC])
def test_due_from_the_first_moment_of_the_local_day(tz: ZoneInfo) -> None:
    facts = _facts(revisit_on=date(2026, 12, 1))
    midnight = datetime(2026, 12, 1, tzinfo=tz).astimezone(UTC)
    assert due_reasons(facts, midnight - timedelta(microseconds=1), 1, tz) == ()
    assert due_reasons(facts, midnight, 1, tz) == ("revisit",)
    assert due_reasons(facts, midnight + timedelta(days=40), 1, tz) == ("resurface", "revisit")


def test_a_chosen_day_brings_back_closed_and_sealed_entries_but_not_snoozed_ones() -> None:
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    day = date(2026, 12, 1)
    assert due_reasons(_facts(status="answered", revisit_on=day), now, 1, UTC) == ("revisit",)
    assert due_reasons(_facts(seal_level=4, revisit_on=day), now, 1, UTC) == ("revisit",)
    snoozed = _facts(revisit_on=day, snoozed_until=now + timedelta(hours=1))
    assert due_reasons(snoozed, now, 1, UTC) == ()
    assert due_reasons(_facts(revisit_on=date(2026, 12, 3)), now, 1, UTC) == ()
    assert reason_label("revisit") != "revisit"


def test_the_review_brings_it_up_first_and_acting_clears_the_day(
    services: Services, clock: FakeClock
) -> None:
    journal = Journal(services.db, clock=clock, tz=NEW_YORK)
    review = ReviewService(services.db, journal, clock=clock, tz=NEW_YORK)
    clock.now = NOW - timedelta(days=60)
    old = [journal.add(f"old {i}").id for i in range(3)]  # resurfacing
    answered = journal.add("What is a good question?", status="answered")
    later = journal.add("Ask me in a year")
    snoozy = journal.add("Not now")
    clock.now = NOW - timedelta(days=10)
    for entry in (answered, snoozy):
        journal.update(entry.id, revisit="+5d")
    journal.update(later.id, revisit="+365d")
    clock.now = NOW
    items, total = review.due_overview()
    reasons = {i.entry.id: i.reasons for i in items}
    assert [i.entry.id for i in items][:2] == [answered.id, snoozy.id]  # chosen days first
    assert reasons[answered.id] == ("revisit",)
    assert reasons[snoozy.id] == ("resurface", "revisit")
    assert later.id in reasons and "revisit" not in reasons[later.id]
    assert total == 6 and set(old) <= set(reasons)
    assert {i.entry.id: i.entry.revisit_on for i in items}[answered.id] == date(2026, 11, 20)

    state = review.start()
    assert review.keep(state.id, answered.id).revisit_on is None  # it has done its work
    assert review.snooze(state.id, snoozy.id).revisit_on == date(2026, 11, 20)  # comes back
    assert review.keep(state.id, later.id).revisit_on == date(2027, 11, 15)  # not its day yet
    assert journal.get(answered.id).revisit_on is None
    assert answered.id not in {i.entry.id for i in review.due_entries(limit=None)}
    clock.now = NOW + timedelta(days=8)  # the snooze is over: the day still stands
    assert "revisit" in {i.entry.id: i.reasons for i in review.due_entries()}[snoozy.id]


def test_the_sql_rule_compares_days_not_instants(services: Services, clock: FakeClock) -> None:
    """In Auckland (UTC+13) 1 December begins while it is still 30 November in UTC."""
    journal = Journal(services.db, clock=clock, tz=AUCKLAND)
    clock.now = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    entry = journal.add("Summer question", status="retired")
    journal.update(entry.id, revisit="2026-12-01")
    starts = datetime(2026, 12, 1, tzinfo=AUCKLAND).astimezone(UTC)
    assert starts == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    conn = connect(services.db.path)
    try:
        before = DueQuery.at(conn, starts - timedelta(seconds=1), tz=AUCKLAND)
        after = DueQuery.at(conn, starts, tz=AUCKLAND)
        in_utc = DueQuery.at(conn, starts, tz=UTC)
        assert before.pick(conn, None) == []
        assert after.pick(conn, None) == [(entry.id, ("revisit",))]
        assert in_utc.pick(conn, None) == []  # still 30 November there
    finally:
        conn.close()


def test_json_and_vault_exports_carry_the_day(
    journal: Journal, services: Services, tmp_path: Path
) -> None:
    entry = journal.add("Ask me again on 1 March #later")
    journal.update(entry.id, revisit="2099-03-01")
    other = journal.add("No day")
    path = tmp_path / "out.json"
    export_json(journal, path)
    by_id = {e["id"]: e for e in json.loads(path.read_text(encoding="utf-8"))["entries"]}
    assert by_id[entry.id]["revisit_on"] == "2099-03-01"
    batch = read_json(path)
    incoming = {i.id: i for i in batch.entries}
    assert incoming[entry.id].more["revisit_on"] == date(2099, 3, 1)
    assert incoming[other.id].more["revisit_on"] is None

    vault = tmp_path / "vault"
    export_vault(journal, vault)
    files = [f.read_text(encoding="utf-8") for f in vault.rglob("*.md") if f.name != "index.md"]
    text = next(t for t in files if entry.id in t)
    assert "\nrevisit: 2099-03-01\n" in text
    back = {i.id: i for i in read_vault(vault).entries}
    assert back[entry.id].more["revisit_on"] == date(2099, 3, 1)
    assert "revisit_on" not in back[other.id].more  # the file says nothing: kept as is


def test_a_bad_day_in_an_import_is_one_clear_error(tmp_path: Path) -> None:
    from questionbook.core.errors import ImportFormatError
    from questionbook.exchange.json_format import parse_document

    doc = {
        "format": "questionbook",
        "version": 1,
        "entries": [
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "title": "t",
                "body": "",
                "kind": "note",
                "created_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
                "revisit_on": "first of March",
            }
        ],
    }
    with pytest.raises(ImportFormatError, match="revisit_on: not a date"):
        parse_document(doc, "x.json")
