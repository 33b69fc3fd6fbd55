"""What a simulation run is allowed to vary, checked when it is built."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$")
_UNIT_S = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, None: 1}


class SimSettingsError(ValueError):
    """A simulation setting is out of range; the message names it."""


def parse_duration(text: str, field: str) -> float:
    """'90s', '15m', '2h', '1d' or plain seconds, as seconds."""
    match = _DURATION.match(str(text))
    if match is None:
        raise SimSettingsError(f"{field}: {text!r} is not a duration like 30s, 15m, 2h or 1d")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


@dataclass(frozen=True)
class SimSettings:
    seed: int = 7
    tick_s: float = 30.0  # simulated seconds per transaction
    dispatch_interval_s: float = 60.0
    dispatch_time_limit_s: float = 10.0  # a cap; within it the round is deterministic
    # One round per zone, as `longcat dispatch --zone` runs it: at city scale a city-wide
    # round of mostly pinned routes took 26 s where the twelve zone rounds took 1 s.
    dispatch_by_zone: bool = True
    demand_factor: float = 1.0  # scales the orders the history predicts
    cancel_share: float = 0.02  # orders the customer cancels before pickup
    complaint_share: float = 0.35  # late deliveries whose customer complains
    complaint_late_min: int = 5  # minutes late before anyone bothers to complain
    history_days: int = 28  # demand profile: mean of the same hour of week over these days

    def __post_init__(self) -> None:
        positive = ("tick_s", "dispatch_interval_s", "dispatch_time_limit_s", "demand_factor")
        for name in positive:
            if not getattr(self, name) > 0:
                raise SimSettingsError(f"{name}: must be positive, got {getattr(self, name)}")
        for name in ("cancel_share", "complaint_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise SimSettingsError(f"{name}: must be between 0 and 1")
        if self.dispatch_interval_s < self.tick_s:
            raise SimSettingsError(
                f"dispatch_interval_s: {self.dispatch_interval_s} is shorter than one tick "
                f"({self.tick_s} s)"
            )
        if self.history_days < 7:
            raise SimSettingsError("history_days: needs at least a week of history")
        if self.complaint_late_min < 1:
            raise SimSettingsError("complaint_late_min: must be at least 1")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
