"""Data: import orders, couriers, merchants or customers from CSV, with the CLI's validation."""

import tempfile
from pathlib import Path

import streamlit as st

from dashboard import auth, data
from dashboard.context import store_url
from db.imports import KINDS, ImportRejectedError, import_csv

url = store_url()
st.title("Data")
st.caption("Same rules as `longcat import`: the whole file or nothing, rows upserted by id.")
kind = st.selectbox("What the file holds", list(KINDS))
upload = st.file_uploader("CSV file", type=["csv"])
pasted = st.text_area("…or paste the CSV here", height=120)
content = upload.getvalue() if upload is not None else pasted.encode()
if content.strip() and auth.writer() is not None and st.button("Import", type="primary"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(content)
        try:
            result = import_csv(data.engine(url), kind, path)
        except ImportRejectedError as exc:
            st.error(f"{exc.total} bad row(s); nothing was imported.")
            st.dataframe([e.__dict__ for e in exc.errors], key="import_errors")
        else:
            data.refresh()
            st.success(f"Imported {result.rows} {kind}.")
