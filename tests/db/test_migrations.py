"""The Alembic migrations build exactly the schema the models declare, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.models import Base


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_models(engine: Engine) -> None:
    """After `upgrade`, autogenerate finds nothing to add, drop or alter."""
    assert current_revision(engine) == head_revision()
    assert _diff(engine) == []


def test_partial_unique_index_exists(engine: Engine) -> None:
    """The one-active-assignment rule is a unique index in the database itself."""
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("assignments")}
    assert indexes["uq_assignments_active_order"]["unique"]


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    """Every migration can be undone and redone; `upgrade` reports whether it did work."""
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert "orders" not in inspect(engine).get_table_names()
    assert upgrade(engine) is True
    assert upgrade(engine) is False
    assert _diff(engine) == []


def test_upgrade_keeps_the_data_of_a_populated_store(engine: Engine) -> None:
    """A store seeded under the first revision upgrades to the newest with every row kept,
    even where SQLite has to copy a table that other rows point at."""
    from sqlalchemy import func, select

    from db.models import Order, OrderEvent
    from tests.conftest import seed_small

    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    seed_small(engine)
    with engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(Order))
    assert upgrade(engine) is True
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Order)) == before
        assert conn.scalar(select(func.count()).select_from(OrderEvent)) > before
    assert _diff(engine) == []
