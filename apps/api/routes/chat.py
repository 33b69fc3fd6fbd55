"""Customer side: chat about the order of a signed link, the reply streamed as Server-Sent Events.

No ``from __future__ import annotations``: the request body model is built per server.
"""

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from agents.runtime import Turn
from apps.api.chat import ChatSessions
from apps.api.deps import JsonRoute, TrackedOrder
from apps.api.errors import ErrorOut
from apps.api.schemas import ChatIn, chat_in


def sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def reply_events(turn: Turn) -> Iterator[str]:
    """The reply word by word as `token` events, then `done` with the tool calls."""
    words = turn.reply.split(" ")
    for i, word in enumerate(words):
        yield sse("token", {"text": word if i == len(words) - 1 else word + " "})
    yield sse("done", turn.as_json())


def build_router(max_chars: int) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["customer"], route_class=JsonRoute)
    # FastAPI reads the body's model from the annotation: this server's, with its length
    # limit; the type checker sees the class it is made from.
    if TYPE_CHECKING:
        Body: TypeAlias = ChatIn
    else:
        Body = chat_in(max_chars)

    @router.post(
        "/chat/{token}",
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
                "description": "`token` events with the reply's text, then one `done` event.",
            },
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            409: {
                "model": ErrorOut,
                "description": "Another message of this chat is still being answered.",
            },
            429: {"model": ErrorOut},
        },
    )
    async def chat(request: Request, claims: TrackedOrder, body: Body) -> StreamingResponse:
        """Send the customer's message; the agent's reply streams back as Server-Sent Events."""
        sessions: ChatSessions = request.app.state.chats
        where = (body.location.lat, body.location.lon) if body.location else None
        turn = await run_in_threadpool(sessions.turn, claims, body.message.strip(), where)
        return StreamingResponse(
            reply_events(turn),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )

    return router
