"""Model commands: serve the embedded model to other processes, or ask it one question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from agents.llm import LLMConfig

from apps.cli.common import fail, load_settings

LlmModel = Annotated[
    str | None,
    typer.Option(
        "--llm-model",
        help="A .gguf file to run in-process, or the model name on --llm-base-url "
        "(default: LONGCAT_LLM_MODEL, else the embedded SmolLM2).",
        show_default=False,
    ),
]
LlmBaseUrl = Annotated[
    str | None,
    typer.Option(
        "--llm-base-url",
        help="An OpenAI-compatible server, e.g. http://127.0.0.1:8600/v1 "
        "(default: LONGCAT_LLM_BASE_URL).",
        show_default=False,
    ),
]
LlmTimeout = Annotated[
    float | None,
    typer.Option(
        "--llm-timeout",
        help="Seconds per model call (default: LONGCAT_LLM_TIMEOUT_S).",
        show_default=False,
    ),
]


def llm_config(model: str | None, base_url: str | None, timeout_s: float | None) -> LLMConfig:
    """The model settings: command-line options win over the environment."""
    from agents.llm import LLMConfigError

    try:
        return load_settings().llm_config(model, base_url, timeout_s)
    except LLMConfigError as exc:
        raise fail(str(exc)) from exc


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8600,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    model: LlmModel = None,
) -> None:
    """Serve the embedded model (or --llm-model FILE.gguf) as an OpenAI-compatible API."""
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    from agents.llm import LLMConfigError

    config = llm_config(model, None, None)
    try:
        path = config.gguf_path()
    except LLMConfigError as exc:
        raise fail(str(exc)) from exc
    app = create_app(
        server_settings=ServerSettings(host=host, port=port),
        model_settings=[
            ModelSettings(
                model=str(path),
                model_alias=path.stem,
                n_threads=config.n_threads,
                n_ctx=config.n_ctx,
                verbose=False,
            )
        ],
    )
    typer.echo(f"serving {path.name} at http://{host}:{port}/v1 (model {path.stem!r})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def ask(
    prompt: Annotated[str, typer.Argument(help="What to ask the model.")],
    model: LlmModel = None,
    base_url: LlmBaseUrl = None,
    timeout: LlmTimeout = None,
    max_tokens: Annotated[int, typer.Option(help="Longest answer, in tokens.")] = 128,
) -> None:
    """Ask the configured model one question and stream its answer."""
    from langchain_core.messages import HumanMessage

    from agents.llm import LLMError, make_chat_model

    chat = make_chat_model(llm_config(model, base_url, timeout))
    try:
        for piece in chat.stream([HumanMessage(prompt)], max_tokens=max_tokens):
            typer.echo(piece, nl=False)
    except LLMError as exc:
        raise fail(str(exc)) from exc
    typer.echo()


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The local model instance.", no_args_is_help=True)
    group.command("serve")(serve)
    group.command("ask")(ask)
    app.add_typer(group, name="llm")
