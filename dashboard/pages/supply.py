"""Demand against supply: forecast need against couriers on shift, zone by hour, with the gaps."""

import altair as alt
import streamlit as st

from dashboard import data
from dashboard.context import store_url

url = store_url()
st.title("Demand against supply")
days = data.staffing_days(url)
if not days:
    st.info("No staffing plan yet: run `longcat staffing plan --date YYYY-MM-DD`.")
else:
    today = data.present(url).tz_convert(data.city_tz()).date()
    day = st.selectbox(
        f"Day ({data.city_tz().key})",
        days,
        index=days.index(today) if today in days else len(days) - 1,
        format_func=lambda d: f"{d:%A %d %B %Y}" + (" (today)" if d == today else ""),
    )
    plan = data.to_city(data.staffing(url, day))
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
    number = st.column_config.NumberColumn
    columns = {
        "zone_id": None,
        "plan_date": None,
        "hour": st.column_config.DatetimeColumn("hour", format="ddd HH:mm"),
        "forecast_orders": number("orders forecast", format="%.1f"),
        "couriers_needed": number("couriers needed"),
        "couriers_on_shift": number("on shift"),
    }
    table = short.sort_values(["gap", "hour"])[["zone", *columns, "gap"]]
    st.dataframe(table, hide_index=True, key="gaps", column_config=columns)
