"""The suite's configuration: one settings class, read from ``LONGCAT_*`` variables and ``.env``.

Only entry points (the CLI, the API, the dashboard) build a ``Settings``; everything
below them receives plain values as arguments.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from db.domain.rules import CITY_TIMEZONE
from db.engine import default_database_url, normalize_url

if TYPE_CHECKING:
    from agents.llm import LLMConfig
    from agents.runtime.strategy import Strategy, ToolMode
    from routing.travel.geocode import Geocoder

UNSAFE_SECRET = "changethis"


class OperatorAccount(BaseModel):
    role: Literal["viewer", "dispatcher", "admin"]
    key: SecretStr

    @field_validator("key")
    @classmethod
    def _long_enough(cls, key: SecretStr) -> SecretStr:
        if len(key.get_secret_value()) < 12:
            raise ValueError("a sign-in key needs at least 12 characters")
        return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LONGCAT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["local", "test", "production"] = "local"
    data_dir: Path = Path("data")
    database_url: str | None = None
    secret_key: SecretStr = SecretStr(UNSAFE_SECRET)
    timezone: str = CITY_TIMEZONE  # the city's local time: days, peaks and holidays
    # The public holidays forecasts know (a holidays-package country code, or "none").
    forecast_holidays: str | None = "CN"
    # A fixed "now" for the dashboard and the API (replaying a seeded store at its moment);
    # unset: the store's own now (a live simulation's clock, else the wall clock).
    now: datetime | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_url: str | None = None  # where customers reach the API, for tracking links
    # API key -> role, as JSON: LONGCAT_API_KEYS='{"k3y": "admin"}'
    api_keys: dict[str, Literal["viewer", "dispatcher", "admin"]] = {}
    # Who may sign in to the dashboard, as JSON: LONGCAT_OPERATORS='{"wang.fang": {"role":
    # "dispatcher", "key": "…"}}'. None configured: sign-in is off (local use only).
    operators: dict[str, OperatorAccount] = {}
    cors_origins: list[str] = []
    max_body_bytes: int = 16_384
    max_message_chars: int = 1_000
    rate_limit_per_minute: int = 60
    max_turns: int = 40
    dispatch_max_seconds: float = 30.0  # the longest solve an API caller may ask for
    # A late-delivery payout up to this (fen) is granted at once; a larger one, and any for
    # wrong items, waits on the customer-service page for a person to approve.
    compensation_auto_approve_minor: int = Field(default=2_000, ge=0)
    # The model: unset means the embedded SmolLM2; a .gguf path runs that file in-process;
    # with llm_base_url, llm_model is the model name on that OpenAI-compatible server.
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 30.0
    # How agent turns are decided: "auto" is "tools" with a model server (llm_base_url)
    # and "rules" with the embedded or a local model.
    agent_strategy: Literal["auto", "rules", "tools"] = "auto"
    # How a model's tool calls are read: "auto" is the server's own tool calling, and a
    # JSON grammar for a model run in-process (it has no tool parser).
    llm_tool_calls: Literal["auto", "native", "grammar"] = "auto"
    # A Nominatim- or Pelias-style search endpoint for addresses the store does not know
    # (https://nominatim.example, or https://pelias.example/v1); unset: known places only.
    geocoder_url: str | None = None
    # A tile server for the maps when online ("https://tile.example/{z}/{x}/{y}.png"); unset:
    # the offline base layer only (zone outlines, main roads, the river).
    map_tiles_url: str | None = None
    # Shared rate limits for several API workers (redis://host:6379/0); unset: per process.
    redis_url: str | None = None

    def llm_config(
        self, model: str | None = None, base_url: str | None = None, timeout_s: float | None = None
    ) -> LLMConfig:
        """The model backend these settings choose; explicit arguments win."""
        from agents.llm import LLMConfig

        return LLMConfig(
            model=model or self.llm_model,
            base_url=base_url or self.llm_base_url,
            api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            timeout_s=timeout_s or self.llm_timeout_s,
        )

    def agent_runtime(self, config: LLMConfig | None) -> tuple[Strategy, ToolMode]:
        """The turn strategy and tool-call mode for this model (None: no model at all)."""
        from agents.runtime.strategy import resolve_strategy, resolve_tool_mode

        kind = config.kind if config is not None else None
        return (
            resolve_strategy(self.agent_strategy, kind),
            resolve_tool_mode(self.llm_tool_calls, kind),
        )

    def geocoder(self) -> Geocoder | None:
        """The search endpoint addresses are located with beside the known places, if any."""
        from routing.travel.geocode import SearchGeocoder

        return SearchGeocoder(self.geocoder_url) if self.geocoder_url else None

    @property
    def link_base(self) -> str:
        return (self.public_url or f"http://{self.api_host}:{self.api_port}").rstrip("/")

    @property
    def store_url(self) -> str:
        return self.database_url or default_database_url(self.data_dir)

    @field_validator("forecast_holidays")
    @classmethod
    def _known_country(cls, code: str | None) -> str | None:
        from forecasting.calendar import country_code

        try:
            return country_code(code)
        except ValueError as error:
            raise ValueError(f"forecast_holidays: {error}") from None

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if self.now is not None and self.now.tzinfo is None:
            # A moment without an offset is the city's local time, as on the command line.
            self.now = self.now.replace(tzinfo=ZoneInfo(self.timezone))
        if self.database_url is not None:
            normalize_url(self.database_url)
        if self.redis_url is not None and not self.redis_url.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError(f"redis_url: {self.redis_url!r} is not a redis:// URL")
        if self.geocoder_url is not None and not self.geocoder_url.startswith(
            ("http://", "https://")
        ):
            raise ValueError(f"geocoder_url: {self.geocoder_url!r} is not an http(s):// URL")
        secret = self.secret_key.get_secret_value()
        if self.environment == "production" and (secret == UNSAFE_SECRET or len(secret) < 32):
            raise ValueError(
                "secret_key: in production LONGCAT_SECRET_KEY must be set to a random value of "
                "at least 32 characters (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')"
            )
        if self.environment == "production" and not self.operators:
            raise ValueError(
                "operators: in production LONGCAT_OPERATORS must name who may sign in to the "
                "dashboard (with sign-in off anyone who reaches it could dispatch)"
            )
        return self
