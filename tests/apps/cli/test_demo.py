"""`longcat demo` brings up the whole suite: the API, the dashboard and a living city."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.models import Order, Simulation


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read()
    except OSError:
        return None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_demo_serves_the_api_the_dashboard_and_a_moving_city(
    seeded_url: str, backend: str, tmp_path: Path
) -> None:
    """Within a minute of the command the API and the dashboard answer and the simulated
    city moves: its clock advances and new orders are placed in the store."""
    port = _free_port()
    env = {**os.environ, "LONGCAT_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("longcat")),
            "demo",
            "--port",
            str(port),
            "--speed",
            "600",
            "--database-url",
            seeded_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        newest_before = conn.scalar(select(Order.id).order_by(Order.id.desc()).limit(1))
    try:
        deadline = time.monotonic() + 90
        seen: dict[str, object] = {}
        while time.monotonic() < deadline and len(seen) < 3:
            if "api" not in seen and (body := _get(f"http://127.0.0.1:{port}/openapi.json")):
                seen["api"] = json.loads(body)["info"]["title"]
            if "dashboard" not in seen and _get(f"http://127.0.0.1:{port + 1}/_stcore/health"):
                seen["dashboard"] = True
            with engine.connect() as conn:
                sim = conn.execute(select(Simulation.clock, Simulation.started_at)).first()
                newest = conn.scalar(select(Order.id).order_by(Order.id.desc()).limit(1))
            if sim and sim.clock > sim.started_at and newest > newest_before:
                seen["city"] = (sim.clock - sim.started_at).total_seconds()
            time.sleep(1)
        assert seen.keys() == {"api", "dashboard", "city"}, seen
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        engine.dispose()
    assert (tmp_path / "simulate.log").exists()
