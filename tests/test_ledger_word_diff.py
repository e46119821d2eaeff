"""Word-by-word differences between two wordings of an article."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.ledger.word_diff import WordRun, word_diff, words


def test_a_replaced_word_is_removed_then_added() -> None:
    assert word_diff("The cap is 600,000 troops.", "The cap is 800,000 troops.") == [
        WordRun("same", "The cap is "),
        WordRun("removed", "600,000 "),
        WordRun("added", "800,000 "),
        WordRun("same", "troops."),
    ]


def test_spacing_and_line_breaks_are_no_change() -> None:
    runs = word_diff("Ukraine  keeps\nits army.", "Ukraine keeps its army.")
    assert [run.kind for run in runs] == ["same"]


def test_cyrillic_words_are_compared_as_words() -> None:
    runs = word_diff("Україна зберігає армію.", "Україна зберігає свою армію.")
    assert runs == [
        WordRun("same", "Україна зберігає "),
        WordRun("added", "свою "),
        WordRun("same", "армію."),
    ]


def test_punctuation_is_not_part_of_the_word_before_it() -> None:
    assert word_diff("a zone.", "a zone under UN monitoring.") == [
        WordRun("same", "a zone "),
        WordRun("added", "under UN monitoring"),
        WordRun("same", "."),
    ]
    assert word_diff("a b.", "a.") == [
        WordRun("same", "a "),
        WordRun("removed", "b"),
        WordRun("same", "."),
    ]


def test_from_nothing_every_word_is_added() -> None:
    assert word_diff("", "New article.") == [WordRun("added", "New article.")]
    assert word_diff("Old article.", "") == [WordRun("removed", "Old article.")]


texts = st.lists(
    st.sampled_from(["a", "b", "zone", "Зона", "the", "\n", "  ", ".", ",", "ООН."]), max_size=30
).map(" ".join)


@given(texts, texts)
def test_the_runs_rebuild_both_texts_word_for_word(before: str, after: str) -> None:
    runs = word_diff(before, after)
    old = "".join(run.text for run in runs if run.kind != "added")
    new = "".join(run.text for run in runs if run.kind != "removed")
    assert [w.rstrip() for w in words(old)] == [w.rstrip() for w in words(before)]
    assert [w.rstrip() for w in words(new)] == [w.rstrip() for w in words(after)]
    if words(before) == words(after):
        assert all(run.kind == "same" for run in runs)
