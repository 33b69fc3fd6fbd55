"""The dispatch assistant's ``rules`` strategy: code reads the request, tools answer, the
reply repeats the tools' numbers; a plan is only proposed, and the session's gate asks for
the operator's yes before committing it."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from agents.dispatch import replies
from agents.dispatch.intents import INTENTS, LOCAL_TZ, PERIODS, Request, read_request
from agents.language import is_no, is_yes
from agents.llm import LLMError, choose
from agents.runtime import Decision, Pending, SessionContext, new_pending
from agents.runtime.profile import Calls, Profile

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


def proposal_of(result: dict[str, Any]) -> Pending | None:
    """A previewed plan that changes something waits for the yes that commits it."""
    if result.get("status") != "needs_confirmation" or not result.get("assigned"):
        return None
    return new_pending("commit_plan", {"token": result["token"]}, replies.preview(result))


class DispatchRules:
    def __init__(self, profile: Profile, ctx: SessionContext) -> None:
        self.ctx = ctx
        self.calls = Calls(profile, ctx)
        self.pending: Pending | None = None
        self.warnings: list[str] = []

    def decide(self) -> Decision:
        reply = self._respond(self.ctx.message.strip())
        return Decision(reply, tuple(self.calls.records), self.pending, None, tuple(self.warnings))

    def _call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return self.calls.run(tool, arguments)

    def _respond(self, text: str) -> str:
        if is_yes(text) or is_no(text):
            return "Nothing is waiting for your confirmation. " + replies.MENU
        request = read_request(text, self.ctx.now)
        if request.intent is None:
            return self._unclear(text)
        return self._serve(request.intent, request)

    def _unclear(self, text: str) -> str:
        """No pattern matched: the model's guess only shapes a suggestion, never an action
        (on probes the 135M model labelled a joke request "demand")."""
        guess = "other"
        if self.ctx.model is not None:
            messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
            try:
                guess = choose(self.ctx.model, messages, INTENTS, "intent")
            except LLMError as exc:
                self.warnings.append(str(exc))
        hint = EXAMPLES.get(guess)
        suggestion = f" Did you mean something like {hint}?" if hint else ""
        return "Sorry, I didn't understand that." + suggestion + " " + replies.MENU

    def _window(self, request: Request) -> dict[str, Any]:
        day = request.day or self.ctx.now.astimezone(LOCAL_TZ).date()
        start, end = request.hours or DEFAULT_HOURS
        return {
            "zone_id": request.zone_id,
            "day": day.isoformat(),
            "start_hour": start,
            "end_hour": end,
        }

    def _serve(self, intent: str, request: Request) -> str:
        if intent == "unassigned":
            result = self._call("list_unassigned", {"zone_id": request.zone_id})
            return (
                replies.unassigned(result) if result["status"] == "ok" else replies.refusal(result)
            )
        if intent == "explain_late":
            if request.order_id is None:
                return 'Which order? Please give its number, e.g. "why is order 1182 late?"'
            result = self._call("explain_late", {"order_id": request.order_id})
            return replies.late(result) if result["status"] == "ok" else replies.refusal(result)
        if intent in ("demand", "staffing"):
            tool = "expected_demand" if intent == "demand" else "couriers_needed"
            result = self._call(tool, self._window(request))
            if result["status"] != "ok":
                return replies.refusal(result)
            return replies.demand(result) if intent == "demand" else replies.staffing(result)
        if intent == "replan" and request.courier_id is None:
            return 'Which courier? Please give its number, e.g. "re-plan courier 17".'
        arguments = {
            "zone_id": request.zone_id,
            "courier_id": request.courier_id if intent == "replan" else None,
        }
        result = self._call("preview_plan", arguments)
        if result["status"] != "needs_confirmation":
            return replies.refusal(result)
        self.pending = proposal_of(result)
        return replies.preview(result)
