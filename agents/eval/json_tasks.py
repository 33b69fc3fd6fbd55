"""Customer tasks written as data (``tuning/*.json``, ``heldout/*.json``) by people who never
read the agent's code, turned into runnable tasks.

A task names its cast ("a customer whose only open order is assigned"), the messages with
placeholders, and the outcome in words ("cancel", "address:landmark", reply facts such as
"eta" or "fee"). The truth behind each word is computed here from the store and the written
policy (20 % fee once accepted, 1 yuan a minute late up to half the total), never by the
agent's own tools.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from agents.eval import world
from agents.eval.check import Diff
from agents.eval.tasks import Fact, Script, Task
from db.domain.rules import CITY_TIMEZONE
from db.domain.status import OPEN, OrderStatus
from db.models import Assignment, Customer, Order, Place

EVAL = Path(__file__).parent
TUNING_FILES = (
    EVAL / "tuning" / "customer_tuning.json",
    EVAL / "tuning" / "customer_validation.json",
    EVAL / "tuning" / "customer_probe3.json",
    EVAL / "tuning" / "customer_probe4.json",
)
HELDOUT_FILES = (EVAL / "heldout" / "customer_heldout.json",)
CITY_TZ = ZoneInfo(CITY_TIMEZONE)
OUTSIDE = "No. 1 West Lake Road, Hangzhou"
PLACED_OUT_BY_M = 60  # a drop-off this close to the place meant counts as that place
FEE_SHARE = 0.20

MARKERS: dict[str, dict[str, tuple[str, ...]]] = {
    "refusal": {
        "en": ("can't", "cannot", "can not", "no longer", "not able", "unable", "outside",
               "sorry", "only", "not "),
        "zh": ("无法", "不能", "抱歉", "没有", "不在", "不可以", "只能"),
    },
    "ask_location": {
        "en": ("location", "pin", "map"),
        "zh": ("位置", "定位", "地图"),
    },
    "colleague": {
        "en": ("colleague", "human", "person", "agent", "ticket"),
        "zh": ("人工", "同事", "客服", "工单"),
    },
    "no_fee": {"en": ("no fee", "free", "no charge"), "zh": ("不收", "免费", "无需")},
}  # fmt: skip


def money(lang: str, minor: int) -> str:
    return f"¥{minor / 100:.2f}" if lang == "en" else f"{minor / 100:.2f}元"


def _open_count(s: Session, customer_id: int) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(Order)
            .where(Order.customer_id == customer_id, Order.status.in_(OPEN))
        )
        or 0
    )


def _delivered(s: Session, late: bool) -> Order:
    for nth in range(50):
        order = world.delivered_order(s, late=late, min_late=3, nth=nth)
        if _open_count(s, order.customer_id) == 0:
            return order
    raise world.CastNotFoundError(f"no delivered order (late={late}) of a customer without open")


def _long_ago(s: Session) -> Order:
    latest = (
        select(Order.customer_id, func.max(Order.placed_at).label("last"))
        .group_by(Order.customer_id)
        .subquery()
    )
    cutoff = world.SEEDED_NOW - timedelta(days=8)
    for customer_id, last in s.execute(select(latest).order_by(latest.c.customer_id)):
        if last is not None and last < cutoff:
            order = s.scalars(
                select(Order).where(Order.customer_id == customer_id, Order.placed_at == last)
            ).first()
            if order is not None and order.status == OrderStatus.DELIVERED:
                return order
    return _delivered(s, late=False)


def _two_open(s: Session) -> tuple[Order, Order]:
    """The customer of the only assigned order gets the confirmed one too, placed earlier."""
    first = world.sole_open_order(s, OrderStatus.ASSIGNED)
    second = world.sole_open_order(s, OrderStatus.CONFIRMED)
    s.execute(
        update(Order)
        .where(Order.id == second.id)
        .values(
            customer_id=first.customer_id,
            dropoff_address=first.dropoff_address,
            dropoff_lat=first.dropoff_lat,
            dropoff_lon=first.dropoff_lon,
            placed_at=min(second.placed_at, first.placed_at - timedelta(minutes=5)),
        )
    )
    s.commit()
    s.expire_all()
    return first, second


def cast(s: Session, kind: str) -> tuple[Order, Order | None]:
    if kind.startswith("open:"):
        return world.sole_open_order(s, kind.split(":", 1)[1]), None
    if kind == "two_open":
        return _two_open(s)
    if kind == "late":
        return _delivered(s, late=True), None
    if kind == "on_time":
        return _delivered(s, late=False), None
    if kind == "no_open":
        return _long_ago(s), None
    raise ValueError(f"cast: unknown kind {kind!r}")


def _eta(s: Session, order: Order) -> str:
    planned = s.scalar(
        select(Assignment.eta_dropoff).where(Assignment.order_id == order.id, Assignment.active)
    )
    when: datetime = planned or order.promised_at
    return when.astimezone(CITY_TZ).strftime("%H:%M")


def _minutes_late(order: Order) -> int:
    assert order.delivered_at is not None
    return max(0, math.ceil((order.delivered_at - order.promised_at).total_seconds() / 60))


def _cap(order: Order, wrong_items: bool = False) -> int:
    """The most the policy gives: the subtotal for wrong items, else 1 yuan a minute late
    up to half the total."""
    if wrong_items:
        return order.subtotal_minor
    total = order.subtotal_minor + order.delivery_fee_minor
    return min(_minutes_late(order) * 100, int(total * 0.5))


_WRONG_ITEMS = re.compile(
    r"wrong|missing|incorrect|not what i ordered|forgot|spill|damaged|"
    r"送错|错了|少了|漏了|不对|没给|洒了|撒了",
    re.I,
)
_ANY_AMOUNT = re.compile(r"¥\s?\d|\d+(?:\.\d+)?\s*元")


def _fill(text: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def _written_as(place: Place) -> list[str]:
    """The ways customers write a landmark: its names, an English name's acronym ("IFC"),
    a Chinese name's first four characters ("上海中心") and its pinyin run together."""
    from pypinyin import lazy_pinyin

    forms = [place.name.casefold()]
    forms += [w.casefold() for w in place.name.split() if len(w) >= 3 and w.isupper()]
    if place.name_zh:
        forms += [place.name_zh, place.name_zh[:4], "".join(lazy_pinyin(place.name_zh))]
    return forms


def _landmark(s: Session, messages: list[str]) -> Place | None:
    """The place named last: a customer who names another one has changed their mind."""
    places = list(s.scalars(select(Place).order_by(Place.id)))
    for message in reversed(messages):
        # Looked for with spaces removed, as pinyin comes either way.
        together = message.casefold().replace(" ", "")
        spots = [
            (max(together.rfind(f.replace(" ", "")) for f in _written_as(p)), p) for p in places
        ]
        found = [(at, p) for at, p in spots if at >= 0]
        if found:
            return max(found, key=lambda f: f[0])[1]
    return None


def _near(lat: float | None, lon: float | None, target: tuple[float, float]) -> bool:
    if lat is None or lon is None:
        return False
    dy = (lat - target[0]) * 111_320
    dx = (lon - target[1]) * 111_320 * math.cos(math.radians(target[0]))
    return math.hypot(dx, dy) <= PLACED_OUT_BY_M


def _verifier(
    writes: str, order: Order, order2: Order | None, target: Any, wrong_items: bool = False
) -> Callable[[Diff], list[str]]:
    def verify(change: Diff) -> list[str]:
        problems: list[str] = []
        orders = dict(change.orders)
        expect_ticket = 1 if writes == "ticket" else 0
        if change.tickets != expect_ticket:
            problems.append(f"tickets: expected {expect_ticket} new, got {change.tickets}")
        if writes in ("cancel", "cancel:order2"):
            meant = order2 if writes == "cancel:order2" and order2 is not None else order
            got = orders.pop(meant.id, {})
            if got.get("status") != OrderStatus.CANCELLED or set(got) - {"status"}:
                problems.append(f"order {meant.id}: expected cancelled, got {got}")
        if writes.startswith("address:"):
            got = orders.pop(order.id, {})
            was = change.before.get(
                order.id, {"dropoff_lat": order.dropoff_lat, "dropoff_lon": order.dropoff_lon}
            )
            lat, lon = (got.get(k, was.get(k)) for k in ("dropoff_lat", "dropoff_lon"))
            if target is None:
                problems.append("the task names no place the store knows")
            elif not _near(lat, lon, target):
                problems.append(f"order {order.id}: expected a drop-off at {target}, got {got}")
            if set(got) - {"dropoff_address", "dropoff_lat", "dropoff_lon", "status"}:
                problems.append(f"order {order.id}: unexpected changes {got}")
        problems += [f"order {i} changed unexpectedly: {f}" for i, f in orders.items()]
        comps = dict(change.compensations)
        if writes == "compensation":
            got_comp = comps.pop(order.id, None)
            cap = _cap(order, wrong_items)
            if got_comp is None or not 0 < got_comp[0] <= cap:
                problems.append(f"compensation on {order.id}: expected up to {cap}, got {got_comp}")
        if comps:
            problems.append(f"compensations: expected none, got {comps}")
        if change.plans:
            problems.append(f"plans: expected none new, got {change.plans}")
        return problems

    return verify


def _facts(
    s: Session,
    wanted: list[str],
    lang: str,
    about: Order,
    order: Order,
    order2: Order | None,
    messages: list[str],
) -> tuple[Fact, ...]:
    """The facts a reply must hold; ``eta:order2`` names the order a fact is about where a
    message is about both ("when will {order2} come? and cancel {order}")."""
    facts: list[Fact] = []
    for wanted_name in wanted:
        name, _, which = wanted_name.partition(":")
        if which:
            about = {"order": order, "order2": order2 or order}[which]
        if name == "order":
            facts.append(str(about.id))
        elif name == "eta":
            facts.append(_eta(s, about))
        elif name == "fee":
            facts.append(money(lang, round(about.subtotal_minor * FEE_SHARE)))
        elif name == "amount":
            wrong = any(_WRONG_ITEMS.search(m) for m in messages)
            facts.append(_ANY_AMOUNT if wrong else money(lang, _cap(order)))
        elif name in MARKERS:
            facts.append(MARKERS[name][lang])
        else:
            raise ValueError(f"reply_has: unknown fact {name!r}")
    return tuple(facts)


def task_from(data: dict[str, Any], source: str) -> Task:
    lang = data["lang"]
    expect = data["expect"]
    writes = expect["writes"]

    def build(s: Session) -> Script:
        order, order2 = cast(s, data["cast"])
        customer = s.get(Customer, order.customer_id)
        assert customer is not None
        other = world.other_customers_order(s, order.customer_id, OrderStatus.ASSIGNED)
        values: dict[str, Any] = {
            "order": order.id,
            "order2": order2.id if order2 else order.id,
            "other": other.id,
            "home": customer.address,
            "outside": OUTSIDE,
            "late_min": _minutes_late(order) if order.delivered_at else 0,
        }
        messages = [_fill(m, values) for m in data["messages"]]
        about = order2 if order2 is not None and _about_second(data, writes) else order
        target = None
        if writes == "address:home":
            target = (customer.lat, customer.lon)
        elif writes == "address:landmark":
            place = _landmark(s, messages)
            target = None if place is None else (place.lat, place.lon)
        return Script(
            actor=order.customer_id,
            messages=tuple(messages),
            facts=_facts(s, expect["reply_has"], lang, about, order, order2, messages),
            link_order=order.id if data.get("link") else None,
            verify=_verifier(
                writes, order, order2, target, any(_WRONG_ITEMS.search(m) for m in messages)
            ),
        )

    tags = (source, data["cast"].split(":")[0], writes.split(":")[0])
    return Task(f"{source}:{data['name']}", "customer", build, tags)


def _about_second(data: dict[str, Any], writes: str) -> bool:
    said = " ".join(data["messages"])
    return writes == "cancel:order2" or ("{order2}" in said and "{order}" not in said)


def load(paths: tuple[Path, ...], source: str) -> list[Task]:
    tasks: list[Task] = []
    for path in paths:
        tasks += [task_from(item, source) for item in json.loads(path.read_text("utf-8"))]
    return tasks
