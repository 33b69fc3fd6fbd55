"""One clock: while the live city runs on a store, the tracking API, the chat, the
dashboard's data module and ``longcat order show`` all read its clock and tell the same
status and ETA for an order, and every time shown to a person is the city's."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from apps.api.app import create_app
from apps.cli import app as cli
from apps.simulator.loop import Simulator
from apps.simulator.settings import SimSettings
from dashboard import data
from db.clock import store_now
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import Assignment, Order
from tests.apps.api.conftest import make_settings, token_for

CITY = ZoneInfo("Asia/Shanghai")


def riding_order(engine: Engine) -> Order:
    """An order a courier has, with a planned drop-off: the one a customer would watch."""
    with Session(engine) as s:
        return s.scalars(
            select(Order)
            .join(Assignment, Assignment.order_id == Order.id)
            .where(
                Assignment.active, Order.status.in_((OrderStatus.ASSIGNED, OrderStatus.PICKED_UP))
            )
            .order_by(Assignment.eta_dropoff.desc())
            .limit(1)
        ).one()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_surface_tells_the_same_moment_and_eta(seeded_url: str, backend: str) -> None:
    """Twenty simulated minutes in (days away from the wall clock), the API's now is the
    simulation's, and the API, the chat, the dashboard and the CLI agree on the order."""
    engine = make_engine(seeded_url)
    sim = Simulator(engine, SimSettings(seed=3), name="live", timezone="Asia/Shanghai")
    for _ in range(40):
        sim.step()
    with Session(engine) as s:
        now = store_now(s)
    assert now == sim.clock and abs(now - sim.started_at - timedelta(minutes=20)) < timedelta(
        seconds=1
    )
    order = riding_order(engine)
    token = token_for(order)
    with TestClient(create_app(make_settings(seeded_url))) as api:
        tracked = api.get(f"/api/track/{token}").json()
        chat = api.post(f"/api/chat/{token}", json={"message": "where is my order?"})
    assert tracked["status"] == order.status and tracked["timezone"] == "Asia/Shanghai"
    assert tracked["now"].startswith(now.isoformat()[:19])
    eta = tracked["eta"]
    eta_at = datetime.fromisoformat(eta)
    local_eta = f"{eta_at.astimezone(CITY):%H:%M}"
    minutes = round((eta_at - now).total_seconds() / 60)
    done = [json.loads(line[6:]) for line in chat.text.splitlines() if line.startswith("data: ")]
    reply = done[-1]["reply"]
    assert local_eta in reply, reply
    said = int(re.search(r"in about (\d+) min", reply).group(1))  # type: ignore[union-attr]
    assert abs(said - max(0, minutes)) <= 1

    shown = CliRunner().invoke(cli, ["order", "show", str(order.id), "--database-url", seeded_url])
    assert shown.exit_code == 0, shown.output
    assert (
        "Asia/Shanghai" in shown.output
        and f"{eta_at.astimezone(CITY):%Y-%m-%d %H:%M}" in shown.output
    )
    as_json = CliRunner().invoke(
        cli, ["order", "show", str(order.id), "--json", "--database-url", seeded_url]
    )
    listed = json.loads(as_json.stdout)
    assert listed["status"] == tracked["status"]
    assert datetime.fromisoformat(listed["eta"]) == eta_at

    data.st.cache_data.clear()
    assert data.present(seeded_url).to_pydatetime() == now
    assert data.local_time(now).endswith("(Asia/Shanghai)")
    board = data.open_orders(seeded_url)
    row = board[board["id"] == order.id].iloc[0]
    assert row["status"] == order.status
    assert row["promised_at"] == order.promised_at.astimezone(CITY).replace(tzinfo=None)
    engine.dispose()
