"""The one way the suite starts worker processes: every pool and racer asks for this context.

Forkserver, because forking the caller itself deadlocks when one of its threads (a web
server's, a Dask client's, SQLAlchemy's pool) holds a lock at that moment, and spawn starts
every worker from a bare interpreter, re-importing OR-Tools each time. The server process
imports the heavy modules once; each worker is forked from it, clean. Where forkserver does
not exist (Windows, some macOS builds), spawn.
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ForkServerContext is not defined on Windows
    from multiprocessing.context import ForkServerContext, SpawnContext

# Imported once in the server, so workers start warm. Only names: nothing is imported here.
PRELOAD = ["routing.live.model", "routing.live.network", "routing.service.dispatch"]


def process_context() -> ForkServerContext | SpawnContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
