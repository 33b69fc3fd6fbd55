"""Who is at the dashboard: operators sign in with their name and key (LONGCAT_OPERATORS),
with the API's roles: a viewer reads, a dispatcher and an admin also write. Every write a
page makes is audited as ``dashboard:<name>``.

With no operator configured (local use; production refuses to start that way) sign-in is
off and the one person at the screen is the local admin.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import streamlit as st

from dashboard.context import settings

ROLES = ("viewer", "dispatcher", "admin")
LOCAL = "local"


@dataclass(frozen=True)
class Operator:
    name: str
    role: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def actor(self) -> str:
        return f"dashboard:{self.name}"


def sign_in(name: str, key: str) -> Operator | None:
    """The operator of this name and key, or None; the key is compared in constant time."""
    account = settings().operators.get(name.strip())
    if account is None or not hmac.compare_digest(
        account.key.get_secret_value().encode(), key.encode()
    ):
        return None
    return Operator(name.strip(), account.role)


def current() -> Operator | None:
    """The signed-in operator; the local admin when sign-in is off; None when signed out."""
    if not settings().operators:
        return Operator(LOCAL, "admin")
    found = st.session_state.get("operator")
    return found if isinstance(found, Operator) else None


def writer() -> Operator | None:
    """The operator if they may write (dispatcher or admin); else says why and gives None."""
    who = current()
    if who is None:
        st.info("Sign in (in the sidebar) to make changes.")
        return None
    if not who.may("dispatcher"):
        st.info(f"{who.name} signed in as a viewer: changes need a dispatcher or an admin.")
        return None
    return who


def sidebar() -> None:
    """The sign-in form, or who is signed in and a sign-out button."""
    if not settings().operators:
        st.sidebar.caption("Sign-in is off: no operator is configured (LONGCAT_OPERATORS).")
        return
    who = current()
    if who is not None:
        st.sidebar.caption(f"Signed in: {who.name} ({who.role})")
        if st.sidebar.button("Sign out"):
            st.session_state.pop("operator", None)
            st.rerun()
        return
    with st.sidebar.form("sign-in"):
        name = st.text_input("Operator")
        key = st.text_input("Key", type="password")
        if st.form_submit_button("Sign in"):
            found = sign_in(name, key)
            if found is None:
                st.error("Unknown operator or wrong key.")
            else:
                st.session_state["operator"] = found
                st.rerun()
