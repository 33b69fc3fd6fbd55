"""Tools as typed functions over one transaction, each call written to the audit log.

A tool never raises for a policy or an input problem: it returns a ``ToolResult`` the
agent (or the model) reads. Only store failures propagate, after being audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
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
    idempotency_key: str | None = None,
) -> ToolCallRecord:
    """Validate, run in one transaction together with its audit entry, and record.

    A confirmed write carries ``idempotency_key``: its audit entry is unique on the key and
    written in the write's own transaction, so a second run of the same pending write (a
    retried "yes", two workers at once) rolls back and returns the first run's result.
    """
    arguments = dict(raw_args)
    audit = _Audit(actor, tool.name, arguments, now, confirmed, idempotency_key)
    done = _already_done(engine, idempotency_key)
    if done is not None:
        return ToolCallRecord(tool.name, arguments, done)
    try:
        args = tool.args.model_validate(arguments)
    except ValidationError as exc:
        result = refused("invalid_arguments", _validation_message(exc))
        _audit_alone(engine, audit, result)
        return ToolCallRecord(tool.name, arguments, result.as_json())
    if tool.external:
        result = tool.run(engine, context, args, confirmed=confirmed)
        try:
            _audit_alone(engine, audit, result)
        except IntegrityError:
            # Another run of the same write got there first; the service's own
            # compare-and-set kept the store right, so report the first run.
            return ToolCallRecord(
                tool.name, arguments, _already_done(engine, idempotency_key) or {}
            )
        return ToolCallRecord(tool.name, arguments, result.as_json())
    try:
        with Session(engine) as session, session.begin():
            result = tool.run(session, context, args, confirmed=confirmed)
            session.add(audit.entry(result))
    except IntegrityError:
        first = _already_done(engine, idempotency_key) if idempotency_key else None
        if first is None:
            raise
        return ToolCallRecord(tool.name, arguments, first)
    except SQLAlchemyError as exc:
        failure = refused("store_error", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        _audit_alone(engine, replace(audit, key=None), failure)
        raise
    return ToolCallRecord(tool.name, arguments, result.as_json())


def _already_done(engine: Engine, key: str | None) -> dict[str, Any] | None:
    if key is None:
        return None
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.idempotency_key == key)).first()
    return None if entry is None else dict(entry.result or {})


@dataclass(frozen=True)
class _Audit:
    actor: str
    action: str
    arguments: dict[str, Any]
    now: datetime
    confirmed: bool
    key: str | None

    def entry(self, result: ToolResult) -> AuditEntry:
        return AuditEntry(
            at=self.now,
            actor=self.actor,
            action=self.action,
            arguments={**self.arguments, "_confirmed": self.confirmed},
            result=result.as_json(),
            idempotency_key=self.key,
        )


def _audit_alone(engine: Engine, audit: _Audit, result: ToolResult) -> None:
    with Session(engine) as session, session.begin():
        session.add(audit.entry(result))
