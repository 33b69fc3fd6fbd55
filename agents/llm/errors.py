"""Errors of the model layer; each message names the backend and what went wrong."""

from __future__ import annotations


class LLMError(RuntimeError):
    """A model call failed."""


class LLMConfigError(LLMError, ValueError):
    """The model settings cannot be used (a missing file, a bad URL)."""


class LLMUnavailableError(LLMError):
    """The configured backend cannot be reached or loaded."""


class LLMTimeoutError(LLMError):
    """A call ran past its time limit."""


class LLMResponseError(LLMError):
    """The backend answered, but not with what was asked for (bad JSON, an HTTP error)."""


class LLMOutputError(LLMResponseError):
    """The model answered, but not in the form asked for (cut-off JSON, an unknown option):
    the model's mistake, not the backend's, so an agent can tell the model and go on."""
