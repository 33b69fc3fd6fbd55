"""Typed dependencies: the store session, the tracked order of a token, the operator of a key."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, cast, runtime_checkable

from fastapi import Depends, Header, Path, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.responses import Response

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


def client_key(request: Request) -> str:
    """The rate-limit key of the client's address."""
    return f"ip:{request.client.host if request.client else 'unknown'}"


def count_failed_auth(request: Request) -> None:
    """A wrong key or a bad token counts against its address in a bucket of its own, so
    guessing meets the limit without locking out customers who share that address (behind
    one NAT) from their tracking pages."""
    request.app.state.limiter.hit(f"authfail:{client_key(request)}")


def tracked_order(
    request: Request,
    settings: SettingsDep,
    token: Annotated[
        str, Path(min_length=10, max_length=512, description="Signed tracking token.")
    ],
) -> TrackToken:
    try:
        claims = checked_token(request, settings, token)
    except TokenError as exc:
        raise ApiError(exc.status, "bad_token", str(exc), "token") from exc
    request.app.state.limiter.hit(f"token:{claims.order_id}:{claims.exp}")
    return claims


def checked_token(request: Request, settings: Settings, token: str) -> TrackToken:
    """A tracking token verified, the request counted against its address, and a failure
    counted as a failed authentication; raises `TokenError`."""
    request.app.state.limiter.hit(client_key(request))
    try:
        return verify(settings.secret_key.get_secret_value(), token)
    except TokenError:
        count_failed_auth(request)
        raise


TrackedOrder = Annotated[TrackToken, Depends(tracked_order)]


@dataclass(frozen=True)
class Operator:
    key_id: str
    role: str

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def authenticate(request: Request) -> Operator:
    """The operator of the request's key, once per request; a missing or wrong key counts
    against the client's address, so guessing keys meets the rate limit (429)."""
    known = getattr(request.state, "operator", None)
    if isinstance(known, Operator):
        return known
    key = request.headers.get("x-api-key")
    role = request.app.state.settings.api_keys.get(key) if key else None
    if not key or role is None:
        count_failed_auth(request)
        reason = "header is missing" if not key else "unknown key"
        raise ApiError(401, "unauthorized", f"X-API-Key: {reason}", "X-API-Key")
    request.app.state.limiter.hit(f"key:{key}")
    request.state.operator = Operator(key_id=key[:4] + "...", role=role)
    return request.state.operator


def operator(
    request: Request,
    x_api_key: Annotated[str | None, Header(description="Operator API key.")] = None,
) -> Operator:
    # The header parameter documents the key in OpenAPI; the key itself is read (and
    # usually already checked, see OperatorRoute) by `authenticate`.
    return authenticate(request)


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class JsonRoute(APIRoute):
    """Checks made before anything reads the body: `guard` (nothing here), then, on a route
    with a JSON body, the content type: another one is 415 (FastAPI would try to read it
    and answer a puzzling 422)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_json = self.body_field is not None

        async def checked(request: Request) -> Response:
            self.guard(request)
            sent = request.headers.get("content-type")
            if takes_json and sent is not None and not _is_json(sent):
                raise ApiError(
                    415,
                    "unsupported_media_type",
                    f"Content-Type: {sent.split(';')[0]!r} is not accepted; send application/json",
                    "Content-Type",
                )
            return await handler(request)

        return checked

    def guard(self, request: Request) -> None:
        """What a kind of route checks first; nothing for a public one."""


class OperatorRoute(JsonRoute):
    """An operator route checks the key and its role before anything reads the body: a
    caller without a valid key learns nothing about the body's shape (401 before 400 or
    422)."""

    def guard(self, request: Request) -> None:
        op = authenticate(request)
        for needed in self.dependant.dependencies:
            if isinstance(needed.call, RoleCheck):
                check_role(op, needed.call.role)


def check_role(op: Operator, role: str) -> Operator:
    if not op.allows(role):
        raise ApiError(403, "forbidden", f"role {op.role!r} cannot do this; needs {role!r}")
    return op


@runtime_checkable
class RoleCheck(Protocol):
    """A dependency that lets only operators of ``role`` or above through; OperatorRoute
    reads its role to check it before the body."""

    role: str

    def __call__(self, op: Operator) -> Operator: ...


def requires(role: str) -> RoleCheck:
    def check(op: Annotated[Operator, Depends(operator)]) -> Operator:
        return check_role(op, role)

    # A function with an attribute, which only a Protocol can describe.
    dependency = cast(RoleCheck, check)
    dependency.role = role
    return dependency


Viewer = Annotated[Operator, Depends(requires("viewer"))]
Dispatcher = Annotated[Operator, Depends(requires("dispatcher"))]
Admin = Annotated[Operator, Depends(requires("admin"))]
