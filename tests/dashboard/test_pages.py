"""Every page renders on a seeded store with its key elements; actions change the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.models import Assignment, RoutePlan


@pytest.mark.parametrize("backend", ["sqlite"])
def test_live_operations(page, backend: str) -> None:
    """KPIs and the map render; the KPI values come from the store."""
    app = page("live.py")
    labels = [m.label for m in app.metric]
    assert labels == [
        "Orders, last hour",
        "On time (24 h)",
        "Avg delivery (24 h)",
        "Unassigned",
        "Courier utilisation",
    ]
    assert app.get("deck_gl_json_chart")
    assert "open orders" in app.caption[0].value


def test_dispatch_propose_and_commit(page, seeded_url: str) -> None:
    """Propose shows the changes; commit writes the next plan version."""
    app = page("dispatch.py")
    app.slider[0].set_value(0.5)
    app.button[0].click().run(timeout=120)
    assert not app.exception
    assert "Proposal" in app.subheader[0].value
    app.button[1].click().run(timeout=60)
    assert any("committed" in s.value for s in app.success)
    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.max(RoutePlan.version))) == 2
        assert (
            conn.scalar(select(func.count()).select_from(Assignment).where(Assignment.active)) > 0
        )
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_forecasts_without_a_run(page, backend: str) -> None:
    """Before any run the page says how to start one and offers the button."""
    app = page("forecasts.py")
    assert "No forecast run yet" in app.info[0].value
    assert app.button[0].label.startswith("Start a batch run")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_supply_without_a_plan(page, backend: str) -> None:
    """Without a staffing plan the page says which command makes one."""
    assert "longcat staffing plan" in page("supply.py").info[0].value


@pytest.mark.parametrize("backend", ["sqlite"])
def test_agent_console_answers_with_tool_calls(page, backend: str) -> None:
    """A question to the dispatch agent shows its reply and the tool call behind it."""
    app = page("agent.py")
    app.chat_input[0].set_value("list the unassigned orders").run(timeout=60)
    assert not app.exception
    assert len(app.chat_message) == 2
    assert app.expander, "the tool call is shown"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_customer_service_page(page, backend: str) -> None:
    """Tickets and compensations tables render even when empty."""
    app = page("service.py")
    assert app.subheader[0].value.startswith("Tickets")
    assert len(app.dataframe) == 2


@pytest.mark.parametrize("backend", ["sqlite"])
def test_data_page_offers_every_kind(page, backend: str) -> None:
    """The import page offers the same kinds as the CLI."""
    app = page("data_import.py")
    assert app.selectbox[0].options == ["merchants", "customers", "couriers", "orders"]


def test_every_page_has_a_test() -> None:
    """No page is left without a test in this module."""
    pages = {
        p.stem for p in (Path(__file__).resolve().parents[2] / "dashboard" / "pages").glob("*.py")
    }
    source = Path(__file__).read_text()
    assert all(f'"{name}.py"' in source for name in pages), pages
