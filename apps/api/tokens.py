"""Signed tracking tokens: the order, its customer, a scope and an expiry, under HMAC-SHA256.

A token is ``base64url(payload).base64url(signature)``; no server state is needed to
check one, and changing a single byte of either part invalidates it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

TRACK_SCOPE = "track"


class TokenError(ValueError):
    """The token cannot be used; ``status`` is the HTTP status it deserves."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TrackToken:
    order_id: int
    customer_id: int
    scope: str
    exp: int  # seconds since the epoch, UTC

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.exp, UTC)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def sign(
    secret: str,
    order_id: int,
    customer_id: int,
    ttl: timedelta,
    now: datetime | None = None,
    scope: str = TRACK_SCOPE,
) -> str:
    exp = int(((now or datetime.now(UTC)) + ttl).timestamp())
    body = _b64(json.dumps(asdict(TrackToken(order_id, customer_id, scope, exp))).encode())
    return f"{body}.{_signature(secret, body)}"


def verify(
    secret: str, token: str, scope: str = TRACK_SCOPE, now: datetime | None = None
) -> TrackToken:
    body, _, signature = token.partition(".")
    expected = _signature(secret, body).encode()
    if not body or not hmac.compare_digest(signature.encode("utf-8", "replace"), expected):
        raise TokenError("token: the signature does not match")
    try:
        claims = TrackToken(**json.loads(_unb64(body)))
    except (ValueError, TypeError) as exc:
        raise TokenError("token: the payload is malformed") from exc
    if claims.exp <= (now or datetime.now(UTC)).timestamp():
        raise TokenError(f"token: expired at {claims.expires_at:%Y-%m-%d %H:%M} UTC")
    if claims.scope != scope:
        raise TokenError(f"token: scope {claims.scope!r} does not allow {scope!r}", status=403)
    return claims
