"""A GENIUS profile file as Accord preferences, by the profile's ``type``.

``discount_factor`` is the discount (1 when outside ``(0, 1]`` or unreadable, as in
GENIUS), ``reservation`` the reservation value (absent: 0). Linear and ``UNCERTAIN``
profiles: :mod:`accord.formats.genius_linear`; ``nonlinear``:
:mod:`accord.formats.genius_nonlinear`; ``constraint``: :mod:`accord.formats.genius_constraints`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from accord.formats.genius_constraints import constraint_profile
from accord.formats.genius_domain import GeniusDomain
from accord.formats.genius_linear import additive_profile, linear_cap
from accord.formats.genius_nonlinear import nonlinear_profile
from accord.formats.genius_xml import GeniusXml, attribute_number


def profile_preferences(xml: GeniusXml, domain: GeniusDomain, notes: list[str]) -> dict[str, Any]:
    """A party's preferences (``cap: 1`` where GENIUS's cap at 1 can bind)."""
    space = xml.utility_space
    kind = (space.get("type") or "linear").strip().upper()
    if kind == "NONLINEAR":
        weights = None
        values, interactions, cap = nonlinear_profile(xml, domain, notes)
    elif kind in ("LINEAR", "UNCERTAIN"):
        weights, values = additive_profile(xml, domain)
        interactions, cap = [], linear_cap(xml, domain, weights, values, notes)
        if kind == "UNCERTAIN":
            notes.append(
                f"{xml.path.name} is a GENIUS preference-uncertainty profile (type "
                "UNCERTAIN: the agent is given only a ranking of "
                f"{(space.findtext('comparisons') or '?').strip()} bids); it is read here as "
                "the full linear profile it holds."
            )
    elif kind == "CONSTRAINT":
        weights, cap = None, None
        values, interactions = constraint_profile(xml, domain, notes)
    else:
        raise xml.error(
            space,
            f"profile type '{kind}' is not supported (linear, nonlinear, uncertain, constraint)",
        )
    # ConstraintUtilitySpace reads the first <discount_factor> and <reservation> of the
    # file's root only; the others read every level.
    setting = _first_setting if kind == "CONSTRAINT" else _last_setting
    discount = setting(xml, space, "discount_factor", 1.0)
    preferences = {
        "scale": "points",
        "weights": weights,
        "values": values,
        "interactions": interactions,
        "reservation": setting(xml, space, "reservation", 0.0),
        "cap": cap,
        "discount": discount if 0 < discount <= 1 else 1.0,
    }
    return preferences


def _last_setting(xml: GeniusXml, node: ET.Element, tag: str, default: float) -> float:
    """The ``value`` GENIUS ends with for ``<tag>``: it reads the first such child at every
    level, outermost first, and skips one without a ``value`` (SON's domain file has
    ``<discount_factor><value>1</value></discount_factor>``)."""
    value = default
    setting = node.find(tag)
    if setting is not None and setting.get("value") is not None:
        value = attribute_number(xml, setting, "value")
    for child in node:
        value = _last_setting(xml, child, tag, value)
    return value


def _first_setting(xml: GeniusXml, node: ET.Element, tag: str, default: float) -> float:
    """The ``value`` of the first ``<tag>`` directly in ``node`` (none, or no ``value``:
    ``default``)."""
    setting = node.find(tag)
    if setting is None or setting.get("value") is None:
        return default
    return attribute_number(xml, setting, "value")
