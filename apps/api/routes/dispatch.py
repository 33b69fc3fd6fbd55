"""Operator side: trigger a dispatch round (dispatcher or admin).

No ``from __future__ import annotations`` here: FastAPI must see the body model built
inside ``build_router`` as a real class, not as a name it cannot resolve.
"""

from typing import TYPE_CHECKING, TypeAlias

from fastapi import APIRouter, Request
from sqlalchemy import Engine

from apps.api.deps import Dispatcher, OperatorRoute, SessionDep, SettingsDep
from apps.api.errors import ErrorOut
from apps.api.schemas import ChangeOut, DispatchIn, DispatchOut, dispatch_in


def build_router(max_seconds: float) -> APIRouter:
    """The route's body schema carries this server's ceiling on solve time."""
    router = APIRouter(prefix="/api", tags=["operator"], route_class=OperatorRoute)
    # FastAPI reads the body's model from the annotation: this server's, with its ceiling;
    # the type checker sees the class it is made from.
    if TYPE_CHECKING:
        Body: TypeAlias = DispatchIn
    else:
        Body = dispatch_in(max_seconds)

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
        body: Body,
        session: SessionDep,
        settings: SettingsDep,
        request: Request,
    ) -> DispatchOut:
        """Run one dispatch round at the store's now and write the new plan version, if it
        changes anything (otherwise `nothing_left` is true and no version is written)."""
        from routing.service.dispatch import run_round

        engine = session.get_bind()
        assert isinstance(engine, Engine)  # the app's sessions are bound to its engine
        result = run_round(
            engine,
            now=request.app.state.clock(),
            zone_id=body.zone_id,
            time_limit_s=body.time_limit_s,
            actor=f"api:{op.key_id}",
            timezone=settings.timezone,
        )
        return DispatchOut(
            version=result.version,
            changes=[
                ChangeOut(order_id=c.order_id, before=c.before, after=c.after, reason=c.reason)
                for c in result.changes
            ],
            expired=list(result.expired),
            attempts=result.attempts,
            nothing_left=result.nothing_left,
            note=result.note,
        )

    return router
