"""The weekly summary as Markdown: headings in the current language, a text histogram of
hardness against the waterline, entry titles escaped so that they read as plain text.

Kept apart from :mod:`questionbook.core.summary` (which gathers the facts) so that each module
stays small; the GUI renders this Markdown, the CLI prints it, and both can save it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from questionbook.core.entities import EntrySummary
from questionbook.core.freeboard import Freeboard
from questionbook.core.review_digest import ReviewDigest
from questionbook.core.summary import KINDS, Summary
from questionbook.core.vocabulary import HARDNESS, KIND_PLURALS, STATUS_LABELS, STATUSES, Kind
from questionbook.i18n import (
    _,
    join_list,
    join_words,
    label_value,
    ngettext,
    parenthetical,
    strong_label_value,
    week_label,
)

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})
BAR_WIDTH = 24


def _md(text_: str) -> str:
    """Escape a title so that it reads as plain text in Markdown (and cannot inject HTML)."""
    out = " ".join(text_.split()).translate(_MD_SPECIAL)
    return "\\" + out if re.match(r"[#+=>-]|\d+[.)]\s", out) else out


def _cols(text_: str) -> int:
    """Terminal/monospace columns of *text_* (a Chinese character takes two)."""
    from wcwidth import wcswidth

    width = wcswidth(text_)
    return width if width >= 0 else len(text_)


def _streak_line(summary: Summary) -> str:
    """The streak, saying what it counts: days in a row with an entry, up to a day. Beside
    "wrote on 5 of 7 days", a bare "streak: 0 days" read as a contradiction (issue 12, #17)."""
    if summary.streak_end is None:
        return ngettext(
            "Writing streak: {n} day in a row", "Writing streak: {n} days in a row", summary.streak
        ).format(n=summary.streak)
    return ngettext(
        "Writing streak: {n} day in a row up to {date}",
        "Writing streak: {n} days in a row up to {date}",
        summary.streak,
    ).format(n=summary.streak, date=summary.streak_end.isoformat())


def hardness_histogram(counts: dict[int | None, int], waterline: int) -> str:
    """A small text histogram, highest level on top, with the waterline drawn across it."""
    labels = {h.level: f"{h.level} {h.label}" for h in HARDNESS} | {None: f"– {_('Unrated')}"}
    width = max(_cols(v) for v in labels.values()) + 2
    top = max(counts.values(), default=0) or 1
    lines = []
    for level in [4, 3, 2, 1, 0, None]:
        if level is not None and level == waterline:
            mark = _("waterline {level} {name}").format(
                level=waterline, name=HARDNESS[waterline].label
            )
            lines.append(f"{'~' * (width + 2)} {mark} ~~~")
        n = counts.get(level, 0)
        bar = "█" * (round(n / top * BAR_WIDTH) if n else 0) or ("▏" if n else "")
        label = labels[level] + " " * (width - _cols(labels[level]))
        lines.append(f"{label}{bar} {n}".rstrip())
    return "\n".join(lines)


def _entry_line(e: EntrySummary) -> str:
    parts = [_md(e.title)]
    if e.hardness is not None:
        parts.append(f"{e.hardness} {HARDNESS[e.hardness].label}")
    tags = [t for t in e.tags if f"#{t}" not in e.title]
    if tags:
        parts.append(" ".join(f"#{_md(t)}" for t in tags))
    return "- " + " · ".join(parts)


def _status_line(kind: str, counts: dict[str, int]) -> str:
    parts = [f"{counts.get(st, 0)} {_(STATUS_LABELS[st]).lower()}" for st in STATUSES[Kind(kind)]]
    return " · ".join(parts)


def _level_name(level: int | None) -> str:
    return _("Unrated") if level is None else f"{level} {HARDNESS[level].label}"


def _in_this_review(digest: ReviewDigest | None) -> list[str]:
    """The "In this review" section: what the review itself did (it often happens after the
    week it reviews, so none of it is in the week's counts)."""
    if digest is None or digest.is_empty:
        return []
    out = [f"## {_('In this review')}", ""]
    if digest.waterline is not None:
        out.append(
            "- "
            + _("Waterline set to {level}").format(level=_level_name(digest.waterline))
            + (
                " · "
                + ngettext(
                    "the water covered {n} entry",
                    "the water covered {n} entries",
                    len(digest.covered),
                ).format(n=len(digest.covered))
                if digest.covered
                else ""
            )
        )
        out += [f"  - {_entry_line(e)[2:]}" for e in digest.covered]
    for item in digest.rerated:
        out.append(
            "- "
            + _("Re-rated: {title} → {level}").format(
                title=_md(item.entry.title), level=_level_name(item.level)
            )
        )
    for label, items in ((_("Closed"), digest.closed), (_("Retired"), digest.retired)):
        for c in items:
            status = _(STATUS_LABELS[c.status]).lower()
            line = "- " + strong_label_value(label, parenthetical(_md(c.entry.title), status))
            if c.outcome:
                line += f"  \n  → {_md(c.outcome)}"
            out.append(line)
    for c in digest.moved:
        out.append(
            "- "
            + _("Moved on: {title} ({status})").format(
                title=_md(c.entry.title), status=_(STATUS_LABELS[c.status]).lower()
            )
        )
    for sharp in digest.sharpened:
        follow = _md(sharp.follow_up.title) if sharp.follow_up else "…"
        out.append(
            "- "
            + _("Sharpened: {title} → {follow_up}").format(
                title=_md(sharp.entry.title), follow_up=follow
            )
        )
    if digest.snoozed:
        out.append(
            "- "
            + ngettext(
                "Snoozed {n} entry: {titles}", "Snoozed {n} entries: {titles}", len(digest.snoozed)
            ).format(n=len(digest.snoozed), titles=" · ".join(_md(e.title) for e in digest.snoozed))
        )
    if digest.kept:
        out.append(
            "- "
            + ngettext(
                "Kept {n} entry as it was", "Kept {n} entries as they were", digest.kept
            ).format(n=digest.kept)
        )
    return [*out, ""]


def render_markdown(summary: Summary) -> str:
    """The weekly summary as a Markdown document (headings in the current language)."""
    k_plural = {k.value: _(KIND_PLURALS[k]) for k in Kind}
    last = summary.end - timedelta(days=1)
    out = [
        f"# {_('Weekly summary')} · {week_label(summary.label)}",
        "",
        f"*{summary.start.isoformat()} – {last.isoformat()}*",
        "",
    ]
    total_new = sum(summary.new_counts.values())
    out += [
        f"## {_('At a glance')}",
        "",
        "- "
        + (
            parenthetical(
                _("New entries: {n}").format(n=total_new),
                join_list(label_value(k_plural[k], n) for k, n in summary.new_counts.items() if n),
            )
            if total_new
            else _("New entries: {n}").format(n=total_new)
        ),
        "- " + _("Words written: {n:,}").format(n=summary.words),
        "- "
        + ngettext(
            "Wrote on {n} day of {days}", "Wrote on {n} days of {days}", summary.active_days
        ).format(n=summary.active_days, days=summary.days),
        "- " + _streak_line(summary),
        "- "
        + _("Waterline: {level} {name}").format(
            level=summary.waterline, name=HARDNESS[summary.waterline].label
        ),
        "",
    ]
    out += _in_this_review(summary.review)
    out += [
        f"## {_('Counts by kind and status')}",
        "",
        f"| {_('Kind')} | {_('New')} | {_('Total')} | {_('By status')} |",
        "|---|---:|---:|---|",
    ]
    for kind in KINDS:
        out.append(
            f"| {k_plural[kind]} | {summary.new_counts.get(kind, 0)} | "
            f"{summary.totals.get(kind, 0)} | "
            f"{_status_line(kind, summary.status_counts.get(kind, {})) or '–'} |"
        )
    out += ["", f"## {_('New entries')}", ""]
    if not total_new:
        out += [_("Nothing new this time."), ""]
    for kind, rows in summary.new_entries.items():
        if rows:
            out += [f"### {k_plural[kind]}", "", *map(_entry_line, rows)]
            if summary.new_counts[kind] > len(rows):
                out.append(_("- … and {n} more").format(n=summary.new_counts[kind] - len(rows)))
            out.append("")
    out += [f"## {_('Answered and done')}", ""]
    if not summary.closed:
        out += [_("No question answered and no plan finished in this period."), ""]
    for item in summary.closed:
        mark = _("Answered") if item.status == "answered" else _("Done")
        line = "- " + strong_label_value(mark, _md(item.entry.title))
        if item.outcome:
            line += f"  \n  → {_md(item.outcome)}"
        out.append(line)
    if summary.closed:
        out.append("")
    out += [
        f"## {_('Hardness against the waterline')}",
        "",
        "```text",
        hardness_histogram(summary.hardness, summary.waterline),
        "```",
        "",
    ]
    out += [f"## {_('Newly submerged')}", ""]
    if summary.newly_submerged_count:
        out += [*map(_entry_line, summary.newly_submerged)]
        if summary.newly_submerged_count > len(summary.newly_submerged):
            out.append(
                _("- … and {n} more").format(
                    n=summary.newly_submerged_count - len(summary.newly_submerged)
                )
            )
        out += [
            "",
            _("The water has reached these: sharpen them, raise their ambition, or retire them."),
            "",
        ]
    else:
        out += [_("Nothing new went under water."), ""]
    out += _evidence_sections(summary)
    out += [f"## {_('Top tags')}", ""]
    out += [
        # A leading "#word" would be a heading to python-markdown: escape the first one.
        "\\" + " · ".join(parenthetical(f"#{_md(t.name)}", t.count) for t in summary.top_tags)
        if summary.top_tags
        else _("No tags used in this period."),
        "",
    ]
    out += [f"## {_('Reflection')}", ""]
    out += [
        "\n".join(f"> {line}" if line else ">" for line in summary.reflection.splitlines())
        if summary.reflection
        else _("(No reflection written.)"),
        "",
    ]
    return "\n".join(out)


def median_label(median: float) -> str:
    """A median level in words: "Shoreline", or "between Shoreline and Highlands"."""
    low, high = int(median // 1), int(-(-median // 1))
    if low == high:
        return HARDNESS[low].label
    return _("between {low} and {high}").format(low=HARDNESS[low].label, high=HARDNESS[high].label)


def freeboard_line(fb: Freeboard) -> str:
    """The freeboard in one sentence ("Freeboard: +1.5 levels. The median open entry ...");
    the weekly summary and the review's waterline step say it alike."""
    if fb.value is None or fb.median is None:
        return _("No open question or plan is rated yet.")
    return ngettext(
        "Freeboard: {value:+g} level. The median open entry stands at {median} "
        "({n} rated); the water is at {level}.",
        "Freeboard: {value:+g} levels. The median open entry stands at {median} "
        "({n} rated); the water is at {level}.",
        1 if abs(fb.value) == 1 else 2,
    ).format(
        value=fb.value,
        median=median_label(fb.median),
        n=fb.rated,
        level=HARDNESS[fb.waterline].label,
    )


def flood_warning(fb: Freeboard) -> str:
    """What the flood warning says after its heading: how many entries sit near the water,
    and the entry it asks for ("" without a flood)."""
    if not fb.flood:
        return ""
    if fb.ask_level is None:
        ask = _("Write down the hardest thing you can think of.")
    elif fb.ask_level == len(HARDNESS) - 1:
        ask = _("Write down one entry two levels above it: a {level} entry.").format(
            level=HARDNESS[fb.ask_level].label
        )
    else:
        ask = _("Write down one entry at least two levels above it ({level} or higher).").format(
            level=HARDNESS[fb.ask_level].label
        )
    near = ngettext(
        "{k} of {n} open entry sits at most one level above the water.",
        "{k} of {n} open entries sit at most one level above the water.",
        fb.rated,
    ).format(k=fb.near_water, n=fb.rated)
    return join_words(near, ask)


def _evidence_sections(summary: Summary) -> list[str]:
    """Freeboard (with the flood warning) and the week's "still mine" lines."""
    out = [f"## {_('Freeboard')}", ""]
    fb = summary.freeboard
    if fb is None or fb.value is None:
        out += [_("No open question or plan is rated yet."), ""]
    else:
        out += [freeboard_line(fb), ""]
        if fb.flood:
            out += [strong_label_value(_("Flood warning"), flood_warning(fb)), ""]
    if summary.still_mine:
        out += [f"## {_('Still mine')}", ""]
        out += ["- " + label_value(_md(i.title), _md(i.still_mine)) for i in summary.still_mine]
        out.append("")
    return out
