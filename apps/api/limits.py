"""Request protection: a body size limit, and sliding-window rate limits per key.

Limits are counted by the ``limits`` library: in this process's memory by default, in
Redis (``LONGCAT_REDIS_URL``) when several API workers must share them. Sliding-window
counters rather than a moving window of timestamps: a counter expires with its window
(in memory, swept on the next request; in Redis, by its TTL), whereas the memory storage
keeps a moving window's key for ever once seen, so the limiter's memory would grow with
every address.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from apps.api.errors import ApiError, error_response

NAMESPACE = "longcat"


class BodyLimit(BaseHTTPMiddleware):
    """Refuse bodies over `max_bytes` (413) before anything reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return error_response(413, "too_large", f"body: larger than {self.max_bytes} bytes")
        return await call_next(request)


class LimiterConfigError(ValueError):
    """The rate-limit storage cannot be used."""


def _storage(url: str | None) -> Storage:
    try:
        storage = storage_from_string(url or "memory://")
    except Exception as exc:  # limits raises several kinds for a bad URL or missing driver
        raise LimiterConfigError(f"redis_url: cannot use {url!r} for rate limits: {exc}") from exc
    if not isinstance(storage, Storage):  # an ``async+`` scheme: this limiter is synchronous
        raise LimiterConfigError(f"redis_url: {url!r} is an asynchronous storage; use redis://")
    if url and not storage.check():
        raise LimiterConfigError(f"redis_url: {url} does not answer")
    return storage


class RateLimiter:
    """At most ``limit`` requests per key in any ``window_s`` seconds (a minute), shared by
    every process on the storage."""

    def __init__(self, limit: int, storage_url: str | None = None, window_s: int = 60) -> None:
        self.item: RateLimitItem = RateLimitItemPerSecond(limit, window_s)
        self.storage = _storage(storage_url)
        self._strategy = SlidingWindowCounterRateLimiter(self.storage)

    def hit(self, key: str) -> None:
        if self._strategy.hit(self.item, NAMESPACE, key):
            return
        reset = self._strategy.get_window_stats(self.item, NAMESPACE, key).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests; retry in {retry} s",
            headers={"Retry-After": str(retry)},
        )
