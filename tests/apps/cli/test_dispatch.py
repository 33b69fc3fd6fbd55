"""`longcat dispatch` as scripts call it: a round that plans writes one version; a round
with nothing left to do exits 0 and says so in --json without writing; --dry-run writes
nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from apps.cli import app
from db.engine import make_engine
from db.models import RoutePlan
from tests.conftest import TEST_NOW

NOW = (TEST_NOW + timedelta(minutes=1)).isoformat()
runner = CliRunner()


def _round(url: str, *extra: str) -> dict:
    result = runner.invoke(
        app,
        ["dispatch", "--now", NOW, "--time-limit", "0.5", "--json", "--database-url", url, *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def _versions(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(RoutePlan))
    engine.dispose()
    return int(count)


def test_a_second_round_finds_nothing_left(seeded_url: str) -> None:
    """The first round writes a version with its changes; the same round again finds
    every order already where it would put it: exit 0, nothing_left, no new version."""
    before = _versions(seeded_url)
    dry = _round(seeded_url, "--dry-run")
    assert dry["version"] is None and dry["changes"] and _versions(seeded_url) == before
    first = _round(seeded_url)
    assert first["version"] == before + 1 and not first["nothing_left"]
    assert any(c["before"] != c["after"] for c in first["changes"])
    second = _round(seeded_url)
    assert second["version"] is None and second["nothing_left"]
    assert second["note"].startswith("nothing left")
    assert _versions(seeded_url) == before + 1
