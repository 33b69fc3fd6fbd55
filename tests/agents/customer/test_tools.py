"""The customer tools hold every policy themselves: called directly, with hostile arguments
and no agent in front, they still refuse, change nothing, and leave an audit entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agents.customer.context import CustomerContext
from agents.customer.tools import TOOLS
from agents.eval import world
from agents.eval.world import SEEDED_NOW
from agents.tooling import call_tool
from db.domain.status import OrderStatus
from db.models import Assignment, AuditEntry, Compensation, Order, Ticket


def run(
    engine: Engine,
    who: int,
    tool: str,
    confirmed: bool = False,
    complaint: str | None = None,
    link: int | None = None,
    **arguments: Any,
) -> dict[str, Any]:
    if complaint is None and "lat" in arguments:
        # Coordinates count only as the customer's own (typed, or a shared pin).
        complaint = f"my location: {arguments['lat']}, {arguments['lon']}"
    context = CustomerContext(who, SEEDED_NOW, None, complaint, link_order_id=link)
    record = call_tool(
        engine,
        TOOLS[tool],
        arguments,
        context=context,
        actor=context.actor,
        now=SEEDED_NOW,
        confirmed=confirmed,
    )
    return record.result


def order(engine: Engine, order_id: int) -> Order:
    with Session(engine) as session:
        found = session.get(Order, order_id)
        assert found is not None
        return found


def audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_other_customers_order_is_not_found_for_any_tool(seeded_engine: Engine) -> None:
    """Every tool answers not_found for another customer's order and shows or changes nothing."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    intruder = target.customer_id + 1
    for tool, extra in [
        ("order_status", {}),
        ("cancel_order", {"accepted_fee_minor": 10**6}),
        ("change_address", {"address": "No. 1 Century Avenue", "lat": 31.24, "lon": 121.5}),
    ]:
        result = run(seeded_engine, intruder, tool, True, order_id=target.id, **extra)
        assert result["status"] == "refused" and result["reason"] == "not_found", tool
        assert "dropoff_address" not in result
    assert order(seeded_engine, target.id).status == OrderStatus.PLACED


def test_cancel_refused_after_pickup_even_when_confirmed(seeded_engine: Engine) -> None:
    """A picked-up order is not cancellable, even when confirmed with any fee accepted."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PICKED_UP)
    result = run(
        seeded_engine,
        target.customer_id,
        "cancel_order",
        True,
        order_id=target.id,
        accepted_fee_minor=10**6,
    )
    assert result["reason"] == "not_cancellable"
    assert order(seeded_engine, target.id).status == OrderStatus.PICKED_UP


def test_cancel_needs_confirmation_and_the_agreed_fee(seeded_engine: Engine) -> None:
    """Cancelling an assigned order previews a 20% fee, refuses a lower accepted fee, then
    cancels at the agreed fee and frees the courier."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
    customer = target.customer_id
    preview = run(seeded_engine, customer, "cancel_order", order_id=target.id)
    assert preview["status"] == "needs_confirmation"
    fee = preview["fee_minor"]
    assert fee == round(target.subtotal_minor * 0.2) > 0
    assert order(seeded_engine, target.id).status == OrderStatus.ASSIGNED
    low = run(
        seeded_engine,
        customer,
        "cancel_order",
        True,
        order_id=target.id,
        accepted_fee_minor=fee - 1,
    )
    assert low["reason"] == "fee_not_accepted"
    done = run(
        seeded_engine, customer, "cancel_order", True, order_id=target.id, accepted_fee_minor=fee
    )
    assert done["status"] == "ok"
    # Plain strings: a result is kept in the conversation's checkpoint, which stores no enums.
    assert type(done["order_status"]) is str
    after = order(seeded_engine, target.id)
    assert after.status == OrderStatus.CANCELLED and after.cancelled_at == SEEDED_NOW
    with Session(seeded_engine) as s:
        active = s.scalars(
            select(Assignment).where(Assignment.order_id == target.id, Assignment.active)
        ).all()
    assert active == []


def test_placed_order_cancels_without_fee(seeded_engine: Engine) -> None:
    """Cancelling an order still only placed carries no fee."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    preview = run(seeded_engine, target.customer_id, "cancel_order", order_id=target.id)
    assert preview["fee_minor"] == 0


def test_address_outside_area_is_refused(seeded_engine: Engine) -> None:
    """A new address outside the delivery area is refused and the old address is kept."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.CONFIRMED)
    hangzhou = {"address": "No. 1 West Lake Road, Hangzhou", "lat": 30.25, "lon": 120.16}
    result = run(
        seeded_engine, target.customer_id, "change_address", True, order_id=target.id, **hangzhou
    )
    assert result["reason"] == "outside_area"
    assert order(seeded_engine, target.id).dropoff_address == target.dropoff_address


def test_address_change_frees_an_assigned_order_for_redispatch(seeded_engine: Engine) -> None:
    """A new address on an assigned order is saved; the order is back to confirmed, no courier."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
    new = {"address": "No. 5 Century Avenue, Lujiazui", "lat": 31.2400, "lon": 121.5010}
    result = run(
        seeded_engine, target.customer_id, "change_address", True, order_id=target.id, **new
    )
    assert result["status"] == "ok" and result["redispatch"] is True
    after = order(seeded_engine, target.id)
    assert (after.dropoff_address, after.status, after.courier_id) == (
        new["address"],
        "confirmed",
        None,
    )


def test_invented_coordinates_are_refused(seeded_engine: Engine) -> None:
    """Coordinates the customer never gave (a model's guess) are refused, whatever they are."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
    result = run(
        seeded_engine,
        target.customer_id,
        "change_address",
        True,
        complaint="please deliver to the office",
        order_id=target.id,
        address="the office",
        lat=31.24,
        lon=121.501,
    )
    assert result["reason"] == "coordinates_not_given"
    assert order(seeded_engine, target.id).dropoff_address == target.dropoff_address


def test_addresses_are_geocoded_or_not_written(seeded_engine: Engine) -> None:
    """Without coordinates the address goes through the geocoder: a landmark is placed at
    the landmark, "my home" at the saved address, a far city is refused as outside the area,
    and a street the store does not know (even with its district's name) is not written."""
    from db.models import Customer, Place

    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PLACED)
        tower = s.scalars(select(Place).where(Place.name == "Shanghai Tower")).one()
        home = s.get(Customer, target.customer_id)
    who, oid = target.customer_id, target.id
    landmark = run(seeded_engine, who, "change_address", order_id=oid, address="上海中心大厦")
    assert (landmark["lat"], landmark["lon"]) == (tower.lat, tower.lon)
    at_home = run(seeded_engine, who, "change_address", order_id=oid, address="to my home pls")
    assert (at_home["lat"], at_home["lon"], at_home["address"]) == (
        home.lat,
        home.lon,
        home.address,
    )
    far = run(seeded_engine, who, "change_address", order_id=oid, address="West Lake, Hangzhou")
    assert far["reason"] == "outside_area"
    street = run(
        seeded_engine,
        who,
        "change_address",
        True,
        order_id=oid,
        address="No. 9 Fuzhou Road, Lujiazui",
    )
    assert street["reason"] == "not_located"
    assert order(seeded_engine, oid).dropoff_address == target.dropoff_address


def test_a_link_chat_reaches_only_its_order(seeded_engine: Engine) -> None:
    """From an order's tracking link, another order of the same customer is out of reach for
    every tool, and the list of orders shows only the link's order."""
    from tests.agents.customer.test_graph import second_open_order

    with Session(seeded_engine) as s:
        first = world.sole_open_order(s, OrderStatus.PLACED)
    second = second_open_order(seeded_engine, first)
    who = first.customer_id
    for tool, extra in [("order_status", {}), ("cancel_order", {"accepted_fee_minor": 10**6})]:
        result = run(seeded_engine, who, tool, True, link=first.id, order_id=second, **extra)
        assert result["reason"] == "other_link", tool
    listed = run(seeded_engine, who, "list_orders", link=first.id)
    assert [o["order_id"] for o in listed["orders"]] == [first.id]
    assert order(seeded_engine, second).status != OrderStatus.CANCELLED


def test_address_change_refused_after_pickup(seeded_engine: Engine) -> None:
    """The address of a picked-up order cannot be changed."""
    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.PICKED_UP)
    result = run(
        seeded_engine,
        target.customer_id,
        "change_address",
        True,
        order_id=target.id,
        address="No. 5 Century Avenue",
        lat=31.24,
        lon=121.501,
    )
    assert result["reason"] == "not_changeable"


def late_order(engine: Engine) -> Order:
    with Session(engine) as s:
        return world.delivered_order(s, late=True, min_late=5)


def compensate(
    engine: Engine, delivered: Order, confirmed: bool = True, **arguments: Any
) -> dict[str, Any]:
    """Ask for compensation for lateness on ``delivered``, as its customer."""
    return run(
        engine,
        delivered.customer_id,
        "request_compensation",
        confirmed,
        order_id=delivered.id,
        reason="late",
        **arguments,
    )


def compensations(engine: Engine) -> list[tuple[int, int]]:
    with Session(engine) as s:
        return [(c.order_id, c.amount_minor) for c in s.scalars(select(Compensation))]


def test_compensation_needs_a_complaint_naming_the_order(seeded_engine: Engine) -> None:
    """Without a complaint, or with one about another order, compensation is refused and
    nothing is written."""
    late = late_order(seeded_engine)
    assert compensate(seeded_engine, late)["reason"] == "no_complaint"
    other = compensate(seeded_engine, late, complaint="order 12345 arrived late")
    assert other["reason"] == "not_complained_about"
    assert compensations(seeded_engine) == []


def test_compensation_is_capped(seeded_engine: Engine) -> None:
    """The cap is ¥1 a minute late up to half the order; a cent over it is refused."""
    late = late_order(seeded_engine)
    complaint = f"order {late.id} arrived late"
    preview = compensate(seeded_engine, late, confirmed=False, complaint=complaint)
    cap = preview["cap_minor"]
    assert cap == min(
        preview["minutes_late"] * 100, (late.subtotal_minor + late.delivery_fee_minor) // 2
    )
    over = compensate(seeded_engine, late, complaint=complaint, amount_minor=cap + 1)
    assert over["reason"] == "over_cap"
    assert compensations(seeded_engine) == []


def test_compensation_is_granted_once(seeded_engine: Engine) -> None:
    """The cap is approved on a confirmed request; a second request for the same order is
    refused, and exactly one row is written."""
    late = late_order(seeded_engine)
    complaint = f"order {late.id} arrived late"
    cap = compensate(seeded_engine, late, confirmed=False, complaint=complaint)["cap_minor"]
    ok = compensate(seeded_engine, late, complaint=complaint, amount_minor=cap)
    assert ok["status"] == "ok" and ok["compensation_status"] == "approved"
    again = compensate(seeded_engine, late, complaint=complaint, amount_minor=1)
    assert again["reason"] == "already_compensated"
    assert compensations(seeded_engine) == [(late.id, cap)]


def test_compensation_needs_a_late_delivery(seeded_engine: Engine) -> None:
    """An order delivered on time is not compensated, however the customer complains."""
    with Session(seeded_engine) as s:
        on_time = world.delivered_order(s, late=False)
    not_late = compensate(seeded_engine, on_time, complaint="it was late")
    assert not_late["reason"] == "not_late"
    assert compensations(seeded_engine) == []


def test_hostile_arguments_are_refused_not_raised(seeded_engine: Engine) -> None:
    """Malformed or extra arguments (an SQL string, a customer_id) are refused, never raised."""
    result = run(seeded_engine, 1, "cancel_order", True, order_id="1; DROP TABLE orders")
    assert result["reason"] == "invalid_arguments" and "order_id" in result["message"]
    sneaky = run(seeded_engine, 1, "order_status", order_id=1, customer_id=2)
    assert sneaky["reason"] == "invalid_arguments"


def test_every_call_is_audited_and_hand_over_opens_a_ticket(seeded_engine: Engine) -> None:
    """Previews, commits and refusals are each audited; a confirmed hand-over opens a ticket."""
    before = audit_count(seeded_engine)
    preview = run(seeded_engine, 5, "hand_over", summary="wants a person")
    assert preview["status"] == "needs_confirmation"
    done = run(seeded_engine, 5, "hand_over", True, summary="wants a person")
    assert done["status"] == "ok"
    run(seeded_engine, 5, "order_status", order_id=999_999)
    assert audit_count(seeded_engine) == before + 3
    with Session(seeded_engine) as s:
        ticket = s.get(Ticket, done["ticket_id"])
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert ticket is not None and ticket.customer_id == 5 and ticket.summary == "wants a person"
    assert entry is not None and entry.actor == "agent:customer:5"
    assert entry.action == "order_status" and entry.result["reason"] == "not_found"


def test_a_late_payout_over_the_limit_waits_for_a_person(seeded_engine: Engine) -> None:
    """A late payout up to the auto-approval limit is granted at once; above it, it waits
    for a person (status pending), so the service page has compensations to approve."""
    with Session(seeded_engine) as s:
        late = world.delivered_order(s, late=True, min_late=3)
    complaint = f"order {late.id} was late"
    for limit, status in ((10_000, "approved"), (0, "pending")):
        context = CustomerContext(
            late.customer_id, SEEDED_NOW, None, complaint, auto_approve_minor=limit
        )
        result = call_tool(
            seeded_engine,
            TOOLS["request_compensation"],
            {"order_id": late.id, "reason": "late"},
            context=context,
            actor=context.actor,
            now=SEEDED_NOW,
            confirmed=True,
        ).result
        assert result["status"] == "ok" and result["compensation_status"] == status
        with seeded_engine.begin() as conn:
            conn.execute(Compensation.__table__.delete().where(Compensation.order_id == late.id))


def test_wrong_items_are_capped_by_the_items_concerned(seeded_engine: Engine) -> None:
    """A wrong or missing item named in the complaint caps the offer at that item's price;
    naming none, at the dearest single item; never the whole subtotal of a larger order."""
    with Session(seeded_engine) as s:
        done = world.delivered_order(s, late=False)
    items = done.items or []
    assert len(items) > 1 or items[0]["qty"] > 1
    cheapest = min(items, key=lambda i: i["price_minor"])
    named = run(
        seeded_engine, done.customer_id, "request_compensation",
        complaint=f"order {done.id}: the {cheapest['name']} was missing",
        order_id=done.id, reason="wrong_items",
    )  # fmt: skip
    assert named["cap_minor"] == cheapest["price_minor"] * cheapest["qty"]
    unnamed = run(
        seeded_engine, done.customer_id, "request_compensation",
        complaint=f"order {done.id} came with the wrong items", order_id=done.id,
        reason="wrong_items",
    )  # fmt: skip
    assert unnamed["cap_minor"] == max(i["price_minor"] for i in items) < done.subtotal_minor


def test_times_are_given_in_the_configured_city_zone(seeded_engine: Engine) -> None:
    """A deployment in another zone (LONGCAT_TIMEZONE) hears its own local times: the tool
    gives the promise and the ETA with that zone's offset, and the reply's clock reads them
    as they are, not as Shanghai time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from agents.customer.prompts import clock

    with Session(seeded_engine) as s:
        target = world.sole_open_order(s, OrderStatus.ASSIGNED)
    new_york = ZoneInfo("America/New_York")
    context = CustomerContext(target.customer_id, SEEDED_NOW, timezone="America/New_York")
    record = call_tool(
        seeded_engine,
        TOOLS["order_status"],
        {"order_id": target.id},
        context=context,
        actor=context.actor,
        now=SEEDED_NOW,
        confirmed=False,
    )
    promised = datetime.fromisoformat(record.result["promised_at"])
    assert promised.utcoffset() == target.promised_at.astimezone(new_york).utcoffset()
    assert promised == target.promised_at
    eta = record.result["eta"]
    assert clock(eta) == datetime.fromisoformat(eta).astimezone(new_york).strftime("%H:%M")
    assert clock(eta) != datetime.fromisoformat(eta).astimezone(ZoneInfo("Asia/Shanghai")).strftime(
        "%H:%M"
    )
