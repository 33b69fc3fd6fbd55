"""Customer chats behind tracking links: one agent per customer and order, a cap on turns.

The agent keeps its conversation state in memory, so one API process holds the chats it
started; the messages themselves are all in the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from apps.api.errors import ApiError
from apps.api.tokens import TrackToken


class ChatSessions:
    def __init__(
        self,
        engine: Engine,
        model_factory: Callable[[], Any],
        max_turns: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine, self.model_factory, self.max_turns, self.clock = (
            engine,
            model_factory,
            max_turns,
            clock,
        )
        self._agents: dict[tuple[int, int], Any] = {}
        self._turns: dict[tuple[int, int], int] = {}
        self._model: Any = None
        self._lock = threading.Lock()

    def _model_once(self) -> Any:
        if self._model is None:
            self._model = self.model_factory()
        return self._model

    def turn(self, claims: TrackToken, message: str) -> Any:
        """One customer message in, the agent's turn out; one turn at a time per chat."""
        from agents.customer.agent import CustomerAgent

        key = (claims.customer_id, claims.order_id)
        with self._lock:
            if self._turns.get(key, 0) >= self.max_turns:
                raise ApiError(
                    429,
                    "turn_limit",
                    f"message: this chat reached its limit of {self.max_turns} turns; "
                    "a colleague can help from here",
                    "message",
                    headers={"Retry-After": "3600"},
                )
            self._turns[key] = self._turns.get(key, 0) + 1
            agent = self._agents.get(key)
            if agent is None:
                agent = CustomerAgent(
                    self.engine, claims.customer_id, model=self._model_once(), clock=self.clock
                )
                self._agents[key] = agent
            return agent.handle(message)
