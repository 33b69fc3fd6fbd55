"""Request protection: a body size limit and fixed-window rate limits per key."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

from apps.api.errors import ApiError, error_response


class BodyLimit(BaseHTTPMiddleware):
    """Refuse bodies over `max_bytes` (413) before anything reads them."""

    def __init__(self, app: object, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return error_response(413, "too_large", f"body: larger than {self.max_bytes} bytes")
        return await call_next(request)


class RateLimiter:
    """At most `limit` requests per key per window; in-process, so one limiter per API process."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            start, count = self._counts.get(key, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            if count >= self.limit:
                retry = max(1, math.ceil(self.window_s - (now - start)))
                raise ApiError(
                    429,
                    "rate_limited",
                    f"too many requests; retry in {retry} s",
                    headers={"Retry-After": str(retry)},
                )
            self._counts[key] = (start, count + 1)
