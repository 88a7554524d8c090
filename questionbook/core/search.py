"""Turn a :class:`~questionbook.core.query.Query` into one indexed SQL statement.

User text never reaches SQL or FTS5 syntax directly: words go into bound parameters, quoted
by :func:`questionbook.core.text.fts_term`. So no query can raise a database error.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from sqlalchemy import Select, and_, column, false, func, select, table, text

from questionbook.core.entities import EntrySummary, split_tags
from questionbook.core.models import EntryRecord, EntryTagLink, TagRecord
from questionbook.core.query import Query
from questionbook.core.tags import tag_key
from questionbook.core.text import fts_term
from questionbook.core.timeutil import local_day_bounds

E = EntryRecord.__table__.c  # type: ignore[attr-defined]
LINK = EntryTagLink.__table__.c  # type: ignore[attr-defined]
TAG = TagRecord.__table__.c  # type: ignore[attr-defined]
FTS = table("entry_fts", column("rowid"), column("rank"))
HEAD_CHARS = 400

SUMMARY_COLUMNS = (
    E.id,
    E.kind,
    E.title,
    func.substr(E.body, 1, HEAD_CHARS).label("head"),
    E.status,
    E.hardness,
    E.starred,
    E.tags_text,
    E.created_at,
    E.updated_at,
    E.deleted_at,
    E.outcome,
)


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


def _fts_rowids(expression: str, name: str) -> Any:
    return select(FTS.c.rowid).where(
        text(f"entry_fts MATCH :{name}").bindparams(**{name: expression})
    )


def _tag_filter(name: str) -> Any:
    tag_ids = select(TAG.id).where(TAG.key == tag_key(name))
    return E.id.in_(select(LINK.entry_id).where(LINK.tag_id.in_(tag_ids)))


def build_select(
    query: Query,
    *,
    waterline: int,
    trash: bool = False,
    tz: tzinfo | None = None,
    columns: tuple[Any, ...] = SUMMARY_COLUMNS,
    ranked: bool = True,
) -> Select[Any]:
    """A SELECT of *columns* for the entries *query* finds, ordered as the user expects.

    Text queries rank by relevance (bm25) when *ranked*; filter-only queries list newest
    first. Ranking costs time in proportion to the number of hits, so the service asks for
    it only when a query has at most :data:`RANK_LIMIT` hits (see :func:`hit_probe`).
    """
    if query.tags:
        # Without statistics SQLite takes "deleted_at IS NULL" for a selective index probe and
        # walks every live entry; unary + keeps it off that index, so the (few) entries with
        # the tag drive the query instead.
        live = text("+entry.deleted_at IS NOT NULL" if trash else "+entry.deleted_at IS NULL")
    else:
        live = E.deleted_at.is_not(None) if trash else E.deleted_at.is_(None)
    conditions: list[Any] = [live]
    match = match_expression(query)
    words_unmatchable = bool(query.terms or query.phrases) and match is None
    if words_unmatchable:
        conditions.append(false())
    if query.kinds:
        conditions.append(E.kind.in_(query.kinds))
    if query.statuses:
        conditions.append(E.status.in_(query.statuses))
    if query.hardness_min is not None:
        conditions.append(E.hardness >= query.hardness_min)
    if query.hardness_max is not None:
        conditions.append(E.hardness <= query.hardness_max)
    if query.unrated:
        conditions.append(E.hardness.is_(None))
    if query.starred:
        conditions.append(E.starred.is_(True))
    if query.submerged:
        conditions.append(and_(E.hardness.is_not(None), E.hardness <= waterline))
    if query.after is not None:
        conditions.append(E.created_at >= local_day_bounds(query.after, tz)[1])
    if query.before is not None:
        conditions.append(E.created_at < local_day_bounds(query.before, tz)[0])
    conditions.extend(_tag_filter(tag) for tag in query.tags)
    excluded = exclusion_expression(query)
    if excluded:
        conditions.append(E.num.not_in(_fts_rowids(excluded, "excluded")))

    if match and not ranked:
        conditions.append(E.num.in_(_fts_rowids(match, "match")))
        match = None
    if match:
        stmt = (
            select(*columns)
            .select_from(FTS.join(EntryRecord.__table__, E.num == FTS.c.rowid))  # type: ignore[attr-defined]
            .where(text("entry_fts MATCH :match").bindparams(match=match), *conditions)
            .order_by(FTS.c.rank, E.created_at.desc())
        )
    else:
        order = E.deleted_at.desc() if trash else E.created_at.desc()
        if query.tags:
            # A tag usually selects few entries: sort those rather than walk the whole
            # created_at index looking for them (unary + keeps SQLite off that index).
            order = text("+entry.deleted_at DESC" if trash else "+entry.created_at DESC")
        stmt = select(*columns).where(*conditions).order_by(order, E.num.desc())
    return stmt


#: Above this many hits a text query lists newest first instead of ranking by relevance.
RANK_LIMIT = 2000


def hit_probe(query: Query) -> Any | None:
    """A cheap statement counting a query's full-text hits, capped at RANK_LIMIT + 1."""
    match = match_expression(query)
    if match is None:
        return None
    inner = _fts_rowids(match, "probe").limit(RANK_LIMIT + 1).subquery()
    return select(func.count()).select_from(inner)


def summary_from_row(row: Any) -> EntrySummary:
    return EntrySummary(
        id=row.id,
        kind=row.kind,
        title=row.title,
        head=row.head,
        status=row.status,
        hardness=row.hardness,
        starred=bool(row.starred),
        tags=split_tags(row.tags_text),
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        outcome=row.outcome,
    )
