"""The one place a backend is chosen; the same settings give the same model object."""

from __future__ import annotations

from functools import lru_cache

from agents.llm.config import BackendKind, LLMConfig
from agents.llm.local import LlamaCppModel
from agents.llm.remote import OpenAICompatibleModel
from agents.llm.types import ChatModel


@lru_cache(maxsize=8)
def make_chat_model(config: LLMConfig) -> ChatModel:
    """A model for these settings; nothing is loaded or contacted until the first call."""
    if config.kind is BackendKind.openai:
        assert config.base_url is not None
        return OpenAICompatibleModel(
            config.base_url, model=config.model, api_key=config.api_key, timeout_s=config.timeout_s
        )
    return LlamaCppModel(
        config.gguf_path(),
        timeout_s=config.timeout_s,
        n_ctx=config.n_ctx,
        n_threads=config.n_threads,
    )
