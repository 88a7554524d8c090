"""Turn a :class:`~questionbook.core.query.Query` into one indexed SQL statement, and run it.

Plain SQL on a ``sqlite3`` connection, with the standard library alone, so that
``questionbook search`` starts without heavy imports; the command line and the app's search box
run the same statement and find the same entries in the same order.

User text never reaches SQL or FTS5 syntax directly: words go into bound parameters, quoted by
:func:`questionbook.core.text.fts_term`. So no query can raise a database error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, TypeVar

from questionbook.core import rows
from questionbook.core.entities import EntrySummary
from questionbook.core.entry_sql import current_waterline
from questionbook.core.query import Query, parse_query
from questionbook.core.rows import placeholders
from questionbook.core.schema import ENTRY
from questionbook.core.tags import subtree_range, tag_key
from questionbook.core.text import fts_term
from questionbook.core.timeutil import format_utc, local_day_bounds

#: The select list of a list row (:class:`EntrySummary`), its fields named as such.
SUMMARY_SELECT = rows.select_list(EntrySummary, ENTRY)
#: Above this many hits a text query lists newest first instead of ranking by relevance.
RANK_LIMIT = 2000
#: A tag on at least this share of the entries is "common": its first page comes faster by
#: walking the entries newest first than by sorting all of the tag's entries (100k entries: a
#: tag on 48,000 took 200 ms sorted, 47 ms walked; on 1,500, 8 ms either way).
COMMON_TAG_SHARE = 0.01
T = TypeVar("T")
_FTS_ROWIDS = "SELECT entry_fts.rowid FROM entry_fts WHERE entry_fts MATCH :{name}"


def match_expression(query: Query) -> str | None:
    """The FTS5 MATCH string for the query's words and phrases (AND), or None."""
    parts = [fts_term(t) for t in query.terms]
    parts += [fts_term(p, prefix=False) for p in query.phrases]
    kept = [p for p in parts if p]
    return " AND ".join(kept) if kept else None


def exclusion_expression(query: Query) -> str | None:
    parts = [fts_term(t) for t in query.excluded]
    kept = [p for p in parts if p]
    return " OR ".join(kept) if kept else None


#: The four quadrants of hardness (for AI) against reach (for you), as SQL on ``entry``.
QUADRANT_SQL = {
    "edge": "(entry.hardness > :waterline AND entry.reach <= 2)",
    "moonshot": "(entry.hardness > :waterline AND entry.reach >= 3)",
    "delegate": "(entry.hardness <= :waterline AND entry.reach >= 3)",
    "justdo": "(entry.hardness <= :waterline AND entry.reach <= 2)",
}


def evidence_conditions(query: Query, params: dict[str, Any], waterline: int) -> list[str]:
    """The WHERE parts of reach, quadrants, seals and trials (issue 17); fills *params*."""
    where: list[str] = []
    if query.reach_min is not None:
        where.append("entry.reach >= :reach_min")
        params["reach_min"] = query.reach_min
    if query.reach_max is not None:
        where.append("entry.reach <= :reach_max")
        params["reach_max"] = query.reach_max
    for name in query.quadrants:
        where.append(QUADRANT_SQL[name])
        params["waterline"] = waterline
    if query.sealed:
        where.append("entry.seal_level IS NOT NULL")
    if query.has_trial:
        where.append("entry.id IN (SELECT trial.entry_id FROM trial)")
    if query.verdicts:
        marks, found = placeholders("verdict", sorted(set(query.verdicts)))
        where.append(f"entry.id IN (SELECT trial.entry_id FROM trial WHERE verdict IN ({marks}))")
        params.update(found)
    return where


def search_statement(
    query: Query,
    *,
    waterline: int,
    trash: bool = False,
    tz: tzinfo | None = None,
    columns: str = SUMMARY_SELECT,
    ranked: bool = True,
    ordered: bool = True,
    common_tags: bool = False,
) -> tuple[str, dict[str, Any]]:
    """A SELECT of *columns* for the entries *query* finds, ordered as the user expects.

    Text queries rank by relevance (bm25) when *ranked*; filter-only queries list newest
    first. Ranking costs time in proportion to the number of hits, so callers ask for it only
    when a query has at most :data:`RANK_LIMIT` hits (see :func:`plan_search`). Without
    *ordered* there is no ORDER BY (counts, exports that sort for themselves). *common_tags*
    says every tag of the query is on many entries (see :data:`COMMON_TAG_SHARE`).
    """
    params: dict[str, Any] = {}
    # Without statistics SQLite takes "deleted_at IS NULL" for a selective index probe and
    # walks every live entry for a tag; unary + keeps it off that index, so the (few)
    # entries with the tag drive the query instead. A tag on many entries (a parent such as
    # #work with its subtree) is the other way round: walking the entries newest first finds
    # a page of them at once, where sorting all of them took 4-5 times as long.
    by_tag = bool(query.tags) and not (common_tags and not query.has_text)
    plus = "+" if by_tag or query.links_to or query.linked_from else ""
    where = [f"{plus}entry.deleted_at IS {'NOT NULL' if trash else 'NULL'}"]
    match = match_expression(query)
    if query.has_text and match is None:
        where.append("0")  # only punctuation to look for: nothing can match
    for field, values in (("kind", query.kinds), ("status", query.statuses)):
        if values:
            marks, found = placeholders(field, values)
            where.append(f"entry.{field} IN ({marks})")
            params.update(found)
    if query.hardness_min is not None:
        where.append("entry.hardness >= :hardness_min")
        params["hardness_min"] = query.hardness_min
    if query.hardness_max is not None:
        where.append("entry.hardness <= :hardness_max")
        params["hardness_max"] = query.hardness_max
    if query.unrated:
        where.append("entry.hardness IS NULL")
    if query.starred:
        where.append("entry.starred = 1")
    if query.submerged:
        where.append("entry.hardness IS NOT NULL AND entry.hardness <= :waterline")
        params["waterline"] = waterline
    if query.after is not None:
        where.append("entry.created_at >= :after")
        params["after"] = format_utc(local_day_bounds(query.after, tz)[1])
    if query.before is not None:
        where.append("entry.created_at < :before")
        params["before"] = format_utc(local_day_bounds(query.before, tz)[0])
    where += evidence_conditions(query, params, waterline)
    for i, tag in enumerate(query.tags):
        # The tag and every tag under it (#ml finds #ml/grokking): two probes of the unique
        # index on tag.key, never a scan of every tag.
        where.append(
            "entry.id IN (SELECT entry_tag.entry_id FROM entry_tag WHERE entry_tag.tag_id IN "
            f"(SELECT tag.id FROM tag WHERE tag.key = :tag{i}"
            f" OR (tag.key >= :tag{i}_lo AND tag.key < :tag{i}_hi)))"
        )
        key = tag_key(tag)
        params[f"tag{i}"] = key
        params[f"tag{i}_lo"], params[f"tag{i}_hi"] = subtree_range(key)
    where += _link_filters(query, params)
    excluded = exclusion_expression(query)
    if excluded:
        where.append(f"entry.num NOT IN ({_FTS_ROWIDS.format(name='excluded')})")
        params["excluded"] = excluded
    if match and not ranked:
        # Too many hits to rank (a first letter typed: "e" finds a third of the journal).
        # Walking the live entries newest first and checking each against the hits finds a
        # page at once; driven by the hits, SQLite fetched and sorted all 34,000 of them
        # (7 ms instead of 133 ms at 100k). Unary + keeps it from driving by the hits.
        # (Not for counts, nor when a tag or the Trash already picks the way.)
        walk = "+" if ordered and not plus and not trash else ""
        where.append(f"{walk}entry.num IN ({_FTS_ROWIDS.format(name='match')})")
        params["match"] = match
        match = None
    if match:
        params["match"] = match
        sql = (
            f"SELECT {columns} FROM entry_fts JOIN entry ON entry.num = entry_fts.rowid "
            f"WHERE entry_fts MATCH :match AND {' AND '.join(where)}"
        )
        return (f"{sql} ORDER BY entry_fts.rank, entry.created_at DESC" if ordered else sql), params
    sql = f"SELECT {columns} FROM entry WHERE {' AND '.join(where)}"
    if ordered:
        # A tag usually selects few entries: sort those rather than walk the whole
        # created_at index looking for them (unary + keeps SQLite off that index).
        order = "entry.deleted_at" if trash else "entry.created_at"
        sql += f" ORDER BY {plus}{order} DESC, entry.num DESC"
    return sql, params


def _link_filters(query: Query, params: dict[str, Any]) -> list[str]:
    """``links:ID`` and ``linked-from:ID`` as conditions on the link index (an id prefix is
    a range of ids, so both use an index)."""
    where = []
    for i, prefix in enumerate(query.links_to):
        where.append(
            "entry.id IN (SELECT source_id FROM entry_link WHERE "
            f"target_id >= :lt{i} AND target_id < :lt{i}_end)"
        )
        params[f"lt{i}"], params[f"lt{i}_end"] = prefix, prefix + "\uffff"
    for i, prefix in enumerate(query.linked_from):
        where.append(
            "entry.id IN (SELECT target_id FROM entry_link WHERE source_id IN "
            f"(SELECT id FROM entry WHERE id >= :lf{i} AND id < :lf{i}_end))"
        )
        params[f"lf{i}"], params[f"lf{i}_end"] = prefix, prefix + "\uffff"
    return where


def plan_search(
    conn: sqlite3.Connection,
    query: Query | str,
    *,
    trash: bool = False,
    tz: tzinfo | None = None,
    columns: str = SUMMARY_SELECT,
    ordered: bool = True,
) -> tuple[str, dict[str, Any]] | None:
    """The statement for *query* on this journal, or None when it certainly finds nothing.

    Three cheap looks first: a tag nobody uses (nor any tag under it) finds nothing, a tag on
    many entries is walked newest first rather than sorted, and a text query with more than
    :data:`RANK_LIMIT` hits is listed newest first rather than ranked.
    """
    q = parse_query(query) if isinstance(query, str) else query
    rarest: int | None = None
    for key in sorted({tag_key(t) for t in q.tags}):
        lo, hi = subtree_range(key)
        links = conn.execute(  # counted on the tag_id index: a few ms for 50,000 links
            "SELECT count(*) FROM entry_tag WHERE tag_id IN "
            "(SELECT id FROM tag WHERE key = ? OR (key >= ? AND key < ?))",
            (key, lo, hi),
        ).fetchone()[0]
        if not links:
            return None
        rarest = links if rarest is None else min(rarest, links)
    common = False
    if rarest is not None:
        newest = conn.execute("SELECT max(num) FROM entry").fetchone()[0] or 0
        common = rarest >= COMMON_TAG_SHARE * newest
    ranked = True
    match = match_expression(q)
    if match is not None and ordered:
        probe = f"SELECT count(*) FROM ({_FTS_ROWIDS.format(name='m')} LIMIT {RANK_LIMIT + 1})"
        ranked = conn.execute(probe, {"m": match}).fetchone()[0] <= RANK_LIMIT
    return search_statement(
        q,
        waterline=current_waterline(conn),
        trash=trash,
        tz=tz,
        columns=columns,
        ranked=ranked,
        ordered=ordered,
        common_tags=common,
    )


def find_summaries(
    conn: sqlite3.Connection,
    query: Query | str,
    *,
    trash: bool = False,
    tz: tzinfo | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[EntrySummary]:
    """One page of the entries *query* finds, in the order the user expects."""
    return find_converted(conn, query, _same, trash=trash, tz=tz, limit=limit, offset=offset)


def _same(summary: EntrySummary) -> EntrySummary:
    return summary


def find_converted(
    conn: sqlite3.Connection,
    query: Query | str,
    convert: Callable[[EntrySummary], T],
    *,
    trash: bool = False,
    tz: tzinfo | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[T]:
    """:func:`find_summaries`, each summary passed through *convert* as it is read: a list
    that keeps less of each (the app's list keeps a one-line snippet of the 400 characters
    read) then never holds a whole page of full summaries at once."""
    plan = plan_search(conn, query, trash=trash, tz=tz)
    if plan is None:
        return []
    sql, params = plan
    params = {**params, "limit": -1 if limit is None else limit, "offset": offset}
    cur = conn.execute(f"{sql} LIMIT :limit OFFSET :offset", params)
    cur.row_factory = rows.row_type(cur)
    decode = rows.decoder(EntrySummary, ENTRY)
    return [convert(decode(r)) for r in cur]


def count_matches(
    conn: sqlite3.Connection, query: Query | str, *, trash: bool = False, tz: tzinfo | None = None
) -> int:
    plan = plan_search(conn, query, trash=trash, tz=tz, columns="entry.num", ordered=False)
    if plan is None:
        return 0
    sql, params = plan
    return int(conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


def find_ids(
    conn: sqlite3.Connection, query: Query | str, *, trash: bool = False, tz: tzinfo | None = None
) -> list[str]:
    """Every matching id in order (cheap: used for paging in large lists and exports)."""
    plan = plan_search(conn, query, trash=trash, tz=tz, columns="entry.id")
    return [] if plan is None else [r[0] for r in conn.execute(*plan)]
