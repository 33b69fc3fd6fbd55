"""What a customer tool knows besides its arguments: who is asking, from the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.domain.rules import CITY_TIMEZONE
from routing.travel.geocode import Geocoder


@dataclass(frozen=True)
class CustomerContext:
    """Built by the agent from the authenticated session, never from model output.

    ``complaint`` is the customer's own words the call rests on (the complaint that makes
    compensation possible, the message or pin that gave coordinates). ``link_order_id`` is
    the order of the tracking link the chat came from: then only that order is in reach.
    ``search`` is a geocoding endpoint beside the places the store knows.
    """

    customer_id: int
    now: datetime
    conversation_id: int | None = None
    complaint: str | None = None
    link_order_id: int | None = None
    search: Geocoder | None = None
    auto_approve_minor: int = 2_000  # a late payout up to this is granted without a person
    timezone: str = CITY_TIMEZONE  # the city's: every time a tool gives is in it

    def local(self, moment: datetime) -> str:
        return moment.astimezone(ZoneInfo(self.timezone)).isoformat()

    @property
    def actor(self) -> str:
        return f"agent:customer:{self.customer_id}"
