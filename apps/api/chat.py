"""Customer chats behind tracking links: one conversation per link's order, in the store.

Nothing about a chat is kept in this process: the conversation, its pending write and
the awaited answer are in the store, so any API worker can take the next message, and
two customers' turns run at the same time (one conversation's turns take turns).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agents.conversations import thread_conversation, user_turns
from agents.llm import ChatModel
from agents.runtime import ConversationBusyError, Strategy, ToolMode, Turn
from apps.api.errors import ApiError
from apps.api.tokens import TrackToken
from db.clock import store_clock
from db.domain.rules import CITY_TIMEZONE
from db.models import Customer
from routing.travel.geocode import Geocoder


@dataclass(frozen=True)
class ChatSettings:
    max_turns: int
    strategy: Strategy
    tool_mode: ToolMode
    search: Geocoder | None = None
    auto_approve_minor: int = 2_000
    timezone: str = CITY_TIMEZONE  # the city's: times in replies


class ChatSessions:
    def __init__(
        self,
        engine: Engine,
        model_factory: Callable[[], ChatModel | None],
        settings: ChatSettings,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        # The store's now by default: a live simulation's clock, so the chat and the
        # tracking page tell the same time.
        self.engine, self.model_factory, self.settings, self.clock = (
            engine,
            model_factory,
            settings,
            clock or store_clock(engine),
        )
        self._model: ChatModel | None = None
        self._model_made = False
        self._model_lock = threading.Lock()  # guards making the model, not the chats

    def _model_once(self) -> ChatModel | None:
        with self._model_lock:
            if not self._model_made:
                self._model = self.model_factory()
                self._model_made = True
            return self._model

    def _conversation(self, claims: TrackToken) -> int:
        with Session(self.engine) as session:
            customer = session.get(Customer, claims.customer_id)
            language = customer.language if customer else "en"
        return thread_conversation(
            self.engine,
            f"link:{claims.order_id}:{claims.customer_id}",
            now=self.clock(),
            language=language,
            customer_id=claims.customer_id,
            order_id=claims.order_id,
        )

    def turn(
        self, claims: TrackToken, message: str, location: tuple[float, float] | None = None
    ) -> Turn:
        """One customer message in (with the location it shared, if any), the turn out."""
        from agents.customer.agent import CustomerAgent

        conversation_id = self._conversation(claims)
        if user_turns(self.engine, conversation_id) >= self.settings.max_turns:
            raise ApiError(
                429,
                "turn_limit",
                f"message: this chat reached its limit of {self.settings.max_turns} turns; "
                "a colleague can help from here",
                "message",
                headers={"Retry-After": "3600"},
            )
        agent = CustomerAgent(
            self.engine,
            claims.customer_id,
            model=self._model_once(),
            clock=self.clock,
            strategy=self.settings.strategy,
            tool_mode=self.settings.tool_mode,
            order_id=claims.order_id,
            conversation_id=conversation_id,
            search=self.settings.search,
            auto_approve_minor=self.settings.auto_approve_minor,
            timezone=self.settings.timezone,
        )
        try:
            return agent.handle(message, location)
        except ConversationBusyError as exc:
            raise ApiError(
                409, "busy", f"message: {exc}; send it again in a moment", "message"
            ) from exc
