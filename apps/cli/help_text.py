"""Command help that reads well at any terminal width.

Typer's rich help keeps a docstring's line breaks and then wraps each source line again at
the terminal's width, so an 80-column terminal shows every sentence broken twice. Each
paragraph is made one line here (a list item one line of its own, indented text as it is),
and Rich wraps it once.
"""

from __future__ import annotations

import inspect

import typer


def reflow(text: str) -> str:
    """``text`` with each paragraph's lines joined, each ``-``/``*`` item on a line of its
    own; indented lines and paragraphs marked ``\\b`` (Click's "keep as written") kept."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b"):
            paragraphs.append(paragraph)
            continue
        lines: list[str] = []
        for line in paragraph.split("\n"):
            starts_item = line.lstrip().startswith(("- ", "* "))
            if lines and not starts_item and not line.startswith("    ") and line.strip():
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def reflow_help(app: typer.Typer) -> None:
    """Reflow the help of every command registered on ``app`` and on its sub-apps."""
    for command in app.registered_commands:
        command.help = reflow(command.help or inspect.getdoc(command.callback) or "")
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        if sub.info.help:
            sub.info.help = reflow(str(sub.info.help))
        reflow_help(sub)
