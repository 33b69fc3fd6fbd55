"""The customer agent's ``rules`` strategy: code reads the message, tools answer.

Code reads the intent and the order (the model is asked only when no pattern matched,
under a grammar, and its guess is trusted only for small talk); tools run with the
session's customer; the reply is built from the tool results. A write is only proposed:
the session's gate asks for the yes.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy.orm import Session

from agents.conversations import recent_user_messages
from agents.customer import lookup
from agents.customer.intents import INTENTS, Reading, read_message
from agents.customer.phrasing import friendly_sentence
from agents.customer.prompts import SYSTEM_PROMPT, say
from agents.customer.replies import confirm_reply, refusal_reply, status_reply
from agents.language import is_no, is_yes
from agents.llm import LLMError, choose
from agents.runtime import Decision, Pending, SessionContext, new_pending
from agents.runtime.profile import Calls, Profile

ORDER_INTENTS = ("status", "cancel", "change_address", "compensation")
# Intents the model may pick on its own: only chit-chat (on probes the 135M model called
# most messages "status"). Anything else it guesses gets the offer of a colleague.
TRUSTED_MODEL_INTENTS = ("greeting",)


def _reading(data: dict[str, Any]) -> Reading:
    coords = data.get("coords")
    return Reading(
        **{
            **data,
            "order_ids": tuple(data.get("order_ids") or ()),
            "coords": tuple(coords) if coords else None,
        }
    )


def handover_summary(ctx: SessionContext, customer_id: int, focus: int | None) -> str:
    messages = recent_user_messages(ctx.engine, ctx.conversation_id)
    return (
        f"Customer {customer_id} ({ctx.language}) asks for help; "
        f"order: {focus or 'none'}. Recent messages: " + " | ".join(messages)
    )[:2000]


class CustomerRules:
    """One turn of the rules strategy over the conversation's notes (``memory``)."""

    def __init__(
        self, profile: Profile, ctx: SessionContext, customer_id: int, memory: dict[str, Any]
    ) -> None:
        self.ctx, self.customer_id = ctx, customer_id
        self.calls = Calls(profile, ctx)
        self.focus: int | None = memory.get("focus_order_id")
        held = memory.get("awaiting")
        self.awaiting: dict[str, Any] | None = held
        self.pending: Pending | None = None
        self.warnings: list[str] = []

    @property
    def engine(self) -> Any:
        return self.ctx.engine

    def decide(self) -> Decision:
        reply = self._respond(self.ctx.message.strip(), self.ctx.language)
        memory = {"focus_order_id": self.focus, "awaiting": self.awaiting}
        return Decision(
            reply, tuple(self.calls.records), self.pending, memory, tuple(self.warnings)
        )

    def _call(
        self, tool: str, arguments: dict[str, Any], *, complaint: str | None = None
    ) -> dict[str, Any]:
        return self.calls.run(tool, arguments, complaint=complaint)

    def _respond(self, text: str, lang: str) -> str:
        if is_yes(text) or is_no(text):
            # A yes or no with nothing waiting (the gate answers those that have).
            return say(lang, "menu")
        reading = read_message(text)
        awaiting, self.awaiting = self.awaiting, None
        if reading.intent is None and awaiting is not None:
            reading = _merge(awaiting, reading)
        intent = reading.intent
        if intent is None:
            intent = self._guess(text)
            if intent not in TRUSTED_MODEL_INTENTS:
                return self._offer_colleague(lang, "unclear")
        if intent == "greeting":
            model = self.ctx.model
            friendly = friendly_sentence(model, text, self.warnings) if lang == "en" else None
            return f"{friendly} {say(lang, 'menu')}" if friendly else say(lang, "greeting")
        if intent == "human":
            return self._offer_colleague(lang, None)
        return self._order_request(intent, reading, text, lang)

    def _guess(self, text: str) -> str:
        if self.ctx.model is None:
            return "other"
        messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
        try:
            return choose(self.ctx.model, messages, INTENTS, field="intent")
        except LLMError as exc:
            # A model failure must not stop the conversation: a colleague takes over.
            self.warnings.append(str(exc))
            return "other"

    def _offer_colleague(self, lang: str, key: str | None) -> str:
        summary = handover_summary(self.ctx, self.customer_id, self.focus)
        arguments: dict[str, Any] = {"summary": summary, "order_id": self.focus}
        result = self._call("hand_over", arguments)
        if result["status"] != "needs_confirmation":
            arguments["order_id"] = None
        reply = say(lang, key) if key else confirm_reply(lang, "hand_over", result)
        self.pending = new_pending("hand_over", arguments, reply)
        return reply

    def _order_request(self, intent: str, reading: Reading, text: str, lang: str) -> str:
        order_id = self._order_for(intent, reading)
        if order_id is None:
            return self._ask_order(intent, reading, lang)
        self.focus = order_id
        if intent == "status":
            result = self._call("order_status", {"order_id": order_id})
            return (
                status_reply(lang, result)
                if result["status"] == "ok"
                else refusal_reply(lang, order_id, result)
            )
        if intent == "cancel":
            return self._propose("cancel_order", {"order_id": order_id}, lang)
        if intent == "change_address":
            return self._change_address(order_id, reading, lang)
        return self._compensate(order_id, reading, text, lang)

    def _propose(
        self, tool: str, arguments: dict[str, Any], lang: str, complaint: str | None = None
    ) -> str:
        result = self._call(tool, arguments, complaint=complaint)
        if result["status"] != "needs_confirmation":
            return refusal_reply(lang, arguments.get("order_id"), result)
        if tool == "cancel_order":
            arguments = {**arguments, "accepted_fee_minor": result["fee_minor"]}
        if tool == "request_compensation":
            arguments = {**arguments, "amount_minor": result["amount_minor"]}
        reply = confirm_reply(lang, tool, result)
        self.pending = new_pending(tool, arguments, reply, complaint)
        return reply

    def _change_address(self, order_id: int, reading: Reading, lang: str) -> str:
        coords = reading.coords
        if coords is None and reading.address:
            with Session(self.engine) as session:
                zone = lookup.zone_by_name(session, reading.address)
                if zone is not None:
                    coords = (zone.center_lat, zone.center_lon)
        if not reading.address or coords is None:
            self.awaiting = {
                "intent": "change_address",
                "reading": asdict(reading),
                "order_id": order_id,
            }
            return say(lang, "ask_address")
        arguments = {
            "order_id": order_id,
            "address": reading.address,
            "lat": coords[0],
            "lon": coords[1],
        }
        return self._propose("change_address", arguments, lang)

    def _compensate(self, order_id: int, reading: Reading, text: str, lang: str) -> str:
        arguments: dict[str, Any] = {
            "order_id": order_id,
            "reason": reading.complaint_reason or "late",
        }
        if reading.amount_minor is not None:
            arguments["amount_minor"] = reading.amount_minor
        result = self._call("request_compensation", arguments, complaint=text)
        if result.get("reason") == "over_cap":
            capped = {**arguments, "amount_minor": result["cap_minor"]}
            prefix = refusal_reply(lang, order_id, result)
            return prefix + self._propose("request_compensation", capped, lang, text)
        if result["status"] != "needs_confirmation":
            reply = refusal_reply(lang, order_id, result)
            if result.get("reason") == "not_delivered":
                status = self._call("order_status", {"order_id": order_id})
                reply = status_reply(lang, status) + " " + reply
            return reply
        return self._propose("request_compensation", arguments, lang, text)

    def _order_for(self, intent: str, reading: Reading) -> int | None:
        if reading.order_ids:
            return reading.order_ids[0]
        with Session(self.engine) as session:
            orders = lookup.open_orders(session, self.customer_id)
            if intent == "compensation" and (reading.arrived or not orders):
                # A complaint about food that came is about the last delivered order.
                order = lookup.latest_order(session, self.customer_id, "delivered")
                return order.id if order else None
            if self.focus is not None:
                return self.focus
            if len(orders) == 1:
                return orders[0].id
            if not orders and intent == "status":
                order = lookup.latest_order(session, self.customer_id)
                return order.id if order else None
        return None

    def _ask_order(self, intent: str, reading: Reading, lang: str) -> str:
        with Session(self.engine) as session:
            ids = [o.id for o in lookup.open_orders(session, self.customer_id)]
        if not ids:
            return say(lang, "no_orders")
        self.awaiting = {"intent": intent, "reading": asdict(reading), "order_id": None}
        return say(lang, "ask_order", ids=", ".join(str(i) for i in ids))


def _merge(awaiting: dict[str, Any], reading: Reading) -> Reading:
    """The held request, completed by what the new message adds (an order id, an address)."""
    held = _reading(awaiting["reading"])
    ids = reading.order_ids or held.order_ids
    if awaiting.get("order_id") is not None and not reading.order_ids:
        ids = (awaiting["order_id"],)
    return replace(
        held,
        intent=awaiting["intent"],
        order_ids=ids,
        address=reading.address or held.address or _plain_address(reading),
        coords=reading.coords or held.coords,
    )


def _plain_address(reading: Reading) -> str | None:
    # After "please send the new address", the whole next message may be just the address.
    text = reading.plain_text
    return text if len(text) >= 5 and not text.isdigit() else None
