"""The customer-service tools; every rule is checked here, whatever the caller asked for."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from agents.customer import lookup, policy
from agents.customer.context import CustomerContext
from agents.customer.intents import complains
from agents.customer.places import geocoder_for
from agents.tooling import Tool, ToolResult, refused
from db.domain import rules, transitions
from db.domain.status import OPEN, OrderStatus
from db.models import Compensation, Order, Ticket
from routing.travel.geocode import GeocoderError

NOT_FOUND = "no order {id} on this customer's account"
CANCEL_RULE = "only orders not yet picked up can be cancelled"
ADDRESS_RULE = "the address can change only before pickup"
OTHER_LINK = "order {id} is not the order of this tracking page; use that order's own link"
_COMPLAINT = {
    "late": re.compile(
        r"late|slow|took (so )?long|waited|delay|forever|ages|迟|晚|慢|超时|等了|久", re.I
    ),
    "wrong_items": re.compile(
        r"wrong|missing|incorrect|not what i ordered|forgot|spill|错|少|漏|不对|没给|洒", re.I
    ),
}
_ORDER_REF = re.compile(r"(?:order|#|订单)\s*#?\s*(\d+)", re.I)
_COORDS = re.compile(r"(-?\d{1,2}\.\d+)\s*[,，]\s*(-?\d{1,3}\.\d+)")


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(_Args):
    pass


class OrderArgs(_Args):
    order_id: int = Field(gt=0)


class CancelArgs(OrderArgs):
    accepted_fee_minor: int | None = Field(default=None, ge=0)


class AddressArgs(OrderArgs):
    """Coordinates only as the customer gave them (a pin, or typed); without them the
    address is located by the geocoder, or not at all."""

    address: str = Field(min_length=2, max_length=400)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class CompensationArgs(OrderArgs):
    reason: Literal["late", "wrong_items"]
    amount_minor: int | None = Field(default=None, gt=0)


class HandOverArgs(_Args):
    summary: str = Field(min_length=1, max_length=2000)
    order_id: int | None = Field(default=None, gt=0)


def _owned(session: Session, ctx: CustomerContext, order_id: int) -> Order | ToolResult:
    order = lookup.owned_order(session, ctx.customer_id, order_id)
    if order is None:
        return refused("not_found", NOT_FOUND.format(id=order_id))
    if ctx.link_order_id is not None and order.id != ctx.link_order_id:
        return refused(
            "other_link",
            OTHER_LINK.format(id=order_id),
            order_id=order_id,
            link_order_id=ctx.link_order_id,
        )
    return order


def order_status(
    session: Session, ctx: CustomerContext, args: OrderArgs, **_: object
) -> ToolResult:
    order = _owned(session, ctx, args.order_id)
    if isinstance(order, ToolResult):
        return order
    data: dict[str, object] = {
        "order_id": order.id,
        "order_status": order.status,
        "merchant": lookup.merchant_name(session, order),
        "dropoff_address": order.dropoff_address,
        "promised_at": ctx.local(order.promised_at),
    }
    if order.status in OPEN:
        when, source = lookup.eta(session, order)
        data |= {
            "eta": ctx.local(when),
            "eta_source": source,
            "eta_minutes": max(0, round((when - ctx.now).total_seconds() / 60)),
        }
    elif order.status == OrderStatus.DELIVERED and order.delivered_at is not None:
        data["delivered_at"] = ctx.local(order.delivered_at)
    return ToolResult("ok", data)


def list_orders(session: Session, ctx: CustomerContext, args: NoArgs, **_: object) -> ToolResult:
    """The customer's open orders and the latest closed one, newest first."""
    if ctx.link_order_id is not None:
        linked = lookup.owned_order(session, ctx.customer_id, ctx.link_order_id)
        orders = [linked] if linked is not None else []
    else:
        orders = lookup.open_orders(session, ctx.customer_id)
        latest = lookup.latest_order(session, ctx.customer_id)
        if latest is not None and latest not in orders:
            orders.append(latest)
    rows = [
        {
            "order_id": o.id,
            "order_status": o.status,
            "merchant": lookup.merchant_name(session, o),
            "placed_at": ctx.local(o.placed_at),
        }
        for o in orders
    ]
    return ToolResult("ok", {"orders": rows})


def _unless(order: Order, allowed: tuple[str, ...], code: str, rule: str) -> ToolResult | None:
    """A refusal naming the order's status and the rule, unless the status allows the change."""
    if order.status in allowed:
        return None
    return refused(code, f"order {order.id} is {order.status}; {rule}", order_status=order.status)


def cancel_order(
    session: Session, ctx: CustomerContext, args: CancelArgs, *, confirmed: bool
) -> ToolResult:
    order = _owned(session, ctx, args.order_id)
    if isinstance(order, ToolResult):
        return order
    wrong = _unless(order, policy.CANCELLABLE, "not_cancellable", CANCEL_RULE)
    if wrong is not None:
        return wrong
    fee = rules.cancel_fee(order.status, order.subtotal_minor)
    terms = {"order_id": order.id, "fee_minor": fee, "currency": order.currency}
    if not confirmed:
        return ToolResult("needs_confirmation", terms)
    if args.accepted_fee_minor is None or fee > args.accepted_fee_minor:
        return refused(
            "fee_not_accepted", f"the cancellation fee is {fee} and was not agreed", **terms
        )
    reason = "cancelled by the customer"
    transitions.cancel(session, order.id, at=ctx.now, reason=reason, fee_minor=fee, actor=ctx.actor)
    return ToolResult("ok", terms | {"order_status": OrderStatus.CANCELLED.value})


def change_address(
    session: Session, ctx: CustomerContext, args: AddressArgs, *, confirmed: bool
) -> ToolResult:
    order = _owned(session, ctx, args.order_id)
    if isinstance(order, ToolResult):
        return order
    wrong = _unless(order, policy.ADDRESS_CHANGEABLE, "not_changeable", ADDRESS_RULE)
    if wrong is not None:
        return wrong
    spot = _where(session, ctx, args)
    if isinstance(spot, ToolResult):
        return spot
    lat, lon, name, written = spot
    if not policy.in_delivery_area(lat, lon, lookup.delivery_discs(session)):
        return refused(
            "outside_area", f"{name} ({lat:.4f}, {lon:.4f}) is outside the delivery area"
        )
    terms = {"order_id": order.id, "address": written, "lat": lat, "lon": lon}
    if not confirmed:
        return ToolResult("needs_confirmation", terms | {"place": name})
    order.dropoff_address = written
    order.dropoff_lat, order.dropoff_lon = lat, lon
    status = transitions.redispatch(session, order.id, at=ctx.now, actor=ctx.actor)
    return ToolResult("ok", terms | {"redispatch": True, "order_status": status.value})


def _given(ctx: CustomerContext, lat: float, lon: float) -> bool:
    """Whether the customer gave these coordinates (typed, or pinned on the map)."""
    said = ctx.complaint or ""
    return any(
        abs(float(a) - lat) < 1e-6 and abs(float(b) - lon) < 1e-6 for a, b in _COORDS.findall(said)
    )


def _where(
    session: Session, ctx: CustomerContext, args: AddressArgs
) -> tuple[float, float, str, str] | ToolResult:
    if args.lat is not None or args.lon is not None:
        if args.lat is None or args.lon is None or not _given(ctx, args.lat, args.lon):
            return refused(
                "coordinates_not_given",
                "lat, lon: only a location the customer shared can be used; "
                "leave them out to locate the address",
            )
        return args.lat, args.lon, args.address, args.address
    try:
        spot = geocoder_for(session, ctx.customer_id, ctx.search).locate(args.address)
    except GeocoderError as exc:
        return refused("geocoder_unavailable", str(exc))
    if spot is None:
        return refused(
            "not_located",
            f"{args.address!r} cannot be placed on the map; ask the customer to share the "
            "location (the map pin or the location button)",
            address=args.address,
        )
    # "my home" is written as the saved address it stands for.
    written = spot.name if spot.kind == "saved" else args.address
    return spot.lat, spot.lon, spot.name, written


def _complaint_problem(ctx: CustomerContext, args: CompensationArgs) -> ToolResult | None:
    said = ctx.complaint or ""
    if not (_COMPLAINT[args.reason].search(said) or complains(said)):
        return refused(
            "no_complaint", f"compensation needs the customer's own complaint ({args.reason})"
        )
    mentioned = {int(m) for m in _ORDER_REF.findall(said)}
    if mentioned and args.order_id not in mentioned:
        return refused("not_complained_about", f"the complaint is not about order {args.order_id}")
    return None


def request_compensation(
    session: Session, ctx: CustomerContext, args: CompensationArgs, *, confirmed: bool
) -> ToolResult:
    order = _owned(session, ctx, args.order_id)
    if isinstance(order, ToolResult):
        return order
    problem = _complaint_problem(ctx, args)
    if problem is not None:
        return problem
    if order.status != OrderStatus.DELIVERED or order.delivered_at is None:
        return refused("not_delivered", f"order {order.id} is {order.status}, not delivered")
    if ctx.now - order.delivered_at > rules.COMPENSATION_WINDOW:
        return refused("too_old", f"order {order.id} was delivered more than 7 days ago")
    if lookup.compensation_for(session, order.id) is not None:
        return refused("already_compensated", f"order {order.id} already has a compensation")
    late = policy.minutes_late(order.promised_at, order.delivered_at)
    if args.reason == "late" and late == 0:
        return refused("not_late", f"order {order.id} was delivered on time", minutes_late=0)
    concerned = None
    if args.reason == "wrong_items":
        concerned = policy.items_concerned(order.items or [], ctx.complaint or "")
    cap = policy.compensation_cap(
        args.reason, late, order.subtotal_minor, order.delivery_fee_minor, concerned
    )
    amount = cap if args.amount_minor is None else args.amount_minor
    terms = {
        "order_id": order.id,
        "complaint_reason": args.reason,
        "minutes_late": late,
        "cap_minor": cap,
        "amount_minor": amount,
        "currency": order.currency,
    }
    if amount > cap:
        return refused("over_cap", f"at most {cap} can be given for order {order.id}", **terms)
    if not confirmed:
        return ToolResult("needs_confirmation", terms)
    approved = policy.auto_approved(args.reason, amount, ctx.auto_approve_minor)
    status = "approved" if approved else "pending"
    session.add(
        Compensation(
            order_id=order.id,
            customer_id=ctx.customer_id,
            amount_minor=amount,
            reason=f"{args.reason}: {ctx.complaint}"[:400],
            status=status,
            created_at=ctx.now,
            decided_at=ctx.now if status == "approved" else None,
            decided_by=ctx.actor if status == "approved" else None,
        )
    )
    return ToolResult("ok", terms | {"compensation_status": status})


def hand_over(
    session: Session, ctx: CustomerContext, args: HandOverArgs, *, confirmed: bool
) -> ToolResult:
    if args.order_id is not None and isinstance(_owned(session, ctx, args.order_id), ToolResult):
        return refused("not_found", NOT_FOUND.format(id=args.order_id))
    if not confirmed:
        return ToolResult("needs_confirmation", {"order_id": args.order_id})
    ticket = Ticket(
        conversation_id=ctx.conversation_id,
        customer_id=ctx.customer_id,
        order_id=args.order_id,
        status="open",
        summary=args.summary,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(ticket)
    session.flush()
    return ToolResult("ok", {"ticket_id": ticket.id, "order_id": args.order_id})


TOOLS = {
    t.name: t
    for t in (
        Tool(
            "list_orders",
            "The customer's open orders and their latest order: ids, status, merchant.",
            NoArgs,
            list_orders,
        ),
        Tool(
            "order_status",
            "Status and live ETA of one of the customer's orders.",
            OrderArgs,
            order_status,
        ),
        Tool(
            "cancel_order",
            "Cancel an order not yet picked up; accepted orders carry a fee.",
            CancelArgs,
            cancel_order,
            writes=True,
        ),
        Tool(
            "change_address",
            "Change the drop-off address before pickup, inside the area; the address is "
            "located by the geocoder (give lat and lon only from a location the customer shared).",
            AddressArgs,
            change_address,
            writes=True,
        ),
        Tool(
            "request_compensation",
            "Compensate a late or wrong delivery the customer "
            "complained about; capped by lateness; one per order.",
            CompensationArgs,
            request_compensation,
            writes=True,
        ),
        Tool(
            "hand_over",
            "Open a ticket for a human colleague with a summary.",
            HandOverArgs,
            hand_over,
            writes=True,
        ),
    )
}
