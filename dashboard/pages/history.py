"""History: on-time rate, delivery times, orders per hour and compensation, by zone and day,
over a chosen range of the city's days; the table downloads as CSV."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import altair as alt
import streamlit as st

from dashboard import data
from dashboard.analytics import by_day_and_zone, with_times
from dashboard.context import store_url
from db.domain.status import OrderStatus

url = store_url()
tz = data.city_tz()
st.title("History")
today = data.present(url).tz_convert(tz).date()
chosen = st.date_input("Days (the city's)", (today - timedelta(days=6), today), max_value=today)
first, last = (chosen[0], chosen[-1]) if isinstance(chosen, tuple) and chosen else (today, today)
start = datetime.combine(first, time(0), tz)
end = datetime.combine(last + timedelta(days=1), time(0), tz)
raw, paid = data.history(url, start, end)
if raw.empty:
    st.info(f"No order was placed from {first} to {last}.")
    st.stop()
orders = with_times(raw, tz)
zones = st.multiselect("Zones", sorted(orders["zone"].unique()))
if zones:
    orders = orders[orders["zone"].isin(zones)]
paid = paid.merge(orders[["id", "day", "zone"]], left_on="order_id", right_on="id")
table = by_day_and_zone(orders, paid)
delivered = orders[orders["status"] == OrderStatus.DELIVERED]
cols = st.columns(4)
cols[0].metric("Orders", len(orders))
cols[1].metric("On time", f"{delivered['on_time'].mean():.0%}" if len(delivered) else "–")
cols[2].metric(
    "Median delivery", f"{delivered['minutes'].median():.0f} min" if len(delivered) else "–"
)
cols[3].metric("Compensation", f"¥{paid['amount_minor'].sum() / 100:,.0f}")
left, right = st.columns(2)
left.altair_chart(
    alt.Chart(delivered)
    .mark_bar()
    .encode(
        x=alt.X("minutes:Q", bin=alt.Bin(step=5), title="minutes from order to door"),
        y=alt.Y("count():Q", title="orders"),
    ),
    width="stretch",
)
per_hour = orders.groupby("hour").size().reset_index(name="orders")
right.altair_chart(
    alt.Chart(per_hour)
    .mark_bar()
    .encode(x=alt.X("hour:O", title=f"hour placed ({tz.key})"), y=alt.Y("orders:Q")),
    width="stretch",
)
st.dataframe(table, hide_index=True, key="history")
st.download_button(
    "Download as CSV",
    table.to_csv(index=False).encode(),
    file_name=f"longcat-history-{first}-{last}.csv",
    mime="text/csv",
)
st.caption("On-time rate: delivered by the promised time, among the delivered orders.")
