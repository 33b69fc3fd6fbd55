"""Forecasts: actual against the served forecast with its 80% interval, and why that model."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.context import store_url

url = store_url()
st.title("Forecasts")
if "forecast_flash" in st.session_state:
    st.success(st.session_state.pop("forecast_flash"))
run_id = data.latest_run(url)
if run_id is None:
    st.info("No forecast run yet. Start one below or with `longcat forecast run`.")
else:
    ledger = data.ledger(url, run_id)
    lag = data.run_lag_text(url, run_id)
    if lag is not None:
        st.warning(lag[0].upper() + lag[1:])
    series_id = st.selectbox("Series", sorted(ledger["series_id"]))
    entry = ledger[ledger["series_id"] == series_id].iloc[0]
    zone = None if series_id == "city" else int(series_id.removeprefix("zone-"))
    actual = data.demand(url, zone, days=7).assign(kind="actual")
    served = data.forecast(url, run_id, series_id)
    st.caption(
        f"Run {run_id} · served: **{entry['served_model']}** · "
        f"{(entry['metrics'] or {}).get('reason', entry['reason'] or '')}"
    )
    # A tick at each midnight, named by its day: left to itself Vega put ticks at noon and
    # labelled every one "12 PM".
    days = alt.Axis(format="%a %d", tickCount={"interval": "day", "step": 1})
    title = f"hour ({data.city_tz().key})"
    base = alt.Chart(served).encode(x=alt.X("ds:T", title=title, axis=days))
    band = base.mark_area(opacity=0.25).encode(y="yhat_lower:Q", y2="yhat_upper:Q")
    line = base.mark_line(color="#e67e22").encode(y=alt.Y("yhat:Q", title="orders"))
    history = alt.Chart(actual).mark_line(color="#2c3e50")
    history = history.encode(x=alt.X("hour:T", title=title, axis=days), y="orders:Q")
    st.altair_chart(history + band + line, width="stretch")
    table = pd.DataFrame((entry["metrics"] or {}).get("table", []))
    if not table.empty:
        table["served"] = table["model"] == entry["served_model"]
        table["coverage"] *= 100
        st.subheader("Backtest: every model raced, best first")
        number = st.column_config.NumberColumn
        columns = {
            # A blend's name runs to sixty characters: the column shows it whole.
            "model": st.column_config.TextColumn("model", width="large"),
            "smape": number("sMAPE", format="%.1f"),
            "mase": number("MASE", format="%.2f"),
            "coverage": number(
                "covered", format="%.0f%%", help="Actual values inside the 80% interval"
            ),
            "score": number(
                "score",
                format="%.2f",
                help="sMAPE and MASE relative to seasonal naive's: lower is better",
            ),
        }
        st.dataframe(table, hide_index=True, key="backtest", column_config=columns)
if auth.writer() is not None and st.button("Start a batch run (48 h, every zone)"):
    from forecasting.jobs import Outcome, dask_client, execute_run, start_run

    engine = data.engine(url)
    new_run = start_run(engine, data.batch_run_settings(), data.present(url).to_pydatetime())
    bar = st.progress(0.0, text="forecasting…")

    def advance(outcome: Outcome, done: int, total: int) -> None:
        bar.progress(done / total, text=outcome.series_id)

    with dask_client() as client:
        execute_run(engine, new_run, client, advance)
    data.refresh()
    # Drawn again from the top, so the page shows the run it just made.
    st.session_state["forecast_flash"] = f"Run {new_run} finished."
    st.rerun()
