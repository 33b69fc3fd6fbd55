"""Shared by the agent tests: the embedded model, loaded once per test session."""

from __future__ import annotations

import pytest

from agents.llm import ChatModel, LLMConfig, make_chat_model


@pytest.fixture(scope="session")
def embedded_model() -> ChatModel:
    return make_chat_model(LLMConfig(timeout_s=60))
