"""rows.fetch builds projections from positional values when it can (issue 21: an export
reads 100,000 entries); the result must be exactly what decoding by column name gives."""

from __future__ import annotations

from questionbook.core import rows
from questionbook.core.entities import Entry, HardnessChange
from questionbook.core.journal import Journal
from questionbook.core.schema import ENTRY, HARDNESS_RATING


def _by_name(journal: Journal, proj: type, table, sql: str) -> list:
    with journal.db.read() as conn:
        cur = conn.execute(sql.format(columns=rows.select_list(proj, table)))
        cur.row_factory = rows.row_type(cur)
        decode = rows.decoder(proj, table)
        return [decode(r) for r in cur]


def test_fetch_by_position_equals_fetch_by_name(journal: Journal) -> None:
    a = journal.add("Why does the 水位 rise? #tide", kind="question", tags=["x", "y"])
    journal.update(a.id, hardness=3, starred=True)
    journal.add("a plain note")
    sql = "SELECT {columns} FROM entry ORDER BY num"
    with journal.db.read() as conn:
        fast = rows.fetch(conn, Entry, ENTRY, sql)
    assert fast == _by_name(journal, Entry, ENTRY, sql)
    assert fast[0].tags == ("tide", "x", "y") and fast[0].starred is True
    assert fast[0].created_at.tzinfo is not None


def test_fetch_with_key_and_an_extra_column(journal: Journal) -> None:
    a = journal.add("rated", kind="question")
    journal.update(a.id, hardness=2)
    with journal.db.read() as conn:
        keyed = rows.fetch_with_key(
            conn,
            HardnessChange,
            HARDNESS_RATING,
            "entry_id",
            "SELECT {columns} FROM hardness_rating",
        )
        # A select list beyond {columns} is decoded by name, as before.
        extra = rows.fetch(conn, Entry, ENTRY, "SELECT {columns}, 1 AS extra FROM entry")
    assert [k for k, _h in keyed] == [a.id] * len(keyed) and keyed[-1][1].level == 2
    assert [e.id for e in extra] == [a.id]
