"""Small parts that strategies compose: the table's subspace, offering at a target utility,
the acceptance test, and the objections a party raises against a single text.

Every part is a function of the party's own preferences and what the view shows; none
holds state, so a strategy stays a small class that keeps only its own memory.
"""

from __future__ import annotations

from accord.negotiation.own import TOLERANCE, OwnPreferences, Package, Subspace
from accord.negotiation.strategy import Response
from accord.negotiation.view import NegotiationView

ACCEPT = Response(accept=True)
REJECT = Response(accept=False)
WALK_AWAY = Response(accept=False, walk_away=True)
ALL_PROTOCOLS = ("alternating", "single-text", "parallel-blocks", "shuttle")
DEFAULT_OBJECTIONS = 2


def subspace(own: OwnPreferences, view: NegotiationView) -> Subspace | None:
    """The packages open at this table: ``None`` when every issue is open.

    At a block's table (``view.issues``) the other issues keep their options in the package
    on the table, or in the party's best package while the table is empty. The context's
    open issues are zeroed so that one block and one context give one subspace.
    """
    if view.issues is None or len(view.issues) == own.space.issue_count:
        return None
    open_issues = tuple(sorted(view.issues))
    context = view.table if view.table is not None else own.best_package()
    return Subspace(open_issues, tuple(0 if i in open_issues else o for i, o in enumerate(context)))


def utility_range(own: OwnPreferences, within: Subspace | None) -> tuple[float, float] | None:
    """``(best, floor)``: the utilities of the best and of the worst acceptable package.

    The floor is the reservation value raised to the worst acceptable package's utility,
    so that a concession curve ends on a package rather than below every one. ``None``
    when no package of the (sub)space is acceptable.
    """
    best, worst = own.best_acceptable(within), own.worst_acceptable(within)
    if best is None or worst is None:
        return None
    return own.utility(best), max(own.reservation, own.utility(worst))


def offer_at(own: OwnPreferences, target: float, within: Subspace | None) -> Package:
    """The acceptable package worth the least at or above ``target``.

    Above the best acceptable package, that package; when nothing is acceptable, the best
    package crossing no red line (or the best package, if every one crosses a red line).
    """
    found = own.package_at_least(target, within)
    if found is None:
        found = own.best_acceptable(within)
    return found if found is not None else own.best_package(within)


class LastOffer:
    """:func:`offer_at`, remembering the last answer: a response and the proposal after it
    ask for the same target, and on a space too large to list each answer is a program."""

    def __init__(self) -> None:
        self._last: tuple[float, Subspace | None, Package] | None = None

    def __call__(self, own: OwnPreferences, target: float, within: Subspace | None) -> Package:
        last = self._last
        if last is not None and last[0] == target and last[1] == within:
            return last[2]
        offer = offer_at(own, target, within)
        self._last = (target, within, offer)
        return offer


def worth_at_least(own: OwnPreferences, package: Package, threshold: float) -> bool:
    """Acceptable (reservation met, no red line crossed) and worth ``threshold`` or more."""
    value = own.acceptable_utility(package)
    return value is not None and value >= threshold - TOLERANCE


def objections(
    own: OwnPreferences, package: Package, limit: int, issues: tuple[int, ...] | None = None
) -> tuple[str, ...]:
    """The issue ids a party needs changed in ``package`` (a single text), most needed first.

    First every open issue of a red line the package crosses (in issue order); then, up to
    ``limit`` in all, the issues whose change alone to their best option would gain the
    most (ties by issue order), counting only issues that would gain something.
    """
    chosen = range(own.space.issue_count) if issues is None else sorted(issues)
    needed: list[int] = []
    if own.red_lines and own.crosses_red_line(package):
        on_red_lines = {i for clauses in own.crossed_red_lines(package) for i, _ in clauses}
        needed = [issue for issue in chosen if issue in on_red_lines]
    room = limit - len(needed)
    if room > 0:
        gains = own.improvements(package, None if issues is None else tuple(chosen))
        # A stable sort, largest gain first: equal gains stay in issue order.
        order = sorted(range(len(gains)), key=gains.__getitem__, reverse=True)
        for position in order:
            if room == 0 or gains[position] <= TOLERANCE:
                break
            if chosen[position] not in needed:
                needed.append(chosen[position])
                room -= 1
    return tuple(own.space.issue_ids[issue] for issue in needed)


def reject(
    own: OwnPreferences, view: NegotiationView, package: Package, limit: int, hopeless: bool
) -> Response:
    """A rejection with objections; walking away when no package is acceptable at all."""
    if hopeless:
        return WALK_AWAY
    if not view.objections_wanted:
        return REJECT
    return Response(accept=False, objections=objections(own, package, limit, view.issues))
