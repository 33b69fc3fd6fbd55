"""Customer side: the live status of the order a signed link names."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from apps.api.deps import SessionDep, SettingsDep, TrackedOrder
from apps.api.errors import ApiError, ErrorOut
from apps.api.schemas import MapOut, RoadOut, ZoneShapeOut
from apps.city.basemap import outline, roads
from db.models import Zone
from db.queries import track_order
from db.schemas import TrackOut

router = APIRouter(prefix="/api", tags=["customer"])
TOKEN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    429: {"model": ErrorOut},
}


@router.get(
    "/track/{token}", response_model=TrackOut, responses={404: {"model": ErrorOut}, **TOKEN_ERRORS}
)
def track(claims: TrackedOrder, session: SessionDep, settings: SettingsDep) -> TrackOut:
    """The order's status, timeline, courier position and ETA; ``now`` is the store's
    moment (a live simulation's clock) and ``timezone`` the city's."""
    view = track_order(session, claims.order_id, settings.timezone, settings.now)
    if view is None:
        raise ApiError(404, "not_found", f"order {claims.order_id}: no such order", "token")
    return view


@router.get("/map", response_model=MapOut, responses={429: {"model": ErrorOut}})
def city_map(session: SessionDep, settings: SettingsDep) -> MapOut:
    """The maps' base layer, public: the zones' outlines and names, main roads, the river."""
    zones = session.scalars(select(Zone).order_by(Zone.id))
    shapes = [
        outline(z.id, z.name, z.name_zh, z.center_lat, z.center_lon, z.radius_km) for z in zones
    ]
    return MapOut(
        zones=[
            ZoneShapeOut(id=s.id, name=s.name, name_zh=s.name_zh, ring=list(s.ring)) for s in shapes
        ],
        roads=[RoadOut.model_validate(r) for r in roads()],
        tiles_url=settings.map_tiles_url,
    )
