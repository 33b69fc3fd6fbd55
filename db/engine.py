"""Engines and sessions for the shared store: a SQLite file by default, PostgreSQL to scale out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


class StoreConfigError(ValueError):
    """The database URL cannot be used for the store."""


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'longcat.db').resolve()}"


def normalize_url(url: str) -> URL:
    """Parse a database URL, choosing psycopg 3 for PostgreSQL and refusing other backends."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StoreConfigError(f"database_url: cannot parse {url!r} ({exc})") from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreConfigError(
            f"database_url: backend {parsed.get_backend_name()!r} is not supported; "
            "use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db"
        )
    return parsed


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine that several processes (API, dashboard, batch jobs) can share safely."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
    )
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes can fail at once with
        # SQLITE_BUSY when another process wrote in between; taking the write lock
        # up front makes concurrent writers queue behind the busy timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
