"""Several processes writing to one store at once lose nothing, on SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select, update

from db.engine import make_engine
from db.models import AuditEntry, Zone
from routing.processes import process_context

WORKERS = 6
WRITES = 25


def _writer(url: str, worker: int, start: mp.synchronize.Event) -> None:
    engine = make_engine(url)
    start.wait()
    for i in range(WRITES):
        with engine.begin() as conn:
            # Read-modify-write: the pattern that loses updates without proper locking.
            radius = conn.scalar(select(Zone.radius_km).where(Zone.id == 1).with_for_update())
            conn.execute(update(Zone).where(Zone.id == 1).values(radius_km=radius + 1))
            conn.execute(
                insert(AuditEntry),
                {
                    "at": datetime.now(UTC),
                    "actor": f"worker-{worker}",
                    "action": "write",
                    "arguments": {"i": i},
                    "result": None,
                },
            )
    engine.dispose()


def test_concurrent_writers_lose_nothing(store_url: str, engine: Engine) -> None:
    """Every insert lands once and every increment of a shared counter survives."""
    with engine.begin() as conn:
        conn.execute(
            insert(Zone),
            {
                "id": 1,
                "code": "Z",
                "name": "Z",
                "center_lat": 31.2,
                "center_lon": 121.4,
                "radius_km": 1.0,
            },
        )
    ctx = process_context()
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(store_url, w, start)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    with engine.connect() as conn:
        per_worker = dict(
            conn.execute(select(AuditEntry.actor, func.count()).group_by(AuditEntry.actor)).all()
        )
        radius = conn.scalar(select(Zone.radius_km).where(Zone.id == 1))
    assert per_worker == {f"worker-{w}": WRITES for w in range(WORKERS)}
    assert radius == 1.0 + WORKERS * WRITES
