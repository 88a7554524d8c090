"""Review commands: ``review`` prints a week's summary, ``due`` lists what the next review brings.

Both read the review weekday, time and week start from the settings file, like the app does,
overridden by the journal's own values once it syncs (:mod:`questionbook.core.journal_settings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, join_list, ngettext

if TYPE_CHECKING:
    from datetime import datetime

    from questionbook.cli.main import Context
    from questionbook.core.entities import EntrySummary
    from questionbook.core.review import ReviewService
    from questionbook.settings import Settings


def register(sub: Any) -> None:
    p = sub.add_parser(
        "review",
        help=_("print the weekly summary"),
        description=_(
            "Print the summary of a week: new entries, answered questions and finished plans, "
            "hardness against the waterline, top tags, streak and the review's reflection."
        ),
    )
    p.add_argument("--week", metavar="YYYY-Www", help=_("which week (default: this week)"))
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("due", help=_("list what the next weekly review will bring up"))
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))
    p.set_defaults(func=cmd_due)


def _settings(ctx: Context) -> Settings:
    """This computer's settings, with the review day, time and week start the journal holds
    (they travel with sync)."""
    from questionbook.core import journal_settings
    from questionbook.settings import load_settings

    settings = load_settings(ctx.paths.settings_file)
    with ctx.journal.reading() as conn:
        return journal_settings.overlay(settings, journal_settings.read(conn))


def _service(ctx: Context, settings: Settings) -> ReviewService:
    from questionbook.core.review import ReviewService

    journal = ctx.services.journal
    return ReviewService(ctx.services.db, journal, week_start=settings.week_start)


def cmd_review(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.summary import render_markdown, summary_for_period, summary_json
    from questionbook.core.timeutil import to_local

    if ctx.args.week:
        from questionbook.exchange.common import iso_week_bounds

        iso_week_bounds(ctx.args.week)  # a clear message for a week outside the years 1000-9000
    settings = _settings(ctx)
    service = _service(ctx, settings)
    period = service.period(ctx.args.week)
    today = to_local(service.clock()).date()
    summary = summary_for_period(ctx.services.db, period, today=today)
    if ctx.args.format == "json":
        print_json(summary_json(summary))
    else:
        print(render_markdown(summary), end="")
    return 0


def cmd_due(ctx: Context) -> int:
    from questionbook.cli.output import local_time, print_json, table
    from questionbook.core.schedule import reason_label
    from questionbook.core.vocabulary import HARDNESS

    settings = _settings(ctx)
    at, due_now, items, total = _due_listing(ctx, settings)
    if ctx.args.json:
        print_json(
            {
                "review_at": at.astimezone().isoformat(timespec="minutes"),
                "review_due": due_now,
                "due_total": total,
                "entries": [
                    {
                        "id": entry.id,
                        "kind": entry.kind,
                        "title": entry.title,
                        "status": entry.status,
                        "hardness": entry.hardness,
                        "reasons": list(reasons),
                        "revisit_on": entry.revisit_on and entry.revisit_on.isoformat(),
                    }
                    for entry, reasons in items
                ],
            }
        )
        return 0
    if due_now:
        print(_("Your weekly review is due now."))
    else:
        print(_("Next review: {when}").format(when=local_time(at)))
    if not items:
        print(_("Nothing is due."))
        return 0
    rows = []
    for e, reasons in items:
        level = "-" if e.hardness is None else f"{e.hardness} {HARDNESS[e.hardness].label}"
        shown = join_list(reason_label(r) for r in reasons)
        rows.append([e.id[:8], level, shown, e.title])
    print(table(rows, flexible=-1))
    if total > len(items):
        print(
            ngettext(
                "… and {n} more is due; it will come up in a later review.",
                "… and {n} more are due; they will come up in later reviews.",
                total - len(items),
            ).format(n=total - len(items))
        )
    return 0


def _due_listing(
    ctx: Context, settings: Settings
) -> tuple[datetime, bool, list[tuple[EntrySummary, tuple[str, ...]]], int]:
    """When the next review is (or that it is due now), the entries it brings up with their
    reasons, and how many are due in all: the review service's own answer."""
    from questionbook.core.review import ReviewService
    from questionbook.core.schedule import next_review_time, period_reviewed_at

    journal = ctx.journal
    review = ReviewService(journal.db, journal, week_start=settings.week_start)
    now = journal.clock()
    period = review.due_period(now, settings)
    due_now, at = period is not None, now
    if period is None:
        at = next_review_time(now, settings.review_weekday, settings.review_time, journal.tz)
        period = period_reviewed_at(at, settings.week_start, journal.tz)
    start, _end = period.utc_bounds(journal.tz)
    items, total = review.due_overview(at, created_before=start)
    return at, due_now, [(item.entry, item.reasons) for item in items], total
