"""The review page driven end to end with pytest-qt, on a real journal file; and resuming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.i18n import set_language
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.ui.operations import Operations
from questionbook.ui.pages.review_page import ReviewPage
from questionbook.ui.settings_controller import SettingsController
from tests.conftest import FakeClock
from tests.ui.parts import settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Sunday evening of 2026-W48


def fill(services: Services, clock: FakeClock) -> dict[str, str]:
    journal = Journal(services.db, clock=clock, tz=UTC)
    ids = {}
    for key, days, title, kw in (
        ("old_q", 35, "Why is the sky blue at noon?", {"hardness": 3}),
        ("plan", 60, "Write a book", {"kind": "plan", "status": "active", "hardness": 4}),
        ("note", 400, "A note from last year", {"kind": "note"}),
        ("q2", 31, "Another old question", {"hardness": 2}),
        ("new", 2, "A fresh question this week #new", {"hardness": 3}),
    ):
        clock.now = NOW - timedelta(days=days)
        ids[key] = journal.add(title, **kw).id
    clock.now = NOW
    return ids


#: The operations of the pages made here: a click waits until their writes came back.
RUNNERS: list[Operations] = []


def make_page(
    qtbot: QtBot, services: Services, clock: FakeClock, saved: list[str] | None = None
) -> ReviewPage:
    journal = Journal(services.db, clock=clock, tz=UTC)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    target = saved if saved is not None else []
    ops = Operations(services.db.path)
    RUNNERS.append(ops)
    page = ReviewPage(
        review,
        SettingsController(None),
        ops=ops,
        save_path_provider=lambda name: target[0] if target else None,
    )
    ops.setParent(page)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def settled(qtbot: QtBot) -> None:
    """Wait until every review write handed in so far has come back."""
    for ops in RUNNERS:
        if shiboken6.isValid(ops):
            settle(qtbot, ops)


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    settled(qtbot)


def test_whole_review_end_to_end(
    qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    ids = fill(services, clock)
    out = tmp_path / "week.md"
    page = make_page(qtbot, services, clock, [str(out)])
    journal = Journal(services.db, clock=clock, tz=UTC)

    # Opening the page writes nothing; it offers to start.
    assert page.stack.currentIndex() == 0
    assert page.tiles["new"].text() == "1" and page.tiles["due"].text() == "4"
    assert services.review.reviews() == []
    click(qtbot, page.start_button)
    assert page.new_list.count() == 1
    assert page.new_list.item(0).data(Qt.ItemDataRole.UserRole) == ids["new"]

    click(qtbot, page.new_next)
    assert page.stack.currentWidget() is page.due
    # Stalled plans come first, then resurfacing entries, oldest first.
    assert page.due.title.text() == "Write a book"
    assert "Stalled" in page.due.reasons.text()
    assert page.due.status_combo.currentData() == "done"  # offers closing it first
    page.due.status_combo.setCurrentIndex(page.due.status_combo.findData("done"))
    page.due.outcome_edit.setText("Sent to the printer")
    click(qtbot, page.due.status_button)
    plan = journal.get(ids["plan"])
    assert (plan.status, plan.outcome) == ("done", "Sent to the printer")

    assert page.due.title.text() == "A note from last year"
    assert not page.due.status_row.isVisibleTo(page)  # notes have no status
    click(qtbot, page.due.keep_button)
    assert journal.get(ids["note"]).last_reviewed_at == NOW

    assert page.due.title.text() == "Why is the sky blue at noon?"
    click(qtbot, page.due.rate_buttons[1])
    assert journal.get(ids["old_q"]).hardness == 1

    assert page.due.title.text() == "Another old question"
    page.due.sharpen_edit.setText("Which old question still matters?")
    click(qtbot, page.due.sharpen_button)
    follow = journal.follow_ups(ids["q2"])
    assert [f.title for f in follow] == ["Which old question still matters?"]

    # The queue is done: "Has the water risen?"
    assert page.stack.currentIndex() == 3
    assert "now" in page.water.level_group.button(1).text()  # the waterline starts at 1
    assert page.water.level_group.checkedId() == 1
    page.water.level_group.button(3).setChecked(True)
    click(qtbot, page.water.water_button)
    covered = {
        page.water.covered_list.item(i).text().split("   ")[0]
        for i in range(page.water.covered_list.count())
    }
    assert covered == {"A fresh question this week #new", "Another old question"}
    assert journal.waterline() == 3
    assert "now" in page.water.level_group.button(3).text()
    assert "now" not in page.water.level_group.button(1).text()

    click(qtbot, page.water.water_next)
    assert page.stack.currentIndex() == 4
    qtbot.keyClicks(page.reflection_edit, "The water is rising fast.")
    with qtbot.waitSignal(page.review_finished, timeout=2000) as finished:
        click(qtbot, page.finish_button)
    assert finished.args == ["2026-W48"]
    md = page.summary_markdown()
    assert md.startswith("# Weekly summary · 2026-W48")
    assert "> The water is rising fast." in md
    assert "Sent to the printer" in md
    assert "A fresh question this week" in md

    click(qtbot, page.copy_button)
    assert QGuiApplication.clipboard().text() == md
    click(qtbot, page.save_button)
    assert out.read_text(encoding="utf-8") == md
    actions = [a.action for a in services.review.actions(services.review.reviews()[0].id)]
    assert actions == ["status", "keep", "rerate", "sharpen"]


def test_snooze_and_back_and_skip(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    ids = fill(services, clock)
    page = make_page(qtbot, services, clock)
    journal = Journal(services.db, clock=clock, tz=UTC)
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    click(qtbot, page.due.snooze_button)
    assert journal.get(ids["plan"]).snoozed_until == NOW + timedelta(days=7)
    assert page.due.progress.text() == "Entry 2 of 4"
    click(qtbot, page.due.skip_button)
    assert page.due.title.text() == "Why is the sky blue at noon?"
    click(qtbot, page.due.back_button)
    click(qtbot, page.due.back_button)
    assert page.due.title.text() == "Write a book"
    assert journal.get(ids["note"]).last_reviewed_at is None  # skipping is not reviewing


def test_closing_mid_review_resumes_on_the_same_entry(
    qtbot: QtBot, app_paths: AppPaths, services: Services, clock: FakeClock
) -> None:
    fill(services, clock)
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    click(qtbot, page.due.keep_button)
    click(qtbot, page.due.keep_button)
    assert page.due.title.text() == "Why is the sky blue at noon?"
    page.close()
    services.close()

    reopened = open_services(app_paths)
    try:
        clock.now = NOW + timedelta(minutes=30)
        again = make_page(qtbot, reopened, clock)
        assert again.stack.currentWidget() is again.due
        assert again.due.title.text() == "Why is the sky blue at noon?"
        assert again.due.progress.text() == "Entry 3 of 4"
    finally:
        reopened.close()


def test_reflection_is_saved_while_typing(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    fill(services, clock)
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    page._go("reflection")
    settled(qtbot)
    qtbot.keyClicks(page.reflection_edit, "Half a thought")
    qtbot.waitUntil(
        lambda: services.review.get("2026-W48").reflection == "Half a thought",  # type: ignore[union-attr]
        timeout=3000,
    )


def test_page_in_chinese(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    fill(services, clock)
    try:
        set_language("zh_CN")
        from questionbook.i18n import _

        page = make_page(qtbot, services, clock)
        assert page.start_button.text() == _("Start review")
        assert page.title.text() == _("Weekly review · {period}").format(period="2026 年第 48 周")
        assert "2026-W48" not in page.title.text()  # the ISO form is for files and JSON
    finally:
        set_language("en")


def test_banner_on_start_and_reminder_once_per_week(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    from questionbook.ui.tray import create_tray
    from questionbook.ui.widgets.review_banner import ReviewBanner, ReviewReminder, route_reminder

    fill(services, clock)
    journal = Journal(services.db, clock=clock, tz=UTC)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    banner = ReviewBanner()
    qtbot.addWidget(banner)
    reminder = ReviewReminder(review, SettingsController(None), clock=clock, interval_ms=10)
    tray = create_tray(banner.windowIcon())
    assert tray is None  # headless: no system tray, so the banner takes the notice
    route_reminder(reminder, banner, tray)
    with qtbot.waitSignal(reminder.review_became_due) as due:
        assert reminder.start() == "2026-W48"
    assert due.args == ["2026-W48"]
    assert not banner.isHidden()
    assert "2026-W48" in banner.label.text()
    with qtbot.assertNotEmitted(reminder.review_became_due, wait=50):
        reminder.check()  # same week: no second notice
    with qtbot.waitSignal(banner.start_requested):
        click(qtbot, banner.start_button)
    assert banner.isHidden()
    review.finish(review.start("2026-W48").id)
    assert reminder.check() is None
    reminder.timer.stop()


def test_tray_notice_when_a_tray_exists(qtbot: QtBot) -> None:
    from questionbook.ui.widgets.review_banner import ReviewBanner, route_reminder

    class FakeTray:
        def __init__(self) -> None:
            self.notices: list[str] = []

        def notify_review_due(self, period: str) -> None:
            self.notices.append(period)

    class Reminder(QObject):
        review_became_due = Signal(str)

    banner = ReviewBanner()
    qtbot.addWidget(banner)
    tray, reminder = FakeTray(), Reminder()
    route_reminder(reminder, banner, tray)  # type: ignore[arg-type]
    reminder.review_became_due.emit("2026-W48")
    assert tray.notices == ["2026-W48"]
    assert banner.isHidden()


def test_reflection_typed_just_before_leaving_is_kept(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    fill(services, clock)
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    page._go("reflection")
    settled(qtbot)
    qtbot.keyClicks(page.reflection_edit, "Quick note")
    page.hide()  # another page is shown before the autosave fires
    settled(qtbot)
    assert services.review.get("2026-W48").reflection == "Quick note"  # type: ignore[union-attr]
    page.show()
    assert page.reflection_edit.toPlainText() == "Quick note"


def test_a_busy_journal_is_said_on_the_page_and_the_review_waits(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    """Starting (a write) while another program holds the journal: said at once, nothing
    started, and one more click works once the journal is free."""
    import sqlite3

    fill(services, clock)
    page = make_page(qtbot, services, clock)
    other = sqlite3.connect(services.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        click(qtbot, page.start_button)  # refused at once, not after the 10 s busy timeout
        assert page.problem.isVisible() and "busy" in page.problem.text()
        assert page.stack.currentIndex() == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert services.review.reviews() == []
    click(qtbot, page.start_button)
    assert not page.problem.isVisible()
    assert page.stack.currentIndex() == 1 and len(services.review.reviews()) == 1


def test_a_new_journal_opens_the_review_of_its_own_first_week(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    """A journal begun on a Monday, with the review on Mondays: that evening the page offers
    this week, not the week before, in which the journal did not exist (issue 12)."""
    from questionbook.settings import Settings

    clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday of 2026-W49
    Journal(services.db, clock=clock, tz=UTC).add("My very first question")
    clock.now = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    journal = Journal(services.db, clock=clock, tz=UTC)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    settings = SettingsController(None, Settings(review_weekday=1, week_start=1))
    ops = Operations(services.db.path)
    page = ReviewPage(review, settings, ops=ops)
    ops.setParent(page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert "2026-W49" in page.title.text()
    assert page.tiles["new"].text() == "1"


def test_the_reminder_of_a_closed_journal_stops_instead_of_reading_it(
    qtbot: QtBot, app_paths: AppPaths, clock: FakeClock
) -> None:
    """A window being replaced (a restore, encrypting) keeps its reminder until Qt deletes it:
    a tick meanwhile read the closed journal and raised in the event loop."""
    from questionbook.ui.widgets.review_banner import ReviewReminder

    services = open_services(app_paths)
    journal = Journal(services.db, clock=clock, tz=UTC)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    reminder = ReviewReminder(review, SettingsController(None), clock=clock, interval_ms=10)
    reminder.start()
    services.db.close()
    assert reminder.check() is None
    assert not reminder.timer.isActive()
    qtbot.wait(50)  # ticks that were queued find nothing to do
