"""The web pages: the tracking page behind a signed link, the widget, a demo host page."""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import HTMLResponse

from apps.api.deps import SettingsDep, checked_token, client_key
from apps.api.tokens import TokenError

STATIC = Path(__file__).resolve().parent.parent / "static"
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$")
router = APIRouter(include_in_schema=False)


@cache
def _page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@router.get("/track/{token}", response_class=HTMLResponse)
def track_page(
    request: Request,
    settings: SettingsDep,
    token: str,
    accept_language: Annotated[str | None, Header()] = None,
) -> HTMLResponse:
    """The customer's tracking page; the token is verified before it is written into the
    page. A link that is malformed, tampered with or expired gets a page a person can read
    (in Chinese when the browser asks for it), with the HTTP status kept."""
    chinese = (accept_language or "").lower().lstrip().startswith("zh")
    if len(token) < 10 or len(token) > 512 or not TOKEN_SHAPE.match(token):
        request.app.state.limiter.hit(client_key(request))
        return _link_page(404, chinese)
    try:
        checked_token(request, settings, token)
    except TokenError as exc:
        return _link_page(exc.status, chinese, expired="expired" in str(exc))
    return HTMLResponse(
        _page("track.html").replace("__TOKEN__", token),
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


_LINK_TEXT = {
    False: (
        "This tracking link cannot be opened",
        "This link has expired. Open the newest link from your order confirmation, or ask "
        "the restaurant or our service line for a new one.",
        "This link is not a valid tracking link. Check that it was copied whole, or open it "
        "again from your order confirmation.",
    ),
    True: (
        "无法打开此订单追踪链接",
        "此链接已过期。请从最新的订单确认信息中打开链接，或联系商家或客服获取新链接。",
        "此链接不是有效的订单追踪链接。请确认链接完整复制，或从订单确认信息中重新打开。",
    ),
}


def _link_page(status: int, chinese: bool, expired: bool = False) -> HTMLResponse:
    title, expired_text, invalid_text = _LINK_TEXT[chinese]
    body = escape(expired_text if expired else invalid_text)
    html = _page("link_error.html").replace("__LANG__", "zh" if chinese else "en")
    html = html.replace("__TITLE__", escape(title)).replace("__BODY__", body)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


@router.get("/demo", response_class=HTMLResponse)
def demo_page() -> HTMLResponse:
    """A merchant's order-confirmation page that embeds the widget with one script tag."""
    return HTMLResponse(_page("demo.html"))
