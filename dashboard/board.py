"""The order board's rules, on a frame of orders: lateness, filters and search.

Pure pandas, so the page stays a thin function and the rules are tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from db.domain.status import OPEN

AT_RISK = "at risk"  # open, and the plan's drop-off is past the promise
LATE = "late"  # past the promise now (open), or delivered after it


def with_lateness(board: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    """Adds ``minutes_late`` (predicted or actual drop-off against the promise, whole
    minutes, negative when early) and ``flag`` (late, at risk or empty). Times are UTC."""
    frame = board.copy()
    promised = pd.to_datetime(frame["promised_at"], utc=True)
    predicted = pd.to_datetime(frame["predicted_at"], utc=True)
    open_ = frame["status"].isin(OPEN)
    frame["minutes_late"] = ((predicted - promised).dt.total_seconds() / 60).round()
    overdue = open_ & (promised < now)
    frame["flag"] = ""
    frame.loc[open_ & (predicted > promised), "flag"] = AT_RISK
    frame.loc[overdue | (~open_ & (frame["minutes_late"] > 0)), "flag"] = LATE
    return frame


@dataclass(frozen=True)
class BoardFilter:
    """What the dispatcher narrowed the board to; empty means everything."""

    zones: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    couriers: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()  # late, at risk
    search: str = ""  # an order id, or words of the customer's name or the address

    def apply(self, board: pd.DataFrame) -> pd.DataFrame:
        keep = pd.Series(True, index=board.index)
        if self.zones:
            keep &= board["zone_id"].isin(self.zones)
        if self.statuses:
            keep &= board["status"].isin(self.statuses)
        if self.couriers:
            keep &= board["courier_id"].isin(self.couriers)
        if self.flags:
            keep &= board["flag"].isin(self.flags)
        words = self.search.strip()
        if words.lstrip("#").isdigit():
            keep &= board["id"] == int(words.lstrip("#"))
        elif words:
            text = board["customer"].str.cat(board["address"], sep=" ").str.casefold()
            for word in words.casefold().split():
                keep &= text.str.contains(word, regex=False)
        return board[keep]
