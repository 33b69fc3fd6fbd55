"""Operator side, behind API keys with roles: orders, couriers, dispatch, forecasts, service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from apps.api.deps import OperatorRoute, SessionDep, Viewer
from apps.api.errors import ApiError, ErrorOut
from apps.api.schemas import (
    ConversationOut,
    ConversationPage,
    CourierOut,
    CourierPage,
    ForecastPoint,
    OrderPage,
    SeriesForecastOut,
    StaffingPlanOut,
    StaffingRowOut,
    TicketOut,
    TicketPage,
)
from db.domain.status import ORDER_STATUSES
from db.models import Conversation, Courier, Ticket
from db.queries import get_order, page_orders, page_rows
from db.schemas import OrderOut
from forecasting import reads

router = APIRouter(
    prefix="/api",
    tags=["operator"],
    route_class=OperatorRoute,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
MAX_ID = 2**31 - 1
OrderId = Annotated[int, Path(ge=1, le=MAX_ID, description="The order's id.")]
Status = Annotated[str | None, Query(pattern="^(" + "|".join(ORDER_STATUSES) + ")$")]


@router.get("/orders", response_model=OrderPage)
def list_orders(
    _: Viewer,
    session: SessionDep,
    status: Status = None,
    zone_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> OrderPage:
    """Orders, newest first."""
    total, items = page_orders(session, status=status, zone_id=zone_id, limit=limit, offset=offset)
    return OrderPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/orders/{order_id}", response_model=OrderOut, responses={404: {"model": ErrorOut}})
def show_order(_: Viewer, session: SessionDep, order_id: OrderId) -> OrderOut:
    order = get_order(session, order_id)
    if order is None:
        raise ApiError(404, "not_found", f"order_id: no order {order_id}", "order_id")
    return order


@router.get("/couriers", response_model=CourierPage)
def list_couriers(
    _: Viewer,
    session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(off_shift|available|busy)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CourierPage:
    filters = [Courier.status == status] if status else []
    total, rows = page_rows(session, Courier, limit=limit, offset=offset, filters=filters)
    items = [CourierOut.model_validate(r) for r in rows]
    return CourierPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/forecasts/latest", response_model=list[SeriesForecastOut])
def latest_forecasts(_: Viewer, session: SessionDep) -> list[SeriesForecastOut]:
    """The served forecast of every series of the newest finished run."""
    run_id = reads.latest_run_id(session)
    if run_id is None:
        return []
    points: dict[str, list[ForecastPoint]] = {}
    for p in reads.served_forecast(session, run_id):
        points.setdefault(p.series_id, []).append(
            ForecastPoint(ds=p.ds, yhat=p.yhat, yhat_lower=p.yhat_lower, yhat_upper=p.yhat_upper)
        )
    models = reads.served_models(session, run_id)
    return [
        SeriesForecastOut(
            run_id=run_id,
            series_id=series_id,
            served_model=model,
            points=points.get(series_id, []),
        )
        for series_id, model in sorted(models.items())
    ]


@router.get(
    "/staffing-plans/latest", response_model=StaffingPlanOut, responses={404: {"model": ErrorOut}}
)
def latest_staffing_plan(_: Viewer, session: SessionDep) -> StaffingPlanOut:
    plan = reads.staffing_plan(session)
    if plan is None:
        raise ApiError(404, "not_found", "no staffing plan yet; run `longcat staffing plan`")
    return StaffingPlanOut(
        plan_id=plan.plan_id,
        plan_date=plan.plan_date.isoformat(),
        forecast_run_id=plan.forecast_run_id,
        rows=[StaffingRowOut.model_validate(r) for r in plan.rows],
    )


@router.get("/tickets", response_model=TicketPage)
def list_tickets(
    _: Viewer,
    session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(open|answered|closed)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> TicketPage:
    filters = [Ticket.status == status] if status else []
    total, rows = page_rows(session, Ticket, limit=limit, offset=offset, filters=filters)
    return TicketPage(
        total=total, limit=limit, offset=offset, items=[TicketOut.model_validate(r) for r in rows]
    )


@router.get("/conversations", response_model=ConversationPage)
def list_conversations(
    _: Viewer, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> ConversationPage:
    total, rows = page_rows(session, Conversation, limit=limit, offset=offset)
    items = [ConversationOut.model_validate(r) for r in rows]
    return ConversationPage(total=total, limit=limit, offset=offset, items=items)
