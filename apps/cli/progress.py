"""Rich progress bars for long work, behind the small callback the services accept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from apps.cli.common import err_console


@contextmanager
def progress_bars(totals: dict[str, int | None]) -> Iterator[Callable[[str, int], None]]:
    """Yield ``advance(name, n)``; one bar per named step, drawn on stderr."""
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        tasks: dict[str, TaskID] = {
            name: progress.add_task(name, total=total) for name, total in totals.items()
        }

        def advance(name: str, n: int) -> None:
            progress.advance(tasks[name], n)

        yield advance
