"""Chat over a tracking link: the reply streams as Server-Sent Events about the right order."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from apps.api.app import create_app
from db.domain.status import OrderStatus
from tests.apps.api.conftest import make_settings, token_for


def events(text: str) -> list[tuple[str, dict]]:
    found = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_where_is_my_order_streams_the_status(client: TestClient, order_of) -> None:
    """Token events assemble into the reply; the done event carries the tool call on this order."""
    order = order_of(OrderStatus.PICKED_UP)
    with client.stream(
        "POST", f"/api/chat/{token_for(order)}", json={"message": "where is my order?"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    found = events(body)
    kinds = [kind for kind, _ in found]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"token"} and len(kinds) > 2
    done = found[-1][1]
    assert "".join(data["text"] for kind, data in found[:-1]) == done["reply"]
    assert str(order.id) in done["reply"]
    assert any(call["arguments"].get("order_id") == order.id for call in done["tool_calls"])


def test_message_limits(client: TestClient, order_of) -> None:
    """Too long or blank messages are 422 naming the field; a bad token is 401."""
    token = token_for(order_of(OrderStatus.ASSIGNED))
    response = client.post(f"/api/chat/{token}", json={"message": "x" * 1001})
    assert response.status_code == 422 and response.json()["error"]["field"] == "message"
    assert client.post(f"/api/chat/{token}", json={"message": "   "}).status_code == 422
    assert client.post(f"/api/chat/{token}x", json={"message": "hi"}).status_code == 401


def test_turn_cap(seeded_url: str, order_of) -> None:
    """After the cap, the chat is refused with 429 and a code that says why."""
    with TestClient(create_app(make_settings(seeded_url, max_turns=2))) as c:
        token = token_for(order_of(OrderStatus.ASSIGNED))
        codes = [
            c.post(f"/api/chat/{token}", json={"message": "where is my order"}).status_code
            for _ in range(3)
        ]
        last = c.post(f"/api/chat/{token}", json={"message": "where is my order"})
    assert codes[:2] == [200, 200]
    assert last.status_code == 429 and last.json()["error"]["code"] == "turn_limit"


def test_a_shared_location_changes_the_address_on_yes(seeded_url: str, client: TestClient) -> None:
    """A location sent with a message (the widget's 📍 button or a tap on the map) becomes
    the proposed drop-off, written with those coordinates only after "yes"."""
    from sqlalchemy.orm import Session

    from agents.eval import world
    from db.engine import make_engine
    from db.models import Order

    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order = world.sole_open_order(session, OrderStatus.PLACED)
    token = token_for(order)
    spot = {"lat": 31.2352, "lon": 121.4786}
    body = {"message": "please bring it here instead", "location": spot}
    ask = events(client.post(f"/api/chat/{token}", json=body).text)[-1][1]
    assert "yes" in ask["reply"] and str(order.id) in ask["reply"]
    done = events(client.post(f"/api/chat/{token}", json={"message": "yes"}).text)[-1][1]
    assert done["tool_calls"][0]["result"]["status"] == "ok"
    with Session(engine) as session:
        after = session.get(Order, order.id)
        assert (after.dropoff_lat, after.dropoff_lon) == (spot["lat"], spot["lon"])
    bad = client.post(
        f"/api/chat/{token}", json={"message": "here", "location": {"lat": 91, "lon": 0}}
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "location.lat"


def test_a_link_chat_does_not_reach_the_customers_other_order(
    seeded_url: str, client: TestClient
) -> None:
    """From one order's link, cancelling the customer's other order is refused with the
    pointer to that order's own link, and nothing is written."""
    from sqlalchemy.orm import Session

    from agents.eval import world
    from db.engine import make_engine
    from db.models import Order
    from tests.agents.customer.test_graph import second_open_order

    engine = make_engine(seeded_url)
    with Session(engine) as session:
        first = world.sole_open_order(session, OrderStatus.PLACED)
    other = second_open_order(engine, first)
    token = token_for(first)
    reply = events(
        client.post(f"/api/chat/{token}", json={"message": f"cancel order {other}"}).text
    )
    client.post(f"/api/chat/{token}", json={"message": "yes"})
    assert "own tracking link" in reply[-1][1]["reply"]
    with Session(engine) as session:
        assert session.get(Order, other).status == OrderStatus.CONFIRMED
