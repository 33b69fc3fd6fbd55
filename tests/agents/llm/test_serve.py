"""``longcat llm serve`` starts for real on a free port, and the OpenAI-compatible backend
talks to it: a reply, a stream and a schema-constrained answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm import LLMConfig, choose, make_chat_model

ROOT = Path(__file__).resolve().parents[3]
LONGCAT = Path(sys.executable).parent / "longcat"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_url() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(LONGCAT), "llm", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"llm serve exited: {process.stderr.read().decode() if process.stderr else ''}"
                )
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("llm serve did not answer within 90 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_served_model_through_the_openai_backend(served_url: str) -> None:
    """Through the OpenAI backend the served model replies, streams and picks one given option."""
    model = make_chat_model(LLMConfig(base_url=served_url, timeout_s=60))
    answer = model.complete([HumanMessage("Say hello.")], max_tokens=16)
    assert answer.text.strip() and served_url in answer.backend
    assert "".join(model.stream([HumanMessage("Count to three.")], max_tokens=12)).strip()
    options = ["status", "cancel", "other"]
    messages = [SystemMessage("Pick the intent."), HumanMessage("cancel it")]
    assert choose(model, messages, options, field="intent") in options
