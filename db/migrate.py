"""Apply the store's Alembic migrations; every entry point calls this before using the store."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK_ID = 7_412_300_001


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns whether anything was applied."""
    if current_revision(engine) == head_revision():
        return False
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine)
        return True
    with engine.begin() as connection:
        # Two entry points starting together must not both create the tables.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
        _run(connection)
    return True


def _run(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _upgrade_sqlite(engine: Engine) -> None:
    """SQLite alters a table by copying it, which foreign keys forbid once rows point at it.

    The pragma only changes outside a transaction, so it is switched on the raw
    connection around the migration, and the keys are checked before committing.
    """
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None  # a connection in use holds its DBAPI connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _run(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationError(
                        f"foreign keys: the migration left {len(broken)} broken reference(s), "
                        f"first in table {broken[0][0]!r}; nothing was applied"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


class MigrationError(RuntimeError):
    """A migration could not be applied; the store is left as it was."""
