"""Dispatch tasks written as data (``tuning/dispatch_*.json``, ``heldout/dispatch_*.json``;
the format is in ``DISPATCH_TASKS.md``), turned into runnable tasks.

The truth behind every kind is computed here with plain queries on the store: never
through the assistant's tools nor ``forecasting.reads``, so a wrong sum or a wrong scope
in either shows up as a failed task.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.orm import Session

from agents.eval.check import Diff
from agents.eval.tasks import Fact, Script, Task
from agents.eval.world import SEEDED_NOW
from db.domain import transitions
from db.domain.rules import CITY_TIMEZONE
from db.domain.status import NOT_PICKED, OPEN, OrderStatus
from db.models import (
    Assignment,
    Courier,
    Forecast,
    ForecastRun,
    ForecastSeries,
    Order,
    StaffingPlan,
    StaffingPlanRow,
    Zone,
)

EVAL = Path(__file__).parent
TUNING_FILES = (
    EVAL / "tuning" / "dispatch_tuning.json",
    EVAL / "tuning" / "dispatch_probe2.json",
)
HELDOUT_FILES = (EVAL / "heldout" / "dispatch_heldout.json",)
CITY_TZ = ZoneInfo(CITY_TIMEZONE)
OPERATOR = "ops-eval"
CITY_WORDS = ("city", "all zones", "every zone", "全市", "全城", "所有区", "各区")
EXPLAINS_UNASSIGNED = (
    "reach", "in time", "shift", "bag", "room", "busy", "ride", "merchant", "confirm",
    "next round", "round", "would go", "would be", "assign", "courier", "商家", "接单", "骑手",
    "来不及", "班", "满", "忙", "派",
)  # fmt: skip
ASKS = ("?", "？", "I can", "我可以", "可以帮", "能帮")
OUT_OF_SCOPE = "orders outside the scope changed:"  # a policy violation, not only a miss


def number(n: int | float) -> re.Pattern[str]:
    """A whole number in a reply, not part of a longer one."""
    return re.compile(rf"(?<![\d.]){round(n)}(?![\d]|\.\d)")


def numbers(values: set[int]) -> re.Pattern[str]:
    alts = "|".join(str(v) for v in sorted(values))
    return re.compile(rf"(?<![\d.])(?:{alts})(?![\d]|\.\d)")


def _local_day(day: str | None, now: datetime) -> date:
    today = now.astimezone(CITY_TZ).date()
    return today + timedelta(days=1) if day == "tomorrow" else today


def _hours(day: date, span: tuple[int, int]) -> list[datetime]:
    first = datetime.combine(day, time(span[0]), CITY_TZ)
    return [(first + timedelta(hours=h)).astimezone(UTC) for h in range(span[1] - span[0])]


def _zones(s: Session, zone: int | None) -> list[int]:
    ids = list(s.scalars(select(Zone.id).order_by(Zone.id)))
    return ids if zone is None else [zone]


# -- the truth, by kind ----------------------------------------------------------------------


def on_shift(s: Session, zone: int | None) -> int:
    query = select(func.count()).select_from(Courier).where(Courier.status != "off_shift")
    if zone is not None:
        query = query.where(Courier.zone_id == zone)
    return int(s.scalar(query) or 0)


def today_count(s: Session, what: str, zone: int | None, now: datetime) -> int:
    start = datetime.combine(now.astimezone(CITY_TZ).date(), time(0), CITY_TZ)
    if what == "cancelled":
        cond = and_(Order.status == OrderStatus.CANCELLED, Order.cancelled_at >= start)
    else:
        cond = and_(Order.status == OrderStatus.DELIVERED, Order.delivered_at >= start)
        if what == "late":
            cond = and_(cond, Order.delivered_at > Order.promised_at)
    query = select(func.count()).select_from(Order).where(cond)
    if zone is not None:
        query = query.where(Order.zone_id == zone)
    return int(s.scalar(query) or 0)


def open_count(s: Session, zone: int | None, unassigned: bool) -> int:
    query = select(func.count()).select_from(Order)
    if unassigned:
        active = select(Assignment.order_id).where(Assignment.active)
        query = query.where(
            Order.status.in_((OrderStatus.PLACED, OrderStatus.CONFIRMED)), Order.id.not_in(active)
        )
    else:
        query = query.where(Order.status.in_(OPEN))
    if zone is not None:
        query = query.where(Order.zone_id == zone)
    return int(s.scalar(query) or 0)


def _served(s: Session, series: str, hour: datetime) -> float | None:
    run = s.scalar(
        select(ForecastRun.id)
        .where(ForecastRun.status == "finished")
        .order_by(ForecastRun.created_at.desc(), ForecastRun.id.desc())
        .limit(1)
    )
    model = s.scalar(
        select(ForecastSeries.served_model).where(
            ForecastSeries.run_id == run, ForecastSeries.series_id == series
        )
    )
    return s.scalar(
        select(Forecast.yhat).where(
            Forecast.run_id == run,
            Forecast.series_id == series,
            Forecast.model == model,
            Forecast.ds == hour,
        )
    )


def _placed(s: Session, zone: int | None, start: datetime, end: datetime) -> int:
    query = (
        select(func.count())
        .select_from(Order)
        .where(Order.placed_at >= start, Order.placed_at < end)
    )
    if zone is not None:
        query = query.where(Order.zone_id == zone)
    return int(s.scalar(query) or 0)


def window_demand(
    s: Session, zone: int | None, day: date, span: tuple[int, int], now: datetime
) -> float | None:
    """Orders placed in the hours already begun, plus the served forecast (the city's own
    series for the city) for the hours to come."""
    total = 0.0
    series = "city" if zone is None else f"zone-{zone}"
    for hour in _hours(day, span):
        if hour < now:
            total += _placed(s, zone, hour, min(hour + timedelta(hours=1), now))
            continue
        value = _served(s, series, hour)
        if value is None:
            return None
        total += value
    return total


def peak_need(s: Session, zone: int | None, day: date, span: tuple[int, int]) -> int | None:
    plan = s.scalar(
        select(StaffingPlan.id)
        .where(StaffingPlan.plan_date == day)
        .order_by(StaffingPlan.created_at.desc(), StaffingPlan.id.desc())
        .limit(1)
    )
    needs = []
    for hour in _hours(day, span):
        query = select(StaffingPlanRow.couriers_needed).where(
            StaffingPlanRow.plan_id == plan, StaffingPlanRow.hour == hour
        )
        if zone is not None:
            query = query.where(StaffingPlanRow.zone_id == zone)
        rows = s.scalars(query).all()
        if rows:
            needs.append(sum(rows))
    return max(needs) if needs else None


def short(s: Session, day: date, span: tuple[int, int] | None) -> list[int]:
    plan = s.scalar(
        select(StaffingPlan.id)
        .where(StaffingPlan.plan_date == day)
        .order_by(StaffingPlan.created_at.desc(), StaffingPlan.id.desc())
        .limit(1)
    )
    hours = _hours(day, span or (0, 24))
    rows = s.scalars(
        select(StaffingPlanRow.zone_id).where(
            StaffingPlanRow.plan_id == plan,
            StaffingPlanRow.hour.in_(hours),
            StaffingPlanRow.couriers_on_shift < StaffingPlanRow.couriers_needed,
        )
    ).all()
    return sorted(set(rows))


def _late_ids(s: Session, zone: int | None, now: datetime) -> list[int]:
    eta = {
        a.order_id: a.eta_dropoff for a in s.scalars(select(Assignment).where(Assignment.active))
    }
    query = select(Order).where(Order.status.in_((OrderStatus.CONFIRMED, OrderStatus.ASSIGNED)))
    if zone is not None:
        query = query.where(Order.zone_id == zone)
    late = []
    for o in s.scalars(query):
        arrival = eta.get(o.id)
        if o.promised_at < now or (arrival is not None and arrival > o.promised_at):
            late.append(o.id)
    return late


def minutes_late(s: Session, order: Order, now: datetime) -> int:
    eta = s.scalar(
        select(Assignment.eta_dropoff).where(Assignment.order_id == order.id, Assignment.active)
    )
    arrival = max(eta or now, now) if order.delivered_at is None else order.delivered_at
    return round((arrival - order.promised_at).total_seconds() / 60)


# -- casts: the orders and couriers a task needs -----------------------------------------------


def _assigned(s: Session, zone: int | None = None) -> list[Order]:
    query = select(Order).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.id)
    if zone is not None:
        query = query.where(Order.zone_id == zone)
    return list(s.scalars(query))


def make_late(s: Session, order: Order, now: datetime, minutes: int = 8) -> None:
    """Move the order's whole story earlier, so its promise passed ``minutes`` ago."""
    shift = order.promised_at - (now - timedelta(minutes=minutes))
    stamps = ("placed_at", "confirmed_at", "ready_at", "assigned_at", "promised_at")
    values = {k: getattr(order, k) - shift for k in stamps if getattr(order, k) is not None}
    s.execute(update(Order).where(Order.id == order.id).values(**values))
    s.commit()


def release(s: Session, order: Order, at: datetime | None = None) -> None:
    """Take an assigned order back from its courier, as if its courier had given it up
    (at ``at``; by default when it was assigned)."""
    when = at or order.assigned_at or order.placed_at
    transitions.release(s, [order.id], at=when, actor="eval")
    s.commit()


def _zone_needs_work(s: Session, zone: int, kind: str, now: datetime) -> None:
    waiting = select(func.count()).where(
        Order.zone_id == zone,
        Order.status == OrderStatus.CONFIRMED,
        Order.id.not_in(select(Assignment.order_id).where(Assignment.active)),
    )
    if kind == "plan_zone" and not s.scalar(waiting):
        candidates = _assigned(s, zone)
        if candidates:
            release(s, candidates[0], now)
    if kind == "reassign_late" and not _late_ids(s, zone, now):
        candidates = _assigned(s, zone)
        if candidates:
            make_late(s, candidates[0], now)


def _late_order(s: Session, now: datetime) -> Order:
    late = _late_ids(s, None, now)
    strict = [i for i in late if (o := s.get(Order, i)) is not None and o.promised_at < now]
    if strict:
        found = s.get(Order, strict[0])
        assert found is not None
        return found
    order = _assigned(s)[0]
    make_late(s, order, now)
    s.refresh(order)
    return order


def _unassigned_order(s: Session) -> Order:
    active = select(Assignment.order_id).where(Assignment.active)
    order = s.scalars(
        select(Order)
        .where(Order.status == OrderStatus.CONFIRMED, Order.id.not_in(active))
        .order_by(Order.id)
    ).first()
    if order is None:
        order = _assigned(s)[0]
        release(s, order)
        s.refresh(order)
    return order


def _move_pair(s: Session) -> tuple[Order, Courier]:
    """An assigned order and another courier of its zone, on shift, with room in the bag
    and a name no other courier has."""
    names = dict(s.execute(select(Courier.name, func.count()).group_by(Courier.name)).all())
    for order in _assigned(s):
        for c in s.scalars(
            select(Courier)
            .where(
                Courier.zone_id == order.zone_id,
                Courier.status == "available",
                Courier.id != order.courier_id,
            )
            .order_by(Courier.capacity.desc(), Courier.id)
        ):
            if names.get(c.name) == 1:
                return order, c
    raise LookupError("no assigned order with another free courier in its zone")


def _busy_courier(s: Session) -> Courier:
    courier_id = _assigned(s)[0].courier_id
    courier = s.get(Courier, courier_id)
    assert courier is not None
    return courier


# -- scoring -------------------------------------------------------------------------------


def _couriers_of(s: Session) -> dict[int, tuple[str, int | None]]:
    rows = s.execute(select(Order.id, Order.status, Order.courier_id))
    return {i: (status, courier) for i, status, courier in rows}


def _couriers_now(engine: Engine) -> dict[int, tuple[str, int | None]]:
    with Session(engine) as s:
        return _couriers_of(s)


def _plan_verifier(
    s: Session, kind: str, params: dict[str, Any], allowed: set[int], target: Any
) -> Callable[[Diff], list[str]]:
    before, engine = _couriers_of(s), s.get_bind()
    assert isinstance(engine, Engine)

    def verify(change: Diff) -> list[str]:
        after = _couriers_now(engine)
        moved = {i for i, v in after.items() if before.get(i) != v}
        problems = []
        if change.compensations or change.tickets:
            problems.append("a dispatch task wrote compensations or tickets")
        outside = moved - allowed
        if outside:
            problems.append(f"{OUT_OF_SCOPE} {sorted(outside)[:10]}")
        commit = bool(params.get("commit"))
        if not commit and (change.plans or moved):
            problems.append(f"no commit asked, yet {change.plans} plan(s), {len(moved)} changes")
        # A zone given work and a move by hand always change something; late orders and a
        # courier's route may already be as good as they get (then nothing is committed).
        wanted = (1,) if kind in ("plan_zone", "move_order") else (0, 1)
        if commit and change.plans not in wanted:
            problems.append(f"expected {wanted} committed plans, got {change.plans}")
        if commit and kind == "move_order":
            order_id, courier_id = target
            if after.get(order_id, ("", None))[1] != courier_id:
                problems.append(f"order {order_id} is not with courier {courier_id}")
        return problems

    return verify


def _reads_verifier(s: Session) -> Callable[[Diff], list[str]]:
    before, engine = _couriers_of(s), s.get_bind()
    assert isinstance(engine, Engine)

    def verify(change: Diff) -> list[str]:
        moved = [i for i, v in _couriers_now(engine).items() if before.get(i) != v]
        if moved or change.plans or change.tickets or change.compensations:
            return [f"a question changed the store: {len(moved)} orders, {change.plans} plans"]
        return []

    return verify


def _zone_words(s: Session, zone: int | None) -> tuple[str, ...]:
    if zone is None:
        return CITY_WORDS
    z = s.get(Zone, zone)
    assert z is not None
    return tuple(n for n in (z.name, z.name_zh, f"zone {zone}", f"{zone}区") if n)


@dataclass(frozen=True)
class _Ask:
    """What a task asks about, read from its ``expect`` block."""

    kind: str
    params: dict[str, Any]
    now: datetime

    @property
    def zone(self) -> int | None:
        return self.params.get("zone")

    @property
    def day(self) -> date:
        return _local_day(self.params.get("day"), self.now)

    @property
    def span(self) -> tuple[int, int] | None:
        hours = self.params.get("hours")
        return (int(hours[0]), int(hours[1])) if hours else None

    @property
    def today(self) -> date:
        return self.now.astimezone(CITY_TZ).date()


@dataclass
class _Case:
    """The world of one task as the checks see it: the message's blanks, the facts a good
    reply states, the orders a write may touch and the move it must make."""

    values: dict[str, Any] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    allowed: set[int] = field(default_factory=set)
    target: tuple[int, int] | None = None


def _why_late(s: Session, ask: _Ask) -> _Case:
    order = _late_order(s, ask.now)
    late = minutes_late(s, order, ask.now)
    return _Case({"late_order": order.id}, [str(order.id), numbers({late - 1, late, late + 1})])


def _why_unassigned(s: Session, ask: _Ask) -> _Case:
    order = _unassigned_order(s)
    return _Case({"order": order.id}, [str(order.id), EXPLAINS_UNASSIGNED])


def _move_order(s: Session, ask: _Ask) -> _Case:
    order, courier = _move_pair(s)
    values = {"order": order.id, "courier_name": courier.name, "courier": courier.id}
    return _Case(values, allowed={order.id}, target=(order.id, courier.id))


def _replan_courier(s: Session, ask: _Ask) -> _Case:
    courier = _busy_courier(s)
    allowed = {o.id for o in _assigned(s) if o.courier_id == courier.id}
    return _Case({"courier": courier.id}, allowed=allowed)


def _plan_zone(s: Session, ask: _Ask) -> _Case:
    query = select(Order.id).where(Order.zone_id == ask.zone, Order.status.in_(NOT_PICKED))
    return _Case(allowed=set(s.scalars(query)))


def _reassign_late(s: Session, ask: _Ask) -> _Case:
    return _Case(allowed=set(_late_ids(s, ask.zone, ask.now)))


def _demand(s: Session, ask: _Ask) -> _Case:
    assert ask.span is not None
    total = window_demand(s, ask.zone, ask.day, ask.span, ask.now)
    facts: list[Fact] = [number(total) if total is not None else ("no forecast", "没有预测")]
    compare = ask.params.get("compare")
    if compare == "today":
        other = window_demand(s, ask.zone, ask.today, ask.span, ask.now)
        facts.append(number(other) if other is not None else ("today", "今天"))
    elif compare == "last_week":
        hours = _hours(ask.day - timedelta(days=7), ask.span)
        facts.append(number(_placed(s, ask.zone, hours[0], hours[-1] + timedelta(hours=1))))
    return _Case(facts=facts)


def _staffing(s: Session, ask: _Ask) -> _Case:
    assert ask.span is not None
    peak = peak_need(s, ask.zone, ask.day, ask.span)
    facts: list[Fact] = [number(peak) if peak is not None else ("no staffing plan", "没有")]
    if ask.params.get("compare") == "today":
        today_peak = peak_need(s, ask.zone, ask.today, ask.span)
        if today_peak is not None:
            facts.append(number(today_peak))
    return _Case(facts=facts)


def _short_zones(s: Session, ask: _Ask) -> _Case:
    found = short(s, ask.day, ask.span)
    facts: list[Fact] = [_zone_words(s, zone_id) for zone_id in found]
    return _Case(facts=facts or [("no zone", "none", "没有")])


CASES: dict[str, Callable[[Session, _Ask], _Case]] = {
    "why_late": _why_late,
    "why_unassigned": _why_unassigned,
    "move_order": _move_order,
    "replan_courier": _replan_courier,
    "plan_zone": _plan_zone,
    "reassign_late": _reassign_late,
    "couriers_on_shift": lambda s, ask: _Case(facts=[number(on_shift(s, ask.zone))]),
    "orders_today": lambda s, ask: _Case(
        facts=[number(today_count(s, ask.params["what"], ask.zone, ask.now))]
    ),
    "open_orders": lambda s, ask: _Case(
        facts=[number(open_count(s, ask.zone, bool(ask.params.get("unassigned"))))]
    ),
    "demand": _demand,
    "staffing": _staffing,
    "short_zones": _short_zones,
    "unclear": lambda s, ask: _Case(facts=[ASKS]),
}
WRITES = ("plan_zone", "reassign_late", "replan_courier", "move_order")
NAMES_SCOPE = ("demand", "staffing", "couriers_on_shift", "orders_today", "open_orders",
               "plan_zone", "reassign_late")  # fmt: skip


def task_from(data: dict[str, Any], source: str) -> Task:
    expect = data["expect"]
    kind: str = expect["kind"]
    if kind not in CASES:
        raise ValueError(f"expect.kind: unknown kind {kind!r}")
    params: dict[str, Any] = dict(expect.get("params") or {})

    def build(s: Session) -> Script:
        ask = _Ask(kind, params, SEEDED_NOW)
        if kind in ("plan_zone", "reassign_late") and ask.zone is not None:
            _zone_needs_work(s, ask.zone, kind, ask.now)
        case = CASES[kind](s, ask)
        if expect.get("scope_said"):
            if kind in NAMES_SCOPE:
                case.facts.append(_zone_words(s, ask.zone))
            if ask.span is not None:
                case.facts.append(f"{ask.span[0]:02d}:00")
        messages = tuple(_fill(m, case.values) for m in data["messages"])
        verify = (
            _plan_verifier(s, kind, params, case.allowed, case.target)
            if kind in WRITES
            else _reads_verifier(s)
        )
        return Script(OPERATOR, messages, facts=tuple(case.facts), verify=verify)

    return Task(f"{source}:{data['name']}", "dispatch", build, (source, kind))


def _fill(text: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def load(paths: tuple[Path, ...], source: str) -> list[Task]:
    tasks: list[Task] = []
    for path in paths:
        tasks += [task_from(item, source) for item in json.loads(path.read_text("utf-8"))]
    return tasks
