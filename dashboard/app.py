"""The operator dashboard: one Streamlit app, a page per job of the control room.

longcat dashboard --port 8501
"""

from pathlib import Path

import streamlit as st

from dashboard import auth

PAGES = Path(__file__).parent / "pages"


def alert_count() -> int:
    from dashboard import data
    from dashboard.context import store_url

    return len(data.alerts(store_url()))


st.set_page_config(
    page_title="LongCat control room", page_icon=":material/delivery_dining:", layout="wide"
)
navigation = st.navigation(
    [
        st.Page(
            PAGES / "live.py",
            title=f"Live operations ({alert_count()} alerts)",
            icon=":material/map:",
            default=True,
        ),
        st.Page(PAGES / "orders.py", title="Orders", icon=":material/receipt_long:"),
        st.Page(PAGES / "couriers.py", title="Couriers", icon=":material/two_wheeler:"),
        st.Page(PAGES / "dispatch.py", title="Dispatch", icon=":material/route:"),
        st.Page(PAGES / "history.py", title="History", icon=":material/history:"),
        st.Page(PAGES / "forecasts.py", title="Forecasts", icon=":material/monitoring:"),
        st.Page(PAGES / "supply.py", title="Demand against supply", icon=":material/grid_on:"),
        st.Page(PAGES / "whatif.py", title="What if", icon=":material/science:"),
        st.Page(PAGES / "agent.py", title="Agent console", icon=":material/smart_toy:"),
        st.Page(PAGES / "service.py", title="Customer service", icon=":material/support_agent:"),
        st.Page(PAGES / "data_import.py", title="Data", icon=":material/upload_file:"),
    ]
)
auth.sidebar()
navigation.run()
