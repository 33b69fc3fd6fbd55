"""Run dashboard pages under AppTest against a seeded store of their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def pages_on(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], AppTest]]:
    from tests.conftest import TEST_NOW

    monkeypatch.setenv("LONGCAT_DATABASE_URL", url)
    # The tests read hours on Shanghai's clock, whatever the machine's settings say.
    monkeypatch.delenv("LONGCAT_TIMEZONE", raising=False)
    # The seeded city is a snapshot of its lunchtime: the pages replay it at that moment.
    monkeypatch.setenv("LONGCAT_NOW", TEST_NOW.isoformat())
    st.cache_resource.clear()
    st.cache_data.clear()

    def load(name: str) -> AppTest:
        app = AppTest.from_file(str(PAGES / name), default_timeout=60)
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    yield load
    st.cache_resource.clear()
    st.cache_data.clear()
