"""What a customer tool knows besides its arguments: who is asking, from the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CustomerContext:
    """Built by the agent from the authenticated session, never from model output.

    ``complaint`` is the customer's own message when it complains about a delivery;
    compensation is only possible while it is set.
    """

    customer_id: int
    now: datetime
    conversation_id: int | None = None
    complaint: str | None = None

    @property
    def actor(self) -> str:
        return f"agent:customer:{self.customer_id}"
