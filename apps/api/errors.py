"""Errors as JSON with a code and a message that names the field; never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

log = logging.getLogger("longcat.api")


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorOut(error=ErrorBody(code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
}


_BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's words for it
_MESSAGES = {
    404: "no such path",
    405: "method not allowed on this path",
}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        if first.get("type") == "json_invalid":
            # Not JSON at all (or not UTF-8): the request is malformed, not merely invalid.
            reason = (first.get("ctx") or {}).get("error", "cannot be decoded")
            return error_response(400, "bad_request", f"body: not valid JSON ({reason})", "body")
        field = ".".join(str(p) for p in first["loc"] if p not in ("body", "query", "path"))
        return error_response(
            422, "invalid", f"{field or 'request'}: {first['msg']}", field or None
        )

    # Starlette's class, not FastAPI's subclass: routing's own 404 and 405 and the body
    # parser's 400 are raised as Starlette's and must keep the documented shape too.
    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        message, field = str(exc.detail), None
        if message == HTTPStatus(exc.status_code).phrase:
            message = _MESSAGES.get(exc.status_code, message.lower())
        elif message == _BODY_UNREADABLE:
            message, field = "body: cannot be read as JSON", "body"
        return error_response(
            exc.status_code, CODES.get(exc.status_code, "error"), message, field, exc.headers
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "internal error; it has been logged")
