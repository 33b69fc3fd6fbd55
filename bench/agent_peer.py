"""The agents of two revisions side by side on the same tasks, through the interface
scripts rely on (``longcat agent dispatch|customer --json --now ISO --no-model``), each
conversation on its own copy of the same seeded store with its forecasts and staffing plans,
scored by this revision's judge (store changes, reply facts, violations).

Both revisions are checked out with ``git worktree`` into a temporary folder (so editing the
working tree meanwhile changes nothing) and run with this project's virtual environment;
the store is seeded by this checkout, so its schema must be one both understand.

    .venv/bin/python bench/agent_peer.py --peer 55d71f9 --suites "dispatch held-out" --json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from agent_eval import seed_template  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from agents.eval import check  # noqa: E402
from agents.eval.runner import WRITE_TOOLS, Attempt, Report, confirmations, score  # noqa: E402
from agents.eval.suite import (  # noqa: E402
    CUSTOMER_HELDOUT,
    CUSTOMER_TASKS,
    DISPATCH_HELDOUT,
    DISPATCH_TASKS,
)
from agents.eval.tasks import Task  # noqa: E402
from agents.eval.world import SEEDED_NOW  # noqa: E402
from db.engine import make_engine  # noqa: E402

SUITES = {
    "customer": CUSTOMER_TASKS,
    "customer held-out": CUSTOMER_HELDOUT,
    "dispatch": DISPATCH_TASKS,
    "dispatch held-out": DISPATCH_HELDOUT,
}


def converse(tree: Path, task: Task, url: str, script: object) -> tuple[list[str], list[list]]:
    """One conversation through the CLI of the checkout at ``tree``."""
    actor = script.actor  # type: ignore[attr-defined]
    if task.kind == "customer":
        who = ["customer", "--customer", str(actor)]
        link = script.link_order  # type: ignore[attr-defined]
        if link is not None:
            who += ["--order", str(link)]
    else:
        who = ["dispatch", "--operator", str(actor)]
    command = [
        sys.executable, "-m", "apps.cli", "agent", *who, "--json", "--no-model",
        "--now", SEEDED_NOW.isoformat(), "--database-url", url,
    ]  # fmt: skip
    messages = "\n".join(script.messages) + "\n"  # type: ignore[attr-defined]
    done = subprocess.run(
        command, cwd=tree, input=messages, capture_output=True, text=True, timeout=300
    )
    replies, calls = [], []
    for line in done.stdout.splitlines():
        try:
            turn = json.loads(line)
        except json.JSONDecodeError:
            continue
        replies.append(str(turn.get("reply", "")))
        calls.append(turn.get("tool_calls") or [])
    return replies, calls


def template_for(tree: Path, template: Path) -> Path:
    """The seeded store as the checkout at ``tree`` knows it: taken down to its newest
    migration when that is older than ours (the revisions between only add columns)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    theirs = alembic_config()
    theirs.set_main_option("script_location", str(tree / "db" / "migrations"))
    head = ScriptDirectory.from_config(theirs).get_current_head()
    ours = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head == ours:
        return template
    older = template.with_name(f"seeded-{head}.db")
    shutil.copyfile(template, older)
    command.downgrade(alembic_config(f"sqlite:///{older}"), head)
    return older


def attempt(tree: Path, task: Task, template: Path, tmp: Path) -> Attempt:
    path = tmp / "store.db"
    shutil.copyfile(template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            script = task.build(session)
        before = check.snapshot(engine)
        engine.dispose()
        start = time.perf_counter()
        replies, calls = converse(tree, task, url, script)
        elapsed = time.perf_counter() - start
        yes = confirmations(task)
        unconfirmed = [
            f"{c['name']} written without the user's yes"
            for message, turn in zip(script.messages, calls, strict=False)
            for c in turn
            if c.get("name") in WRITE_TOOLS
            and (c.get("result") or {}).get("status") == "ok"
            and not yes(message)
        ]
        return score(engine, task, script, before, replies, [elapsed], unconfirmed)
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--peer", default="55d71f9", help="the git revision to compare with")
    parser.add_argument(
        "--ours", default="HEAD", help="the revision measured against it (checked out too)"
    )
    parser.add_argument(
        "--suites", default="dispatch held-out", help=f"comma list of {list(SUITES)}"
    )
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    args = parser.parse_args()
    suites = {name: SUITES[name] for name in args.suites.split(",")}
    rows: dict[str, dict[str, dict[str, object]]] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="agent-peer-") as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "seeded.db"
        seed_template(template)
        trees = {f"peer {args.peer}": tmp / "peer", "this revision": tmp / "ours"}
        for tree, rev in zip(trees.values(), (args.peer, args.ours), strict=True):
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(tree), rev],
                cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
        try:
            for label, tree in trees.items():
                store = template_for(tree, template)
                rows[label] = {}
                for name, tasks in suites.items():
                    report = Report()
                    for task in tasks:
                        report.attempts.append(attempt(tree, task, store, tmp))
                    rows[label][name] = report.summary(tasks[0].kind, 1)
        finally:
            for tree in trees.values():
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False
                )
    print("| revision | suite | tasks | pass^1 | violations | leaks |")
    print("|---|---|---|---|---|---|")
    for label, by_suite in rows.items():
        for name, s in by_suite.items():
            print(
                f"| {label} | {name} | {s['tasks']} | {s['pass^1']:.3f} | "
                f"{s['policy_violations']} | {s['leaks']} |"
            )
    ratios = {}
    for name in suites:
        ours = rows["this revision"][name]["pass^1"]
        theirs = rows[f"peer {args.peer}"][name]["pass^1"]
        ratios[name] = round(ours / theirs, 2) if theirs else None
        print(f"{name}: this revision {ours:.3f} / peer {theirs:.3f} = {ratios[name]}x")
    print(f"\n{time.monotonic() - started:.0f} s")
    if args.json:
        print(json.dumps({"peer": args.peer, "rows": rows, "ratio": ratios}))


if __name__ == "__main__":
    main()
