"""The FastAPI application: built from settings, migrations applied at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from agents.llm import ChatModel
from apps.api import errors
from apps.api.chat import ChatSessions, ChatSettings
from apps.api.limits import BodyLimit, RateLimiter
from apps.api.routes import chat, dispatch, docs, operator, pages, track
from apps.settings import Settings
from db.clock import store_clock
from db.engine import make_engine, make_sessionmaker
from db.migrate import upgrade


def create_app(
    settings: Settings, model_factory: Callable[[], ChatModel | None] | None = None
) -> FastAPI:
    """The app over the configured store; the chat model is made on the first chat message."""
    model_factory = model_factory or (lambda: chat_model(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.store_url)
        upgrade(engine)
        app.state.engine = engine
        app.state.sessions = make_sessionmaker(engine)
        strategy, tool_mode = settings.agent_runtime(settings.llm_config())
        chat = ChatSettings(
            settings.max_turns,
            strategy,
            tool_mode,
            settings.geocoder(),
            settings.compensation_auto_approve_minor,
            settings.timezone,
        )
        from agents.customer.classifier import warm_up

        warm_up()  # the intent model trains before the first customer waits for it
        app.state.clock = store_clock(engine, settings.now)
        app.state.chats = ChatSessions(engine, model_factory, chat, app.state.clock)
        yield
        engine.dispose()

    app = FastAPI(
        title="LongCat Logistics API",
        version="0.1.0",
        description="Order tracking and chat for customers; orders, couriers, dispatch, "
        "forecasts and customer service for operators (X-API-Key with a role).",
        lifespan=lifespan,
        # Served from installed files by routes.docs, not from a CDN: offline they still work.
        docs_url=None,
        redoc_url=None,
        # Every refusal, the framework's own included, has the one documented shape.
        responses={
            "4XX": {"model": errors.ErrorOut, "description": "Refused; the error names why."},
            "5XX": {"model": errors.ErrorOut, "description": "Server fault; it is logged."},
        },
    )
    _install(app, settings)
    return app


def _install(app: FastAPI, settings: Settings) -> None:
    """The limits, error shapes, routes, static files and docs, on the new app."""
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute, settings.redis_url)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "X-API-Key"],
    )
    app.include_router(track.router)
    app.include_router(operator.router)
    app.include_router(dispatch.build_router(settings.dispatch_max_seconds))
    app.include_router(chat.build_router(settings.max_message_chars))
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    docs.install(app)


def chat_model(settings: Settings) -> ChatModel:
    from agents.llm import make_chat_model

    return make_chat_model(settings.llm_config())


def app_from_env() -> FastAPI:
    """The app over the settings in the environment: what each of several workers runs."""
    return create_app(Settings())
