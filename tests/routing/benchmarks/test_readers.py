"""Readers: both benchmark formats parse, are told apart, and bad files fail with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.benchmarks.problem import Family
from routing.benchmarks.readers import InstanceFormatError, read_instance, read_routes


def test_solomon_file_is_read_with_fleet_and_all_customers(data_dir: Path) -> None:
    """C101 has 25 vehicles of capacity 200, a depot and 100 customers as in the file."""
    instance = read_instance(data_dir / "solomon" / "C101.txt")
    assert instance.family is Family.SOLOMON
    assert (instance.name, instance.vehicles, instance.capacity) == ("C101", 25, 200)
    assert len(instance.customers) == 100
    depot, first = instance.depot, instance.nodes[1]
    assert (depot.x, depot.y, depot.due) == (40, 50, 1236)
    assert (first.x, first.y, first.demand, first.ready, first.due, first.service) == (
        45, 68, 10, 912, 967, 90,
    )  # fmt: skip


def test_lilim_file_is_read_with_pairs(data_dir: Path) -> None:
    """lc101's node 1 is a delivery whose pickup is node 11, and every node pairs up."""
    instance = read_instance(data_dir / "lilim" / "lc101.txt")
    assert instance.family is Family.LILIM
    assert (instance.vehicles, instance.capacity) == (25, 200)
    assert instance.nodes[1].pickup == 11 and instance.nodes[11].delivery == 1
    assert len(instance.pairs) * 2 == len(instance.customers)


def test_every_benchmark_file_is_detected_as_its_family(data_dir: Path) -> None:
    """All 112 files parse, Solomon files as Solomon and Li & Lim files as Li & Lim."""
    for family in Family:
        files = sorted((data_dir / family.value).glob("*.txt"))
        assert len(files) == 56
        assert {read_instance(f).family for f in files} == {family}


def test_solution_files_are_read_as_routes(data_dir: Path) -> None:
    """CVRPLIB and SINTEF route files both give lists of customer ids."""
    assert read_routes(data_dir / "solomon" / "solutions" / "C101.sol")[0][:3] == (5, 3, 7)
    assert read_routes(data_dir / "lilim" / "solutions" / "lc101.sol")[0][:3] == (81, 78, 104)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\nworld\n", "neither Solomon"),
        ("X\nVEHICLE\nNUMBER CAPACITY\n25 200\nCUSTOMER\n0 1 2 3\n", "7 customer columns"),
        ("X\nVEHICLE\nNUMBER CAPACITY\n25 200\nCUSTOMER\n0 40 50 0 0 100 0\n", "a customer"),
        ("25\t200\t1\n0\t1\t1\t0\t0\t100\t0\t0\t0\n1\t1\t1\t5\t0\t9\t0\t0\n", "9 node columns"),
        ("25 200 1\n0 1 1 0 0 100 0 0 0\n1 2 2 5 0 50 1 0 0\n2 3 3 -5 0 50 1 1 0\n", "pickup"),
        ("25 200 1\n0 1 1 0 0 100 0 0 0\n1 2 2 5 x 50 1 0 2\n2 3 3 -5 0 50 1 1 0\n", "non-numeric"),
    ],
)
def test_malformed_files_fail_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    """Each broken layout is rejected with an error that says what is wrong."""
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InstanceFormatError, match=message):
        read_instance(path)


def test_missing_file_fails_with_its_path(tmp_path: Path) -> None:
    """A path that does not exist is reported as unreadable, naming the path."""
    with pytest.raises(InstanceFormatError, match="cannot read"):
        read_instance(tmp_path / "nope.txt")
