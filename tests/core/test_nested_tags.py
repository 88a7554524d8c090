"""Nested tags, the tag tree and renaming or merging tags (issue 19), on real journal files."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.tag_service import TagNode, TagNotFound, TagService
from questionbook.core.tags import (
    clean_tag,
    find_tags,
    inline_form,
    parse_tags,
    rename_in_text,
    tag_key,
)
from questionbook.services import Services
from questionbook.storage.connection import connect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about #ml/grokking today", ["ml/grokking"]),
        ("中文 #学习/物理。然后", ["学习/物理"]),
        ("deep #a/b/c, then", ["a/b/c"]),
        ("trailing #ml/ slash", ["ml"]),
        ("empty #ml//grokking segment", ["ml"]),
        ("leading #/ml slash", []),
        ("weibo #学习/物理#form", ["学习/物理"]),
        ("url https://x.org/#ml/grokking and `#ml/code`", []),
        ("# ml/heading", []),
        ("#2024/plans", ["2024/plans"]),
    ],
)
def test_tag_paths_in_text(text: str, expected: list[str]) -> None:
    assert parse_tags(text) == expected


def test_typed_paths_are_tidied() -> None:
    assert clean_tag(" ml / grokking ") == "ml/grokking"
    assert clean_tag("#ml//grokking/") == "ml/grokking"
    assert clean_tag("/") is None
    long = clean_tag("a" * 63 + "/bcd")
    assert long == "a" * 63  # cut at 64 characters, never ending in "/"


_PIECES = st.sampled_from(
    ["#", "＃", "ml", "ML", "/", "//", "学习", "物理", " ", "\n", "\n\n", "    ", "`", "```\n",
     "http://x.io/", "](", ")", "[", "-", "_", "。", "1", "#ml/grokking", "#学习/物理#"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_every_tag_found_is_where_the_finder_says(text: str) -> None:
    spans = find_tags(text)
    for span in spans:
        if span.start is None:
            continue
        assert span.end is not None
        assert clean_tag(text[span.start : span.end]) == span.name
        assert text[span.start - 1] in "#＃-"  # a tag is written right after its hash
        assert span.outer is not None and text[span.outer[0]] in "#＃"
    once = {tag_key(s.name): s.name for s in reversed(spans)}  # the first spelling of each
    assert parse_tags(text) == [once[k] for k in dict.fromkeys(tag_key(s.name) for s in spans)]


def test_inline_forms() -> None:
    assert inline_form("ml/grokking") == "#ml/grokking"
    assert inline_form("多个 词") == "#多个 词#"
    assert inline_form("two words") is None
    assert rename_in_text("x #ML/Grokking y", "ml", "ai") == "x #ai/Grokking y"
    assert rename_in_text("`#ml` #ml #ml-ops #mlx", "ml", "ai") == "`#ml` #ai #ml-ops #mlx"


def _entries(journal: Journal) -> dict[str, str]:
    texts = {
        "ml": "Why does grokking happen? #ml",
        "both": "Phase changes #ml #ml/grokking",
        "child": "Delayed generalisation #ML/Grokking",
        "deep": "Weight decay #ml/grokking/decay",
        "vision": "What do CNNs see #ml/vision",
        "ops": "Deploy pipelines #ml-ops",
        "mlx": "Apple's framework #mlx",
        "zh": "光的本质 #学习/物理",
        "zh2": "牛顿 #学习/物理/力学 #学习",
    }
    return {k: journal.add(v).id for k, v in texts.items()}


def test_a_parent_tag_finds_its_children(journal: Journal) -> None:
    ids = _entries(journal)
    found = {e.id for e in journal.find("#ml", limit=None)}
    assert found == {ids[k] for k in ("ml", "both", "child", "deep", "vision")}
    assert {e.id for e in journal.find("tag:ml/grokking")} == {
        ids[k] for k in ("both", "child", "deep")
    }
    assert {e.id for e in journal.find("#学习")} == {ids["zh"], ids["zh2"]}
    assert {e.id for e in journal.find("#学习/物理/力学")} == {ids["zh2"]}
    assert journal.count("#ml") == 5
    assert journal.find("#ml/nothing") == [] and journal.find("#m") == []


def test_the_tag_search_uses_the_key_index(services: Services, journal: Journal) -> None:
    from questionbook.core.query import parse_query
    from questionbook.core.search_sql import search_statement

    _entries(journal)
    sql, params = search_statement(parse_query("#ml"), waterline=1)
    conn = connect(services.db.path)
    try:
        plan = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    finally:
        conn.close()
    assert "SCAN tag" not in plan, plan  # two probes of the unique key index, no scan
    assert "tag USING" in plan, plan


def _flat(nodes: list[TagNode]) -> dict[str, tuple[int, int, bool]]:
    return {n.name: (n.count, n.own, n.exists) for root in nodes for n in root.walk()}


def test_the_tree_counts_each_entry_once_per_subtree(services: Services, journal: Journal) -> None:
    ids = _entries(journal)
    journal.add("Only a child #paper/2024/icml")
    trashed = journal.add("Gone #ml/grokking #ml")
    journal.delete(trashed.id)
    tree = TagService(services.db).tree()
    assert [n.name for n in tree] == ["ml", "ml-ops", "mlx", "paper", "学习"]
    flat = _flat(tree)
    assert flat["ml"] == (5, 2, True)  # "both" has #ml and #ml/grokking: counted once
    assert flat["ml/grokking"] == (3, 2, True)  # spelled as first written: "ml/grokking"
    assert flat["ml/grokking/decay"] == (1, 1, True)
    assert flat["paper"] == (1, 0, False) and flat["paper/2024"] == (1, 0, False)
    assert flat["学习"] == (2, 1, True) and flat["学习/物理/力学"] == (1, 1, True)
    ml = tree[0]
    assert [c.label for c in ml.children] == ["grokking", "vision"]
    journal.delete(ids["ops"])
    assert "ml-ops" not in _flat(TagService(services.db).tree())


def test_renaming_rewrites_real_inline_tags_only(services: Services, journal: Journal) -> None:
    text = (
        "Notes on #ml and #ML/grokking.\n\n"
        "`#ml` in code, [a link](https://x.org/#ml), https://x.org/page#ml\n\n"
        "```\n#ml in a fence\n```\n\n"
        "    #ml indented code\n\n"
        "# ml heading\n#ml-ops stays, #mlx stays, ＃ml full width"
    )
    entry = journal.add("About #ml", text)
    calls: list[tuple[int, int]] = []
    result = TagService(services.db).rename(
        "ml", "machine-learning", progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 1)]
    assert (result.tags, result.merged, result.entries) == (2, 0, 1)
    saved = journal.get(entry.id)
    assert saved.title == "About #machine-learning"
    assert saved.body == (
        "Notes on #machine-learning and #machine-learning/grokking.\n\n"
        "`#ml` in code, [a link](https://x.org/#ml), https://x.org/page#ml\n\n"
        "```\n#ml in a fence\n```\n\n"
        "    #ml indented code\n\n"
        "# ml heading\n#ml-ops stays, #mlx stays, ＃machine-learning full width"
    )
    assert set(saved.tags) == {"machine-learning", "machine-learning/grokking", "ml-ops", "mlx"}
    assert [e.id for e in journal.find("#machine-learning")] == [entry.id]
    assert journal.find("#ml") == []
    assert [e.id for e in journal.find("machine")] == [entry.id]  # the search index follows
    assert saved.updated_at >= entry.updated_at


def test_renaming_into_an_existing_tag_merges(services: Services, journal: Journal) -> None:
    a = journal.add("One #AI")
    b = journal.add("Two #ml", tags=["ML"])  # also added by hand
    c = journal.add("Three #ml/vision #ai/vision")
    tags = TagService(services.db)
    result = tags.rename("ML", "ai")
    assert result.merged == 2  # ml → AI, ml/vision → ai/vision
    assert journal.get(b.id).body == "" and journal.get(b.id).title == "Two #ai"
    assert journal.get(c.id).title == "Three #ai/vision #ai/vision"
    assert {t.name: t.count for t in journal.tag_counts()} == {"AI": 2, "ai/vision": 1}
    # b's tag was also hand-added: it stays when the text loses it
    journal.update(b.id, title="Two")
    assert journal.get(b.id).tags == ("AI",)
    assert journal.get(a.id).tags == ("AI",)


def test_renaming_a_parent_renames_the_subtree_and_moves_up(
    services: Services, journal: Journal
) -> None:
    e = journal.add("Deep #ml/deep #ml/deep/deep #ml/deep/nets")
    other = journal.add("Plain #ml")
    tags = TagService(services.db)
    tags.rename("ml/deep", "ml")  # up into its own parent: ml/deep/deep → ml/deep
    assert journal.get(e.id).title == "Deep #ml #ml/deep #ml/nets"
    assert set(journal.get(e.id).tags) == {"ml", "ml/deep", "ml/nets"}
    assert journal.get(other.id).tags == ("ml",)
    zh = journal.add("光 #学习/物理")
    tags.rename("学习", "研究")
    assert journal.get(zh.id).title == "光 #研究/物理"
    tags.rename("研究/物理", "physics")
    assert journal.get(zh.id).title == "光 #physics"
    words = journal.add("力学 #学习/物理。然后 ＃学习")
    tags.rename("学习", "学 习")  # a name with a space takes the Weibo form
    assert journal.get(words.id).title == "力学 #学 习/物理#。然后 ＃学 习#"
    assert set(journal.get(words.id).tags) == {"学 习", "学 习/物理"}
    tags.rename("学 习", "学习")  # and back
    assert journal.get(words.id).title == "力学 #学习/物理。然后 ＃学习"


def test_refusals_change_nothing(services: Services, journal: Journal) -> None:
    e = journal.add("Growing #ml/grokking #ml")
    tags = TagService(services.db)
    with pytest.raises(InvalidValue, match="under itself"):
        tags.rename("ml", "ML/sub")
    with pytest.raises(TagNotFound):
        tags.rename("nothing", "something")
    with pytest.raises(InvalidValue, match="missing"):
        tags.rename("ml", "  /  ")
    with pytest.raises(InvalidValue, match="cannot be rewritten"):
        tags.rename("ml", "machine learning")  # two words cannot be written inline
    assert journal.get(e.id).title == "Growing #ml/grokking #ml"
    assert {t.name for t in journal.tag_counts()} == {"ml", "ml/grokking"}
    # a hand-added tag is not written anywhere: any name will do
    m = journal.add("Manual", tags=["reading list"])
    tags.rename("reading list", "to read")
    assert journal.get(m.id).tags == ("to read",)


@pytest.mark.parametrize(
    "name",
    ["'; DROP TABLE tag; --", "100%", "a_b", "emoji🚀", "עברית", "\u202ertl", "x" * 80, "%/_"],
)
def test_hostile_names(services: Services, journal: Journal, name: str) -> None:
    e = journal.add("Hostile", tags=[name, "keep"])
    stored = journal.get(e.id).tags
    old = next(t for t in stored if t != "keep")
    tags = TagService(services.db)
    tags.rename(old, "renamed")
    assert set(journal.get(e.id).tags) == {"renamed", "keep"}
    tags.rename("renamed", name)
    assert set(journal.get(e.id).tags) == {old, "keep"}
    assert {t.name for t in journal.tag_counts()} == {old, "keep"}
    conn = sqlite3.connect(services.db.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_entries_in_the_trash_are_renamed_too(services: Services, journal: Journal) -> None:
    e = journal.add("Old #ml")
    journal.delete(e.id)
    TagService(services.db).rename("ml", "ai")
    assert journal.get(e.id).title == "Old #ai"
    journal.restore(e.id)
    assert [t.name for t in journal.tag_counts()] == ["ai"]


def test_a_common_tag_is_walked_newest_first_and_finds_the_same(
    services: Services, journal: Journal
) -> None:
    """Whether a tag's entries are sorted or the entries walked newest first (a tag on many
    entries), the page is the same."""
    from questionbook.core.query import parse_query
    from questionbook.core.search_sql import find_summaries, search_statement

    for i in range(30):
        journal.add(f"entry {i} " + ("#common" if i % 2 else "#common/child #rare" * (i == 4)))
    conn = connect(services.db.path)
    try:
        for text in ("#common", "#rare", "#common kind:question"):
            query = parse_query(text)
            pages = []
            for common in (False, True):
                sql, params = search_statement(query, waterline=1, common_tags=common)
                pages.append([r[0] for r in conn.execute(sql, params)])
                plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
                assert ("TEMP B-TREE FOR ORDER BY" in plan) != common, plan  # sorted, or walked
            assert pages[0] == pages[1], text
        found = find_summaries(conn, "#common", limit=5)  # 30 entries: every tag is common
        assert [e.title for e in found] == [f"entry {i} #common" for i in (29, 27, 25, 23, 21)]
    finally:
        conn.close()
