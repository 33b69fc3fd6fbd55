"""The dispatch tools: reads answer at once; committing a plan needs the operator's yes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agents.dispatch import insight
from agents.dispatch.planner import Planner, PlannerUnavailableError
from agents.tooling import Tool, ToolResult, refused
from db.models import Courier, Order, Zone


@dataclass(frozen=True)
class DispatchContext:
    operator: str
    now: datetime
    planner: Planner

    @property
    def actor(self) -> str:
        return f"agent:dispatch:{self.operator}"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ZoneArgs(_Args):
    zone_id: int | None = Field(default=None, gt=0)


class OrderArgs(_Args):
    order_id: int = Field(gt=0)


class WindowArgs(ZoneArgs):
    day: date
    start_hour: int = Field(ge=0, le=23)
    end_hour: int = Field(ge=1, le=24)

    @model_validator(mode="after")
    def _ordered(self) -> WindowArgs:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        return self


class PlanArgs(ZoneArgs):
    courier_id: int | None = Field(default=None, gt=0)


class CommitArgs(_Args):
    token: str = Field(min_length=1, max_length=64)


def _zone_problem(session: Session, zone_id: int | None) -> ToolResult | None:
    if zone_id is not None and session.get(Zone, zone_id) is None:
        return refused("unknown_zone", f"zone_id: there is no zone {zone_id}")
    return None


def list_unassigned(
    session: Session, ctx: DispatchContext, args: ZoneArgs, **_: object
) -> ToolResult:
    problem = _zone_problem(session, args.zone_id)
    if problem:
        return problem
    ids = insight.unassigned_orders(session, args.zone_id)
    return ToolResult("ok", {"zone_id": args.zone_id, "count": len(ids), "order_ids": ids})


def explain_late(
    session: Session, ctx: DispatchContext, args: OrderArgs, **_: object
) -> ToolResult:
    order = session.get(Order, args.order_id)
    if order is None:
        return refused("not_found", f"order_id: there is no order {args.order_id}")
    return ToolResult("ok", insight.explain_late(session, order, ctx.now))


def _window(args: WindowArgs) -> insight.Window:
    return insight.Window(args.day, args.start_hour, args.end_hour)


def expected_demand(
    session: Session, ctx: DispatchContext, args: WindowArgs, **_: object
) -> ToolResult:
    problem = _zone_problem(session, args.zone_id)
    return problem or ToolResult(
        "ok", insight.expected_demand(session, args.zone_id, _window(args))
    )


def couriers_needed(
    session: Session, ctx: DispatchContext, args: WindowArgs, **_: object
) -> ToolResult:
    problem = _zone_problem(session, args.zone_id)
    return problem or ToolResult(
        "ok", insight.couriers_needed(session, args.zone_id, _window(args))
    )


def _plan_zone(session: Session, args: PlanArgs) -> int | ToolResult | None:
    zone_id = args.zone_id
    if args.courier_id is not None:
        courier = session.get(Courier, args.courier_id)
        if courier is None:
            return refused("not_found", f"courier_id: there is no courier {args.courier_id}")
        zone_id = courier.zone_id
    return _zone_problem(session, zone_id) or zone_id


def preview_plan(engine: Engine, ctx: DispatchContext, args: PlanArgs, **_: object) -> ToolResult:
    with Session(engine) as session:
        zone_id = _plan_zone(session, args)
    if isinstance(zone_id, ToolResult):
        return zone_id
    try:
        preview = ctx.planner.preview(
            engine, now=ctx.now, zone_id=zone_id, courier_id=args.courier_id, actor=ctx.actor
        )
    except PlannerUnavailableError as exc:
        return refused("planner_unavailable", str(exc))
    return ToolResult(
        "needs_confirmation",
        {
            "token": preview.token,
            "zone_id": zone_id,
            "courier_id": args.courier_id,
            "assigned": {str(k): v for k, v in preview.assigned.items()},
            "unassigned": {str(k): v for k, v in preview.unassigned.items()},
            "kept": preview.kept,
        },
    )


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
        return refused("not_committed", outcome.message, token=args.token)
    return ToolResult("ok", {"version": outcome.version, "changed": outcome.changed})


TOOLS = {
    t.name: t
    for t in (
        Tool(
            "list_unassigned",
            "Open orders without a courier, optionally in one zone.",
            ZoneArgs,
            list_unassigned,
        ),
        Tool(
            "explain_late",
            "Why an order is or was late: its steps and its route.",
            OrderArgs,
            explain_late,
        ),
        Tool(
            "expected_demand",
            "Expected orders in a zone (or the city) for local hours of a day.",
            WindowArgs,
            expected_demand,
        ),
        Tool(
            "couriers_needed",
            "Couriers needed per hour for local hours of a day.",
            WindowArgs,
            couriers_needed,
        ),
        Tool(
            "preview_plan",
            "Solve a dispatch round for a zone or a courier's zone; writes nothing.",
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
