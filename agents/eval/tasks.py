"""The task format: a scripted conversation built against a freshly seeded store, with the
store changes it must leave behind and the facts its last reply must contain."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from agents.eval.check import Diff

# A fact the last reply must hold: a string, any one of several (case is ignored then), or
# a pattern (a number that must stand alone).
Fact = str | tuple[str, ...] | re.Pattern[str]


@dataclass(frozen=True)
class Script:
    actor: int | str  # the customer id or the operator name, as the session would give it
    messages: tuple[str, ...]
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)  # changed fields
    compensations: dict[int, tuple[int, str]] = field(default_factory=dict)
    tickets: int = 0
    plans: int = 0
    facts: tuple[Fact, ...] = ()
    # Dispatch commits move orders between couriers in ways only the solver knows:
    # then any order of this zone may change courier, and nothing outside it.
    free_zone: int | None = None
    # The order of the tracking link the chat comes from (None: a general help chat).
    link_order: int | None = None
    # Checks the store's changes itself, where exact fields cannot be known in advance
    # (a geocoded position, an amount up to a cap); replaces the orders/compensations check.
    verify: Callable[[Diff], list[str]] | None = None


@dataclass(frozen=True)
class Task:
    name: str
    kind: Literal["customer", "dispatch"]
    build: Callable[[Session], Script]
    tags: tuple[str, ...] = ()
    fast: bool = False  # part of the subset the test suite runs
