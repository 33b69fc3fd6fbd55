"""What a customer message asks for, read by code first: intents, order ids, amounts, places.

Regular expressions decide whenever they can; the model is asked only when none matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTENTS = ("status", "cancel", "change_address", "compensation", "human", "greeting", "other")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "human",
        re.compile(r"human|real person|agent|colleague|someone|manager|人工|真人|客服|转人", re.I),
    ),
    (
        "change_address",
        re.compile(r"address|deliver (it )?to|send it to|drop.?off|地址|改送|改到", re.I),
    ),
    ("cancel", re.compile(r"cancel|don'?t want (it|the order)|取消|不要了|退单", re.I)),
    (
        "compensation",
        re.compile(
            r"compensat|refund|money back|voucher|late|wrong|missing|cold|took (so )?long|"
            r"赔|退款|补偿|迟到|晚了|太晚|送错|错了|少了|漏了|超时",
            re.I,
        ),
    ),
    (
        "status",
        re.compile(
            r"where|status|eta|when|how long|arriv|track|coming|still waiting|"
            r"哪|状态|什么时候|多久|到了吗|进度|还没到|还要",
            re.I,
        ),
    ),
    (
        "greeting",
        re.compile(r"^\s*(hi|hello|hey|thanks?( you)?|thank you|你好|您好|谢谢)\W*$", re.I),
    ),
)
_ORDER_ID = re.compile(
    r"(?:order|订单|单号)\s*(?:number|no\.?|id)?\s*[#:：]?\s*(\d+)|#(\d+)|"
    r"(\d{3,})\s*号?订单",
    re.I,
)
_BARE_ID = re.compile(r"^\s*#?(\d{3,})\s*[.!?。]?\s*$")
_AMOUNT = re.compile(
    r"(?:¥|￥|cny|rmb)\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:yuan|元|块|cny|rmb)", re.I
)
_COORDS = re.compile(r"\(?\s*(-?\d{1,2}\.\d+)\s*[,，]\s*(-?\d{1,3}\.\d+)\s*\)?")
_ADDRESS = re.compile(
    r"(?:address\b[^,，。]*?\b(?:to|is)|deliver(?: it)? to|send it to|drop.?off (?:at|to)|"
    r"地址改[为成到]?|改送到?|改到|新地址[是为]?)\s*[:：]?\s*(.+)",
    re.I,
)
_ARRIVED = re.compile(
    r"arrived|delivered|came|got (it|my)|received|last order|previous order|"
    r"送到了|到了|送达|收到|上一单",
    re.I,
)
_WRONG = re.compile(r"wrong|missing|incorrect|not what i ordered|送错|错了|少了|漏了|不对", re.I)


@dataclass(frozen=True)
class Reading:
    intent: str | None
    order_ids: tuple[int, ...]
    amount_minor: int | None
    address: str | None
    coords: tuple[float, float] | None
    complaint_reason: str | None
    plain_text: str = ""
    arrived: bool = False


def _intent(text: str) -> str | None:
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    return None


def order_ids(text: str) -> tuple[int, ...]:
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
    address = re.sub(r"\s+(at|@)\s*$", "", match.group(1)).strip(" .,;:，。")
    address = re.sub(r"\b(?:for|of) order\s*#?\d+\b", "", address, flags=re.I).strip(" .,;:，。")
    return (address or None), coords


def read_message(text: str) -> Reading:
    intent = _intent(text)
    address, coords = _address(text)
    reason = None
    if intent == "compensation":
        reason = "wrong_items" if _WRONG.search(text) else "late"
    return Reading(
        intent=intent,
        order_ids=order_ids(text),
        amount_minor=_amount(text),
        address=address,
        coords=coords,
        complaint_reason=reason,
        plain_text=_COORDS.sub("", text).strip(" .,;:，。"),
        arrived=bool(_ARRIVED.search(text)),
    )
