"""Every page renders on a seeded store with its key elements; actions change the store."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.domain.status import OPEN, OrderStatus
from db.engine import make_engine
from db.models import (
    Assignment,
    AuditEntry,
    Compensation,
    Courier,
    DemandObservation,
    ForecastRun,
    Merchant,
    Order,
    RoutePlan,
)


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


@pytest.mark.parametrize("backend", ["sqlite"])
def test_live_shows_the_simulated_clock(page, seeded_url: str, backend: str) -> None:
    """While a simulation runs over the store, the live page shows its clock and status, in
    the city's time."""
    from tests.conftest import TEST_NOW, run_simulation

    clock = TEST_NOW + timedelta(minutes=42)
    run_simulation(seeded_url, clock, started_at=TEST_NOW, updated_at=TEST_NOW)
    app = page("live.py")
    captions = " ".join(c.value for c in app.caption)
    from zoneinfo import ZoneInfo

    assert (
        f"{clock.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M} (Asia/Shanghai)" in captions
    )
    assert "running" in captions


def test_dispatch_propose_and_commit(page, seeded_url: str) -> None:
    """Propose shows the changes; commit writes the next plan version."""
    app = page("dispatch.py")
    app.slider[0].set_value(0.5)
    app.button[0].click().run(timeout=120)
    assert not app.exception
    assert "Proposal" in app.subheader[0].value
    assert app.get("deck_gl_json_chart"), "the proposed routes are drawn on a map"
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
def test_a_batch_run_started_from_the_page_forecasts_every_zone(
    page, seeded_url: str, backend: str
) -> None:
    """The page's button runs the batch on a local cluster: the run finishes with every
    zone and the city done, the page says so and then shows that run."""
    from forecasting.reads import latest_run_id, served_models

    app = page("forecasts.py")
    app.button[0].click().run(timeout=300)
    assert not app.exception, [e.value for e in app.exception]
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        run_id = latest_run_id(session)
        assert run_id is not None
        served = served_models(session, run_id)
    engine.dispose()
    assert set(served) == {"zone-1", "zone-2", "zone-3", "zone-4", "city"}
    assert any(f"Run {run_id} finished." in s.value for s in app.success)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_forecasts_show_the_served_run_and_its_backtest(
    page, seeded_url: str, backend: str
) -> None:
    """After a run the page names the served model and its reason, and the backtest table
    has every raced model, the served one ticked, coverage in percent."""
    from datetime import UTC, datetime

    from forecasting.jobs import Outcome, RunSettings, _write, start_run

    engine = make_engine(seeded_url)
    run_id = start_run(engine, RunSettings(horizon=24, model="auto", zones=(1,)))
    row = {"ds": datetime(2026, 11, 27, 5, tzinfo=UTC), "yhat": 3.0}
    rows = [{**row, "model": "mstl", "yhat_lower": 2.0, "yhat_upper": 4.0}]
    table = [
        {"model": "mstl", "smape": 40.0, "mase": 0.8, "coverage": 0.75, "score": 0.9},
        {"model": "seasonal_naive", "smape": 45.0, "mase": 0.9, "coverage": 0.9, "score": 1.0},
    ]
    metrics = {"reason": "best of 2 by backtest over 3 cutoffs", "table": table}
    _write(engine, run_id, Outcome("zone-1", "done", None, "mstl", rows, metrics))
    with Session(engine) as session, session.begin():
        session.get_one(ForecastRun, run_id).status = "finished"
    app = page("forecasts.py")
    assert "served: **mstl**" in app.caption[0].value
    assert "best of 2 by backtest" in app.caption[0].value
    shown = app.dataframe[0].value
    assert list(shown["model"]) == ["mstl", "seasonal_naive"]
    assert list(shown["served"]) == [True, False]
    assert list(shown["coverage"]) == [75.0, 90.0]


@pytest.mark.parametrize(("after", "warned"), [(timedelta(hours=6, minutes=30), True),
                                              (timedelta(minutes=90), False)])  # fmt: skip
@pytest.mark.parametrize("backend", ["sqlite"])
def test_forecasts_say_when_a_run_starts_in_the_past(
    page, seeded_url: str, backend: str, after: timedelta, warned: bool
) -> None:
    """A run made five hours after the store's demand ended (a feed that stopped) is shown
    with a warning naming, on the city's clock, where its forecast starts; a run made in
    the hour after the last is shown without one."""
    from datetime import UTC

    from forecasting.jobs import RunSettings, start_run

    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    run_id = start_run(engine, RunSettings(horizon=6, model="auto", zones=(1,)), last + after)
    with Session(engine) as session, session.begin():
        session.get_one(ForecastRun, run_id).status = "finished"
    engine.dispose()
    app = page("forecasts.py")
    start = (last + timedelta(hours=1)).astimezone(ZoneInfo("Asia/Shanghai"))
    expected = f"ends at {start:%Y-%m-%d %H:%M} (Asia/Shanghai), 5 h before the run"
    assert [expected in w.value for w in app.warning] == ([True] if warned else [])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_supply_shows_todays_plan_on_the_citys_clock_and_tomorrows_on_request(
    planned_page, backend: str
) -> None:
    """The plan of the city's today is shown first, every hour of it on that day of the
    city's clock (they were UTC); tomorrow's is a choice away."""
    from tests.conftest import TEST_NOW

    app = planned_page("supply.py")
    today = TEST_NOW.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert app.selectbox[0].value == today
    hours = pd.to_datetime(app.dataframe[0].value["hour"])
    assert set(hours.dt.date) == {today} and app.metric[0].label == "Courier-hours short"
    app.selectbox[0].set_value(today + timedelta(days=1)).run()
    hours = pd.to_datetime(app.dataframe[0].value["hour"])
    assert set(hours.dt.date) == {today + timedelta(days=1)}


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


def test_compensation_approval_and_transcript(page, seeded_url: str) -> None:
    """A customer's complaint leaves a transcript; the operator approves its compensation
    and the page shows it decided at once."""
    from agents.customer.agent import CustomerAgent
    from tests.conftest import TEST_NOW

    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order = session.scalars(
            select(Order)
            .where(Order.status == OrderStatus.DELIVERED)
            .order_by(Order.id.desc())
            .limit(1)
        ).one()
        session.add(
            Compensation(
                order_id=order.id,
                customer_id=order.customer_id,
                amount_minor=500,
                reason="late",
                status="pending",
                created_at=TEST_NOW,
            )
        )
        order_id, customer_id = order.id, order.customer_id
        session.commit()
    CustomerAgent(engine, customer_id, model=None, clock=lambda: TEST_NOW).handle(
        "where is my order?"
    )
    app = page("service.py")
    assert app.chat_message, "the transcript shows the conversation"
    app.button(key="decide-approved").click().run()
    assert any("approved" in s.value for s in app.success)
    # The page is drawn again after the decision: nothing is left pending to decide on.
    assert not [b for b in app.button if b.key == "decide-approved"]
    with Session(engine) as session:
        assert (
            session.scalar(select(Compensation.status).where(Compensation.order_id == order_id))
            == "approved"
        )
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "compensation.approved")
            )
            == 1
        )
    engine.dispose()


def test_csv_import_changes_the_store(page, seeded_url: str) -> None:
    """A pasted CSV lands whole; a bad one shows the row errors and lands nothing."""
    app = page("data_import.py")
    app.text_area[0].input(
        "id,zone_id,name,category,lat,lon,prep_minutes\n"
        "7001,1,Cafe,coffee,31.2,121.4,5\n7002,1,Bad,coffee,131,121.4,5\n"
    ).run()
    app.button[0].click().run()
    assert "1 bad row" in app.error[0].value
    app.text_area[0].input(
        "id,zone_id,name,category,lat,lon,prep_minutes\n7001,1,Cafe,coffee,31.2,121.4,5\n"
    ).run()
    app.button[0].click().run()
    assert "Imported 1 merchants" in app.success[0].value
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        assert session.scalar(select(Merchant.name).where(Merchant.id == 7001)) == "Cafe"
        assert session.get(Merchant, 7002) is None
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_data_page_offers_every_kind(page, backend: str) -> None:
    """The import page offers the same kinds as the CLI."""
    app = page("data_import.py")
    assert app.selectbox[0].options == ["merchants", "customers", "couriers", "orders"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_whatif_form_runs_nothing_until_asked(page, backend: str) -> None:
    """The form renders with flat roster as the default variant, and no result shows yet."""
    app = page("whatif.py")
    assert app.slider[0].value == (11, 14)
    assert app.multiselect[0].value == ["flat roster"]
    assert app.button[0].label == "Run"
    assert not app.dataframe
    assert "whatif_result" not in app.session_state


@pytest.mark.parametrize("backend", ["sqlite"])
def test_whatif_empty_window_names_the_field(page, backend: str) -> None:
    """An empty hour window is refused with a message naming it, not a traceback."""
    app = page("whatif.py")
    app.slider[0].set_value((12, 12))
    app.button[0].click().run()
    assert not app.exception
    assert "hours" in app.error[0].value
    assert not app.dataframe


@pytest.mark.parametrize("backend", ["sqlite"])
def test_whatif_compares_baseline_and_flat_roster(page, backend: str) -> None:
    """Run replays one hour; the KPI table has a column per run and its orders add up; no
    chart is drawn empty."""
    app = page("whatif.py")
    app.date_input[0].set_value(date(2026, 11, 27))
    app.slider[0].set_value((11, 12))
    app.button[0].click().run(timeout=300)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    table = app.dataframe[0].value
    assert list(table.columns) == ["baseline", "flat roster"]
    for column in table.columns:
        parts = table.loc[["delivered", "cancelled", "unserved", "open"], column].sum()
        assert parts > 0
        assert table.loc["orders", column] == parts
    assert any("flat roster" in m.value for m in app.markdown), "a verdict on the variant"
    # Every KPI with something to show is charted; the ones zero everywhere are named.
    charted = len(app.get("vega_lite_chart"))
    flat = [
        name
        for c in app.caption
        if c.value.startswith("Zero in every run")
        for name in c.value.split(": ", 1)[1].rstrip(".").split(", ")
    ]
    assert charted + len(flat) == 5 and charted >= 2
    app.run()
    assert app.dataframe, "a rerun still shows the result"


def test_every_page_has_a_test() -> None:
    """No page is left without a test in this module."""
    pages = {
        p.stem for p in (Path(__file__).resolve().parents[2] / "dashboard" / "pages").glob("*.py")
    }
    source = Path(__file__).read_text()
    assert all(f'"{name}.py"' in source for name in pages), pages


@pytest.mark.parametrize("backend", ["sqlite"])
def test_order_board_filters_and_opens_an_order(page, seeded_url: str, backend: str) -> None:
    """The board lists the open orders and today's; a status filter keeps only that status,
    a search by id keeps that order and opens it with its timeline from the store."""
    app = page("orders.py")
    board = app.dataframe[0].value
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        open_count = session.scalar(
            select(func.count()).select_from(Order).where(Order.status.in_(OPEN))
        )
        picked = session.scalars(
            select(Order).where(Order.status == OrderStatus.PICKED_UP).limit(1)
        ).one()
    engine.dispose()
    assert len(board) >= open_count > 0 and f"of {len(board)} orders" in app.caption[0].value
    app.multiselect[1].select(OrderStatus.ASSIGNED).run()
    assert set(app.dataframe[0].value["status"]) == {OrderStatus.ASSIGNED}
    app.multiselect[1].unselect(OrderStatus.ASSIGNED).run()
    app.text_input[0].input(str(picked.id)).run()
    assert app.dataframe[0].value["id"].tolist() == [picked.id]
    assert app.subheader[0].value == f"Order {picked.id} · picked_up"
    timeline = app.dataframe[1].value
    assert timeline["status"].tolist()[-1] == OrderStatus.PICKED_UP


@pytest.mark.parametrize("backend", ["sqlite"])
def test_order_board_moves_an_order_by_hand(page, seeded_url: str, backend: str) -> None:
    """From an assigned order's detail: choose another courier, preview (the route with the
    order in it), commit: the store has the order on that courier, audited."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order = session.scalars(
            select(Order).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.id)
        ).first()
        assert order is not None
        order_id, zone_id, holder = order.id, order.zone_id, order.courier_id
    app = page("orders.py")
    app.text_input[0].input(str(order_id)).run()
    couriers = app.selectbox[1].options
    committed = None
    for option in couriers:
        courier = int(option.rsplit("(", 1)[1].rstrip(")"))
        if courier == holder:
            continue
        app.selectbox[1].set_value(courier).run()
        app.button(key="preview-move").click().run()
        if not app.error:
            committed = courier
            break
    assert committed is not None, "no courier could take the order"
    assert order_id in app.dataframe[-1].value["order_id"].tolist()
    app.button(key="commit-move").click().run()
    assert f"Order {order_id} is on courier {committed}" in app.success[0].value
    with Session(engine) as session:
        now_on = session.scalar(
            select(Assignment.courier_id).where(Assignment.order_id == order_id, Assignment.active)
        )
        actor = session.scalar(select(AuditEntry.actor).order_by(AuditEntry.id.desc()))
    engine.dispose()
    assert (now_on, actor) == (committed, "dashboard:local") and zone_id is not None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_live_lists_the_alerts(page, seeded_url: str, backend: str) -> None:
    """The live page counts the alerts the data module finds and links each one."""
    from dashboard import data

    app = page("live.py")
    found = data.alerts(seeded_url)
    heading = [h.value for h in app.subheader if h.value.startswith("Alerts")]
    assert heading == [f"Alerts ({len(found)})"]
    if found:
        shown = " ".join(m.value for m in app.markdown)
        assert f"({found[0].link})" in shown or "more" in " ".join(c.value for c in app.caption)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_couriers_lists_who_is_out_and_opens_one(page, seeded_url: str, backend: str) -> None:
    """Every courier on shift or carrying is listed with the bag's load; opening a busy one
    shows its planned stops, a pickup before each drop-off of an order not yet picked up."""
    app = page("couriers.py")
    listed = app.dataframe[0].value
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        out = session.scalar(
            select(func.count()).select_from(Courier).where(Courier.status != "off_shift")
        )
        busy = session.scalar(
            select(Assignment.courier_id).where(Assignment.active).order_by(Assignment.id)
        )
    engine.dispose()
    assert len(listed) >= out > 0 and set(listed.columns) >= {"bag", "next_order", "shift_end"}
    app.selectbox[0].set_value(busy).run()
    stops = app.dataframe[1].value
    assert len(stops) > 0
    for order in stops["order"].unique():
        kinds = stops[stops["order"] == order]["stop"].tolist()
        assert kinds in (["pickup", "drop-off"], ["drop-off"])


@pytest.mark.parametrize("backend", ["sqlite"])
def test_history_summarises_the_chosen_days(page, seeded_url: str, backend: str) -> None:
    """The last seven of the city's days: the table's orders add up to the orders placed in
    them, and the table downloads as CSV."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from tests.conftest import TEST_NOW

    app = page("history.py")
    table = app.dataframe[0].value
    city = ZoneInfo("Asia/Shanghai")
    today = TEST_NOW.astimezone(city).date()
    start = datetime.combine(today - timedelta(days=6), time(0), city)
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        placed = session.scalar(
            select(func.count()).select_from(Order).where(Order.placed_at >= start)
        )
    engine.dispose()
    assert int(table["orders"].sum()) == placed > 0
    assert set(table["day"].astype(str)) <= {str(today - timedelta(days=d)) for d in range(7)}
    assert app.get("download_button")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_order_board_unassigns_an_order(page, seeded_url: str, backend: str) -> None:
    """Unassign on an assigned order's detail frees it: confirmed, no active assignment, and
    the page says it waits for the next round."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order_id = session.scalar(
            select(Order.id).where(Order.status == OrderStatus.ASSIGNED).order_by(Order.id)
        )
    app = page("orders.py")
    app.text_input[0].input(str(order_id)).run()
    app.button(key="unassign").click().run()
    assert f"Order {order_id} taken from its courier" in app.success[0].value
    with Session(engine) as session:
        status = session.scalar(select(Order.status).where(Order.id == order_id))
        active = session.scalar(
            select(Assignment.id).where(Assignment.order_id == order_id, Assignment.active)
        )
    engine.dispose()
    assert (status, active) == (OrderStatus.CONFIRMED, None)
