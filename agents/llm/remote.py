"""OpenAI-compatible backend: SGLang, vLLM, ``longcat llm serve`` or any such server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any, cast

import openai
from langchain_core.messages import BaseMessage, convert_to_openai_messages
from openai.types.chat import ChatCompletionMessageParam

from agents.llm.errors import (
    LLMError,
    LLMOutputError,
    LLMResponseError,
    LLMTimeoutError,
    LLMUnavailableError,
)
from agents.llm.toolcalls import read_tool_calls
from agents.llm.types import Completion, ToolSpec

DEFAULT_MODEL = "default"


class OpenAICompatibleModel:
    def __init__(
        self, base_url: str, *, model: str | None, api_key: str | None, timeout_s: float
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model or DEFAULT_MODEL
        self.timeout_s = timeout_s
        # Servers on localhost usually need no key, but the client insists on one.
        self._client = openai.OpenAI(
            base_url=self.base_url, api_key=api_key or "none", timeout=timeout_s, max_retries=0
        )
        # Which response_format the server accepted last: OpenAI's json_schema (vLLM,
        # SGLang) or llama.cpp's json_object with a schema.
        self._json_format: str | None = None

    @property
    def backend(self) -> str:
        return f"OpenAI-compatible server at {self.base_url} (model {self.model!r})"

    def _error(self, exc: Exception) -> LLMError:
        if isinstance(exc, openai.APITimeoutError):
            return LLMTimeoutError(f"{self.backend}: no answer within {self.timeout_s:g} s")
        if isinstance(exc, openai.APIConnectionError):
            return LLMUnavailableError(f"{self.backend} cannot be reached: {exc}")
        if isinstance(exc, openai.APIStatusError):
            return LLMResponseError(
                f"{self.backend} answered HTTP {exc.status_code}: {exc.message}"
            )
        return LLMResponseError(f"{self.backend}: {exc}")

    def _create(self, messages: Sequence[BaseMessage], **kwargs: Any) -> Any:
        # langchain-core types its OpenAI-format messages as plain dicts.
        converted = cast(
            list[ChatCompletionMessageParam], convert_to_openai_messages(list(messages))
        )
        try:
            return self._client.chat.completions.create(
                model=self.model, messages=converted, **kwargs
            )
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc

    def complete(
        self,
        messages: Sequence[BaseMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 256,
        temperature: float = 0.0,
    ) -> Completion:
        extra: dict[str, Any] = {"tools": [t.openai() for t in tools]} if tools else {}
        start = time.monotonic()
        response = self._create(messages, max_tokens=max_tokens, temperature=temperature, **extra)
        message = response.choices[0].message
        raw_calls = [c.model_dump() for c in message.tool_calls or []]
        text, calls, invalid = read_tool_calls(message.content, raw_calls)
        usage = response.usage.model_dump() if response.usage else {}
        return Completion(
            text=text,
            tool_calls=calls,
            invalid_tool_calls=invalid,
            backend=self.backend,
            seconds=time.monotonic() - start,
            usage={k: v for k, v in usage.items() if isinstance(v, int)},
        )

    def _formats(self, schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        formats = [
            (
                "json_schema",
                {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}},
            ),
            ("json_object", {"type": "json_object", "schema": schema}),
        ]
        formats.sort(key=lambda f: f[0] != self._json_format)
        return formats

    def complete_json(
        self, messages: Sequence[BaseMessage], schema: dict[str, Any], *, max_tokens: int = 128
    ) -> dict[str, Any]:
        last: LLMResponseError | None = None
        for name, response_format in self._formats(schema):
            try:
                response = self._create(
                    messages,
                    max_tokens=max_tokens,
                    temperature=0.0,
                    response_format=response_format,
                )
            except LLMResponseError as exc:
                # A 4xx here means this server speaks the other dialect; try it.
                last = exc
                continue
            self._json_format = name
            text = response.choices[0].message.content or ""
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise LLMOutputError(f"{self.backend}: answer is not JSON: {text!r}") from exc
            if not isinstance(value, dict):
                raise LLMOutputError(f"{self.backend}: expected a JSON object, got {text!r}")
            return value
        assert last is not None
        raise last

    def stream(
        self, messages: Sequence[BaseMessage], *, max_tokens: int = 256, temperature: float = 0.0
    ) -> Iterator[str]:
        chunks = self._create(messages, max_tokens=max_tokens, temperature=temperature, stream=True)
        try:
            for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
