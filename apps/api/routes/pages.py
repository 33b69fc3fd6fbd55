"""The web pages: the tracking page behind a signed link, the widget, a demo host page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from apps.api.deps import TrackedOrder

STATIC = Path(__file__).resolve().parent.parent / "static"
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$")
router = APIRouter(include_in_schema=False)


@cache
def _page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@router.get("/track/{token}", response_class=HTMLResponse)
def track_page(claims: TrackedOrder, token: str) -> HTMLResponse:
    """The customer's tracking page; the token was verified before it is written into the page."""
    if not TOKEN_SHAPE.match(token):
        return HTMLResponse("Not a tracking link.", status_code=404)
    del claims
    return HTMLResponse(
        _page("track.html").replace("__TOKEN__", token),
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@router.get("/demo", response_class=HTMLResponse)
def demo_page() -> HTMLResponse:
    """A merchant's order-confirmation page that embeds the widget with one script tag."""
    return HTMLResponse(_page("demo.html"))
