"""Which language a message is in, and whether it says yes or no."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_YES = re.compile(
    r"^\s*(y|yes|yeah|yep|yup|sure|ok|okay|confirm|confirmed|go ahead|do it|please do|"
    r"yes please|correct|是|是的|好|好的|确认|可以|对|行|嗯)\s*[.!。！]*\s*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(n|no|nope|nah|don'?t|do not|no thanks|never ?mind|stop|不|不要|不用|否|算了)"
    r"\s*[.!。！]*\s*$",
    re.IGNORECASE,
)


def detect_language(text: str, current: str) -> str:
    """``zh`` for Chinese text, ``en`` for English; "ok", "yes", "no" or a number keep
    ``current``, since a Chinese customer types them too."""
    if _CJK.search(text):
        return "zh"
    if _LATIN_WORD.search(text) and not (is_yes(text) or is_no(text)):
        return "en"
    return current


def is_yes(text: str) -> bool:
    return bool(_YES.match(text))


def is_no(text: str) -> bool:
    return bool(_NO.match(text))
