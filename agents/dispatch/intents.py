"""What an operator asks: the kind of question or action, read by the shared intent model
(``agents.textclass``) over ``corpus/*.jsonl`` (written by people who never saw the
assistant), with a few firm cues taking precedence, and its exact scope (``scope``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from agents import textclass
from agents.dispatch.scope import CourierName, Scope, ZoneName, read_scope
from agents.language import fold, is_yes

CORPUS = Path(__file__).with_name("corpus")
READS = (
    "couriers_on_shift",
    "orders_today",
    "open_orders",
    "demand",
    "staffing",
    "short_zones",
    "why_unassigned",
    "why_late",
)
WRITES = ("plan_zone", "reassign_late", "replan_courier", "move_order")
KINDS = (*READS, *WRITES, "yes", "no", "greeting", "other")
WINDOWED = ("demand", "staffing", "short_zones")

_PREVIEW_ONLY = re.compile(
    r"\b(?:don'?t|do not|dont|no need to|without)\s+(?:commit|committing|apply|applying|"
    r"execute|push|save)|\bjust (?:show|a preview|preview|look|see)|\bonly (?:show|preview)|"
    r"\bpreview\b|\bdry[- ]?run\b|\bwhat would\b|\bwhat if\b|\bshow me (?:the|a) plan\b|"
    r"\bnot commit\b|先别提交|不要提交|别提交|不提交|先不提交|先看看|只看看|预览|先给我看|看看方案|"
    r"别执行|先别执行|不用提交",
    re.I,
)
_MOVE = re.compile(
    r"\b(?:give|move|transfer|hand|shift|switch|swap|reassign|re-assign|assign|send|put|pass)\b|"
    r"->|→|转给|给|派给|分给|交给|改派|转到|换给|挪给",
    re.I,
)
_LATE = re.compile(r"\blate\b|overdue|delayed|behind|超时|迟到|晚了|延误|逾期", re.I)
_REDISPATCH = re.compile(
    r"re-?assign|re-?dispatch|re-?allocate|re-?route|move|switch|swap|give .* (?:new|other)|"
    r"换骑手|换人|改派|重新派|重派|转派|重新分配|换个骑手|另派",
    re.I,
)
_ANY_CLAUSE = re.compile(r"[.!?。！？;；\n,，:：]+")
_COUNT = re.compile(r"\bhow many\b|\bcount\b|\bnumber of\b|\btotal\b|多少|几单|几个|数量", re.I)
_CANCELLED = re.compile(r"cancel|取消|退单", re.I)
_UNASSIGNED = re.compile(
    r"unassign|un-assign|unassinged|without (?:a )?(?:courier|rider|driver)|no (?:courier|rider|"
    r"driver)|waiting for (?:a )?(?:courier|rider)|not (?:yet )?assigned|nobody|no one|backlog|"
    r"未分配|没分配|待分配|没人接|无人接|没骑手|没有骑手|还没派|未派|待派|没派",
    re.I,
)
_ACTION = re.compile(
    r"\b(?:assign|dispatch|plan|re-?plan|re-?route|move|give|transfer|send|commit|run|"
    r"optimi[sz]e|reassign|re-?dispatch|allocate)|派|分配|规划|排|转给|改派|提交|调度",
    re.I,
)
# Words that name what a question is about; a follow-up without them only narrows.
_TOPIC = re.compile(
    r"rider|courier|driver|staff|骑手|小哥|人手|order|demand|forecast|busy|单|需求|预测|"
    r"deliver|cancel|late|送|取消|超时|short|缺|on shift|在岗|在线",
    re.I,
)
_CORRECTION = re.compile(
    r"\b(?:i mean|i meant|sorry|not\s+\w+,)|不是问|我是说|我的意思是|我要问的是", re.I
)
# Words that ask for a different action than the plan before.
_ACTION_OTHER = re.compile(
    r"\b(?:move|give|transfer|why|how many|forecast)\b|为什么|多少|转给", re.I
)
_THERE = re.compile(
    r"\b(?:there|that zone|same zone|same area|same)\b|那里|那边|那个区|这个区|同一", re.I
)
_MORE = re.compile(
    r"^\s*(?:(?:no,? )?(?:i mean|i meant)|and|what about|how about|ok and|also|same for|only|just|"
    r"but|instead|actually|rather)\b|^\s*(?:那|那么|还有|只看|只要|改成|换成|换到|不对|我要的是|我是说)",
    re.I,
)


@dataclass(frozen=True)
class Request:
    kind: str
    sure: bool
    scope: Scope
    preview_only: bool = False
    what: str = "delivered"  # orders_today: delivered, late or cancelled
    unassigned: bool = False  # open_orders: only those without a courier

    @property
    def names_scope(self) -> bool:
        s = self.scope
        return bool(s.zones or s.city or s.day or s.hours or s.compare)


_GO_WORDS = {
    "commit", "push", "ship", "apply", "go", "lgtm", "execute", "approve", "approved",
    "proceed", "confirm", "confirmed", "yes", "yep", "yeah", "ok", "okay", "sure", "do",
    "send", "run",
}  # fmt: skip
_GO_FILLER = {
    "it", "that", "this", "the", "plan", "now", "asap", "please", "pls", "looks", "good",
    "fine", "great", "perfect", "ahead", "and", "then", "just", "all", "lets", "let's", "us",
    "sounds", "cool", "nice", "thanks", "thx", "boss", "mate", "yup", "alright", "right",
}  # fmt: skip
_GO_ZH = re.compile(
    r"^(?:好|好的|行|可以|确认|提交|执行|就这样|没问题|按这个来|就按这个来|发吧|派吧|搞|冲|ok|yes|go|"
    r"吧|了|啊|呀|，|,|。|！|!|\s|就|那|提交吧|确认提交|可以提交|行吧|嗯|对|是|是的|这么办|就这么办|"
    r"照办|照这个来|按方案来|上吧|搞起|没毛病|妥)+$",
    re.I,
)


def says_go(text: str) -> bool:
    """The operator's yes to a proposed plan, in dispatchers' words ("ok commit", "looks
    good, go", "ship it", "行，提交"); anything with a no or a new request is not one."""
    if is_yes(text):
        return True
    folded = fold(text)
    if (
        not folded
        or len(folded) > 60
        or re.search(r"\b(?:no|not|don'?t|dont|wait)\b|不|别|没", folded)
    ):
        return bool(_GO_ZH.match(folded)) and not re.search(r"不|别", folded)
    words = folded.split()
    if all(w in _GO_WORDS or w in _GO_FILLER for w in words):
        return any(w in _GO_WORDS for w in words)
    return bool(_GO_ZH.match(folded))


_WHAT = (
    ("late", _LATE),
    ("cancelled", _CANCELLED),
    ("delivered", re.compile(r"deliver|送达|送到|送完|完成", re.I)),
)
_NEGATED = re.compile(r"(?:\bnot|\bno|n't|不是|不要|别|非)\s*$", re.I)


def which_count(text: str) -> str:
    """Which of today's counts a message asks for: the first of late, cancelled or
    delivered it names without taking it back ("delivered, not cancelled")."""
    found = []
    for name, pattern in _WHAT:
        for match in pattern.finditer(text):
            if not _NEGATED.search(text[max(0, match.start() - 8) : match.start()]):
                found.append((match.start(), name))
    return min(found)[1] if found else "delivered"


def warm_up() -> None:
    textclass.warm_up(CORPUS)


def _cjk(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _guess(text: str, scope: Scope) -> textclass.Guess:
    """The message's intent; for a long or polite one whose whole reads as small talk, the
    clause that asks something ("..., anyway: what's the forecast for gubei at 3pm?")."""
    whole = textclass.classify(CORPUS, [text])[0]
    if whole.intent not in ("greeting", "other"):
        return whole
    # A clause long enough to ask something: "slow shift" beside a joke asks nothing.
    parts = [p for p in _ANY_CLAUSE.split(text) if p and (len(p.split()) >= 3 or _cjk(p) >= 5)]
    if len(parts) <= 1:
        return whole
    # A question about one order needs the order's number; without one it is not that.
    needs_order = () if scope.order_ids else ("why_late", "why_unassigned", "move_order")
    asked = [
        g
        for g in textclass.classify(CORPUS, parts)
        if g.intent not in ("greeting", "other", "yes", "no", *needs_order)
    ]
    return max(asked, key=lambda g: g.margin) if asked else whole


def _kind(text: str, scope: Scope, future: bool) -> tuple[str, bool]:
    guess = _guess(text, scope)
    kind, sure = guess.intent, guess.sure
    if future and kind in ("open_orders", "orders_today"):
        return "demand", True  # orders in a window still to come can only be expected
    if future and kind == "couriers_on_shift":
        return "staffing", True
    has_courier = bool(scope.courier_ids or scope.ambiguous_couriers)
    if scope.order_ids and has_courier and _MOVE.search(text):
        return "move_order", True
    if _LATE.search(text) and _REDISPATCH.search(text) and not scope.order_ids:
        return "reassign_late", True
    if kind == "replan_courier" and not has_courier and (scope.zones or scope.city):
        return "plan_zone", True
    if kind == "move_order" and not scope.order_ids and (scope.zones or scope.city):
        return "plan_zone", sure
    if kind == "staffing" and scope.now and not scope.hours:
        return "couriers_on_shift", sure
    if kind == "why_late" and not scope.order_ids and _COUNT.search(text):
        return "orders_today", sure
    return kind, sure


def read_request(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    zones: Sequence[ZoneName],
    couriers: Sequence[CourierName] = (),
) -> Request:
    scope = read_scope(text, now, tz, zones, couriers)
    local = now.astimezone(tz)
    future = (scope.day is not None and scope.day > local.date()) or (
        scope.hours is not None
        and scope.day in (None, local.date())
        and scope.hours[0] > local.hour
    )
    kind, sure = _kind(text, scope, future)
    what = which_count(text)
    return Request(
        kind=kind,
        sure=sure,
        scope=scope,
        preview_only=bool(_PREVIEW_ONLY.search(text)),
        what=what,
        unassigned=bool(_UNASSIGNED.search(text)),
    )


def follow_up(request: Request, text: str, last: Request | None) -> Request:
    """A message read in the light of the one before ("just dinner in gubei", "ok and z2?"):
    what it does not say again is what the last question said."""
    if last is None:
        return request
    if last.kind in WRITES:
        return _plan_follow_up(request, text, last)
    continues = (
        request.kind == last.kind
        or (request.kind in ("other", "greeting", "yes", "no") and request.names_scope)
        or (request.kind in WRITES and not _ACTION.search(text) and request.names_scope)
        or (not request.sure and request.names_scope)
        or bool(_MORE.search(text))
    )
    if not continues:
        s = request.scope
        if not (s.zones or s.city or s.day or s.hours) and (
            _THERE.search(text) or _CORRECTION.search(text)
        ):
            # "sorry, not orders, I mean riders": the same zone and window, another question.
            scope = replace(s, zones=last.scope.zones, city=last.scope.city, day=last.scope.day,
                            hours=last.scope.hours)  # fmt: skip
            return replace(request, scope=scope)
        return request
    if request.kind in READS and request.kind != last.kind and _TOPIC.search(text):
        kind = request.kind
    else:
        kind = last.kind
    new, old = request.scope, last.scope
    named_zone = bool(new.zones or new.city)
    scope = replace(
        new,
        zones=new.zones if named_zone else old.zones,
        city=new.city if named_zone else old.city,
        day=new.day or old.day,
        hours=new.hours or old.hours,
        compare=new.compare or old.compare,
    )
    named = any(p.search(text) for _, p in _WHAT)
    what = request.what if named else last.what
    return replace(
        request,
        kind=kind,
        sure=True,
        scope=scope,
        what=what,
        unassigned=request.unassigned or (last.unassigned and kind == "open_orders"),
    )


def _plan_follow_up(request: Request, text: str, last: Request) -> Request:
    """After a plan was shown: "make it z1 instead" plans that zone the same way."""
    s = request.scope
    if request.kind in READS and request.sure and _TOPIC.search(text):
        return request
    if (s.zones or s.city) and not _ACTION_OTHER.search(text):
        return replace(last, scope=replace(last.scope, zones=s.zones, city=s.city),
                       preview_only=request.preview_only or last.preview_only)  # fmt: skip
    return request
