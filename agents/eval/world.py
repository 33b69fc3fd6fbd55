"""Finding the right cast in a seeded store: orders and customers of a given kind.

Tasks name what they need ("a customer whose only open order is assigned") instead of
hard-coding ids, so they hold for any seed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.domain.rules import CITY_TIMEZONE
from db.domain.status import OPEN, OrderStatus
from db.models import Compensation, Order

# The moment the test and benchmark cities are built at: lunchtime in Shanghai.
SEEDED_NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
SEED = 11
RECENT = timedelta(days=7)


class CastNotFoundError(LookupError):
    """The seeded store holds no order or customer of the kind a task needs."""


def _open_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Order.customer_id, func.count())
        .where(Order.status.in_(OPEN))
        .group_by(Order.customer_id)
    )
    return dict(rows.all())


def sole_open_order(session: Session, status: str) -> Order:
    """An order in ``status`` that is its customer's only open order."""
    counts = _open_counts(session)
    for order in session.scalars(select(Order).where(Order.status == status).order_by(Order.id)):
        if counts.get(order.customer_id) == 1:
            return order
    raise CastNotFoundError(f"no customer whose only open order is {status}")


def delivered_order(
    session: Session, *, late: bool, now: datetime = SEEDED_NOW, min_late: int = 1, nth: int = 0
) -> Order:
    """A recent delivered order, late (by at least ``min_late`` minutes) or on time, that is
    its customer's latest delivered order and has no compensation yet."""
    compensated = set(session.scalars(select(Compensation.order_id)))
    latest: dict[int, datetime] = dict(
        session.execute(
            select(Order.customer_id, func.max(Order.placed_at).label("p"))
            .where(Order.status == OrderStatus.DELIVERED)
            .group_by(Order.customer_id)
        ).all()
    )
    found = 0
    query = (
        select(Order)
        .where(Order.status == OrderStatus.DELIVERED, Order.delivered_at >= now - RECENT)
        .order_by(Order.id.desc())
    )
    for order in session.scalars(query):
        assert order.delivered_at is not None
        minutes = (order.delivered_at - order.promised_at).total_seconds() / 60
        ok = minutes >= min_late if late else minutes <= 0
        if ok and order.id not in compensated and latest.get(order.customer_id) == order.placed_at:
            if found == nth:
                return order
            found += 1
    raise CastNotFoundError(f"no recent delivered order with late={late}")


def old_delivered_order(session: Session, now: datetime = SEEDED_NOW) -> Order:
    order = session.scalars(
        select(Order)
        .where(Order.status == OrderStatus.DELIVERED, Order.delivered_at < now - RECENT - RECENT)
        .where(Order.delivered_at > Order.promised_at)
        .order_by(Order.id)
        .limit(1)
    ).first()
    if order is None:
        raise CastNotFoundError("no old late delivered order")
    return order


def other_customers_order(session: Session, customer_id: int, status: str) -> Order:
    order = session.scalars(
        select(Order)
        .where(Order.status == status, Order.customer_id != customer_id)
        .order_by(Order.id)
        .limit(1)
    ).first()
    if order is None:
        raise CastNotFoundError(f"no {status} order of another customer")
    return order


def where(session: Session, test: Callable[[Order], bool], status: str) -> Order:
    for order in session.scalars(select(Order).where(Order.status == status).order_by(Order.id)):
        if test(order):
            return order
    raise CastNotFoundError(f"no {status} order matching the task's condition")


def plan_ahead(engine: Engine, now: datetime = SEEDED_NOW, timezone: str = CITY_TIMEZONE) -> str:
    """What an operator has at lunchtime: a forecast run made now and the staffing plans
    for today (its remaining hours) and tomorrow. Returns the run id."""
    from distributed import Client, LocalCluster

    from forecasting.jobs import RunSettings, execute_run, start_run
    from forecasting.staffing_plan import make_plan

    run_id = start_run(engine, RunSettings(horizon=48, timezone=timezone), now=now)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        execute_run(engine, run_id, client)
    today = now.astimezone(ZoneInfo(timezone)).date()
    for day in (today, today + timedelta(days=1)):
        make_plan(engine, day, timezone, run_id=run_id, now=now)
    return run_id
