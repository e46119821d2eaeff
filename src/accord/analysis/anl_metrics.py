"""The ANL 2023 organisers' "Kalai" point and "opposition", under their own definitions.

For each of the 50 domains of the ANAC 2023 Automated Negotiation League the organisers
published a ``specials.json`` computed by ``Domain.calculate_specials`` in
``utils/create_domains.py`` of github.com/brenting/ANL-2023-example-agent. It walks the
Pareto front sorted by party A's utility, ascending, and keeps:

* as "kalai", the first point whose ``|uA - uB|`` is smallest (a later point replaces it
  only when its difference is strictly smaller);
* as "opposition", the Euclidean distance from ``(1, 1)`` to that point.

The names are theirs, not the textbook's. The Kalai–Smorodinsky solution (Kalai &
Smorodinsky, Econometrica 43(3), 1975) gives each party the same share of its ideal gain and
is :func:`accord.analysis.solutions.kalai_smorodinsky`; the two differ in 10 of the 50
domains. "Opposition" here is not the smallest distance from ``(1, 1)`` to any outcome, as
in NegMAS's ``opposition_level``, nor :func:`accord.analysis.opposition.issue_opposition`.
"""

from __future__ import annotations

import math

import numpy as np

from accord.analysis.frontier import RESOLUTION, Frontier
from accord.analysis.solutions import Outcome
from accord.errors import AnalysisError

TIE_TOLERANCE = 10.0**-RESOLUTION
"""Differences ``|uA - uB|`` this close are ties: the frontier's own resolution."""


def anl_kalai_point(frontier: Frontier, parties: tuple[int, int] = (0, 1)) -> Outcome | None:
    """The Pareto point with the smallest ``|uA - uB|``, first in the organisers' order.

    Parameters
    ----------
    frontier
        An exact frontier, as from :func:`accord.analysis.frontier.pareto_frontier` on a
        scenario compiled with ``ignoring_reservation()`` (the organisers' convention).
    parties
        Columns of ``frontier.utilities`` for party A and party B, in that order: the walk
        is by A's utility.

    Returns
    -------
    Outcome or None
        The point's representative package and every party's utility of it; ``None`` when
        the frontier is empty.

    Notes
    -----
    The organisers sort the front by ``uA`` (ties keep their enumeration order, which is
    the lexicographic order of the packages) and replace their pick only on a strictly
    smaller difference, so among tied points the one with the smallest ``uA`` wins. Ties
    are taken within :data:`TIE_TOLERANCE` so that sums added up in another order agree.
    When a point stands for several packages (``multiplicity`` above 1) their bid is the
    first of those packages in their order, which may differ from the representative.

    References
    ----------
    ANL 2023 organisers, ``utils/create_domains.py``, ``Domain.calculate_specials``,
    github.com/brenting/ANL-2023-example-agent (2023).
    """
    first, second = _columns(frontier, parties)
    if frontier.point_count == 0:
        return None
    utilities_a = np.round(frontier.utilities[:, first], RESOLUTION)
    # np.lexsort sorts by its last key first: A's utility, then the package, issue by issue.
    order = np.lexsort((*frontier.packages.T[::-1], utilities_a))
    differences = np.abs(frontier.utilities[order, first] - frontier.utilities[order, second])
    chosen = int(order[np.flatnonzero(differences <= differences.min() + TIE_TOLERANCE)[0]])
    return Outcome(frontier.packages[chosen], frontier.utilities[chosen])


def anl_opposition(frontier: Frontier, parties: tuple[int, int] = (0, 1)) -> float | None:
    """The Euclidean distance from ``(1, 1)`` to :func:`anl_kalai_point`.

    Parameters
    ----------
    frontier, parties
        As for :func:`anl_kalai_point`.

    Returns
    -------
    float or None
        ``sqrt((1 - uA)**2 + (1 - uB)**2)`` at the organisers' "kalai" point; ``None`` when
        the frontier is empty. The corner is ``(1, 1)`` whatever the parties' best
        utilities are, as in the source.

    References
    ----------
    ANL 2023 organisers, ``utils/create_domains.py``, ``Domain.calculate_specials``,
    github.com/brenting/ANL-2023-example-agent (2023).
    """
    point = anl_kalai_point(frontier, parties)
    if point is None:
        return None
    first, second = parties
    utility_a, utility_b = float(point.utilities[first]), float(point.utilities[second])
    return math.sqrt((utility_a - 1.0) ** 2 + (utility_b - 1.0) ** 2)


def _columns(frontier: Frontier, parties: tuple[int, int]) -> tuple[int, int]:
    first, second = parties
    count = frontier.utilities.shape[1]
    if first == second or not (0 <= first < count and 0 <= second < count):
        raise AnalysisError(f"expected two different party columns below {count}, got {parties}")
    if not frontier.exact:
        raise AnalysisError(
            "the ANL 2023 definitions need the whole Pareto front, but this frontier is "
            f"approximate ({frontier.reason})"
        )
    return first, second
