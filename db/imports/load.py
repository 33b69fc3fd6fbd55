"""Import CSV files into the store: all rows valid and written in one transaction, or none.

Rows are validated as they stream past, so a large file needs little memory; the
writes are upserts keyed on ``id``, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, Table, select

from db.bulk import chunks, sync_sequences, upsert
from db.domain import transitions
from db.imports.rows import CourierRow, CustomerRow, MerchantRow, OrderRow
from db.models import Base, Courier, Customer, Merchant, Order, Zone

MAX_REPORTED = 50


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file; the header is line 1
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class ImportRejectedError(ValueError):
    """The file was not imported; nothing was written."""

    def __init__(self, path: Path, errors: list[RowError], total: int) -> None:
        self.errors, self.total = errors, total
        shown = "\n".join(f"  {e}" for e in errors)
        more = f"\n  ... and {total - len(errors)} more" if total > len(errors) else ""
        super().__init__(f"{path}: {total} bad row(s), nothing imported:\n{shown}{more}")


ImportRow = MerchantRow | CustomerRow | CourierRow | OrderRow
# The models a row may name by id.
Referenced = type[Zone] | type[Customer] | type[Merchant] | type[Courier]


@dataclass(frozen=True)
class Kind:
    schema: type[ImportRow]
    model: type[Base]
    references: dict[str, Referenced] = field(default_factory=dict)


KINDS: dict[str, Kind] = {
    "merchants": Kind(MerchantRow, Merchant, {"zone_id": Zone}),
    "customers": Kind(CustomerRow, Customer, {"zone_id": Zone}),
    "couriers": Kind(CourierRow, Courier, {"zone_id": Zone}),
    "orders": Kind(
        OrderRow,
        Order,
        {"customer_id": Customer, "merchant_id": Merchant, "courier_id": Courier},
    ),
}


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int


def _errors_from(exc: ValidationError, line: int) -> list[RowError]:
    found = []
    for err in exc.errors():
        column = ".".join(str(p) for p in err["loc"])
        reason = err["msg"].removeprefix("Value error, ")
        if not column and ": " in reason:
            column, reason = reason.split(": ", 1)
        found.append(RowError(line, column or "(row)", reason))
    return found


def count_rows(path: Path) -> int:
    with path.open("rb") as f:
        return max(sum(1 for _ in f) - 1, 0)


def _complete_orders(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Orders take their zone from the merchant."""
    zone_of = dict(
        conn.execute(
            select(Merchant.id, Merchant.zone_id).where(
                Merchant.id.in_({r["merchant_id"] for r in rows})
            )
        ).all()
    )
    for r in rows:
        r["zone_id"] = zone_of[r["merchant_id"]]
        r["items"] = [i.model_dump() if isinstance(i, BaseModel) else i for i in r["items"]]


def import_csv(
    engine: Engine, kind: str, path: Path, progress: Callable[[int], None] | None = None
) -> ImportResult:
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    spec = KINDS[kind]
    table: Table = spec.model.__table__
    errors: list[RowError] = []
    bad = 0
    written = 0
    with engine.begin() as conn, path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        _check_header(path, reader.fieldnames, spec.schema)
        known = {
            col: set(conn.scalars(select(ref.id)).all()) for col, ref in spec.references.items()
        }
        seen: set[int] = set()

        def valid_rows() -> Iterable[dict[str, Any]]:
            nonlocal bad
            for line, raw in enumerate(reader, start=2):
                row, row_errors = _validate(spec, raw, line, known, seen)
                if row_errors:
                    bad += 1
                    errors.extend(row_errors[: max(0, MAX_REPORTED - len(errors))])
                elif not bad and row is not None:  # a row without errors is there
                    yield row.model_dump()
                if progress:
                    progress(1)

        for batch in chunks(valid_rows()):
            if bad:
                continue
            if kind == "orders":
                _complete_orders(conn, batch)
                transitions.record(conn, batch, actor="import")
            else:
                upsert(conn, table, batch, keys=["id"])
            written += len(batch)
        if bad:
            raise ImportRejectedError(path, errors, bad)
        sync_sequences(conn)
    return ImportResult(kind, written)


def _validate(
    spec: Kind, raw: dict[str, Any], line: int, known: dict[str, set[int]], seen: set[int]
) -> tuple[ImportRow | None, list[RowError]]:
    """The validated row, or the reasons it is refused."""
    if None in raw:
        return None, [RowError(line, "(row)", "more fields than the header has columns")]
    try:
        row = spec.schema.model_validate(raw)
    except ValidationError as exc:
        return None, _errors_from(exc, line)
    found = []
    for column, ids in known.items():
        value = getattr(row, column)
        if value is not None and value not in ids:
            found.append(RowError(line, column, f"no {column.removesuffix('_id')} with id {value}"))
    if row.id in seen:
        found.append(RowError(line, "id", f"id {row.id} appears twice in the file"))
    seen.add(row.id)
    return row, found


def _check_header(path: Path, header: Sequence[str] | None, schema: type[BaseModel]) -> None:
    if not header:
        raise ImportRejectedError(path, [RowError(1, "(header)", "the file is empty")], 1)
    fields = schema.model_fields
    required = [n for n, f in fields.items() if f.is_required()]
    problems = [RowError(1, c, "required column is missing") for c in required if c not in header]
    problems += [RowError(1, c, "unknown column") for c in header if c not in fields]
    if problems:
        raise ImportRejectedError(path, problems, len(problems))
