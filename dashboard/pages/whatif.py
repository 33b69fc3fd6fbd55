"""What if: replay a day of the seeded city under other settings and compare the KPIs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st

from apps.city.scales import SCALES
from apps.simulator.whatif import ROSTERS, WhatIfError
from dashboard import data
from dashboard.context import settings

# Each choice is one change to the baseline, as `longcat whatif` makes them.
CHOICES: dict[str, dict[str, str | float]] = {
    "flat roster": {"roster": "flat"},
    "forecast roster": {"roster": "forecast"},
    "seeded roster": {"roster": "seeded"},
    "couriers +10%": {"couriers": 1.1},
    "couriers -10%": {"couriers": 0.9},
    "dispatch every 30 s": {"dispatch_interval_s": 30.0},
    "dispatch every 120 s": {"dispatch_interval_s": 120.0},
}
ROWS = ("courier_hours", "orders", "delivered", "cancelled", "unserved", "open", "on_time_rate",
        "avg_delivery_min", "p90_delivery_min", "courier_utilisation", "compensation_total",
        "wall_s")  # fmt: skip
COUNTS = ["courier_hours", "orders", "delivered", "cancelled", "unserved", "open"]
RATES = ["on_time_rate", "courier_utilisation"]
CHARTS = ("on_time_rate", "p90_delivery_min", "unserved", "courier_utilisation",
          "compensation_total")  # fmt: skip


def verdict(baseline: dict, other: dict) -> str:
    """One sentence on the figure operations asks about first: deliveries on time."""
    ours, theirs = baseline["on_time_rate"], other["on_time_rate"]
    if ours is None or theirs is None:
        return f"**{other['name']}**: nothing delivered on one side, no on-time rate to compare."
    points = (ours - theirs) * 100
    if abs(points) < 0.5:
        judged = "is as good as"
    else:
        judged = f"{'beats' if points > 0 else 'trails'} by {abs(points):.1f} points"
    return f"The baseline ({ours:.0%} on time) {judged} **{other['name']}** ({theirs:.0%} on time)."


timezone = settings().timezone
st.title("What if")
st.caption(
    "Replays a day of a freshly seeded city (never the store) with the baseline's settings "
    "and with each variant, then compares the KPIs of the orders placed in the window. "
    "Same as `longcat whatif`; a few hours of the small city take about a minute, "
    "a whole day a few."
)
with st.form("whatif"):
    left, middle, right = st.columns(3)
    day = left.date_input("Day", datetime.now(ZoneInfo(timezone)).date())
    scale = middle.selectbox("City", list(SCALES))
    seed = right.number_input("Seed", min_value=0, value=7, step=1)
    hours = st.slider(f"Local hours ({timezone})", 0, 24, (11, 14))
    baseline_roster = st.selectbox("Baseline roster", ROSTERS)
    chosen = st.multiselect(
        "Variants, each one change to the baseline", list(CHOICES), ["flat roster"]
    )
    run = st.form_submit_button("Run", type="primary")
if run:
    # A variant that changes nothing would replay the baseline a second time.
    variants = [c for c in chosen if CHOICES[c] != {"roster": baseline_roster}]
    try:
        with st.spinner(f"Replaying the baseline and {len(variants)} variant(s)…"):
            replayed = data.whatif(
                day, (hours[0], hours[1]), scale, int(seed), timezone, baseline_roster,
                tuple((c, tuple(CHOICES[c].items())) for c in variants),
            )  # fmt: skip
        # Kept apart from the cache so a rerun (or an edited form) still shows what was run.
        st.session_state["whatif_result"] = {
            **replayed,
            "asked": f"{day}, {hours[0]}-{hours[1]} h, {scale} city, seed {seed}, "
            f"baseline on the {baseline_roster} roster",
        }
    except (WhatIfError, ValueError, LookupError) as exc:
        st.session_state.pop("whatif_result", None)
        st.error(f"Not run: {exc}")
result = st.session_state.get("whatif_result")
if result is not None:
    outcomes = result["outcomes"]
    st.caption(
        f"{result['asked']} · the forecast expected {result['forecast_orders']:.0f} orders "
        "in the window"
    )
    for other in outcomes[1:]:
        st.markdown(verdict(outcomes[0], other))
    table = pd.DataFrame({o["name"]: [o[k] for k in ROWS] for o in outcomes}, index=list(ROWS))
    # One dtype per column, so each row gets its own format: counts, shares, minutes.
    # pandas-stubs type ``subset`` too narrowly: a (rows, columns) IndexSlice is documented.
    shown = (
        table.style.format("{:.1f}", na_rep="–")
        .format("{:.0f}", subset=pd.IndexSlice[COUNTS, :])  # type: ignore[arg-type]
        .format("{:.1%}", subset=pd.IndexSlice[RATES, :], na_rep="–")  # type: ignore[arg-type]
    )
    # Tall enough for every row: a cut table hides the figures at its bottom.
    st.dataframe(shown, key="whatif_kpis", height=36 * (len(ROWS) + 1) + 4)
    figures = pd.DataFrame(outcomes)[["name", *CHARTS]]
    # A chart of zeros (or of nothing) is an empty frame: say so in words instead.
    drawn = [k for k in CHARTS if figures[k].fillna(0).abs().sum() > 0]
    flat = [k.replace("_", " ") for k in CHARTS if k not in drawn]
    if flat:
        st.caption("Zero in every run, so not charted: " + ", ".join(flat) + ".")
    for column, kpi in zip(st.columns(max(len(drawn), 1)), drawn, strict=False):
        bars = (
            alt.Chart(figures)
            .mark_bar()
            .encode(
                x=alt.X("name:N", sort=None, title=None),
                y=alt.Y(f"{kpi}:Q", title=kpi.replace("_", " ")),
                tooltip=["name", kpi],
            )
        )
        column.altair_chart(bars, width="stretch")
