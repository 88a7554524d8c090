"""Alembic environment, run from code only (see :mod:`questionbook.storage.migrate`).

No ``fileConfig`` (it would disable the app's loggers); the connection comes in through
``config.attributes``; FTS tables are left out of autogenerate; the whole upgrade runs in one
transaction (our engine issues ``BEGIN`` itself, so SQLite DDL is transactional).
"""

from __future__ import annotations

from typing import Any

from alembic import context

from questionbook.storage.fts import is_fts_name
from questionbook.storage.sa_schema import metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and is_fts_name(name))


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        transactional_ddl=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("QuestionBook migrations run online only")
run_migrations_online()
