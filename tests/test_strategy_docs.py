"""Every registered strategy and every protocol is documented in docs/reference/strategies.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.negotiation.protocols import PROTOCOLS
from accord.negotiation.registry import STRATEGIES

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference" / "strategies.md"


def documented_names() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    headings = {
        match.group(1).strip().strip("`")
        for match in re.finditer(r"^#+\s+(.+)$", text, flags=re.MULTILINE)
    }
    return headings | set(re.findall(r"`([^`\n]+)`", text))


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_is_documented(name: str) -> None:
    assert name in documented_names(), f"strategy {name!r} is not in {DOC.name}"


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_every_protocol_is_documented(name: str) -> None:
    assert name in documented_names(), f"protocol {name!r} is not in {DOC.name}"
