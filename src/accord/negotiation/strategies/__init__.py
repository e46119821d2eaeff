"""Automated negotiators and mediators: one module, one small class per strategy.

Find them by name in :mod:`accord.negotiation.registry`.
"""

from accord.negotiation.strategies.hardliner import Hardliner
from accord.negotiation.strategies.hill_climbing_mediator import (
    AnnealingMediator,
    HillClimbingMediator,
)
from accord.negotiation.strategies.nash_mediator import NashMediator
from accord.negotiation.strategies.random_acceptable import RandomAcceptable
from accord.negotiation.strategies.time_based import (
    Boulware,
    Conceder,
    Linear,
    TimeBasedConcession,
)
from accord.negotiation.strategies.tit_for_tat import TitForTat

__all__ = [
    "AnnealingMediator",
    "Boulware",
    "Conceder",
    "Hardliner",
    "HillClimbingMediator",
    "Linear",
    "NashMediator",
    "RandomAcceptable",
    "TimeBasedConcession",
    "TitForTat",
]
