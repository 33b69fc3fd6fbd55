"""CSV files as spreadsheets and databases write them: comma, semicolon or tab separated,
UTF-8, Windows-1252 or UTF-16 with its byte order mark (Excel's "Unicode Text"), plain or
compressed (pandas infers that from the name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from apps.cli.csv_row_names import ragged, row_names_or_split
from forecasting.errors import InputFormatError

if TYPE_CHECKING:
    import pandas as pd

# Spreadsheets set to a European locale write "ds;y" and "12,5"; tab-separated exports too.
SEPARATORS = (",", ";", "\t")
COMPRESSED = (".gz", ".bz2", ".xz", ".zip", ".zst", ".tar")
# The first bytes of files people mistake for CSV: a workbook (a zip, or the old OLE2
# format) and Parquet.
SPREADSHEET = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
UTF16 = (b"\xff\xfe", b"\xfe\xff")


class NotText(InputFormatError):
    """The file is a spreadsheet or other binary file, not CSV text."""


# pandas' C parser: "Error tokenizing data. C error: Expected 2 fields in line 5, saw 3"
EXTRA_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def check_text(path: Path) -> str | None:
    """Refuse a workbook or other binary file by its first bytes (``NotText``); the
    encoding where its byte order mark names one that is not UTF-8, else None."""
    if path.suffix.lower() in COMPRESSED:
        return None
    with path.open("rb") as file:
        start = file.read(2048)
    if start.startswith(SPREADSHEET):
        raise NotText("a spreadsheet workbook, not CSV text: save it as CSV first")
    # Excel's "Unicode Text" is UTF-16 behind a byte order mark, zero bytes and all.
    if start.startswith(UTF16):
        return "utf-16"
    if b"\x00" in start:
        raise NotText("a binary file, not CSV text (UTF-16 text needs its byte order mark)")
    return None


def read(
    path: Path,
    sep: str,
    nrows: int | None = None,
    row_names: bool = True,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Every field as text, so bad values can be named as written in the file; a file
    that is not UTF-8 is read as Windows-1252, as Excel saves a CSV in Western Europe,
    unless ``encoding`` names its own. Without ``row_names`` a line's field past the
    header's is dropped, not read as names."""
    import pandas as pd

    def attempt(encoding: str) -> pd.DataFrame:
        return pd.read_csv(
            path,
            sep=sep,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            nrows=nrows,
            index_col=None if row_names else False,
        )

    if encoding is not None:
        return attempt(encoding)
    try:
        return attempt("utf-8-sig")
    except UnicodeDecodeError:
        return attempt("cp1252")


def separator(path: Path, encoding: str | None = None) -> str:
    """A comma, unless the header is one column whose name holds more semicolons or tabs."""
    [*header] = read(path, ",", nrows=0, encoding=encoding).columns
    if len(header) != 1:
        return ","
    return max(SEPARATORS, key=str(header[0]).count)


def read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    """The table and the separator it was read with; ``InputFormatError`` for a binary
    file (``NotText``) or a line longer than the header (``RaggedRows``), and pandas' and
    the file system's own errors as they come."""
    import pandas as pd

    encoding = check_text(path)
    sep = separator(path, encoding)
    try:
        table = read(path, sep, encoding=encoding)
    except pd.errors.ParserError as error:
        found = EXTRA_FIELDS.search(str(error))
        if found is None:
            raise
        _, line, fields = map(int, found.groups())
        header = read(path, sep, nrows=0, encoding=encoding).columns
        raise ragged(line, fields, len(header), sep) from error
    # pandas reads a first line one field longer than the header as row names.
    if not isinstance(table.index, pd.RangeIndex) and row_names_or_split(
        path, sep, table, COMPRESSED, encoding
    ):
        return read(path, sep, row_names=False, encoding=encoding), sep
    return table, sep


def option(field: str) -> str:
    """The command-line option that names the column read as ``field``."""
    return f"--{field.removeprefix('series_')}-column"


@dataclass(frozen=True)
class Columns:
    """Which of the file's columns hold each series' name, the timestamps and the values
    (a file exported as ``date,store,sales`` needs no renaming first)."""

    series_id: str = "series_id"
    ds: str = "ds"
    y: str = "y"

    def select(self, table: pd.DataFrame) -> pd.DataFrame:
        """The table with the chosen columns under the names the forecaster reads; a file
        column already called so but not chosen gives way. ``InputFormatError`` names the
        option of a column the file lacks, or of one chosen for two fields."""
        chosen = {"series_id": self.series_id, "ds": self.ds, "y": self.y}
        renamed = {name: own for own, name in chosen.items() if name != own}
        if not renamed:
            return table
        has = ", ".join(repr(str(column)) for column in table.columns)
        for name, own in renamed.items():
            if name not in table.columns:
                raise InputFormatError(
                    f"{option(own)} {name!r}: no such column (the file has {has})"
                )
            others = [o for o, n in chosen.items() if n == name and o != own]
            if others:
                raise InputFormatError(
                    f"{option(own)} {name!r}: that column is read by {option(others[0])} too"
                )
        kept = [c for c in table.columns if c in renamed or c not in renamed.values()]
        return table[kept].rename(columns=renamed)
