"""The task format: a scripted conversation built against a freshly seeded store, with the
store changes it must leave behind and the facts its last reply must contain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Script:
    actor: int | str  # the customer id or the operator name, as the session would give it
    messages: tuple[str, ...]
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)  # changed fields
    compensations: dict[int, tuple[int, str]] = field(default_factory=dict)
    tickets: int = 0
    plans: int = 0
    facts: tuple[str, ...] = ()
    # Dispatch commits move orders between couriers in ways only the solver knows:
    # then any order of this zone may change courier, and nothing outside it.
    free_zone: int | None = None


@dataclass(frozen=True)
class Task:
    name: str
    kind: Literal["customer", "dispatch"]
    build: Callable[[Session], Script]
    tags: tuple[str, ...] = ()
    fast: bool = False  # part of the subset the test suite runs
