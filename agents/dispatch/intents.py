"""What an operator asks, read by code: the intent, zone, order, courier, day and hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
INTENTS = ("assign", "explain_late", "demand", "staffing", "replan", "unassigned", "other")
# Local hours [start, end) of the named parts of a day.
PERIODS = {
    "breakfast": (7, 10),
    "morning": (7, 11),
    "lunch": (11, 14),
    "afternoon": (14, 17),
    "dinner": (17, 21),
    "evening": (17, 21),
    "night": (21, 24),
    "早餐": (7, 10),
    "午餐": (11, 14),
    "中午": (11, 14),
    "午饭": (11, 14),
    "下午": (14, 17),
    "晚餐": (17, 21),
    "晚饭": (17, 21),
    "晚上": (17, 21),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("replan", re.compile(r"re-?plan|re-?route|re-?optimi[sz]e|重新规划|重排", re.I)),
    ("explain_late", re.compile(r"\blate\b|delay|behind|迟|晚了|超时|延误", re.I)),
    (
        "staffing",
        re.compile(
            r"how many (couriers|riders|drivers)|couriers? (do )?we need|staff|骑手|人手", re.I
        ),
    ),
    ("demand", re.compile(r"demand|how many orders|forecast|expect|需求|单量|预测|预计", re.I)),
    ("assign", re.compile(r"\bassign|\bdispatch|分配|派单", re.I)),
    (
        "unassigned",
        re.compile(r"unassigned|without (a )?courier|waiting for (a )?courier|未分配", re.I),
    ),
)
_ZONE = re.compile(r"zone\s*#?(\d+)|(\d+)\s*号?区|区\s*(\d+)", re.I)
_ORDER = re.compile(r"order\s*#?(\d+)|#(\d{3,})|订单\s*(\d+)", re.I)
_COURIER = re.compile(r"(?:courier|rider|driver)\s*#?(\d+)|骑手\s*(\d+)", re.I)
_HOURS = re.compile(
    r"(?:from\s*)?(\d{1,2})(?::00)?\s*(?:am|pm)?\s*(?:to|-|–|until|till|到|至)\s*(\d{1,2})(?::00)?",
    re.I,
)
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Request:
    intent: str | None
    zone_id: int | None
    order_id: int | None
    courier_id: int | None
    day: date | None
    hours: tuple[int, int] | None  # local hours [start, end)


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    if not match:
        return None
    return int(next(g for g in match.groups() if g))


def _day(text: str, now: datetime) -> date | None:
    today = now.astimezone(LOCAL_TZ).date()
    lowered = text.lower()
    explicit = _DATE.search(text)
    if explicit:
        return date.fromisoformat(explicit.group(1))
    if "day after tomorrow" in lowered or "后天" in text:
        return today + timedelta(days=2)
    if "tomorrow" in lowered or "明天" in text:
        return today + timedelta(days=1)
    if "today" in lowered or "今天" in text or "tonight" in lowered:
        return today
    for index, name in enumerate(WEEKDAYS):
        if name in lowered:
            return today + timedelta(days=(index - today.weekday()) % 7 or 7)
    return None


def _hours(text: str) -> tuple[int, int] | None:
    match = _HOURS.search(text)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if 0 <= start < end <= 24:
            return start, end
    lowered = text.lower()
    for name, span in PERIODS.items():
        if name in lowered:
            return span
    return None


def read_request(text: str, now: datetime) -> Request:
    intent = next((name for name, p in _PATTERNS if p.search(text)), None)
    return Request(
        intent=intent,
        zone_id=_first_int(_ZONE, text),
        order_id=_first_int(_ORDER, text),
        courier_id=_first_int(_COURIER, text),
        day=_day(text, now),
        hours=_hours(text),
    )
