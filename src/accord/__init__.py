"""Accord: multi-party, multi-issue negotiation: model, exact analysis, simulation, record."""

import typing as _typing

from accord.lazy import lazy_exports as _lazy_exports

if _typing.TYPE_CHECKING:
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

# Where each public name lives: imported on first use, so that `import accord.cli` (and so
# `accord --help`) does not pay for numpy, pydantic and the solver it may never need.
_HOMES = {
    "AccordError": "accord.errors",
    "AdjustedWinner": "accord.analysis.adjusted_winner",
    "adjusted_winner": "accord.analysis.adjusted_winner",
    "Agenda": "accord.analysis.agenda",
    "agenda": "accord.analysis.agenda",
    "Coalitions": "accord.analysis.coalitions",
    "coalitions": "accord.analysis.coalitions",
    "Fairness": "accord.analysis.fairness",
    "fairness": "accord.analysis.fairness",
    "Improvements": "accord.analysis.improve",
    "improve": "accord.analysis.improve",
    "Analysis": "accord.analysis.report",
    "AnalysisError": "accord.errors",
    "CompiledScenario": "accord.analysis.compiled",
    "Problem": "accord.errors",
    "Scenario": "accord.scenario.model",
    "ScenarioError": "accord.errors",
    "analyze": "accord.analysis.report",
    "compile_scenario": "accord.analysis.compiled",
    "load_scenario": "accord.scenario.loader",
    "parse_scenario": "accord.scenario.loader",
}


__getattr__, __dir__ = _lazy_exports(__name__, _HOMES, globals())
