"""The single-file Markdown export: grouped by local day, headings demoted outside code."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from questionbook.exchange.api import export_journal
from questionbook.exchange.common import ExportFilter
from questionbook.exchange.markdown_export import demote_headings

SHANGHAI = timezone(timedelta(hours=8))


def test_demote_headings_but_not_in_code() -> None:
    body = (
        "# Top\ntext\n## Sub\n```python\n# comment\n```\n~~~\n# also code\n~~~\n"
        "Setext\n======\n####### not a heading\n    # indented code"
    )
    out = demote_headings(body).split("\n")
    assert out[0] == "#### Top" and out[2] == "##### Sub"
    assert out[4] == "# comment" and out[7] == "# also code"
    assert "#### Setext" in out and "======" not in out
    assert "####### not a heading" in out and "    # indented code" in out
    assert demote_headings("###### deep") == "###### deep"


def test_grouped_by_local_day_with_meta(new_journal, tmp_path) -> None:
    journal = new_journal(tz=SHANGHAI)
    # 2026-11-24 20:00 UTC is already 2026-11-25 in Shanghai
    journal.add(
        "Late question?",
        "# My heading\n```\n# code\n```",
        hardness=3,
        tags=["ai"],
        created_at=datetime(2026, 11, 24, 20, 0, tzinfo=UTC),
    )
    journal.add("Morning plan", kind="plan", created_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    out = tmp_path / "journal.md"
    report = export_journal(journal, "markdown", out)
    text = out.read_text(encoding="utf-8")
    assert report.entries == 2
    assert text.index("## 2026-11-24") < text.index("### Morning plan")
    assert (
        text.index("### Morning plan")
        < text.index("## 2026-11-25")
        < text.index("### Late question?")
    )
    assert "*Question · Open · Highlands · #ai · 04:00*" in text
    assert "#### My heading" in text and "\n# code\n" in text


def test_filters_select_entries(new_journal, tmp_path) -> None:
    journal = new_journal(tz=UTC)
    base = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday (2026-W48)
    journal.add("In week q?", tags=["x"], created_at=base)
    journal.add("In week note", kind="note", created_at=base + timedelta(days=6))
    journal.add("Before?", created_at=base - timedelta(days=1))
    journal.add("After?", created_at=base + timedelta(days=7))
    out = tmp_path / "w.md"
    flt = ExportFilter(since=base.date(), until=(base + timedelta(days=6)).date())
    assert export_journal(journal, "markdown", out, flt).entries == 2
    assert export_journal(journal, "markdown", out, ExportFilter(kinds=["note"])).entries == 1
    assert export_journal(journal, "markdown", out, ExportFilter(tags=["x"])).entries == 1
    assert export_journal(journal, "markdown", out, ExportFilter(query="after")).entries == 1
    assert "### After?" in out.read_text(encoding="utf-8")


CODE_LINE = st.sampled_from(["# comment", "## not a heading", "x = 1", "", "===", "---", "    #"])
TEXT_LINE = st.sampled_from(["# Title", "## Sub", "###### Six", "plain", "", "#tag here", "* item"])
BLOCK = st.one_of(
    st.lists(TEXT_LINE, min_size=1, max_size=4).map(lambda ls: ("text", ls)),
    st.tuples(st.sampled_from(["```", "~~~~", "```python"]), st.lists(CODE_LINE, max_size=4)).map(
        lambda t: ("code", t)
    ),
)


@settings(max_examples=200, deadline=None)
@given(blocks=st.lists(BLOCK, min_size=1, max_size=6))
def test_fenced_code_is_never_touched(blocks) -> None:
    lines: list[str] = []
    code: list[list[str]] = []
    for kind, content in blocks:
        if kind == "code":
            fence, inner = content
            close = fence.rstrip("python")
            lines += [fence, *inner, close]
            code.append(inner)
        else:
            lines += [ln for ln in content if ln not in ("===", "---")]
    out = demote_headings("\n".join(lines)).split("\n")
    assert len(out) == len(lines)
    kept: list[list[str]] = []
    inside: list[str] | None = None
    fence = ""
    for original, new in zip(lines, out, strict=True):
        if inside is None and original.startswith(("```", "~~~")):
            inside, fence = [], original.rstrip("python")
            assert new == original
        elif inside is not None and original == fence:
            kept.append(inside)
            inside = None
        elif inside is not None:
            inside.append(new)
        elif re.match(r"#{1,6} ", original):
            assert new.startswith("####") and new.lstrip("#") == original.lstrip("#")
        else:
            assert new == original
    assert kept == code
