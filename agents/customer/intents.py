"""What a customer message asks for: each clause's intent, and the ids, amounts and places.

A message is cut into clauses ("where is it? and cancel the other one"); each clause's
intent comes from the trained model (``classifier``), with a few unambiguous cues taking
precedence ("don't cancel" is never a cancel). A change of mind later in the message
("cancel it... no wait, keep it") takes back the write before it, and a "yes" inside a
request confirms nothing. Everything here is linear in the message, which is cut at
``MAX_READ`` characters anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.customer.classifier import Guess, classify
from agents.language import fold
from agents.pinyin import is_pinyin, to_hanzi

INTENTS = ("status", "cancel", "change_address", "compensation", "human", "greeting", "other")
WRITES = ("cancel", "change_address", "compensation", "human")
READS = ("status", "address_query", "cancel_info", "keep")
MAX_READ = 2_000

_SPLIT = re.compile(
    r"[.!?。！？;；\n]+|[,，、](?!\s*\d)|"
    r"\b(?:and also|and then|also|plus|but|then|and|btw|by the way|oh and)\b|"
    r"另外|还有|顺便|然后|而且|但是|不过|并且|"
    # Chinese writers separate clauses with a space ("等等 还是不取消了 改送到国金中心吧").
    r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])",
    re.I,
)
# Back to a cancel after taking it back ("不行还是取消", "no, cancel it after all").
_CANCEL_AFTER_ALL = re.compile(
    r"\bcancel (?:it )?after all\b|\bactually cancel\b|还是取消|还是退了|还是不要了", re.I
)
_KEEP = re.compile(
    r"\b(?:keep (?:it|the order|my order)|don'?t cancel|do not cancel|dont cancel|no need to "
    r"cancel|not cancel)\b|别取消|不取消|不要取消|先别取消|不用取消|还是要",
    re.I,
)
_ORDER_ID = re.compile(
    r"(?:order|订单|单号|单)\s*(?:number|no\.?|id)?\s*[#:：]?\s*(\d{1,8})|#\s*(\d{1,8})|"
    r"(\d{1,8})\s*号?(?:订单|单)|"
    r"(?<![\d.:])(\d{4,8})(?![\d.:]|\s*(?:yuan|元|块|rmb|cny|min|分钟|分|mins|minutes|号楼|室))",
    re.I,
)
_BARE_ID = re.compile(r"^\s*#?(\d{3,8})\s*[.!?。]?\s*$")
_AMOUNT = re.compile(
    r"(?:¥|￥|cny|rmb)\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:yuan|元|块|cny|rmb|rmb)",
    re.I,
)
_COORDS = re.compile(r"\(?\s*(-?\d{1,2}\.\d+)\s*[,，]\s*(-?\d{1,3}\.\d+)\s*\)?")
_ADDRESS = re.compile(
    r"(?:\baddress\b[^,，。]{0,40}?\b(?:to|is)\b|\bdeliver(?:ed|y)?(?: it)?(?: instead)? to\b|"
    r"\bsend (?:it|them|the food|my order)?(?: instead)? to\b|\bbring (?:it )?to\b|"
    r"\bdrop.?off (?:at|to)\b|\bchange (?:it )?to\b|\bmove (?:it )?to\b|"
    r"地址改[为成到]?|改地址[为成到]?|地址换[成到]?|换地址[为成到]?|改送到?|改到|改成|换到|送到(?![了没吗])|送去|"
    r"新地址[是为]?)\s*[:：]?\s*(.{2,200})",
    re.I,
)
# Where an address ends: a sentence's end, a Chinese comma, or a comma that starts a new
# request (an English address keeps its commas: "No. 5 Century Avenue, Lujiazui").
_ADDRESS_END = re.compile(
    r"[!?。！？\n；;]|\.(?=\s+[a-z]|\s*$)|，|、|然后|顺便|还有|另外|吗|呢|"
    r",\s*(?=(?:and|then|also|when|what|how|where|can|could|pls|please|thanks|i)\b)|"
    r"\s+(?:instead|please|pls|thanks|asap|now)\b",
    re.I,
)
# Clauses that say who the writer claims to be: a claim is not a request, and the
# tools act for the signed-in customer whatever it says.
_CLAIM = re.compile(
    r"\b(?:i am|i'm|im|this is)\s+(?:the |a |an |your )?(?:[a-z]+\s+){0,2}"
    r"(?:courier|rider|driver|staff|admin|manager|support|customer service|employee|agent|ops|"
    r"operator|customer \d+|owner)\b|"
    r"我是(?:平台|你们的?|骑手|客服|管理员|员工|经理|店主|商家)|工号",
    re.I,
)
_HUMAN = re.compile(
    r"\b(?:human|real person|person|someone|agent|representative|manager|supervisor|operator|"
    r"staff|somebody|colleague)\b|人工|真人|客服|经理|主管|找人|转接",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:change|switch|move|send|deliver|bring|update|redirect)\b|改|换|送到|送去", re.I
)
_CONFIRM = re.compile(r"\b(?:i confirm|confirmed|go ahead|do it)\b|确认|确定", re.I)
_BOTH = re.compile(
    r"\b(?:both|all|each|every one)\b.{0,30}\border|\borders\b|"
    r"两单|两个订单|都到|分别|每一单|所有订单",
    re.I,
)
_ARRIVED = re.compile(
    r"arrived|delivered|came|got (it|my)|received|last order|previous order|finally here|"
    r"送到了|到了|送达|收到|上一单|刚到",
    re.I,
)
_WRONG = re.compile(
    r"wrong|missing|incorrect|not what i ordered|forgot|spilled|spilt|damaged|送错|错了|少了|漏了|"
    r"不对|没给|洒了|撒了",
    re.I,
)
_OLDER = (
    r"\b(older|earlier|first|previous|other)\b|之前|早的|第一|另一|先下|早点|早下|先点|最早|较早"
)
_RIDING = (
    r"\b(?:has|have|got|with) (?:a |the )?(?:driver|courier|rider)|already (?:has|got) (?:a|the)|"
    r"on (?:its|the) way|being delivered|out for delivery|(?<!没)(?<!没有)(?:有骑手|骑手接)|已经派|"
    r"在路上|在送"
)
_COOKING = (
    r"still (?:being )?(?:cook|prepar|made)|cooking|preparing|no (?:driver|courier|rider) yet|"
    r"without a (?:driver|courier|rider)|还在做|备餐|在做|没骑手|没有骑手|还没派|没人接"
)
_NEWER = (
    r"\b(newer|newest|latest|last|recent|second)\b|新的|最近|刚下|第二|后下|后点|晚下|后面那|后来"
)
_WHICH = tuple((name, re.compile(p, re.I)) for name, p in (
    ("cooking", _COOKING), ("riding", _RIDING), ("older", _OLDER), ("newer", _NEWER),
))  # fmt: skip


@dataclass(frozen=True)
class Request:
    intent: str
    clause: str


@dataclass(frozen=True)
class Reading:
    requests: tuple[Request, ...]
    order_ids: tuple[int, ...]
    amount_minor: int | None
    address: str | None
    coords: tuple[float, float] | None
    complaint_reason: str | None
    which: str | None = None
    plain_text: str = ""
    arrived: bool = False
    every: bool = False  # about all the customer's open orders ("where are both?")

    @property
    def intent(self) -> str | None:
        return self.requests[0].intent if self.requests else None

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(r.intent for r in self.requests)


def clauses(text: str) -> list[str]:
    parts = [p.strip(" -~*") for p in _SPLIT.split(text[:MAX_READ]) if p]
    return [p for p in parts if len(fold(p)) >= 2]


def _clause_intent(clause: str, guess: Guess) -> tuple[str, bool]:
    """The clause's intent, and whether it is sure (a firm cue, or a clear margin)."""
    if _CANCEL_AFTER_ALL.search(clause):
        return "cancel", True
    if _KEEP.search(clause):
        return "keep", True
    if _CLAIM.search(clause) and len(fold(clause)) < 60:
        return "other", True
    if guess.intent in ("address_query", "status", "other", "cancel_info"):
        target, _ = _address(clause)
        if target is not None and len(target) >= 3 and _CHANGE.search(clause):
            return "change_address", True  # "can I still switch the address to IFC?"
    if guess.intent == "human" and not _HUMAN.search(clause):
        # Words about people ("your colleague said", "the one with the rider") are no
        # request for one unless they ask for a person.
        return "other", False
    return guess.intent, guess.sure


def _requests(text: str) -> list[Request]:
    parts = clauses(text)
    guesses = classify(parts)
    found = []
    for part, guess in zip(parts, guesses, strict=True):
        intent, sure = _clause_intent(part, guess)
        found.append((Request(intent, part), sure))
    confirms = [r.intent == "yes" or bool(_CONFIRM.search(r.clause)) for r, _ in found]
    if any(sure for r, sure in found if r.intent not in ("other", "greeting", "yes", "no")):
        # Beside what is clearly asked, a fragment the model is unsure of says nothing.
        found = [(r, sure) for r, sure in found if sure or len(found) == 1]
    if any(r.intent in WRITES and r.intent != "human" for r, _ in found):
        # Beside a request about the order, "human" only counts when a person is asked for.
        found = [(r, s) for r, s in found if r.intent != "human" or _HUMAN.search(r.clause)]
    kept: list[Request] = []
    affirmed = any(confirms)
    for request, _ in found:
        if request.intent in ("no", "keep") and not (affirmed and request.intent == "no"):
            # A change of mind takes back the writes said before it; a "no need to ask me"
            # after "yes, I confirm" is no change of mind.
            kept = [r for r in kept if r.intent not in ("cancel", "change_address")]
        if kept and kept[-1].intent == request.intent:
            continue
        kept.append(request)
    others = [r for r in kept if r.intent not in ("other", "greeting", "yes", "no")]
    if others:
        # A "yes" inside a request confirms nothing; greetings and noise beside it say nothing.
        kept = others
    elif any(r.intent == "no" for r in kept):
        kept = [r for r in kept if r.intent == "no"][:1]
    return kept


_STAFF_NUMBER = re.compile(
    r"\b(?:employee|staff|agent|badge|id|工号|员工号|编号)\s*(?:no\.?|number|id)?\s*[#:：]?\s*\d+",
    re.I,
)


def order_ids(text: str) -> tuple[int, ...]:
    text = _STAFF_NUMBER.sub(" ", _COORDS.sub(" ", text[:MAX_READ]))
    bare = _BARE_ID.match(text)
    if bare:
        return (int(bare.group(1)),)
    found = [int(next(g for g in groups if g)) for groups in _ORDER_ID.findall(text)]
    return tuple(dict.fromkeys(found))


def _amount(text: str) -> int | None:
    match = _AMOUNT.search(text)
    if not match:
        return None
    return round(float(match.group(1) or match.group(2)) * 100)


def _address(text: str) -> tuple[str | None, tuple[float, float] | None]:
    coords_match = _COORDS.search(text)
    coords = None
    if coords_match:
        coords = (float(coords_match.group(1)), float(coords_match.group(2)))
        text = text[: coords_match.start()] + text[coords_match.end() :]
    match = _ADDRESS.search(text)
    if not match:
        return None, coords
    address = _ADDRESS_END.split(match.group(1))[0]
    address = re.sub(r"\s+(at|@)\s*$", "", address).strip(" .,;:，。")
    address = re.sub(r"\b(?:for|of) order\s*#?\d+\b", "", address, flags=re.I).strip(" .,;:，。")
    return (address if len(address) >= 2 else None), coords


def _which(text: str) -> str | None:
    return next((name for name, pattern in _WHICH if pattern.search(text)), None)


def read_message(text: str) -> Reading:
    text = text[:MAX_READ]
    if is_pinyin(text):
        text = to_hanzi(text)
    requests = tuple(_requests(text))
    address, coords = _address(text)
    reason = None
    if "compensation" in (r.intent for r in requests):
        reason = "wrong_items" if _WRONG.search(text) else "late"
    return Reading(
        requests=requests,
        order_ids=order_ids(text),
        amount_minor=_amount(text),
        address=address,
        coords=coords,
        complaint_reason=reason,
        which=_which(text),
        plain_text=_COORDS.sub("", text).strip(" .,;:，。"),
        arrived=bool(_ARRIVED.search(text)),
        every=bool(_BOTH.search(text)),
    )


def complains(text: str) -> bool:
    """Whether the customer's words complain about a delivery (what compensation needs)."""
    return any(r.intent == "compensation" for r in _requests(text))


_LATE = re.compile(
    r"\blate\b|slow|took (?:so )?long|forever|ages|an hour|hours|waited|waiting so|delay|"
    r"after the promised|past the promised|way after|way past|"
    r"迟|晚了|太晚|慢|超时|等了|好久|很久|半天|一个小时",
    re.I,
)


def complains_late(text: str) -> bool:
    return bool(_LATE.search(text[:MAX_READ]))


def unclear_complaint(reading: Reading, text: str) -> bool:
    """Nothing clear was asked, but the message complains the food came late."""
    return set(reading.intents) <= {"other", "greeting"} and complains_late(text)


# The words that name each write, to tell a yes to one write from a yes to another
# ("just the compensation is fine, yes" does not accept a hand-over).
_WRITE_WORDS = {
    "cancel_order": re.compile(r"\bcancel|取消", re.I),
    "change_address": re.compile(r"\baddress|地址", re.I),
    "request_compensation": re.compile(r"\bcompensat|\brefund|\bmoney\b|赔|补偿|退款", re.I),
    "hand_over": re.compile(
        r"\b(?:human|person|someone|colleague|agent|manager|handover)\b|人工|客服|同事", re.I
    ),
}


def names_another_write(tool: str, text: str) -> bool:
    """Whether ``text`` names a write other than ``tool``."""
    text = text[:MAX_READ]
    return any(p.search(text) for name, p in _WRITE_WORDS.items() if name != tool)
