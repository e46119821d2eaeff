"""How far the parties' preferences on each issue diverge.

For each voter, an issue's option values are rescaled to [0, 1] (its worst option 0, its
best 1; an indifferent voter rates every option 1). The issue's opposition is
``min over options of max over voters of (1 - rescaled value)``: 0 when one option is every
voter's favourite, 1 when every option is some voter's worst. It reads the linear terms
only; interaction terms are not attributed to single issues.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.space import FloatArray


def issue_opposition(compiled: CompiledScenario) -> FloatArray:
    """``(I,)`` opposition of each issue among the voters."""
    space = compiled.space
    voters = compiled.voter_indices
    result = np.zeros(space.issue_count)
    for issue, (start, count) in enumerate(zip(space.offsets, space.option_counts, strict=True)):
        values = compiled.linear[voters, start : start + count]
        low = values.min(axis=1, keepdims=True)
        span = values.max(axis=1, keepdims=True) - low
        rescaled = np.where(span > 1e-12, (values - low) / np.where(span > 0, span, 1.0), 1.0)
        result[issue] = float((1.0 - rescaled).max(axis=0).min())
    return result
