"""Operator side: trigger a dispatch round (dispatcher or admin).

No ``from __future__ import annotations`` here: FastAPI must see the body model built
inside ``build_router`` as a real class, not as a name it cannot resolve.
"""

from fastapi import APIRouter, Request

from apps.api.deps import Dispatcher, OperatorRoute, SessionDep, SettingsDep
from apps.api.errors import ErrorOut
from apps.api.schemas import DispatchIn, DispatchOut, dispatch_in


def build_router(max_seconds: float) -> APIRouter:
    """The route's body schema carries this server's ceiling on solve time."""
    router = APIRouter(prefix="/api", tags=["operator"], route_class=OperatorRoute)
    body_model = dispatch_in(max_seconds)

    @router.post(
        "/dispatch",
        response_model=DispatchOut,
        responses={
            400: {"model": ErrorOut},
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            413: {"model": ErrorOut},
            415: {"model": ErrorOut},
            429: {"model": ErrorOut},
        },
    )
    def dispatch_round(
        op: Dispatcher,
        body: body_model,  # type: ignore[valid-type]
        session: SessionDep,
        settings: SettingsDep,
        request: Request,
    ) -> DispatchOut:
        """Run one dispatch round at the store's now and write the new plan version, if it
        changes anything (otherwise `nothing_left` is true and no version is written)."""
        from routing.dispatch import run_round

        asked: DispatchIn = body
        result = run_round(
            session.get_bind(),
            now=request.app.state.clock(),
            zone_id=asked.zone_id,
            time_limit_s=asked.time_limit_s,
            actor=f"api:{op.key_id}",
            timezone=settings.timezone,
        )
        return DispatchOut(
            version=result.version,
            changes=[c.__dict__ for c in result.changes],
            expired=list(result.expired),
            attempts=result.attempts,
            nothing_left=result.nothing_left,
            note=result.note,
        )

    return router
