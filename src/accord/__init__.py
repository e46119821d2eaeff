"""Accord: multi-party, multi-issue negotiation: model, exact analysis, simulation, record."""

from accord.analysis.adjusted_winner import AdjustedWinner, adjusted_winner
from accord.analysis.agenda import Agenda, agenda
from accord.analysis.coalitions import Coalitions, coalitions
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.fairness import Fairness, fairness
from accord.analysis.improve import Improvements, improve
from accord.analysis.report import Analysis, analyze
from accord.errors import AccordError, AnalysisError, Problem, ScenarioError
from accord.scenario.loader import load_scenario, parse_scenario
from accord.scenario.model import Scenario

__all__ = [
    "AccordError",
    "AdjustedWinner",
    "Agenda",
    "Analysis",
    "AnalysisError",
    "Coalitions",
    "CompiledScenario",
    "Fairness",
    "Improvements",
    "Problem",
    "Scenario",
    "ScenarioError",
    "adjusted_winner",
    "agenda",
    "analyze",
    "coalitions",
    "compile_scenario",
    "fairness",
    "improve",
    "load_scenario",
    "parse_scenario",
]
