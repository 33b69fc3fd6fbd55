"""What a dispatcher asks is read by the trained model with firm cues over it, follow-ups
keep what the question before said, and a yes to a plan is read in dispatchers' words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from agents.dispatch.intents import follow_up, read_request, says_go
from agents.dispatch.scope import CourierName, ZoneName

ZONES = [ZoneName(1, "Lujiazui", "陆家嘴"), ZoneName(3, "Gubei", "古北")]
COURIERS = [CourierName(13, "Wang Fang", 3)]
NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")


def read(text: str):  # type: ignore[no-untyped-def]
    return read_request(text, NOW, TZ, ZONES, COURIERS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("how many couriers are on shift right now?", "couriers_on_shift"),
        ("how many did we deliver today?", "orders_today"),
        ("why is order 8542 unassigned?", "why_unassigned"),
        ("why is 8542 late", "why_late"),
        ("reassign the late orders in gubei", "reassign_late"),
        ("which zones will be short of riders tonight?", "short_zones"),
        ("plan zone 3 but don't commit", "plan_zone"),
        ("give 8542 to Wang Fang", "move_order"),
        ("how many orders tomorrow lunch in gubei?", "demand"),
        ("明天晚上需要几个骑手", "staffing"),
        ("tell me a joke about penguins", "other"),
    ],
)
def test_the_questions_dispatchers_ask(text: str, kind: str) -> None:
    """Each kind of question or action is told from the others, including the ones once
    answered with the wrong tool."""
    assert read(text).kind == kind


def test_dont_commit_is_a_preview() -> None:
    """ "just show me" and "先别提交" ask for a proposal without a commit."""
    assert read("plan gubei, just show me").preview_only
    assert read("古北派单，先别提交").preview_only
    assert not read("plan gubei").preview_only


def test_a_follow_up_keeps_what_was_said_before() -> None:
    """ "just dinner in gubei" after "demand tomorrow?" is tomorrow's dinner demand in Gubei;
    "ok and lujiazui?" changes the zone only."""
    first = read("demand tomorrow?")
    second = follow_up(read("just dinner in gubei"), "just dinner in gubei", first)
    assert (second.kind, second.scope.zones, second.scope.hours) == ("demand", (3,), (17, 21))
    assert second.scope.day == first.scope.day
    third = follow_up(read("ok and lujiazui?"), "ok and lujiazui?", second)
    assert (third.kind, third.scope.zones, third.scope.hours) == ("demand", (1,), (17, 21))


@pytest.mark.parametrize(
    "text", ["yes", "ok commit", "looks good, go", "ship it", "行，提交", "确认"]
)
def test_yes_to_a_plan(text: str) -> None:
    """A dispatcher's go-ahead in English or Chinese confirms a plan."""
    assert says_go(text)


@pytest.mark.parametrize(
    "text", ["no", "don't commit", "go to gubei instead", "先别提交", "commit zone 2"]
)
def test_not_a_yes(text: str) -> None:
    """A no, a hold, or a new request is not a go-ahead."""
    assert not says_go(text)
