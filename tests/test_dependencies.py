"""The packages point one way (docs/architecture.md): db <- routing, forecasting <- agents <-
apps <- dashboard. A module importing a package above its own, or a pure solver or model
reaching into the store, fails here with the module and the import named."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The dashboard is an entry point over the apps' settings and services; apps never import it.
LAYER = {"db": 0, "routing": 1, "forecasting": 1, "agents": 2, "apps": 3, "dashboard": 4}
# The pure cores: data in, answer out. Below them they may read only the plain rules.
PURE = ("routing/travel", "routing/benchmarks", "routing/live")
PURE_MAY_READ = ("db.domain.rules", "db.domain.status")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def _modules() -> list[Path]:
    return [
        p
        for package in LAYER
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    ]


def test_no_module_imports_a_package_above_its_own() -> None:
    """Every import of a first-party package names one at the same layer or below."""
    wrong = []
    for path in _modules():
        own = path.relative_to(ROOT).parts[0]
        for name in _imports(path):
            top = name.split(".")[0]
            if top in LAYER and top != own and LAYER[top] >= LAYER[own]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_pure_solvers_do_not_reach_into_the_store() -> None:
    """The routing cores import nothing from db but the plain rules and statuses."""
    wrong = []
    for part in PURE:
        for path in (ROOT / part).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] == "db" and not name.startswith(PURE_MAY_READ):
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
                if name.startswith("routing.service"):
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)
