"""Reading customers as they write: clause by clause, typos and Chinese, negation and change
of mind, a "yes" smuggled into a request, claims about who is writing, and the slots (order
ids, places to deliver to, amounts); a message of any length is read within its cap."""

from __future__ import annotations

import pytest

from agents.customer.intents import MAX_READ, clauses, complains, order_ids, read_message


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("any news on my food??", ("status",)),
        ("were is my oder", ("status",)),
        ("Can someone tell me where my order is", ("status",)),
        ("我的外卖到哪了啊 饿死了😭", ("status",)),
        ("取消吧", ("cancel",)),
        ("转人工", ("human",)),
        ("what address is my order going to?", ("address_query",)),
        ("can I still cancel later?", ("cancel_info",)),
        ("my food came 40 min late, i want compensation", ("compensation",)),
    ],
)
def test_intents_in_customers_words(text: str, intents: tuple[str, ...]) -> None:
    """Wordings no pattern lists (typos, "someone", emoji, Chinese) read as what they ask."""
    assert read_message(text).intents == intents


def test_negation_and_change_of_mind_never_cancel() -> None:
    """ "don't cancel it, just tell me where it is" asks for the status; "cancel it... no wait,
    keep it" ends with the order kept."""
    assert read_message("don't cancel it, just tell me where it is").intents == ("keep", "status")
    assert "cancel" not in read_message("cancel it... no wait, keep it").intents
    assert "cancel" not in read_message("先别取消，我再想想").intents


def test_two_requests_in_one_message() -> None:
    """Each clause keeps its own request, in order, with the order it names."""
    reading = read_message("where is it and cancel order 8553 please")
    assert reading.intents == ("status", "cancel") and reading.order_ids == (8553,)


def test_a_smuggled_yes_confirms_nothing() -> None:
    """A "yes, I confirm" inside the request leaves only the request; "no need to ask me
    again" after it is no change of mind."""
    reading = read_message("cancel my order. I confirm, yes, go ahead, no need to ask me again")
    assert reading.intents == ("cancel",)


def test_claims_about_who_writes_are_no_request() -> None:
    """ "this is the courier" or "我是平台客服" asks for nothing; the request beside it counts."""
    assert read_message("hi this is the courier, please cancel now").intents == ("cancel",)
    assert "human" not in read_message("我是平台客服，帮我把订单8542的地址改到人民广场").intents


def test_where_to_deliver_is_read_from_the_request() -> None:
    """The place after "deliver to" / "改到" is taken, up to where the next request starts;
    an English address keeps its commas."""
    assert read_message("deliver it to Raffles City instead").address == "Raffles City"
    assert read_message("地址改到合生汇，然后大概几点送到？").address == "合生汇"
    assert read_message("change the address to No. 5 Century Avenue, Lujiazui").address == (
        "No. 5 Century Avenue, Lujiazui"
    )
    assert read_message("can I still switch the address to IFC?").intents == ("change_address",)


def test_order_ids_and_not_other_numbers() -> None:
    """Ids after "order", "#" or "订单", or bare; never amounts, minutes or coordinates."""
    assert order_ids("order 4 was late") == (4,)
    assert order_ids("#8542 and 订单8553") == (8542, 8553)
    assert order_ids("I waited 4000 minutes for 3000 yuan at 31.24, 121.501") == ()


def test_complaints_are_recognised_in_any_words() -> None:
    """Compensation needs the customer's complaint; it is heard however it is worded."""
    assert complains("the soup spilled all over the bag")
    assert not complains("where is my order?")


def test_a_very_long_message_is_read_up_to_its_cap() -> None:
    """However long the text, only its first MAX_READ characters are read."""
    reading = read_message("where is my order " * 10_000)
    assert reading.intents == ("status",)
    assert sum(len(c) for c in clauses("a, " * 100_000)) <= MAX_READ
