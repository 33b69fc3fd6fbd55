"""The local model instance: one interface over llama.cpp in-process or an OpenAI server."""

from agents.llm.config import BackendKind, LLMConfig, embedded_model_path
from agents.llm.errors import (
    LLMConfigError,
    LLMError,
    LLMResponseError,
    LLMTimeoutError,
    LLMUnavailableError,
)
from agents.llm.factory import make_chat_model
from agents.llm.structured import choose
from agents.llm.types import ChatModel, Completion, ToolCall, ToolSpec

__all__ = [
    "BackendKind",
    "ChatModel",
    "Completion",
    "LLMConfig",
    "LLMConfigError",
    "LLMError",
    "LLMResponseError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "ToolCall",
    "ToolSpec",
    "choose",
    "embedded_model_path",
    "make_chat_model",
]
