"""Uncertain preference numbers: ranges and normal distributions written in place of a number.

A party's weight, option value, interaction value or reservation value may be written as

* ``[low, high]``: uniform on the range, nominal value the midpoint;
* ``{mean: M, sd: S}``: normal, nominal value the mean.

:func:`lift_uncertain` runs before a :class:`~accord.scenario.model.Preferences` is
validated: it puts the nominal value where the distribution was written and records the
distribution in ``Preferences.uncertain`` with its path, so that every analysis keeps
working on plain numbers (the nominal profile) and only robustness analysis draws from
the distributions. A malformed distribution is left in place for the field's own
validator (:func:`reject_distribution`), so that the error names the field's position.

Draws respect the bounds the model needs (:func:`support`): a range must lie inside them
(checked with the file's positions by :func:`check_supports`), a normal distribution is
*truncated* to them (drawn by inverse CDF inside the bounds, not clipped, so no
probability piles up on a bound).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from accord.scenario.limits import MAX_MAGNITUDE

if TYPE_CHECKING:
    # Only robustness draws: loading and validating a scenario does not import numpy.
    import numpy as np

PathPart = str | int
EXPECTED = "expected a number, a range [low, high] or a normal distribution {mean: M, sd: S}"
_SECTION_ORDER = {"weights": 0, "values": 1, "interactions": 2, "reservation": 3}
_STANDARD_NORMAL = NormalDist()


class Uniform(BaseModel):
    """Uniform on ``[low, high]``, written ``[low, high]``."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)

    @property
    def nominal(self) -> float:
        return (self.low + self.high) / 2

    def inline(self) -> list[float]:
        return [self.low, self.high]


class Normal(BaseModel):
    """Normal with ``mean`` and standard deviation ``sd``, written ``{mean: M, sd: S}``."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    mean: float = Field(allow_inf_nan=False)
    sd: float = Field(ge=0, allow_inf_nan=False)

    @property
    def nominal(self) -> float:
        return self.mean

    def inline(self) -> dict[str, float]:
        return {"mean": self.mean, "sd": self.sd}


Distribution = Uniform | Normal


class UncertainParameter(BaseModel):
    """One uncertain number of a party's preferences.

    ``path`` locates it inside the preferences: ``("weights", issue)``,
    ``("values", issue, option)``, ``("interactions", index, "value")`` or
    ``("reservation",)``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    path: tuple[PathPart, ...] = Field(min_length=1)
    distribution: Distribution

    @property
    def label(self) -> str:
        return ".".join(str(part) for part in self.path)


def parse_distribution(raw: Any) -> Distribution | None:
    """The distribution written as ``raw``; ``None`` for a plain number or anything else.

    Raises :class:`ValueError` saying what was expected when ``raw`` is a list or mapping
    that is not a well-formed distribution.
    """
    if isinstance(raw, list | tuple):
        if len(raw) != 2 or not all(_is_number(x) for x in raw):
            raise ValueError(f"{EXPECTED}; a range needs exactly two numbers")
        low, high = float(raw[0]), float(raw[1])
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"{EXPECTED}; the range's ends must be finite")
        if low > high:
            raise ValueError("expected a range [low, high] with low <= high")
        return Uniform(low=low, high=high)
    if isinstance(raw, dict):
        if set(raw) != {"mean", "sd"} or not all(_is_number(raw[k]) for k in ("mean", "sd")):
            raise ValueError(f"{EXPECTED}; a normal distribution has exactly a mean and an sd")
        mean, sd = float(raw["mean"]), float(raw["sd"])
        if not (math.isfinite(mean) and math.isfinite(sd)):
            raise ValueError(f"{EXPECTED}; mean and sd must be finite")
        if sd < 0:
            raise ValueError("expected a normal distribution with a standard deviation sd >= 0")
        return Normal(mean=mean, sd=sd)
    return None


def reject_distribution(raw: Any) -> Any:
    """Field validator: a distribution still here was malformed; say what was expected."""
    if isinstance(raw, list | tuple | dict):
        parse_distribution(raw)  # raises with the reason
        raise ValueError(EXPECTED)  # a well-formed one only lands here outside preferences
    return raw


def lift_uncertain(data: Any) -> Any:
    """Raw preferences with each distribution replaced by its nominal value and recorded.

    Entries already in ``uncertain`` (a dumped model read back) are kept, except where a
    distribution is written inline at the same path. Anything malformed is left as it is
    for field validation to report.
    """
    if not isinstance(data, dict):
        return data
    lifted = dict(data)
    found: dict[tuple[PathPart, ...], Distribution] = {}
    for path, raw in list(_candidates(data)):
        if not isinstance(raw, list | tuple | dict):
            continue  # a plain number (or what field validation will refuse): nothing to lift
        try:
            distribution = parse_distribution(raw)
        except ValueError:
            continue
        if distribution is not None:
            found[path] = distribution
    owned: set[int] = set()
    for path, distribution in found.items():
        _set(lifted, path, distribution.nominal, owned)
    if not found:
        return data
    given = data.get("uncertain", ())
    if not isinstance(given, list | tuple):
        return lifted
    kept = [entry for entry in given if _path_of(entry) not in found]
    new = [UncertainParameter(path=path, distribution=d) for path, d in found.items()]
    lifted["uncertain"] = sorted([*kept, *new], key=lambda entry: _order(_path_of(entry)))
    return lifted


def inline_uncertain(preferences: dict[str, Any]) -> dict[str, Any]:
    """Dumped preferences with each recorded distribution written back in place."""
    entries = preferences.get("uncertain")
    if not entries:
        return preferences
    inlined = {key: value for key, value in preferences.items() if key != "uncertain"}
    for entry in entries:
        distribution = entry["distribution"]
        written: Any = (
            [distribution["low"], distribution["high"]]
            if "low" in distribution
            else {"mean": distribution["mean"], "sd": distribution["sd"]}
        )
        _set(inlined, tuple(entry["path"]), written)
    return inlined


def support(path: tuple[PathPart, ...], scale: str) -> tuple[float, float]:
    """The bounds a drawn number must respect: weights are never negative; on the
    normalised scale values and reservations lie in [0, 1], interactions in [-1, 1]; no
    number exceeds the scenario limit :data:`~accord.scenario.limits.MAX_MAGNITUDE`."""
    section = path[0]
    if section == "weights":
        return 0.0, MAX_MAGNITUDE
    if scale != "normalised":
        return -MAX_MAGNITUDE, MAX_MAGNITUDE
    return (-1.0, 1.0) if section == "interactions" else (0.0, 1.0)


def check_supports(path: tuple[PathPart, ...], distribution: Distribution, scale: str) -> str:
    """Why ``distribution`` cannot be used at ``path`` (``""`` when it can)."""
    low, high = support(path, scale)
    where = "a weight" if path[0] == "weights" else f"{path[0]} on the {scale} scale"
    if isinstance(distribution, Uniform):
        if distribution.low < low or distribution.high > high:
            return (
                f"expected a range inside [{low:g}, {high:g}] for {where}, "
                f"got [{distribution.low:g}, {distribution.high:g}]"
            )
    elif not low <= distribution.mean <= high:
        return f"expected a mean inside [{low:g}, {high:g}] for {where}, got {distribution.mean:g}"
    return ""


def draw(
    distribution: Distribution, bounds: tuple[float, float], rng: np.random.Generator
) -> float:
    """One draw; a normal distribution truncated to ``bounds`` by inverse CDF."""
    if isinstance(distribution, Uniform):
        if distribution.low == distribution.high:
            return distribution.low
        return float(rng.uniform(distribution.low, distribution.high))
    mean, sd = distribution.mean, distribution.sd
    if sd == 0:
        return mean
    low, high = bounds
    lower = _STANDARD_NORMAL.cdf((low - mean) / sd) if math.isfinite(low) else 0.0
    upper = _STANDARD_NORMAL.cdf((high - mean) / sd) if math.isfinite(high) else 1.0
    # inv_cdf needs a probability strictly inside (0, 1).
    probability = min(max(float(rng.uniform(lower, upper)), 1e-300), 1 - 1e-16)
    value = mean + sd * _STANDARD_NORMAL.inv_cdf(probability)
    return min(max(value, low), high)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _candidates(data: dict[str, Any]) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    """Every place a number may be uncertain, with what is written there."""
    weights = data.get("weights")
    if isinstance(weights, dict):
        for issue, raw in weights.items():
            yield ("weights", issue), raw
    values = data.get("values")
    if isinstance(values, dict):
        for issue, options in values.items():
            if isinstance(options, dict):
                for option, raw in options.items():
                    yield ("values", issue, option), raw
    interactions = data.get("interactions")
    if isinstance(interactions, list | tuple):
        for index, interaction in enumerate(interactions):
            if isinstance(interaction, dict) and "value" in interaction:
                yield ("interactions", index, "value"), interaction["value"]
    if "reservation" in data:
        yield ("reservation",), data["reservation"]


def _set(
    data: dict[str, Any], path: tuple[PathPart, ...], value: Any, owned: set[int] | None = None
) -> None:
    """Write ``value`` at ``path``, copying the containers on the way (never mutating input).

    ``owned`` holds the ids of containers already copied by earlier writes: each is copied
    once, so that many writes into one mapping stay linear.
    """
    node: Any = data
    for part in path[:-1]:
        key: Any = part
        existing = node[key] if isinstance(node, list) else node.get(key, {})
        if owned is not None and id(existing) in owned:
            node = existing
            continue
        child = list(existing) if isinstance(existing, list | tuple) else dict(existing)
        if owned is not None:
            owned.add(id(child))
        node[key] = child
        node = child
    node[path[-1]] = value


def _path_of(entry: Any) -> tuple[PathPart, ...]:
    if isinstance(entry, UncertainParameter):
        return entry.path
    if isinstance(entry, dict) and isinstance(entry.get("path"), list | tuple):
        return tuple(entry["path"])
    return ()


def _order(path: tuple[PathPart, ...]) -> tuple[Any, ...]:
    """A canonical order (weights, values, interactions, reservation), so that draws made in
    this order do not depend on how the file ordered its mappings."""
    if not path:
        return (len(_SECTION_ORDER), ())
    rest = tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path[1:])
    return (_SECTION_ORDER.get(str(path[0]), len(_SECTION_ORDER)), rest)
