"""Tracking links: the right order's status, timeline, courier and ETA; bad tokens refused."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from apps.api.tokens import sign
from tests.apps.api.conftest import SECRET, token_for


def test_track_shows_the_order(client: TestClient, order_of) -> None:
    """A picked-up order shows its courier's position and an ETA from the active plan."""
    order = order_of("picked_up")
    response = client.get(f"/api/track/{token_for(order)}")
    assert response.status_code == 200
    body = response.json()
    assert body["order_id"] == order.id and body["status"] == "picked_up"
    assert body["courier"]["id"] == order.courier_id
    assert body["eta"] is not None
    assert [s["status"] for s in body["timeline"]][-1] == "picked_up"
    assert "customer_id" not in body and "items" not in body


def test_expired_and_tampered_tokens_are_401(client: TestClient, order_of) -> None:
    """An expired link and a link with one changed byte are refused with a JSON error."""
    order = order_of("assigned")
    expired = token_for(order, ttl=timedelta(seconds=-5))
    response = client.get(f"/api/track/{expired}")
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]
    good = token_for(order)
    body, sig = good.split(".")
    tampered = f"{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"
    response = client.get(f"/api/track/{tampered}")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "bad_token",
        "message": "token: the signature does not match",
        "field": "token",
    }
    forged = sign("another-secret", order.id, order.customer_id, timedelta(hours=1))
    assert client.get(f"/api/track/{forged}").status_code == 401


def test_wrong_scope_is_403(client: TestClient, order_of) -> None:
    """A token signed for another purpose cannot read tracking."""
    order = order_of("assigned")
    token = sign(SECRET, order.id, order.customer_id, timedelta(hours=1), scope="admin")
    response = client.get(f"/api/track/{token}")
    assert response.status_code == 403 and "scope" in response.json()["error"]["message"]
