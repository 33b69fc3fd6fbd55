"""Command help is written once per paragraph, so Rich wraps it once at any width: at 80
columns a sentence is not broken where its source line ended."""

from __future__ import annotations

import inspect

from typer.testing import CliRunner

from apps.cli import app
from apps.cli.help_text import reflow

runner = CliRunner()


def test_a_paragraphs_lines_are_joined_and_items_and_indented_lines_kept() -> None:
    """Lines of one paragraph become one line; each list item and each indented line (an
    example command) keeps a line of its own; a ``\\b`` paragraph is left as written."""
    text = (
        "First line\nof the summary.\n\n"
        "Before any model is fitted, the file\nand --horizon are checked.\n\n"
        "Steps:\n- read the file,\n  every series\n- forecast\n\n"
        "Example:\n    longcat forecast file in.csv\n    --horizon 48\n\n"
        "\bkept\nas written"
    )
    assert reflow(text) == (
        "First line of the summary.\n\n"
        "Before any model is fitted, the file and --horizon are checked.\n\n"
        "Steps:\n- read the file, every series\n- forecast\n\n"
        "Example:\n    longcat forecast file in.csv\n    --horizon 48\n\n"
        "\bkept\nas written"
    )


def test_help_at_80_columns_breaks_a_sentence_only_where_it_wraps() -> None:
    """`longcat forecast file --help` at 80 columns: the sentence that named every check
    ran across two source lines and was broken after "every series and"."""
    result = runner.invoke(app, ["forecast", "file", "--help"], terminal_width=80)
    assert result.exit_code == 0
    prose = [line.strip() for line in result.output.splitlines() if "│" not in line]
    assert any(line.startswith("series and --horizon are checked") for line in prose)
    assert not any(line == "series and" for line in prose)


def test_every_commands_help_is_reflowed() -> None:
    """No command's help, on the app or its sub-apps, keeps a line break inside a
    paragraph."""
    apps = [app]
    while apps:
        current = apps.pop()
        apps.extend(g.typer_instance for g in current.registered_groups if g.typer_instance)
        for command in current.registered_commands:
            text = command.help or inspect.getdoc(command.callback) or ""
            for paragraph in text.split("\n\n"):
                lines = paragraph.split("\n")
                assert all(line.startswith(("- ", "* ", "    ", "\b")) for line in lines[1:]), (
                    command.name,
                    paragraph,
                )
