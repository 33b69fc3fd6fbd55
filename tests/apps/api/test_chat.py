"""Chat over a tracking link: the reply streams as Server-Sent Events about the right order."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from apps.api.app import create_app
from tests.apps.api.conftest import make_settings, token_for


def events(text: str) -> list[tuple[str, dict]]:
    found = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_where_is_my_order_streams_the_status(client: TestClient, order_of) -> None:
    """Token events assemble into the reply; the done event carries the tool call on this order."""
    order = order_of("picked_up")
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
    token = token_for(order_of("assigned"))
    response = client.post(f"/api/chat/{token}", json={"message": "x" * 1001})
    assert response.status_code == 422 and response.json()["error"]["field"] == "message"
    assert client.post(f"/api/chat/{token}", json={"message": "   "}).status_code == 422
    assert client.post(f"/api/chat/{token}x", json={"message": "hi"}).status_code == 401


def test_turn_cap(seeded_url: str, order_of) -> None:
    """After the cap, the chat is refused with 429 and a code that says why."""
    with TestClient(create_app(make_settings(seeded_url, max_turns=2))) as c:
        token = token_for(order_of("assigned"))
        codes = [
            c.post(f"/api/chat/{token}", json={"message": "where is my order"}).status_code
            for _ in range(3)
        ]
        last = c.post(f"/api/chat/{token}", json={"message": "where is my order"})
    assert codes[:2] == [200, 200]
    assert last.status_code == 429 and last.json()["error"]["code"] == "turn_limit"
