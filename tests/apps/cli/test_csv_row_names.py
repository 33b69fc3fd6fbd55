"""Lines longer than the header, told apart by counting fields: R's row names are read
(numbered, blank lines, compressed files), a separator ending every line is no field, and a
value split at an unquoted comma is refused naming its line, compressed or not."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from apps.cli.csv_input import read_csv
from apps.cli.csv_row_names import RaggedRows

DAYS = range(1, 15)


def test_a_separator_ending_lines_that_hold_a_split_number_is_refused(tmp_path: Path) -> None:
    """1,200, on every line is a number split at its comma plus an ending separator: it is
    refused, not read as row names whose cut-off halves are dropped (y read as 1)."""
    path = tmp_path / "in.csv"
    path.write_text("ds,y\n" + "".join(f"2024-01-{d:02d},1,2{d:02d},\n" for d in DAYS))
    with pytest.raises(RaggedRows, match="line 2 has 4 fields where the header has 2"):
        read_csv(path)


def test_a_split_number_in_a_gzipped_file_is_refused(tmp_path: Path) -> None:
    """The lines of a .csv.gz are counted decompressed, so a split value is named there too."""
    path = tmp_path / "in.csv.gz"
    rows = ["2024-01-01,1,234"] + [f"2024-01-{d:02d},{d}" for d in DAYS if d > 1]
    path.write_bytes(gzip.compress(("ds,y\n" + "\n".join(rows) + "\n").encode()))
    with pytest.raises(RaggedRows, match="line 2 has 3 fields where the header has 2"):
        read_csv(path)


@pytest.mark.parametrize(
    ("before", "after"),
    [("\n", ""), ("", "   \n")],
)
def test_blank_lines_around_r_row_names_are_no_lines(
    tmp_path: Path, before: str, after: str
) -> None:
    """A blank line before the header or a line of spaces at the end, which pandas skips,
    does not count as a line of the wrong length."""
    path = tmp_path / "in.csv"
    body = "".join(f'"{d}","2024-01-{d:02d}",{d}\n' for d in DAYS)
    path.write_text(before + "ds,y\n" + body + after)
    table, _ = read_csv(path)
    assert table["ds"].iloc[0] == "2024-01-01" and len(table) == 14


def test_a_subsets_row_names_with_an_empty_last_column_are_r_names(tmp_path: Path) -> None:
    """R keeps the numbers of the rows a subset kept (5, 9, ...); with an empty last column
    they are still row names, not a first column shifted by an ending separator."""
    path = tmp_path / "in.csv"
    path.write_text("ds,y,note\n" + "".join(f'"{d * 4}","2024-01-{d:02d}",{d},""\n' for d in DAYS))
    table, _ = read_csv(path)
    assert table["ds"].iloc[0] == "2024-01-01" and table["y"].iloc[-1] == "14"


def test_a_field_past_the_csv_modules_limit_is_read(tmp_path: Path) -> None:
    """A notes cell longer than the csv module takes leaves the counting to pandas' own
    reading instead of failing with the module's error."""
    path = tmp_path / "in.csv"
    note = "x" * 200_000
    body = "".join(f'"{d}","2024-01-{d:02d}",{d},"{note if d == 3 else ""}"\n' for d in DAYS)
    path.write_text("ds,y,note\n" + body)
    table, _ = read_csv(path)
    assert table["ds"].iloc[0] == "2024-01-01" and len(table["note"].iloc[2]) == 200_000
