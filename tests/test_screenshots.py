"""The mediator's guide (docs/web.md) shows only screenshots that scripts/screenshots.py takes.

Taking them needs Chromium and a minute; this checks the cheap half, that the guide, the
script and the committed images agree, so that a renamed page or a new picture cannot
leave the guide pointing at nothing or at a picture no script can retake.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _script_shots() -> set[str]:
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return {f"web-{shot.name}.png" for shot in module.SHOTS}


def test_the_guide_shows_exactly_the_screenshots_the_script_takes() -> None:
    shown = set(
        re.findall(r"\(images/(web-[a-z-]+\.png)\)", (ROOT / "docs" / "web.md").read_text())
    )
    committed = {path.name for path in (ROOT / "docs" / "images").glob("web-*.png")}
    assert shown and shown == _script_shots() == committed


def test_each_screenshot_is_a_png_of_the_browser_s_width() -> None:
    for path in (ROOT / "docs" / "images").glob("web-*.png"):
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", path.name
        assert int.from_bytes(header[16:20], "big") == 1200, path.name
