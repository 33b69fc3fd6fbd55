"""The dispatch assistant's turn loop: code reads the request, tools answer, the reply
repeats the tools' numbers; a plan is committed only after the operator's yes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy import Engine

from agents.conversations import add_message, start_conversation
from agents.customer.state import Turn
from agents.dispatch import replies
from agents.dispatch.intents import INTENTS, LOCAL_TZ, PERIODS, Request, read_request
from agents.dispatch.planner import Planner, RoutingPlanner
from agents.dispatch.tools import TOOLS, DispatchContext
from agents.language import is_no, is_yes
from agents.llm import ChatModel, LLMError, choose
from agents.tooling import ToolCallRecord, call_tool

SYSTEM_PROMPT = (
    "You help delivery dispatchers. Classify the request. assign: assign orders to couriers. "
    "explain_late: why an order is late. demand: expected orders. staffing: couriers needed. "
    "replan: re-plan a courier. unassigned: list orders without a courier. other: anything else."
)
DEFAULT_HOURS = PERIODS["lunch"]
EXAMPLES = {
    "assign": '"assign the unassigned orders in zone 4"',
    "explain_late": '"why is order 1182 late?"',
    "demand": '"what demand do we expect in zone 2 tomorrow at lunch?"',
    "staffing": '"how many couriers do we need tomorrow from 11 to 13?"',
    "replan": '"re-plan courier 17"',
    "unassigned": '"which orders are unassigned in zone 3?"',
}


@dataclass(frozen=True)
class DispatchState:
    pending_token: str | None = None
    last: Request | None = None


class DispatchAgent:
    def __init__(
        self,
        engine: Engine,
        operator: str,
        *,
        model: ChatModel | None,
        clock: Callable[[], datetime],
        planner: Planner | None = None,
    ) -> None:
        self.engine, self.operator, self.model, self.clock = engine, operator, model, clock
        self.planner = planner or RoutingPlanner()
        self.state = DispatchState()
        self.conversation_id = start_conversation(
            engine, kind="dispatch", now=clock(), language="en", operator=operator
        )
        self._calls: list[ToolCallRecord] = []
        self._warnings: list[str] = []

    def handle(self, text: str) -> Turn:
        now = self.clock()
        add_message(self.engine, self.conversation_id, "user", text, now)
        self._calls, self._warnings = [], []
        reply = self._respond(text.strip(), now)
        calls = tuple(self._calls)
        add_message(
            self.engine,
            self.conversation_id,
            "assistant",
            reply,
            now,
            {"tool_calls": [c.as_json() for c in calls]},
        )
        return Turn(reply=reply, tool_calls=calls, language="en", warnings=tuple(self._warnings))

    def _call(
        self, tool: str, arguments: dict[str, Any], now: datetime, confirmed: bool = False
    ) -> dict[str, Any]:
        context = DispatchContext(self.operator, now, self.planner)
        record = call_tool(
            self.engine,
            TOOLS[tool],
            arguments,
            context=context,
            actor=context.actor,
            now=now,
            confirmed=confirmed,
        )
        self._calls.append(record)
        return record.result

    def _respond(self, text: str, now: datetime) -> str:
        token = self.state.pending_token
        if token is not None:
            self.state = replace(self.state, pending_token=None)
            if is_yes(text):
                result = self._call("commit_plan", {"token": token}, now, confirmed=True)
                return (
                    replies.committed(result)
                    if result["status"] == "ok"
                    else replies.refusal(result)
                )
            if is_no(text):
                return "OK, the plan was not committed."
        elif is_yes(text) or is_no(text):
            return "Nothing is waiting for your confirmation. " + replies.MENU
        request = read_request(text, now)
        self.state = replace(self.state, last=request)
        if request.intent is None:
            return self._unclear(text)
        return self._serve(request.intent, request, now)

    def _unclear(self, text: str) -> str:
        """No pattern matched: the model's guess only shapes a suggestion, never an action
        (on probes the 135M model labelled a joke request "demand")."""
        guess = "other"
        if self.model is not None:
            messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
            try:
                guess = choose(self.model, messages, INTENTS, "intent")
            except LLMError as exc:
                self._warnings.append(str(exc))
        hint = EXAMPLES.get(guess)
        suggestion = f" Did you mean something like {hint}?" if hint else ""
        return "Sorry, I didn't understand that." + suggestion + " " + replies.MENU

    def _window(self, request: Request, now: datetime) -> dict[str, Any]:
        day = request.day or now.astimezone(LOCAL_TZ).date()
        start, end = request.hours or DEFAULT_HOURS
        return {
            "zone_id": request.zone_id,
            "day": day.isoformat(),
            "start_hour": start,
            "end_hour": end,
        }

    def _serve(self, intent: str, request: Request, now: datetime) -> str:
        if intent == "unassigned":
            result = self._call("list_unassigned", {"zone_id": request.zone_id}, now)
            return (
                replies.unassigned(result) if result["status"] == "ok" else replies.refusal(result)
            )
        if intent == "explain_late":
            if request.order_id is None:
                return 'Which order? Please give its number, e.g. "why is order 1182 late?"'
            result = self._call("explain_late", {"order_id": request.order_id}, now)
            return replies.late(result) if result["status"] == "ok" else replies.refusal(result)
        if intent in ("demand", "staffing"):
            tool = "expected_demand" if intent == "demand" else "couriers_needed"
            result = self._call(tool, self._window(request, now), now)
            if result["status"] != "ok":
                return replies.refusal(result)
            return replies.demand(result) if intent == "demand" else replies.staffing(result)
        if intent == "replan" and request.courier_id is None:
            return 'Which courier? Please give its number, e.g. "re-plan courier 17".'
        arguments = {
            "zone_id": request.zone_id,
            "courier_id": request.courier_id if intent == "replan" else None,
        }
        result = self._call("preview_plan", arguments, now)
        if result["status"] != "needs_confirmation":
            return replies.refusal(result)
        if result["assigned"]:
            self.state = replace(self.state, pending_token=result["token"])
        return replies.preview(result)
