"""Which domain a GENIUS profile belongs to: the issues it scores, then the name it shares."""

from __future__ import annotations

from accord.formats.genius_pairing import Candidate, best_domains

FRUIT = {1: ("discrete", frozenset({"Apple", "Pear"})), 2: ("integer", frozenset())}
COLOUR = {1: ("discrete", frozenset({"Red", "Blue"}))}


def test_the_issues_decide_first() -> None:
    domains = [Candidate("Colour-domain.xml", COLOUR), Candidate("x.xml", FRUIT)]
    assert best_domains(domains, Candidate("Colour-prof1.xml", FRUIT)) == [1]
    assert best_domains(domains, Candidate("p.xml", {1: ("discrete", frozenset({"Red"}))})) == []


def test_then_the_longest_shared_name_start() -> None:
    domains = [Candidate(f"Fruit-{v}-domain.xml", FRUIT) for v in "ABC"]
    assert best_domains(domains, Candidate("fruit-b-prof2.xml", FRUIT)) == [1]
    assert best_domains(domains, Candidate("profile.xml", FRUIT)) == [0, 1, 2]
