"""Stores for the tests: each test gets its own copy of a migrated (or seeded) store,
on SQLite and on PostgreSQL.

Copies come from templates built once per session (a file copy on SQLite, a schema
filled from the template schema on PostgreSQL), so a test does not pay for seeding. In CI a missing PostgreSQL fails the tests; elsewhere they skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from agents.eval.world import plan_ahead
from apps.city.build import build_city
from apps.city.scales import SCALES
from apps.city.seed import seed_city
from db.bulk import sync_sequences
from db.engine import make_engine
from db.migrate import upgrade
from db.models import Base

POSTGRES_URL = os.environ.get(
    "LONGCAT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Lunchtime in Shanghai, so the seeded present has live work in every zone.
TEST_NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
TEST_SEED = 11
BACKENDS = ("sqlite", "postgresql")


def seed_small(engine: Engine) -> None:
    seed_city(engine, build_city(SCALES["small"], TEST_SEED, TEST_NOW))


def run_simulation(
    url: str,
    clock: datetime,
    started_at: datetime | None = None,
    updated_at: datetime | None = None,
) -> None:
    """A running simulation over the store at ``url`` whose clock reads ``clock``: the
    store's now, while ``updated_at`` (default: the wall clock) is recent."""
    from sqlalchemy.orm import Session

    from db.models import Simulation

    engine = make_engine(url)
    with Session(engine) as session:
        session.add(
            Simulation(
                name="live", seed=7, settings={}, started_at=started_at or clock, clock=clock,
                next_dispatch_at=clock, busy_until={}, counters={}, status="running",
                updated_at=updated_at or datetime.now(UTC),
            )
        )  # fmt: skip
        session.commit()
    engine.dispose()


def fill(engine: Engine, kind: str) -> None:
    """``seeded``: the small city; ``planned``: that city with a forecast run made at
    lunchtime and the staffing plans for today and tomorrow."""
    seed_small(engine)
    if kind == "planned":
        plan_ahead(engine, TEST_NOW)


class SqliteStores:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[str, Path] = {}

    def _template(self, kind: str) -> Path:
        if kind not in self.templates:
            path = self.root / f"template-{kind}.db"
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            if kind != "migrated":
                fill(engine, kind)
            # Closing the last connection checkpoints the WAL into the main file.
            engine.dispose()
            self.templates[kind] = path
        return self.templates[kind]

    def copy(self, kind: str) -> str:
        path = self.root / f"store-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(self._template(kind), path)
        return f"sqlite:///{path}"

    def close(self) -> None:
        pass


class PostgresStores:
    """One schema per store inside the test database.

    Schemas, unlike databases, are created and dropped without forcing a checkpoint,
    which on a slow disk costs seconds per test.
    """

    def __init__(self) -> None:
        self.admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        self.prefix = f"lc_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.templates: dict[str, str] = {}
        self.created: list[str] = []
        self._drop_stale()

    def _drop_stale(self) -> None:
        """Schemas left behind by test runs that were killed."""
        with self.admin.connect() as conn:
            names = conn.scalars(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lc\\_%'")
            ).all()
            for name in names:
                pid = int(name.split("_")[1])
                if not Path(f"/proc/{pid}").exists():
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))

    def url(self, schema: str) -> str:
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def _create(self, kind: str, schema: str) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        self.created.append(schema)
        engine = make_engine(self.url(schema))
        upgrade(engine)
        if kind != "migrated":
            self._fill(engine, schema, kind)
        engine.dispose()
        return self.url(schema)

    def _fill(self, engine: Engine, schema: str, kind: str) -> None:
        if kind not in self.templates:
            fill(engine, kind)
            self.templates[kind] = schema
            return
        source = self.templates[kind]
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                conn.execute(
                    text(f"INSERT INTO {schema}.{table.name} SELECT * FROM {source}.{table.name}")
                )
            sync_sequences(conn)

    def copy(self, kind: str) -> str:
        if kind != "migrated" and kind not in self.templates:
            self._create(kind, f"{self.prefix}_{kind}")
        return self._create(kind, f"{self.prefix}_{uuid.uuid4().hex[:8]}")

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        self.admin.dispose()


def postgres_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        engine = create_engine(make_url(POSTGRES_URL), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no server" here
        return f"PostgreSQL at {POSTGRES_URL} does not answer: {exc.__class__.__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def store_factories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    factories: dict[str, object] = {"sqlite": SqliteStores(tmp_path_factory.mktemp("stores"))}
    reason = postgres_available()
    factories["postgresql"] = reason if reason else PostgresStores()
    yield factories
    for factory in factories.values():
        if not isinstance(factory, str):
            factory.close()


def _factory(store_factories: dict[str, object], backend: str) -> SqliteStores | PostgresStores:
    factory = store_factories[backend]
    if isinstance(factory, str):
        if os.environ.get("CI"):
            pytest.fail(f"CI requires PostgreSQL: {factory}")
        pytest.skip(factory)
    return factory


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_url(store_factories: dict[str, object], backend: str) -> str:
    """URL of an empty, migrated store of its own."""
    return _factory(store_factories, backend).copy("migrated")


@pytest.fixture
def seeded_url(store_factories: dict[str, object], backend: str) -> str:
    """URL of a store of its own holding the small test city."""
    return _factory(store_factories, backend).copy("seeded")


@pytest.fixture
def planned_url(store_factories: dict[str, object], backend: str) -> str:
    """URL of a store of its own holding the small test city with a forecast run made at
    lunchtime and the staffing plans for today and tomorrow."""
    return _factory(store_factories, backend).copy("planned")


@pytest.fixture
def planned_engine(planned_url: str) -> Iterator[Engine]:
    engine = make_engine(planned_url)
    yield engine
    engine.dispose()


@pytest.fixture
def make_store(store_factories: dict[str, object], backend: str) -> Callable[[str], str]:
    return lambda kind="migrated": _factory(store_factories, backend).copy(kind)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()
