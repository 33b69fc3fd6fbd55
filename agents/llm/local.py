"""In-process backend: a GGUF file run by llama-cpp-python, loaded once per process."""

from __future__ import annotations

import atexit
import json
import threading
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage, convert_to_openai_messages

from agents.llm.errors import LLMOutputError, LLMTimeoutError, LLMUnavailableError
from agents.llm.toolcalls import TAG_CLOSE, TAG_OPEN, read_tool_calls
from agents.llm.types import Completion, ToolSpec


@lru_cache(maxsize=4)
def load_llama(path: str, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    """The loaded model and the lock that guards it (llama.cpp contexts are not safe to
    share between threads); cached so a process holds each file once."""
    from llama_cpp import Llama

    try:
        llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, verbose=False)
    except (ValueError, RuntimeError, OSError) as exc:
        raise LLMUnavailableError(f"llama.cpp backend: cannot load {path}: {exc}") from exc
    # Closed while the interpreter is still whole; llama.cpp's own finaliser fails at exit.
    atexit.register(llama.close)
    return llama, threading.Lock()


@lru_cache(maxsize=64)
def _grammar(schema_json: str) -> Any:
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_json_schema(schema_json, verbose=False)


def _tool_prompt(tools: Sequence[ToolSpec]) -> str:
    # Small local models have no tool parser in their template, so the tools are
    # described in text and calls come back in the same tagged form servers use.
    listing = "\n".join(
        json.dumps({"name": t.name, "description": t.description, "parameters": t.parameters})
        for t in tools
    )
    return (
        f"You can call these tools:\n{listing}\nTo call one, answer only with "
        f'{TAG_OPEN}{{"name": ..., "arguments": {{...}}}}{TAG_CLOSE}'
    )


class LlamaCppModel:
    """The embedded SmolLM2 or any local GGUF file; chat template taken from the file."""

    def __init__(self, path: Path, *, timeout_s: float, n_ctx: int, n_threads: int) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.n_ctx = n_ctx
        self.n_threads = n_threads

    @property
    def backend(self) -> str:
        return f"llama.cpp in-process ({self.path})"

    def _llama(self) -> tuple[Any, threading.Lock]:
        return load_llama(str(self.path), self.n_ctx, self.n_threads)

    def _messages(
        self, messages: Sequence[BaseMessage], tools: Sequence[ToolSpec] = ()
    ) -> list[dict[str, Any]]:
        converted = convert_to_openai_messages(list(messages))
        if tools:
            converted.insert(0, {"role": "system", "content": _tool_prompt(tools)})
        return converted

    def _pieces(self, messages: list[dict[str, Any]], **kwargs: Any) -> Iterator[str]:
        # Always streamed inside: stopping between tokens is how a call keeps its time limit.
        llama, lock = self._llama()
        deadline = time.monotonic() + self.timeout_s
        with lock:
            for chunk in llama.create_chat_completion(messages, stream=True, **kwargs):
                if time.monotonic() > deadline:
                    raise LLMTimeoutError(f"{self.backend}: no answer within {self.timeout_s:g} s")
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece

    def complete(
        self,
        messages: Sequence[BaseMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        max_tokens: int = 256,
        temperature: float = 0.0,
    ) -> Completion:
        start = time.monotonic()
        raw = "".join(
            self._pieces(
                self._messages(messages, tools), max_tokens=max_tokens, temperature=temperature
            )
        )
        text, calls, invalid = read_tool_calls(raw, None)
        return Completion(
            text=text,
            tool_calls=calls,
            invalid_tool_calls=invalid,
            backend=self.backend,
            seconds=time.monotonic() - start,
        )

    def complete_json(
        self, messages: Sequence[BaseMessage], schema: dict[str, Any], *, max_tokens: int = 128
    ) -> dict[str, Any]:
        text = "".join(
            self._pieces(
                self._messages(messages),
                max_tokens=max_tokens,
                temperature=0.0,
                grammar=_grammar(json.dumps(schema, sort_keys=True)),
            )
        )
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            # Only a cut-off answer (max_tokens reached) escapes the grammar.
            raise LLMOutputError(
                f"{self.backend}: constrained answer is not JSON: {text!r}"
            ) from exc
        if not isinstance(value, dict):
            raise LLMOutputError(f"{self.backend}: expected a JSON object, got {text!r}")
        return value

    def stream(
        self, messages: Sequence[BaseMessage], *, max_tokens: int = 256, temperature: float = 0.0
    ) -> Iterator[str]:
        return self._pieces(
            self._messages(messages), max_tokens=max_tokens, temperature=temperature
        )
