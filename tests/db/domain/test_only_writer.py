"""db.domain.transitions is the only writer of an order's status: a scan of the source finds
no other statement that sets it, and no other module that inserts orders, but the seeding
of a fresh store."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("agents", "apps", "dashboard", "db", "forecasting", "routing", "bench")
# A new store's synthetic past is written in bulk, statuses and all, before anything runs.
SEEDING = {"apps/city/seed.py"}
SETS_STATUS = [
    # an UPDATE of the orders table whose values name the status
    re.compile(r"update\(Order\)[^;]{0,300}?\.values\([^)]*\bstatus\b", re.S),
    # an ORM order's status assigned in place
    re.compile(r"\border\.status\s*=[^=]"),
    re.compile(r"\bOrder\.__table__\.update\(\)"),
]
INSERTS_ORDERS = re.compile(
    r"insert\(Order\)|Order\.__table__\.insert\(\)|insert_rows\([^)]*Order\."
)


def _sources() -> list[tuple[str, str]]:
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith("db/domain/") or "/migrations/" in name:
                continue
            found.append((name, path.read_text()))
    return found


def test_no_module_but_the_domain_sets_an_order_status() -> None:
    """No UPDATE of orders naming the status, and no ``order.status = ...``, outside
    db/domain."""
    wrong = [
        f"{name}: {m.group(0)[:60]!r}"
        for name, text in _sources()
        for pattern in SETS_STATUS
        for m in pattern.finditer(text)
    ]
    assert not wrong, "\n".join(wrong)


def test_orders_are_created_only_by_the_domain_or_the_seeding() -> None:
    """Placed orders (the simulator) and recorded ones (imports) go through transitions."""
    wrong = [
        name for name, text in _sources() if INSERTS_ORDERS.search(text) and name not in SEEDING
    ]
    assert not wrong, wrong


def test_the_scan_would_see_a_writer() -> None:
    """The patterns catch the writes they are for (so the two tests above can fail)."""
    samples = [
        "conn.execute(update(Order).where(Order.id == 1).values(status='cancelled'))",
        "order.status = OrderStatus.CANCELLED",
    ]
    assert all(any(p.search(s) for p in SETS_STATUS) for s in samples)
    assert INSERTS_ORDERS.search("conn.execute(insert(Order), rows)")
