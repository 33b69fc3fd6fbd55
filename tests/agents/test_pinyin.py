"""Pinyin is told from English: whole messages of pinyin syllables (with or without spaces
and tone digits) are Chinese; English that happens to spell pinyin is not."""

from __future__ import annotations

import pytest

from agents.pinyin import is_pinyin


@pytest.mark.parametrize(
    "text", ["wo yao ren gong ke fu", "dingdan dao nale?", "ni3 hao3", "qu xiao ding dan"]
)
def test_pinyin(text: str) -> None:
    """Spaced, run-together and toned pinyin all read as pinyin."""
    assert is_pinyin(text)


@pytest.mark.parametrize(
    "text", ["can you", "where is my order", "a man", "he can change", "nine", "ok do it"]
)
def test_english(text: str) -> None:
    """English, including words that also spell pinyin, and single words, is not pinyin."""
    assert not is_pinyin(text)
