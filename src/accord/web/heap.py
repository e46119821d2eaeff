"""The server's long-lived objects are set out of the garbage collector's reach.

After start-up the process holds a few hundred thousand objects that live as long as it
does (modules, the app and its routes, SQLAlchemy's mappers, the templates). CPython's
full collection walks every one of them each time it runs, a pause of 50 to 300 ms during
which no request advances; under 50 clients one came every couple of hundred requests and
made the 99th percentile of the pages (bench_web.py: the mediator's dashboard, p99 over
200 ms on an empty ledger while its median was under 20 ms). ``gc.freeze()`` moves what is
alive at start-up into a permanent generation that collections skip, so that a full
collection walks only what requests created.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


@asynccontextmanager
async def frozen_heap(_app: Any) -> AsyncIterator[None]:
    """A lifespan: collect, freeze while serving, give the objects back on shutdown (an
    app made and stopped in a test leaves nothing frozen behind)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
