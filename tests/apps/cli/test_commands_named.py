"""Every `longcat ...` command that a message, a page or a docstring tells a person to run
exists: a renamed command cannot leave an error message pointing nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from apps.cli import app

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("agents", "apps", "dashboard", "db", "forecasting", "routing")
MENTION = re.compile(r"`longcat ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)")


def _mentions() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for match in MENTION.finditer(path.read_text(encoding="utf-8")):
                found.add(tuple(match.group(1).split()))
    return found


def test_every_command_a_message_names_exists() -> None:
    root = typer.main.get_command(app)
    assert "seed" in root.commands
    mentions = _mentions()
    assert ("seed",) in {m[:1] for m in mentions}, "the scan finds the messages"
    missing = []
    for words in sorted(mentions):
        command = root.commands.get(words[0])
        sub = words[1] if len(words) > 1 and hasattr(command, "commands") else None
        if command is None or (sub is not None and sub not in command.commands):
            missing.append(" ".join(words))
    assert missing == []
