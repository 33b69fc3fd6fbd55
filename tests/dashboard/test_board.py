"""The order board's rules: what counts as late or at risk, and what each filter keeps."""

from __future__ import annotations

import pandas as pd

from dashboard.board import AT_RISK, LATE, BoardFilter, with_lateness
from db.domain.status import OrderStatus

NOW = pd.Timestamp("2026-11-27 04:30", tz="UTC")


def _board() -> pd.DataFrame:
    at = lambda minutes: NOW + pd.Timedelta(minutes=minutes)  # noqa: E731
    rows = [
        # id, status, promised, predicted, zone, courier, customer, address
        (1, OrderStatus.ASSIGNED, at(20), at(10), 1, 7, "Wang Fang", "No. 5 Century Avenue"),
        (2, OrderStatus.ASSIGNED, at(20), at(31), 1, 7, "Li Lei", "18 Nanjing Road"),
        (3, OrderStatus.CONFIRMED, at(-5), None, 2, None, "Zhang Wei", "1 Huaihai Road"),
        (4, OrderStatus.DELIVERED, at(-60), at(-52), 2, 8, "Chen Jing", "88 Century Avenue"),
        (5, OrderStatus.DELIVERED, at(-60), at(-70), 3, 8, "Liu Yang", "3 Nanjing Road"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["id", "status", "promised_at", "predicted_at", "zone_id", "courier_id",
                 "customer", "address"],
    )  # fmt: skip
    return with_lateness(frame, NOW)


def test_lateness_flags_open_and_closed_orders() -> None:
    """Open with the plan's drop-off past the promise: at risk; open past the promise now,
    or delivered after it: late; the minutes are drop-off against promise."""
    board = _board().set_index("id")
    assert board["flag"].to_dict() == {1: "", 2: AT_RISK, 3: LATE, 4: LATE, 5: ""}
    assert board.loc[2, "minutes_late"] == 11 and board.loc[5, "minutes_late"] == -10


def test_filters_combine_and_search_reads_ids_names_and_addresses() -> None:
    """Each filter narrows; together they intersect; a number finds that order only, words
    must all appear in the customer's name or the address."""
    board = _board()
    ids = lambda f: sorted(f.apply(board)["id"])  # noqa: E731
    assert ids(BoardFilter()) == [1, 2, 3, 4, 5]
    assert ids(BoardFilter(zones=(1, 2))) == [1, 2, 3, 4]
    assert ids(BoardFilter(flags=(LATE,))) == [3, 4]
    assert ids(BoardFilter(zones=(2,), flags=(LATE, AT_RISK))) == [3, 4]
    assert ids(BoardFilter(couriers=(8,), statuses=(OrderStatus.DELIVERED,))) == [4, 5]
    assert ids(BoardFilter(search="#3")) == [3]
    assert ids(BoardFilter(search="century avenue")) == [1, 4]
    assert ids(BoardFilter(search="nanjing liu")) == [5]
    assert ids(BoardFilter(search="nowhere")) == []
