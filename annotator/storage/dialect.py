"""What differs between SQLite and PostgreSQL, chosen by the dialect of the session's engine.

Repositories stay one code path: they ask here for an ``INSERT ... ON CONFLICT`` of the right
dialect, or whether they run on a server. Both dialects' inserts offer the same
``on_conflict_do_update`` / ``on_conflict_do_nothing`` and ``excluded``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Integer, String
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

POSTGRESQL = "postgresql"


def dialect_name(bind: Session | Connection | Engine) -> str:
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name
    if isinstance(bind, Connection):
        return bind.dialect.name
    return bind.dialect.name


def on_server(bind: Session | Connection | Engine) -> bool:
    return dialect_name(bind) == POSTGRESQL


def upsert(bind: Session | Connection | Engine, table: Any) -> Any:
    """An ``INSERT`` into ``table`` that can take ``on_conflict_do_update``, for this dialect."""
    return upsert_in(dialect_name(bind), table)


def upsert_in(dialect: str, table: Any) -> Any:
    """:func:`upsert` by dialect name (for statements built once per dialect)."""
    return postgresql_insert(table) if dialect == POSTGRESQL else sqlite_insert(table)


class text_position(FunctionElement[int]):
    """Where ``needle`` first stands in ``haystack`` (1-based, 0 if absent), case-sensitively:
    SQLite's ``instr``, PostgreSQL's ``strpos``."""

    type = Integer()
    inherit_cache = True


@compiles(text_position)
def _text_position_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(text_position, "postgresql")
def _text_position_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class json_kind(FunctionElement[str]):
    """The JSON type of a value ('null', 'text'/'string', ...): SQLite's ``json_type``,
    PostgreSQL's ``json_typeof``. Both call JSON null 'null'."""

    type = String()
    inherit_cache = True


@compiles(json_kind)
def _json_kind_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"json_type({compiler.process(element.clauses, **kw)})"


@compiles(json_kind, "postgresql")
def _json_kind_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"json_typeof({compiler.process(element.clauses, **kw)})"
