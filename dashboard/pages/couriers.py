"""Couriers: who is out, where, with what in the bag, and each one's planned stops."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
import streamlit as st

from dashboard import data
from dashboard.context import store_url
from db.domain.status import OrderStatus


def planned_stops(url: str, courier_id: int) -> pd.DataFrame:
    """The courier's stops in order, from the plan in force: pickup then drop-off per order,
    with where each is."""
    routes = data.routes(url)
    mine = routes[routes["courier_id"] == courier_id]
    stops = []
    for row in mine.to_dict("records"):
        if row["status"] != OrderStatus.PICKED_UP and not pd.isna(row["eta_pickup"]):
            stops.append({"order": row["order_id"], "stop": "pickup", "eta": row["eta_pickup"],
                          "lat": row["merchant_lat"], "lon": row["merchant_lon"]})  # fmt: skip
        stops.append({"order": row["order_id"], "stop": "drop-off", "eta": row["eta_dropoff"],
                      "lat": row["dropoff_lat"], "lon": row["dropoff_lon"]})  # fmt: skip
    columns = ["order", "stop", "eta", "lat", "lon"]
    return pd.DataFrame(stops, columns=columns).sort_values("eta").reset_index(drop=True)


def riders_at(url: str) -> dict[int, tuple[float, float]]:
    """Where each courier on shift was last seen."""
    seen = data.couriers(url).dropna(subset=["lat", "lon"])
    return {
        int(i): (float(a), float(o))
        for i, a, o in zip(seen["id"], seen["lat"], seen["lon"], strict=True)
    }


def stops_map(stops: pd.DataFrame, start: tuple[float, float]) -> pdk.Deck:
    """The courier (black) through its stops in order: pickups orange, drop-offs blue."""
    path = [[start[1], start[0]], *stops[["lon", "lat"]].values.tolist()]
    points = [
        {"lat": r["lat"], "lon": r["lon"], "label": f"{i + 1}. {r['stop']} of order {r['order']}",
         "colour": [230, 126, 34] if r["stop"] == "pickup" else [41, 128, 185]}
        for i, r in enumerate(stops.to_dict("records"))
    ]  # fmt: skip
    here = pd.DataFrame({"lat": [start[0]], "lon": [start[1]], "label": ["the courier now"]})
    return pdk.Deck(
        layers=[
            pdk.Layer(
                "PathLayer",
                [{"path": path}],
                get_path="path",
                get_width=3,
                width_min_pixels=2,
                get_color=[90, 90, 90],
            ),
            pdk.Layer(
                "ScatterplotLayer",
                points,
                get_position=["lon", "lat"],
                get_fill_color="colour",
                get_radius=70,
                pickable=True,
            ),
            pdk.Layer(
                "ScatterplotLayer",
                here,
                get_position=["lon", "lat"],
                get_fill_color=[20, 20, 20],
                get_radius=90,
                pickable=True,
            ),
        ],
        initial_view_state=pdk.ViewState(latitude=start[0], longitude=start[1], zoom=12),
        map_style=None,
        tooltip={"text": "{label}"},
    )


url = store_url()
st.title("Couriers")
riders = data.courier_board(url)
st.caption(
    f"{data.local_time(data.present(url))} · {len(riders)} couriers on shift or carrying · "
    f"{int((riders['load'] == 0).sum())} with nothing to do"
)
shown = data.to_city(riders.copy())
shown["bag"] = [f"{n}/{c}" for n, c in zip(riders["load"], riders["capacity"], strict=True)]
st.dataframe(
    shown[["id", "name", "zone", "status", "vehicle_type", "bag", "next_order", "shift_end"]],
    hide_index=True,
    key="couriers",
)
names = dict(zip(riders["id"], riders["name"], strict=True))
asked = st.query_params.get("courier")  # an alert links here with ?courier=ID
ids = list(names)
start = ids.index(int(asked)) if asked and asked.isdigit() and int(asked) in names else None
picked = st.selectbox("Open a courier", ids, index=start, format_func=lambda c: f"{names[c]} ({c})")
if picked is not None:
    st.subheader(f"{names[picked]} · courier {picked}")
    stops = planned_stops(url, int(picked))
    if len(stops):
        st.dataframe(data.to_city(stops[["order", "stop", "eta"]].copy()), hide_index=True,
                     key="stops")  # fmt: skip
        where = riders_at(url).get(int(picked))
        if where is not None:
            st.pydeck_chart(stops_map(stops, where))
    else:
        st.caption("No stop planned.")
