"""The outcome space: counting packages, the flat option axis, package conversions."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.space import OutcomeSpace


def space_of(*counts: int) -> OutcomeSpace:
    return OutcomeSpace(
        tuple(f"i{i}" for i in range(len(counts))),
        tuple(tuple(f"i{i}o{k}" for k in range(count)) for i, count in enumerate(counts)),
    )


def test_outcome_count_is_exact_beyond_64_bits() -> None:
    # 27 points of 5 options: 5**27 still fits in an int64 (just); one more point does not.
    assert space_of(*[5] * 27).outcome_count == 5**27
    space = space_of(*[5] * 28)
    assert space.outcome_count == 5**28
    assert isinstance(space.outcome_count, int)
    assert space.outcome_count > 2**63
    assert space.flat_size == 140
    assert space_of(*[10] * 30).outcome_count == 10**30


def test_outcome_count_of_small_spaces() -> None:
    assert space_of(3, 2, 3).outcome_count == 18
    assert space_of(1).outcome_count == 1
    assert space_of(4, 1, 4, 1).outcome_count == 16


def test_flat_axis() -> None:
    space = space_of(3, 1, 2)
    assert space.issue_count == 3
    assert space.option_counts.tolist() == [3, 1, 2]
    assert space.offsets.tolist() == [0, 3, 4]
    assert space.flat_size == 6
    assert space.issue_of_flat().tolist() == [0, 0, 0, 1, 2, 2]
    assert [space.flat(2, 1), space.flat(1, 0), space.flat(0, 2)] == [5, 3, 2]


def test_all_packages_lists_each_package_once_in_order() -> None:
    space = space_of(3, 1, 2)
    packages = space.all_packages()
    assert packages.shape == (6, 3)
    assert packages.dtype == np.int64
    assert len({tuple(row) for row in packages}) == space.outcome_count
    # Row-major order, last issue fastest, as np.ravel_multi_index counts.
    assert packages.tolist() == [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1], [2, 0, 0], [2, 0, 1]]


@pytest.mark.parametrize("counts", [(1,), (3, 2, 3), (4, 1, 2, 3), (2, 2, 2, 2, 2)])
def test_package_dict_round_trip(counts: tuple[int, ...]) -> None:
    space = space_of(*counts)
    for package in space.all_packages():
        chosen = space.package_dict(package)
        assert list(chosen) == list(space.issue_ids)
        assert np.array_equal(space.package_from_dict(chosen), package)
        assert space.package_dict(tuple(int(k) for k in package)) == chosen


def test_package_dict_names_options() -> None:
    space = OutcomeSpace(("troops", "sanctions"), (("600k", "800k"), ("keep", "lift", "phase")))
    package = np.array([1, 2])
    assert space.package_dict(package) == {"troops": "800k", "sanctions": "phase"}
    assert space.package_from_dict({"sanctions": "phase", "troops": "800k"}).tolist() == [1, 2]


def test_package_from_flat_reads_the_chosen_options() -> None:
    space = space_of(3, 1, 2)
    for package in space.all_packages():
        indicator = np.zeros(space.flat_size)
        indicator[package + space.offsets] = 1.0
        assert np.array_equal(space.package_from_flat(indicator), package)
    # A solver's near-integral values still read as the intended package.
    noisy = np.array([1e-10, 1 - 1e-9, 0.0, 1.0, 1.0 - 2e-10, 3e-10])
    assert space.package_from_flat(noisy).tolist() == [1, 0, 0]
