"""Run dashboard pages under AppTest against a seeded store of their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[2] / "dashboard" / "pages"


@pytest.fixture
def page(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], AppTest]]:
    yield from pages_on(seeded_url, monkeypatch)


@pytest.fixture
def planned_page(
    planned_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], AppTest]]:
    """Pages on the store with a lunchtime forecast run and plans for today and tomorrow."""
    yield from pages_on(planned_url, monkeypatch)


@contextmanager
def city_settings(monkeypatch: pytest.MonkeyPatch, now: datetime) -> Iterator[None]:
    """The dashboard's settings (read once, cached) for Shanghai at ``now``, whatever the
    machine's say, with fresh caches before and after."""
    monkeypatch.delenv("LONGCAT_TIMEZONE", raising=False)
    monkeypatch.setenv("LONGCAT_NOW", now.isoformat())
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        yield
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.fixture
def at_lunch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The dashboard's data read as the pages read it, at the seeded city's lunchtime."""
    from tests.conftest import TEST_NOW

    with city_settings(monkeypatch, TEST_NOW):
        yield


def pages_on(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], AppTest]]:
    from tests.conftest import TEST_NOW

    monkeypatch.setenv("LONGCAT_DATABASE_URL", url)

    def load(name: str) -> AppTest:
        app = AppTest.from_file(str(PAGES / name), default_timeout=60)
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    # The seeded city is a snapshot of its lunchtime: the pages replay it at that moment.
    with city_settings(monkeypatch, TEST_NOW):
        yield load
