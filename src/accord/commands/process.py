"""How the ``accord`` process is tuned for what it is: a command that starts, works and exits.

Measured on ``accord analyze examples/peace-plan-27.yaml`` (``python
benchmarks/bench_startup.py``; docs/performance.md), three costs of a short process have
nothing to do with the command:

* **The cyclic garbage collector during start-up.** The imports allocate some 50,000
  objects that live as long as the process; at CPython's default threshold (a young
  collection every 700 net allocations) the collector ran 118 times, 32 ms. With a young
  generation of 10,000 it runs 7 times (11 ms), and garbage cycles wait for at most
  10,000 allocations, a few megabytes.
* **The collections at exit**, which walk every one of those objects again while the
  interpreter tears the modules down (about 40 ms). They are frozen first
  (:func:`gc.freeze`: later collections skip them); the process ends right after, and
  what refers only to itself is returned to the system with the rest of its memory.
* **Pydantic's plugin discovery**, which reads the entry points of every installed
  distribution when the first model is built (importing :mod:`importlib.metadata` and
  its e-mail parser, then scanning: 10 to 90 ms, growing with the environment). Typer
  already turns it off while it builds its own validators; the command does so for its
  whole run, unless ``PYDANTIC_DISABLE_PLUGINS`` is set (set it empty to keep plugins).

Only :func:`accord.cli.main` enters :func:`command_process`: the library (``import
accord``) is not affected. The processes a command starts (a robustness pool, a Dask
cluster, ``accord serve``) inherit the plugin setting with the environment; the server
sets its own collector up (:mod:`accord.web.heap`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_GENERATION = 10_000
"""Net allocations between two young collections (CPython's default: 700)."""


@contextmanager
def command_process() -> Iterator[None]:
    """Run one command as a short-lived process: see the module's description."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, older, oldest)
    try:
        yield
    finally:
        gc.freeze()
