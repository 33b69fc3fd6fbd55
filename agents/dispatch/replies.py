"""Operator replies in English or Chinese, built from tool results so every number is the
tool's number, and each says back the scope it answers for (zones, day, local hours)."""

from __future__ import annotations

from datetime import date
from typing import Any

MENU = {
    "en": (
        "I can tell you couriers on shift, orders delivered, late or cancelled today, open and "
        "unassigned orders, why an order is late or unassigned, expected demand and couriers "
        "needed for any window, and which zones will be short; and plan a zone, reassign late "
        "orders, re-plan a courier or move an order to a courier (committed only on your yes)."
    ),
    "zh": (
        "我可以查询在岗骑手、今天已送达/超时/取消的订单、未完成和未分配的订单、订单为什么超时或没人接、"
        "任意时段的预计单量和所需骑手、哪些区会缺人；也可以为一个区做派单方案、改派超时订单、"
        "重新规划骑手路线或把订单转给指定骑手（您确认后才提交）。"
    ),
}


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _zh(lang: str) -> bool:
    return lang == "zh"


def where(result: dict[str, Any], lang: str) -> str:
    """The zones a result covers, by name, or the whole city."""
    names = result.get("zones_zh" if _zh(lang) else "zones") or result.get("zones") or []
    if not names:
        return "全市" if _zh(lang) else "the whole city"
    if _zh(lang):
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def when(window: str, today: date, lang: str) -> str:
    """``2026-11-28 17:00-21:00`` said as "tomorrow (2026-11-28) 17:00-21:00"."""
    day_text, hours = window.split(" ")
    day = date.fromisoformat(day_text)
    offset = (day - today).days
    if _zh(lang):
        name = {0: "今天", 1: "明天", -7: "上周同日"}.get(offset, "")
    else:
        name = {0: "today", 1: "tomorrow", -7: "a week before"}.get(offset, "")
    return f"{name} ({day_text}) {hours}" if name else f"{day_text} {hours}"


_SOURCES_ZH = {
    "served forecast": "上线的预测",
    "orders so far": "已下单数",
    "history average of the same weekday, last 4 weeks": "近4周同一天同时段平均",
}


def _source_zh(r: dict[str, Any]) -> str:
    return "、".join(_SOURCES_ZH.get(s.strip(), s) for s in r["source"].split(","))


def menu(lang: str) -> str:
    return MENU["zh" if _zh(lang) else "en"]


def couriers_on_shift(r: dict[str, Any], lang: str, zone_names: dict[int, str]) -> str:
    by_zone = ""
    if not r.get("zones") and r["by_zone"]:
        parts = [f"{zone_names.get(int(z), z)} {n}" for z, n in r["by_zone"].items()]
        by_zone = ("（" + "，".join(parts) + "）") if _zh(lang) else f" ({', '.join(parts)})"
    if _zh(lang):
        return (
            f"{where(r, lang)}现在在岗骑手{r['total']}名（空闲{r['available']}，"
            f"配送中{r['busy']}）{by_zone}。"
        )
    return (
        f"On shift now in {where(r, lang)}: {r['total']} couriers ({r['available']} available, "
        f"{r['busy']} busy){by_zone}."
    )


def orders_today(r: dict[str, Any], lang: str, what: str) -> str:
    if _zh(lang):
        lead = {
            "late": f"超时送达{r['late']}单",
            "cancelled": f"取消{r['cancelled']}单",
            "delivered": f"已送达{r['delivered']}单",
        }[what]
        return (
            f"{where(r, lang)}今天（{r['day']}）截至目前：{lead}。共下单{r['placed']}，"
            f"送达{r['delivered']}（其中超时{r['late']}），取消{r['cancelled']}。"
        )
    lead = {
        "late": f"{r['late']} delivered late",
        "cancelled": f"{r['cancelled']} cancelled",
        "delivered": f"{r['delivered']} delivered",
    }[what]
    return (
        f"Today ({r['day']}) so far in {where(r, lang)}: {lead}. In all {r['placed']} placed, "
        f"{r['delivered']} delivered ({r['late']} late), {r['cancelled']} cancelled."
    )


def open_orders(r: dict[str, Any], lang: str, unassigned: bool) -> str:
    ids = r["unassigned_ids"]
    listed = ", ".join(str(i) for i in ids[:15]) + (" ..." if len(ids) > 15 else "")
    if _zh(lang):
        head = (
            f"{where(r, lang)}现在没有骑手的订单{r['unassigned']}单"
            if unassigned
            else f"{where(r, lang)}现在未完成订单{r['open']}单，其中{r['unassigned']}单还没有骑手"
        )
        return head + (f"：{listed}。" if ids else "。")
    area = where(r, lang)
    head = (
        f"Orders without a courier now in {area}: {r['unassigned']} (of {r['open']} open)"
        if unassigned
        else f"Open orders now in {area}: {r['open']}, {r['unassigned']} without a courier"
    )
    return head + (f": {listed}." if ids else ".")


def demand(r: dict[str, Any], lang: str, today: date) -> str:
    per_hour = ", ".join(f"{v:g}" for v in r["per_hour"])
    span = when(r["window"], today, lang)
    if _zh(lang):
        text = (
            f"{where(r, lang)}{span}预计{r['total']}单"
            f"（每小时：{per_hour}；来源：{_source_zh(r)}）。"
        )
    else:
        text = (
            f"Expected orders in {where(r, lang)}, {span}: {r['total']} "
            f"(per hour: {per_hour}; {r['source']})."
        )
    compared = r.get("compared")
    if compared:
        other = when(compared["window"], today, lang)
        diff = r["total"] - compared["total"]
        pct = f"{diff / compared['total']:+.0%}" if compared["total"] else "n/a"
        if _zh(lang):
            text += f" 对比{other}：{compared['total']}单，相差{diff:+d}（{pct}）。"
        else:
            text += f" Against {other}: {compared['total']} ({diff:+d}, {pct})."
    return text


def staffing(r: dict[str, Any], lang: str, today: date) -> str:
    span = when(r["window"], today, lang)
    if r.get("plan_id") is None or not r["hours"]:
        if _zh(lang):
            return f"没有覆盖{where(r, lang)} {span}的排班计划；请先运行 `longcat staffing plan`。"
        return (
            f"No staffing plan covers {where(r, lang)}, {span}; "
            "run `longcat staffing plan --date D` first."
        )
    per_hour = ", ".join(f"{h['hour']} {h['needed']}" for h in r["hours"])
    if _zh(lang):
        text = (
            f"{where(r, lang)}{span}最忙时段（{r['peak_hour']}）需要{r['peak']}名骑手，"
            f"届时排班{r['on_shift_at_peak']}名。每小时需要：{per_hour}（排班计划{r['plan_id']}）。"
        )
    else:
        text = (
            f"Couriers needed in {where(r, lang)}, {span}: {r['peak']} at the busiest hour "
            f"({r['peak_hour']}), with {r['on_shift_at_peak']} rostered then. Per hour: "
            f"{per_hour} (staffing plan {r['plan_id']})."
        )
    compared = r.get("compared")
    if compared and compared.get("peak") is not None:
        other = when(compared["window"], today, lang)
        if _zh(lang):
            text += f" 对比{other}：最忙时需要{compared['peak']}名。"
        else:
            text += f" Against {other}: {compared['peak']} at the busiest hour."
    return text


def short_zones(r: dict[str, Any], lang: str, today: date) -> str:
    span = when(r["window"], today, lang)
    if r.get("plan_id") is None:
        if _zh(lang):
            return f"{span}还没有排班计划；请先运行 `longcat staffing plan`。"
        return f"No staffing plan for {span} yet; run `longcat staffing plan --date D` first."
    zones = r["zones"]
    if not zones:
        return f"{span}没有缺人的区。" if _zh(lang) else f"No zone is short of couriers {span}."
    if _zh(lang):
        parts = [
            f"{z.get('name_zh') or z['name']}（{'、'.join(z['hours'])}，最多缺{z['worst_gap']}人）"
            for z in zones
        ]
        return f"{span}会缺骑手的区：" + "；".join(parts) + "。"
    parts = [f"{z['name']} ({', '.join(z['hours'])}; up to {z['worst_gap']} short)" for z in zones]
    return f"Zones short of couriers {span}: " + "; ".join(parts) + "."


def late(r: dict[str, Any], lang: str) -> str:
    order_id, minutes = r["order_id"], r["late_min"]
    reasons = r["reasons"]
    if _zh(lang):
        head = (
            f"订单{order_id}（{r['order_status']}）不晚"
            if minutes <= 0
            else f"订单{order_id}（{r['order_status']}）晚了{minutes}分钟"
        )
        head += f"：承诺{r['promised']}，预计/实际送达{r['arrival']}（{r['arrival_source']}）"
        return head + ("。原因：" + "；".join(reasons) + "。" if reasons else "。")
    head = (
        f"Order {order_id} ({r['order_status']}) is not late"
        if minutes <= 0
        else f"Order {order_id} ({r['order_status']}) is {minutes} min late"
    )
    head += f": promised {r['promised']}, arrival {r['arrival']} ({r['arrival_source']})"
    return head + (": " + "; ".join(reasons) + "." if reasons else ".")


def unassigned_reason(r: dict[str, Any], lang: str) -> str:
    order_id, why = r["order_id"], r["why"]
    if _zh(lang):
        text = {
            "has_courier": f"订单{order_id}已经有骑手（{r.get('courier_id')}号）。",
            "not_confirmed": f"订单{order_id}还没有骑手：商家还没接单确认，确认后才会派单。",
            "solver": f"订单{order_id}还没有骑手：路线模型无法安排——{r.get('reason')}。",
            "no_round_yet": (
                f"订单{order_id}还没有骑手：它进来后还没跑过派单；现在派单会给"
                f"{r.get('would_go_to')}号骑手。"
            ),
            "expired": f"订单{order_id}超过承诺时间太久，需要人工处理。",
        }
        return text[why]
    text = {
        "has_courier": f"Order {order_id} has a courier (courier {r.get('courier_id')}).",
        "not_confirmed": (
            f"Order {order_id} has no courier because the merchant has not confirmed it yet; "
            "it is dispatched once confirmed."
        ),
        "solver": f"Order {order_id} has no courier: the routing model says {r.get('reason')}.",
        "no_round_yet": (
            f"Order {order_id} has no courier because no dispatch round has run since it came in; "
            f"a round now would give it to courier {r.get('would_go_to')}."
        ),
        "expired": f"Order {order_id} is far past its promise and needs a person.",
    }
    return text[why]


def _scope(r: dict[str, Any], lang: str) -> str:
    zone = r.get("zone_zh" if _zh(lang) else "zone")
    if r.get("move"):
        order_id, courier_id = r["move"]
        name = r.get("couriers", {}).get(str(courier_id), "")
        return (
            f"订单{order_id}转给{courier_id}号骑手{name}"
            if _zh(lang)
            else f"order {order_id} to courier {courier_id} {name}".rstrip()
        )
    if r.get("courier_id"):
        return (
            f"{r['courier_id']}号骑手的订单（{zone}）"
            if _zh(lang)
            else f"courier {r['courier_id']}'s orders ({zone})"
        )
    area = zone or ("全市" if _zh(lang) else "the whole city")
    if r.get("late_only"):
        return f"{area}的超时订单" if _zh(lang) else f"the late orders of {area}"
    return area


def preview(r: dict[str, Any], lang: str, ask: bool = True) -> str:
    moves = r["assigned"]
    names = r.get("couriers", {})
    left = r["unassigned"]
    listed = ", ".join(
        f"{o}->{c} {names.get(str(c), '')}".rstrip() for o, c in list(moves.items())[:12]
    )
    if _zh(lang):
        text = f"{_scope(r, lang)}的方案：改派/分配{len(moves)}单"
        text += f"（{listed}）" if listed else ""
        text += f"，保持{r['kept']}单，{len(left)}单无法安排。"
        if not moves:
            return text + _stays(r, lang) + "没有需要提交的变更。"
        return text + ("回复“是”提交。" if ask else "仅预览，未提交。")
    text = f"Plan for {_scope(r, lang)}: {_n(len(moves), 'order')} to (re)assign"
    text += f" ({listed})" if listed else ""
    text += f", {r['kept']} kept, {len(left)} left without a courier."
    if not moves:
        return text + _stays(r, lang) + " Nothing to commit."
    return text + (
        " Commit this plan? Reply yes to confirm." if ask else " Preview only: nothing committed."
    )


def subject(r: dict[str, Any], lang: str) -> str:
    """What a previewed plan is about, to say back on commit or decline."""
    return _scope(r, lang)


def _stays(r: dict[str, Any], lang: str) -> str:
    """Why a narrow plan changes nothing: the orders it could move stay where they are."""
    staying = r.get("movable") or []
    if not staying:
        return ""
    listed = ", ".join(str(o) for o in staying[:10])
    if _zh(lang):
        return f"（{listed}留在原骑手：没有更快送到的骑手。）"
    return f" ({listed} stay with their couriers: nobody gets them there sooner.)"


def committed(r: dict[str, Any], lang: str, about: str = "") -> str:
    if _zh(lang):
        head = f"{about}的方案已提交" if about else "方案已提交"
        return f"{head}（版本{r['version']}）：{r['changed']}单有变动。"
    head = f"Committed the plan for {about}" if about else "Committed the plan"
    return f"{head} (version {r['version']}): {_n(r['changed'], 'order')} changed."


def overtaken(fresh: dict[str, Any], lang: str) -> str:
    """A commit refused because another round committed first, with the plan as it stands."""
    if _zh(lang):
        head = "预览之后已有其他派单提交，方案未写入。"
        if fresh.get("status") != "needs_confirmation":
            return head + refusal(fresh, lang)
        return head + "按现在的情况重新做的" + preview(fresh, lang)
    head = "Another dispatch round committed since your preview, so nothing was written."
    if fresh.get("status") != "needs_confirmation":
        return f"{head} {refusal(fresh, lang)}"
    return f"{head} As things stand now: {preview(fresh, lang)}"


def declined(lang: str, about: str = "") -> str:
    if _zh(lang):
        return f"好的，{about}的方案未提交。" if about else "好的，方案未提交。"
    return f"OK, the plan for {about} was not committed." if about else "OK, nothing was committed."


def refusal(r: dict[str, Any], lang: str) -> str:
    message = r.get("message", r.get("reason"))
    return f"无法执行：{message}。" if _zh(lang) else f"I can't do that: {message}."
