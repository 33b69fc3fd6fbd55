"""Operator endpoints: API keys and roles, pagination, dispatch, errors as JSON."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from apps.api.app import create_app
from tests.apps.api.conftest import make_settings
from tests.conftest import TEST_NOW


def test_keys_and_roles(client: TestClient) -> None:
    """No key is 401, an unknown key is 401, a viewer cannot dispatch (403)."""
    assert client.get("/api/orders").status_code == 401
    assert client.get("/api/orders", headers={"X-API-Key": "nope"}).status_code == 401
    response = client.post("/api/dispatch", json={}, headers={"X-API-Key": "view-key"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_orders_paginate(client: TestClient) -> None:
    """Pages do not overlap, cover the total, and filter by status."""
    headers = {"X-API-Key": "view-key"}
    first = client.get("/api/orders?limit=7&offset=0", headers=headers).json()
    second = client.get("/api/orders?limit=7&offset=7", headers=headers).json()
    assert first["total"] == second["total"] > 14
    ids = [o["id"] for o in first["items"]] + [o["id"] for o in second["items"]]
    assert len(ids) == len(set(ids)) == 14
    cancelled = client.get("/api/orders?status=cancelled&limit=500", headers=headers).json()
    assert {o["status"] for o in cancelled["items"]} == {"cancelled"}
    response = client.get("/api/orders?status=lost", headers=headers)
    assert response.status_code == 422 and response.json()["error"]["field"] == "status"
    response = client.get("/api/orders?limit=0", headers=headers)
    assert response.status_code == 422 and response.json()["error"]["field"] == "limit"


def test_dispatch_round_over_the_api(seeded_url: str) -> None:
    """A dispatcher triggers a round at the store's now; the new plan version comes back
    with what changed; the same round again has nothing left to do and writes nothing."""
    settings = make_settings(seeded_url, now=TEST_NOW + timedelta(minutes=1))
    headers = {"X-API-Key": "disp-key"}
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/dispatch", json={"time_limit_s": 1}, headers=headers)
        again = client.post("/api/dispatch", json={"time_limit_s": 1}, headers=headers)
        bad = client.post("/api/dispatch", json={"time_limit_s": -1}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and not body["nothing_left"]
    assert any(c["before"] is None and c["after"] is not None for c in body["changes"])
    assert all(c["after"] is not None or c["reason"] for c in body["changes"])
    assert again.status_code == 200
    assert again.json()["version"] is None and again.json()["nothing_left"]
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "time_limit_s"


def test_unknown_order_and_empty_plans(client: TestClient) -> None:
    """Missing things are 404 with a message; lists of nothing are empty, not errors."""
    headers = {"X-API-Key": "admin-key"}
    response = client.get("/api/orders/99999999", headers=headers)
    assert response.status_code == 404 and "99999999" in response.json()["error"]["message"]
    assert client.get("/api/forecasts/latest", headers=headers).json() == []
    assert client.get("/api/staffing-plans/latest", headers=headers).status_code == 404
    assert client.get("/api/tickets", headers=headers).json()["total"] == 0


def test_couriers_page(client: TestClient) -> None:
    """Couriers list with their status and last position."""
    body = client.get("/api/couriers?status=busy", headers={"X-API-Key": "view-key"}).json()
    assert body["total"] >= 1 and {c["status"] for c in body["items"]} == {"busy"}
