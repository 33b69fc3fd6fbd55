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
    from tests.conftest import TEST_NOW

    monkeypatch.setenv("LONGCAT_DATABASE_URL", seeded_url)
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
