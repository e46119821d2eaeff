"""What many profiles' answers say together: shares with confidence intervals.

Every share is over all samples (``count`` of ``samples``) with a Wilson interval; the
Nash and blocker shares also say how they split the samples with (without) a deal.
Ties are broken by the first sample in which an answer appears, so the order of a report
depends only on the answers, not on the order in which they arrived.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from accord.analysis.space import OutcomeSpace
from accord.robustness.intervals import CONFIDENCE, Share, estimate
from accord.robustness.profile import BlockingCondition, ProfileAnswer

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True, eq=False)
class RobustnessReport:
    """The aggregated answers of ``samples`` profiles of one scenario (in sample order)."""

    scenario_id: str
    seed: int
    certain: bool
    uncertain_parameters: dict[str, int]  # party id -> how many uncertain numbers
    space: OutcomeSpace
    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    answers: tuple[ProfileAnswer, ...]

    @property
    def samples(self) -> int:
        return len(self.answers)

    @property
    def note(self) -> str:
        if self.certain:
            return (
                "the input was certain (no range or distribution): every sample is the same "
                "profile, so each share is exact"
            )
        counts = ", ".join(f"{party} {n}" for party, n in self.uncertain_parameters.items())
        return f"uncertain numbers per party: {counts}"

    def share(self, count: int) -> Share:
        return estimate(count, self.samples, exact=self.certain)

    @property
    def deal(self) -> Share:
        return self.share(sum(answer.feasible for answer in self.answers))

    def nash_packages(self) -> list[tuple[tuple[int, ...], Share]]:
        """Each package that was the Nash solution of some profile, most frequent first."""
        found = _ranked(a.nash_package for a in self.answers if a.nash_package is not None)
        return [(package, self.share(count)) for package, count in found]

    def nash_options(self) -> dict[str, dict[str, float]]:
        """For each issue, how often each option is in the Nash package (share of samples)."""
        chosen = np.array([a.nash_package for a in self.answers if a.nash_package is not None])
        result: dict[str, dict[str, float]] = {}
        for issue, (issue_id, option_ids) in enumerate(
            zip(self.space.issue_ids, self.space.option_ids, strict=True)
        ):
            counts: list[int] = (
                np.bincount(chosen[:, issue], minlength=len(option_ids)).tolist()
                if len(chosen)
                else []
            )
            result[issue_id] = {
                option: count / self.samples
                for option, count in zip(option_ids, counts, strict=False)
                if count
            }
        return result

    def blockers(self) -> list[tuple[BlockingCondition, Share]]:
        """Each condition in a profile's conflict (red line or reservation value)."""
        found = _ranked(c for a in self.answers for c in a.conflict)
        return [(condition, self.share(count)) for condition, count in found]

    def blocking_parties(self) -> list[tuple[str, Share]]:
        """Each party with a condition in a profile's conflict."""
        found = _ranked(
            party for a in self.answers for party in sorted({c.party for c in a.conflict})
        )
        return [(party, self.share(count)) for party, count in found]

    def relaxations(self) -> list[tuple[tuple[BlockingCondition, ...], Share]]:
        """Each smallest set of conditions whose relaxation opens a deal in a profile."""
        found = _ranked(tuple(sorted(r)) for a in self.answers for r in a.relaxations)
        return [(conditions, self.share(count)) for conditions, count in found]

    def nash_utilities(self) -> dict[str, dict[str, float]]:
        """Each party's utility of the Nash package: mean and the 5th-95th percentile range."""
        rows = np.array([a.nash_utilities for a in self.answers if a.nash_utilities is not None])
        if not len(rows):
            return {}
        return {
            party: {
                "mean": float(rows[:, p].mean()),
                "low": float(np.percentile(rows[:, p], 5)),
                "high": float(np.percentile(rows[:, p], 95)),
            }
            for p, party in enumerate(self.party_ids)
        }

    def to_dict(self, top: int = 5) -> dict[str, Any]:
        deals = self.deal.count
        no_deals = self.samples - deals
        packages = self.nash_packages()
        return {
            "scenario": self.scenario_id,
            "samples": self.samples,
            "seed": self.seed,
            "certain": self.certain,
            "note": self.note,
            "uncertain_parameters": dict(self.uncertain_parameters),
            "confidence": CONFIDENCE,
            "interval_method": "exact (certain input)" if self.certain else "Wilson score",
            "deal_probability": self.deal.to_dict(),
            "nash_packages": [
                {"package": self.space.package_dict(np.array(package))}
                | share.to_dict()
                | {"given_deal": share.count / deals}
                for package, share in packages[:top]
            ],
            "distinct_nash_packages": len(packages),
            "deals_without_nash_package": deals - sum(s.count for _, s in packages),
            "nash_options": self.nash_options(),
            "nash_utilities": self.nash_utilities(),
            "blockers": [
                _condition(condition)
                | share.to_dict()
                | {"given_no_deal": share.count / no_deals if no_deals else 0.0}
                for condition, share in self.blockers()
            ],
            "blocking_parties": [
                {"party": party} | share.to_dict() for party, share in self.blocking_parties()
            ],
            "relaxations": [
                {"relax": [_condition(c) for c in conditions]} | share.to_dict()
                for conditions, share in self.relaxations()[:top]
            ],
        }


def _condition(condition: BlockingCondition) -> dict[str, str]:
    return {"party": condition.party, "kind": condition.kind, "label": condition.label}


def _ranked(keys: Iterable[Key]) -> list[tuple[Key, int]]:
    """Distinct keys with their counts: most frequent first, then first seen first."""
    counts: Counter[Key] = Counter()
    first: dict[Key, int] = {}
    for position, key in enumerate(keys):
        counts[key] += 1
        first.setdefault(key, position)
    return sorted(counts.items(), key=lambda item: (-item[1], first[item[0]]))
