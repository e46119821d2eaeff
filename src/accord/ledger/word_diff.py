"""What changed between two wordings of an article, word by word.

The comparison runs on words (runs of non-space characters), so that re-wrapping a line or
doubling a space is no change; each word keeps the spaces that follow it, so that the
pieces joined back give the text as written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_WORD_AND_SPACE = re.compile(r"\S+\s*")

Kind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class WordRun:
    """Consecutive words that are in both texts (``same``), or only in one of them."""

    kind: Kind
    text: str


def words(text: str) -> list[str]:
    """The words of ``text``, each with the spaces that follow it."""
    return _WORD_AND_SPACE.findall(text)


def word_diff(before: str, after: str) -> list[WordRun]:
    """Runs of kept, removed and added words turning ``before`` into ``after``.

    Joining the ``same`` and ``removed`` runs gives the words of ``before``, the ``same``
    and ``added`` runs those of ``after``; a replaced stretch is its removal, then its
    addition. Words are compared without their spaces (difflib's longest matching blocks,
    with no junk heuristic: a word repeated often is still a word).
    """
    old, new = words(before), words(after)
    matcher = difflib.SequenceMatcher(
        None, [word.rstrip() for word in old], [word.rstrip() for word in new], autojunk=False
    )
    runs: list[WordRun] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            runs.append(WordRun("same", "".join(new[new_start:new_end])))
            continue
        if old_end > old_start:
            runs.append(WordRun("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            runs.append(WordRun("added", "".join(new[new_start:new_end])))
    # The last word of one text has no space after it; where it is not the last run,
    # give it one, so that it does not run into the next run's first word.
    return [
        run
        if index == len(runs) - 1 or run.text[-1:].isspace()
        else WordRun(run.kind, run.text + " ")
        for index, run in enumerate(runs)
    ]
