"""Dispatch: propose a round, preview the routes and the changes, then commit or discard."""

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.context import store_url

url = store_url()
st.title("Dispatch")
zones = data.zones(url)
choice = st.selectbox("Where", ["Whole city", *[f"{z.id} · {z.name}" for z in zones.itertuples()]])
budget = st.slider("Time budget (s)", 0.5, 30.0, 2.0, 0.5)
left, middle, right = st.columns(3)
if left.button("Propose a round", type="primary"):
    from routing.dispatch import propose_round

    zone_id = None if choice == "Whole city" else int(choice.split(" · ")[0])
    with st.spinner("Solving…"):
        st.session_state["proposal"] = propose_round(
            data.engine(url), now=data.present(url), zone_id=zone_id, time_limit_s=budget
        )
proposal = st.session_state.get("proposal")
if proposal is not None:
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
    if middle.button("Commit"):
        from routing.dispatch import PlanConflictError, commit_proposal

        try:
            result = commit_proposal(data.engine(url), proposal, actor="dashboard")
        except PlanConflictError as exc:
            st.error(f"Not committed: {exc}. Propose again.")
        else:
            st.success(f"Plan version {result.version} committed: {len(result.changes)} changes.")
            data.refresh()
        st.session_state.pop("proposal", None)
    if right.button("Discard"):
        st.session_state.pop("proposal", None)
        st.rerun()
