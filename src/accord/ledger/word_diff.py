"""What changed between two wordings of an article, word by word.

The comparison runs on tokens — words, and runs of punctuation — so that re-wrapping a
line or doubling a space is no change and a full stop is not part of the word before it;
each token keeps the spaces that follow it, so that the pieces joined give the text back.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# A word may hold inner punctuation (600,000; don't; co-operation); other punctuation is a
# token of its own.
_TOKEN_AND_SPACE = re.compile(r"(?:\w+(?:[.,'’\-]\w+)*|[^\w\s]+)\s*")

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class WordRun:
    """Consecutive tokens that are in both texts (``same``), or only in one of them."""

    kind: Kind
    text: str


def words(text: str) -> list[str]:
    """The tokens of ``text`` (words and punctuation), each with the spaces that follow it."""
    return _TOKEN_AND_SPACE.findall(text)


def _spaced(tokens: list[str], end: int, side_length: int, spaced_elsewhere: bool) -> str:
    """The tokens joined; a space after the last one where the text ends there (or the other
    text has one there), so that it does not run into the next run's first word."""
    text = "".join(tokens)
    if text and not text[-1].isspace() and (end == side_length or spaced_elsewhere):
        text += " "
    return text


def word_diff(before: str, after: str) -> list[WordRun]:
    """Runs of kept, removed and added tokens turning ``before`` into ``after``.

    Joining the ``same`` and ``removed`` runs gives the tokens of ``before``, the ``same``
    and ``added`` runs those of ``after``; a replaced stretch is its removal, then its
    addition. Tokens are compared without their spaces (difflib's longest matching
    blocks, with no junk heuristic: a word repeated often is still a word). A ``same`` run
    is written as in ``after``.
    """
    old, new = words(before), words(after)
    matcher = difflib.SequenceMatcher(
        None, [token.rstrip() for token in old], [token.rstrip() for token in new], autojunk=False
    )
    runs: list[WordRun] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            old_spaced = old[old_end - 1][-1:].isspace()
            text = _spaced(new[new_start:new_end], new_end, len(new), old_spaced)
            runs.append(WordRun("same", text))
            continue
        if old_end > old_start:
            text = _spaced(old[old_start:old_end], old_end, len(old), False)
            runs.append(WordRun("removed", text))
        if new_end > new_start:
            text = _spaced(new[new_start:new_end], new_end, len(new), False)
            runs.append(WordRun("added", text))
    if runs:
        # Nothing follows the last run: it needs no separator.
        runs[-1] = WordRun(runs[-1].kind, runs[-1].text.rstrip())
    return runs
