"""The README's quick start runs as written (from the project root)."""

import doctest
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_quick_start() -> None:
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    finally:
        os.chdir(previous)
    assert result.attempted >= 4
    assert result.failed == 0
