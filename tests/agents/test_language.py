"""Language detection and yes/no reading, in English and Chinese."""

from __future__ import annotations

import pytest

from agents.language import detect_language, is_no, is_yes


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("where is my order?", "zh", "en"),
        ("我的订单呢", "en", "zh"),
        ("yes", "zh", "zh"),
        ("8542", "en", "en"),
        ("order 8542 到哪了", "en", "zh"),
    ],
)
def test_message_language_wins_over_the_hint(text: str, current: str, expected: str) -> None:
    """The message's own language beats the hint; a bare "yes" or a number keeps the hint."""
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
