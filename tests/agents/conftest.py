"""Shared by the agent tests: the embedded model, loaded once per test session, and the same
model served for real by ``longcat llm serve`` on a free port."""

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

from agents.llm import ChatModel, LLMConfig, make_chat_model

ROOT = Path(__file__).resolve().parents[2]
LONGCAT = Path(sys.executable).parent / "longcat"


@pytest.fixture(scope="session")
def embedded_model() -> ChatModel:
    return make_chat_model(LLMConfig(timeout_s=60))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Per module, not per session: an idle llama.cpp server still spins a share of a core,
# which the rest of the test run would pay for.
@pytest.fixture(scope="module")
def served_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``longcat llm serve`` with the embedded model; its OpenAI-compatible base URL."""
    port = free_port()
    # A file, not a pipe: llama.cpp can write more than a pipe holds, and then it blocks.
    log = (tmp_path_factory.mktemp("llm-serve") / "stderr.log").open("w+b")
    process = subprocess.Popen(
        [str(LONGCAT), "llm", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"llm serve exited: {log.read().decode()[-2000:]}")
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
        log.close()
