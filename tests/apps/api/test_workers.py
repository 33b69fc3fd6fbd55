"""Chats survive their API process: a cancel proposed through one ``longcat api`` process,
which is then killed (SIGKILL), is confirmed through another process on the same store,
and the order is cancelled exactly once. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.eval import world
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import AuditEntry, Order
from tests.apps.api.conftest import SECRET, token_for

ROOT = Path(__file__).resolve().parents[3]
LONGCAT = Path(sys.executable).parent / "longcat"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_process(url: str, tmp: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LONGCAT_SECRET_KEY": SECRET,
        "LONGCAT_DATA_DIR": str(tmp),
        "LONGCAT_AGENT_STRATEGY": "rules",
    }
    log = (tmp / f"api-{port}.log").open("wb")
    process = subprocess.Popen(
        [str(LONGCAT), "api", "--port", str(port), "--database-url", url],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp / f"api-{port}.log").read_text()[-2000:]
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the API did not start within 60 s"
                time.sleep(0.3)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        log.close()


def chat(base: str, token: str, message: str) -> dict:
    response = httpx.post(f"{base}/api/chat/{token}", json={"message": message}, timeout=60)
    assert response.status_code == 200, response.text
    blocks = [b for b in response.text.strip().split("\n\n") if b.startswith("event: done")]
    return json.loads(blocks[-1].split("data: ", 1)[1])


def test_yes_through_another_worker_after_a_kill(seeded_url: str, tmp_path: Path) -> None:
    """Propose in worker A, SIGKILL it, say "yes" through worker B: one cancellation."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        target = world.sole_open_order(session, OrderStatus.CONFIRMED)
    token = token_for(target)
    with (
        api_process(seeded_url, tmp_path) as (a, process_a),
        api_process(seeded_url, tmp_path) as (b, _),
    ):
        proposed = chat(a, token, "please cancel my order")
        assert str(target.id) in proposed["reply"] and "yes" in proposed["reply"]
        os.kill(process_a.pid, signal.SIGKILL)
        process_a.wait(timeout=10)
        done = chat(b, token, "yes")
        again = chat(b, token, "yes")
    assert done["tool_calls"][0]["name"] == "cancel_order"
    assert done["tool_calls"][0]["result"]["status"] == "ok"
    assert again["tool_calls"] == []
    with Session(engine) as session:
        assert session.get(Order, target.id).status == OrderStatus.CANCELLED
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "cancel_order")
        ).all()
    assert sum(1 for e in entries if e.arguments["_confirmed"]) == 1
    engine.dispose()
