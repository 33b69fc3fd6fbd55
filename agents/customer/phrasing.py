"""Model-worded small talk, kept only when it passes checks code can make.

The model never states facts: a greeting's friendly sentence is the one place its
wording reaches a customer, and it is dropped if it carries digits, links, anything
of the prompt, or runs long.
"""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agents.customer.prompts import SMALL_TALK_EXAMPLES, SMALL_TALK_PROMPT
from agents.llm import ChatModel, LLMError

MAX_CHARS = 120
_UNSAFE = re.compile(r"\d|https?:|www\.|@|system|prompt|instruction|assistant", re.I)


def _messages(message: str) -> list[BaseMessage]:
    shots: list[BaseMessage] = [SystemMessage(SMALL_TALK_PROMPT)]
    for said, answered in SMALL_TALK_EXAMPLES:
        shots += [HumanMessage(said), AIMessage(answered)]
    return [*shots, HumanMessage(message)]


def friendly_sentence(model: ChatModel | None, message: str, warnings: list[str]) -> str | None:
    """One short English sentence answering small talk, or None when it is not safe to use."""
    if model is None:
        return None
    try:
        answer = model.complete(_messages(message), max_tokens=24)
    except LLMError as exc:
        warnings.append(str(exc))
        return None
    sentence = answer.text.strip().split("\n")[0].strip()
    end = max(sentence.find(". "), sentence.find("! "), sentence.find("? "))
    sentence = sentence[: end + 1] if end > 0 else sentence
    if not sentence or len(sentence) > MAX_CHARS or not sentence.isascii():
        return None
    if _UNSAFE.search(sentence) or not sentence.endswith((".", "!")):
        return None
    return sentence
