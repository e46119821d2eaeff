"""The ``accord`` process's tuning (accord.commands.process), in fresh interpreters: freezing
the heap in the test process would keep pytest's objects from the collector."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc, os, sys
from accord.commands.process import command_process, YOUNG_GENERATION
before = gc.get_threshold()
with command_process():
    inside = gc.get_threshold()
    plugins = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    frozen_inside = gc.get_freeze_count()
print(before[0], inside[0], inside[1:] == before[1:], YOUNG_GENERATION, repr(plugins),
      frozen_inside, gc.get_freeze_count() > frozen_inside)
"""


def probe(environment: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=environment, check=True
    )
    return result.stdout.split()


def test_a_command_collects_young_objects_less_often_and_freezes_the_heap_at_exit() -> None:
    import os

    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    before, inside, older_kept, young, plugins, frozen_inside, frozen_after = probe(environment)
    assert before == "700" and inside == young == "10000" and older_kept == "True"
    assert plugins == "'__all__'"
    assert frozen_inside == "0" and frozen_after == "True"


def test_a_user_setting_for_pydantic_plugins_is_kept() -> None:
    import os

    environment = dict(os.environ, PYDANTIC_DISABLE_PLUGINS="")
    assert probe(environment)[4] == "''"
