"""How many couriers an hour needs: forecast demand at a service level over courier productivity."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

Z80 = float(norm.ppf(0.9))  # an 80% interval's upper bound sits at the 90th percentile


def demand_quantile(yhat: NDArray, upper80: NDArray, service_level: float) -> NDArray:
    """The demand the plan must cover so that `service_level` of hours are fully staffed.

    The spread is read off the 80% interval as a normal scale, which is what the
    served models' intervals are built from.
    """
    if not 0.5 <= service_level < 1.0:
        raise ValueError(f"service_level: {service_level} must be in [0.5, 1)")
    sigma = np.maximum(np.asarray(upper80) - np.asarray(yhat), 0.0) / Z80
    return np.maximum(np.asarray(yhat) + float(norm.ppf(service_level)) * sigma, 0.0)


def couriers_needed(
    yhat: NDArray, upper80: NDArray, orders_per_courier_hour: float, service_level: float
) -> NDArray:
    if orders_per_courier_hour <= 0:
        raise ValueError(f"orders_per_courier_hour: {orders_per_courier_hour} must be positive")
    demand = demand_quantile(yhat, upper80, service_level)
    return np.ceil(demand / orders_per_courier_hour - 1e-9).astype(int)
