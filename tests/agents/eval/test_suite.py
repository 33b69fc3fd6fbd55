"""The task suite: big enough, well formed, its checker catches a forbidden write, and the
fast subset passes with the embedded model and no policy violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from agents.eval import check, world
from agents.eval.runner import run_suite
from agents.eval.suite import CUSTOMER_TASKS, DISPATCH_TASKS
from agents.llm import ChatModel
from db.engine import make_engine
from db.models import Order

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_suite_size_and_names(backend: str) -> None:
    """At least 40 customer and 15 dispatch tasks, uniquely named, with the required kinds."""
    assert len(CUSTOMER_TASKS) >= 40 and len(DISPATCH_TASKS) >= 15
    names = [t.name for t in CUSTOMER_TASKS + DISPATCH_TASKS]
    assert len(names) == len(set(names))
    tags = {tag for t in CUSTOMER_TASKS for tag in t.tags}
    assert {"refusal", "other_customer", "declined"} <= tags


def test_checker_flags_a_forbidden_write(seeded_url: str) -> None:
    """Cancelling a picked-up order of someone else is caught twice over by the checker."""
    engine = make_engine(seeded_url)
    with Session(engine) as session:
        picked = world.sole_open_order(session, "picked_up")
    before = check.snapshot(engine)
    with engine.begin() as conn:
        conn.execute(update(Order).where(Order.id == picked.id).values(status="cancelled"))
    change = check.diff(before, check.snapshot(engine))
    stranger = picked.customer_id + 1
    found = check.customer_violations(
        engine, stranger, change, [], check.privacy_for(engine, stranger)
    )
    assert any("another customer" in v for v in found)
    assert any("cancelled while picked_up" in v for v in found)


def test_whole_suite_passes_with_the_embedded_model(
    seeded_url: str, embedded_model: ChatModel
) -> None:
    """Every customer and dispatch task ends in the expected store with no policy violation."""
    template = Path(str(make_url(seeded_url).database))
    report = run_suite(template, CUSTOMER_TASKS + DISPATCH_TASKS, embedded_model, k=1)
    failures = [(a.task, a.problems, a.violations) for a in report.failures()]
    assert failures == []
    assert len(report.attempts) == len(CUSTOMER_TASKS) + len(DISPATCH_TASKS)
