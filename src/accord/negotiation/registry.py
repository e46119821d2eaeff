"""The one registry of strategies: names to classes, and which protocols each supports.

Protocols and the CLI look strategies up here, so that a bad name or a strategy that
cannot play a protocol is refused, with the valid choices, before anything runs.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from accord.errors import AccordError
from accord.negotiation import strategies
from accord.negotiation.strategy import MediatorStrategy, Strategy

PROTOCOLS = ("alternating", "single-text", "parallel-blocks", "shuttle")

# Every strategy the strategies package exports, by its name.
STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (getattr(strategies, name) for name in strategies.__all__)
}


@functools.cache
def _parameters(name: str) -> tuple[str, ...]:
    # Read once per strategy: inspecting a signature costs more than a short run.
    return tuple(p for p in inspect.signature(STRATEGIES[name]).parameters if p != "self")


def make_strategy(name: str, **params: Any) -> Strategy:
    """A new strategy by registry name, with its parameters (e.g. ``e=0.5``)."""
    cls = STRATEGIES.get(name)
    if cls is None:
        raise AccordError(
            f"unknown strategy {name!r}: choose one of {', '.join(sorted(STRATEGIES))}"
        )
    accepted = _parameters(name)
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        valid = ", ".join(accepted) if accepted else "none"
        raise AccordError(
            f"strategy {name!r} has no parameter {', '.join(unknown)}: its parameters are {valid}"
        )
    try:
        return cls(**params)
    except (TypeError, ValueError) as error:
        raise AccordError(f"strategy {name!r}: {error}") from error


def supported_protocols(name: str) -> tuple[str, ...]:
    """The protocols the strategy ``name`` can play (from its ``meta["protocols"]``)."""
    make_strategy(name)  # the same error for an unknown name
    return tuple(STRATEGIES[name].meta["protocols"])


def strategies_for(protocol: str, mediator: bool = False) -> tuple[str, ...]:
    """The names of the negotiator (or, with ``mediator``, mediator) strategies for a protocol."""
    check_protocol(protocol)
    return tuple(
        name
        for name, cls in sorted(STRATEGIES.items())
        if protocol in cls.meta["protocols"] and issubclass(cls, MediatorStrategy) == mediator
    )


def check_protocol(protocol: str) -> None:
    if protocol not in PROTOCOLS:
        raise AccordError(f"unknown protocol {protocol!r}: choose one of {', '.join(PROTOCOLS)}")


def check_supports(name: str, protocol: str, mediator: bool = False) -> None:
    """Raise :class:`AccordError` unless strategy ``name`` can play ``protocol`` in that role."""
    check_protocol(protocol)
    role = "mediator" if mediator else "negotiator"
    valid = strategies_for(protocol, mediator)
    if name not in STRATEGIES or name not in valid:
        why = "unknown strategy" if name not in STRATEGIES else f"{role} strategy cannot play"
        raise AccordError(
            f"{why} {name!r} for protocol {protocol!r}: choose one of {', '.join(valid)}"
        )
