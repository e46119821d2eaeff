"""The negotiation model: issues with options, blocks, parties, preferences, agreement rule.

Every model is frozen. Field-level checks (types, ranges) live here; checks that relate one
part of a scenario to another (unknown ids, weights that miss issues) live in
:mod:`accord.scenario.references`, so that each problem can be reported with its own path.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from accord.scenario import limits
from accord.scenario.distributions import UncertainParameter, lift_uncertain, reject_distribution

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1, max_length=80),
]
"""An id: letters, digits, ``_``, ``.`` and ``-``, starting with a letter or digit."""

Role = Literal["negotiator", "mediator", "observer"]
Scale = Literal["normalised", "points"]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


def _at_most(limit: int, noun: str) -> BeforeValidator:
    """Refuse a list or mapping longer than ``limit`` before validating its items."""

    def check(raw: Any) -> Any:
        if isinstance(raw, list | tuple | dict) and len(raw) > limit:
            raise ValueError(limits.at_most(limit, noun, len(raw)))
        return raw

    return BeforeValidator(check)


def _bounded_magnitude(value: float) -> float:
    if abs(value) > limits.MAX_MAGNITUDE:
        raise ValueError(
            f"expected a number between -{limits.MAX_MAGNITUDE:g} and {limits.MAX_MAGNITUDE:g} "
            "(a scenario limit)"
        )
    return value


def _uncertain_number_schema(minimum: float | None) -> WithJsonSchema:
    """A number, a range ``[low, high]`` or ``{mean, sd}`` (see :mod:`.distributions`)."""
    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number["minimum"] = minimum
    range_form = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    normal_form = {
        "type": "object",
        "properties": {"mean": {"type": "number"}, "sd": {"type": "number", "minimum": 0}},
        "required": ["mean", "sd"],
        "additionalProperties": False,
    }
    return WithJsonSchema({"anyOf": [number, range_form, normal_form]})


# Preference numbers that may be written as a distribution. By the time a field is
# validated, Preferences has put the nominal value in place of a well-formed distribution;
# one still here is malformed and the field's validator says what was expected.
# The constraints come before the validators so that pydantic checks them in its core,
# not in one more Python call per number (a 201-party file holds 200,000 numbers).
UncertainFloat = Annotated[
    float,
    Field(allow_inf_nan=False),
    BeforeValidator(reject_distribution),
    AfterValidator(_bounded_magnitude),
    _uncertain_number_schema(None),
]
UncertainWeight = Annotated[
    float,
    Field(ge=0, allow_inf_nan=False),
    BeforeValidator(reject_distribution),
    AfterValidator(_bounded_magnitude),
    _uncertain_number_schema(0),
]
# The options a term (interaction or red line) names: one option or a list, per issue.
TermOptions = Annotated[
    dict[
        Identifier,
        Identifier
        | Annotated[
            tuple[Identifier, ...], _at_most(limits.MAX_OPTIONS_PER_ISSUE, "options of an issue")
        ],
    ],
    Field(min_length=1),
    _at_most(limits.MAX_TERM_ISSUES, "issues in one term"),
]


class _Frozen(BaseModel):
    # Validators are built on first use: a scenario builds one for the whole tree, and the
    # nested models' own (never used by a command that only loads a scenario) wait.
    model_config = ConfigDict(
        frozen=True, extra="forbid", coerce_numbers_to_str=True, defer_build=True
    )


class Option(_Frozen):
    """One option of an issue; ``value`` is its number where it has one (a troop cap).

    ``text`` is the article's wording when this option is chosen: what a draft that
    picks it says on the point.
    """

    id: Identifier
    label: str = ""
    value: FiniteFloat | None = None
    text: str = ""


class Issue(_Frozen):
    """One point of the agenda, with its ordered options.

    ``status_quo`` names the option that holds when the point is not agreed; block and
    linkage analysis use it to hold the other blocks. ``number`` is the point's number in
    the plan (point 6), ``text`` the article's wording common to every option.
    """

    id: Identifier
    title: str = ""
    number: int | None = Field(default=None, ge=1, le=1_000_000)
    text: str = ""
    block: Identifier | None = None
    options: Annotated[
        tuple[Option, ...], _at_most(limits.MAX_OPTIONS_PER_ISSUE, "options in one issue")
    ] = Field(min_length=1)
    status_quo: Identifier | None = None


class Block(_Frozen):
    """A named group of issues negotiated together, optionally by a subset of parties."""

    id: Identifier
    title: str = ""
    participants: tuple[Identifier, ...] | None = None


class Interaction(_Frozen):
    """A bonus (or, if negative, a penalty) when options are chosen together.

    Each entry maps an issue to an option or a list of options; the term counts when, for
    every issue listed, the package picks one of the options listed for it (the same rule
    as a red line). Two single options make the classic pairwise interaction; several
    issues with ranges of options make a GENIUS hyper-rectangle.
    """

    options: TermOptions
    value: UncertainFloat
    label: str = ""


class RedLine(_Frozen):
    """Options (one, or a combination) a party can never accept.

    Each entry maps an issue to an option or a list of options; the red line is crossed
    when, for every issue listed, the package picks one of the options listed for it.
    """

    options: TermOptions
    label: str = ""


class Preferences(_Frozen):
    """One party's private valuation of packages.

    With ``scale: normalised`` (the default) weights are relative importances (they are
    divided by their sum), option values are in [0, 1] and divided by the issue's best
    value, and the result is divided once more so that the party's best package is worth
    exactly 1; the reservation value is on that scale. With ``scale: points`` every number
    is taken as written.

    ``cap`` is a ceiling on the utility, on the same scale: a package is worth the smaller
    of ``cap`` and the sum above. GENIUS caps every profile at 1 (its weights may sum to
    more), and :func:`accord.formats.genius.load_genius` writes ``cap: 1`` for that.

    A weight, option value, interaction value or reservation value may be written as a range
    ``[low, high]`` or a normal distribution ``{mean: M, sd: S}``: the field then holds its
    nominal value (midpoint, mean) and ``uncertain`` records the distribution.
    """

    scale: Scale = "normalised"
    weights: Annotated[
        dict[Identifier, UncertainWeight] | None, _at_most(limits.MAX_ISSUES, "weights")
    ] = None
    values: Annotated[
        dict[
            Identifier,
            Annotated[
                dict[Identifier, UncertainFloat],
                _at_most(limits.MAX_OPTIONS_PER_ISSUE, "option values for one issue"),
            ],
        ],
        _at_most(limits.MAX_ISSUES, "issues with values"),
    ] = Field(default_factory=dict)
    interactions: Annotated[
        tuple[Interaction, ...], _at_most(limits.MAX_INTERACTIONS, "interactions per party")
    ] = ()
    red_lines: Annotated[
        tuple[RedLine, ...], _at_most(limits.MAX_RED_LINES, "red lines per party")
    ] = ()
    reservation: UncertainFloat = 0.0
    cap: FiniteFloat | None = None
    """The utility ceiling: a package is worth ``min(cap, sum)`` (none: no ceiling)."""
    discount: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0
    """Per unit of normalised time, as in GENIUS: a deal at time t is worth U * discount**t."""
    uncertain: tuple[UncertainParameter, ...] = ()
    """The numbers given as distributions (filled in from the inline syntax)."""

    @model_validator(mode="before")
    @classmethod
    def _lift_uncertain(cls, data: Any) -> Any:
        return lift_uncertain(data)

    @model_validator(mode="after")
    def _cap_on_the_scale(self) -> Preferences:
        # On the normalised scale the best package is worth 1: a ceiling above 1 or below 0
        # is a mistake about the scale, not a preference.
        if self.cap is not None and self.scale == "normalised" and not 0.0 <= self.cap <= 1.0:
            raise ValueError(
                f"cap: expected a utility ceiling in [0, 1] on the normalised scale, got {self.cap}"
            )
        return self


class Party(_Frozen):
    """A participant. ``required`` defaults to true for negotiators, false otherwise."""

    id: Identifier
    name: str = ""
    role: Role = "negotiator"
    required: bool | None = None
    preferences: Preferences | None = None
    # The parties have granted this mediator their preferences: its strategy may read them.
    sees_preferences: bool = False

    @model_validator(mode="after")
    def _only_a_mediator_sees_preferences(self) -> Party:
        if self.sees_preferences and self.role != "mediator":
            raise ValueError(
                f"sees_preferences: only a mediator can be granted the parties' preferences, "
                f"and {self.id} is a {self.role}"
            )
        return self

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def consent_required(self) -> bool:
        return self.role == "negotiator" if self.required is None else self.required


class AgreementRule(_Frozen):
    """Who must accept a package.

    ``unanimity``: every voter accepts; voters default to the required parties (and veto
    parties). ``quorum``: at least ``min_parties`` of the voters accept, including every
    required and every veto party; voters default to the negotiators and the required
    parties.
    """

    kind: Literal["unanimity", "quorum"] = "unanimity"
    min_parties: Annotated[int, Field(ge=1)] | None = None
    voters: tuple[Identifier, ...] | None = None
    veto: tuple[Identifier, ...] = ()


class Scenario(_Frozen):
    """One negotiation: agenda, parties, their preferences and the agreement rule."""

    id: Identifier
    title: str = ""
    description: str = ""
    blocks: Annotated[tuple[Block, ...], _at_most(limits.MAX_BLOCKS, "blocks")] = ()
    issues: Annotated[tuple[Issue, ...], _at_most(limits.MAX_ISSUES, "issues")] = Field(
        min_length=1
    )
    parties: Annotated[tuple[Party, ...], _at_most(limits.MAX_PARTIES, "parties")] = Field(
        min_length=1
    )
    agreement: AgreementRule = AgreementRule()

    def digest(self) -> str:
        """A SHA-256 of the scenario's content: equal for equal scenarios, whatever file
        or order of keys they came from (caches and checkpoints are keyed by it)."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()

    def party(self, party_id: str) -> Party:
        for party in self.parties:
            if party.id == party_id:
                return party
        raise KeyError(party_id)

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    @property
    def required_party_ids(self) -> tuple[str, ...]:
        veto = set(self.agreement.veto)
        return tuple(p.id for p in self.parties if p.consent_required or p.id in veto)

    @property
    def voter_ids(self) -> tuple[str, ...]:
        """Parties whose acceptance the rule counts (and whose gains the solutions weigh).

        Named in the rule, or by default: under unanimity the required parties, under a
        quorum the negotiators and the required parties.
        """
        if self.agreement.voters is not None:
            return self.agreement.voters
        required = set(self.required_party_ids)
        if self.agreement.kind == "unanimity":
            return tuple(p.id for p in self.parties if p.id in required)
        return tuple(p.id for p in self.parties if p.role == "negotiator" or p.id in required)

    def with_required(self, party_ids: tuple[str, ...]) -> Scenario:
        """The same scenario with these parties' consent required (an observer takes a seat)."""
        parties = tuple(
            p.model_copy(update={"required": True}) if p.id in party_ids else p
            for p in self.parties
        )
        agreement = self.agreement
        if agreement.voters is not None:
            extra = tuple(pid for pid in party_ids if pid not in agreement.voters)
            agreement = agreement.model_copy(update={"voters": agreement.voters + extra})
        # Validate again from plain data: a copy skips both field and reference checks.
        from accord.scenario.loader import validate_data

        data = self.model_copy(update={"parties": parties, "agreement": agreement})
        return validate_data(data.model_dump(), f"scenario '{self.id}'")
