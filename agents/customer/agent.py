"""The customer-service agent: its profile for the runtime, and the agent people talk to.

Identity is the session's: the customer (and the order of a tracking link), never a
value the model chooses. Whichever strategy decides, every write waits at the gate for
the customer's "yes", and its confirmation is built by code from the tool's preview.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agents.conversations import start_conversation, thread_of
from agents.customer import lookup
from agents.customer.context import CustomerContext
from agents.customer.intents import names_another_write
from agents.customer.prompts import SMALL_TALK_PROMPT, SYSTEM_PROMPT, TOOLS_PROMPT, say
from agents.customer.replies import confirm_reply, done_reply, refusal_reply
from agents.customer.rules import CustomerRules, Who, handover_summary, pin_text
from agents.customer.tools import TOOLS
from agents.language import is_yes
from agents.llm import ChatModel
from agents.runtime import (
    AgentSession,
    Decision,
    Pending,
    SessionContext,
    Strategy,
    ToolMode,
    Turn,
    new_pending,
)
from agents.runtime.profile import Calls
from agents.runtime.state import AgentState
from agents.tooling import Tool
from db.domain.rules import CITY_TIMEZONE
from db.models import Customer
from routing.travel.geocode import Geocoder

MAX_REPLY_CHARS = 600
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
_TAGS = re.compile(r"</?\w+_tool_call>|<\|[^|]*\|>")


class CustomerNotFoundError(LookupError):
    """The session names a customer the store does not have."""


@dataclass(frozen=True)
class CustomerIdentity:
    customer_id: int
    order_id: int | None = None  # the order a tracking link was signed for


def _identity(ctx: SessionContext) -> CustomerIdentity:
    identity = ctx.identity
    assert isinstance(identity, CustomerIdentity)
    return identity


@dataclass(frozen=True)
class CustomerProfile:
    search: Geocoder | None = None  # a geocoding endpoint beside the places the store knows
    auto_approve_minor: int = 2_000  # a late payout up to this is granted without a person
    timezone: str = CITY_TIMEZONE
    kind: str = "customer"
    model_tools: tuple[str, ...] = (
        "list_orders",
        "order_status",
        "cancel_order",
        "change_address",
        "request_compensation",
        "hand_over",
    )

    @property
    def tools(self) -> dict[str, Tool]:
        return TOOLS

    def actor(self, ctx: SessionContext) -> str:
        return f"agent:customer:{_identity(ctx).customer_id}"

    def tool_context(self, ctx: SessionContext, complaint: str | None) -> CustomerContext:
        identity = _identity(ctx)
        if complaint is not None and ctx.location is not None:
            complaint = f"{complaint} {pin_text(ctx.location)}"
        return CustomerContext(
            identity.customer_id,
            ctx.now,
            ctx.conversation_id,
            complaint,
            link_order_id=identity.order_id,
            search=self.search,
            auto_approve_minor=self.auto_approve_minor,
            timezone=self.timezone,
        )

    def rules(self, state: AgentState, ctx: SessionContext) -> Decision:
        identity = _identity(ctx)
        who = Who(identity.customer_id, identity.order_id)
        memory = state.get("memory") or {}
        rules = CustomerRules(self, ctx, who, memory, self.search, state.get("dropped"))
        return rules.decide()

    def system_prompt(self, ctx: SessionContext) -> str:
        identity = _identity(ctx)
        prompt = TOOLS_PROMPT.format(language=LANGUAGE_NAMES.get(ctx.language, "English"))
        if identity.order_id is not None:
            prompt += (
                f" The customer is asking from the tracking page of order {identity.order_id}."
            )
        with Session(ctx.engine) as session:
            orders = lookup.open_orders(session, identity.customer_id)
        listed = ", ".join(f"{o.id} ({o.status})" for o in orders[:5])
        return prompt + f" The customer's open orders: {listed or 'none'}."

    def proposal(
        self,
        ctx: SessionContext,
        name: str,
        arguments: dict[str, Any],
        result: dict[str, Any],
        complaint: str | None,
    ) -> Pending | None:
        tool = TOOLS.get(name)
        if tool is None or not tool.writes:
            return None
        # What runs on "yes" is what the tool previewed, not what the model asked for.
        if name == "cancel_order":
            args = {"order_id": result["order_id"], "accepted_fee_minor": result["fee_minor"]}
        elif name == "change_address":
            args = {**arguments, "order_id": result["order_id"], "address": result["address"]}
        elif name == "request_compensation":
            args = {
                "order_id": result["order_id"],
                "reason": result["complaint_reason"],
                "amount_minor": result["amount_minor"],
            }
        else:
            args = {"summary": arguments["summary"], "order_id": result.get("order_id")}
        prompt = confirm_reply(ctx.language, name, result)
        return new_pending(name, args, prompt, complaint)

    def final(self, ctx: SessionContext, text: str) -> str:
        cleaned = _TAGS.sub("", text).strip()
        leaked = any(p[:40] in cleaned for p in (SYSTEM_PROMPT, SMALL_TALK_PROMPT, TOOLS_PROMPT))
        if not cleaned or leaked:
            return say(ctx.language, "menu")
        return cleaned[:MAX_REPLY_CHARS]

    def done(self, ctx: SessionContext, pending: Pending, result: dict[str, Any]) -> str:
        if result.get("status") == "ok":
            return done_reply(ctx.language, pending["tool"], result)
        return refusal_reply(ctx.language, result.get("order_id"), result)

    def again(
        self, ctx: SessionContext, pending: Pending, result: dict[str, Any]
    ) -> Pending | None:
        return None

    def confirms(self, pending: Pending, answer: str) -> bool:
        return is_yes(answer) and not names_another_write(pending["tool"], answer)

    def declined(self, ctx: SessionContext, pending: Pending) -> str:
        return say(ctx.language, "declined")

    def give_up(self, ctx: SessionContext, state: AgentState) -> Decision:
        identity = _identity(ctx)
        summary = handover_summary(ctx, identity.customer_id, identity.order_id)
        reply = say(ctx.language, "give_up")
        return Decision(reply, pending=new_pending("hand_over", {"summary": summary}, reply))

    def unavailable(self, ctx: SessionContext, error: str) -> Decision:
        identity = _identity(ctx)
        summary = handover_summary(ctx, identity.customer_id, identity.order_id)
        calls = Calls(self, ctx)
        # No yes is asked for: the customer cannot be served now, and a person should know.
        result = calls.run(
            "hand_over",
            {"summary": f"The assistant could not answer ({error[:300]}). {summary}"[:2000]},
            confirmed=True,
        )
        if result.get("status") == "ok":
            reply = say(ctx.language, "unavailable", ticket_id=result["ticket_id"])
        else:
            reply = say(ctx.language, "unavailable_no_ticket")
        return Decision(reply, tuple(calls.records), warnings=(error,), error=error)


class CustomerAgent:
    """A conversation with one customer; ``conversation_id`` continues a stored one."""

    def __init__(
        self,
        engine: Engine,
        customer_id: int,
        *,
        model: ChatModel | None,
        clock: Callable[[], datetime],
        strategy: Strategy = Strategy.rules,
        tool_mode: ToolMode = ToolMode.native,
        order_id: int | None = None,
        conversation_id: int | None = None,
        search: Geocoder | None = None,
        auto_approve_minor: int = 2_000,
        timezone: str = CITY_TIMEZONE,
    ) -> None:
        with Session(engine) as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise CustomerNotFoundError(f"customer_id: no customer {customer_id}")
            language = customer.language
        if conversation_id is None:
            conversation_id = start_conversation(
                engine, kind="customer", now=clock(), language=language, customer_id=customer_id
            )
        self.conversation_id = conversation_id
        self.session = AgentSession(
            engine=engine,
            profile=CustomerProfile(search, auto_approve_minor, timezone),
            conversation_id=conversation_id,
            thread_id=thread_of(engine, conversation_id),
            identity=CustomerIdentity(customer_id, order_id),
            strategy=strategy,
            model=model,
            clock=clock,
            language=language,
            tool_mode=tool_mode,
        )

    def handle(self, text: str, location: tuple[float, float] | None = None) -> Turn:
        """One customer message; ``location`` is a pin the customer shared with it."""
        return self.session.handle(text, location)
