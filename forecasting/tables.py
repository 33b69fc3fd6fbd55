"""Long tables (``series_id,ds,y`` or ``ds,y``) checked and turned into series.

Every problem is reported with the series it belongs to and the reason, so a person can
fix the file without reading code.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from forecasting import dates
from forecasting.errors import InputFormatError, SeriesError
from forecasting.series import (
    FREQ_NAMES,
    MIN_HISTORY,
    PANDAS_FREQ,
    STEPS,
    Freq,
    Series,
    check_usable,
)

SINGLE_SERIES_ID = "series"
# How gaps (missing timestamps, empty y values) are treated: refused, zero, or a straight line.
Fill = Literal["zero", "interpolate", "none"]
FILL_HINT = "(--fill zero or --fill interpolate fills them)"
STEP_FREQ: dict[pd.Timedelta, Freq] = {step: freq for freq, step in STEPS.items()}
STEP_UNITS = (
    ("day", pd.Timedelta(days=1)),
    ("hour", pd.Timedelta(hours=1)),
    ("minute", pd.Timedelta(minutes=1)),
    ("second", pd.Timedelta(seconds=1)),
)
ON_THE = {"h": "hour", "d": "day", "w": "day"}
# How files write a missing value (pandas' own list, lower-cased): R's NA, a database's NULL,
# a spreadsheet's #N/A.
MISSING = frozenset(
    {"na", "n/a", "nan", "-nan", "null", "none", "<na>", "#n/a", "#n/a n/a", "#na"}
    | {"-1.#ind", "-1.#qnan", "1.#ind", "1.#qnan"}
)


class InvalidSeriesError(InputFormatError):
    """One or more series in a table are unusable; ``errors`` holds one per series."""

    def __init__(self, errors: list[SeriesError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def describe_step(step: pd.Timedelta) -> str:
    """A step as a person says it: ``1 hour``, ``7 days``, ``30 minutes``."""
    for unit, size in STEP_UNITS:
        if step >= size and step % size == pd.Timedelta(0):
            count = step // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return str(step)


def modal_step(steps: pd.Series) -> pd.Timedelta | None:
    """The most common step (the smallest of the most common on a tie); None without steps."""
    if steps.empty:
        return None
    counts = steps.value_counts()
    return pd.Timedelta(min(counts.index[counts == counts.max()]))


# Calendar steps longer than a week, in whole days: none of them is forecast here.
CALENDAR_STEPS = (("monthly", 28, 31), ("quarterly", 89, 92), ("yearly", 365, 366))
SUPPORTED = "only hourly, daily and weekly series are forecast"
SLACK_DAYS = 1 / 24


def calendar_kind(steps: pd.Series) -> str | None:
    """``monthly``, ``quarterly`` or ``yearly`` where most steps are one such period (month
    starts are 28 to 31 days apart; an hour either side for dates converted across a clock
    change) and nine in ten are one to three of them (the rest missing); ``four-weekly``
    where every step is 28 days; else None."""
    if steps.empty:
        return None
    days = steps.dt.total_seconds() / 86400
    if (days == 28).all():
        return "four-weekly"
    for kind, low, high in CALENDAR_STEPS:
        spans = [days.between(low * n - SLACK_DAYS, high * n + SLACK_DAYS) for n in (1, 2, 3)]
        if spans[0].mean() >= 0.5 and (spans[0] | spans[1] | spans[2]).mean() >= 0.9:
            return kind
    return None


def checked_table(table: pd.DataFrame, hint: str | None = None) -> pd.DataFrame:
    """The table with its columns checked and a ``series_id`` column in any case; ``hint``
    ends the message of a missing column (how the caller can name another)."""
    missing = [column for column in ("ds", "y") if column not in table.columns]
    if missing:
        raise InputFormatError(
            f"missing column(s) {', '.join(missing)}: the file needs series_id,ds,y or ds,y "
            f"(it has {', '.join(map(str, table.columns)) or 'no columns'})"
            + (f"; {hint}" if hint else "")
        )
    if table.empty:
        raise InputFormatError("the file has a header but no rows")
    if "series_id" not in table.columns:
        return table.assign(series_id=SINGLE_SERIES_ID)
    # Padded as a database's CHAR column pads it, "store1 " is still store1 (ds and y are
    # read past their spaces too).
    ids = table["series_id"].astype(str).str.strip().where(table["series_id"].notna(), "")
    empty = np.flatnonzero(ids.eq("").to_numpy())
    if len(empty):
        first = empty[0]
        raise InputFormatError(
            f"the series id is empty on {counted(len(empty))}, the first on data row {first + 1} "
            f"(ds {table['ds'].iloc[first]!r}): name the series of every row"
        )
    return table.assign(series_id=ids)


def counted(count: int, thing: str = "row") -> str:
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def infer_freq(table: pd.DataFrame, day_first: bool | None = None) -> Freq:
    """The frequency of the table: the most common step between consecutive distinct
    timestamps within each series must be 1 hour, 1 day or 7 days. ``day_first`` is the
    file's date order where known (``dates.day_first``)."""
    table = checked_table(table)
    if day_first is None:
        day_first = dates.day_first(table["ds"])
    ds = dates.parse(table["ds"], day_first)
    groups = ds.groupby(table["series_id"].astype(str).to_numpy(), sort=False)
    steps = [dates.distinct_steps(group) for _, group in groups]
    step = modal_step(pd.concat(steps)) if steps else None
    if step is None:
        unread = table["ds"][ds.isna()]
        reason = (
            f"no date could be read from {unread.iloc[0]!r} ({counted(len(unread))}); "
            + dates.ISO_HINT
            if len(unread)
            else "no series has two distinct timestamps; pass --freq h, d or w"
        )
        raise InputFormatError(f"cannot infer the frequency: {reason}")
    if step not in STEP_FREQ:
        apart = f"the timestamps are most often {describe_step(step)} apart"
        kind = calendar_kind(pd.concat(steps))
        if kind is not None:
            reason = f"{apart}: {kind} data, and {SUPPORTED}"
        elif step < STEPS["h"]:
            reason = f"{apart}: add them up to hourly values first"
        else:
            reason = f"{apart}, not 1 hour, 1 day or 7 days; pass --freq h, d or w"
        raise InputFormatError(f"cannot infer the frequency: {reason}")
    return STEP_FREQ[step]


def check_dates(series_id: str, raw: pd.Series, ds: pd.Series) -> None:
    """The first value of ``raw`` that is no date (NaT in ``ds``) named."""
    bad = ds.isna()
    if bad.any():
        first = raw[bad].iloc[0]
        raise SeriesError(series_id, f"unparsable date {first!r} ({counted(int(bad.sum()))})")


# 1,011: a thousands separator as readily as a decimal comma (0,500 is no thousands).
THOUSANDS = r"^\s*-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?\s*$"
# 1,234,567 or 1,234.5: commas that can only separate thousands.
ONLY_THOUSANDS = r"^\s*-?\d{1,3}(?:(?:,\d{3}){2,}(?:\.\d+)?|(?:,\d{3})+\.\d+)\s*$"
# Where commas are decimal marks, dots separate thousands: 1.234,5 and 1.234 are 1234.5, 1234.
EUROPEAN = r"^\s*(-?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*$"
# 1.234,5 or 1.234.567: dots that can only separate thousands.
ONLY_DOT_THOUSANDS = r"^\s*-?\d{1,3}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})\s*$"
DOT_THOUSANDS = r"^\s*-?\d{1,3}(?:\.\d{3})+\s*$"


def number_commas(values: pd.Series) -> pd.Series:
    """A column's numbers with their commas read as the file writes them: decimal marks
    (``12,5``; dots then separate thousands, ``1.234,5``) or thousands separators
    (``1,234.5``, ``1,234,567``, as a US spreadsheet exports formatted numbers).

    The file decides once. A comma not followed by exactly three digits says the commas are
    decimal marks; a value whose commas can only separate thousands says they do, where
    every comma fits that. Refused (``InputFormatError``) rather than guessed: commas that
    all stand alone before three digits (``1,011``: thousands or decimals), and beside
    decimal commas a dotted value no other value proves a thousands mark (``3.500`` beside
    ``3,47``: a decimal point or thousands). A column without commas is left as written.
    """
    text = values.astype(str)
    commas = text[text.str.contains(",", regex=False)]
    if commas.empty:
        return values
    if commas.str.match(THOUSANDS).all():
        if not commas.str.match(ONLY_THOUSANDS).any():
            first = commas.iloc[0].strip()
            raise InputFormatError(
                f"y values such as {first!r} could be thousands or a decimal comma; write "
                f"plain numbers ({first.replace(',', '')} or {first.replace(',', '.')})"
            )
        return text.str.replace(",", "", regex=False).where(text.index.isin(commas.index), values)
    dotted = text[text.str.contains(".", regex=False) & ~text.index.isin(commas.index)]
    proven = text.str.match(ONLY_DOT_THOUSANDS).any()
    if len(dotted) and not (proven and dotted.str.match(DOT_THOUSANDS).all()):
        raise InputFormatError(
            f"y values {dotted.iloc[0].strip()!r} and {commas.iloc[0].strip()!r} mix a decimal "
            "point and a decimal comma; write every number one way (3.5 or 3,5)"
        )
    parts = text.str.extract(EUROPEAN)
    whole = parts[1].str.replace(".", "", regex=False)
    european = parts[0] + whole + ("." + parts[2]).fillna("")
    return european.where(parts[1].notna(), values)


def parse_values(
    series_id: str, raw: pd.Series, ds: pd.Series, fill: Fill, days: bool
) -> np.ndarray:
    """The values as floats; an empty one, or one written as missing (``NA``, ``null``,
    ``#N/A``, as R, databases and spreadsheets write it), is NaN when ``fill`` fills it,
    else refused."""
    text = raw.astype(str).str.strip()
    missing = raw.isna() | text.eq("") | text.str.lower().isin(MISSING)
    values = pd.to_numeric(raw.where(~missing), errors="coerce")
    bad = values.isna() | ~np.isfinite(values.astype(float))
    wrong = bad & ~missing
    if wrong.any():
        first, at = raw[wrong].iloc[0], dates.shown(ds[wrong].iloc[0], days)
        raise SeriesError(
            series_id, f"non-numeric y value {first!r} at {at} ({counted(int(wrong.sum()))})"
        )
    if missing.any() and fill == "none":
        first, at = raw[missing].iloc[0], dates.shown(ds[missing].iloc[0], days)
        written = "" if pd.isna(first) or not str(first).strip() else f" {str(first).strip()!r}"
        raise SeriesError(
            series_id,
            f"missing y value{written} at {at} ({counted(int(missing.sum()))}) {FILL_HINT}",
        )
    return values.to_numpy(float)


class RepeatedTimestamps(SeriesError):
    """A series with ``repeats`` timestamps written more than once."""

    def __init__(self, series_id: str, reason: str, repeats: int) -> None:
        super().__init__(series_id, reason)
        self.repeats = repeats


class OtherFrequency(SeriesError):
    """A series whose timestamps are steps of another frequency (``found``) than asked."""

    def __init__(self, series_id: str, apart: str, found: Freq) -> None:
        super().__init__(series_id, f"{apart}: use --freq {found}")
        self.apart, self.found = apart, found

    def in_mixed_file(self, others_fit: bool) -> SeriesError:
        """The error where the file mixes frequencies: the series goes in a file of its
        frequency (``--freq`` alone would turn the error onto the others), and where
        ``others_fit``, the file's other series are of the frequency asked."""
        others = ", as the file's other series are" if others_fit else ""
        name = FREQ_NAMES[self.found]
        return SeriesError(
            self.series_id,
            f"{self.apart}{others}: forecast it from a file of {name} series "
            f"with --freq {self.found}",
        )


def one_frequency(errors: list[SeriesError], fine: int) -> list[SeriesError]:
    """The errors, where the file mixes frequencies (``fine`` series read at the frequency
    asked, or series of two others), telling each series of another frequency to go in a
    file of its frequency."""
    others = [e for e in errors if isinstance(e, OtherFrequency)]
    if not others or (not fine and len({e.found for e in others}) == 1):
        return errors
    return [e.in_mixed_file(fine > 0) if isinstance(e, OtherFrequency) else e for e in errors]


def check_step(series_id: str, ds: pd.Series, freq: Freq) -> None:
    """Timestamps that clearly are of another frequency are named as such."""
    steps = dates.distinct_steps(ds)
    step, expected = modal_step(steps), STEPS[freq]
    if step is None or step == expected:
        return
    found = STEP_FREQ.get(step)
    apart = f"timestamps are {describe_step(step)} apart, not {describe_step(expected)}"
    kind = calendar_kind(steps) if step > STEPS["w"] else None
    if kind is not None:
        # Filling the days between month starts would make up nearly every value.
        raise SeriesError(series_id, f"{apart}: {kind} data, and {SUPPORTED}")
    if found is None and step > expected:
        return  # a regular series with holes: the holes are reported as missing timestamps
    if found is not None:
        raise OtherFrequency(series_id, apart, found)
    raise SeriesError(
        series_id,
        f"{apart}: add them up to {FREQ_NAMES[freq]} values first",
    )


def check_grid(series_id: str, ds: pd.Series, freq: Freq, offsets_written: bool = False) -> None:
    """The timestamps must be unique, of the frequency, and on its grid."""
    duplicated = ds[ds.duplicated()]
    if len(duplicated):
        # Clocks go back in the small hours of a Sunday (Europe, the Americas, Australia).
        clock_change = (
            freq == "h"
            and not offsets_written
            and small_sunday_hours(pd.DatetimeIndex(duplicated), first=0)
        )
        hint = (
            "; if the clocks went back then, write each time's UTC offset" if clock_change else ""
        )
        at = dates.shown(duplicated.iloc[0], freq != "h")
        raise RepeatedTimestamps(
            series_id,
            f"duplicated timestamp {at} ({counted(len(duplicated), 'repeat')}){hint}",
            len(duplicated),
        )
    check_step(series_id, ds, freq)
    unit = "h" if freq == "h" else "D"
    off_grid = ds[ds != ds.dt.floor(unit)]
    if len(off_grid):
        raise SeriesError(
            series_id,
            f"timestamp {dates.shown(off_grid.iloc[0], False)} is not on the {ON_THE[freq]}"
            + (shifted_days_hint(ds) if freq != "h" else ""),
        )
    first = ds.min()
    off_week = ds[(ds - first) % STEPS["w"] != pd.Timedelta(0)] if freq == "w" else ds[:0]
    if len(off_week):
        raise SeriesError(
            series_id,
            f"timestamp {dates.shown(off_week.iloc[0], True)} is not a whole number of weeks after "
            f"the first, {dates.shown(first, True)}",
        )


def small_sunday_hours(times: pd.DatetimeIndex, first: int) -> bool:
    """Every time is a lone hour of a Sunday's small hours (from ``first`` to 3 o'clock),
    where clocks change: once a spring or an autumn, a week or more apart."""
    isolated = len(times) < 2 or bool((np.diff(times) > pd.Timedelta(days=7)).all())
    return isolated and bool(((times.dayofweek == 6) & times.hour.isin(range(first, 4))).all())


def shifted_days_hint(ds: pd.Series) -> str:
    """Days stamped at one of two clock times an hour apart (23:00, and 22:00 in summer)
    are local midnights converted to another time zone, its clock change included."""
    clocks = sorted((ds - ds.dt.floor("D")).unique())
    if len(clocks) != 2 or clocks[1] - clocks[0] != pd.Timedelta(hours=1):
        return ""
    minutes = [int(c / pd.Timedelta(minutes=1)) for c in clocks]
    shown = " or ".join(f"{m // 60:02d}:{m % 60:02d}" for m in minutes)
    return (
        f"; every timestamp is at {shown}, as a day's midnight converted to another time "
        "zone is: write each day's own date"
    )


def regular(series_id: str, values: pd.Series, freq: Freq, fill: Fill) -> pd.Series:
    """The values on their full grid, the gaps filled as ``fill`` says (or refused)."""
    grid = pd.date_range(values.index[0], values.index[-1], freq=PANDAS_FREQ[freq])
    if len(grid) != len(values):
        if fill == "none":
            missing = grid.difference(pd.DatetimeIndex(values.index))
            at = dates.shown(missing[0], freq != "h")
            # Clocks go forward in the small hours of a Sunday, and that hour never was.
            clock_change = freq == "h" and small_sunday_hours(missing, first=1)
            hint = "; if the clocks went forward then, write each time's UTC offset"
            raise SeriesError(
                series_id,
                f"{counted(len(missing), 'missing timestamp')}, the first at {at} {FILL_HINT}"
                + (hint if clock_change else ""),
            )
        values = values.reindex(grid)
    if fill == "none" or not values.isna().any():
        return values
    if fill == "zero":
        return values.fillna(0.0)
    if values.isna().all():
        raise SeriesError(series_id, "every value is missing: nothing to interpolate from")
    # Linear in time between neighbours; a gap at either end takes the nearest value.
    return values.interpolate(method="time", limit_direction="both")


def to_series(
    series_id: str,
    rows: pd.DataFrame,
    freq: Freq,
    min_length: int,
    fill: Fill = "none",
    day_first: bool = False,
) -> Series:
    raw = rows["ds"].reset_index(drop=True)
    wall, shift = dates.written(raw)
    ds = dates.parse_clock(wall, day_first)
    check_dates(series_id, raw, ds)
    y = parse_values(series_id, rows["y"].reset_index(drop=True), ds, fill, freq != "h")
    if freq == "h":
        ds, y = dates.clock_changes(ds, shift, y)
    else:
        ds = dates.on_days(ds)
    check_grid(series_id, ds, freq, offsets_written=bool(shift.notna().any()))
    values = regular(series_id, pd.Series(y, index=pd.DatetimeIndex(ds)).sort_index(), freq, fill)
    check_usable(series_id, values.to_numpy(float), freq, min_length)
    return Series(series_id, values.index[0], values.to_numpy(float), freq)


def read_series(
    table: pd.DataFrame,
    freq: Freq,
    min_length: int | None = None,
    fill: Fill = "none",
    day_first: bool | None = None,
) -> tuple[list[Series], list[SeriesError]]:
    """Every series of the table that reads, and an error for each one that does not.

    ``fill`` treats missing timestamps and empty y values: ``none`` refuses them, ``zero``
    puts 0 there, ``interpolate`` draws a straight line in time between the neighbours.
    ``day_first`` is the file's date order where known (``dates.day_first``)."""
    table = checked_table(table)
    needed = min_length if min_length is not None else MIN_HISTORY[freq]
    if day_first is None:
        day_first = dates.day_first(table["ds"])
    result, errors = [], []
    for series_id, rows in table.groupby(table["series_id"].astype(str), sort=False):
        try:
            result.append(to_series(str(series_id), rows, freq, needed, fill, day_first))
        except SeriesError as error:
            errors.append(error)
    return result, one_frequency(errors, len(result))


def series_from_table(
    table: pd.DataFrame,
    freq: Freq,
    min_length: int | None = None,
    fill: Fill = "none",
    day_first: bool | None = None,
) -> list[Series]:
    """Every series of the table (``read_series``), or ``InvalidSeriesError`` listing each
    bad one."""
    result, errors = read_series(table, freq, min_length, fill, day_first)
    if errors:
        raise InvalidSeriesError(errors)
    return result


def horizon_errors(series: list[Series], horizon: int) -> list[SeriesError]:
    """An error for each series whose history is shorter than the horizon."""
    return [
        SeriesError(
            s.series_id, f"--horizon {horizon} is longer than its {len(s.y)} values of history"
        )
        for s in series
        if horizon > len(s.y)
    ]


def check_horizon(series: list[Series], horizon: int) -> str | None:
    """Refuse a horizon longer than a series' history (``InvalidSeriesError``, one error per
    series); a warning, naming the shortest series, when it is over a third of that one."""
    errors = horizon_errors(series, horizon)
    if errors:
        raise InvalidSeriesError(errors)
    return horizon_warning(series, horizon)


def horizon_warning(series: list[Series], horizon: int) -> str | None:
    """A warning, naming the shortest series, when the horizon is over a third of it."""
    if not series:
        return None
    shortest = min(series, key=lambda s: len(s.y))
    if 3 * horizon <= len(shortest.y):
        return None
    return (
        f"series {shortest.series_id!r}: --horizon {horizon} is more than a third of its "
        f"{len(shortest.y)} values; the far end is little more than the seasonal shape"
    )
