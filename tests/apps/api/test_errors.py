"""Every error answer keeps the documented shape {"error": {"code", "message", "field"}},
the framework's own included; operator routes check the key before the body; wrong keys
count against the client's rate limit.

The contract is the web layer's, whatever the store: one app over a SQLite store serves
the module (the store-specific answers are tested on both stores in test_operator).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.api.app import create_app
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import Order
from tests.apps.api.conftest import make_settings, token_for


@pytest.fixture(scope="module")
def sqlite_url(store_factories: dict[str, object]) -> str:
    return store_factories["sqlite"].copy("seeded")


@pytest.fixture(scope="module")
def order_of_sqlite(sqlite_url: str) -> str:
    """A tracking token for an assigned order of the module's store."""
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        order = session.scalars(
            select(Order).where(Order.status == OrderStatus.ASSIGNED).limit(1)
        ).one()
    engine.dispose()
    return token_for(order)


@pytest.fixture(scope="module")
def client(sqlite_url: str) -> Iterator[TestClient]:
    settings = make_settings(sqlite_url, rate_limit_per_minute=100_000)
    with TestClient(create_app(settings)) as c:
        yield c


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "field"}, body
    assert body["error"]["code"] == code and body["error"]["message"], body
    return body["error"]


def test_unknown_path_and_wrong_method(client: TestClient) -> None:
    """Routing's own 404 and 405 come in the documented shape; 405 keeps its Allow header."""
    _error(client.get("/api/no-such-thing"), 404, "not_found")
    wrong = client.delete("/api/dispatch", headers={"X-API-Key": "disp-key"})
    _error(wrong, 405, "method_not_allowed")
    assert "POST" in wrong.headers["allow"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"\xff\xfe{not utf-8", 400, "bad_request"),
        (b'{"zone_id": ', 400, "bad_request"),
        (b'{"time_limit_s": "slow"}', 422, "invalid"),
    ],
)
def test_broken_bodies_with_a_key(client: TestClient, body: bytes, status: int, code: str) -> None:
    """A body that is not UTF-8 or not JSON is malformed (400, field "body"); one that is
    JSON but not the schema is invalid (422, naming the field)."""
    response = client.post(
        "/api/dispatch",
        content=body,
        headers={"X-API-Key": "disp-key", "Content-Type": "application/json"},
    )
    _error(response, status, code)


@pytest.mark.parametrize("body", [b"\xff\xfe{not utf-8", b'{"zone_id": ', b"[]"])
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_the_key_is_checked_before_the_body(client: TestClient, body: bytes, key: str) -> None:
    """Without a valid key the answer is 401, whatever the body: nothing about its shape
    is told to a caller who may not send it."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["X-API-Key"] = key
    error = _error(client.post("/api/dispatch", content=body, headers=headers), 401, "unauthorized")
    assert error["field"] == "X-API-Key"


def test_a_body_that_is_not_json_is_415(client: TestClient, order_of_sqlite) -> None:
    """A JSON route sent another content type says so (415), naming the header, on the
    operator's dispatch and on the customer's chat alike."""
    response = client.post(
        "/api/dispatch",
        content=b'{"time_limit_s": 0.5}',
        headers={"X-API-Key": "disp-key", "Content-Type": "text/plain"},
    )
    assert _error(response, 415, "unsupported_media_type")["field"] == "Content-Type"
    chat = client.post(
        f"/api/chat/{order_of_sqlite}",
        content=b"where is my food",
        headers={"Content-Type": "text/plain"},
    )
    assert _error(chat, 415, "unsupported_media_type")["field"] == "Content-Type"


def test_a_viewer_key_is_forbidden_before_the_body(client: TestClient) -> None:
    """The role is checked before the body too: a viewer's broken body is 403, not 400."""
    response = client.post(
        "/api/dispatch",
        content=b"\xff",
        headers={"X-API-Key": "view-key", "Content-Type": "application/json"},
    )
    _error(response, 403, "forbidden")


def test_wrong_keys_meet_the_rate_limit(sqlite_url: str) -> None:
    """Guessing keys is rate-limited per client address: with a limit of 5 a minute the
    sixth wrong key is 429 with Retry-After, and so is a bad tracking token after it."""
    with TestClient(create_app(make_settings(sqlite_url, rate_limit_per_minute=5))) as c:
        codes = [
            c.get("/api/orders", headers={"X-API-Key": f"guess-{i}"}).status_code for i in range(6)
        ]
        token = c.get("/api/track/not-a-real-token-at-all")
    assert codes == [401] * 5 + [429]
    assert token.status_code == 429


def test_a_valid_key_is_not_slowed_by_another_clients_guesses(sqlite_url: str) -> None:
    """A good key is counted under its own name, not under the address that guessed."""
    with TestClient(create_app(make_settings(sqlite_url, rate_limit_per_minute=3))) as c:
        for i in range(4):
            c.get("/api/orders", headers={"X-API-Key": f"guess-{i}"})
        ok = c.get("/api/orders", headers={"X-API-Key": "view-key"})
    assert ok.status_code == 200


def test_the_documented_errors(client: TestClient) -> None:
    """The OpenAPI document gives every operation the error shape for 4XX and 5XX, in
    place of FastAPI's own validation-error schema."""
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "4XX" in responses and "5XX" in responses, (method, path)
            assert "HTTPValidationError" not in str(responses.get("422", "")), (method, path)
