"""Reading CSV files as spreadsheets and databases write them: the separator from the
header, the encoding (UTF-16 by its byte order mark too), compression by name, binary files refused by their first bytes, and
a line split longer than its header named (an unquoted thousands comma)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from apps.cli.csv_input import NotText, read_csv
from apps.cli.csv_row_names import RaggedRows

ROWS = "".join(f"2024-01-{day:02d};{day},5\n" for day in range(1, 15))


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_the_separator_comes_from_the_header(tmp_path: Path, sep: str) -> None:
    """A header of one column holding semicolons or tabs says the separator; a header
    that commas split is comma-separated."""
    path = tmp_path / "in.csv"
    lines = [f"ds{sep}y"] + [f"2024-01-{day:02d}{sep}{day}" for day in range(1, 15)]
    path.write_text("\n".join(lines) + "\n")
    table, found = read_csv(path)
    assert found == sep
    assert list(table.columns) == ["ds", "y"] and table["y"].iloc[-1] == "14"


def test_a_gzipped_semicolon_file_is_read(tmp_path: Path) -> None:
    """in.csv.gz: decompressed by its name, its separator read from the decompressed header."""
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress(("ds;y\n" + ROWS).encode()))
    table, sep = read_csv(path)
    assert sep == ";" and table["y"].iloc[0] == "1,5"


def test_a_windows_1252_header_is_read(tmp_path: Path) -> None:
    """Excel's European CSV: a header and values in Windows-1252."""
    path = tmp_path / "in.csv"
    path.write_bytes(
        ("series_id;ds;y\n" + "".join(f"Köln;{r}" for r in ROWS.splitlines(True))).encode("cp1252")
    )
    table, sep = read_csv(path)
    assert sep == ";" and set(table["series_id"]) == {"Köln"}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_read(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text" save: UTF-16 behind its byte order mark, tab-separated."""
    path = tmp_path / "in.txt"
    rows = "".join(f"Köln\t2024-01-{day:02d}\t{day}\r\n" for day in range(1, 15))
    mark = "\ufeff".encode(encoding)
    path.write_bytes(mark + ("series_id\tds\ty\r\n" + rows).encode(encoding))
    table, sep = read_csv(path)
    assert sep == "\t" and list(table.columns) == ["series_id", "ds", "y"]
    assert set(table["series_id"]) == {"Köln"} and table["y"].iloc[-1] == "14"
    # R's row names, and a separator ending every line, read as in UTF-8.
    named = "".join(f"{day}\tKöln\t2024-01-{day:02d}\t{day}\r\n" for day in range(1, 15))
    path.write_bytes(mark + ("series_id\tds\ty\r\n" + named).encode(encoding))
    assert list(read_csv(path)[0]["series_id"].unique()) == ["Köln"]
    ended = rows.replace("\r\n", "\t\r\n")
    path.write_bytes(mark + ("series_id\tds\ty\r\n" + ended).encode(encoding))
    assert read_csv(path)[0]["y"].iloc[-1] == "14"


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet workbook, not CSV text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a spreadsheet workbook, not CSV text"),
        (b"PAR1\x15\x04\x00\x00", "a binary file, not CSV text"),
    ],
)
def test_workbooks_and_binary_files_are_refused(tmp_path: Path, start: bytes, reason: str) -> None:
    """An .xlsx or .xls saved under any name, or a Parquet file, is named for what it is
    instead of being read as garbled columns."""
    path = tmp_path / "sales.xlsx"
    path.write_bytes(start + bytes(range(256)))
    with pytest.raises(NotText, match=reason):
        read_csv(path)


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        (["2024-01-01,987", "2024-01-02,1,234", "2024-01-03,990"], 3),
        # pandas would take the first line's date as a row name and read '1' as the date.
        (["2024-01-01,1,234", "2024-01-02,987", "2024-01-03,1,006"], 2),
        # Every value past a thousand: no line is short, but each ends in a number cut in two.
        (["2024-01-01,1,234", "2024-01-02,12,345.5", "2024-01-03,1,006"], 2),
        # A million after a row-named first line: the header has 2, not the 3 pandas counts.
        (["2024-01-01,1,234", "2024-01-02,1,234", "2024-01-03,1,234,500"], 4),
    ],
)
def test_an_unquoted_thousands_comma_names_its_line(
    tmp_path: Path, rows: list[str], line: int
) -> None:
    """A comma file with 1,234 unquoted is refused naming the first long line and how to
    write the number, instead of shifting the columns so that '1' is read as a date."""
    path = tmp_path / "in.csv"
    path.write_text("ds,y\n" + "\n".join(rows) + "\n")
    fields = 4 if line == 4 else 3
    with pytest.raises(RaggedRows, match=f"line {line} has {fields} fields where the header has 2"):
        read_csv(path)


@pytest.mark.parametrize(
    "line",
    [
        '"{d}","2024-01-{d:02d}",{d}',
        # A missing value is an empty last field, which a line short of a field also reads as.
        '"{d}","2024-01-{d:02d}",',
        # Two numbers last, as a thousands comma would leave, but R's numbered row names.
        '"{d}","2024-01-{d:02d}",12,300',
    ],
)
def test_row_names_as_r_writes_them_are_still_read(tmp_path: Path, line: str) -> None:
    """R's write.table puts a row name before every line without naming it in the header:
    every line is one field longer, none short, so the file is read as before."""
    path = tmp_path / "in.csv"
    header = "ds,id,y" if line.endswith("300") else "ds,y"
    path.write_text(header + "\n" + "".join(line.format(d=d) + "\n" for d in range(1, 15)))
    table, _ = read_csv(path)
    assert table["ds"].iloc[0] == "2024-01-01" and list(table.index[:2]) == ["1", "2"]


def test_a_separator_ending_every_line_is_no_field(tmp_path: Path) -> None:
    """Exporters that end each line with a comma give no field past it: the columns are
    read as their header names them, not shifted under the dates as row names."""
    path = tmp_path / "in.csv"
    path.write_text("ds,y\n" + "".join(f"2024-01-{d:02d},{d}," + "\n" for d in range(1, 15)))
    table, _ = read_csv(path)
    assert table["ds"].iloc[0] == "2024-01-01" and table["y"].iloc[-1] == "14"
