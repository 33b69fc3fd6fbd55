"""The three backends behind one interface: the embedded model answers, streams and keeps
to a JSON schema; a missing model file or an unreachable server fails with an error that
names the backend and where it looked, and so does a call past its time limit; an OpenAI-compatible server's tool calls come back
whether it sends them in ``tool_calls`` or as ``<longcat_tool_call>`` text."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm import (
    BackendKind,
    ChatModel,
    LLMConfig,
    LLMConfigError,
    LLMTimeoutError,
    LLMUnavailableError,
    ToolCall,
    ToolSpec,
    choose,
    embedded_model_path,
    make_chat_model,
)
from agents.llm.structured import constrained_tool_call

STATUS_TOOL = ToolSpec(
    "order_status",
    "Status of an order.",
    {"type": "object", "properties": {"order_id": {"type": "integer"}}, "required": ["order_id"]},
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_backend_is_chosen_by_settings(tmp_path: Path) -> None:
    """No settings choose the embedded model, a model file gguf, a base URL the OpenAI backend."""
    assert LLMConfig().kind is BackendKind.embedded
    assert embedded_model_path().name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert LLMConfig(model="x.gguf").kind is BackendKind.gguf
    assert LLMConfig(base_url="http://h/v1", model="LongCat-Flash-Chat").kind is BackendKind.openai


def test_missing_gguf_file_names_the_setting(tmp_path: Path) -> None:
    """A missing .gguf file fails with an error naming llm_model and the path."""
    with pytest.raises(LLMConfigError, match=r"llm_model: .*missing\.gguf"):
        make_chat_model(LLMConfig(model=str(tmp_path / "missing.gguf")))


def test_bad_settings_are_refused() -> None:
    """A base URL without a scheme and a zero timeout are refused, naming their settings."""
    with pytest.raises(LLMConfigError, match="llm_base_url"):
        LLMConfig(base_url="localhost:8000")
    with pytest.raises(LLMConfigError, match="llm_timeout_s"):
        LLMConfig(timeout_s=0)


def test_unreachable_server_names_backend_and_url() -> None:
    """An unreachable server fails with an error naming the OpenAI-compatible backend and URL."""
    url = f"http://127.0.0.1:{free_port()}/v1"
    model = make_chat_model(LLMConfig(base_url=url, model="longcat", timeout_s=5))
    with pytest.raises(
        LLMUnavailableError, match=f"OpenAI-compatible server at {url}.*cannot be reached"
    ):
        model.complete([HumanMessage("hello")])


def test_embedded_model_replies_and_streams(embedded_model: ChatModel) -> None:
    """The embedded model replies through llama.cpp and streams its answer in several pieces."""
    answer = embedded_model.complete([HumanMessage("Say hello.")], max_tokens=16)
    assert answer.text.strip() and "llama.cpp" in answer.backend
    pieces = list(embedded_model.stream([HumanMessage("Count to three.")], max_tokens=12))
    assert len(pieces) > 1 and "".join(pieces).strip()


def test_embedded_model_keeps_to_the_schema(embedded_model: ChatModel) -> None:
    """The embedded model's schema-constrained answer is always one of the given options."""
    options = ["status", "cancel", "other"]
    picked = choose(
        embedded_model,
        [SystemMessage("Pick the customer's intent."), HumanMessage("cancel my order please")],
        options,
        field="intent",
    )
    assert picked in options


class _Canned(BaseHTTPRequestHandler):
    """A real HTTP server that answers every chat completion with one canned message."""

    message: ClassVar[dict[str, Any]] = {}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "longcat",
                "choices": [{"index": 0, "message": self.message, "finish_reason": "stop"}],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canned_server() -> Iterator[tuple[str, type[_Canned]]]:
    handler = type("Handler", (_Canned,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    server.shutdown()
    server.server_close()


def test_tool_calls_from_text_and_from_the_standard_field(
    canned_server: tuple[str, type[_Canned]],
) -> None:
    """Tool calls come back whether sent as tagged text or in tool_calls; tags leave the text."""
    url, handler = canned_server
    model = make_chat_model(LLMConfig(base_url=url, model="longcat", timeout_s=5))
    handler.message = {
        "role": "assistant",
        "content": 'Checking.<longcat_tool_call>{"name": "order_status", "arguments": '
        '{"order_id": 8542}}</longcat_tool_call>',
    }
    tagged = model.complete([HumanMessage("where is 8542")], tools=[STATUS_TOOL])
    assert tagged.tool_calls == (ToolCall("order_status", {"order_id": 8542}),)
    assert tagged.text == "Checking."
    handler.message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "order_status", "arguments": '{"order_id": 7}'},
            }
        ],
    }
    standard = model.complete([HumanMessage("where is 7")], tools=[STATUS_TOOL])
    assert standard.tool_calls == (ToolCall("order_status", {"order_id": 7}),)


def test_a_call_past_its_time_limit_fails_naming_the_backend(embedded_model: ChatModel) -> None:
    """A call past its time limit raises LLMTimeoutError naming the llama.cpp backend and limit."""
    hurried = make_chat_model(LLMConfig(timeout_s=0.001))
    with pytest.raises(
        LLMTimeoutError, match=r"llama\.cpp in-process .* no answer within 0\.001 s"
    ):
        hurried.complete([HumanMessage("Tell me a long story.")], max_tokens=64)


def test_tool_arguments_decoded_under_the_tools_schema(embedded_model: ChatModel) -> None:
    """A constrained tool call names the tool and decodes order_id as an integer, per its schema."""
    call = constrained_tool_call(
        embedded_model, [HumanMessage("Where is order 8542?")], [STATUS_TOOL]
    )
    assert call.name == "order_status" and isinstance(call.arguments["order_id"], int)
