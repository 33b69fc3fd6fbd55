"""Scope is read exactly: zones by English name (with typos), Chinese name, code or number,
the whole city, couriers by id or name (a shared name is ambiguous), and local windows in
the ways dispatchers write them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from agents.dispatch.scope import CourierName, ZoneName, hours_said, read_scope

ZONES = [
    ZoneName(1, "Lujiazui", "陆家嘴", "LJZ"),
    ZoneName(2, "People's Square", "人民广场", "RMG"),
    ZoneName(3, "Gubei", "古北", "GUB"),
    ZoneName(4, "Wujiaochang", "五角场", "WJC"),
]
COURIERS = [
    CourierName(1, "Zhang Lei", 1),
    CourierName(9, "Zhang Lei", 2),
    CourierName(13, "Wang Fang", 2),
]
NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)  # Friday 12:30 in Shanghai
TZ = ZoneInfo("Asia/Shanghai")


def scope(text: str):  # type: ignore[no-untyped-def]
    return read_scope(text, NOW, TZ, ZONES, COURIERS)


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        ("assign the open orders in People's Square", (2,)),
        ("peoples sq tonight", (2,)),
        ("ppl sq", (2,)),
        ("lujiazi demand", (1,)),
        ("zone 3", (3,)),
        ("z4 rn", (4,)),
        ("3区", (3,)),
        ("第三区", (3,)),
        ("五角场今晚", (4,)),
        ("人广午高峰", (2,)),
        ("wjc riders", (4,)),
        ("gubei and lujiazui", (3, 1)),
        ("how many orders tomorrow", ()),
    ],
)
def test_zones_by_every_name(text: str, zones: tuple[int, ...]) -> None:
    """Each way of naming a zone finds it, and only it; no name finds none."""
    assert scope(text).zones == zones


def test_the_whole_city_and_an_unknown_zone() -> None:
    """ "citywide" and "全市" mean the city; "zone 42" is kept as unknown, not ignored."""
    assert scope("plan citywide").city and scope("全市今晚").city
    assert scope("assign zone 42").unknown_zones == (42,)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("6pm to 9pm tomorrow", (18, 21)),
        ("6-9pm", (18, 21)),
        ("18:00-21:00", (18, 21)),
        ("at 19:00", (19, 20)),
        ("7pm", (19, 20)),
        ("tonight", (17, 21)),
        ("this evening", (17, 21)),
        ("tomorrow lunch", (11, 14)),
        ("明天晚上", (17, 21)),
        ("下午3点到5点", (15, 17)),
        ("晚上7点", (19, 20)),
        ("from 11 to 2", (11, 14)),
        ("between 5 and 8", (17, 20)),
        ("9pm till midnight", (21, 24)),
        ("17:30-20:30", (17, 21)),
        ("how many orders in zone 3", None),
    ],
)
def test_windows_in_local_hours(text: str, hours: tuple[int, int] | None) -> None:
    """Windows are read as the city's hours; "6pm to 9pm" is never 06:00-09:00, and a zone
    number is never an hour."""
    assert hours_said(text) == hours


@pytest.mark.parametrize(
    ("text", "day", "compare"),
    [
        ("tomorrow lunch", date(2026, 11, 28), None),
        ("明天晚上", date(2026, 11, 28), None),
        ("tonight", date(2026, 11, 27), None),
        ("tonight compared to last friday", date(2026, 11, 27), "last_week"),
        ("tomorrow vs today", date(2026, 11, 28), "today"),
        ("明天晚高峰比今天多吗", date(2026, 11, 28), "today"),
    ],
)
def test_days_and_comparisons(text: str, day: date, compare: str | None) -> None:
    """The day is the city's; the day compared against is a comparison, not the day asked."""
    found = scope(text)
    assert (found.day, found.compare) == (day, compare)


def test_couriers_by_id_or_name() -> None:
    """Couriers by number in English and Chinese, by name, and a shared name as ambiguous."""
    assert scope("re-plan rider 12").courier_ids == (12,)
    assert scope("骑手7的路线重新排一下").courier_ids == (7,)
    assert scope("give 8553 to Wang Fang").courier_ids == (13,)
    assert scope("把8553转给wang fang").courier_ids == (13,)
    both = scope("move 8542 to zhang lei")
    assert both.courier_ids == () and both.ambiguous_couriers == (("Zhang Lei", (1, 9)),)
    assert scope("why is order 8542 late").order_ids == (8542,)
