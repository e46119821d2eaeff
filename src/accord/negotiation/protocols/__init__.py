"""Protocols: how the talks run. Each owns time and randomness and returns a ``Trace``.

``PROTOCOLS`` maps each protocol's name to its class; ``protocol(name)`` builds one, with a
clear error listing the names when the name is unknown.
"""

from __future__ import annotations

from typing import Any

from accord.negotiation.protocols.alternating import AlternatingOffers
from accord.negotiation.protocols.common import ProtocolError
from accord.negotiation.protocols.parallel_blocks import ParallelBlocks
from accord.negotiation.protocols.shuttle import Shuttle
from accord.negotiation.protocols.single_text import SingleText

Protocol = AlternatingOffers | ParallelBlocks | Shuttle | SingleText

PROTOCOLS: dict[str, type[Protocol]] = {
    AlternatingOffers.name: AlternatingOffers,
    SingleText.name: SingleText,
    ParallelBlocks.name: ParallelBlocks,
    Shuttle.name: Shuttle,
}


def protocol(name: str, **options: Any) -> Protocol:
    """The protocol called ``name``, built with ``options`` (e.g. ``mode`` for blocks)."""
    if name not in PROTOCOLS:
        raise ProtocolError(f"unknown protocol {name!r}; protocols: {', '.join(PROTOCOLS)}")
    return PROTOCOLS[name](**options)


__all__ = [
    "PROTOCOLS",
    "AlternatingOffers",
    "ParallelBlocks",
    "Protocol",
    "ProtocolError",
    "Shuttle",
    "SingleText",
    "protocol",
]
