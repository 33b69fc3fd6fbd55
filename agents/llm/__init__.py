"""The local model instance: one interface over llama.cpp in-process or an OpenAI server."""

from agents.llm.config import BackendKind, LLMConfig, embedded_model_path
from agents.llm.errors import (
    LLMConfigError,
    LLMError,
    LLMOutputError,
    LLMResponseError,
    LLMTimeoutError,
    LLMUnavailableError,
)
from agents.llm.factory import make_chat_model
from agents.llm.structured import choose, constrained_step
from agents.llm.types import ChatModel, Completion, InvalidToolCall, ToolCall, ToolSpec

__all__ = [
    "BackendKind",
    "ChatModel",
    "Completion",
    "InvalidToolCall",
    "LLMConfig",
    "LLMConfigError",
    "LLMError",
    "LLMOutputError",
    "LLMResponseError",
    "LLMTimeoutError",
    "LLMUnavailableError",
    "ToolCall",
    "ToolSpec",
    "choose",
    "constrained_step",
    "embedded_model_path",
    "make_chat_model",
]
