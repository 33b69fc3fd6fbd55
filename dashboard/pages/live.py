"""Live operations: the map of couriers, open orders and routes, and the KPIs, refreshing itself."""

import pandas as pd
import pydeck as pdk
import streamlit as st

from dashboard import data
from dashboard.alerts import Alert
from dashboard.context import store_url
from db.domain.status import OrderStatus

STATUS_COLOURS = {"busy": [230, 126, 34], "available": [39, 174, 96]}
KINDS = ("late", "unassigned", "at risk", "short", "past shift", "idle")
MAX_SHOWN = 30
# Tableau's ten: distinct on the pale base map and for most colour vision.
ROUTE_COLOURS = [
    [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
    [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
]  # fmt: skip


def route_paths(routes: pd.DataFrame) -> list[dict]:
    paths = []
    for row in routes.itertuples():
        points = [[row.courier_lon, row.courier_lat]]
        if row.status != OrderStatus.PICKED_UP:
            points.append([row.merchant_lon, row.merchant_lat])
        points.append([row.dropoff_lon, row.dropoff_lat])
        paths.append({"path": points, "order": row.order_id, "courier": row.courier_id})
    return paths


def _metrics(k: dict[str, float]) -> None:
    cols = st.columns(5)
    cols[0].metric("Orders, last hour", k["orders_last_hour"])
    cols[1].metric("On time (24 h)", f"{k['on_time_rate']:.0%}")
    cols[2].metric("Avg delivery (24 h)", f"{k['avg_delivery_min']:.0f} min")
    cols[3].metric("Unassigned", k["unassigned"])
    cols[4].metric("Courier utilisation", f"{k['utilisation']:.0%}")


def _couriers(url: str) -> pd.DataFrame:
    """Couriers with a known position, coloured by status and labelled for the tooltip."""
    couriers = data.couriers(url).dropna(subset=["lat", "lon"])
    couriers["colour"] = [STATUS_COLOURS.get(s, [120, 120, 120]) for s in couriers["status"]]
    couriers["label"] = [
        f"{n} (courier {i}, {s}, {v})"
        for i, n, s, v in zip(
            couriers["id"], couriers["name"], couriers["status"], couriers["vehicle_type"],
            strict=True,
        )
    ]  # fmt: skip
    return couriers


def _orders(url: str) -> pd.DataFrame:
    """Open orders, red when past their promise, labelled for the tooltip."""
    orders = data.open_orders(url)
    orders["colour"] = [[192, 57, 43] if late else [41, 128, 185] for late in orders["late"]]
    orders["label"] = [
        f"order {i} ({s}{', late' if late else ''})"
        for i, s, late in zip(orders["id"], orders["status"], orders["late"], strict=True)
    ]
    return orders


def _layers(url: str, couriers: pd.DataFrame, orders: pd.DataFrame) -> list[pdk.Layer]:
    """The basemap, then routes, orders and couriers on top."""
    names = dict(zip(couriers["id"], couriers["name"], strict=True))
    paths = route_paths(data.routes(url))
    for path in paths:
        path["label"] = f"route of {names.get(path['courier'], path['courier'])}"
        # One colour per courier, so two routes that cross can be told apart.
        path["colour"] = ROUTE_COLOURS[int(path["courier"]) % len(ROUTE_COLOURS)]
    return [
        *data.basemap_layers(url),
        pdk.Layer(
            "PathLayer",
            paths,
            get_path="path",
            get_width=3,
            width_min_pixels=2,
            get_color="colour",
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            orders,
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius=60,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            couriers,
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius=90,
            pickable=True,
        ),
    ]


def _map(url: str, couriers: pd.DataFrame, orders: pd.DataFrame) -> None:
    zones = data.zones(url)
    view = pdk.ViewState(
        latitude=float(zones["center_lat"].mean()),
        longitude=float(zones["center_lon"].mean()),
        zoom=11,
    )
    st.pydeck_chart(
        pdk.Deck(
            layers=_layers(url, couriers, orders),
            initial_view_state=view,
            map_style=None,
            tooltip={"text": "{label}"},
        )
    )
    st.markdown(
        "<span style='color:#27ae60'>●</span> courier available · "
        "<span style='color:#e67e22'>●</span> courier busy · "
        "<span style='color:#2980b9'>●</span> open order · "
        "<span style='color:#c0392b'>●</span> order past its promise · "
        "<span style='color:#b07cc6'>◯</span> zone · "
        "<span style='color:#9cc7e8'>━</span> river · grey lines: main roads · coloured lines: "
        "each courier's route",
        unsafe_allow_html=True,
    )


@st.fragment(run_every=15)
def live(url: str) -> None:
    # Shown first: while `longcat simulate` runs, its clock is what the city's time means.
    sim = data.simulation(url)
    if sim is not None:
        st.caption(
            f"Simulation **{sim['name']}** ({sim['status']}): simulated clock "
            f"{data.local_time(sim['clock'])}, started at {data.local_time(sim['started_at'])}"
        )
    k = data.kpis(url)
    if not k:
        st.info("The store holds no orders yet: run `longcat seed` or `longcat import orders`.")
        return
    _metrics(k)
    couriers = _couriers(url)
    orders = _orders(url)
    _map(url, couriers, orders)
    st.caption(
        f"{len(couriers)} couriers on shift · {len(orders)} open orders "
        f"({int(orders['late'].sum())} late) · as of {data.local_time(data.present(url))}"
    )
    _alerts(data.alerts(url))


def _alerts(found: list[Alert]) -> None:
    """What needs a dispatcher, most pressing kinds first, each linking to its subject."""
    st.subheader(f"Alerts ({len(found)})")
    if not found:
        st.caption("Nothing needs you now.")
        return
    order = {kind: i for i, kind in enumerate(KINDS)}
    lines = [
        f"- **{a.kind}** · [{a.subject}]({a.link}) · {a.detail}"
        for a in sorted(found, key=lambda a: order.get(a.kind, len(KINDS)))
    ]
    st.markdown("\n".join(lines[:MAX_SHOWN]))
    if len(lines) > MAX_SHOWN:
        st.caption(f"… and {len(lines) - MAX_SHOWN} more: the Orders page filters them all.")


st.title("Live operations")
live(store_url())
