"""Everything the customer agent says, in English and Chinese, and the model's prompts.

Facts (ids, times, amounts) are filled in by code, so a reply cannot misstate them.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from db.domain.status import OrderStatus

SYSTEM_PROMPT = (
    "You are LongCat's delivery support assistant. Classify the customer's latest message. "
    "status: where is the order or when it arrives. cancel: cancel an order. "
    "change_address: deliver to another address. compensation: late, wrong or missing food. "
    "human: wants a person. greeting: hello or thanks. other: anything else."
)
TOOLS_PROMPT = (
    "You are LongCat's delivery support assistant, talking with one signed-in customer. "
    "Use the tools to look up and act on this customer's orders; take order ids, times and "
    "amounts only from tool results, never guess them. Cancelling, changing the address, "
    "compensation and hand-over are only proposed by their tools; the customer confirms "
    "them, so do not ask for a yes yourself. When you cannot help, call hand_over. "
    "Answer in one or two short sentences, in {language}."
)
SMALL_TALK_PROMPT = "You are a cheerful food delivery support agent. Reply in one short sentence."
# Two worked turns: on its own the 135M model answered "thank you" with condolences.
SMALL_TALK_EXAMPLES = (
    ("hello", "Hello! Happy to help with your delivery."),
    ("thanks a lot", "You are welcome, enjoy your meal!"),
)

STATUS_TEXT = {
    "en": {
        "placed": "is waiting for the restaurant to accept it",
        "confirmed": "is being prepared by {merchant}",
        "assigned": "has a courier heading to {merchant}",
        OrderStatus.PICKED_UP: "has been picked up and is on its way",
        "delivered": "was delivered at {delivered}",
        "cancelled": "was cancelled",
    },
    "zh": {
        "placed": "正在等待商家接单",
        "confirmed": "：{merchant}正在备餐",
        "assigned": "：骑手正在前往{merchant}取餐",
        OrderStatus.PICKED_UP: "骑手已取餐，正在配送途中",
        "delivered": "已于{delivered}送达",
        "cancelled": "已取消",
    },
}

TEXT = {
    "en": {
        "greeting": "Hello! I can tell you where your order is, cancel it, change the "
        "delivery address, handle a late or wrong delivery, or get you a colleague.",
        "menu": "I can check an order, cancel it, change the address, handle a late or wrong "
        "delivery, or get a colleague.",
        "status": "Order {order_id} {what}.",
        "eta": " Expected at {eta} (in about {minutes} min).",
        "ask_order": "Which order do you mean? Your open orders: {ids}.",
        "no_orders": "I can't find any open order on your account.",
        "not_found": "Sorry, I can't find order {order_id} on your account.",
        "confirm_cancel": "Cancel order {order_id}? {fee_text}Reply yes to confirm.",
        "fee": "The restaurant has already accepted it, so a fee of {fee} applies. ",
        "no_fee": "There is no fee. ",
        "cancelled": "Order {order_id} is cancelled.{fee_note}",
        "fee_note": " A fee of {fee} was charged.",
        "no_fee_note": " No fee was charged.",
        "not_cancellable": "Order {order_id} is already {status_word}, so it can no longer "
        "be cancelled.",
        "ask_address": "What is the new delivery address? You can also share your location with "
        "the 📍 button (or tap the spot on the map).",
        "ask_location": 'Sorry, I can\'t place "{address}" on the map. Please share the location '
        "with the 📍 button (or tap the spot on the map), or name a landmark nearby.",
        "address_is": 'Order {order_id} is going to "{address}".',
        "cancel_info_fee": "Order {order_id} can be cancelled until the courier picks it up; "
        "cancelling now costs {fee} because the restaurant has accepted it.",
        "cancel_info_free": "Order {order_id} can be cancelled until the courier picks it up; "
        "cancelling now is free (no fee).",
        "kept": "OK, I won't cancel order {order_id}.",
        "no_more": "Sorry, I can't offer more than that. ",
        "pinned": "Shared location",
        "later": " After that, tell me again about {what} and I'll help with it.",
        "other_link": "Sorry, this chat is for order {link_order_id}. For order {order_id}, please "
        "use that order's own tracking link.",
        "address_free": "Changing the address costs nothing.",
        "confirm_address": "Change the delivery address of order {order_id} to "
        '"{address}"? Reply yes to confirm.',
        "address_changed": 'Done: order {order_id} will be delivered to "{address}". '
        "We are re-planning the courier route.",
        "not_changeable": "Order {order_id} is already {status_word}, so the address can no "
        "longer be changed.",
        "outside_area": "Sorry, that address is outside our delivery area, so I can't change "
        "order {order_id} to it.",
        "confirm_comp": "Order {order_id} {why}. I can offer {amount} as compensation. "
        "Reply yes to accept.",
        "why_late": "arrived {minutes} min late",
        "why_wrong": "arrived with the wrong items",
        "comp_done": "Done: {amount} compensation for order {order_id} is approved.",
        "comp_pending": "Done: {amount} compensation for order {order_id} is filed and a "
        "colleague will review it.",
        "over_cap": "Sorry, I can't give that much: for order {order_id} the most I can offer "
        "is {cap}. ",
        "not_delivered": "Order {order_id} has not been delivered yet; compensation is "
        "possible once it arrives.",
        "too_old": "Sorry, order {order_id} was delivered more than 7 days ago, so I can't "
        "compensate it.",
        "already_compensated": "Sorry, order {order_id} has already been compensated once, so "
        "I can't compensate it again.",
        "not_late": "Sorry, order {order_id} was delivered on time, so I can't offer late "
        "compensation.",
        "no_complaint": "Sorry, I can only offer compensation for a problem you had with order "
        "{order_id}: please tell me what went wrong.",
        "confirm_handover": "Shall I get a colleague to help you? Reply yes to confirm.",
        "handover_done": "I've passed this to a colleague (ticket {ticket_id}). They will "
        "contact you soon.",
        "declined": "OK, I haven't changed anything.",
        "unclear": "Sorry, I'm not sure I understood. I'll get a colleague if you like: reply yes.",
        "trouble": "Sorry, something went wrong on my side. I'll get a colleague if you "
        "like: reply yes.",
        "give_up": "Sorry, I couldn't sort this out myself. Shall I get a colleague to help "
        "you? Reply yes to confirm.",
        "unavailable": "Sorry, our assistant is not available right now. I've asked a "
        "colleague to get back to you (ticket {ticket_id}).",
        "unavailable_no_ticket": "Sorry, our assistant is not available right now. Please "
        "try again in a few minutes.",
    },
    "zh": {
        "greeting": "您好！我可以帮您查询订单、取消订单、修改配送地址、处理超时或送错，"
        "或为您转接人工客服。",
        "menu": "我可以查询订单、取消订单、修改地址、处理超时或送错，或转接人工客服。",
        "status": "订单{order_id}{what}。",
        "eta": "预计{eta}送达（约{minutes}分钟）。",
        "ask_order": "请问是哪个订单？您的进行中订单：{ids}。",
        "no_orders": "您的账户下没有进行中的订单。",
        "not_found": "抱歉，您的账户下没有找到订单{order_id}。",
        "confirm_cancel": "确认取消订单{order_id}吗？{fee_text}回复“是”确认。",
        "fee": "商家已接单，需收取{fee}取消费。",
        "no_fee": "不收取费用。",
        "cancelled": "订单{order_id}已取消。{fee_note}",
        "fee_note": "已收取取消费{fee}。",
        "no_fee_note": "不收取任何费用。",
        "not_cancellable": "订单{order_id}已{status_word}，无法取消。",
        "ask_address": "请问新的配送地址是哪里？也可以点📍按钮分享位置（或在地图上点选）。",
        "ask_location": "抱歉，我无法在地图上找到“{address}”。"
        "请点📍按钮分享位置（或在地图上点选），或告诉我附近的地标。",
        "address_is": "订单{order_id}的配送地址是“{address}”。",
        "cancel_info_fee": "订单{order_id}在骑手取餐前都可以取消；"
        "商家已接单，现在取消需收取{fee}。",
        "cancel_info_free": "订单{order_id}在骑手取餐前都可以取消；现在取消免费，不收取费用。",
        "kept": "好的，不取消订单{order_id}。",
        "no_more": "抱歉，无法提供更多补偿。",
        "pinned": "分享的位置",
        "later": "处理完这个之后，请再告诉我{what}的事，我来帮您。",
        "other_link": "抱歉，这个对话只处理订单{link_order_id}。"
        "订单{order_id}请使用该订单自己的追踪链接。",
        "address_free": "修改地址不收取任何费用。",
        "confirm_address": "确认将订单{order_id}的配送地址改为“{address}”吗？回复“是”确认。",
        "address_changed": "已将订单{order_id}的配送地址改为“{address}”，正在重新安排骑手路线。",
        "not_changeable": "订单{order_id}已{status_word}，无法修改地址。",
        "outside_area": "抱歉，该地址不在配送范围内，无法修改订单{order_id}的地址。",
        "confirm_comp": "订单{order_id}{why}。可为您补偿{amount}，回复“是”确认。",
        "why_late": "超时{minutes}分钟送达",
        "why_wrong": "送错了商品",
        "comp_done": "已为订单{order_id}补偿{amount}。",
        "comp_pending": "已为订单{order_id}提交{amount}补偿申请，同事会尽快审核。",
        "over_cap": "抱歉，无法补偿这么多：订单{order_id}最多可补偿{cap}。",
        "not_delivered": "订单{order_id}尚未送达，送达后才能申请补偿。",
        "too_old": "订单{order_id}送达已超过7天，无法补偿。",
        "already_compensated": "抱歉，订单{order_id}已经补偿过一次了，无法再次补偿。",
        "not_late": "抱歉，订单{order_id}按时送达，无法提供超时补偿。",
        "no_complaint": "抱歉，只有订单{order_id}确实出了问题才能补偿：请告诉我出了什么问题。",
        "confirm_handover": "需要为您转接人工客服吗？回复“是”确认。",
        "handover_done": "已为您转接人工客服（工单{ticket_id}），同事会尽快联系您。",
        "declined": "好的，我没有做任何更改。",
        "unclear": "抱歉，我没有完全理解。需要的话我可以为您转接人工客服：回复“是”。",
        "trouble": "抱歉，系统出了点问题。需要的话我可以为您转接人工客服：回复“是”。",
        "give_up": "抱歉，我没能处理好您的问题。需要为您转接人工客服吗？回复“是”确认。",
        "unavailable": "抱歉，智能客服暂时无法使用。已请同事尽快联系您（工单{ticket_id}）。",
        "unavailable_no_ticket": "抱歉，智能客服暂时无法使用，请稍后再试。",
    },
}

STATUS_WORD: dict[str, dict[str, str]] = {  # OrderStatus keys: a StrEnum is a str
    "en": {
        OrderStatus.PICKED_UP: "picked up",
        OrderStatus.DELIVERED: "delivered",
        OrderStatus.CANCELLED: "cancelled",
    },
    "zh": {
        OrderStatus.PICKED_UP: "被骑手取走",
        OrderStatus.DELIVERED: "送达",
        OrderStatus.CANCELLED: "取消",
    },
}


def say(language: str, key: str, **values: object) -> str:
    return TEXT[language][key].format(**values)


def money(language: str, minor: int) -> str:
    return f"¥{minor / 100:.2f}" if language == "en" else f"{minor / 100:.2f}元"


def clock(value: str | datetime, timezone: ZoneInfo | None = None) -> str:
    """Hours and minutes of a moment: in ``timezone``, or else in the moment's own offset
    (the tools write times in the city's)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment.astimezone(timezone) if timezone else moment).strftime("%H:%M")


def status_word(language: str, status: str) -> str:
    return STATUS_WORD[language].get(status, status)


WHAT = {
    "en": {
        "cancel": "cancelling",
        "change_address": "the address",
        "compensation": "the compensation",
        "human": "a colleague",
    },
    "zh": {"cancel": "取消", "change_address": "改地址", "compensation": "补偿", "human": "转人工"},
}
