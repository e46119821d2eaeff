"""Which GENIUS domain each profile of a folder belongs to.

GENIUS ships some domains side by side in one folder (ANAC 2012: ``Fitness-A-domain.xml``,
``Fitness-B-domain.xml``, ... with ``Fitness-A-prof1.xml`` ...), and some folders hold two
domain files. Nothing in the files says which domain a profile is for: GENIUS is told by
its tournament set-up. A profile *fits* a domain when it scores the same issues (by index),
of the same types, and the same values of every discrete issue; among the domains it fits,
the one whose file name shares the longest start with the profile's is its domain. A tie is
not guessed: it is an error listing the candidates, which ``--domain FILE`` settles.
"""

from __future__ import annotations

from dataclasses import dataclass

Issues = dict[int, tuple[str, frozenset[str]]]
"""An issue signature: index -> (type, the values of a discrete issue)."""


@dataclass(frozen=True)
class Candidate:
    """A domain or profile file, by its name and the issues it lists."""

    name: str
    issues: Issues


def fitting(domain: Candidate, profile: Candidate) -> bool:
    """Whether ``profile`` scores exactly ``domain``'s issues and values."""
    return domain.issues == profile.issues


def best_domains(domains: list[Candidate], profile: Candidate) -> list[int]:
    """The positions in ``domains`` that ``profile`` fits and shares the longest name start
    with (several on a tie; none if it fits none)."""
    fits = [n for n, domain in enumerate(domains) if fitting(domain, profile)]
    if len(fits) <= 1:
        return fits
    shared = {n: _shared_start(domains[n].name, profile.name) for n in fits}
    longest = max(shared.values())
    return [n for n in fits if shared[n] == longest]


def _shared_start(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first.lower(), second.lower(), strict=False):
        if a != b:
            break
        count += 1
    return count
