"""The result object every benchmark engine returns, and the knobs it is searched with."""

from __future__ import annotations

from dataclasses import dataclass, field

from routing.benchmarks.problem import Family

Routes = tuple[tuple[int, ...], ...]


class SolverError(RuntimeError):
    """A solver that could not produce any plan at all; the message says why."""


@dataclass(frozen=True)
class SearchParams:
    """How OR-Tools searches; the defaults are the ones tuned on the benchmark families."""

    time_limit_s: float = 10.0
    first_solution: str = "AUTOMATIC"  # AUTOMATIC picks per family, see ortools_vrp.first_solution
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1
    log_search: bool = False


@dataclass(frozen=True)
class Solution:
    """Routes as the file's node ids (depot left out), costed under the family's convention."""

    instance: str
    family: Family
    routes: Routes
    cost: float
    engine: str
    elapsed_s: float
    by_engine: dict[str, float] = field(default_factory=dict)  # portfolio: each engine's cost

    @property
    def vehicles(self) -> int:
        return sum(1 for r in self.routes if r)

    def rank(self) -> tuple[int, float]:
        """Sort key under the family's objective (Li & Lim counts vehicles first)."""
        if self.family is Family.LILIM:
            return (self.vehicles, self.cost)
        return (0, self.cost)
