"""The customer agent's ``rules`` strategy: code reads the message, tools answer.

Each clause's intent comes from ``intents`` (a trained model with a few firm cues); the
order from what the customer named, the tracking link's order, the order just discussed,
or the only one open, never a guess between several. Every question in a message is
answered; of several writes the first is proposed (a person last) and the others named
for later. A write
is only proposed: the session's gate asks for the yes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from sqlalchemy.orm import Session

from agents.conversations import recent_user_messages
from agents.customer import lookup
from agents.customer.intents import (
    INTENTS,
    READS,
    WRITES,
    Reading,
    Request,
    complains_late,
    names_another_write,
    read_message,
    unclear_complaint,
)
from agents.customer.phrasing import friendly_sentence
from agents.customer.places import geocoder_for
from agents.customer.prompts import SYSTEM_PROMPT, WHAT, money, say
from agents.customer.replies import confirm_reply, refusal_reply, status_reply
from agents.language import is_no, is_yes
from agents.llm import LLMError, choose
from agents.pinyin import is_pinyin, to_hanzi
from agents.runtime import Decision, Pending, SessionContext, new_pending
from agents.runtime.profile import Calls, Profile
from db.domain.status import OrderStatus
from db.models import Order
from routing.travel.geocode import Geocoder, GeocoderError

# Intents the model may pick on its own: only chit-chat (on probes the 135M model called
# most messages "status"). Anything else it guesses gets the offer of a colleague.
TRUSTED_MODEL_INTENTS = ("greeting",)
# Refusals that show the order is the customer's (so "it" may mean it from now on).
_NOT_THEIRS = ("not_found", "other_link", "invalid_arguments")


@dataclass(frozen=True)
class Who:
    customer_id: int
    link_order_id: int | None = None


def handover_summary(ctx: SessionContext, customer_id: int, focus: int | None) -> str:
    messages = recent_user_messages(ctx.engine, ctx.conversation_id)
    return (
        f"Customer {customer_id} ({ctx.language}) asks for help; "
        f"order: {focus or 'none'}. Recent messages: " + " | ".join(messages)
    )[:2000]


def pin_text(location: tuple[float, float]) -> str:
    return f"[shared location ({location[0]:.6f}, {location[1]:.6f})]"


class CustomerRules:
    """One turn of the rules strategy over the conversation's notes (``memory``)."""

    def __init__(
        self,
        profile: Profile,
        ctx: SessionContext,
        who: Who,
        memory: dict[str, Any],
        search: Geocoder | None = None,
        dropped: Pending | None = None,
    ) -> None:
        self.ctx, self.who, self.search, self.dropped = ctx, who, search, dropped
        self.calls = Calls(profile, ctx)
        # Pinyin is read as the characters it spells ("quxiao dingdan": 取消订单).
        self.message = to_hanzi(ctx.message) if is_pinyin(ctx.message) else ctx.message
        self.focus: int | None = memory.get("focus_order_id")
        self.awaiting: dict[str, Any] | None = memory.get("awaiting")
        self.last_refusal: str | None = memory.get("last_refusal")
        self.refused: str | None = None
        self.pending: Pending | None = None
        self.warnings: list[str] = []

    @property
    def lang(self) -> str:
        return self.ctx.language

    def decide(self) -> Decision:
        reply = self._respond(self.message.strip())
        memory = {
            "focus_order_id": self.focus,
            "awaiting": self.awaiting,
            "last_refusal": self.refused,
        }
        return Decision(
            reply, tuple(self.calls.records), self.pending, memory, tuple(self.warnings)
        )

    def _call(
        self, tool: str, arguments: dict[str, Any], *, complaint: str | None = None
    ) -> dict[str, Any]:
        result = self.calls.run(tool, arguments, complaint=complaint)
        if result.get("status") == "refused":
            self.refused = refusal_reply(self.lang, arguments.get("order_id"), result)
        order_id = arguments.get("order_id")
        if order_id is not None and result.get("reason") not in _NOT_THEIRS:
            self.focus = int(order_id)
        return result

    # -- reading the message -------------------------------------------------------------

    def _respond(self, text: str) -> str:
        link = self.who.link_order_id
        if link is not None and _OTHER_ORDER.search(text):
            return self._other_than_link(link)
        reading = read_message(text)
        held, self.awaiting = self.awaiting, None
        requests = list(reading.requests)
        if held is not None and _continues(held, reading, self.ctx.location is not None):
            requests = [Request(held["intent"], text)]
        again = self._dropped_again(reading, requests)
        if again is not None:
            return again
        if unclear_complaint(reading, text):
            requests = [Request("compensation", text)]
        if self.ctx.location is not None and {r.intent for r in requests} <= _PIN_ALONE:
            # A shared location with no other request is where the food should go now.
            requests = [Request("change_address", text)]
        intents = [r.intent for r in requests]
        if intents in (["yes"], ["no"]) and not (is_yes(text) or is_no(text)):
            intents = ["other"]  # the model's yes or no, not the customer's words
        if not intents or (set(intents) <= {"greeting", "other"} and "other" in intents):
            return self._unclear(text)
        if intents in (["yes"], ["no"]):
            # A yes or no with nothing waiting (the gate answers those that have): after a
            # refusal it hears the refusal again, rather than a menu.
            self.refused = self.last_refusal
            return self.last_refusal or say(self.lang, "menu")
        if intents == ["greeting"]:
            return self._greet(text)
        reads = [r for r in requests if r.intent in READS]
        if any(r.intent == "keep" for r in reads):
            reads = [r for r in reads if r.intent != "status"]  # "kept" says the status too
        writes = _in_turn(requests, text)
        parts = [self._read(r, reading) for r in reads]
        # The first write that can be proposed is; one the policy refuses gives way to the
        # next ("compensation? not for that order. Shall I get a colleague?").
        taken = 0
        while taken < len(writes) and self.pending is None and self.awaiting is None:
            parts.append(self._write(writes[taken], reading, text, held))
            taken += 1
        for later in writes[taken:]:
            parts.append(say(self.lang, "later", what=WHAT[self.lang][later.intent]))
        reply = " ".join(p for p in parts if p).strip() or say(self.lang, "menu")
        if self.dropped is not None and is_no(text):
            reply = f"{say(self.lang, 'declined')} {reply}"
        return reply

    def _dropped_again(self, reading: Reading, requests: list[Request]) -> str | None:
        """A message that set a proposed write aside but still means it: a new place for
        the address ("no wait, Raffles City"), or a question before the yes ("how much
        is the fee?"), which is answered and the write asked about again."""
        dropped = self.dropped
        if dropped is None:
            return None
        intents = {r.intent for r in requests} - {"other", "greeting", "no", "yes"}
        if dropped["tool"] == "cancel_order" and _FEE.search(self.message):
            intents = (intents - {"status", "cancel"}) | {"cancel_info"}
        order_id = dropped["arguments"].get("order_id")
        if dropped["tool"] == "change_address" and intents <= {"change_address", "status", "keep"}:
            # "算了还是上海中心吧": back to a place named before is still an address.
            place = reading.coords or self.ctx.location or self._locate(self.message)
            if place is not None and order_id is not None:
                return self._change_address(int(order_id), reading, self.message, None)
        # A question about the write itself ("how much is the fee?") is answered, and the
        # write asked about again; any other question leaves it dropped.
        haggles = reading.amount_minor or _HAGGLE.search(self.message)
        if dropped["tool"] == "request_compensation" and order_id and haggles:
            # Haggling over the offer: the cap stands, and is offered again.
            if reading.amount_minor:
                said = f"{dropped['complaint'] or ''} | {self.message}"
                return self._compensate(int(order_id), reading, said)
            args = {k: v for k, v in dropped["arguments"].items() if k != "amount_minor"}
            again = self._propose("request_compensation", args, dropped["complaint"])
            return say(self.lang, "no_more") + again
        if dropped["tool"] == "cancel_order" and "cancel_info" in intents and order_id:
            answer = self._cancel_info(int(order_id))
            return f"{answer} {self._propose('cancel_order', {'order_id': order_id})}"
        if dropped["tool"] == "change_address" and _FEE.search(self.message) and order_id:
            # "is there an extra charge for that?": none; the same change is asked again.
            again = self._propose(
                "change_address", dict(dropped["arguments"]), dropped["complaint"]
            )
            return f"{say(self.lang, 'address_free')} {again}"
        return None

    def _other_than_link(self, link: int) -> str:
        """A tracking link's chat asked about the customer's other order: it is out of reach
        here, whatever is asked of it."""
        with Session(self.ctx.engine) as session:
            others = [o.id for o in lookup.open_orders(session, self.who.customer_id)]
        others = [i for i in others if i != link]
        named = ", ".join(str(i) for i in others) if others else "?"
        return say(self.lang, "other_link", order_id=named, link_order_id=link)

    def _unclear(self, text: str) -> str:
        intent = self._guess(text)
        if intent in TRUSTED_MODEL_INTENTS:
            return self._greet(text)
        return self._offer_colleague("unclear")

    def _greet(self, text: str) -> str:
        model = self.ctx.model
        friendly = friendly_sentence(model, text, self.warnings) if self.lang == "en" else None
        return f"{friendly} {say(self.lang, 'menu')}" if friendly else say(self.lang, "greeting")

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

    # -- which order ---------------------------------------------------------------------

    def _order_for(self, request: Request, reading: Reading) -> int | None:
        named = read_message(request.clause).order_ids or reading.order_ids
        if named:
            return named[0]
        with Session(self.ctx.engine) as session:
            orders = lookup.open_orders(session, self.who.customer_id)
            if self.who.link_order_id is not None:
                return self.who.link_order_id
            if reading.which and len(orders) >= 2:
                return _pick(orders, reading.which)
            if request.intent == "compensation" and (reading.arrived or not orders):
                # A complaint about food that came is about the last delivered order.
                order = lookup.latest_order(session, self.who.customer_id, OrderStatus.DELIVERED)
                return order.id if order else None
            if self.focus is not None:
                return self.focus
            if len(orders) == 1:
                return orders[0].id
            if not orders and request.intent in ("status", "address_query", "keep"):
                order = lookup.latest_order(session, self.who.customer_id)
                return order.id if order else None
        return None

    def _ask_order(self, intent: str, said: str) -> str:
        with Session(self.ctx.engine) as session:
            ids = [o.id for o in lookup.open_orders(session, self.who.customer_id)]
        if not ids:
            return say(self.lang, "no_orders")
        self.awaiting = {"intent": intent, "order_id": None, "said": said}
        return say(self.lang, "ask_order", ids=", ".join(str(i) for i in ids))

    # -- questions -----------------------------------------------------------------------

    def _read(self, request: Request, reading: Reading) -> str:
        if request.intent == "status" and reading.every and not reading.order_ids:
            with Session(self.ctx.engine) as session:
                ids = [o.id for o in lookup.open_orders(session, self.who.customer_id)]
            if len(ids) >= 2 and self.who.link_order_id is None:
                return " ".join(self._status(i, request, reading) for i in ids)
        order_id = self._order_for(request, reading)
        if order_id is None:
            return self._ask_order(request.intent, request.clause)
        if request.intent == "cancel_info":
            return self._cancel_info(order_id)
        result = self._call("order_status", {"order_id": order_id})
        if result["status"] != "ok":
            return refusal_reply(self.lang, order_id, result)
        if request.intent == "address_query":
            return say(
                self.lang, "address_is", order_id=order_id, address=result["dropoff_address"]
            )
        delivered = result["order_status"] == OrderStatus.DELIVERED
        if request.intent == "status" and delivered and complains_late(self.message):
            # "it took an hour!!" about food that came late is a complaint.
            return self._compensate(order_id, reading, self.message)
        reply = status_reply(self.lang, result)
        if request.intent == "keep":
            reply = say(self.lang, "kept", order_id=order_id) + " " + reply
        return reply

    def _status(self, order_id: int, request: Request, reading: Reading) -> str:
        result = self._call("order_status", {"order_id": order_id})
        if result["status"] != "ok":
            return refusal_reply(self.lang, order_id, result)
        return status_reply(self.lang, result)

    def _cancel_info(self, order_id: int) -> str:
        result = self._call("cancel_order", {"order_id": order_id})
        if result["status"] != "needs_confirmation":
            return refusal_reply(self.lang, order_id, result)
        fee = result["fee_minor"]
        if fee:
            return say(self.lang, "cancel_info_fee", order_id=order_id, fee=money(self.lang, fee))
        return say(self.lang, "cancel_info_free", order_id=order_id)

    # -- writes --------------------------------------------------------------------------

    def _write(
        self, request: Request, reading: Reading, text: str, held: dict[str, Any] | None
    ) -> str:
        said = text if held is None else f"{held.get('said', '')} | {text}"
        if request.intent == "human":
            return self._offer_colleague(None)
        order_id = self._order_for(request, reading)
        if order_id is None and held is not None:
            order_id = held.get("order_id")
        if order_id is None:
            return self._ask_order(request.intent, said)
        if request.intent == "cancel":
            return self._propose("cancel_order", {"order_id": order_id})
        if request.intent == "change_address":
            return self._change_address(order_id, reading, said, held)
        return self._compensate(order_id, reading, said)

    def _offer_colleague(self, key: str | None) -> str:
        summary = handover_summary(self.ctx, self.who.customer_id, self.focus)
        arguments: dict[str, Any] = {"summary": summary, "order_id": self.focus}
        result = self.calls.run("hand_over", arguments)
        if result["status"] != "needs_confirmation":
            arguments["order_id"] = None
        reply = say(self.lang, key) if key else confirm_reply(self.lang, "hand_over", result)
        self.pending = new_pending("hand_over", arguments, reply)
        return reply

    def _propose(self, tool: str, arguments: dict[str, Any], complaint: str | None = None) -> str:
        result = self._call(tool, arguments, complaint=complaint)
        if result["status"] != "needs_confirmation":
            return refusal_reply(self.lang, arguments.get("order_id"), result)
        if tool == "cancel_order":
            arguments = {**arguments, "accepted_fee_minor": result["fee_minor"]}
        if tool == "request_compensation":
            arguments = {**arguments, "amount_minor": result["amount_minor"]}
        reply = confirm_reply(self.lang, tool, result)
        self.pending = new_pending(tool, arguments, reply, complaint)
        return reply

    def _change_address(
        self, order_id: int, reading: Reading, said: str, held: dict[str, Any] | None
    ) -> str:
        pin = reading.coords or self.ctx.location
        address = reading.address or (held or {}).get("address")
        asked_address = held is not None and held.get("order_id") is not None
        if address is None and asked_address and not (reading.which or reading.order_ids):
            # Asked for the new address, the whole answer may be just that (an answer to
            # "which order?" is not an address).
            address = reading.plain_text if len(reading.plain_text) >= 3 else None
        if pin is not None:
            arguments = {
                "order_id": order_id,
                "address": address or f"{say(self.lang, 'pinned')} ({pin[0]:.5f}, {pin[1]:.5f})",
                "lat": pin[0],
                "lon": pin[1],
            }
            return self._propose("change_address", arguments, f"{said} {pin_text(pin)}")
        place = self._locate(f"{address or ''} | {self.message}")
        if place is not None:
            text = place
            if address and address != place:
                text = address if self._locate(address) is not None else f"{address}, {place}"
            return self._propose("change_address", {"order_id": order_id, "address": text})
        self.awaiting = {
            "intent": "change_address",
            "order_id": order_id,
            "address": address,
            "said": said,
        }
        if address:
            return say(self.lang, "ask_location", address=address)
        return say(self.lang, "ask_address")

    def _locate(self, text: str) -> str | None:
        with Session(self.ctx.engine) as session:
            geocoder = geocoder_for(session, self.who.customer_id, self.search)
            try:
                place = geocoder.locate(text)
            except GeocoderError as exc:
                self.warnings.append(str(exc))
                return None
        return None if place is None else place.name

    def _compensate(self, order_id: int, reading: Reading, said: str) -> str:
        arguments: dict[str, Any] = {
            "order_id": order_id,
            "reason": reading.complaint_reason or "late",
        }
        if reading.amount_minor is not None:
            arguments["amount_minor"] = reading.amount_minor
        result = self._call("request_compensation", arguments, complaint=said)
        if result.get("reason") == "over_cap":
            capped = {**arguments, "amount_minor": result["cap_minor"]}
            prefix = refusal_reply(self.lang, order_id, result)
            return prefix + self._propose("request_compensation", capped, said)
        if result["status"] != "needs_confirmation":
            reply = refusal_reply(self.lang, order_id, result)
            if result.get("reason") == "not_delivered":
                status = self._call("order_status", {"order_id": order_id})
                if status["status"] == "ok":
                    reply = status_reply(self.lang, status) + " " + reply
            return reply
        return self._propose("request_compensation", arguments, said)


_HAGGLE = re.compile(
    r"\b(?:not enough|more|too little|too low|only|that's it|is that all|full refund)\b|"
    r"不够|太少|至少|就这么点|才这么|全额|多赔",
    re.I,
)
_PIN_ALONE = {"other", "greeting", "yes", "status", "change_address", "address_query"}
_FEE = re.compile(
    r"\bfee|charge|cost|how much|pay|free\b|多少钱|扣多少|收费|扣钱|费用|要钱|手续费|扣费|违约金",
    re.I,
)
# "my other order" from a tracking link's chat: not the order the link is for.
_OTHER_ORDER = re.compile(
    r"\b(?:my )?other (?:order|one)\b|\banother order\b|"
    r"另一个订单|另一单|另外那单|另外一单|另外一个订单|别的订单|其他订单|另一个单",
    re.I,
)


def _in_turn(requests: list[Request], text: str) -> list[Request]:
    """The writes asked for, one per kind, in the order they are taken up: what the agent
    can do itself first and a person after, unless the customer only described a problem
    ("my tea was missing, get me a human"), which is the person's to judge."""
    writes = list({r.intent: r for r in reversed(requests) if r.intent in WRITES}.values())
    writes.reverse()
    named = names_another_write("hand_over", text)
    return sorted(writes, key=lambda r: (r.intent == "human") == named)


def _continues(held: dict[str, Any], reading: Reading, located: bool = False) -> bool:
    """Whether the message completes the held request (an order id, an address, a pin)
    rather than asking for something new."""
    intents = set(reading.intents) - {"other", "greeting", "yes"}
    if held["intent"] == "change_address":
        if reading.coords or located:
            return True
        if intents - {"change_address"}:
            return False
        return bool(reading.address or reading.coords or reading.plain_text)
    if reading.order_ids or reading.which:
        # "the older one", "8553": naming the order completes the request, unless the
        # message asks for another write.
        return not (intents & set(WRITES)) - {held["intent"]}
    return not intents - {held["intent"], "status"} and not intents


def _pick(orders: list[Order], which: str) -> int:
    """One of several open orders by how the customer described it."""
    if which == "cooking":
        cooking = [o for o in orders if o.status in (OrderStatus.PLACED, OrderStatus.CONFIRMED)]
        if len(cooking) == 1:
            return cooking[0].id
    if which == "riding":
        riding = [o for o in orders if o.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP)]
        if len(riding) == 1:
            return riding[0].id
    ordered = sorted(orders, key=lambda o: (o.placed_at, o.id))
    return ordered[0].id if which in ("older", "cooking") else ordered[-1].id
