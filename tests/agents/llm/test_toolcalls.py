"""Tool calls are read from the standard ``tool_calls`` field and from
``<longcat_tool_call>`` text, and malformed calls fail with a message saying where."""

from __future__ import annotations

import pytest

from agents.llm.toolcalls import ToolCallParseError, extract_tool_calls, parse_tagged
from agents.llm.types import ToolCall


def test_tagged_calls_are_parsed_in_order_and_removed_from_text() -> None:
    """Tagged calls are read in order, string arguments decoded, and the tags cut from the text."""
    text = (
        'Let me check. <longcat_tool_call>{"name": "order_status", "arguments": {"order_id": 8542}}'
        '</longcat_tool_call>\n<longcat_tool_call>{"name": "hand_over", "arguments": '
        '"{\\"summary\\": \\"x\\"}"}</longcat_tool_call>'
    )
    rest, calls = parse_tagged(text)
    assert rest == "Let me check."
    assert calls == (
        ToolCall("order_status", {"order_id": 8542}),
        ToolCall("hand_over", {"summary": "x"}),
    )


def test_standard_field_with_string_arguments() -> None:
    """A tool_calls entry with JSON-string arguments is decoded; no content reads as empty text."""
    raw = [
        {
            "id": "1",
            "type": "function",
            "function": {"name": "cancel_order", "arguments": '{"order_id": 3}'},
        }
    ]
    text, calls = extract_tool_calls(None, raw)
    assert text == "" and calls == (ToolCall("cancel_order", {"order_id": 3}),)


def test_plain_text_has_no_calls() -> None:
    """Text without tags comes back unchanged, with no calls."""
    assert parse_tagged("Your order is on its way.") == ("Your order is on its way.", ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<longcat_tool_call>{not json}</longcat_tool_call>", "tool call 1: body is not JSON"),
        ('<longcat_tool_call>{"arguments": {}}</longcat_tool_call>', "tool call 1.name"),
        (
            '<longcat_tool_call>{"name": "x", "arguments": [1]}</longcat_tool_call>',
            "tool call 1.arguments",
        ),
    ],
)
def test_malformed_calls_say_what_is_wrong(text: str, message: str) -> None:
    """A malformed tagged call fails naming the call number and what is wrong: body, name, args."""
    with pytest.raises(ToolCallParseError, match=message):
        parse_tagged(text)
