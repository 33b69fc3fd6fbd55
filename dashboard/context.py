"""The dashboard's one read of configuration: which store it shows."""

from __future__ import annotations

import streamlit as st

from apps.settings import Settings


@st.cache_resource
def settings() -> Settings:
    return Settings()


def store_url() -> str:
    return settings().store_url
