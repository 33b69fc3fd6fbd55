"""The dispatch assistant answers with the tools' numbers and commits a plan only after
the operator's yes: a declined or abandoned preview leaves the route plans untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agents.dispatch.agent import DispatchAgent
from agents.dispatch.insight import HISTORY_SOURCE
from agents.eval import world
from agents.eval.world import SEEDED_NOW
from db.models import Assignment, AuditEntry, Order, RoutePlan

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def agent(engine: Engine) -> DispatchAgent:
    return DispatchAgent(engine, "ops-test", model=None, clock=lambda: SEEDED_NOW)


def plan_versions(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(RoutePlan)) or 0


def unassigned_zone(engine: Engine) -> int:
    with Session(engine) as session:
        order = world.sole_open_order(session, "confirmed")
        return order.zone_id


def test_assign_asks_first_then_commits_on_yes(seeded_engine: Engine) -> None:
    """Assigning a zone's orders previews first; "yes" commits a new plan version, audited
    under the operator's dispatch agent."""
    zone = unassigned_zone(seeded_engine)
    ops = agent(seeded_engine)
    preview = ops.handle(f"assign the unassigned orders in zone {zone}")
    assert "Reply yes" in preview.reply
    assert plan_versions(seeded_engine) == 1
    done = ops.handle("yes")
    assert done.tool_calls[0].name == "commit_plan"
    assert done.tool_calls[0].result["status"] == "ok"
    assert plan_versions(seeded_engine) == 2
    with Session(seeded_engine) as session:
        actors = session.scalars(select(AuditEntry.actor)).all()
    assert "agent:dispatch:ops-test" in actors


def test_declined_plan_is_not_committed(seeded_engine: Engine) -> None:
    """A declined plan is not committed, and a later "yes" commits nothing."""
    zone = unassigned_zone(seeded_engine)
    ops = agent(seeded_engine)
    ops.handle(f"assign the unassigned orders in zone {zone}")
    assert "not committed" in ops.handle("no").reply
    assert ops.handle("yes").tool_calls == ()
    assert plan_versions(seeded_engine) == 1


def test_lateness_is_explained_with_the_orders_own_times(seeded_engine: Engine) -> None:
    """Why an order is late is answered from its own promised and delivered times, in minutes."""
    with Session(seeded_engine) as session:
        late = world.delivered_order(session, late=True, min_late=5)
    minutes = round((late.delivered_at - late.promised_at) / timedelta(minutes=1))
    reply = agent(seeded_engine).handle(f"why is order {late.id} late?").reply
    assert f"Order {late.id} (delivered) is {minutes} min late" in reply


def test_demand_falls_back_to_history_and_says_so(seeded_engine: Engine) -> None:
    """Tomorrow's lunch demand comes from history, says so, and the reply quotes the total."""
    turn = agent(seeded_engine).handle("what demand do we expect in zone 2 tomorrow at lunch?")
    result = turn.tool_calls[0].result
    assert result["day"] == "2026-11-28" and result["hours"] == "11:00-14:00"
    assert result["source"] == HISTORY_SOURCE
    assert f"{result['total']} orders" in turn.reply


def test_staffing_numbers_match_the_tool(seeded_engine: Engine) -> None:
    """Staffing from 11 to 13 gives two hourly figures, and the reply quotes the tool's peak."""
    turn = agent(seeded_engine).handle("how many couriers do we need tomorrow from 11 to 13?")
    result = turn.tool_calls[0].result
    assert len(result["per_hour"]) == 2
    assert f"{result['peak']} at peak" in turn.reply


def test_unknown_zone_and_order_are_refused(seeded_engine: Engine) -> None:
    """An unknown zone or order is named as missing; assignments and placed orders stay."""
    ops = agent(seeded_engine)
    assert "no zone 99" in ops.handle("assign the orders in zone 99").reply
    assert "no order 123456789" in ops.handle("why is order 123456789 late?").reply
    with Session(seeded_engine) as session:
        active = session.scalar(select(func.count()).where(Assignment.active))
        open_orders = session.scalar(select(func.count()).where(Order.status == "placed"))
    assert active and open_orders
