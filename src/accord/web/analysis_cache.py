"""The mediator's analysis of a negotiation, kept for the scenarios seen recently.

The pages and the API both show it; it depends only on the scenario's content, which
changes far more rarely than it is read.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from accord.analysis.report import Analysis, analyze
from accord.scenario.model import Scenario

_CACHE_SIZE = 16
_cache: OrderedDict[str, Analysis] = OrderedDict()
_cache_lock = Lock()


def cached_analysis(scenario: Scenario) -> Analysis:
    """``analyze(scenario)``, kept for scenarios seen recently.

    The whole analysis takes about half a second on the 27-point plan; it depends only on
    the scenario's content, which changes far more rarely than the page is read.
    """
    key = scenario.digest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = analyze(scenario)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result
