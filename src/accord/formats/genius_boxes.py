"""Sets of packages as boxes (one set of options per issue), and unions of them made disjoint.

A condition on a package that GENIUS tests issue by issue (equal to, containing, at least)
holds on a *box*: for every issue it restricts, the package picks one of the listed
options; an issue it does not list is free. A union of boxes is rewritten as boxes that do
not overlap, so that its indicator is the plain sum of theirs: that is how a constraint
profile's "this share is zero when any of these holds" becomes interaction terms, exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Box = dict[str, frozenset[str]]
"""Issue id -> the options allowed there; an issue left out allows every option."""
Space = Mapping[str, frozenset[str]]
"""Issue id -> every option of the issue."""


def box(space: Space, allowed: Mapping[str, Iterable[str]]) -> Box | None:
    """The box allowing ``allowed`` per issue (``None`` if some issue allows nothing); an
    issue allowing all its options is left out."""
    found: Box = {}
    for issue, options in allowed.items():
        kept = frozenset(options) & space[issue]
        if not kept:
            return None
        if kept != space[issue]:
            found[issue] = kept
    return found


def intersection(space: Space, first: Box, second: Box) -> Box | None:
    """The packages in both boxes (``None``: none)."""
    merged = {issue: first.get(issue, space[issue]) for issue in first.keys() | second.keys()}
    for issue, options in second.items():
        merged[issue] = merged[issue] & options
    return box(space, merged)


def difference(space: Space, kept: Box, removed: Box) -> list[Box]:
    """The packages of ``kept`` outside ``removed``, as boxes that do not overlap."""
    if intersection(space, kept, removed) is None:
        return [kept]
    pieces: list[Box] = []
    rest = dict(kept)
    for issue in sorted(removed):
        here = rest.get(issue, space[issue])
        outside = here - removed[issue]
        if outside:
            pieces.append({**rest, issue: outside})
        rest[issue] = here & removed[issue]
    return pieces


def disjoint_union(space: Space, boxes: Iterable[Box]) -> list[Box]:
    """The union of ``boxes`` as boxes that do not overlap (each package in at most one)."""
    found: list[Box] = []
    for added in boxes:
        pieces = [added]
        for existing in found:
            pieces = [piece for part in pieces for piece in difference(space, part, existing)]
            if not pieces:
                break
        found.extend(pieces)
    return found
