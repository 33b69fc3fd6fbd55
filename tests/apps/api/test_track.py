"""Tracking links: the right order's status, timeline, courier and ETA; bad tokens refused."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from apps.api.tokens import sign
from db.domain.status import OrderStatus
from tests.apps.api.conftest import SECRET, token_for


def test_track_shows_the_order(client: TestClient, order_of) -> None:
    """A picked-up order shows its courier's position and an ETA from the active plan."""
    order = order_of(OrderStatus.PICKED_UP)
    response = client.get(f"/api/track/{token_for(order)}")
    assert response.status_code == 200
    body = response.json()
    assert body["order_id"] == order.id and body["status"] == OrderStatus.PICKED_UP
    assert body["courier"]["id"] == order.courier_id
    assert body["eta"] is not None
    assert [s["status"] for s in body["timeline"]][-1] == OrderStatus.PICKED_UP
    assert "customer_id" not in body
    # The customer's own items, by name and count (no prices); the courier by first name.
    assert body["items"] and all(set(i) == {"name", "qty"} for i in body["items"])
    assert (
        body["courier"]["first_name"] and body["courier"]["first_name"] in body["courier"]["name"]
    )
    assert body["language"] in ("en", "zh")


def test_the_name_a_customer_is_told() -> None:
    """Family name first, as couriers are named here: the given name follows it."""
    from db.queries import given_name

    assert given_name("Yang Lei") == "Lei"
    assert given_name("Ouyang Xiao Ming") == "Xiao Ming"
    assert given_name("杨磊") == "磊"
    assert given_name("Madonna") == "Madonna"


def test_a_cancelled_order_has_no_courier_and_no_eta(client: TestClient, order_of) -> None:
    body = client.get(f"/api/track/{token_for(order_of(OrderStatus.CANCELLED))}").json()
    assert body["status"] == "cancelled" and body["eta"] is None and body["courier"] is None


def test_a_bad_link_gets_a_page_a_person_can_read(client: TestClient, order_of) -> None:
    """The tracking page for a malformed, tampered or expired link is HTML that says what
    to do, in Chinese when the browser asks for it, with the HTTP status kept."""
    order = order_of(OrderStatus.ASSIGNED)
    malformed = client.get("/track/not-a-token-at-all")
    assert malformed.status_code == 404 and "text/html" in malformed.headers["content-type"]
    assert "not a valid tracking link" in malformed.text
    expired = token_for(order, ttl=timedelta(seconds=-5))
    page = client.get(f"/track/{expired}")
    assert page.status_code == 401 and "has expired" in page.text and "<html" in page.text
    zh = client.get(f"/track/{expired}", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert zh.status_code == 401 and "已过期" in zh.text and 'lang="zh"' in zh.text
    good = token_for(order)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    assert client.get(f"/track/{tampered}").status_code == 401
    assert client.get(f"/track/{good}").status_code == 200


def test_expired_and_tampered_tokens_are_401(client: TestClient, order_of) -> None:
    """An expired link and a link with one changed byte are refused with a JSON error."""
    order = order_of(OrderStatus.ASSIGNED)
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
    order = order_of(OrderStatus.ASSIGNED)
    token = sign(SECRET, order.id, order.customer_id, timedelta(hours=1), scope="admin")
    response = client.get(f"/api/track/{token}")
    assert response.status_code == 403 and "scope" in response.json()["error"]["message"]
