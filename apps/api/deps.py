"""Typed dependencies: the store session, the tracked order of a token, the operator of a key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from apps.api.errors import ApiError
from apps.api.tokens import TokenError, TrackToken, verify
from apps.settings import Settings

ROLES = ("viewer", "dispatcher", "admin")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def tracked_order(
    request: Request,
    settings: SettingsDep,
    token: Annotated[
        str, Path(min_length=10, max_length=512, description="Signed tracking token.")
    ],
) -> TrackToken:
    client = request.client.host if request.client else "unknown"
    request.app.state.limiter.hit(f"ip:{client}")
    try:
        claims = verify(settings.secret_key.get_secret_value(), token)
    except TokenError as exc:
        raise ApiError(exc.status, "bad_token", str(exc), "token") from exc
    request.app.state.limiter.hit(f"token:{claims.order_id}:{claims.exp}")
    return claims


TrackedOrder = Annotated[TrackToken, Depends(tracked_order)]


@dataclass(frozen=True)
class Operator:
    key_id: str
    role: str

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def operator(
    request: Request,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="Operator API key.")] = None,
) -> Operator:
    if not x_api_key:
        raise ApiError(401, "unauthorized", "X-API-Key: header is missing", "X-API-Key")
    role = settings.api_keys.get(x_api_key)
    if role is None:
        raise ApiError(401, "unauthorized", "X-API-Key: unknown key", "X-API-Key")
    request.app.state.limiter.hit(f"key:{x_api_key}")
    return Operator(key_id=x_api_key[:4] + "...", role=role)


def requires(role: str):
    def check(op: Annotated[Operator, Depends(operator)]) -> Operator:
        if not op.allows(role):
            raise ApiError(403, "forbidden", f"role {op.role!r} cannot do this; needs {role!r}")
        return op

    return check


Viewer = Annotated[Operator, Depends(requires("viewer"))]
Dispatcher = Annotated[Operator, Depends(requires("dispatcher"))]
Admin = Annotated[Operator, Depends(requires("admin"))]
