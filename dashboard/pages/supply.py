"""Demand against supply: forecast need against couriers on shift, zone by hour, with the gaps."""

import altair as alt
import streamlit as st

from dashboard import data
from dashboard.context import store_url

url = store_url()
st.title("Demand against supply")
plan = data.staffing(url)
if plan.empty:
    st.info("No staffing plan yet: run `longcat staffing plan --date YYYY-MM-DD`.")
else:
    zones = data.zones(url).set_index("id")["name"]
    plan = plan.assign(zone=plan["zone_id"].map(zones))
    heat = (
        alt.Chart(plan)
        .mark_rect()
        .encode(
            x=alt.X("hours(hour):O", title=f"hour ({data.city_tz().key})"),
            y=alt.Y("zone:N", title=None),
            color=alt.Color(
                "gap:Q",
                scale=alt.Scale(scheme="redblue", domainMid=0),
                title="couriers on shift - needed",
            ),
            tooltip=[
                "zone",
                "hour",
                "forecast_orders",
                "couriers_needed",
                "couriers_on_shift",
                "gap",
            ],
        )
    )
    st.altair_chart(heat, width="stretch")
    short = plan[plan["gap"] < 0]
    st.metric("Courier-hours short", int(-short["gap"].sum()))
    st.dataframe(short.sort_values("gap"), hide_index=True, key="gaps")
