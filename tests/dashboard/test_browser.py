"""A real browser opens each page of the running dashboard, waits for it, and saves a screenshot."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.domain.status import OrderStatus

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]  # WebGL for the maps, on the CPU
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PAGES = {
    "": "Live operations",
    "orders": "Orders",
    "couriers": "Couriers",
    "history": "History",
    "dispatch": "Dispatch",
    "forecasts": "Forecasts",
    "supply": "Demand against supply",
    "whatif": "What if",
    "agent": "Agent console",
    "service": "Customer service",
    "data_import": "Data",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(seeded_url: str, **env: str) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("longcat")),
            "dashboard",
            "--port",
            str(port),
            "--database-url",
            seeded_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
        except OSError:
            assert time.monotonic() < deadline, "the dashboard did not answer on /_stcore/health"
            time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def dashboard(seeded_url: str) -> Iterator[str]:
    yield from _serve(seeded_url)


@pytest.fixture
def dashboard_at_lunch(seeded_url: str) -> Iterator[str]:
    """The dashboard at the seeded city's own moment, so its open orders are live work."""
    from tests.conftest import TEST_NOW

    yield from _serve(seeded_url, LONGCAT_NOW=TEST_NOW.isoformat())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_page_in_a_browser(dashboard: str, backend: str) -> None:
    """Offline, each page's title appears and the app stops running without an exception
    box."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI requires a browser at {CHROMIUM} (apt install chromium)")
        pytest.skip(f"no browser at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _offline(page)
        page.goto(dashboard)
        # The navigation counts what needs a dispatcher.
        page.get_by_text(re.compile(r"^Live operations \(\d+ alerts\)$")).wait_for(timeout=60_000)
        for path, title in PAGES.items():
            page.goto(f"{dashboard}/{path}")
            page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
            )
            assert page.locator('[data-testid="stException"]').count() == 0, path
            page.wait_for_timeout(1_500)  # tables draw on a canvas after the run ends
            page.screenshot(path=str(ARTIFACTS / f"dashboard-{path or 'live'}.png"), full_page=True)
        browser.close()


def _offline(page) -> None:
    """Every request that leaves the machine fails, as it would with no network."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(
                ("http://127.0.0.1", "http://localhost", "data:", "blob:")
            )
            else route.abort()
        ),
    )


def _release(url: str, zone_id: int, count: int) -> list[int]:
    """Give some of a zone's assigned orders back, so a round there has work to do."""
    from sqlalchemy.orm import Session

    from agents.eval import dispatch_json
    from db.engine import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        taken = dispatch_json._assigned(s, zone_id)[:count]
        ids = [o.id for o in taken]
        for order in taken:
            dispatch_json.release(s, order)
    engine.dispose()
    return ids


def _newest_plan(engine) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from db.models import RoutePlan

    with engine.connect() as conn:
        return int(conn.scalar(select(func.max(RoutePlan.version))) or 0)


def _wait_for_a_round(engine, after: int, seconds: float = 60) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while (newest := _newest_plan(engine)) <= after:
        assert time.monotonic() < deadline, "the live city committed no round"
        time.sleep(0.2)
    return newest


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_commit_during_a_running_simulation_wins_its_zone(
    dashboard: str, seeded_url: str, backend: str
) -> None:
    """Offline, while the live city runs and dispatches every zone, an operator proposes a
    round for Lujiazui, where two orders have just lost their courier; the proposal holds
    the zone, so after the city has committed rounds of its own the operator's commit still
    goes through and gives those orders a courier."""
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from db.engine import make_engine
    from db.models import Assignment, RoutePlan

    engine = make_engine(seeded_url)
    sim = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("longcat")), "simulate", "--name", "live",
            "--speed", "240", "--duration", "6h", "--dispatch-interval", "40m",
            "--database-url", seeded_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _offline(page)
            page.goto(f"{dashboard}/dispatch")
            page.get_by_role("heading", name="Dispatch").first.wait_for(timeout=60_000)
            page.locator('[data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name="1 · Lujiazui").click()
            # Right after one of the city's rounds (the next is ten real seconds away),
            # two Lujiazui orders lose their courier, and the operator proposes at once.
            round_ = _wait_for_a_round(engine, _newest_plan(engine))
            waiting = _release(seeded_url, 1, 2)
            page.get_by_role("button", name="Propose a round").click()
            page.get_by_text("Proposal:").first.wait_for(timeout=60_000)
            _wait_for_a_round(engine, round_ + 1)
            page.get_by_role("button", name="Commit").click()
            page.get_by_text(re.compile(r"^Plan version \d+ committed")).first.wait_for(
                timeout=60_000
            )
            page.screenshot(path=str(ARTIFACTS / "dashboard-commit-while-live.png"), full_page=True)
            browser.close()
    finally:
        sim.terminate()
        sim.wait(timeout=60)
    with engine.connect() as conn:
        mine = conn.scalars(
            select(RoutePlan.id).where(RoutePlan.created_by == "dashboard:local")
        ).all()
        # What the operator's plan gave them (the city runs on after it, and may since have
        # delivered or cancelled one).
        given = conn.scalars(select(Assignment.order_id).where(Assignment.plan_id.in_(mine))).all()
    engine.dispose()
    assert len(mine) == 1
    assert set(waiting) <= set(given)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_live_map_draws_offline(dashboard: str, backend: str) -> None:
    """With every outside request refused, the live page still draws its map (the base
    layer needs no tile server) and its legend."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _offline(page)
        page.goto(dashboard)
        page.get_by_role("heading", name="Live operations").first.wait_for(timeout=60_000)
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=60_000)
        page.get_by_text("courier available").first.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "dashboard-live-offline.png"), full_page=True)
        browser.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_decision_shows_at_once(dashboard: str, seeded_url: str, backend: str) -> None:
    """Rejecting a pending compensation on the customer-service page redraws the page: the
    decision is confirmed and nothing is left pending (it once still showed "pending")."""
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from db.engine import make_engine
    from db.models import Compensation, Order
    from tests.conftest import TEST_NOW

    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order = session.scalars(
            select(Order).where(Order.status == OrderStatus.DELIVERED).limit(1)
        ).one()
        claim = Compensation(
            order_id=order.id, customer_id=order.customer_id, amount_minor=3_000,
            reason="late: it came an hour late", status="pending", created_at=TEST_NOW,
        )  # fmt: skip
        session.add(claim)
        session.commit()
        claim_id = claim.id
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _offline(page)
        page.goto(f"{dashboard}/service")
        page.get_by_role("heading", name="Customer service").first.wait_for(timeout=60_000)
        before = page.get_by_role("heading", name="Compensations").text_content() or ""
        waiting = int(before.split("(")[1].split()[0])
        page.locator('[data-testid="stSelectbox"]').last.click()
        page.get_by_role("option", name=str(claim_id), exact=True).click()
        page.get_by_role("button", name="Reject").click()
        page.get_by_text(f"Compensation {claim_id} rejected.").wait_for(timeout=30_000)
        # Streamlit redraws element by element: wait for the heading's new count (it fails
        # if the count never drops).
        page.get_by_role("heading", name=f"Compensations ({waiting - 1} to approve)").wait_for(
            timeout=30_000
        )
        page.screenshot(path=str(ARTIFACTS / "dashboard-service-decided.png"), full_page=True)
        browser.close()
    with Session(engine) as session:
        assert session.get(Compensation, claim_id).status == "rejected"  # type: ignore[union-attr]
    engine.dispose()


def _order_and_taker(seeded_url: str) -> tuple[int, Any]:
    """An assigned order, and a courier of its zone the routing model lets take it."""
    from sqlalchemy import select

    from db.engine import make_engine
    from db.models import Courier, Order
    from routing.service.manual import preview_move
    from tests.conftest import TEST_NOW

    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        order_id, holder, zone = conn.execute(
            select(Order.id, Order.courier_id, Order.zone_id)
            .where(Order.status == OrderStatus.ASSIGNED)
            .order_by(Order.id)
        ).first()
        riders = conn.execute(
            select(Courier.id, Courier.name)
            .where(Courier.zone_id == zone, Courier.status != "off_shift", Courier.id != holder)
            .order_by(Courier.id)
        ).all()
    target = next(
        (c for c in riders
         if preview_move(engine, order_id, c.id, now=TEST_NOW, timezone="Asia/Shanghai").feasible),
        None,
    )  # fmt: skip
    engine.dispose()
    assert target is not None, "no courier of the zone could take the order"
    return order_id, target


def _narrow_to_picked_up(page: Any, dashboard: str) -> None:
    """The status filter leaves fewer orders than the whole board."""
    page.goto(f"{dashboard}/orders")
    page.get_by_role("heading", name="Orders").first.wait_for(timeout=60_000)
    shown = page.get_by_text(re.compile(r"showing \d+ of \d+ orders"))
    total = int(re.search(r"showing (\d+)", shown.text_content() or "").group(1))
    page.locator('[data-testid="stMultiSelect"]').nth(1).click()
    page.get_by_role("option", name="picked_up").click()
    page.keyboard.press("Escape")
    # The caption changes once the filtered run has drawn.
    narrowed = page.get_by_text(re.compile(rf"showing (?!{total} of)\d+ of")).first
    narrowed.wait_for(timeout=60_000)
    assert int(re.search(r"showing (\d+)", narrowed.text_content() or "").group(1)) < total
    page.screenshot(path=str(ARTIFACTS / "dashboard-orders-filtered.png"), full_page=True)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_dispatcher_finds_an_order_and_moves_it(
    dashboard_at_lunch: str, seeded_url: str, backend: str
) -> None:
    """On the order board: the status filter narrows the table, a search by id opens the
    order, a preview shows the courier's new route and the commit puts the order there."""
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from db.engine import make_engine
    from db.models import Assignment

    order_id, target = _order_and_taker(seeded_url)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        _offline(page)
        _narrow_to_picked_up(page, dashboard_at_lunch)
        page.goto(f"{dashboard_at_lunch}/orders")
        page.get_by_test_id("stTextInputField").fill(str(order_id))
        page.keyboard.press("Enter")
        page.get_by_text("Dispatch by hand").wait_for(timeout=60_000)
        page.locator('[data-testid="stSelectbox"]').last.click()
        page.get_by_role("option", name=f"{target.name} ({target.id})").click()
        page.get_by_role("button", name="Preview").click()
        page.get_by_role("button", name="Commit this move").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "dashboard-orders-preview.png"), full_page=True)
        page.get_by_role("button", name="Commit this move").click()
        page.get_by_text(f"Order {order_id} is on courier").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "dashboard-orders-moved.png"), full_page=True)
        browser.close()
    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        now_on = conn.scalar(
            select(Assignment.courier_id).where(Assignment.order_id == order_id, Assignment.active)
        )
    engine.dispose()
    assert now_on == target.id
