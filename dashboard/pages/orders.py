"""Orders: every open order and today's closed ones; filter, search, sort, open one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.board import AT_RISK, LATE, BoardFilter, with_lateness
from dashboard.context import settings, store_url
from db.domain.status import ALLOWED_FROM, ORDER_STATUSES, OrderStatus

if TYPE_CHECKING:
    from routing.service.manual import ManualMove

ASSIGNABLE = ALLOWED_FROM["assign"]

COLUMNS = ["id", "status", "flag", "minutes_late", "zone", "merchant", "courier", "customer",
           "address", "placed_at", "promised_at", "predicted_at"]  # fmt: skip


def filters(board: pd.DataFrame, zones: pd.DataFrame) -> BoardFilter:
    names = dict(zip(zones["id"], zones["name"], strict=True))
    riders = board.dropna(subset=["courier_id"]).drop_duplicates("courier_id")
    rider_names = dict(zip(riders["courier_id"].astype(int), riders["courier"], strict=True))
    zone_col, status_col, flag_col, rider_col = st.columns(4)

    def rider(courier_id: int) -> str:
        return f"{rider_names[courier_id]} ({courier_id})"

    return BoardFilter(
        zones=tuple(zone_col.multiselect("Zone", list(names), format_func=lambda z: names[z])),
        statuses=tuple(status_col.multiselect("Status", list(ORDER_STATUSES))),
        flags=tuple(flag_col.multiselect("Late or at risk", [LATE, AT_RISK])),
        couriers=tuple(
            rider_col.multiselect(
                "Courier", sorted(rider_names), format_func=lambda c: rider_names[c]
            )
        ),
        # An alert links here with ?order=ID.
        search=st.text_input(
            "Search",
            value=st.query_params.get("order", ""),
            placeholder="order id, customer name or address",
        ),
    )


def detail(url: str, order: pd.Series) -> None:
    st.subheader(f"Order {order['id']} · {order['status']}")
    st.caption(
        f"{order['merchant']} → {order['customer']}, {order['address']} · courier "
        f"{order['courier'] if isinstance(order['courier'], str) else 'none yet'}"
    )
    timeline, route = st.columns(2)
    timeline.markdown("**Timeline**")
    timeline.dataframe(data.order_timeline(url, int(order["id"])), hide_index=True)
    route.markdown("**Its courier's planned stops**")
    stops = data.order_route(url, int(order["id"]))
    if len(stops):
        route.dataframe(stops, hide_index=True)
    else:
        route.caption("Not on any courier's plan.")
    talk, paid = data.order_service(url, int(order["id"]))
    st.markdown("**Conversation**")
    for message in talk.itertuples():
        with st.chat_message("user" if message.role == "user" else "assistant"):
            st.text(message.content)
    if not len(talk):
        st.caption("No conversation about this order.")
    st.markdown("**Compensations**")
    if len(paid):
        st.dataframe(paid, hide_index=True)
    else:
        st.caption("None.")


def by_hand(url: str, order: pd.Series) -> None:
    """Send the order to a chosen courier: the routing model's preview, then a
    compare-and-set commit; or take it from its courier."""
    from routing.service.manual import preview_move

    order_id = int(order["id"])
    st.markdown("**Dispatch by hand**")
    if order["status"] not in ASSIGNABLE:
        st.caption(f"A {order['status']} order is no longer dispatched.")
        return
    who = auth.writer()
    if who is None:
        return
    riders = data.couriers(url)
    riders = riders[riders["id"] != order["courier_id"]]  # another courier than its own
    # The order's zone first: its couriers are the likely ones.
    riders = riders.assign(away=riders["zone_id"] != order["zone_id"]).sort_values(["away", "name"])
    names = dict(zip(riders["id"], riders["name"], strict=True))
    pick, preview, take = st.columns([3, 1, 1])
    courier = pick.selectbox("Courier", list(names), format_func=lambda c: f"{names[c]} ({c})")
    if preview.button("Preview", key="preview-move") and courier is not None:
        with st.spinner("Checking with the routing model…"):
            st.session_state["move"] = preview_move(
                data.engine(url), order_id, int(courier),
                now=data.present(url).to_pydatetime(), timezone=settings().timezone,
            )  # fmt: skip
    if order["status"] == OrderStatus.ASSIGNED and take.button("Unassign", key="unassign"):
        from routing.service.manual import unassign

        unassign(data.engine(url), order_id, who.name, data.present(url).to_pydatetime())
        flash("ok", f"Order {order_id} taken from its courier; it waits for the next round.")
    move = st.session_state.get("move")
    if move is not None and move.order_id == order_id:
        show_move(url, move, who)


def show_move(url: str, move: ManualMove, who: auth.Operator) -> None:
    if not move.feasible:
        st.error(f"Not possible: {move.refusal}.")
        return
    stops = pd.DataFrame([s.__dict__ for s in move.stops])
    stops["eta"] = pd.to_datetime(stops["eta"], utc=True)
    st.dataframe(data.to_city(stops), hide_index=True, key="move-stops")
    if st.button("Commit this move", type="primary", key="commit-move"):
        from routing.service.dispatch import PlanConflictError
        from routing.service.manual import commit_move

        try:
            result = commit_move(data.engine(url), move, who.name)
        except PlanConflictError as exc:
            flash("error", f"Not committed: {exc}. Another plan was written since the "
                           "preview; preview again.")  # fmt: skip
        else:
            flash("ok", f"Order {move.order_id} is on courier {move.courier_id}'s route: "
                        f"plan version {result.version}.")  # fmt: skip


def flash(kind: str, text: str) -> None:
    st.session_state.pop("move", None)
    st.session_state["orders_flash"] = (kind, text)
    data.refresh()
    st.rerun()


url = store_url()
st.title("Orders")
if "orders_flash" in st.session_state:
    kind, text = st.session_state.pop("orders_flash")
    (st.success if kind == "ok" else st.error)(text)
now = data.present(url)
midnight = now.tz_convert(data.city_tz()).normalize()
board = with_lateness(data.order_board(url, midnight.to_pydatetime()), now)
chosen = filters(board, data.zones(url)).apply(board)
late = int((board["flag"] == LATE).sum())
at_risk = int((board["flag"] == AT_RISK).sum())
st.caption(
    f"{data.local_time(now)} · showing {len(chosen)} of {len(board)} orders (open, and placed "
    f"today) · {late} late, {at_risk} at risk"
)
st.dataframe(
    data.to_city(chosen[COLUMNS].copy()),
    hide_index=True,
    key="board",
    column_config={
        "minutes_late": st.column_config.NumberColumn("min late", format="%d"),
        "predicted_at": st.column_config.DatetimeColumn("predicted drop-off"),
    },
)
ids = chosen["id"].tolist()
if ids:
    picked = st.selectbox("Open an order", ids, index=0 if len(ids) == 1 else None)
    if picked is not None:
        order = chosen.set_index("id", drop=False).loc[picked]
        detail(url, order)
        by_hand(url, order)
else:
    st.info("No order matches these filters.")
