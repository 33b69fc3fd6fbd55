"""A real browser opens each page of the running dashboard, waits for it, and saves a screenshot."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def dashboard(seeded_url: str) -> Iterator[str]:
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


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_page_in_a_browser(dashboard: str, backend: str) -> None:
    """Each page's title appears and the app stops running without an exception box."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI requires a browser at {CHROMIUM} (apt install chromium)")
        pytest.skip(f"no browser at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path, title in PAGES.items():
            page.goto(f"{dashboard}/{path}")
            page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
            page.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
            )
            assert page.locator('[data-testid="stException"]').count() == 0, path
            page.screenshot(path=str(ARTIFACTS / f"dashboard-{path or 'live'}.png"), full_page=True)
        browser.close()
