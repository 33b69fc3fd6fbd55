"""Batch writes shared by the seed and the importers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models import Base, Order, Zone

CHUNK = 5_000


def chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Insert rows in executemany batches; returns how many went in."""
    written = 0
    for batch in chunks(rows):
        conn.execute(insert(table), batch)
        written += len(batch)
        if on_chunk:
            on_chunk(len(batch))
    return written


def is_empty(conn: Connection) -> bool:
    return not conn.scalar(select(func.count()).select_from(Zone)) and not conn.scalar(
        select(func.count()).select_from(Order)
    )


def clear_all(conn: Connection) -> None:
    """Delete every row of every table, children first (those the schema has yet)."""
    present = set(inspect(conn).get_table_names())
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in present:
            conn.execute(delete(table))


def sync_sequences(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """After rows were written with explicit ids, move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables if tables is None else tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        name, column = table.name, pk[0].name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
            )
        )


def upsert(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    columns: Sequence[str] | None = None,
) -> None:
    """Insert rows, or update `columns` (default: all but the keys) where `keys` already exist."""
    insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert_(table)
    names = columns or [c.name for c in table.columns if c.name not in keys]
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in names}
        ),
        rows,
    )
