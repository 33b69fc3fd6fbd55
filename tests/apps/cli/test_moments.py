"""One reading of a moment on the command line: ISO 8601, and without an offset the city's
local time, for --now and --until on every command that takes them, said in every --help;
LONGCAT_NOW reads the same way."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import typer
from typer.testing import CliRunner

from apps.cli import app
from apps.cli.common import city_moment
from apps.settings import Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
runner = CliRunner()


def test_a_moment_without_an_offset_is_the_citys() -> None:
    """12:30 in Shanghai is 04:30 UTC; an explicit offset is kept as given."""
    assert city_moment("2026-11-27T12:30", "--now", SHANGHAI) == datetime(
        2026, 11, 27, 4, 30, tzinfo=UTC
    )
    assert city_moment("2026-11-27T12:30+00:00", "--now", SHANGHAI) == datetime(
        2026, 11, 27, 12, 30, tzinfo=UTC
    )
    assert Settings(now=datetime(2026, 11, 27, 12, 30)).now == datetime(
        2026, 11, 27, 4, 30, tzinfo=UTC
    )


def test_a_bad_moment_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit):
        city_moment("half past noon", "--until", SHANGHAI)
    assert "--until: 'half past noon'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["seed"],
        ["dispatch"],
        ["simulate"],
        ["dashboard"],
        ["agent", "customer"],
        ["agent", "dispatch"],
    ],
)
def test_every_help_says_how_a_moment_is_read(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = re.sub(r"[\s│]+", " ", result.output)
    assert "without an offset, the city's local time" in text


def test_simulate_until_a_local_time(seeded_url: str) -> None:
    """--until 12:50 on a store whose present is 12:30 in Shanghai runs twenty minutes."""
    result = runner.invoke(
        app,
        [
            "simulate",
            "--speed",
            "0",
            "--until",
            "2026-11-27T12:50",
            "--json",
            *("--database-url", seeded_url),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert datetime.fromisoformat(out["from"]) == datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
    assert datetime.fromisoformat(out["to"]) == datetime(2026, 11, 27, 4, 50, tzinfo=UTC)


def test_an_error_is_one_line_when_stderr_is_not_a_terminal(tmp_path) -> None:
    """A script reading stderr gets the whole reason on one line, however long."""
    import subprocess
    import sys
    from pathlib import Path

    longcat = str(Path(sys.executable).with_name("longcat"))
    value = "the-day-after-the-lunch-rush-" * 4
    done = subprocess.run(
        [longcat, "dispatch", "--now", value, "--database-url", f"sqlite:///{tmp_path}/s.db"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
        timeout=60,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --now:") and value in lines[0]
