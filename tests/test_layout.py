"""No function in the project is longer than 60 lines, counted from its ``def`` line to its
last line (decorators left out): a longer one is split into named steps. Generated
migrations are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agents", "apps", "dashboard", "db", "forecasting", "routing", "bench", "tests")
SKIPPED = (ROOT / "db" / "migrations" / "versions", ROOT / ".venv")
MAX_LINES = 60


def _sources() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if not any(path.is_relative_to(skipped) for skipped in SKIPPED)
    )


def _too_long(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_LINES:
                where = path.relative_to(ROOT)
                found.append(f"{where}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_the_scan_finds_the_sources() -> None:
    """The walk reaches every package and leaves the generated migrations out."""
    sources = _sources()
    assert {p.relative_to(ROOT).parts[0] for p in sources} == set(PACKAGES)
    versions = ROOT / "db" / "migrations" / "versions"
    assert any(versions.glob("*.py")), "the migrations are where the skip expects them"
    assert not any(p.is_relative_to(versions) for p in sources)


def test_no_function_is_longer_than_60_lines() -> None:
    """Every function outside the generated migrations is at most 60 lines long."""
    too_long = [entry for path in _sources() for entry in _too_long(path)]
    assert too_long == [], "split these into named steps:\n" + "\n".join(too_long)
