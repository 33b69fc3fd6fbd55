"""The customer-service turn loop, a small explicit state graph on langchain-core messages.

Per turn: a pending write is confirmed or dropped; otherwise code reads the intent and
the order (the model is asked only when no pattern matched, under a grammar, and its
guess is trusted only for reads); tools run with the session's customer; the reply is
built from the tool results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agents.conversations import add_message, recent_user_messages, set_language, start_conversation
from agents.customer import lookup
from agents.customer.context import CustomerContext
from agents.customer.intents import INTENTS, Reading, read_message
from agents.customer.phrasing import friendly_sentence
from agents.customer.prompts import SYSTEM_PROMPT, say
from agents.customer.replies import confirm_reply, done_reply, refusal_reply, status_reply
from agents.customer.state import Awaiting, CustomerState, Pending, Turn
from agents.customer.tools import TOOLS
from agents.language import detect_language, is_no, is_yes
from agents.llm import ChatModel, LLMError, choose
from agents.tooling import ToolCallRecord, call_tool
from db.models import Customer

ORDER_INTENTS = ("status", "cancel", "change_address", "compensation")
# Intents the model may pick on its own: only chit-chat (on probes the 135M model called
# most messages "status"). Anything else it guesses gets the offer of a colleague.
TRUSTED_MODEL_INTENTS = ("greeting",)


class CustomerNotFoundError(LookupError):
    """The session names a customer the store does not have."""


class CustomerAgent:
    def __init__(
        self,
        engine: Engine,
        customer_id: int,
        *,
        model: ChatModel | None,
        clock: Callable[[], datetime],
    ) -> None:
        with Session(engine) as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise CustomerNotFoundError(f"customer_id: no customer {customer_id}")
            language = customer.language
        self.engine, self.customer_id, self.model, self.clock = engine, customer_id, model, clock
        self.state = CustomerState(language=language)
        self.conversation_id = start_conversation(
            engine, kind="customer", now=clock(), language=language, customer_id=customer_id
        )
        self._calls: list[ToolCallRecord] = []
        self._warnings: list[str] = []

    def handle(self, text: str) -> Turn:
        now = self.clock()
        lang = detect_language(text, self.state.language)
        if lang != self.state.language:
            set_language(self.engine, self.conversation_id, lang)
        self.state = replace(self.state, language=lang)
        add_message(self.engine, self.conversation_id, "user", text, now)
        self._calls, self._warnings = [], []
        reply = self._respond(text.strip(), lang, now)
        calls = tuple(self._calls)
        data = {
            "tool_calls": [c.as_json() for c in calls],
            "pending": self._pending_json(),
            "warnings": self._warnings,
        }
        add_message(self.engine, self.conversation_id, "assistant", reply, now, data)
        return Turn(reply=reply, tool_calls=calls, language=lang, warnings=tuple(self._warnings))

    def _pending_json(self) -> dict[str, Any] | None:
        pending = self.state.pending
        return None if pending is None else {"tool": pending.tool, "arguments": pending.arguments}

    def _call(
        self,
        tool: str,
        arguments: dict[str, Any],
        now: datetime,
        *,
        confirmed: bool = False,
        complaint: str | None = None,
    ) -> dict[str, Any]:
        context = CustomerContext(self.customer_id, now, self.conversation_id, complaint)
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

    def _respond(self, text: str, lang: str, now: datetime) -> str:
        pending = self.state.pending
        if pending is not None:
            self.state = replace(self.state, pending=None)
            if is_yes(text):
                result = self._call(
                    pending.tool,
                    pending.arguments,
                    now,
                    confirmed=True,
                    complaint=pending.complaint,
                )
                if result["status"] == "ok":
                    return done_reply(lang, pending.tool, result)
                return refusal_reply(lang, result.get("order_id"), result)
            if is_no(text):
                return say(lang, "declined")
        elif is_yes(text) or is_no(text):
            return say(lang, "menu")
        reading = read_message(text)
        awaiting = self.state.awaiting
        self.state = replace(self.state, awaiting=None)
        if reading.intent is None and awaiting is not None:
            reading = _merge(awaiting, reading)
        intent = reading.intent
        if intent is None:
            intent = self._guess(text)
            if intent not in TRUSTED_MODEL_INTENTS:
                return self._offer_colleague(lang, "unclear")
        if intent == "greeting":
            friendly = friendly_sentence(self.model, text, self._warnings) if lang == "en" else None
            return f"{friendly} {say(lang, 'menu')}" if friendly else say(lang, "greeting")
        if intent == "human":
            return self._offer_colleague(lang, None)
        return self._order_request(intent, reading, text, lang, now)

    def _guess(self, text: str) -> str:
        if self.model is None:
            return "other"
        messages = [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
        try:
            return choose(self.model, messages, INTENTS, field="intent")
        except LLMError as exc:
            # A model failure must not stop the conversation: a colleague takes over.
            self._warnings.append(str(exc))
            return "other"

    def _offer_colleague(self, lang: str, key: str | None) -> str:
        messages = recent_user_messages(self.engine, self.conversation_id)
        summary = (
            f"Customer {self.customer_id} ({self.state.language}) asks for help; "
            f"order: {self.state.focus_order_id or 'none'}. Recent messages: "
            + " | ".join(messages)
        )[:2000]
        arguments = {"summary": summary, "order_id": self.state.focus_order_id}
        result = self._call("hand_over", arguments, self.clock())
        if result["status"] != "needs_confirmation":
            arguments["order_id"] = None
        self.state = replace(self.state, pending=Pending("hand_over", arguments))
        return say(lang, key) if key else confirm_reply(lang, "hand_over", result)

    def _order_request(
        self, intent: str, reading: Reading, text: str, lang: str, now: datetime
    ) -> str:
        order_id = self._order_for(intent, reading)
        if order_id is None:
            return self._ask_order(intent, reading, lang)
        self.state = replace(self.state, focus_order_id=order_id)
        if intent == "status":
            result = self._call("order_status", {"order_id": order_id}, now)
            return (
                status_reply(lang, result)
                if result["status"] == "ok"
                else refusal_reply(lang, order_id, result)
            )
        if intent == "cancel":
            return self._propose("cancel_order", {"order_id": order_id}, lang, now)
        if intent == "change_address":
            return self._change_address(order_id, reading, lang, now)
        return self._compensate(order_id, reading, text, lang, now)

    def _propose(
        self,
        tool: str,
        arguments: dict[str, Any],
        lang: str,
        now: datetime,
        complaint: str | None = None,
    ) -> str:
        result = self._call(tool, arguments, now, complaint=complaint)
        if result["status"] != "needs_confirmation":
            return refusal_reply(lang, arguments.get("order_id"), result)
        if tool == "cancel_order":
            arguments = {**arguments, "accepted_fee_minor": result["fee_minor"]}
        if tool == "request_compensation":
            arguments = {**arguments, "amount_minor": result["amount_minor"]}
        self.state = replace(self.state, pending=Pending(tool, arguments, complaint))
        return confirm_reply(lang, tool, result)

    def _change_address(self, order_id: int, reading: Reading, lang: str, now: datetime) -> str:
        coords = reading.coords
        if coords is None and reading.address:
            with Session(self.engine) as session:
                zone = lookup.zone_by_name(session, reading.address)
                if zone is not None:
                    coords = (zone.center_lat, zone.center_lon)
        if not reading.address or coords is None:
            self.state = replace(self.state, awaiting=Awaiting("change_address", reading, order_id))
            return say(lang, "ask_address")
        arguments = {
            "order_id": order_id,
            "address": reading.address,
            "lat": coords[0],
            "lon": coords[1],
        }
        return self._propose("change_address", arguments, lang, now)

    def _compensate(
        self, order_id: int, reading: Reading, text: str, lang: str, now: datetime
    ) -> str:
        arguments: dict[str, Any] = {
            "order_id": order_id,
            "reason": reading.complaint_reason or "late",
        }
        if reading.amount_minor is not None:
            arguments["amount_minor"] = reading.amount_minor
        result = self._call("request_compensation", arguments, now, complaint=text)
        if result.get("reason") == "over_cap":
            capped = {**arguments, "amount_minor": result["cap_minor"]}
            prefix = refusal_reply(lang, order_id, result)
            return prefix + self._propose("request_compensation", capped, lang, now, text)
        if result["status"] != "needs_confirmation":
            reply = refusal_reply(lang, order_id, result)
            if result.get("reason") == "not_delivered":
                status = self._call("order_status", {"order_id": order_id}, now)
                reply = status_reply(lang, status) + " " + reply
            return reply
        return self._propose("request_compensation", arguments, lang, now, text)

    def _order_for(self, intent: str, reading: Reading) -> int | None:
        if reading.order_ids:
            return reading.order_ids[0]
        with Session(self.engine) as session:
            orders = lookup.open_orders(session, self.customer_id)
            if intent == "compensation" and (reading.arrived or not orders):
                # A complaint about food that came is about the last delivered order.
                order = lookup.latest_order(session, self.customer_id, "delivered")
                return order.id if order else None
            if self.state.focus_order_id is not None:
                return self.state.focus_order_id
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
        self.state = replace(self.state, awaiting=Awaiting(intent, reading))
        return say(lang, "ask_order", ids=", ".join(str(i) for i in ids))


def _merge(awaiting: Awaiting, reading: Reading) -> Reading:
    """The held request, completed by what the new message adds (an order id, an address)."""
    held = awaiting.reading
    ids = reading.order_ids or held.order_ids
    if awaiting.order_id is not None and not reading.order_ids:
        ids = (awaiting.order_id,)
    return replace(
        held,
        intent=awaiting.intent,
        order_ids=ids,
        address=reading.address or held.address or _plain_address(reading),
        coords=reading.coords or held.coords,
    )


def _plain_address(reading: Reading) -> str | None:
    # After "please send the new address", the whole next message may be just the address.
    text = reading.plain_text
    return text if len(text) >= 5 and not text.isdigit() else None
