"""``questionbook calendar`` (issue 19): a month with each day's count of entries, or the
entries of one day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from questionbook.i18n import _

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.core.calendar_days import CalendarMonth

#: Columns of one day in the printed calendar (a day number or a count, right-aligned).
CELL = 4


def register(sub: Any) -> None:
    p = sub.add_parser(
        "calendar",
        help=_("a month with the number of entries written each day"),
        description=_(
            "Print a month (default: this one) with how many entries were written on each day, "
            "the week starting on the day set in the settings. With --day, list that day's "
            "entries."
        ),
    )
    p.add_argument("--month", metavar="YYYY-MM", help=_("which month (default: this month)"))
    p.add_argument("--day", metavar="DATE", help=_("list the entries written on DATE"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_calendar)


def cmd_calendar(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.calendar_days import Calendar, parse_month
    from questionbook.settings import load_settings

    journal = ctx.journal
    cal = Calendar(journal.db, tz=journal.tz, clock=journal.clock)
    a = ctx.args
    if a.day:
        return _print_day(ctx, cal, a.day)
    year, month = parse_month(a.month) if a.month else (None, None)
    shown = cal.month(year, month)
    week_start = load_settings(ctx.paths.settings_file).week_start
    if a.json:
        print_json(
            {
                "month": shown.label,
                "week_start": week_start,
                "total": shown.total,
                "days": [{"date": d.day.isoformat(), "count": d.count} for d in shown.days],
            }
        )
        return 0
    print(render_month(shown, week_start, cal.today()))
    return 0


def render_month(shown: CalendarMonth, week_start: int, today: Any = None) -> str:
    """The month as text: a title, weekday headers, then per week a row of day numbers and a
    row of counts (``·`` for none). Aligned by terminal columns, so Chinese headers (two
    columns each) line up; today's number is in brackets."""
    from questionbook.cli.output import width
    from questionbook.core.calendar_days import weekday_headers
    from questionbook.i18n import ngettext

    def cell(text: str) -> str:
        return " " * max(0, CELL - width(text)) + text

    line_width = 7 * CELL + 6
    title = shown.title()
    out = [" " * max(0, (line_width - width(title)) // 2) + title, ""]
    out.append(" ".join(cell(h) for h in weekday_headers(week_start)).rstrip())
    for week in shown.weeks(week_start):
        days, counts = [], []
        for d in week:
            if d is None:
                days.append(cell(""))
                counts.append(cell(""))
                continue
            number = str(d.day.day)
            days.append(cell(f"[{number}]" if d.day == today else number))
            counts.append(cell("·" if not d.count else str(d.count) if d.count < 1000 else "999+"))
        out.append(" ".join(days).rstrip())
        out.append(" ".join(counts).rstrip())
    out.append("")
    if shown.total:
        entries = ngettext("{n} entry", "{n} entries", shown.total).format(n=shown.total)
        out.append(
            ngettext(
                "{entries} on {days} day", "{entries} on {days} days", shown.days_written
            ).format(entries=entries, days=shown.days_written)
        )
    else:
        out.append(_("Nothing written this month."))
    return "\n".join(out)


def _print_day(ctx: Context, cal: Any, text: str) -> int:
    from questionbook.cli.journal_cmds import summary_table
    from questionbook.cli.output import print_json
    from questionbook.core.timeutil import parse_date

    day = parse_date(text, today=cal.today())
    found = cal.day(day)
    if ctx.args.json:
        print_json([e.to_json() for e in ctx.journal.entries([s.id for s in found])])
    elif not found:
        print(_("Nothing written on {day}.").format(day=day.isoformat()))
    else:
        print(summary_table(found, ctx.journal.waterline()))
    return 0
