"""Language detection and yes/no reading, in English and Chinese, the way people write them."""

from __future__ import annotations

import pytest

from agents.language import detect_language, is_no, is_plain_no, is_yes


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("where is my order?", "zh", "en"),
        ("我的订单呢", "en", "zh"),
        ("yes", "zh", "zh"),
        ("8542", "en", "en"),
        ("order 8542 到哪了", "en", "zh"),
        ("wo yao ren gong ke fu", "en", "zh"),
        ("dingdan dao nale?", "en", "zh"),
        ("can you help me", "zh", "en"),
    ],
)
def test_message_language_wins_over_the_hint(text: str, current: str, expected: str) -> None:
    """The message's own language beats the hint (pinyin is Chinese); a bare "yes" or a
    number keeps the hint."""
    assert detect_language(text, current) == expected


@pytest.mark.parametrize("text", ["yes", "Yes!", "ok", "是的", "好", "确认", "yes please"])
def test_yes(text: str) -> None:
    """Yes words in English and Chinese ("ok", "好", "确认") read as yes and never as no."""
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize("text", ["no", "No.", "不要", "算了", "don't"])
def test_no(text: str) -> None:
    """No words in English and Chinese ("don't", "算了") read as no and never as yes."""
    assert is_no(text) and not is_yes(text)


@pytest.mark.parametrize("text", ["yes, and also cancel order 12", "yesterday", "not sure"])
def test_anything_else_is_neither(text: str) -> None:
    """A yes with more attached, "yesterday" or "not sure" reads as neither yes nor no."""
    assert not is_yes(text) and not is_no(text)


@pytest.mark.parametrize(
    "text",
    ["ok do it", "sure go ahead", "👍", "ugh fine, ok do it", "yep cancel it", "行吧 取消",
     "嗯嗯 确认取消", "没问题", "no problem", "sure that works", "确认修改", "go for it",
     "Actually just the compensation is fine, yes", "that's fine, go ahead", "嗯嗯可以",
     "that's it? fine whatever", "hao ba", "就这么点？随便吧"],
)  # fmt: skip
def test_yes_in_ordinary_words(text: str) -> None:
    """A yes may come with the request said again and some filler, or as an emoji."""
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize(
    "text",
    ["no wait, keep it", "nah keep it", "never mind", "👎", "不用了", "先不", "don't cancel it"],
)
def test_no_in_ordinary_words(text: str) -> None:
    """A no may take the write back in words ("keep it", "don't cancel it")."""
    assert is_no(text) and not is_yes(text)


@pytest.mark.parametrize(
    "text",
    ["please cancel my order", "yes but first tell me where it is", "好久了", "是不是到了",
     "is that ok", "is the fee fine, yes?", "the compensation is not fine, ok"],
)  # fmt: skip
def test_requests_that_start_like_a_yes_are_not_one(text: str) -> None:
    """A yes runs a write, so a request or a question that starts like one is not a yes."""
    assert not is_yes(text)


def test_a_no_with_a_new_request_is_not_a_plain_no() -> None:
    """ "no wait, Raffles City" declines and asks for something else; "nah keep it" only declines."""
    assert is_no("no wait, Raffles City") and not is_plain_no("no wait, Raffles City")
    assert is_plain_no("nah keep it") and is_plain_no("算了")
