"""Copying a whole project database to a new one: a file or a PostgreSQL database, either way.

The target gets the current schema from the same Alembic migrations, then every table's rows
in dependency order, in chunks of Core inserts, all in ONE transaction on the target: the
counts and checksums are verified inside that transaction, which commits only when they equal
the source's. A failure therefore leaves the target as it was (an empty database, or for a
file a temporary file the caller removes). The source is read in one transaction too, so it is
copied as of one moment even while coders work on it.

A checksum is order-independent (sha256 over the sorted sha256 of each row's normalised
values), so it does not depend on how each database sorts text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text

from annotator.storage.orm import Base
from annotator.storage.schema import upgrade_connection

CHUNK_ROWS = 2000
#: Bookkeeping of SQLite's lazy search index: it belongs to the target's own index, not copied.
LOCAL_KEYS = ("search_indexed_upto",)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TableCheck:
    rows: int
    checksum: str


class CopyMismatch(Exception):
    """The target's rows differ from the source's (the target's transaction is rolled back)."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(", ".join(tables))
        self.tables = tables


def tables() -> list[Table]:
    """Every table of a project, parents before children."""
    return list(Base.metadata.sorted_tables)


def _selection(table: Table) -> Any:
    query = select(table).order_by(*table.primary_key.columns)
    if table.name == "project_info":
        query = query.where(table.c.key.not_in(LOCAL_KEYS))
    return query


def _count(connection: Connection, table: Table) -> int:
    query = select(func.count()).select_from(table)
    if table.name == "project_info":
        query = query.where(table.c.key.not_in(LOCAL_KEYS))
    return int(connection.execute(query).scalar_one())


def _normal(value: Any) -> str:
    if value is None:
        return "\x00N"
    if isinstance(value, bool):
        return "\x00T" if value else "\x00F"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return repr(float(value))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _rows(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(
        _selection(table)
    )
    for chunk in result.mappings().partitions(CHUNK_ROWS):
        yield [dict(row) for row in chunk]


def check_table(connection: Connection, table: Table) -> TableCheck:
    digests: list[bytes] = []
    for chunk in _rows(connection, table):
        for row in chunk:
            line = "\x1f".join(_normal(row[c.name]) for c in table.columns)
            digests.append(hashlib.sha256(line.encode("utf-8", "surrogatepass")).digest())
    digests.sort()
    return TableCheck(len(digests), hashlib.sha256(b"".join(digests)).hexdigest())


def check_project(connection: Connection) -> dict[str, TableCheck]:
    """Row count and checksum of every table."""
    return {table.name: check_table(connection, table) for table in tables()}


def copy_database(source: Engine, target: Engine, progress: Progress | None = None) -> dict[str, TableCheck]:
    """Copy every row of ``source`` (at the current schema) into the empty database ``target``.

    Returns the verified checks. Raises CopyMismatch (nothing committed) when they differ.
    """
    read = {"isolation_level": "REPEATABLE READ"} if source.dialect.name == "postgresql" else {}
    with source.connect().execution_options(**read) as reader, reader.begin():
        total = sum(_count(reader, table) for table in tables())
        with target.begin() as writer:
            upgrade_connection(writer)
            for table in reversed(tables()):  # rows the migrations seed (study_id) are the source's
                clear = delete(table)
                if table.name == "project_info":
                    clear = clear.where(table.c.key.not_in(LOCAL_KEYS))
                writer.execute(clear)
            done = 0
            for table in tables():
                for chunk in _rows(reader, table):
                    writer.execute(insert(table), chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total, table.name)
            if target.dialect.name == "postgresql":
                _reset_sequences(writer)
            expected = check_project(reader)
            copied = check_project(writer)
            differ = [name for name in expected if expected[name] != copied[name]]
            if differ:
                raise CopyMismatch(differ)  # leaving the block rolls the target back
    return expected


def _reset_sequences(connection: Connection) -> None:
    """Rows came with their ids: the next id the server hands out must follow the largest."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].name != "id":
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
