"""The dispatch assistant end to end on the seeded city with its forecasts and staffing
plans: the numbers are the served forecast's and the newest plan's (never summed twice),
the scope asked is the scope answered and said back, and a plan is committed only after
the operator's yes and only for the orders it named."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agents.dispatch.agent import DispatchAgent
from agents.eval import dispatch_json, world
from agents.eval.world import SEEDED_NOW
from db.domain.status import OrderStatus
from db.models import (
    AuditEntry,
    Forecast,
    ForecastSeries,
    Order,
    RoutePlan,
    StaffingPlan,
    StaffingPlanRow,
)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
TODAY = SEEDED_NOW.astimezone(dispatch_json.CITY_TZ).date()


def agent(engine: Engine) -> DispatchAgent:
    return DispatchAgent(engine, "ops-test", model=None, clock=lambda: SEEDED_NOW)


def plan_versions(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(RoutePlan)) or 0


def couriers(engine: Engine) -> dict[int, int | None]:
    with Session(engine) as session:
        return dict(session.execute(select(Order.id, Order.courier_id)).all())


def test_a_zone_plan_commits_only_that_zones_orders(planned_engine: Engine) -> None:
    """ "assign the open orders in People's Square" previews People's Square only, names it,
    and on yes changes no order of another zone (it once committed a city-wide plan)."""
    with Session(planned_engine) as s:
        dispatch_json.release(s, dispatch_json._assigned(s, 2)[0])
        dispatch_json.release(s, dispatch_json._assigned(s, 4)[0])
        zone_of = dict(s.execute(select(Order.id, Order.zone_id)).all())
    before = couriers(planned_engine)
    ops = agent(planned_engine)
    preview = ops.handle("assign the open orders in People's Square")
    assert "People's Square" in preview.reply and "Reply yes" in preview.reply
    assert plan_versions(planned_engine) == 1
    done = ops.handle("ok commit")
    assert done.tool_calls[0].name == "commit_plan" and "People's Square" in done.reply
    changed = {i for i, c in couriers(planned_engine).items() if before[i] != c}
    assert changed and {zone_of[i] for i in changed} == {2}
    with Session(planned_engine) as session:
        actors = session.scalars(select(AuditEntry.actor)).all()
    assert "agent:dispatch:ops-test" in actors


def test_just_show_me_previews_without_asking(planned_engine: Engine) -> None:
    """ "plan zone 4 but don't commit" shows the plan, asks nothing, and a later "no" or
    silence commits nothing; "ok commit it" then proposes it again for a yes."""
    with Session(planned_engine) as s:
        dispatch_json.release(s, dispatch_json._assigned(s, 4)[0])
    ops = agent(planned_engine)
    shown = ops.handle("plan zone 4 but don't commit")
    assert "Wujiaochang" in shown.reply and "nothing committed" in shown.reply
    assert ops.session.pending() is None
    again = ops.handle("ok commit it")
    assert "Reply yes" in again.reply and ops.session.pending() is not None
    assert plan_versions(planned_engine) == 1


def test_demand_is_the_served_forecast_not_every_model(planned_engine: Engine) -> None:
    """Tomorrow's lunch in a zone adds up the served model's hours only, though the run also
    holds Prophet's rows for the same hours (the assistant once answered 56 for 30)."""
    with Session(planned_engine) as s:
        served = s.scalar(
            select(ForecastSeries.served_model).where(ForecastSeries.series_id == "zone-4")
        )
        run_id = s.scalar(select(ForecastSeries.run_id).limit(1))
        hours = dispatch_json._hours(TODAY + timedelta(days=1), (11, 14))
        rows = s.execute(
            select(Forecast.model, Forecast.yhat).where(
                Forecast.run_id == run_id, Forecast.series_id == "zone-4", Forecast.ds.in_(hours)
            )
        ).all()
    assert {m for m, _ in rows} - {served}, "the run should hold a second model's rows"
    truth = round(sum(y for m, y in rows if m == served))
    doubled = round(sum(y for _, y in rows))
    assert truth != doubled
    turn = agent(planned_engine).handle("how many orders tomorrow lunch in Wujiaochang?")
    assert turn.tool_calls[0].result["total"] == truth
    assert "Wujiaochang" in turn.reply and "11:00-14:00" in turn.reply


def test_staffing_reads_the_newest_plan_of_the_day_only(planned_engine: Engine) -> None:
    """A second staffing plan for tomorrow replaces the first in the answer, it is not added
    to it (the assistant once summed every plan of the day)."""
    day = TODAY + timedelta(days=1)
    first = agent(planned_engine).handle("how many riders do we need tomorrow 6pm to 9pm?")
    peak = first.tool_calls[0].result["peak"]
    with Session(planned_engine) as s, s.begin():
        # A later plan for the same day (from another run), one courier an hour per zone.
        old = s.scalars(
            select(StaffingPlanRow).where(StaffingPlanRow.plan_id == first_plan(s, day))
        )
        plan = StaffingPlan(plan_date=day, created_at=SEEDED_NOW + timedelta(minutes=5),
                            forecast_run_id=None, service_level=0.5)  # fmt: skip
        s.add(plan)
        s.flush()
        s.add_all(
            StaffingPlanRow(
                plan_id=plan.id,
                zone_id=r.zone_id,
                hour=r.hour,
                forecast_orders=1.0,
                couriers_needed=1,
                couriers_on_shift=r.couriers_on_shift,
                gap=r.couriers_on_shift - 1,
            )
            for r in list(old)
        )
    again = agent(planned_engine).handle("how many riders do we need tomorrow 6pm to 9pm?")
    result = again.tool_calls[0].result
    assert result["plan_id"] != first.tool_calls[0].result["plan_id"]
    assert result["peak"] == 4 < peak  # one per zone: the newest plan alone, never added up


def first_plan(s: Session, day: object) -> int:
    return s.scalar(select(StaffingPlan.id).where(StaffingPlan.plan_date == day))


def test_times_are_the_citys_and_said_back(planned_engine: Engine) -> None:
    """ "6pm to 9pm tomorrow" is 18:00-21:00 local (it was once read as 06:00-09:00), and
    "tonight" is today's evening, both said back in the reply."""
    ops = agent(planned_engine)
    evening = ops.handle("expected demand 6pm to 9pm tomorrow in gubei")
    assert evening.tool_calls[0].arguments["start_hour"] == 18
    assert "18:00-21:00" in evening.reply and "Gubei" in evening.reply
    tonight = ops.handle("what about tonight?")
    assert "today" in tonight.reply and "17:00-21:00" in tonight.reply
    assert "Gubei" in tonight.reply


def test_couriers_on_shift_now_is_not_a_staffing_need(planned_engine: Engine) -> None:
    """ "how many couriers are on shift right now?" counts the couriers working now, by zone."""
    turn = agent(planned_engine).handle("how many couriers are on shift right now?")
    assert turn.tool_calls[0].name == "couriers_on_shift"
    with Session(planned_engine) as s:
        truth = dispatch_json.on_shift(s, None)
    assert f"{truth} couriers" in turn.reply and "the whole city" in turn.reply


def test_delivered_today_is_counted_not_forecast(planned_engine: Engine) -> None:
    """ "how many did we deliver today?" counts today's deliveries from the orders."""
    turn = agent(planned_engine).handle("how many did we deliver today in lujiazui?")
    with Session(planned_engine) as s:
        truth = dispatch_json.today_count(s, "delivered", 1, SEEDED_NOW)
    assert turn.tool_calls[0].name == "orders_today"
    assert f"{truth} delivered" in turn.reply and "Lujiazui" in turn.reply


def test_moving_an_order_to_a_named_courier(planned_engine: Engine) -> None:
    """ "give ORDER to NAME" previews exactly that move, checked by the routing model, and
    the yes moves that order only."""
    with Session(planned_engine) as s:
        order, courier = dispatch_json._move_pair(s)
    before = couriers(planned_engine)
    ops = agent(planned_engine)
    preview = ops.handle(f"give {order.id} to {courier.name}")
    assert courier.name in preview.reply and "Reply yes" in preview.reply
    ops.handle("yes")
    after = couriers(planned_engine)
    assert after[order.id] == courier.id
    assert {i for i in after if after[i] != before[i]} == {order.id}


def test_reassigning_late_orders_touches_only_them(planned_engine: Engine) -> None:
    """ "reassign the late orders in Wujiaochang" may move only that zone's late orders."""
    with Session(planned_engine) as s:
        late = dispatch_json._assigned(s, 4)[0]
        late_id = late.id
        dispatch_json.make_late(s, late, SEEDED_NOW, minutes=20)
        expected = dispatch_json._late_ids(s, 4, SEEDED_NOW)
    assert late_id in expected
    before = couriers(planned_engine)
    ops = agent(planned_engine)
    turn = ops.handle("reassign the late orders in Wujiaochang")
    assert turn.tool_calls[0].result["movable"] == expected
    ops.handle("yes")
    changed = {i for i, c in couriers(planned_engine).items() if before[i] != c}
    assert changed <= set(expected)


def test_why_an_order_is_unassigned_gives_the_reason(planned_engine: Engine) -> None:
    """An order waiting for the merchant is unassigned for that reason; a confirmed one
    gets what the routing model would do with it now."""
    with Session(planned_engine) as s:
        placed = world.sole_open_order(s, OrderStatus.PLACED)
        confirmed = world.sole_open_order(s, OrderStatus.CONFIRMED)
    ops = agent(planned_engine)
    assert "merchant has not confirmed" in ops.handle(f"why is {placed.id} unassigned?").reply
    reply = ops.handle(f"why has order {confirmed.id} no courier yet?").reply
    assert str(confirmed.id) in reply and ("courier" in reply or "routing model" in reply)


def test_unknown_zone_and_order_are_refused(planned_engine: Engine) -> None:
    """An unknown zone or order is named as missing and nothing is planned."""
    ops = agent(planned_engine)
    assert "no zone 99" in ops.handle("assign the orders in zone 99").reply
    assert "no order 123456789" in ops.handle("why is order 123456789 late?").reply
    assert plan_versions(planned_engine) == 1


def test_another_zones_round_does_not_overtake_a_plan(planned_engine: Engine) -> None:
    """A round committed in People's Square between the preview of a Wujiaochang plan and the
    yes touches none of its orders: the yes still commits it (plan versions are compared per
    zone)."""
    from routing.service.dispatch import run_round

    with Session(planned_engine) as s:
        dispatch_json.release(s, dispatch_json._assigned(s, 2)[0])
        dispatch_json.release(s, dispatch_json._assigned(s, 4)[0])
    ops = agent(planned_engine)
    assert "Reply yes" in ops.handle("assign the open orders in Wujiaochang").reply
    run_round(planned_engine, now=SEEDED_NOW, zone_id=2, time_limit_s=1.0)
    done = ops.handle("yes")
    assert "Committed the plan for Wujiaochang" in done.reply
    assert plan_versions(planned_engine) == 3


def test_a_plan_overtaken_by_another_round_is_proposed_afresh(planned_engine: Engine) -> None:
    """When a city-wide round commits between the preview and the yes, the yes writes
    nothing, the plan is shown again as things stand, and only the next yes commits it."""
    from routing.service.dispatch import run_round

    with Session(planned_engine) as s:
        dispatch_json.release(s, dispatch_json._assigned(s, 4)[0])
    ops = agent(planned_engine)
    assert "Reply yes" in ops.handle("assign the open orders in Wujiaochang").reply
    run_round(planned_engine, now=SEEDED_NOW, zone_id=None, time_limit_s=1.0)
    with Session(planned_engine) as s:  # and a courier gives an order back meanwhile
        dispatch_json.release(s, dispatch_json._assigned(s, 4)[0])
    assert plan_versions(planned_engine) == 2
    overtaken = ops.handle("yes")
    assert "nothing was written" in overtaken.reply and "Reply yes" in overtaken.reply
    assert plan_versions(planned_engine) == 2 and ops.session.pending() is not None
    done = ops.handle("yes")
    assert "Committed the plan for Wujiaochang" in done.reply
    assert plan_versions(planned_engine) == 3
