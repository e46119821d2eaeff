"""The one registry of strategies: complete, and clear about what it refuses."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import accord.negotiation.strategies as package
from accord.errors import AccordError
from accord.negotiation.registry import (
    PROTOCOLS,
    STRATEGIES,
    check_supports,
    make_strategy,
    strategies_for,
    supported_protocols,
)
from accord.negotiation.strategies import AnnealingMediator, Boulware, HillClimbingMediator
from accord.negotiation.strategy import MediatorStrategy, Strategy


def _strategy_classes() -> set[type[Strategy]]:
    found = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Strategy)
                and value.__module__ == module.__name__
                and value not in (Strategy, MediatorStrategy)
            ):
                found.add(value)
    return found


def test_every_strategy_class_is_registered() -> None:
    classes = _strategy_classes()
    assert classes == set(STRATEGIES.values())
    assert sorted(cls.__name__ for cls in classes) == package.__all__


def test_names_are_unique_and_kebab_case() -> None:
    assert len(STRATEGIES) == len({cls.name for cls in STRATEGIES.values()})
    assert all(name == name.lower().replace(" ", "-") for name in STRATEGIES)


def test_make_strategy() -> None:
    strategy = make_strategy("boulware")
    assert isinstance(strategy, Boulware) and strategy.e == 0.2
    assert make_strategy("hill-climbing-mediator", changes=2).changes == 2  # type: ignore[attr-defined]


def test_an_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(AccordError) as error:
        make_strategy("bouleware")
    assert str(error.value) == (
        "unknown strategy 'bouleware': choose one of annealing-mediator, boulware, conceder, "
        "hardliner, hill-climbing-mediator, linear, nash-mediator, random-acceptable, "
        "time-based, tit-for-tat"
    )


def test_an_unknown_parameter_lists_the_valid_ones() -> None:
    with pytest.raises(AccordError, match=r"'linear' has no parameter f: its parameters are e, "):
        make_strategy("linear", f=1)
    with pytest.raises(AccordError, match="e must be positive"):
        make_strategy("linear", e=-1)


def test_protocols_per_strategy() -> None:
    assert supported_protocols("boulware") == PROTOCOLS
    assert supported_protocols("hill-climbing-mediator") == ("single-text", "shuttle")
    assert strategies_for("alternating") == (
        "boulware",
        "conceder",
        "hardliner",
        "linear",
        "random-acceptable",
        "time-based",
        "tit-for-tat",
    )
    assert strategies_for("single-text", mediator=True) == (
        AnnealingMediator.name,
        HillClimbingMediator.name,
        "nash-mediator",
    )
    assert strategies_for("alternating", mediator=True) == ()


def test_check_supports() -> None:
    check_supports("linear", "shuttle")
    check_supports("hill-climbing-mediator", "single-text", mediator=True)
    with pytest.raises(AccordError, match="mediator strategy cannot play 'linear' for protocol"):
        check_supports("linear", "single-text", mediator=True)
    with pytest.raises(AccordError, match=r"^unknown strategy 'x' for protocol 'alternating'"):
        check_supports("x", "alternating")
    with pytest.raises(AccordError, match="unknown protocol 'sao': choose one of alternating, "):
        check_supports("linear", "sao")
