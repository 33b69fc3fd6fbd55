"""Operators sign in with their name and key; a viewer reads, a dispatcher writes, and the
write is audited under the operator's name. With no operator configured sign-in is off."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard import auth
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.models import Order
from tests.dashboard.conftest import PAGES

KEY = "k3y-for-wang-fang"
OPERATORS = json.dumps(
    {
        "wang.fang": {"role": "dispatcher", "key": KEY},
        "li.lei": {"role": "viewer", "key": "k3y-for-li-lei-1"},
    }
)


@pytest.fixture
def operators(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LONGCAT_OPERATORS", OPERATORS)
    st.cache_resource.clear()  # the settings are read once per dashboard process
    yield
    st.cache_resource.clear()


def test_sign_in_takes_the_right_key_only(operators: None) -> None:
    """The configured name and key sign in with the configured role; a wrong key, or an
    unknown name, does not."""
    assert auth.sign_in("wang.fang", KEY) == auth.Operator("wang.fang", "dispatcher")
    assert auth.sign_in(" wang.fang ", KEY) is not None
    assert auth.sign_in("wang.fang", KEY + "x") is None
    assert auth.sign_in("nobody", KEY) is None


def _orders_page(url: str, monkeypatch: pytest.MonkeyPatch, who: auth.Operator | None) -> AppTest:
    from tests.conftest import TEST_NOW

    monkeypatch.setenv("LONGCAT_DATABASE_URL", url)
    monkeypatch.setenv("LONGCAT_NOW", TEST_NOW.isoformat())
    engine = make_engine(url)
    with engine.connect() as conn:
        order_id = conn.scalar(
            select(Order.id).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.id)
        )
    engine.dispose()
    app = AppTest.from_file(str(PAGES / "orders.py"), default_timeout=60)
    if who is not None:
        app.session_state["operator"] = who
    app.run()
    app.text_input[0].input(str(order_id)).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("backend", ["sqlite"])
def test_writes_wait_for_a_dispatcher(
    operators: None, seeded_url: str, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    """Signed out: the order opens but dispatch by hand asks to sign in; a viewer is told
    the role it needs; a dispatcher gets the controls."""
    signed_out = _orders_page(seeded_url, monkeypatch, None)
    assert any("Sign in" in i.value for i in signed_out.info)
    assert not [b for b in signed_out.button if b.label == "Preview"]
    viewer = _orders_page(seeded_url, monkeypatch, auth.Operator("li.lei", "viewer"))
    assert any("viewer" in i.value for i in viewer.info)
    assert not [b for b in viewer.button if b.label == "Preview"]
    dispatcher = _orders_page(seeded_url, monkeypatch, auth.Operator("wang.fang", "dispatcher"))
    assert [b for b in dispatcher.button if b.label == "Preview"]
    assert not any("Sign in" in i.value for i in dispatcher.info)
