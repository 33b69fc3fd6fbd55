"""Readers for Solomon (VRPTW) and Li & Lim (PDPTW) instance files, with format detection."""

from __future__ import annotations

from pathlib import Path

from routing.benchmarks.problem import Family, Instance, Node, ProblemError


class InstanceFormatError(ProblemError):
    """A file that is not a well-formed Solomon or Li & Lim instance."""


def read_instance(path: str | Path) -> Instance:
    """Read a Solomon or Li & Lim file, telling them apart by their content."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(f"{path}: cannot read file: {exc}") from exc
    family = detect_family(text, path)
    parse = parse_solomon if family is Family.SOLOMON else parse_lilim
    try:
        return parse(text, path.stem)
    except InstanceFormatError:
        raise
    except ProblemError as exc:  # well-formed rows that do not make an instance
        raise InstanceFormatError(f"{path}: {exc}") from exc


def detect_family(text: str, path: Path | str = "<text>") -> Family:
    """Solomon files carry VEHICLE and CUSTOMER headings; Li & Lim files start with K Q S."""
    upper = text.upper()
    if "VEHICLE" in upper and "CUSTOMER" in upper:
        return Family.SOLOMON
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if lines and len(lines[0]) == 3 and len(lines) > 1 and len(lines[1]) == 9:
        return Family.LILIM
    raise InstanceFormatError(
        f"{path}: neither Solomon (VEHICLE/CUSTOMER sections) nor Li & Lim "
        "(a 'K Q S' line, then 9 columns per node)"
    )


def _numbers(fields: list[str], name: str, line_no: int) -> list[int]:
    try:
        return [int(float(field)) for field in fields]
    except ValueError as exc:
        raise InstanceFormatError(f"{name}: line {line_no}: non-numeric field ({exc})") from exc


def parse_solomon(text: str, name: str) -> Instance:
    """Parse the Solomon layout: name, VEHICLE block, CUSTOMER table of 7 columns."""
    lines = text.splitlines()
    upper = [line.strip().upper() for line in lines]
    try:
        vehicle_at = upper.index("VEHICLE")
        customer_at = upper.index("CUSTOMER")
    except ValueError as exc:
        raise InstanceFormatError(f"{name}: missing VEHICLE or CUSTOMER heading") from exc
    fleet = [
        (i + 1, line.split())
        for i, line in enumerate(lines[vehicle_at + 1 : customer_at], start=vehicle_at)
        if line.strip() and line.split()[0].isdigit()
    ]
    if len(fleet) != 1 or len(fleet[0][1]) != 2:
        raise InstanceFormatError(f"{name}: VEHICLE block needs one 'NUMBER CAPACITY' line")
    vehicles, capacity = _numbers(fleet[0][1], name, fleet[0][0])
    nodes = []
    for line_no, line in enumerate(lines[customer_at + 1 :], start=customer_at + 2):
        fields = line.split()
        if not fields or not fields[0].lstrip("-").isdigit():
            continue  # blank lines and the column header
        if len(fields) != 7:
            raise InstanceFormatError(
                f"{name}: line {line_no}: expected 7 customer columns, got {len(fields)}"
            )
        cid, x, y, demand, ready, due, service = _numbers(fields, name, line_no)
        nodes.append(Node(cid, x, y, demand, ready, due, service))
    if len(nodes) < 2:
        raise InstanceFormatError(f"{name}: CUSTOMER table needs a depot row and a customer")
    return Instance(name, Family.SOLOMON, vehicles, capacity, tuple(nodes))


def parse_lilim(text: str, name: str) -> Instance:
    """Parse the Li & Lim layout: 'K Q S', then id x y demand e l s pickup delivery."""
    rows = [(no, line.split()) for no, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not rows or len(rows[0][1]) != 3:
        raise InstanceFormatError(f"{name}: first line must be 'vehicles capacity speed'")
    vehicles, capacity, _speed = _numbers(rows[0][1], name, rows[0][0])
    nodes = []
    for line_no, fields in rows[1:]:
        if len(fields) != 9:
            raise InstanceFormatError(
                f"{name}: line {line_no}: expected 9 node columns, got {len(fields)}"
            )
        nid, x, y, demand, ready, due, service, pickup, delivery = _numbers(fields, name, line_no)
        nodes.append(Node(nid, x, y, demand, ready, due, service, pickup, delivery))
    if len(nodes) < 3:
        raise InstanceFormatError(f"{name}: needs a depot and one pickup-delivery pair")
    return Instance(name, Family.LILIM, vehicles, capacity, tuple(nodes))


def read_routes(path: str | Path) -> tuple[tuple[int, ...], ...]:
    """Routes of a CVRPLIB ('Route #k: ...') or SINTEF ('Route k : ...') solution file."""
    routes = []
    for line in Path(path).read_text().splitlines():
        if line.strip().lower().startswith("route"):
            _, _, stops = line.partition(":")
            routes.append(tuple(int(s) for s in stops.split()))
    return tuple(routes)
