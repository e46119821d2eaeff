"""Loading scenario files: every error names the file, line, column and field.

Each case edits one line of :data:`PLAN` (line numbers below) so that the expected
position can be read off the text: columns are 1-based, counted from the line's start.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from accord.errors import ScenarioError
from accord.scenario.loader import load_scenario, parse_scenario

PLAN = """\
id: plan
issues:
  - id: a
    options: [{id: a1}, {id: a2}]
  - id: b
    options: [{id: b1}, {id: b2}]
parties:
  - id: ua
    preferences:
      weights: {a: 1, b: 2}
      values: {a: {a1: 1, a2: 0}, b: {b1: 0, b2: 1}}
  - id: ru
    preferences:
      values: {a: {a1: 0, a2: 1}, b: {b1: 1, b2: 0}}
"""
# Line 10, "      weights: {a: 1, b: 2}": '{' at 16, 'a' at 17, '1' at 20, 'b' at 23.
# Line 11, "      values: {a: {a1: 1, a2: 0}, b: ...": '{' at 15, 'a' at 16, its '{' at 19,
# 'a1' at 20, '1' at 24, 'a2' at 27, '0' at 31, 'b' at 35.
# Line 14 is line 11 shifted by nothing: the same columns.

RU_PREFERENCES = "    preferences:\n      values: {a: {a1: 0, a2: 1}"


def edited(old: str, new: str, text: str = PLAN) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def with_ru(lines: str) -> str:
    """The plan with ``lines`` added to ru's preferences, from line 14 on."""
    return edited(RU_PREFERENCES, "    preferences:\n" + lines + "      values: {a: {a1: 0, a2: 1}")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in ``tmp_path`` so that problems name files as written: ``plan.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems(here: Path, text: str, name: str = "plan.yaml") -> list[str]:
    (here / name).write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    rendered = [problem.render() for problem in caught.value.problems]
    assert str(caught.value) == "\n".join(rendered)
    return rendered


# Files that load.


def test_the_plan_loads(here: Path) -> None:
    (here / "plan.yaml").write_text(PLAN)
    scenario = load_scenario("plan.yaml")
    assert scenario.id == "plan"
    assert [issue.id for issue in scenario.issues] == ["a", "b"]
    assert scenario.voter_ids == ("ua", "ru")


def test_json_and_yaml_load_the_same_scenario(here: Path) -> None:
    data = yaml.safe_load(PLAN)
    (here / "plan.yaml").write_text(PLAN)
    (here / "plan.json").write_text(json.dumps(data, indent=2))
    assert load_scenario("plan.json") == load_scenario("plan.yaml")


def test_a_file_with_a_byte_order_mark_loads(here: Path) -> None:
    data = yaml.safe_load(PLAN)
    (here / "plan.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    (here / "plan.yaml").write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    assert load_scenario("plan.json") == load_scenario("plan.yaml")


def test_parse_scenario_reads_text(here: Path) -> None:
    assert parse_scenario(PLAN).id == "plan"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(edited("{a: 1, b: 2}", "{a: 1, b9: 2}"))
    assert caught.value.problems[0].render().startswith("<input>:10:23: ")


# Files that cannot be read or parsed.


def test_missing_file(here: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("nowhere.yaml")
    assert str(caught.value) == "nowhere.yaml: no such file"


def test_folder(here: Path) -> None:
    (here / "plans").mkdir()
    with pytest.raises(ScenarioError) as caught:
        load_scenario("plans")
    assert str(caught.value) == "plans: is a folder, expected a scenario file"


def test_file_that_is_not_utf8(here: Path) -> None:
    (here / "plan.yaml").write_bytes(b"id: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario("plan.yaml")
    assert str(caught.value) == "plan.yaml: not UTF-8 text (invalid continuation byte)"


def test_empty_file(here: Path) -> None:
    assert problems(here, "") == [
        "plan.yaml: expected a mapping of scenario fields, got an empty file"
    ]
    assert problems(here, "# nothing yet\n") == [
        "plan.yaml: expected a mapping of scenario fields, got an empty file"
    ]


def test_top_level_list(here: Path) -> None:
    assert problems(here, "- id: plan\n") == [
        "plan.yaml:1:1: expected a mapping of scenario fields, got list"
    ]
    assert problems(here, "[1, 2]", "plan.json") == [
        "plan.json:1:1: expected a mapping of scenario fields, got list"
    ]


def test_invalid_yaml(here: Path) -> None:
    # The flow sequence on line 4 is not closed; PyYAML notices at the '-' of line 5.
    unclosed = edited("[{id: a1}, {id: a2}]", "[{id: a1}, {id: a2}")
    assert problems(here, unclosed) == [
        "plan.yaml:5:3: invalid YAML: expected ',' or ']', but got '-'"
    ]
    assert problems(here, edited("id: plan", "id: plan: b")) == [
        "plan.yaml:1:9: invalid YAML: mapping values are not allowed here"
    ]
    assert problems(here, edited("  - id: ru", "\t- id: ru")) == [
        "plan.yaml:12:1: invalid YAML: found character '\\t' that cannot start any token"
    ]


def test_invalid_json(here: Path) -> None:
    assert problems(here, '{"id": "plan",\n  "issues": [}\n', "plan.json") == [
        "plan.json:2:14: invalid JSON: Expecting value"
    ]
    assert problems(here, '{"id": "plan",}', "plan.json") == [
        "plan.json:1:15: invalid JSON: Expecting property name enclosed in double quotes"
    ]
    assert problems(here, "", "plan.json") == ["plan.json:1:1: invalid JSON: Expecting value"]


def test_json_problems_are_located(here: Path) -> None:
    text = (
        '{\n\t"id": "plan",\n\t"issues": [{"id": "a", "options": [{"id": "a1"}]}],\n'
        '\t"parties": [{"id": "x", "colour": 1}]\n}\n'
    )
    # Tabs indent the JSON (YAML would reject them); 'colour' is at column 26 of line 4
    # counting the tab as one character, as json does.
    assert problems(here, text, "plan.json") == [
        "plan.json:4:26: parties.x: unknown field 'colour'"
    ]


def test_duplicate_keys(here: Path) -> None:
    assert problems(here, edited("id: plan\n", "id: plan\nid: other\n")) == [
        "plan.yaml:2:1: duplicate key 'id'"
    ]
    assert problems(here, edited("{a: 1, b: 2}", "{a: 1, b: 2, a: 3}")) == [
        "plan.yaml:10:29: parties.ua.preferences.weights: duplicate key 'a'"
    ]
    assert problems(here, '{"id": "plan", "id": "x"}', "plan.json") == [
        "plan.json:1:16: duplicate key 'id'"
    ]


# Fields: unknown, missing, of the wrong type.


def test_unknown_field(here: Path) -> None:
    assert problems(here, edited("  - id: b\n", "  - id: b\n    colour: red\n")) == [
        "plan.yaml:6:5: issues.b: unknown field 'colour'"
    ]
    assert problems(here, PLAN + "colour: red\n") == ["plan.yaml:15:1: unknown field 'colour'"]


def test_missing_field(here: Path) -> None:
    assert problems(here, edited("id: plan\n", "")) == [
        "plan.yaml:1:1: missing required field 'id'"
    ]
    # The issue that lacks options is reported where it starts: at its 'id' on line 5.
    without_options = edited("  - id: b\n    options: [{id: b1}, {id: b2}]\n", "  - id: b\n")
    assert problems(here, without_options) == [
        "plan.yaml:5:5: issues.b: missing required field 'options'"
    ]
    # A party without an id is named by its position in the list.
    assert problems(here, edited("  - id: ru\n", "  - name: Russia\n")) == [
        "plan.yaml:12:5: parties.1: missing required field 'id'"
    ]


def test_wrong_type(here: Path) -> None:
    assert problems(here, with_ru("      reservation: high\n")) == [
        "plan.yaml:14:20: parties.ru.preferences.reservation: Input should be a valid number, "
        "unable to parse string as a number (got 'high')"
    ]
    assert problems(here, edited("  - id: ru\n", "  - id: ru\n    role: king\n")) == [
        "plan.yaml:13:11: parties.ru.role: Input should be 'negotiator', 'mediator' or "
        "'observer' (got 'king')"
    ]
    assert problems(here, edited("{a: 1, b: 2}", "{a: -1, b: 2}")) == [
        "plan.yaml:10:20: parties.ua.preferences.weights.a: Input should be greater than or "
        "equal to 0 (got -1)"
    ]
    assert problems(here, edited("a2: 0}, b: {b1: 0", "a2: .inf}, b: {b1: 0")) == [
        "plan.yaml:11:31: parties.ua.preferences.values.a.a2: Input should be a finite number "
        "(got inf)"
    ]


def test_wrong_type_in_a_red_line_is_reported_at_the_option(here: Path) -> None:
    # An option (or list of options) is a union: pydantic tags each member's error, and
    # the tags must not show in the path.
    text = with_ru("      red_lines:\n        - options: {a: {x: 1}}\n")
    assert problems(here, text) == [
        "plan.yaml:15:24: parties.ru.preferences.red_lines.0.options.a: Input should be a "
        "valid string (got {'x': 1})",
        "plan.yaml:15:24: parties.ru.preferences.red_lines.0.options.a: Input should be a "
        "valid tuple (got {'x': 1})",
    ]


def test_empty_options_list(here: Path) -> None:
    assert problems(here, edited("[{id: a1}, {id: a2}]", "[]")) == [
        "plan.yaml:4:14: issues.a.options: Tuple should have at least 1 item after "
        "validation, not 0 (got [])"
    ]


def test_a_failing_item_is_not_also_reported_as_a_missing_item(here: Path) -> None:
    # The only issue's only option is invalid: one problem, not also 'no options'.
    text = "id: plan\nissues:\n  - id: a\n    options: [{id: 'a 1'}]\nparties: []\n"
    assert problems(here, text) == [
        "plan.yaml:4:20: issues.a.options.a 1.id: String should match pattern "
        "'^[A-Za-z0-9][A-Za-z0-9_.\\-]*$' (got 'a 1')",
        "plan.yaml:5:10: parties: Tuple should have at least 1 item after validation, "
        "not 0 (got [])",
    ]


# Preferences that refer to the agenda.


def test_unknown_issue_in_weights(here: Path) -> None:
    assert problems(here, edited("{a: 1, b: 2}", "{a: 1, b9: 2}")) == [
        "plan.yaml:10:23: parties.ua.preferences.weights: unknown issue 'b9'",
        "plan.yaml:10:16: parties.ua.preferences.weights: no weight for issue(s) 'b': "
        "give every issue a weight (0 allowed)",
    ]


def test_weights_missing_issues(here: Path) -> None:
    assert problems(here, edited("{a: 1, b: 2}", "{a: 1}")) == [
        "plan.yaml:10:16: parties.ua.preferences.weights: no weight for issue(s) 'b': "
        "give every issue a weight (0 allowed)"
    ]


def test_all_weights_zero(here: Path) -> None:
    assert problems(here, edited("{a: 1, b: 2}", "{a: 0, b: 0}")) == [
        "plan.yaml:10:16: parties.ua.preferences.weights: expected at least one positive weight"
    ]


def test_value_out_of_range_on_the_normalised_scale(here: Path) -> None:
    assert problems(here, edited("{a1: 1, a2: 0}", "{a1: 1.5, a2: 0}")) == [
        "plan.yaml:11:24: parties.ua.preferences.values.a.a1: expected a value in [0, 1] on "
        "the normalised scale, got 1.5"
    ]
    # On the points scale the same number is fine.
    points = edited("      weights: {a: 1", "      scale: points\n      weights: {a: 1")
    (here / "plan.yaml").write_text(edited("{a1: 1, a2: 0}", "{a1: 15, a2: -3}", points))
    assert load_scenario("plan.yaml").parties[0].preferences is not None


def test_reservation_out_of_range(here: Path) -> None:
    assert problems(here, with_ru("      reservation: 1.2\n")) == [
        "plan.yaml:14:20: parties.ru.preferences.reservation: expected a reservation value "
        "in [0, 1] on the normalised scale, got 1.2"
    ]


def test_unknown_option_in_values(here: Path) -> None:
    assert problems(here, edited("{a1: 1, a2: 0}", "{a1: 1, a2: 0, a9: 1}")) == [
        "plan.yaml:11:34: parties.ua.preferences.values.a: unknown option 'a9' of issue 'a'"
    ]
    assert problems(here, edited("b: {b1: 0, b2: 1}", "c: {c1: 0}")) == [
        "plan.yaml:11:35: parties.ua.preferences.values: unknown issue 'c'",
        "plan.yaml:11:15: parties.ua.preferences.values: no values for issue 'b' "
        "(its weight is 2.0)",
    ]


def test_missing_option_values(here: Path) -> None:
    assert problems(here, edited("{a1: 1, a2: 0}, b: {b1: 0, b2: 1}", "{a1: 1}")) == [
        "plan.yaml:11:19: parties.ua.preferences.values.a: no value for option(s) 'a2' of "
        "issue 'a'",
        "plan.yaml:11:15: parties.ua.preferences.values: no values for issue 'b' "
        "(its weight is 2.0)",
    ]


def test_an_issue_of_weight_zero_needs_no_values(here: Path) -> None:
    text = edited("{a: 1, b: 2}", "{a: 1, b: 0}")
    (here / "plan.yaml").write_text(edited(", b: {b1: 0, b2: 1}}", "}", text))
    assert load_scenario("plan.yaml").id == "plan"


# Interactions and red lines.


def test_interaction_with_no_options(here: Path) -> None:
    text = with_ru("      interactions:\n        - options: {}\n          value: 0.2\n")
    assert problems(here, text) == [
        "plan.yaml:15:20: parties.ru.preferences.interactions.0.options: Dictionary should "
        "have at least 1 item after validation, not 0 (got {})"
    ]


def test_interaction_of_three_issues_needs_a_value(here: Path) -> None:
    text = with_ru("      interactions:\n        - options: {a: a1, b: [b1, b2], c: c1}\n")
    assert problems(here, text) == [
        "plan.yaml:15:11: parties.ru.preferences.interactions.0: missing required field 'value'",
    ]


def test_interaction_with_unknown_options(here: Path) -> None:
    # Line 15: "        - options: {a: a9, b: b1}": 'a9' at 24; "{a: a1, c: c1}": 'c' at 28.
    text = with_ru(
        "      interactions:\n"
        "        - options: {a: a9, b: b1}\n          value: 0.2\n"
        "        - options: {a: a1, c: c1}\n          value: -2\n"
    )
    assert problems(here, text) == [
        "plan.yaml:15:24: parties.ru.preferences.interactions.0.options.a: unknown option "
        "'a9' of issue 'a' (options: 'a1', 'a2')",
        "plan.yaml:17:28: parties.ru.preferences.interactions.1.options: unknown issue 'c'",
        "plan.yaml:18:18: parties.ru.preferences.interactions.1.value: expected a value in "
        "[-1, 1] on the normalised scale, got -2.0",
    ]


def test_red_lines_naming_unknown_issues_or_options(here: Path) -> None:
    # Line 17: "        - options: {a: [a1, a9], b: []}": 'a9' at 29, '[]' at 37.
    text = with_ru(
        "      red_lines:\n"
        "        - options: {c: c1}\n"
        "        - options: {a: a9}\n"
        "        - options: {a: [a1, a9], b: []}\n"
    )
    assert problems(here, text) == [
        "plan.yaml:15:21: parties.ru.preferences.red_lines.0.options: unknown issue 'c'",
        "plan.yaml:16:24: parties.ru.preferences.red_lines.1.options.a: unknown option 'a9' "
        "of issue 'a' (options: 'a1', 'a2')",
        "plan.yaml:17:29: parties.ru.preferences.red_lines.2.options.a.1: unknown option "
        "'a9' of issue 'a' (options: 'a1', 'a2')",
        "plan.yaml:17:37: parties.ru.preferences.red_lines.2.options.b: expected at least "
        "one option",
    ]


# The agenda.


def test_unknown_block(here: Path) -> None:
    assert problems(here, edited("  - id: b\n", "  - id: b\n    block: x9\n")) == [
        "plan.yaml:6:12: issues.b.block: unknown block 'x9' (blocks: none declared)"
    ]
    text = "blocks:\n  - id: sec\n" + edited("  - id: b\n", "  - id: b\n    block: x9\n")
    assert problems(here, text) == [
        "plan.yaml:8:12: issues.b.block: unknown block 'x9' (blocks: 'sec')",
        "plan.yaml:2:9: blocks.sec.id: block 'sec' has no issues",
    ]


def test_unknown_status_quo(here: Path) -> None:
    assert problems(here, edited("  - id: b\n", "  - id: b\n    status_quo: b3\n")) == [
        "plan.yaml:6:17: issues.b.status_quo: unknown option 'b3' (options: 'b1', 'b2')"
    ]


def test_duplicate_issue_id(here: Path) -> None:
    # The second issue 'a' (line 5) is reported; the preferences are checked against the
    # first, so 'b' is now unknown to them but 'a1' and 'a2' are not.
    assert problems(here, edited("  - id: b\n", "  - id: a\n")) == [
        "plan.yaml:5:9: issues.a.id: duplicate issue id 'a'",
        "plan.yaml:10:23: parties.ua.preferences.weights: unknown issue 'b'",
        "plan.yaml:11:35: parties.ua.preferences.values: unknown issue 'b'",
        "plan.yaml:14:35: parties.ru.preferences.values: unknown issue 'b'",
    ]


def test_duplicate_option_id(here: Path) -> None:
    text = edited("[{id: a1}, {id: a2}]", "[{id: a1}, {id: a1}]")
    assert problems(here, text) == [
        "plan.yaml:4:30: issues.a.options.a1.id: duplicate option id 'a1'",
        "plan.yaml:11:27: parties.ua.preferences.values.a: unknown option 'a2' of issue 'a'",
        "plan.yaml:14:27: parties.ru.preferences.values.a: unknown option 'a2' of issue 'a'",
    ]


def test_duplicate_party_id(here: Path) -> None:
    assert problems(here, edited("  - id: ru\n", "  - id: ua\n")) == [
        "plan.yaml:12:9: parties.ua.id: duplicate party id 'ua'"
    ]


def test_duplicate_block_id(here: Path) -> None:
    text = "blocks:\n  - id: sec\n  - id: sec\n" + edited(
        "  - id: b\n", "  - id: b\n    block: sec\n"
    )
    assert problems(here, text) == ["plan.yaml:3:9: blocks.sec.id: duplicate block id 'sec'"]


def test_block_with_unknown_participant(here: Path) -> None:
    text = "blocks:\n  - id: sec\n    participants: [ua, xx]\n" + edited(
        "  - id: b\n", "  - id: b\n    block: sec\n"
    )
    assert problems(here, text) == ["plan.yaml:3:24: blocks.sec.participants.1: unknown party 'xx'"]


# The agreement rule.


def test_rule_naming_unknown_parties(here: Path) -> None:
    text = PLAN + "agreement:\n  voters: [ua, ru, zz]\n  veto: [yy]\n"
    assert problems(here, text) == [
        "plan.yaml:16:20: agreement.voters.2: unknown party 'zz'",
        "plan.yaml:17:10: agreement.veto.0: unknown party 'yy'",
    ]


def test_quorum_without_min_parties(here: Path) -> None:
    assert problems(here, PLAN + "agreement:\n  kind: quorum\n") == [
        "plan.yaml:16:3: agreement: a quorum rule needs 'min_parties'"
    ]


def test_min_parties_larger_than_the_voters(here: Path) -> None:
    assert problems(here, PLAN + "agreement:\n  kind: quorum\n  min_parties: 3\n") == [
        "plan.yaml:17:16: agreement.min_parties: no set of parties can satisfy this rule: "
        "it needs 3 parties but only 2 vote ('ua', 'ru')"
    ]


def test_min_parties_under_unanimity(here: Path) -> None:
    assert problems(here, PLAN + "agreement:\n  min_parties: 1\n") == [
        "plan.yaml:16:16: agreement.min_parties: 'min_parties' applies only to kind: quorum"
    ]


def test_required_party_outside_the_voters(here: Path) -> None:
    assert problems(here, PLAN + "agreement:\n  voters: [ua]\n") == [
        "plan.yaml:16:11: agreement.voters: required or veto parties 'ru' must be voters"
    ]


def test_voter_without_preferences(here: Path) -> None:
    assert problems(here, PLAN + "  - id: us\n    name: United States\n") == [
        "plan.yaml:15:5: parties.us: preferences are required: this party's consent counts "
        "in the agreement rule"
    ]
    required_observer = PLAN + "  - id: eu\n    role: observer\n    required: true\n"
    assert problems(here, required_observer) == [
        "plan.yaml:15:5: parties.eu: preferences are required: this party's consent counts "
        "in the agreement rule"
    ]


def test_observer_without_preferences_is_fine(here: Path) -> None:
    (here / "plan.yaml").write_text(PLAN + "  - id: eu\n    role: observer\n")
    scenario = load_scenario("plan.yaml")
    assert scenario.voter_ids == ("ua", "ru")


# Several problems at once.


def test_every_field_problem_is_listed(here: Path) -> None:
    text = edited("id: plan", "id: 'my plan'")
    text = edited("  - id: ru\n", "  - id: ru\n    role: king\n", text)
    text = edited("  - id: b\n", "  - id: b\n    colour: red\n", text)
    assert problems(here, text) == [
        "plan.yaml:1:5: id: String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.\\-]*$' "
        "(got 'my plan')",
        "plan.yaml:6:5: issues.b: unknown field 'colour'",
        "plan.yaml:14:11: parties.ru.role: Input should be 'negotiator', 'mediator' or "
        "'observer' (got 'king')",
    ]


def test_every_reference_problem_is_listed(here: Path) -> None:
    text = edited("{a: 1, b: 2}", "{a: 1, b9: 2}")
    text = edited("{a1: 0, a2: 1}", "{a1: 0, a2: 1, a7: 0}", text)
    text = edited("  - id: b\n", "  - id: b\n    status_quo: b3\n", text)
    text += "agreement:\n  kind: quorum\n  veto: [zz]\n"
    assert problems(here, text) == [
        "plan.yaml:6:17: issues.b.status_quo: unknown option 'b3' (options: 'b1', 'b2')",
        "plan.yaml:11:23: parties.ua.preferences.weights: unknown issue 'b9'",
        "plan.yaml:11:16: parties.ua.preferences.weights: no weight for issue(s) 'b': "
        "give every issue a weight (0 allowed)",
        "plan.yaml:15:34: parties.ru.preferences.values.a: unknown option 'a7' of issue 'a'",
        "plan.yaml:18:10: agreement.veto.0: unknown party 'zz'",
        "plan.yaml:17:3: agreement: a quorum rule needs 'min_parties'",
    ]


def test_yaml_1_1_words_stay_strings(tmp_path: Path) -> None:
    """``no``/``yes``/``on``/``off`` are option ids, not booleans; ``010`` is ten."""
    path = tmp_path / "words.yaml"
    path.write_text(
        "id: words\n"
        "issues:\n"
        "  - {id: ceasefire, options: [{id: yes}, {id: no}, {id: on}, {id: off}]}\n"
        "  - {id: cap, options: [{id: '010', value: 010}]}\n"
        "parties:\n"
        "  - id: p\n"
        "    preferences:\n"
        "      values: {ceasefire: {yes: 1, no: 0, on: 0.5, off: 0.2}, cap: {'010': 1}}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert [o.id for o in scenario.issues[0].options] == ["yes", "no", "on", "off"]
    assert scenario.issues[1].options[0].id == "010"
    assert scenario.issues[1].options[0].value == 10


# Input that would be expensive to read: bounded, each refused in one located line.


BILLION_LAUGHS = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def test_alias_expansion_is_bounded(here: Path) -> None:
    assert len(BILLION_LAUGHS.encode()) < 500
    # The list of line 5 ("e: &e [*d, ...]", from its anchor on) is where the expansion
    # passes 10,000 values.
    assert problems(here, BILLION_LAUGHS) == [
        "plan.yaml:5:4: aliases expand to more than 10,000 values (a scenario limit): "
        "write the values out"
    ]


def test_a_few_aliases_are_fine(here: Path) -> None:
    text = edited("    preferences:\n      weights", "    preferences: &ua\n      weights")
    text = edited(RU_PREFERENCES + ", b: {b1: 1, b2: 0}}\n", "    preferences: *ua\n", text)
    (here / "plan.yaml").write_text(text)
    scenario = load_scenario("plan.yaml")
    assert scenario.parties[0].preferences == scenario.parties[1].preferences


def test_an_alias_inside_its_own_anchor_is_refused(here: Path) -> None:
    assert problems(here, "title: &t [*t]\n") == [
        "plan.yaml:1:8: an alias refers to a list or mapping that contains it (nesting without end)"
    ]


@pytest.mark.parametrize("depth", [40, 5_000, 200_000])
def test_deep_yaml_is_refused(here: Path, depth: int) -> None:
    # "id: " then brackets: the 33rd collection opens at column 4 + 32 = 36.
    text = "id: " + "[" * depth + "]" * depth + "\n"
    assert problems(here, text) == [
        "plan.yaml:1:36: nested deeper than 32 levels (a scenario limit)"
    ]


def test_deep_block_yaml_is_refused(here: Path) -> None:
    text = "id: x\nissues:\n" + "".join("  " * i + "-\n" for i in range(1, 60))
    # Line 3 holds the second collection (the first is the file's mapping).
    assert problems(here, text) == [
        "plan.yaml:34:65: nested deeper than 32 levels (a scenario limit)"
    ]


@pytest.mark.parametrize("depth", [40, 5_000, 200_000])
def test_deep_json_is_refused(here: Path, depth: int) -> None:
    # '{"id": ' then brackets: the 33rd collection (32nd bracket) opens at column 39.
    text = '{"id": ' + "[" * depth + "]" * depth + "}"
    assert problems(here, text, "plan.json") == [
        "plan.json:1:39: nested deeper than 32 levels (a scenario limit)"
    ]


def test_point_numbers_and_article_text_load(here: Path) -> None:
    text = edited("  - id: a\n", "  - id: a\n    number: 6\n    text: The parties agree\n")
    text = edited(
        "options: [{id: a1}, {id: a2}]", "options: [{id: a1, text: to a1.}, {id: a2}]", text
    )
    (here / "plan.yaml").write_text(text, encoding="utf-8")
    issue = load_scenario("plan.yaml").issues[0]
    assert (issue.number, issue.text, issue.options[0].text) == (6, "The parties agree", "to a1.")


def test_duplicate_point_numbers(here: Path) -> None:
    text = edited("  - id: a\n", "  - id: a\n    number: 6\n")
    text = edited("  - id: b\n", "  - id: b\n    number: 6\n", text)
    assert problems(here, text) == ["plan.yaml:7:13: issues.b.number: duplicate point number 6"]


def test_point_number_must_be_positive(here: Path) -> None:
    text = edited("  - id: a\n", "  - id: a\n    number: 0\n")
    assert problems(here, text) == [
        "plan.yaml:4:13: issues.a.number: Input should be greater than or equal to 1 (got 0)"
    ]
