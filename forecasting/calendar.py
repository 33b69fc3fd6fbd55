"""Public holidays and the operator's own days (promotions, closures), and a guard that lets
models which only know a daily and weekly shape cope with them.

A holiday breaks the weekly shape: demand may collapse for a week (Spring Festival, Golden
Week) or jump for a day (a promotion). Seasonal naive, ETS and MSTL repeat or smooth the
last weeks, so they carry a past holiday into ordinary weeks and miss the next one. The
guard does two things: ``clean_history`` replaces the special days of the history with what
a normal week showed, so the model learns the normal shape; ``apply_effects`` then scales
the forecast on the special days ahead by the ratio seen on past days of the same name
(``holiday_effects``). ``guard`` does the second step in one call.

Days are local calendar days: a series must be laid out in the calendar's local time (as
``demand_store`` does), or an hourly step lands on the wrong day.

``holidays`` is imported inside the functions that need it: it is slow to import and the
CLI must start fast.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.errors import InputFormatError
from forecasting.series import SEASON_LENGTH, Forecast, Series

# The key of ``holiday_effects`` that holds the median over every special day seen.
ALL_DAYS = "*"
# Steps from one hour (or day) to the same hour (or day) a week later.
WEEK_STEPS: dict[str, int] = {"h": 7 * 24, "d": 7}
# A ratio outside these comes from a near-empty normal week, not from the holiday.
MIN_EFFECT = 0.05
MAX_EFFECT = 5.0
NO_COUNTRY = ("", "NONE")
DATE_COLUMNS = ("date", "ds")
# What ``holiday_name`` makes of a working day a government moved to join a holiday.
DAY_OFF = "Day off"
MOVED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True)
class Event:
    """A day of the operator's own: a promotion, a closure, a local festival."""

    day: date
    name: str


@dataclass(frozen=True)
class Calendar:
    """The special days a forecast should know: the public holidays of ``country`` (a
    ``holidays``-package code, None for none) and the operator's ``events``.

    The code is checked and upper-cased on construction, so every calendar is usable.
    """

    country: str | None = None
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", country_code(self.country))
        object.__setattr__(self, "events", tuple(self.events))

    @classmethod
    def parse(cls, code: str | None, events: Iterable[Event] = ()) -> Calendar:
        """A calendar from user input: the code in any case; None, "" or "none" mean none."""
        return cls(code, tuple(events))


def country_code(code: str | None) -> str | None:
    """The upper-cased code, None for no country; an unknown code is refused."""
    if code is None or code.strip().upper() in NO_COUNTRY:
        return None
    import holidays

    normal = code.strip().upper()
    try:
        holidays.country_holidays(normal)
    except NotImplementedError:
        raise InputFormatError(
            f"holidays: unknown country code {code.strip()!r} (use a holidays-package code "
            "such as CN, US, GB, DE, or none)"
        ) from None
    return normal


def as_day(value: date) -> date:
    """A date from a date, datetime or pandas Timestamp (a datetime does not compare with
    a date)."""
    return value.date() if isinstance(value, datetime) else value


def holiday_name(name: str) -> str:
    """A holiday's name as the same every year, so its effect can be learnt from past years:
    the first of several names on one day, without a note in brackets ("Dragon Boat
    Festival (observed)", "Day off (substituted from 09/28/2025)" become "Dragon Boat
    Festival" and "Day off")."""
    first = name.split(";")[0]
    return re.sub(r"\s*\([^)]*\)", "", first).strip() or name


def joined_breaks(listed: Mapping[date, str], working: Collection[date]) -> dict[date, str]:
    """Holidays with each break a government made whole named as its holiday.

    China moves working days to join a holiday to the weekend: the 2026 Spring Festival
    break runs from Sunday 15 to Monday 23 February, with Saturdays 14 and 28 February
    worked instead (``working``), but the ``holidays`` package lists the moved days off as
    "Day off" and the weekends of the break not at all. In a run of listed days that holds
    a moved day off, each "Day off" is named as the holiday it extends (the most common
    other name in the run), and the Saturdays and Sundays inside the run, and those next to
    it that are not worked, join it: the guard then learns and applies one break's effect
    on each of its days, where "Day off" pooled every break's moved days and the weekends of
    a break were taken for ordinary ones. Of two names as common in a run (2012 lists the
    Eve twice, once observed), the one more common over all ``listed`` names it, so a break
    keeps one name from year to year. Runs without a moved day off (a Good Friday and an
    Easter Monday) are left as listed. Russia, Belarus, Ukraine, Kazakhstan, Uzbekistan and
    Vietnam move days the same way.
    """
    days = dict(listed)
    overall = Counter(listed.values())
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and all(
            weekend(runs[-1][-1] + timedelta(days=k)) for k in range(1, (day - runs[-1][-1]).days)
        ):
            runs[-1].append(day)
        else:
            runs.append([day])
    one = timedelta(days=1)
    for run in runs:
        names = [days[d] for d in run if days[d] != DAY_OFF]
        if len(names) == len(run) or not names:
            continue
        name = max(dict.fromkeys(names), key=lambda n: (names.count(n), overall[n]))
        first, last = run[0], run[-1]
        while weekend(first - one) and first - one not in working and first - one not in days:
            first -= one
        while weekend(last + one) and last + one not in working and last + one not in days:
            last += one
        for k in range((last - first).days + 1):
            day = first + timedelta(days=k)
            if days.get(day, DAY_OFF) == DAY_OFF:
                days[day] = name
    return dict(sorted(days.items()))


def weekend(day: date) -> bool:
    return day.weekday() >= 5


def moved_working_days(names: Iterable[str]) -> set[date]:
    """The weekend days worked in exchange for days off, as the ``holidays`` package notes
    them ("Day off (substituted from 02/14/2026)")."""
    found = set()
    for name in names:
        for month, day, year in MOVED_FROM.findall(name):
            found.add(date(int(year), int(month), int(day)))
    return found


def special_days(calendar: Calendar, start: date, end: date) -> dict[date, str]:
    """Every public holiday and event from ``start`` to ``end`` inclusive, name by day, in
    date order.

    An event overrides a holiday on the same day (the operator knows what the day means for
    them); of two events on one day, the later one in ``calendar.events`` wins.
    """
    start, end = as_day(start), as_day(end)
    days: dict[date, str] = {}
    if calendar.country is not None and start <= end:
        import holidays

        # A year either side: a break may cross New Year, and a day is named alike whatever
        # range asks for it.
        years = list(range(start.year - 1, end.year + 2))
        # Named in English whatever the process's locale: without LANG (a container, a
        # service) the holidays package names China's days in Chinese, and the names are
        # what the notes show and what the holiday guard groups effects by.
        found = holidays.country_holidays(calendar.country, years=years, language="en_US")
        listed = joined_breaks(
            {day: holiday_name(str(name)) for day, name in found.items()},
            moved_working_days(str(name) for name in found.values()),
        )
        days.update((day, name) for day, name in listed.items() if start <= day <= end)
    for event in calendar.events:
        if start <= event.day <= end:
            days[event.day] = event.name
    return dict(sorted(days.items()))


def days_for(calendar: Calendar, series: Series, horizon: int) -> dict[date, str]:
    """The special days over a series' history and the ``horizon`` steps after it (a weekly
    step covers seven days from its date)."""
    steps = series.ds.append(series.future_ds(max(horizon, 0)))
    end = as_day(steps[-1]) if len(steps) else as_day(series.start)
    if series.freq == "w":
        end += timedelta(days=6)
    return special_days(calendar, as_day(series.start), end)


def bad_line(path: Path, line: int, field: str, reason: str) -> InputFormatError:
    return InputFormatError(f"events file {path}: line {line}, {field}: {reason}")


def parse_day(text: str) -> date | None:
    """An ISO date (2025-10-01); a timestamp gives its day, as a table exported from pandas
    writes dates as ``2025-10-01 00:00:00``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def read_events(path: Path) -> tuple[Event, ...]:
    """Events from a CSV with a ``date,name`` header (``ds`` is accepted for the date; other
    columns and blank lines are ignored).

    Every problem is an ``InputFormatError`` of one line naming the file, the line, the
    field and the reason, so a person can fix the file without reading code.
    """
    try:
        # utf-8-sig: spreadsheet programs start their CSV exports with a byte-order mark.
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputFormatError(f"events file {path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputFormatError(f"events file {path}: not UTF-8 text") from None
    rows = csv.reader(text.splitlines())
    header = next((row for row in rows if any(cell.strip() for cell in row)), None)
    if header is None:
        raise bad_line(path, 1, "header", "empty file, expected a header date,name")
    columns = [cell.strip().lower() for cell in header]
    date_column = next((name for name in DATE_COLUMNS if name in columns), None)
    if date_column is None or "name" not in columns:
        field = "date" if date_column is None else "name"
        reason = f"missing column (the header is {','.join(columns)}; expected date,name)"
        raise bad_line(path, rows.line_num, f"field {field!r}", reason)
    day_at, name_at = columns.index(date_column), columns.index("name")
    events = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        raw_day = row[day_at].strip() if day_at < len(row) else ""
        name = row[name_at].strip() if name_at < len(row) else ""
        day = parse_day(raw_day)
        if day is None:
            reason = f"unparsable date {raw_day!r} (use YYYY-MM-DD)" if raw_day else "empty date"
            raise bad_line(path, rows.line_num, f"field {date_column!r}", reason)
        if not name:
            raise bad_line(path, rows.line_num, "field 'name'", "empty name")
        events.append(Event(day, name))
    return tuple(events)


def prophet_holidays(days: Mapping[date, str]) -> pd.DataFrame:
    """The days as Prophet's ``holidays`` frame: one row per day, in date order, with windows
    of 0 (each day is its own effect; Prophet fits one effect per name).

    Names are prefixed, so a user's event called ``trend`` or ``weekly`` cannot collide with
    a name Prophet reserves, and Prophet's column separator is taken out of them.
    """
    ordered = sorted(days.items())
    names = [f"day: {name}".replace("_delim_", "_") for _, name in ordered]
    return pd.DataFrame(
        {
            "ds": pd.to_datetime([day for day, _ in ordered]),
            "holiday": pd.Series(names, dtype=object),
            "lower_window": np.zeros(len(ordered), dtype=int),
            "upper_window": np.zeros(len(ordered), dtype=int),
        }
    )


def special_steps(
    series_ds: pd.DatetimeIndex, freq: str, days: Mapping[date, str]
) -> dict[int, str]:
    """Positions of ``series_ds`` that fall on a special day, with the day's name.

    Hourly: the hour's date; daily: the date; weekly: the week [ds, ds + 7 days) holding any
    special day, named by the first one.
    """
    if freq not in SEASON_LENGTH:
        raise ValueError(f"unknown frequency {freq!r}, use 'h', 'd' or 'w'")
    width = 7 if freq == "w" else 1
    if not days or len(series_ds) == 0:
        return {}
    special = sorted(days)
    # Whole days since the epoch: the first special day at or after each step's date is the
    # one its step (or its week) holds, if it falls inside the step's ``width`` days.
    keys = np.array(special, dtype="datetime64[D]").astype(np.int64)
    local = series_ds.tz_localize(None) if series_ds.tz is not None else series_ds
    first = local.to_numpy().astype("datetime64[D]").astype(np.int64)
    found = np.searchsorted(keys, first)
    inside = found < len(keys)
    inside[inside] = keys[found[inside]] < first[inside] + width
    return {int(p): days[special[found[p]]] for p in np.flatnonzero(inside)}


def normal_values(series: Series, steps: Mapping[int, str]) -> np.ndarray:
    """What each special step would have been in a normal week, NaN elsewhere and where
    nothing tells.

    Hourly and daily: the mean of the same step a week before and a week after. Weekly: the
    mean of the nearest normal weeks before and after. A neighbour that is special itself
    does not count: a holiday cannot vouch for another.
    """
    y, size = series.y, len(series.y)
    normal = np.full(size, np.nan)
    if not steps:
        return normal
    positions = np.fromiter(steps, dtype=np.int64, count=len(steps))
    special = np.zeros(size, dtype=bool)
    special[positions] = True
    if series.freq == "w":
        index = np.arange(size)
        before = np.maximum.accumulate(np.where(special, -1, index))[positions]
        after = np.minimum.accumulate(np.where(special, size, index)[::-1])[::-1][positions]
    else:
        before = positions - WEEK_STEPS[series.freq]
        after = positions + WEEK_STEPS[series.freq]
    total, count = np.zeros(len(positions)), np.zeros(len(positions))
    for neighbour in (before, after):
        usable = (neighbour >= 0) & (neighbour < size)
        usable[usable] = ~special[neighbour[usable]]
        total[usable] += y[neighbour[usable]]
        count[usable] += 1
    found = count > 0
    normal[positions[found]] = total[found] / count[found]
    return normal


def clean_history(series: Series, days: Mapping[date, str]) -> Series:
    """The series with its special days replaced by their normal values (see
    ``normal_values``), so a model with only a weekly shape learns the ordinary weeks.

    A special step with no normal neighbour keeps its value.
    """
    steps = special_steps(series.ds, series.freq, days)
    normal = normal_values(series, steps)
    y = np.where(np.isnan(normal), series.y, normal)
    return Series(series.series_id, series.start, y, series.freq, dict(series.regressors))


def holiday_effects(series: Series, days: Mapping[date, str]) -> dict[str, float]:
    """For each special-day name seen in the history, the median over its occurrences of
    actual over normal demand; under ``ALL_DAYS`` ("*") the median over every occurrence.

    An occurrence is one day (hourly and daily) or one week (weekly). Hourly, the ratio is
    the day's total over its normal total, so hour-to-hour noise averages out; only steps
    with a normal value count. Occurrences whose normal total is not positive say nothing
    and are skipped; ratios are clipped to [MIN_EFFECT, MAX_EFFECT].
    """
    steps = special_steps(series.ds, series.freq, days)
    normal = normal_values(series, steps)
    occurrences: dict[date, list[int]] = {}
    day_of_step = series.ds.date
    for position in steps:
        if not np.isnan(normal[position]):
            occurrences.setdefault(day_of_step[position], []).append(position)
    ratios: dict[str, list[float]] = {}
    for positions in occurrences.values():
        expected = float(normal[positions].sum())
        if expected <= 0:
            continue
        ratio = float(np.clip(series.y[positions].sum() / expected, MIN_EFFECT, MAX_EFFECT))
        ratios.setdefault(steps[positions[0]], []).append(ratio)
    effects = {name: float(np.median(values)) for name, values in sorted(ratios.items())}
    if ratios:
        effects[ALL_DAYS] = float(np.median([r for values in ratios.values() for r in values]))
    return effects


def apply_effects(
    forecast: Forecast, freq: str, days: Mapping[date, str], effects: Mapping[str, float]
) -> Forecast:
    """The forecast with yhat, lower and upper on its special steps multiplied by the effect
    of the day's name (hourly, every hour of the day by the same factor).

    A name the history never showed is left unchanged: how an unseen holiday moves demand
    is unknown, and guessing (say, with the ``"*"`` median) could halve a day that turns
    out normal. A caller who wants that guess can pass it under the name.
    """
    factor = np.ones(len(forecast.ds))
    for position, name in special_steps(forecast.ds, freq, days).items():
        factor[position] = effects.get(name, 1.0)
    return Forecast(
        forecast.series_id,
        forecast.model,
        forecast.ds,
        forecast.yhat * factor,
        forecast.lower * factor,
        forecast.upper * factor,
        forecast.level,
    )


def guard(series: Series, forecast: Forecast, days: Mapping[date, str]) -> Forecast:
    """The forecast scaled on its special days by the effects the history shows.

    Meant for a model that only knows a weekly and daily shape, fit on
    ``clean_history(series, days)``; not for Prophet given ``prophet_holidays``, which
    already models the days (the effect would count twice).
    """
    return apply_effects(forecast, series.freq, days, holiday_effects(series, days))
