"""``longcat llm serve`` starts for real on a free port, and the OpenAI-compatible backend
talks to it: a reply, a stream and a schema-constrained answer."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm import LLMConfig, choose, make_chat_model


def test_served_model_through_the_openai_backend(served_url: str) -> None:
    """Through the OpenAI backend the served model replies, streams and picks one given option."""
    model = make_chat_model(LLMConfig(base_url=served_url, timeout_s=60))
    answer = model.complete([HumanMessage("Say hello.")], max_tokens=16)
    assert answer.text.strip() and served_url in answer.backend
    assert "".join(model.stream([HumanMessage("Count to three.")], max_tokens=12)).strip()
    options = ["status", "cancel", "other"]
    messages = [SystemMessage("Pick the intent."), HumanMessage("cancel it")]
    assert choose(model, messages, options, field="intent") in options
