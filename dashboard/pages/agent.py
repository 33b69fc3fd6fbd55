"""Agent console: ask the dispatch agent; every tool call and its result shows; writes ask first."""

import streamlit as st

from dashboard import auth, data
from dashboard.context import settings, store_url
from db.clock import store_clock

url = store_url()
st.title("Agent console")
st.caption(
    'Try: "assign the unassigned orders in zone 1", "why is order 42 late?", '
    '"how many couriers do we need tomorrow from 11 to 13?". Plans are committed only '
    'after you answer "yes".'
)
who = auth.writer()
if who is None:
    st.stop()
if st.session_state.get("dispatch_operator") != who.name:
    st.session_state.pop("dispatch_agent", None)  # a new operator gets a conversation of their own
    st.session_state["dispatch_operator"] = who.name
if "dispatch_agent" not in st.session_state:
    from agents.dispatch.agent import DispatchAgent
    from agents.dispatch.planner import RoutingPlanner

    strategy, tool_mode = settings().agent_runtime(settings().llm_config())
    st.session_state["dispatch_agent"] = DispatchAgent(
        data.engine(url),
        who.actor,
        model=data.chat_model(),
        # The store's now on every turn: a running simulation's clock, else the wall clock.
        clock=store_clock(data.engine(url), settings().now),
        planner=RoutingPlanner(timezone=settings().timezone),
        strategy=strategy,
        tool_mode=tool_mode,
        timezone=settings().timezone,
    )
    st.session_state["dispatch_log"] = []
for role, text, calls in st.session_state["dispatch_log"]:
    with st.chat_message(role):
        st.text(text)
        for call in calls:
            with st.expander(f"tool: {call['name']}"):
                st.json(call)
prompt = st.chat_input("Ask the dispatch agent")
if prompt:
    turn = st.session_state["dispatch_agent"].handle(prompt)
    calls = turn.as_json()["tool_calls"]
    st.session_state["dispatch_log"] += [("user", prompt, []), ("assistant", turn.reply, calls)]
    if calls:
        data.refresh()
    st.rerun()
