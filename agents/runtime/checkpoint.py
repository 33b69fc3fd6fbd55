"""The LangGraph checkpointer over the shared store: the same SQLite file or PostgreSQL
database as ``LONGCAT_DATABASE_URL``, one saver per store and process."""

from __future__ import annotations

import atexit
import sqlite3
import threading
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from db.engine import SQLITE_BUSY_TIMEOUT_MS

# Held while one process creates the checkpoint tables, so workers starting together
# do not both create them.
SETUP_LOCK_ID = 7_412_300_002
_SAVERS: dict[str, BaseCheckpointSaver[Any]] = {}
_LOCK = threading.Lock()


def checkpointer_for(engine: Engine) -> BaseCheckpointSaver[Any]:
    key = engine.url.render_as_string(hide_password=False)
    with _LOCK:
        saver = _SAVERS.get(key)
        if saver is None:
            saver = _open(engine.url)
            _SAVERS[key] = saver
        return saver


def _open(url: URL) -> BaseCheckpointSaver[Any]:
    if url.get_backend_name() == "sqlite":
        return _sqlite(str(url.database))
    return _postgres(url)


def _sqlite(path: str) -> BaseCheckpointSaver[Any]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    # The saver serialises its own use of the connection with a lock.
    conn = sqlite3.connect(path, check_same_thread=False, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    atexit.register(conn.close)
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


def _postgres(url: URL) -> BaseCheckpointSaver[Any]:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg import Connection
    from psycopg.rows import DictRow, dict_row
    from psycopg_pool import ConnectionPool

    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    kwargs: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with Connection.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SETUP_LOCK_ID,))
        try:
            with Connection.connect(
                conninfo, autocommit=True, prepare_threshold=0, row_factory=dict_row
            ) as setup_conn:
                PostgresSaver(setup_conn).setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK_ID,))
    pool: ConnectionPool[Connection[DictRow]] = ConnectionPool(
        conninfo, kwargs=kwargs, min_size=1, max_size=8, open=True
    )
    atexit.register(pool.close)
    return PostgresSaver(pool)


def reset() -> None:
    """Forget every saver (tests that drop and recreate stores)."""
    with _LOCK:
        _SAVERS.clear()
