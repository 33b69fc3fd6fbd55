"""A CSV line longer than its header: R's row names, a separator ending every line, or a
value split at an unquoted comma (``1,234``), told apart by counting each line's fields.

pandas takes a first line longer than the header for row names, and reads a missing last
field as it reads an empty one, so the lines are counted with the csv module instead.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import lzma
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from forecasting.errors import InputFormatError

if TYPE_CHECKING:
    import pandas as pd

OPENERS: dict[str, Callable[..., IO[Any]]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


class RaggedRows(InputFormatError):
    """A line has more fields than the header names."""


@dataclass(frozen=True)
class Line:
    number: int  # the line the record ends on, as an editor counts
    fields: int
    last_empty: bool


def lines(
    path: Path, sep: str, compressed: tuple[str, ...], encoding: str | None = None
) -> list[Line] | None:
    """Each record after the header, blank ones left out as pandas leaves them; None where
    the csv module cannot read the file (a zip or zstd archive, a field past its limit)."""
    suffix = path.suffix.lower()
    if suffix in compressed and suffix not in OPENERS:
        return None
    opener = OPENERS.get(suffix, open)
    try:
        with opener(path, "rt", newline="", encoding=encoding or "utf-8", errors="replace") as file:
            reader = csv.reader(file, delimiter=sep, skipinitialspace=True)
            found = [
                Line(reader.line_num, len(record), not record[-1].strip())
                for record in reader
                if any(field.strip() for field in record)
            ]
    except csv.Error:
        return None
    return found[1:]


def row_names_or_split(
    path: Path,
    sep: str,
    table: pd.DataFrame,
    compressed: tuple[str, ...],
    encoding: str | None = None,
) -> bool:
    """For a table pandas read with row names: False where they are R's (every line one
    field longer than the header), True where every line ends in a separator and no field
    is past it (read again without names). ``RaggedRows`` where a value was split."""
    import pandas as pd

    header = len(table.columns)
    counted = lines(path, sep, compressed, encoding)
    if isinstance(table.index, pd.MultiIndex):  # two fields or more past the header's
        first = next((line for line in counted or [] if line.fields > header + 1), None)
        if first is None:
            raise ragged(2, header + table.index.nlevels, header, sep)
        raise ragged(first.number, first.fields, header, sep)
    # R numbers its row names, 1, 2, ... or what a subset kept of them.
    names = pd.Series(table.index, dtype=str)
    numbered = bool(names.str.fullmatch(r"\d+").all()) and names.is_unique
    if counted is not None:
        if any(line.fields != header + 1 for line in counted):
            first = next(line for line in counted if line.fields > header)
            raise ragged(first.number, first.fields, header, sep)
        if not numbered and all(line.last_empty for line in counted):
            return True
    if not numbered and cut_numbers(table):
        raise ragged(2, header + 1, header, sep)
    return False


def cut_numbers(table: pd.DataFrame) -> bool:
    """Whether every line's last two fields read as one number cut at a thousands comma
    (``1`` and ``234``)."""
    if len(table.columns) < 2:
        return False
    head, tail = table.iloc[:, -2].astype(str), table.iloc[:, -1].astype(str)
    return bool(
        head.str.fullmatch(r"-?\d{1,3}").all() and tail.str.fullmatch(r"\d{3}(\.\d+)?").all()
    )


def ragged(line: int, fields: int, header: int, sep: str) -> RaggedRows:
    reason = f"line {line} has {fields} fields where the header has {header}"
    if sep != ",":
        return RaggedRows(reason)
    return RaggedRows(
        f"{reason}; if a number there has a thousands comma, quote it or write it plain "
        '("1,234" or 1234)'
    )
