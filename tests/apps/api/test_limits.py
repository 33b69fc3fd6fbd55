"""Protection: body size (413), rate limits (429 with Retry-After), CORS allow-list, no traces."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from apps.api.app import create_app
from db.domain.status import OrderStatus
from tests.apps.api.conftest import make_settings, token_for


def test_body_too_large(client: TestClient) -> None:
    """A body over the limit is refused before it is read."""
    response = client.post(
        "/api/dispatch",
        content=b"x" * 20_000,
        headers={"X-API-Key": "disp-key", "Content-Type": "application/json"},
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_rate_limit_per_token(seeded_url: str, order_of) -> None:
    """The (n+1)th request in a minute is 429 and says when to retry."""
    with TestClient(create_app(make_settings(seeded_url, rate_limit_per_minute=3))) as c:
        token = token_for(order_of(OrderStatus.ASSIGNED))
        codes = [c.get(f"/api/track/{token}").status_code for _ in range(3)]
        limited = c.get(f"/api/track/{token}")
    assert codes == [200, 200, 200]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_cors_allow_list(client: TestClient, order_of) -> None:
    """Only listed origins get CORS headers."""
    token = token_for(order_of(OrderStatus.ASSIGNED))
    ok = client.get(f"/api/track/{token}", headers={"Origin": "https://shop.example"})
    assert ok.headers.get("access-control-allow-origin") == "https://shop.example"
    other = client.get(f"/api/track/{token}", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_openapi_document(client: TestClient) -> None:
    """The OpenAPI document lists the tracking endpoint and the operator endpoints."""
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/track/{token}", "/api/orders", "/api/dispatch", "/api/couriers"} <= set(paths)


REDIS_URL = "redis://127.0.0.1:6379/15"


def test_rate_limit_shared_by_workers_through_redis(seeded_url: str, order_of) -> None:
    """Two API processes' apps on one Redis count one limit together: with a limit of 3 a
    minute, two requests to one and one to the other use it up, and the next is 429."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    token = token_for(order_of(OrderStatus.ASSIGNED))
    settings = make_settings(seeded_url, rate_limit_per_minute=3, redis_url=REDIS_URL)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        codes = [one.get(f"/api/track/{token}").status_code for _ in range(2)]
        codes.append(two.get(f"/api/track/{token}").status_code)
        limited = two.get(f"/api/track/{token}")
        also = one.get(f"/api/track/{token}")
    assert codes == [200, 200, 200]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert also.status_code == 429


def test_an_unreachable_redis_is_named_at_start(seeded_url: str) -> None:
    """A Redis that does not answer stops the app from starting, naming redis_url."""
    from apps.api.limits import LimiterConfigError

    settings = make_settings(seeded_url, redis_url="redis://127.0.0.1:9/0")
    with pytest.raises(LimiterConfigError, match="redis_url"):
        create_app(settings)


def test_the_limiter_forgets_clients_after_their_window() -> None:
    """Memory is bounded by the clients of the last windows: a thousand addresses seen once
    are forgotten once their windows have passed (swept when the next request comes), and
    a client over its limit is let through again after it."""
    import time

    from apps.api.errors import ApiError
    from apps.api.limits import RateLimiter

    limiter = RateLimiter(2, window_s=1)
    for i in range(1000):
        limiter.hit(f"ip:10.0.{i // 250}.{i % 250}")
    assert len(limiter.storage.storage) >= 1000
    limiter.hit("ip:greedy")
    limiter.hit("ip:greedy")
    with pytest.raises(ApiError):
        limiter.hit("ip:greedy")
    time.sleep(2.5)  # two windows: the sliding counter's previous window is gone too
    limiter.hit("ip:greedy")
    deadline = time.monotonic() + 5
    while len(limiter.storage.storage) > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [k for k in limiter.storage.storage if "greedy" not in k] == []
    assert not limiter.storage.events
