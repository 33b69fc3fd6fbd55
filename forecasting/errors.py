"""Errors the forecasting core raises, each naming the series and the reason."""

from __future__ import annotations


class ForecastingError(Exception):
    """Base class for every error raised by the forecasting package."""


class SeriesError(ForecastingError, ValueError):
    """A series that cannot be forecast as given (bad values, too short, constant...)."""

    def __init__(self, series_id: str, reason: str) -> None:
        super().__init__(f"series {series_id!r}: {reason}")
        self.series_id = series_id
        self.reason = reason


class InputFormatError(ForecastingError, ValueError):
    """A table of series that is malformed as a whole (for example a missing column)."""


class ModelError(ForecastingError, RuntimeError):
    """A model that failed on a series it accepted, with the model and series named."""

    def __init__(self, model: str, series_id: str, reason: str) -> None:
        super().__init__(f"model {model!r} on series {series_id!r}: {reason}")
        self.model = model
        self.series_id = series_id
        self.reason = reason
