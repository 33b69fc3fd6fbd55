"""An API client over a seeded store, with one key per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.api.app import create_app
from apps.api.tokens import sign
from apps.settings import Settings
from db.engine import make_engine
from db.models import Order

SECRET = "test-secret-" + "x" * 32
KEYS = {"view-key": "viewer", "disp-key": "dispatcher", "admin-key": "admin"}


def make_settings(url: str, **overrides: object) -> Settings:
    return Settings(
        database_url=url,
        secret_key=SECRET,
        api_keys=KEYS,
        cors_origins=["https://shop.example"],
        **overrides,
    )


@pytest.fixture
def client(seeded_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(seeded_url))) as c:
        yield c


@pytest.fixture
def order_of(seeded_url: str) -> Callable[[str], Order]:
    engine = make_engine(seeded_url)

    def pick(status: str) -> Order:
        with Session(engine) as session:
            return session.scalars(select(Order).where(Order.status == status).limit(1)).one()

    return pick


def token_for(order: Order, ttl: timedelta = timedelta(hours=2), **kw: object) -> str:
    return sign(SECRET, order.id, order.customer_id, ttl, **kw)
