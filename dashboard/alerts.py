"""What needs a dispatcher now: orders late or at risk, orders waiting too long for a courier,
couriers idle or past their shift, zones short of couriers in the next hour.

Pure functions over the frames the data module reads, so the rules are tested on their own.
Each alert links to the page that shows its subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.board import AT_RISK, LATE
from db.domain.status import OPEN, OrderStatus

UNASSIGNED_AFTER = timedelta(minutes=10)  # an order waiting longer for a courier is flagged
WAITING = (OrderStatus.PLACED, OrderStatus.CONFIRMED)


@dataclass(frozen=True)
class Alert:
    kind: str  # late, at risk, unassigned, idle, past shift, short
    subject: str
    detail: str
    link: str  # a page of the dashboard, with the subject in its query


def order_alerts(board: pd.DataFrame, now: pd.Timestamp) -> list[Alert]:
    """Late and at-risk open orders, and orders without a courier for too long (the board
    with ``with_lateness`` applied; times UTC)."""
    found = []
    open_ = board[board["status"].isin(OPEN)]
    for row in _records(open_[open_["flag"].isin((LATE, AT_RISK))]):
        minutes = row["minutes_late"]
        late = "" if pd.isna(minutes) else f", {minutes:+.0f} min on its plan"
        what = f"{row['zone']}, {row['status']}{late}"
        found.append(Alert(row["flag"], f"order {row['id']}", what, f"orders?order={row['id']}"))
    placed = pd.to_datetime(open_["placed_at"], utc=True)
    waiting = open_[open_["status"].isin(WAITING) & open_["courier_id"].isna()]
    for row in _records(waiting[placed[waiting.index] < now - UNASSIGNED_AFTER]):
        minutes = (now - pd.Timestamp(row["placed_at"])).total_seconds() // 60
        found.append(Alert("unassigned", f"order {row['id']}",
                           f"{row['zone']}, no courier for {minutes:.0f} min",
                           f"orders?order={row['id']}"))  # fmt: skip
    return found


def waiting_zones(board: pd.DataFrame, now: pd.Timestamp) -> set[int]:
    """Zones with an order that has waited for a courier longer than it should."""
    placed = pd.to_datetime(board["placed_at"], utc=True)
    waiting = board[
        board["status"].isin(WAITING)
        & board["courier_id"].isna()
        & (placed < now - UNASSIGNED_AFTER)
    ]
    return {int(z) for z in waiting["zone_id"]}


def courier_alerts(couriers: pd.DataFrame, now: pd.Timestamp, waiting: set[int]) -> list[Alert]:
    """Couriers with nothing to do while an order of their zone waits too long, and couriers
    still out past their shift's end (``couriers`` from ``data.courier_board``; UTC)."""
    found = []
    ends = pd.to_datetime(couriers["shift_end"], utc=True)
    free = (couriers["status"] == "available") & (couriers["load"] == 0)
    idle = couriers[free & couriers["zone_id"].isin(waiting)]
    for row in _records(idle):
        found.append(Alert("idle", f"courier {row['id']}", f"{row['name']}, free while orders wait",
                           f"couriers?courier={row['id']}"))  # fmt: skip
    past = couriers[(couriers["status"] != "off_shift") & (ends < now)]
    for row in _records(past):
        over = (now - pd.Timestamp(row["shift_end"])).total_seconds() // 60
        found.append(Alert("past shift", f"courier {row['id']}",
                           f"{row['name']}, {over:.0f} min past its shift, {row['load']} orders",
                           f"couriers?courier={row['id']}"))  # fmt: skip
    return found


def zone_alerts(
    plan: pd.DataFrame,
    couriers: pd.DataFrame,
    zones: pd.DataFrame,
    now: pd.Timestamp,
    tz: ZoneInfo,
) -> list[Alert]:
    """Zones where the staffing plan needs more couriers in the next hour than are on shift
    for all of it."""
    if plan.empty:
        return []
    start = now.floor("h") + pd.Timedelta(hours=1)
    hours = pd.to_datetime(plan["hour"], utc=True)
    coming = plan[hours == start]
    ends = pd.to_datetime(couriers["shift_end"], utc=True)
    staying = couriers[
        (couriers["status"] != "off_shift") & (ends >= start + pd.Timedelta(hours=1))
    ]
    on_shift = staying.groupby("zone_id").size()
    names = dict(zip(zones["id"], zones["name"], strict=True))
    found = []
    for zone_id, needed in zip(coming["zone_id"], coming["couriers_needed"], strict=True):
        have = int(on_shift.get(zone_id, 0))
        if int(needed) > have:
            when = start.tz_convert(tz).strftime("%H:%M")
            detail = f"{names.get(zone_id, '')}: {int(needed)} couriers needed"
            found.append(Alert("short", f"zone {zone_id}",
                               f"{detail} from {when}, {have} on shift", "supply"))  # fmt: skip
    return found


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
