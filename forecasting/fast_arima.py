"""A non-seasonal ARIMA whose orders are searched in closed form, as AutoARIMA searches them.

statsforecast's AutoARIMA fits every candidate of its search by maximum likelihood with
scipy's BFGS and numerical gradients: one search of a weekly series takes longer than two
MSTL fits. Here a candidate is scored from two least-squares regressions (Hannan and
Rissanen, 1982): a long autoregression estimates the innovations, then the differenced
series is regressed on its own lags and those innovations'. The chosen orders alone are
then fitted by conditional least squares (Gauss-Newton from the regression's estimates),
which is what makes the forecast as good as the likelihood fit's. The differencing is the
KPSS test's, and the search Hyndman and Khandakar's stepwise one, as in AutoARIMA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from scipy.signal import lfilter
from scipy.stats import norm

# AutoARIMA's bounds as the weekly plan set them: its stepwise search does not bound p + q.
MAX_P = 3
MAX_Q = 3
MAX_MODELS = 30
# A root this close to the unit circle makes a filter that forgets nothing: the candidate is
# left out, as the likelihood search's bounds leave it out.
ROOT_MARGIN = 1.001
GAUSS_NEWTON_STEPS = 25

Key = tuple[int, int, bool]  # p, q, constant


class ArimaError(ValueError):
    """No candidate could be estimated (too few values, or none stationary and invertible)."""


@dataclass(frozen=True)
class ArimaFit:
    """ARIMA(p, d, q) of ``y``: for the d-times differenced series ``z``,
    ``z_t - mu = sum(ar_i (z_{t-i} - mu)) + a_t + sum(ma_j a_{t-j})``, ``mu`` 0 without a
    constant (with d = 1 the constant is a drift); ``residuals`` are the ``a_t``."""

    y: np.ndarray
    d: int
    ar: np.ndarray
    ma: np.ndarray
    constant: bool
    mu: float
    sigma2: float
    aicc: float
    residuals: np.ndarray

    @property
    def order(self) -> tuple[int, int, int]:
        return (len(self.ar), self.d, len(self.ma))

    @property
    def key(self) -> Key:
        return (len(self.ar), len(self.ma), self.constant)

    def forecast(self, horizon: int, level: int = 80) -> dict[str, np.ndarray]:
        """Mean and ``level``% bounds under normal errors, keyed as statsforecast keys them."""
        if horizon < 1:
            raise ArimaError(f"horizon: at least one step ahead, not {horizon}")
        z = np.diff(self.y, n=self.d) - self.mu
        p, q = len(self.ar), len(self.ma)
        past = list(z[len(z) - p :])
        # Shocks still to come are zero in the mean.
        shocks = list(self.residuals[len(self.residuals) - q :]) if q else []
        for _ in range(horizon):
            step = sum(self.ar[i] * past[-1 - i] for i in range(p))
            step += sum(self.ma[j] * shocks[-1 - j] for j in range(q))
            past.append(step)
            shocks.append(0.0)
        mean = undifference(self.y, np.asarray(past[p:]) + self.mu, self.d)
        z_score = norm.ppf(0.5 + level / 200)
        spread = z_score * np.sqrt(self.sigma2 * np.cumsum(self.psi(horizon) ** 2))
        return {"mean": mean, f"lo-{level}": mean - spread, f"hi-{level}": mean + spread}

    def psi(self, horizon: int) -> np.ndarray:
        """The weight of each past shock in the steps ahead, the differencing included."""
        phi = lag_poly(-self.ar)
        for _ in range(self.d):
            phi = np.convolve(phi, [1.0, -1.0])
        impulse = np.zeros(horizon)
        impulse[0] = 1.0
        return lfilter(lag_poly(self.ma), phi, impulse)


def undifference(y: np.ndarray, ahead: np.ndarray, d: int) -> np.ndarray:
    """Steps ahead of the d-times differenced series, summed back onto the history's end."""
    for k in reversed(range(d)):
        ahead = np.diff(y, n=k)[-1] + np.cumsum(ahead)
    return ahead


def lagged(x: np.ndarray, lags: int, start: int) -> np.ndarray:
    """Columns x_{t-1}, ..., x_{t-lags} for t from ``start`` on."""
    return np.column_stack([x[start - k : len(x) - k] for k in range(1, lags + 1)])


def shifted(x: np.ndarray, lag: int) -> np.ndarray:
    out = np.zeros(len(x))
    out[lag:] = x[: len(x) - lag]
    return out


def lag_poly(coef: np.ndarray) -> np.ndarray:
    """1 + sum(coef_i B^i) as its coefficients."""
    return np.concatenate(([1.0], coef))


def innovations(z: np.ndarray) -> tuple[np.ndarray, int]:
    """Residuals of a long autoregression (zero before its lags) and its order, Schwert's
    rule at most a quarter of the values."""
    m = max(1, min(int(12 * (len(z) / 100) ** 0.25), len(z) // 4))
    # Centred: a level far above the noise would make the lags and the intercept one column.
    z = z - z.mean()
    design = np.column_stack([np.ones(len(z) - m), lagged(z, m, m)])
    coef = np.linalg.lstsq(design, z[m:], rcond=None)[0]
    shocks = np.zeros(len(z))
    shocks[m:] = z[m:] - design @ coef
    return shocks, m


def stable(ar: np.ndarray, ma: np.ndarray) -> bool:
    """Whether the AR part is stationary and the MA part invertible: every root of
    1 - sum(ar_i B^i) and of 1 + sum(ma_j B^j) outside the unit circle."""
    return all(invertible(coef) for coef in (-ar, ma))


def invertible(coef: np.ndarray) -> bool:
    """Whether 1 + sum(coef_i B^i) has every root outside the unit circle (its reciprocal
    roots, the companion matrix's eigenvalues, inside)."""
    if len(coef) == 1:
        return bool(abs(coef[0]) * ROOT_MARGIN < 1)
    if not coef.any():
        return True
    companion = np.eye(len(coef), k=-1)
    companion[0] = -coef
    return bool(np.all(np.abs(np.linalg.eigvals(companion)) * ROOT_MARGIN < 1))


def css(z: np.ndarray, mu: float, ar: np.ndarray, ma: np.ndarray) -> np.ndarray:
    """The residuals, each past value before the first taken at the mean."""
    return lfilter(lag_poly(-ar), lag_poly(ma), z - mu)


def regression(z: np.ndarray, key: Key, shocks: tuple[np.ndarray, int]) -> np.ndarray | None:
    """Hannan and Rissanen's second regression, as [mu, ar..., ma...] (no mu without a
    constant); None with too few rows."""
    (p, q, constant), (innovation, m) = key, shocks
    first = max(m + q, p)
    if len(z) - first <= p + q + int(constant):
        return None
    # With a constant, centred as the innovations were; without one the mean is zero.
    centre = z.mean() if constant else 0.0
    z = z - centre
    columns = [np.ones(len(z) - first)] if constant else []
    if p:
        columns.append(lagged(z, p, first))
    if q:
        columns.append(lagged(innovation, q, first))
    if not columns:
        return np.zeros(0)
    coef = np.linalg.lstsq(np.column_stack(columns), z[first:], rcond=None)[0]
    if constant:  # the intercept, as the mean it implies
        coef[0] = centre + coef[0] / (1 - coef[1 : p + 1].sum())
    return coef


def refine(z: np.ndarray, key: Key, coef: np.ndarray) -> np.ndarray:
    """Gauss-Newton steps on the conditional sum of squares from [mu, ar..., ma...], a step
    halved while it would raise the sum or leave the model unstable."""
    p, q, constant = key
    if p + q + int(constant) == 0:
        return coef
    start = MAX_P
    mu, ar, ma = unpack(key, coef)
    a = css(z, mu, ar, ma)
    sse = a[start:] @ a[start:]
    for _ in range(GAUSS_NEWTON_STEPS):
        theta = lag_poly(ma)
        # Minus the residuals' derivatives in mu, each ar_i and each ma_j.
        columns = [lfilter([1.0], theta, np.full(len(z), 1 - ar.sum()))] if constant else []
        u, v = lfilter([1.0], theta, z - mu), lfilter([1.0], theta, a)
        columns += [shifted(u, i) for i in range(1, p + 1)]
        columns += [shifted(v, j) for j in range(1, q + 1)]
        step = np.linalg.lstsq(np.column_stack(columns)[start:], a[start:], rcond=None)[0]
        for scale in 0.5 ** np.arange(10):
            trial = pack(key, mu, ar, ma) + scale * step
            t_mu, t_ar, t_ma = unpack(key, trial)
            if stable(t_ar, t_ma):
                t_a = css(z, t_mu, t_ar, t_ma)
                t_sse = t_a[start:] @ t_a[start:]
                if t_sse < sse:
                    break
        else:
            break
        converged = sse - t_sse < 1e-8 * sse
        mu, ar, ma, a, sse = t_mu, t_ar, t_ma, t_a, t_sse
        if converged:
            break
    return pack(key, mu, ar, ma)


def pack(key: Key, mu: float, ar: np.ndarray, ma: np.ndarray) -> np.ndarray:
    return np.concatenate(([mu] if key[2] else [], ar, ma))


def unpack(key: Key, coef: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """[mu, ar..., ma...] (no mu without a constant) as mu, ar, ma."""
    p, _, constant = key
    mu = float(coef[0]) if constant else 0.0
    rest = coef[int(constant) :]
    return mu, rest[:p], rest[p:]


@dataclass(frozen=True)
class Problem:
    """What every candidate of one search shares: the history, its differencing, the
    differenced series and the long autoregression's innovations (and order)."""

    y: np.ndarray
    d: int
    z: np.ndarray
    shocks: tuple[np.ndarray, int]


def estimate(problem: Problem, key: Key, refined: bool = False) -> ArimaFit | None:
    """One candidate, None where it is not stationary and invertible or the values are too
    few. Every candidate's sum of squares starts at the same value, so their AICc compare."""
    z = problem.z
    p, q, constant = key
    k, n = p + q + int(constant), len(z) - MAX_P
    coef = regression(z, key, problem.shocks)
    if coef is None or n - k - 2 <= 0:
        return None
    mu, ar, ma = unpack(key, coef)
    if not stable(ar, ma):
        return None
    if refined:
        mu, ar, ma = unpack(key, refine(z, key, coef))
    residuals = css(z, mu, ar, ma)
    sigma2 = float(np.mean(residuals[MAX_P:] ** 2))
    if not math.isfinite(sigma2):
        return None
    loglik = -0.5 * n * (math.log(2 * math.pi * max(sigma2, 1e-300)) + 1)
    aicc = -2 * loglik + 2 * (k + 1) + 2 * (k + 1) * (k + 2) / (n - k - 2)
    return ArimaFit(problem.y, problem.d, ar, ma, constant, mu, sigma2, aicc, residuals)


@cache
def blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def search(y: np.ndarray, d: int, orders: list[Key] | None = None) -> ArimaFit:
    """The candidate with the least AICc, fitted: among ``orders`` (p, q, constant) where
    given, else by the stepwise search (four models to start, then the best one's
    neighbours until none is better; a constant only where d <= 1).

    On one BLAS thread: its problems are small, and forecasting runs a process per core
    (Dask's workers, the benchmark's pool), where OpenBLAS's threads oversubscribe the
    cores: on two workers a search took five times as long with them."""
    with blas().limit(limits=1, user_api="blas"):
        return stepwise(np.asarray(y, float), d, orders)


def stepwise(y: np.ndarray, d: int, orders: list[Key] | None) -> ArimaFit:
    z = np.diff(y, n=d)
    if len(z) < 8:
        raise ArimaError(f"{len(y)} values are too few for an ARIMA with d={d}")
    problem = Problem(y, d, z, innovations(z))
    tried: dict[Key, ArimaFit | None] = {}

    def best_of(keys: list[Key]) -> ArimaFit | None:
        for key in keys:
            if key not in tried:
                tried[key] = estimate(problem, key)
        fits = [fit for key in keys if (fit := tried[key]) is not None]
        return min(fits, key=lambda fit: fit.aicc, default=None)

    c = d <= 1
    start = [(2, 2, c), (0, 0, c), (1, 0, c), (0, 1, c), (0, 0, False)]
    chosen = best_of(start if orders is None else orders)
    while orders is None and chosen is not None and len(tried) < MAX_MODELS:
        better = best_of([chosen.key, *neighbours(chosen.key, c)])
        if better is chosen:
            break
        chosen = better
    if chosen is None:
        raise ArimaError("no stationary, invertible ARIMA could be estimated")
    return estimate(problem, chosen.key, refined=True) or chosen


def neighbours(key: Key, constant_allowed: bool) -> list[Key]:
    """p or q or both one up or down, and the constant toggled where one is allowed."""
    p, q, c = key
    steps = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)]
    keys = [(p + dp, q + dq, c) for dp, dq in steps]
    if constant_allowed:
        keys.append((p, q, not c))
    return [(a, b, k) for a, b, k in keys if 0 <= a <= MAX_P and 0 <= b <= MAX_Q]


def differencing(y: np.ndarray) -> int:
    """How many differences the KPSS test asks for (at most two), as AutoARIMA decides."""
    from statsforecast.arima import ndiffs

    return int(ndiffs(np.asarray(y, float)))
