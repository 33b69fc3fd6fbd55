"""Rosters for a what-if day: staffed from the forecast, flat, or the city's own, as shifts.

The forecast roster covers each zone's hourly need with shifts of four to eight hours;
the flat roster spends the same courier-hours evenly over the day in shifts of up to eight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, insert, select, update

from db.bulk import sync_sequences
from db.domain.status import OrderStatus
from db.models import Assignment, Courier, Order, Zone

MIN_SHIFT_H = 4
MAX_SHIFT_H = 8


class RosterError(ValueError):
    """A roster cannot be built; the message names the input."""


@dataclass(frozen=True)
class Shift:
    zone_id: int
    start_h: int  # hours after the day's local midnight
    end_h: int

    @property
    def hours(self) -> int:
        return self.end_h - self.start_h


def courier_hours(shifts: list[Shift]) -> int:
    return sum(s.hours for s in shifts)


def cover_need(need: dict[int, NDArray], window: tuple[int, int] = (0, 24)) -> list[Shift]:
    """Shifts that give every zone at least its hourly headcount; each shift starts at an
    hour still short and runs while the zone stays short, four to eight hours long (less
    where the window ends first)."""
    shifts = []
    for zone_id, wanted in sorted(need.items()):
        wanted = np.asarray(wanted, dtype=int)
        if len(wanted) != 24 or (wanted < 0).any():
            raise RosterError(f"need[{zone_id}]: expected 24 non-negative hourly headcounts")
        staffed = np.zeros(24, dtype=int)
        for h in range(*window):
            while staffed[h] < wanted[h]:
                short = 0
                while h + short < 24 and staffed[h + short] < wanted[h + short]:
                    short += 1
                length = min(max(short, MIN_SHIFT_H), MAX_SHIFT_H, window[1] - h)
                staffed[h : h + length] += 1
                shifts.append(Shift(zone_id, h, h + length))
    return shifts


def flat(hours_by_zone: dict[int, float], window: tuple[int, int] = (0, 24)) -> list[Shift]:
    """Shifts of up to eight hours spread evenly over the window, as many per zone as its
    hours buy: the same headcount at every hour."""
    first, last = window
    blocks = max(1, -(-(last - first) // MAX_SHIFT_H))
    edges = [first + round(i * (last - first) / blocks) for i in range(blocks + 1)]
    shifts = []
    for zone_id, hours in sorted(hours_by_zone.items()):
        if hours < 0:
            raise RosterError(f"hours[{zone_id}]: must not be negative")
        for i in range(round(hours * blocks / (last - first))):
            shifts.append(Shift(zone_id, edges[i % blocks], edges[i % blocks + 1]))
    return shifts


def scaled(shifts: list[Shift], factor: float) -> list[Shift]:
    """Each zone's shifts scaled to ``factor`` times the headcount, repeating them in order."""
    if factor <= 0:
        raise RosterError(f"couriers: the factor must be positive, got {factor}")
    out = []
    for zone_id in sorted({s.zone_id for s in shifts}):
        mine = [s for s in shifts if s.zone_id == zone_id]
        out += [mine[i % len(mine)] for i in range(round(len(mine) * factor))]
    return out


def seeded_shifts(conn: Connection, day_start: datetime) -> list[Shift]:
    """The city's own couriers as shifts of the day, each template repeating daily."""
    shifts = []
    for zone_id, start, end in conn.execute(
        select(Courier.zone_id, Courier.shift_start, Courier.shift_end)
        .where(Courier.shift_start.is_not(None))
        .order_by(Courier.id)
    ):
        assert start is not None and end is not None  # the schema sets both ends or neither
        offset_h = round(((start - day_start) / timedelta(hours=1)) % 24)
        length = round((end - start) / timedelta(hours=1))
        shifts.append(Shift(zone_id, offset_h, min(offset_h + length, 24 + offset_h)))
    return shifts


def apply(
    conn: Connection,
    shifts: list[Shift],
    day_start: datetime,
    now: datetime,
    tail: tuple[int, int] = (24, 0),
) -> None:
    """Give the store's couriers these shifts, zone by zone, adding couriers where a zone
    needs more; couriers left without a shift go home once their bag is empty.

    ``tail`` = (hour, extra): shifts ending at that hour run ``extra`` hours longer, so the
    orders of a replayed window's last minutes still find couriers in every roster alike.
    """
    by_zone = _couriers_by_zone(conn)
    carrying = _carrying(conn)
    centres = {z.id: (z.center_lat, z.center_lon) for z in conn.execute(select(Zone))}
    next_id = max((r.id for rows in by_zone.values() for r in rows), default=0) + 1
    for zone_id, rows in sorted(by_zone.items()):
        mine = sorted((s for s in shifts if s.zone_id == zone_id), key=lambda s: s.start_h)
        for i, shift in enumerate(mine):
            values = _shift_values(shift, day_start, now, tail)
            if i < len(rows):
                # A courier with food in the bag keeps riding whatever the new shift says.
                if rows[i].id in carrying:
                    values.pop("status")
                conn.execute(update(Courier).where(Courier.id == rows[i].id).values(**values))
                continue
            _hire(conn, next_id, zone_id, rows[i % len(rows)], centres[zone_id], values)
            next_id += 1
        _unroster(conn, rows[len(mine) :], carrying)
    sync_sequences(conn, [Courier.__table__])


def _couriers_by_zone(conn: Connection) -> dict[int, list[Any]]:
    by_zone: dict[int, list[Any]] = {}
    for row in conn.execute(
        select(Courier.id, Courier.zone_id, Courier.vehicle_type, Courier.capacity).order_by(
            Courier.id
        )
    ):
        by_zone.setdefault(row.zone_id, []).append(row)
    return by_zone


def _carrying(conn: Connection) -> set[int]:
    """Couriers with an order picked up and not yet delivered."""
    return set(
        conn.scalars(
            select(Assignment.courier_id)
            .join(Order, Order.id == Assignment.order_id)
            .where(Assignment.active, Order.status == OrderStatus.PICKED_UP)
        )
    )


def _shift_values(
    shift: Shift, day_start: datetime, now: datetime, tail: tuple[int, int]
) -> dict[str, Any]:
    start = day_start + timedelta(hours=shift.start_h)
    end = day_start + timedelta(hours=shift.end_h + (tail[1] if shift.end_h == tail[0] else 0))
    return {
        "shift_start": start,
        "shift_end": end,
        "status": "available" if start <= now < end else "off_shift",
    }


def _hire(
    conn: Connection,
    courier_id: int,
    zone_id: int,
    model: Any,
    centre: tuple[float, float],
    values: dict[str, Any],
) -> None:
    """A new courier at the zone's centre, riding what ``model`` rides."""
    conn.execute(
        insert(Courier),
        {
            "id": courier_id,
            "zone_id": zone_id,
            "name": f"Courier {courier_id}",
            "vehicle_type": model.vehicle_type,
            "capacity": model.capacity,
            "last_lat": centre[0],
            "last_lon": centre[1],
            **values,
        },
    )


def _unroster(conn: Connection, rows: list[Any], carrying: set[int]) -> None:
    """Couriers left without a shift; those still carrying go home once their bag is empty."""
    for row in rows:
        values: dict[str, Any] = {"shift_start": None, "shift_end": None}
        if row.id not in carrying:
            values["status"] = "off_shift"
        conn.execute(update(Courier).where(Courier.id == row.id).values(**values))
