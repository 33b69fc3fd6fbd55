"""Customer side: the live status of the order a signed link names."""

from __future__ import annotations

from fastapi import APIRouter

from apps.api.deps import SessionDep, SettingsDep, TrackedOrder
from apps.api.errors import ApiError, ErrorOut
from db.queries import track_order
from db.schemas import TrackOut

router = APIRouter(prefix="/api", tags=["customer"])
TOKEN_ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 429: {"model": ErrorOut}}


@router.get(
    "/track/{token}", response_model=TrackOut, responses={404: {"model": ErrorOut}, **TOKEN_ERRORS}
)
def track(claims: TrackedOrder, session: SessionDep, settings: SettingsDep) -> TrackOut:
    """The order's status, timeline, courier position and ETA; ``now`` is the store's
    moment (a live simulation's clock) and ``timezone`` the city's."""
    view = track_order(session, claims.order_id, settings.timezone)
    if view is None:
        raise ApiError(404, "not_found", f"order {claims.order_id}: no such order", "token")
    return view
