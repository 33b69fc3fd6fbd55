"""The dispatch tools: reads answer at once for an exact scope; a plan is only previewed,
and committing it needs the operator's yes.

Every read takes ``zone_ids`` (none: the whole city) and answers with the zones it read,
so the reply can say the scope back; windows are the city's local hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from agents.dispatch import insight
from agents.dispatch.planner import Planner, PlannerUnavailableError, PlanScope
from agents.tooling import Tool, ToolResult, refused
from db.domain.rules import CITY_TIMEZONE
from db.domain.status import OrderStatus
from db.models import Courier, Order, Zone

CITY_TZ = ZoneInfo(CITY_TIMEZONE)


@dataclass(frozen=True)
class DispatchContext:
    operator: str
    now: datetime
    planner: Planner
    tz: ZoneInfo = CITY_TZ

    @property
    def actor(self) -> str:
        return f"agent:dispatch:{self.operator}"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ZonesArgs(_Args):
    zone_ids: list[int] | None = Field(
        default=None, max_length=20, description="zones to read; none for the whole city"
    )

    @model_validator(mode="after")
    def _positive(self) -> ZonesArgs:
        if self.zone_ids is not None and any(z <= 0 for z in self.zone_ids):
            raise ValueError("zone_ids must be positive zone numbers")
        return self


class OrderArgs(_Args):
    order_id: int = Field(gt=0)


class WindowArgs(ZonesArgs):
    day: date
    start_hour: int = Field(ge=0, le=23, description="local hour the window starts")
    end_hour: int = Field(ge=1, le=24, description="local hour the window ends (exclusive)")
    compare: Literal["today", "last_week"] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> WindowArgs:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        return self


class PlanArgs(_Args):
    zone_id: int | None = Field(default=None, gt=0, description="none for the whole city")
    courier_id: int | None = Field(default=None, gt=0, description="re-plan only this courier")
    late_only: bool = Field(default=False, description="move only the zone's late orders")
    order_id: int | None = Field(default=None, gt=0, description="an order to send by hand")
    to_courier_id: int | None = Field(default=None, gt=0, description="the courier it goes to")

    @model_validator(mode="after")
    def _paired(self) -> PlanArgs:
        if (self.order_id is None) != (self.to_courier_id is None):
            raise ValueError("order_id and to_courier_id go together")
        return self


class CommitArgs(_Args):
    token: str = Field(min_length=1, max_length=64)
    # The preview's own request, to propose afresh if another round committed meanwhile.
    again: PlanArgs | None = None


def _zones(session: Session, zone_ids: list[int] | None) -> list[Zone] | ToolResult:
    """The zones, or a refusal naming the first unknown one."""
    zones = []
    for zone_id in zone_ids or []:
        zone = session.get(Zone, zone_id)
        if zone is None:
            return refused("unknown_zone", f"zone_ids: there is no zone {zone_id}")
        zones.append(zone)
    return zones


def _read(session: Session, args: ZonesArgs, data: Mapping[str, object]) -> ToolResult:
    zones = _zones(session, args.zone_ids)
    if isinstance(zones, ToolResult):
        return zones
    names = {
        "zones": [z.name for z in zones],
        "zones_zh": [z.name_zh or z.name for z in zones],
    }
    return ToolResult("ok", {"zone_ids": args.zone_ids, **names, **data})


def couriers_on_shift(
    session: Session, ctx: DispatchContext, args: ZonesArgs, **_: object
) -> ToolResult:
    return _read(session, args, insight.couriers_on_shift(session, args.zone_ids))


def orders_today(
    session: Session, ctx: DispatchContext, args: ZonesArgs, **_: object
) -> ToolResult:
    return _read(session, args, insight.orders_today(session, args.zone_ids, ctx.now, ctx.tz))


def list_open_orders(
    session: Session, ctx: DispatchContext, args: ZonesArgs, **_: object
) -> ToolResult:
    return _read(session, args, insight.open_orders(session, args.zone_ids))


def _window(args: WindowArgs, ctx: DispatchContext) -> insight.Window:
    return insight.Window(args.day, args.start_hour, args.end_hour, ctx.tz)


def _other_day(args: WindowArgs, ctx: DispatchContext) -> insight.Window | None:
    window = _window(args, ctx)
    if args.compare == "today":
        return window.on(ctx.now.astimezone(ctx.tz).date())
    if args.compare == "last_week":
        return window.on(args.day - timedelta(days=7))
    return None


def expected_demand(
    session: Session, ctx: DispatchContext, args: WindowArgs, **_: object
) -> ToolResult:
    data = insight.expected_demand(session, args.zone_ids, _window(args, ctx), ctx.now)
    other = _other_day(args, ctx)
    if other is not None:
        if args.compare == "last_week":
            data["compared"] = insight.observed_window(session, args.zone_ids, other)
        else:
            data["compared"] = insight.expected_demand(session, args.zone_ids, other, ctx.now)
        data["compare"] = args.compare
    return _read(session, args, data)


def couriers_needed(
    session: Session, ctx: DispatchContext, args: WindowArgs, **_: object
) -> ToolResult:
    data = insight.couriers_needed(session, args.zone_ids, _window(args, ctx))
    other = _other_day(args, ctx)
    if other is not None:
        data["compared"] = insight.couriers_needed(session, args.zone_ids, other)
        data["compare"] = args.compare
    return _read(session, args, data)


def short_zones(
    session: Session, ctx: DispatchContext, args: WindowArgs, **_: object
) -> ToolResult:
    data = insight.short_zones(session, _window(args, ctx))
    names = insight.zone_names(session)
    for zone in data["zones"]:
        zone["name"], zone["name_zh"] = names[zone["zone_id"]]
    return _read(session, args, data)


def explain_late(
    session: Session, ctx: DispatchContext, args: OrderArgs, **_: object
) -> ToolResult:
    order = session.get(Order, args.order_id)
    if order is None:
        return refused("not_found", f"order_id: there is no order {args.order_id}")
    return ToolResult("ok", insight.explain_late(session, order, ctx.now, ctx.tz))


def why_unassigned(
    engine: Engine, ctx: DispatchContext, args: OrderArgs, **_: object
) -> ToolResult:
    """Why an open order has no courier: its status, or what a round would do with it now
    (the solver's reason when nobody can take it). Writes nothing."""
    with Session(engine) as session:
        order = session.get(Order, args.order_id)
        if order is None:
            return refused("not_found", f"order_id: there is no order {args.order_id}")
        status, courier_id, zone_id = order.status, order.courier_id, order.zone_id
    data: dict[str, object] = {"order_id": args.order_id, "order_status": status}
    if status not in (OrderStatus.PLACED, OrderStatus.CONFIRMED):
        return ToolResult("ok", {**data, "courier_id": courier_id, "why": "has_courier"})
    if status == OrderStatus.PLACED:
        return ToolResult("ok", {**data, "why": "not_confirmed"})
    try:
        preview = ctx.planner.preview(
            engine, now=ctx.now, scope=PlanScope(zone_id=zone_id), actor=ctx.actor
        )
    except PlannerUnavailableError as exc:
        return refused("planner_unavailable", str(exc))
    if args.order_id in preview.unassigned:
        return ToolResult(
            "ok", {**data, "why": "solver", "reason": preview.unassigned[args.order_id]}
        )
    if args.order_id in preview.assigned:
        return ToolResult(
            "ok", {**data, "why": "no_round_yet", "would_go_to": preview.assigned[args.order_id]}
        )
    return ToolResult("ok", {**data, "why": "expired"})


def _plan_problem(session: Session, args: PlanArgs) -> ToolResult | None:
    if args.zone_id is not None and session.get(Zone, args.zone_id) is None:
        return refused("unknown_zone", f"zone_id: there is no zone {args.zone_id}")
    for field, courier_id in (
        ("courier_id", args.courier_id),
        ("to_courier_id", args.to_courier_id),
    ):
        if courier_id is not None:
            courier = session.get(Courier, courier_id)
            if courier is None:
                return refused("not_found", f"{field}: there is no courier {courier_id}")
            if field == "to_courier_id" and courier.status == "off_shift":
                return refused("off_shift", f"{field}: courier {courier_id} is not on shift")
    if args.order_id is not None:
        order = session.get(Order, args.order_id)
        if order is None:
            return refused("not_found", f"order_id: there is no order {args.order_id}")
        if order.status not in (OrderStatus.CONFIRMED, OrderStatus.ASSIGNED):
            return refused(
                "not_movable", f"order_id: order {args.order_id} is {order.status}, not movable"
            )
    return None


def _courier_names(engine: Engine, ids: set[int]) -> dict[str, str]:
    with Session(engine) as session:
        return {
            str(c.id): c.name for c in session.scalars(select(Courier).where(Courier.id.in_(ids)))
        }


def preview_plan(engine: Engine, ctx: DispatchContext, args: PlanArgs, **_: object) -> ToolResult:
    with Session(engine) as session:
        problem = _plan_problem(session, args)
        names = insight.zone_names(session)
    if problem is not None:
        return problem
    scope = PlanScope(
        zone_id=args.zone_id,
        courier_id=args.courier_id,
        late_only=args.late_only,
        move=(args.order_id, args.to_courier_id)
        if args.order_id is not None and args.to_courier_id is not None
        else None,
    )
    try:
        preview = ctx.planner.preview(engine, now=ctx.now, scope=scope, actor=ctx.actor)
    except PlannerUnavailableError as exc:
        return refused("planner_unavailable", str(exc))
    zone = names.get(preview.zone_id) if preview.zone_id is not None else None
    data = {
        "token": preview.token,
        "zone_id": preview.zone_id,
        "zone": zone[0] if zone else None,
        "zone_zh": (zone[1] or zone[0]) if zone else None,
        "courier_id": args.courier_id,
        "late_only": args.late_only,
        "move": list(scope.move) if scope.move else None,
        "assigned": {str(k): v for k, v in preview.assigned.items()},
        "before": {str(k): v for k, v in preview.before.items()},
        "unassigned": {str(k): v for k, v in preview.unassigned.items()},
        "kept": preview.kept,
        "movable": list(preview.movable),
        "couriers": _courier_names(
            engine, {*preview.assigned.values(), *filter(None, preview.before.values())}
        ),
        "refused": preview.refused,
    }
    if preview.refused is not None:
        return refused("out_of_scope", preview.refused, **data)
    return ToolResult("needs_confirmation", data)


def commit_plan(
    engine: Engine, ctx: DispatchContext, args: CommitArgs, *, confirmed: bool
) -> ToolResult:
    if not confirmed:
        return ToolResult("needs_confirmation", {"token": args.token})
    # The routing service commits in its own single transaction: it owns plan versions
    # and their compare-and-set.
    try:
        outcome = ctx.planner.commit(engine, args.token, actor=ctx.actor)
    except PlannerUnavailableError as exc:
        return refused("planner_unavailable", str(exc))
    if not outcome.committed:
        fresh = None
        if args.again is not None and outcome.overtaken:
            fresh = preview_plan(engine, ctx, args.again).as_json()
        return refused("not_committed", outcome.message, token=args.token, fresh=fresh)
    return ToolResult("ok", {"version": outcome.version, "changed": outcome.changed})


READS = (
    Tool("couriers_on_shift", "Couriers on shift now, by status and zone.", ZonesArgs,
         couriers_on_shift),
    Tool("orders_today", "Orders placed, delivered, late and cancelled today so far.",
         ZonesArgs, orders_today),
    Tool("list_open_orders", "Open orders now, and those without a courier.", ZonesArgs,
         list_open_orders),
    Tool("expected_demand", "Orders expected in local hours of a day (served forecast), "
         "optionally beside today or the same hours a week before.", WindowArgs,
         expected_demand),
    Tool("couriers_needed", "Couriers needed per hour from the newest staffing plan, with "
         "those rostered.", WindowArgs, couriers_needed),
    Tool("short_zones", "Zones with fewer couriers rostered than needed in the window.",
         WindowArgs, short_zones),
    Tool("explain_late", "Why an order is or was late: its steps and its route.", OrderArgs,
         explain_late),
    Tool("why_unassigned", "Why an open order has no courier (the routing model's reason).",
         OrderArgs, why_unassigned, external=True),
)  # fmt: skip
TOOLS = {
    t.name: t
    for t in (
        *READS,
        Tool(
            "preview_plan",
            "Solve a dispatch round for a zone (or the city), one courier's orders, a zone's "
            "late orders, or one order sent to a chosen courier; writes nothing.",
            PlanArgs,
            preview_plan,
            external=True,
        ),
        Tool(
            "commit_plan",
            "Commit a previewed plan; needs the operator's confirmation.",
            CommitArgs,
            commit_plan,
            writes=True,
            external=True,
        ),
    )
}
