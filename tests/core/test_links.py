"""Links between entries: stored by id, indexed from the text, shown both ways, searchable."""

from __future__ import annotations

from questionbook.core import links
from questionbook.core.journal import Journal
from questionbook.core.links import MISSING, OK, TRASHED, link_markup
from questionbook.core.query import parse_query
from questionbook.services import Services


def test_link_survives_renaming_the_target(journal: Journal, services: Services) -> None:
    target = journal.add("Why does grokking happen suddenly?")
    source = journal.add("Plan", f"Start from {link_markup(target.id, target.title)}.")
    assert source.body == f"Start from [[{target.id}|Why does grokking happen suddenly?]]."
    journal.update(target.id, title="What makes grokking sudden?")
    assert [t.title for t in services.links.outgoing(source.id)] == ["What makes grokking sudden?"]
    assert services.links.display_text(source.body) == "Start from What makes grokking sudden?."
    assert services.links.backlink_ids(target.id) == [source.id]


def test_links_are_rederived_on_every_save(journal: Journal, services: Services) -> None:
    a, b, c = journal.add("A"), journal.add("B"), journal.add("C")
    src = journal.add("src", f"[[{a.id}]] and [[{b.id}|B]] and [[{a.id}]] again")
    assert [t.id for t in services.links.outgoing(src.id)] == [a.id, b.id]
    journal.update(src.id, body=f"only [[{c.id}]] now, and `[[{a.id}]]` in code is text")
    assert [t.id for t in services.links.outgoing(src.id)] == [c.id]
    assert services.links.backlink_ids(a.id) == []
    journal.update(src.id, body=f"[[{src.id}|myself]]")  # a link to itself is not indexed
    assert services.links.outgoing(src.id) == []


def test_links_to_trashed_and_missing_entries_say_so(journal: Journal, services: Services) -> None:
    trashed, purged = journal.add("Old idea"), journal.add("Gone for good")
    src = journal.add("src", f"[[{trashed.id}|Old idea]] [[{purged.id}|Gone for good]]")
    journal.delete(trashed.id)
    journal.purge(purged.id)
    states = {t.id: (t.state, t.title) for t in services.links.outgoing(src.id)}
    assert states == {trashed.id: (TRASHED, "Old idea"), purged.id: (MISSING, "")}
    assert services.links.display_text(src.body) == "Old idea Gone for good"
    assert OK == "ok"


def test_backlinks_carry_the_sentence_around_each_link(
    journal: Journal, services: Services
) -> None:
    target = journal.add("电梯问题")
    source = journal.add(
        "读书笔记",
        f"第一句没有链接。这里提到了 [[{target.id}|旧标题]] 的想法！最后一句。\n\n"
        f"- **See** [[{target.id}]] again",
    )
    journal.add("trashed source", f"[[{target.id}]]")
    journal.delete(journal.find("trashed source")[0].id)
    found = services.links.backlinks(target.id)
    assert [b.source.id for b in found] == [source.id]  # the Trash is not "linked from"
    assert found[0].sentences == ("这里提到了 电梯问题 的想法！", "See 电梯问题 again")


def test_search_links_and_linked_from(journal: Journal) -> None:
    target = journal.add("target")
    other = journal.add("other")
    src = journal.add("src", f"[[{target.id}]] [[{other.id}]]")
    journal.add("unrelated")
    assert [s.id for s in journal.find(f"links:{target.id}")] == [src.id]
    assert [s.id for s in journal.find(f"links:{target.id[:8]}")] == [src.id]
    assert {s.id for s in journal.find(f"linked-from:{src.id[:6]}")} == {target.id, other.id}
    assert journal.count(f"linked-from:{src.id} other") == 1
    bad = parse_query("links:nothex!")  # not an id: reported, not searched
    assert [p.token for p in bad.problems] == ["links:nothex!"]


def test_completion_finds_titles_by_prefix_and_substring(
    journal: Journal, services: Services
) -> None:
    journal.add("电梯为什么会突然停下")
    journal.add("关于电梯的想法")
    journal.add("Elevator pitch for the lab")
    journal.add("Why elevators stall")
    gone = journal.add("电梯 in the Trash")
    journal.delete(gone.id)
    titles = [s.title for s in services.links.complete("电梯")]
    assert titles == ["电梯为什么会突然停下", "关于电梯的想法"]  # starts-with first
    assert [s.title for s in services.links.complete("elev")] == [
        "Elevator pitch for the lab",
        "Why elevators stall",
    ]
    assert [s.title for s in services.links.complete("突然")] == ["电梯为什么会突然停下"]
    assert len(services.links.complete("")) == 4  # nothing typed: the latest entries
    assert services.links.complete('"*') == services.links.complete("")  # no FTS syntax error


def test_markup_and_labels() -> None:
    eid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert link_markup(eid, "a [b] | c\nd") == f"[[{eid}|a (b) / c d]]"
    assert links.parse_links(f"x [[{eid}|a (b) / c d]] y") == [eid]
    assert links.parse_links("[[not an id]]") == []


def test_demo_has_a_picture_and_links(journal: Journal, services: Services) -> None:
    from questionbook.demo import fill_demo

    fill_demo(journal)
    morning = journal.find("Morning pages")[0]
    (picture,) = services.attachments.attached(morning.id)
    assert picture.mime == "image/png" and picture.name == "waterline-sketch.png"
    resolved = services.attachments.resolve(f"attachment:{picture.sha256}/x")
    assert resolved is not None and resolved.problem is None and resolved.data[:4] == b"\x89PNG"
    assert len(services.links.outgoing(morning.id)) == 2
    grokking = journal.find("grokking suddenly")[0]
    assert [b.source.id for b in services.links.backlinks(grokking.id)] == [morning.id]


def test_preview_markdown_makes_links_followable(journal: Journal, services: Services) -> None:
    ok, trashed = journal.add("Live [one]"), journal.add("Old")
    journal.delete(trashed.id)
    ghost = "0f8fad5b-d9cb-469f-a165-70867728950e"
    text = f"[[{ok.id}|x]] [[{trashed.id}]] [[{ghost}|Gone]]"
    shown = services.links.preview_markdown(
        text, {"trashed": "(in the Trash)", "missing": "(missing)"}
    )
    assert shown == (
        f"[Live (one)](entry:{ok.id}) ~~[Old](entry:{trashed.id})~~ (in the Trash) "
        f"~~[Gone](entry:{ghost})~~ (missing)"
    )
