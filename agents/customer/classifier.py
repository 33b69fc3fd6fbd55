"""What one clause of a customer's message asks for: the shared intent model
(``agents.textclass``) trained on ``corpus/*.jsonl``, a corpus written from the policy by
people who never saw the agent, plus the phrasings the tuning suite showed missing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agents import textclass
from agents.textclass import Guess

__all__ = ["CORPUS", "INTENTS", "Guess", "classify", "warm_up"]

CORPUS = Path(__file__).with_name("corpus")
INTENTS = (
    "status",
    "cancel",
    "keep",
    "change_address",
    "address_query",
    "compensation",
    "cancel_info",
    "human",
    "greeting",
    "yes",
    "no",
    "other",
)


def warm_up() -> None:
    """Train now rather than on a customer's first message."""
    textclass.warm_up(CORPUS)


def classify(clauses: Sequence[str]) -> list[Guess]:
    return textclass.classify(CORPUS, clauses)
