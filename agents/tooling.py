"""Tools as typed functions over one transaction, each call written to the audit log.

A tool never raises for a policy or an input problem: it returns a ``ToolResult`` the
agent (or the model) reads. Only store failures propagate, after being audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from agents.llm.types import ToolSpec
from db.models import AuditEntry


@dataclass(frozen=True)
class ToolResult:
    """``status``: ``ok``, ``needs_confirmation`` (a write previewed, nothing changed) or
    ``refused`` (policy or input said no; ``reason`` is a stable code, ``message`` says why)."""

    status: str
    data: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, **self.data}
        if self.reason:
            out["reason"] = self.reason
        if self.message:
            out["message"] = self.message
        return out


def refused(reason: str, message: str, **data: Any) -> ToolResult:
    return ToolResult("refused", data=data, reason=reason, message=message)


@dataclass(frozen=True)
class ToolCallRecord:
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments, "result": self.result}


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[..., ToolResult]
    writes: bool = False
    # A tool that calls another service (which opens its own transactions) gets the
    # engine instead of a session: on SQLite every transaction holds the write lock, so
    # one open around the call would lock that service out.
    external: bool = False

    def spec(self) -> ToolSpec:
        return ToolSpec(self.name, self.description, self.args.model_json_schema())


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "arguments"
    return f"{where}: {first['msg']}"


def call_tool(
    engine: Engine,
    tool: Tool,
    raw_args: Mapping[str, Any],
    *,
    context: Any,
    actor: str,
    now: datetime,
    confirmed: bool = False,
) -> ToolCallRecord:
    """Validate, run in one transaction together with its audit entry, and record."""
    arguments = dict(raw_args)
    try:
        args = tool.args.model_validate(arguments)
    except ValidationError as exc:
        result = refused("invalid_arguments", _validation_message(exc))
        _audit_alone(engine, actor, tool.name, arguments, result, now, confirmed)
        return ToolCallRecord(tool.name, arguments, result.as_json())
    if tool.external:
        result = tool.run(engine, context, args, confirmed=confirmed)
        _audit_alone(engine, actor, tool.name, arguments, result, now, confirmed)
        return ToolCallRecord(tool.name, arguments, result.as_json())
    try:
        with Session(engine) as session, session.begin():
            result = tool.run(session, context, args, confirmed=confirmed)
            session.add(_entry(actor, tool.name, arguments, result, now, confirmed))
    except SQLAlchemyError as exc:
        failure = refused("store_error", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        _audit_alone(engine, actor, tool.name, arguments, failure, now, confirmed)
        raise
    return ToolCallRecord(tool.name, arguments, result.as_json())


def _entry(
    actor: str,
    action: str,
    arguments: dict[str, Any],
    result: ToolResult,
    now: datetime,
    confirmed: bool,
) -> AuditEntry:
    return AuditEntry(
        at=now,
        actor=actor,
        action=action,
        arguments={**arguments, "_confirmed": confirmed},
        result=result.as_json(),
    )


def _audit_alone(
    engine: Engine,
    actor: str,
    action: str,
    arguments: dict[str, Any],
    result: ToolResult,
    now: datetime,
    confirmed: bool,
) -> None:
    with Session(engine) as session, session.begin():
        session.add(_entry(actor, action, arguments, result, now, confirmed))
