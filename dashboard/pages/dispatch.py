"""Dispatch: propose a round, preview the routes and the changes, then commit or discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pydeck as pdk
import streamlit as st

from dashboard import auth, data
from dashboard.context import settings, store_url

if TYPE_CHECKING:
    from routing.service.dispatch import Proposal


def proposal_map(proposal: Proposal) -> pdk.Deck:
    """The proposed routes: each courier from where it is through its stops in order."""
    problem, plan = proposal.snapshot.problem, proposal.plan
    assert problem is not None and plan is not None  # only a solved round is drawn
    orders = {o.id: o for o in problem.orders}
    paths = []
    for route in plan.routes:
        start = problem.courier(route.courier_id).position
        points = [[start.lon, start.lat]]
        for stop in route.stops:
            where = (
                orders[stop.order_id].merchant
                if stop.kind.value == "pickup"
                else orders[stop.order_id].customer
            )
            points.append([where.lon, where.lat])
        paths.append({"path": points, "courier": route.courier_id})
    centre = problem.couriers[0].position
    return pdk.Deck(
        layers=[
            pdk.Layer(
                "PathLayer",
                paths,
                get_path="path",
                get_width=4,
                width_min_pixels=2,
                get_color=[230, 126, 34],
                pickable=True,
            )
        ],
        initial_view_state=pdk.ViewState(latitude=centre.lat, longitude=centre.lon, zoom=11),
        map_style=None,
        tooltip={"text": "courier {courier}"},
    )


url = store_url()
st.title("Dispatch")
zones = data.zones(url)
choice = st.selectbox("Where", ["Whole city", *[f"{z.id} · {z.name}" for z in zones.itertuples()]])
budget = st.slider("Time budget (s)", 0.5, 30.0, 2.0, 0.5)
left, middle, right = st.columns(3)
if "dispatch_flash" in st.session_state:
    kind, text = st.session_state.pop("dispatch_flash")
    (st.success if kind == "ok" else st.error)(text)


def forget() -> None:
    """Drop the proposal shown, and the hold its zone had in the store."""
    from routing.service import proposals

    token = st.session_state.pop("proposal_token", None)
    st.session_state.pop("proposal", None)
    if token:
        proposals.discard(data.engine(url), token)


who = auth.writer()
if who is not None and left.button("Propose a round", type="primary"):
    from routing.service import proposals
    from routing.service.dispatch import propose_round

    forget()
    zone_id = None if choice == "Whole city" else int(choice.split(" · ")[0])
    with st.spinner("Solving…"):
        proposed = propose_round(
            data.engine(url),
            now=data.present(url).to_pydatetime(),
            zone_id=zone_id,
            time_limit_s=budget,
            timezone=settings().timezone,
        )
    st.session_state["proposal"] = proposed
    if proposed.changes:
        # Kept in the store: while it is open, the live city's own rounds leave its zone
        # alone, so this commit is not overtaken.
        st.session_state["proposal_token"] = proposals.save(
            data.engine(url), proposed, actor=who.actor
        )
proposal: Proposal | None = st.session_state.get("proposal")
if proposal is not None and who is not None:
    if proposal.plan is None:
        st.info("Nothing to dispatch: no open order or no courier on shift here.")
    else:
        plan = proposal.plan
        st.subheader(
            f"Proposal: {plan.assigned} orders on {len(plan.routes)} couriers, "
            f"{len(plan.unserved)} left out"
        )
        changes = pd.DataFrame(
            [c.__dict__ for c in proposal.changes],
            columns=["order_id", "before", "after", "reason"],
        )
        st.dataframe(changes, hide_index=True, key="changes")
        st.pydeck_chart(proposal_map(proposal), key="proposal_map")
        stops = [
            {
                "courier": r.courier_id,
                "order": s.order_id,
                "stop": s.kind.value,
                "at (min from now)": round(s.start_s / 60, 1),
                "late (min)": round(s.late_s / 60, 1),
            }
            for r in plan.routes
            for s in r.stops
        ]
        st.dataframe(pd.DataFrame(stops), hide_index=True, key="timeline")
        if plan.unserved:
            st.warning("Left out: " + "; ".join(f"{u.order_id}: {u.detail}" for u in plan.unserved))
    if middle.button("Commit", disabled=not proposal.moves, help="Nothing to commit."
                     if not proposal.moves else None):  # fmt: skip
        from routing.service.dispatch import PlanConflictError, commit_proposal

        try:
            result = commit_proposal(data.engine(url), proposal, actor=who.actor)
        except PlanConflictError as exc:
            st.session_state["dispatch_flash"] = ("error", f"Not committed: {exc}. Propose again.")
        else:
            st.session_state["dispatch_flash"] = (
                "ok",
                f"Plan version {result.version} committed: {len(result.changes)} orders changed.",
            )
            data.refresh()
        forget()
        st.rerun()
    if right.button("Discard"):
        forget()
        st.rerun()
