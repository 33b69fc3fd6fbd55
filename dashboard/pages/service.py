"""Customer service: escalated tickets to answer, compensations to approve or reject."""

from typing import Any

import streamlit as st
from sqlalchemy import update

from dashboard import auth, data
from dashboard.context import store_url
from db.models import AuditEntry, Compensation, Ticket

url = store_url()
st.title("Customer service")
if "service_flash" in st.session_state:
    st.success(st.session_state.pop("service_flash"))


def decide(
    model: type[Ticket] | type[Compensation],
    row_id: int,
    values: dict[str, Any],
    action: str,
    said: str,
) -> None:
    """One transaction: the change and its audit entry; then the page is drawn again, so
    the tables show the decision."""
    who = auth.writer()
    if who is None:
        return
    now = data.present(url).to_pydatetime()
    values = {**values, "decided_by": who.name} if "decided_by" in values else values
    with data.engine(url).begin() as conn:
        conn.execute(update(model).where(model.id == row_id).values(**values))
        conn.execute(
            AuditEntry.__table__.insert(),
            {
                "at": now,
                "actor": who.actor,
                "action": action,
                "arguments": {"id": row_id, **{k: str(v) for k, v in values.items()}},
                "result": None,
            },
        )
    data.refresh()
    st.session_state["service_flash"] = said
    st.rerun()


tickets = data.tickets(url)
st.subheader(f"Tickets ({int((tickets['status'] == 'open').sum()) if len(tickets) else 0} open)")
st.dataframe(tickets, hide_index=True, key="tickets")
open_ids = tickets[tickets["status"] == "open"]["id"].tolist() if len(tickets) else []
if open_ids:
    with st.form("answer"):
        ticket_id = st.selectbox("Ticket", open_ids)
        answer = st.text_area("Answer")
        if st.form_submit_button("Send answer") and answer.strip():
            decide(
                Ticket,
                ticket_id,
                {
                    "answer": answer.strip(),
                    "status": "answered",
                    "updated_at": data.present(url).to_pydatetime(),
                },
                "ticket.answer",
                f"Ticket {ticket_id} answered.",
            )

conversations = data.conversations(url)
st.subheader("Conversations")
if len(conversations):
    chosen_conversation = st.selectbox(
        "Transcript",
        conversations["id"].tolist(),
        format_func=lambda i: (
            f"#{i} · customer {conversations.set_index('id').loc[i, 'customer_id']}"
        ),
    )
    for message in data.transcript(url, int(chosen_conversation)).itertuples():
        with st.chat_message("user" if message.role == "user" else "assistant"):
            st.text(message.content)
else:
    st.caption("No conversations yet.")

comps = data.compensations(url)
waiting = int((comps["status"] == "pending").sum()) if len(comps) else 0
st.subheader(f"Compensations ({waiting} to approve)")
st.dataframe(comps, hide_index=True, key="compensations")
pending = comps[comps["status"] == "pending"]["id"].tolist() if len(comps) else []
if pending:
    chosen = st.selectbox("Pending compensation", pending)
    approve, reject = st.columns(2)
    for column, status in ((approve, "approved"), (reject, "rejected")):
        if column.button(
            status.removesuffix("d").title() if status == "approved" else "Reject",
            key=f"decide-{status}",
        ):
            decide(
                Compensation,
                chosen,
                {
                    "status": status,
                    "decided_at": data.present(url).to_pydatetime(),
                    "decided_by": "dashboard",
                },
                f"compensation.{status}",
                f"Compensation {chosen} {status}.",
            )
