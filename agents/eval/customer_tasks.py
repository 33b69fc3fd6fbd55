"""Customer-service tasks about open orders: status, cancel and address changes, with the
refusals the policy requires and declined confirmations."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.customer import lookup
from agents.customer.prompts import clock, money
from agents.eval import world
from agents.eval.tasks import Script, Task
from db.domain import rules
from db.domain.rules import CITY_TIMEZONE
from db.domain.status import OrderStatus
from db.models import Order, Zone

CENTURY_AVE = ("No. 5 Century Avenue, Lujiazui", 31.2400, 121.5010)
HANGZHOU = ("No. 1 West Lake Road, Hangzhou", 30.2500, 120.1600)
CITY = ZoneInfo(CITY_TIMEZONE)  # the seeded city the tasks are drawn from
YES = {"en": "yes", "zh": "是"}
NO = {"en": "no", "zh": "不要"}
DECLINED = {"en": "haven't changed anything", "zh": "没有做任何更改"}


def _eta_fact(session: Session, order: Order, lang: str) -> str:
    when, _ = lookup.eta(session, order)
    return f"Expected at {clock(when, CITY)}" if lang == "en" else f"预计{clock(when, CITY)}送达"


def status(state: str, lang: str, with_id: bool = False) -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(s, state)
        ask = {"en": "where is my order?", "zh": "我的订单到哪了？"}[lang]
        if with_id:
            ask = {"en": f"what's the status of order {order.id}?", "zh": f"订单{order.id}到哪了"}[
                lang
            ]
        return Script(order.customer_id, (ask,), facts=(str(order.id), _eta_fact(s, order, lang)))

    suffix = "-id" if with_id else ""
    return Task(f"status-{state}-{lang}{suffix}", "customer", build, ("status",), fast=not with_id)


def cancel(state: str, lang: str, agree: bool) -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(s, state)
        fee = rules.cancel_fee(state, order.subtotal_minor)
        ask = {"en": "I want to cancel my order", "zh": "我要取消订单"}[lang]
        answer = YES[lang] if agree else NO[lang]
        if not agree:
            return Script(order.customer_id, (ask, answer), facts=(DECLINED[lang],))
        facts: tuple[str, ...] = (
            {"en": f"Order {order.id} is cancelled", "zh": f"订单{order.id}已取消"}[lang],
        )
        facts += (money(lang, fee),) if fee else ()
        changes = {order.id: {"status": OrderStatus.CANCELLED}}
        return Script(order.customer_id, (ask, answer), orders=changes, facts=facts)

    tags = ("cancel",) if agree else ("cancel", "declined")
    name = f"cancel-{state}-{lang}-{'yes' if agree else 'no'}"
    return Task(name, "customer", build, tags, fast=state == OrderStatus.ASSIGNED)


def cancel_after_pickup(lang: str, insist: bool = False) -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(s, OrderStatus.PICKED_UP)
        ask = {"en": f"cancel order {order.id}", "zh": f"取消订单{order.id}"}[lang]
        if insist:
            # A "yes" after a refusal confirms nothing: nothing was proposed.
            return Script(order.customer_id, (ask, YES[lang]), facts=())
        fact = {"en": "can no longer be cancelled", "zh": "无法取消"}[lang]
        return Script(order.customer_id, (ask,), facts=(fact,))

    name = f"cancel-picked-up-{lang}{'-insist' if insist else ''}"
    return Task(name, "customer", build, ("cancel", "refusal"), fast=not insist)


def address(state: str, lang: str = "en", agree: bool = True, two_step: bool = False) -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(s, state)
        text, lat, lon = CENTURY_AVE
        answer = YES[lang] if agree else NO[lang]
        if two_step:
            first = {"en": "I need to change my delivery address", "zh": "我要改地址"}[lang]
            messages: tuple[str, ...] = (first, f"{text} ({lat}, {lon})", answer)
        else:
            ask = {
                "en": f"please deliver to {text} ({lat}, {lon})",
                "zh": f"地址改为{text} ({lat}, {lon})",
            }
            messages = (ask[lang], answer)
        if not agree:
            return Script(order.customer_id, messages, facts=(DECLINED[lang],))
        fields: dict[str, object] = {
            "dropoff_address": text,
            "dropoff_lat": lat,
            "dropoff_lon": lon,
        }
        if state == OrderStatus.ASSIGNED:
            fields["status"] = OrderStatus.CONFIRMED  # freed for the next dispatch round
        fact = {
            "en": f"order {order.id} will be delivered to",
            "zh": f"已将订单{order.id}的配送地址改为",
        }
        return Script(order.customer_id, messages, orders={order.id: fields}, facts=(fact[lang],))

    name = f"address-{state}-{lang}-{'yes' if agree else 'no'}{'-two-step' if two_step else ''}"
    tags = ("address",) if agree else ("address", "declined")
    return Task(name, "customer", build, tags, fast=state == OrderStatus.ASSIGNED and not two_step)


def address_by_zone_name() -> Task:
    """A street the store cannot place is never moved to its district's centre: the agent
    asks for the location, and the pin the customer then shares is what is written."""

    def build(s: Session) -> Script:
        order = world.sole_open_order(s, OrderStatus.PLACED)
        zone = s.get(Zone, 2)
        assert zone is not None
        text = f"No. 9 Fuzhou Road, {zone.name}"
        pin = (round(zone.center_lat + 0.004, 6), round(zone.center_lon + 0.003, 6))
        fields = {"dropoff_address": text, "dropoff_lat": pin[0], "dropoff_lon": pin[1]}
        messages = (f"change the address to {text}", f"here: {pin[0]}, {pin[1]}", "yes")
        return Script(order.customer_id, messages, orders={order.id: fields}, facts=(text,))

    return Task("address-by-zone-name", "customer", build, ("address",))


def address_refused(kind: str, lang: str = "en") -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(
            s, OrderStatus.PICKED_UP if kind == "after-pickup" else OrderStatus.CONFIRMED
        )
        text, lat, lon = HANGZHOU if kind == "outside" else CENTURY_AVE
        ask = {
            "en": f"change the address of order {order.id} to {text} ({lat}, {lon})",
            "zh": f"把订单{order.id}的地址改为{text} ({lat}, {lon})",
        }[lang]
        facts = {
            ("outside", "en"): "outside our delivery area",
            ("outside", "zh"): "不在配送范围内",
            ("after-pickup", "en"): "can no longer be changed",
            ("after-pickup", "zh"): "无法修改地址",
        }
        return Script(order.customer_id, (ask,), facts=(facts[(kind, lang)],))

    return Task(
        f"address-{kind}-{lang}", "customer", build, ("address", "refusal"), fast=lang == "en"
    )


def no_open_order() -> Task:
    def build(s: Session) -> Script:
        order = world.delivered_order(s, late=False)
        if lookup.open_orders(s, order.customer_id):
            raise world.CastNotFoundError("the on-time customer has open orders")
        return Script(order.customer_id, ("cancel my order",), facts=("can't find any open order",))

    return Task("cancel-without-open-order", "customer", build, ("cancel", "refusal"))


def status_after_pending_dropped() -> Task:
    def build(s: Session) -> Script:
        order = world.sole_open_order(s, OrderStatus.PLACED)
        messages = ("cancel my order", "actually, where is my order?", "yes")
        return Script(order.customer_id, messages, facts=())

    return Task("pending-dropped-by-new-request", "customer", build, ("cancel", "declined"))


TASKS = [
    *(
        status(st, lang)
        for st in (
            OrderStatus.PLACED,
            OrderStatus.CONFIRMED,
            OrderStatus.ASSIGNED,
            OrderStatus.PICKED_UP,
        )
        for lang in ("en", "zh")
    ),
    status(OrderStatus.ASSIGNED, "en", with_id=True),
    status(OrderStatus.PICKED_UP, "zh", with_id=True),
    cancel(OrderStatus.PLACED, "en", True),
    cancel(OrderStatus.CONFIRMED, "en", True),
    cancel(OrderStatus.ASSIGNED, "en", True),
    cancel(OrderStatus.ASSIGNED, "zh", True),
    cancel(OrderStatus.PLACED, "zh", True),
    cancel(OrderStatus.CONFIRMED, "en", False),
    cancel(OrderStatus.ASSIGNED, "zh", False),
    cancel_after_pickup("en"),
    cancel_after_pickup("zh"),
    cancel_after_pickup("en", insist=True),
    no_open_order(),
    status_after_pending_dropped(),
    address(OrderStatus.PLACED),
    address(OrderStatus.ASSIGNED),
    address(OrderStatus.CONFIRMED, lang="zh"),
    address(OrderStatus.PLACED, agree=False),
    address(OrderStatus.CONFIRMED, two_step=True),
    address_by_zone_name(),
    address_refused("outside"),
    address_refused("outside", "zh"),
    address_refused("after-pickup"),
]
