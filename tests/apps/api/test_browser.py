"""A real browser (Debian's Chromium, headless) opens the tracking page from a signed link,
asks the widget "where is my order?", sees the streamed answer, and saves a screenshot."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from apps.api.app import create_app
from db.domain.status import OrderStatus
from tests.apps.api.conftest import make_settings, token_for

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(seeded_url: str) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(make_settings(seeded_url)), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI requires a browser at {CHROMIUM} (apt install chromium)")
        pytest.skip(f"no browser at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_tracking_page_and_widget(server: str, browser, order_of, backend: str) -> None:
    """The page shows the right order; the widget streams the answer about it."""
    order = order_of(OrderStatus.PICKED_UP)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    _offline(page)
    page.goto(f"{server}/track/{token_for(order)}?lang=en")
    page.wait_for_function(
        "(text) => document.getElementById('status').textContent.includes(text)",
        arg=f"order {order.id}",
        timeout=15_000,
    )
    assert "On the way" in page.text_content("#status")
    assert page.locator("#timeline li").count() >= 4
    page.click(".lc-button")
    page.fill(".lc-input", "where is my order?")
    page.click(".lc-send")
    reply = page.locator(".lc-msg.lc-bot").last
    _last_bot_reply(page)
    assert str(order.id) in reply.text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-page-chat.png"), full_page=True)
    page.reload()
    page.click(".lc-button")
    assert page.locator(".lc-msg.lc-user").first.text_content() == "where is my order?"


def _last_bot_reply(page) -> str:
    page.wait_for_function(
        # The send button comes back when the reply has streamed to its end.
        "(() => { const m = document.querySelectorAll('.lc-msg.lc-bot');"
        " const t = m.length ? m[m.length - 1].textContent : '';"
        " return t.length > 5 && t !== '…' && !document.querySelector('.lc-send').disabled; })()",
        timeout=30_000,
    )
    return page.locator(".lc-msg.lc-bot").last.text_content()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sharing_a_location_from_the_widget(
    server: str, browser, order_of, seeded_url: str, backend: str
) -> None:
    """The 📍 button sends the browser's location with the message; the agent proposes it as
    the new drop-off and the customer's "yes" writes exactly those coordinates. A tap on the
    map sends the tapped spot the same way."""
    from sqlalchemy.orm import Session

    from db.engine import make_engine
    from db.models import Order

    order = order_of(OrderStatus.PLACED)
    spot = {"latitude": 31.2352, "longitude": 121.4786}
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, permissions=["geolocation"], geolocation=spot
    )
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )
    page.goto(f"{server}/track/{token_for(order)}?lang=en")
    page.wait_for_function("document.getElementById('status').textContent.includes('order')")
    page.click(".lc-button")
    page.click(".lc-pin")
    ask = _last_bot_reply(page)
    assert str(order.id) in ask and "yes" in ask
    page.fill(".lc-input", "yes")
    page.click(".lc-send")
    page.wait_for_function(
        "document.querySelectorAll('.lc-msg.lc-bot').length >= 2", timeout=30_000
    )
    _last_bot_reply(page)
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        after = session.get(Order, order.id)
        assert (after.dropoff_lat, after.dropoff_lon) == (spot["latitude"], spot["longitude"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-page-shared-location.png"), full_page=True)
    before = page.locator(".lc-msg.lc-bot").count()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
    page.wait_for_function(
        f"document.querySelectorAll('.lc-msg.lc-bot').length > {before}", timeout=30_000
    )
    tapped = _last_bot_reply(page)
    assert "yes" in tapped and str(order.id) in tapped
    context.close()


def _offline(page) -> None:
    page.route(
        "**/*",
        lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort(),
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_docs_render_offline(server: str, browser, backend: str) -> None:
    """With every outside request refused, /docs (Swagger UI) lists the operations and
    /redoc shows the API's title: both come from installed files, not a CDN."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    _offline(page)
    page.goto(f"{server}/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() > 5
    page.goto(f"{server}/redoc")
    page.get_by_text("LongCat Logistics API").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "api-redoc-offline.png"))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_tracking_page_draws_the_city_and_local_times_offline(
    server: str, browser, order_of, backend: str
) -> None:
    """Offline, the tracking page draws the base layer (zones, roads, the river) under the
    order, and shows its ETA in the city's time, with the minutes to go."""
    order = order_of(OrderStatus.ASSIGNED)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    _offline(page)
    page.goto(f"{server}/track/{token_for(order)}")
    page.wait_for_function("document.getElementById('eta').textContent.includes(':')")
    drawn = page.evaluate(
        "(() => { const c = document.getElementById('map');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let purple = 0; for (let i = 0; i < d.length; i += 4) {"
        "   if (d[i] > 150 && d[i + 2] > 170 && d[i + 1] < 150) purple++; } return purple; })()"
    )
    assert drawn > 50, "no zone outline drawn"
    eta_text = page.locator("#eta").text_content()
    assert "in about" in eta_text or eta_text.count(":") == 1
    page.screenshot(path=str(ARTIFACTS / "tracking-page-offline.png"), full_page=True)


def _order_in(seeded_url: str, status: str, language: str):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from db.engine import make_engine
    from db.models import Customer, Order

    engine = make_engine(seeded_url)
    with Session(engine) as session:
        order = session.scalars(
            select(Order)
            .join(Customer, Customer.id == Order.customer_id)
            .where(Order.status == status, Customer.language == language)
            .limit(1)
        ).first()
    engine.dispose()
    return order


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_chinese_customer_on_a_phone(server: str, browser, seeded_url: str, backend: str) -> None:
    """A Chinese customer's order on a 390x844 phone: the page speaks Chinese, shows the
    progress bar at its step, the courier's first name and vehicle, the items and the
    minutes to go; the open chat leaves the order card in view, and a quick reply asks
    the agent and gets its answer."""
    order = _order_in(seeded_url, OrderStatus.PICKED_UP, "zh") or _order_in(
        seeded_url, OrderStatus.ASSIGNED, "zh"
    )
    assert order is not None, "the seeded city has Chinese customers with open orders"
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _offline(page)
    page.goto(f"{server}/track/{token_for(order)}")
    page.wait_for_function("document.getElementById('status').textContent.includes('订单')")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.locator("[data-t=eta]").text_content() == "预计送达"
    current = page.locator("#steps li.now").text_content()
    assert current == ("已取餐" if order.status == OrderStatus.PICKED_UP else "已接单")
    assert "骑手" in page.locator("#courier").text_content()
    assert page.locator("#items li").count() == len(order.items)
    assert (
        "分钟" in page.locator("#countdown").text_content()
        or "即将" in page.locator("#countdown").text_content()
    )
    page.click(".lc-button")
    chips = page.locator(".lc-chip")
    assert chips.count() == 4 and chips.first.text_content() == "我的外卖到哪了？"
    card = page.locator("#order").bounding_box()
    panel = page.locator(".lc-panel").bounding_box()
    assert panel["y"] >= card["y"] + card["height"], "the chat covers the order"
    assert panel["height"] <= PHONE["height"] * 0.5
    chips.first.click()
    answer = _last_bot_reply(page)
    assert str(order.id) in answer, answer
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-phone-zh.png"))


def _late_widget(route) -> None:
    # A slow network for the widget alone: the order (not routed) arrives and the page
    # turns Chinese before the widget's script runs.
    time.sleep(1.5)
    route.continue_()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_widget_that_arrives_after_the_order_speaks_the_page_language(
    server: str, browser, seeded_url: str, backend: str
) -> None:
    """When the widget's script arrives after the page has switched to the customer's
    Chinese, the chat's labels and quick replies are Chinese too, not the browser's
    English."""
    order = _order_in(seeded_url, OrderStatus.PICKED_UP, "zh") or _order_in(
        seeded_url, OrderStatus.ASSIGNED, "zh"
    )
    assert order is not None
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.route("**/static/widget.js", _late_widget)
    page.goto(f"{server}/track/{token_for(order)}")
    page.locator(".lc-button").wait_for(timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.locator(".lc-button").text_content() == "联系客服"
    page.click(".lc-button")
    assert page.locator(".lc-chip").first.text_content() == "我的外卖到哪了？"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_cancelled_order_and_a_bad_link_on_a_phone(
    server: str, browser, order_of, backend: str
) -> None:
    """A cancelled order shows no arrival time and says it is cancelled, in English when
    asked; a bad link is a readable page with its status kept."""
    page = browser.new_page(viewport=PHONE, is_mobile=True)
    _offline(page)
    page.goto(f"{server}/track/{token_for(order_of(OrderStatus.CANCELLED))}?lang=en")
    page.wait_for_function("document.getElementById('status').textContent.includes('order')")
    assert page.locator("#cancelled").is_visible()
    assert "cancelled" in page.locator("#cancelled").text_content()
    assert page.locator("#eta").text_content() == ""
    assert not page.locator("#eta-label").is_visible()
    assert page.locator("#countdown").text_content() == ""
    assert page.locator(".lc-button").text_content() == "Chat with us"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-phone-cancelled.png"))
    response = page.goto(f"{server}/track/abcdefghijk.lmnopqrstu")
    assert response.status == 401
    assert "cannot be opened" in page.locator("h1").text_content()
    page.screenshot(path=str(ARTIFACTS / "tracking-bad-link.png"))
