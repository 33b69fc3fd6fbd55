"""The dispatch assistant's ``rules`` strategy: code reads the request and its exact scope,
tools answer, and the reply repeats the tools' numbers and the scope. A plan is only
proposed (or, on "just show me", only shown); the session's gate asks for the operator's
yes before committing it. The model never decides scope or numbers: it only suggests a
reading when nothing else matched.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.dispatch import replies
from agents.dispatch.intents import (
    KINDS,
    WINDOWED,
    Request,
    follow_up,
    read_request,
    says_go,
)
from agents.dispatch.scope import CourierName, Scope, ZoneName
from agents.language import fold, is_plain_no
from agents.llm import LLMError, choose
from agents.runtime import Decision, Pending, SessionContext, new_pending
from agents.runtime.profile import Calls, Profile
from db.models import Courier, Zone

SYSTEM_PROMPT = (
    "You help delivery dispatchers. Classify the request into one of the listed kinds, or other."
)
EXAMPLES = {
    "en": {
        "demand": '"how many orders do we expect in Gubei tonight?"',
        "staffing": '"how many couriers do we need tomorrow 11-14?"',
        "plan_zone": '"assign the open orders in People\'s Square"',
        "why_late": '"why is order 1182 late?"',
    },
    "zh": {
        "demand": "“古北今晚预计多少单？”",
        "staffing": "“明天11点到14点需要几个骑手？”",
        "plan_zone": "“给人民广场派单”",
        "why_late": "“订单1182为什么超时？”",
    },
}


def proposal_of(
    result: dict[str, Any], arguments: dict[str, Any], lang: str = "en"
) -> Pending | None:
    """A previewed plan that changes something waits for the yes that commits it; the
    preview's request goes with it, to propose afresh if another round commits first."""
    if result.get("status") != "needs_confirmation" or not result.get("assigned"):
        return None
    return new_pending(
        "commit_plan",
        {"token": result["token"], "again": dict(arguments)},
        replies.preview(result, lang),
        subject=replies.subject(result, lang),
    )


def _scope_json(request: Request) -> dict[str, Any]:
    data = asdict(request)
    scope = data["scope"]
    scope["day"] = request.scope.day.isoformat() if request.scope.day else None
    return data


def _request_of(data: dict[str, Any] | None) -> Request | None:
    if not data:
        return None
    scope = dict(data["scope"])
    scope["day"] = date.fromisoformat(scope["day"]) if scope.get("day") else None
    for key in ("zones", "order_ids", "courier_ids"):
        scope[key] = tuple(scope.get(key) or ())
    scope["hours"] = tuple(scope["hours"]) if scope.get("hours") else None
    scope["ambiguous_couriers"] = tuple(
        (name, tuple(ids)) for name, ids in scope.get("ambiguous_couriers") or ()
    )
    return Request(**{**data, "scope": Scope(**scope)})


class DispatchRules:
    def __init__(
        self, profile: Profile, ctx: SessionContext, tz: ZoneInfo, memory: dict[str, Any]
    ) -> None:
        self.ctx = ctx
        self.tz = tz
        self.calls = Calls(profile, ctx)
        self.pending: Pending | None = None
        self.warnings: list[str] = []
        self.last = _request_of(memory.get("last"))
        self.shown = _request_of(memory.get("shown"))  # a plan shown without asking
        self.remember: Request | None = None
        self.show: Request | None = None
        self.unchanged: str | None = memory.get("unchanged")  # a plan shown changed nothing
        self.nothing: str | None = None

    @property
    def lang(self) -> str:
        return self.ctx.language

    def decide(self) -> Decision:
        reply = self._respond(self.ctx.message.strip())
        memory = {
            "last": _scope_json(self.remember) if self.remember else None,
            "shown": _scope_json(self.show) if self.show else None,
            "unchanged": self.nothing,
        }
        return Decision(
            reply, tuple(self.calls.records), self.pending, memory, tuple(self.warnings)
        )

    def _call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return self.calls.run(tool, arguments)

    def _names(self) -> tuple[list[ZoneName], list[CourierName], dict[int, str]]:
        with Session(self.ctx.engine) as session:
            zones = [
                ZoneName(z.id, z.name, z.name_zh, z.code)
                for z in session.scalars(select(Zone).order_by(Zone.id))
            ]
            couriers = [
                CourierName(c.id, c.name, c.zone_id)
                for c in session.scalars(select(Courier).order_by(Courier.id))
            ]
        label = {z.id: (z.name_zh if self.lang == "zh" and z.name_zh else z.name) for z in zones}
        return zones, couriers, label

    # -- reading -----------------------------------------------------------------------

    def _respond(self, text: str) -> str:
        zones, couriers, self.zone_label = self._names()
        request = read_request(text, self.ctx.now, self.tz, zones, couriers)
        # With nothing waiting, "no, I mean the late ones" corrects the question: only a
        # plain no is a no.
        said = "yes" if says_go(text) else "no" if is_plain_no(text) else None
        short = len(fold(text)) <= 8  # "yep", "nah", "行": the model's reading of a bare word
        if said is None and request.kind in ("yes", "no") and not request.names_scope and short:
            said = request.kind
        if said == "yes" and self.shown is not None:
            # "ok, commit it" after a plan was only shown: propose it again, to confirm.
            return self._serve(Request(**{**self.shown.__dict__, "preview_only": False}))
        if said == "no":
            return replies.declined(self.lang, self.unchanged or "")
        if said == "yes" and self.unchanged:
            return (
                f"{self.unchanged}的方案没有变更，无需提交。"
                if self.lang == "zh"
                else f"Nothing to commit: the plan for {self.unchanged} changes nothing."
            )
        if said == "yes":
            nothing = (
                "没有等待确认的方案。"
                if self.lang == "zh"
                else "Nothing is waiting for your confirmation."
            )
            return f"{nothing} {replies.menu(self.lang)}"
        request = follow_up(request, text, self.last)
        if request.kind == "greeting":
            return ("你好！" if self.lang == "zh" else "Hello! ") + replies.menu(self.lang)
        if request.kind not in KINDS or request.kind in ("other", "yes", "no"):
            return self._unclear(text)
        return self._serve(request)

    def _unclear(self, text: str) -> str:
        """Nothing matched: the model's guess only shapes a suggestion, never an action."""
        guess = "other"
        if self.ctx.model is not None:
            messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
            try:
                guess = choose(self.ctx.model, messages, KINDS, "kind")
            except LLMError as exc:
                self.warnings.append(str(exc))
        hint = EXAMPLES["zh" if self.lang == "zh" else "en"].get(guess)
        if self.lang == "zh":
            lead = "抱歉，我没看懂您要做什么。" + (f"您是想问类似{hint}吗？" if hint else "")
        else:
            lead = "Sorry, I didn't understand that." + (
                f" Did you mean something like {hint}?" if hint else ""
            )
        return f"{lead} {replies.menu(self.lang)}"

    # -- answering ---------------------------------------------------------------------

    def _zone_ids(self, scope: Scope) -> list[int] | None:
        return None if scope.city or not scope.zones else list(scope.zones)

    def _window(self, scope: Scope, kind: str) -> dict[str, Any]:
        today = self.ctx.now.astimezone(self.tz).date()
        start, end = scope.hours or (0, 24)
        return {
            "zone_ids": self._zone_ids(scope),
            "day": (scope.day or today).isoformat(),
            "start_hour": start,
            "end_hour": end,
            **({"compare": scope.compare} if scope.compare and kind != "short_zones" else {}),
        }

    def _no_such_zone(self, scope: Scope) -> str:
        listed = ", ".join(f"{z} {name}" for z, name in sorted(self.zone_label.items()))
        if self.lang == "zh":
            return f"没有{scope.unknown_zones[0]}区。现有的区：{listed}。"
        return f"There is no zone {scope.unknown_zones[0]}; the zones are {listed}."

    def _serve(self, request: Request) -> str:
        kind, scope = request.kind, request.scope
        if scope.unknown_zones and not scope.zones:
            return self._no_such_zone(scope)
        today = self.ctx.now.astimezone(self.tz).date()
        if kind in ("why_late", "why_unassigned"):
            if not scope.order_ids:
                return (
                    "请给出订单号，例如“订单1182为什么超时？”"
                    if self.lang == "zh"
                    else 'Which order? Please give its number, e.g. "why is order 1182 late?"'
                )
            tool = "explain_late" if kind == "why_late" else "why_unassigned"
            result = self._call(tool, {"order_id": scope.order_ids[0]})
            if result["status"] != "ok":
                return replies.refusal(result, self.lang)
            return (
                replies.late(result, self.lang)
                if kind == "why_late"
                else replies.unassigned_reason(result, self.lang)
            )
        if kind in ("plan_zone", "reassign_late", "replan_courier", "move_order"):
            return self._plan(request)
        self.remember = request
        if kind == "couriers_on_shift":
            result = self._call("couriers_on_shift", {"zone_ids": self._zone_ids(scope)})
            return self._answer(
                result, lambda r: replies.couriers_on_shift(r, self.lang, self.zone_label)
            )
        if kind == "orders_today":
            result = self._call("orders_today", {"zone_ids": self._zone_ids(scope)})
            return self._answer(result, lambda r: replies.orders_today(r, self.lang, request.what))
        if kind == "open_orders":
            result = self._call("list_open_orders", {"zone_ids": self._zone_ids(scope)})
            return self._answer(
                result, lambda r: replies.open_orders(r, self.lang, request.unassigned)
            )
        assert kind in WINDOWED
        tool = {"demand": "expected_demand", "staffing": "couriers_needed"}.get(kind, kind)
        result = self._call(tool, self._window(scope, kind))
        render = {
            "demand": replies.demand,
            "staffing": replies.staffing,
            "short_zones": replies.short_zones,
        }[kind]
        return self._answer(result, lambda r: render(r, self.lang, today))

    def _answer(self, result: dict[str, Any], render: Any) -> str:
        return render(result) if result["status"] == "ok" else replies.refusal(result, self.lang)

    def _plan(self, request: Request) -> str:
        kind, scope = request.kind, request.scope
        self.remember = request
        zh = self.lang == "zh"
        arguments: dict[str, Any] = {}
        if kind == "move_order":
            if scope.ambiguous_couriers and not scope.courier_ids:
                name, ids = scope.ambiguous_couriers[0]
                listed = ", ".join(str(i) for i in ids)
                return (
                    f"有几位骑手叫{name}（{listed}号），请说明是哪一位。"
                    if zh
                    else f"Several couriers are called {name} ({listed}); which one?"
                )
            if not scope.order_ids or not scope.courier_ids:
                return (
                    "请说明订单号和骑手，例如“把订单8542转给13号骑手”。"
                    if zh
                    else 'Which order, to which courier? e.g. "move order 8542 to courier 13".'
                )
            arguments = {"order_id": scope.order_ids[0], "to_courier_id": scope.courier_ids[-1]}
        elif kind == "replan_courier":
            if not scope.courier_ids:
                return (
                    "请说明是哪位骑手，例如“重新规划17号骑手”。"
                    if zh
                    else 'Which courier? Please give its number, e.g. "re-plan courier 17".'
                )
            arguments = {"courier_id": scope.courier_ids[0]}
        else:
            if not scope.zones and not scope.city:
                return (
                    "哪个区？请说区名，或“全市”。"
                    if zh
                    else 'Which zone? Name it (e.g. "Gubei", "zone 3"), or say "the whole city".'
                )
            if len(scope.zones) > 1 and not scope.city:
                return (
                    "一次只能为一个区做方案，请选一个区。"
                    if zh
                    else "I plan one zone at a time (or the whole city); which zone first?"
                )
            zone_id = None if scope.city else scope.zones[0]
            arguments = {"zone_id": zone_id, "late_only": kind == "reassign_late"}
        result = self._call("preview_plan", arguments)
        if result["status"] == "refused":
            return replies.refusal(result, self.lang)
        if not result.get("assigned"):
            self.nothing = replies.subject(result, self.lang)
        if request.preview_only:
            if result.get("assigned"):
                self.show = request
            return replies.preview(result, self.lang, ask=False)
        self.pending = proposal_of(result, arguments, self.lang)
        return replies.preview(result, self.lang)
