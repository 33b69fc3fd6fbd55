"""Replies built from tool results: the facts come from the result, never from the model."""

from __future__ import annotations

from typing import Any

from agents.customer.prompts import STATUS_TEXT, clock, money, say, status_word


def status_reply(lang: str, result: dict[str, Any]) -> str:
    status = result["order_status"]
    what = STATUS_TEXT[lang][status].format(
        merchant=result.get("merchant", ""),
        delivered=clock(result["delivered_at"]) if result.get("delivered_at") else "",
    )
    text = say(lang, "status", order_id=result["order_id"], what=what)
    if "eta" in result:
        text += say(lang, "eta", eta=clock(result["eta"]), minutes=result["eta_minutes"])
    return text


def refusal_reply(lang: str, order_id: int | None, result: dict[str, Any]) -> str:
    reason = result.get("reason", "")
    if reason in ("not_cancellable", "not_changeable"):
        word = status_word(lang, result.get("order_status", ""))
        return say(lang, reason, order_id=order_id, status_word=word)
    if reason == "other_link":
        return say(lang, "other_link", order_id=order_id, link_order_id=result.get("link_order_id"))
    if reason in ("not_located", "coordinates_not_given"):
        return say(lang, "ask_location", address=result.get("address", ""))
    if reason == "over_cap":
        return say(lang, "over_cap", order_id=order_id, cap=money(lang, result["cap_minor"]))
    if reason in (
        "not_found",
        "outside_area",
        "not_delivered",
        "too_old",
        "already_compensated",
        "not_late",
        "no_complaint",
        "not_complained_about",
    ):
        key = "no_complaint" if reason == "not_complained_about" else reason
        return say(lang, key, order_id=order_id)
    return say(lang, "trouble")


def confirm_reply(lang: str, tool: str, result: dict[str, Any]) -> str:
    order_id = result.get("order_id")
    if tool == "cancel_order":
        fee = result["fee_minor"]
        fee_text = say(lang, "fee", fee=money(lang, fee)) if fee else say(lang, "no_fee")
        return say(lang, "confirm_cancel", order_id=order_id, fee_text=fee_text)
    if tool == "change_address":
        return say(lang, "confirm_address", order_id=order_id, address=result["address"])
    if tool == "request_compensation":
        why = (
            say(lang, "why_late", minutes=result["minutes_late"])
            if result["complaint_reason"] == "late"
            else say(lang, "why_wrong")
        )
        amount = money(lang, result["amount_minor"])
        return say(lang, "confirm_comp", order_id=order_id, why=why, amount=amount)
    return say(lang, "confirm_handover")


def done_reply(lang: str, tool: str, result: dict[str, Any]) -> str:
    order_id = result.get("order_id")
    if tool == "cancel_order":
        fee = result["fee_minor"]
        note = say(lang, "fee_note", fee=money(lang, fee)) if fee else say(lang, "no_fee_note")
        return say(lang, "cancelled", order_id=order_id, fee_note=note)
    if tool == "change_address":
        return say(lang, "address_changed", order_id=order_id, address=result["address"])
    if tool == "request_compensation":
        key = "comp_done" if result["compensation_status"] == "approved" else "comp_pending"
        return say(lang, key, order_id=order_id, amount=money(lang, result["amount_minor"]))
    return say(lang, "handover_done", ticket_id=result["ticket_id"])
