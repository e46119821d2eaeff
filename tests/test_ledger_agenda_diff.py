"""The agenda's changes in words: every kind of change is named, an equal agenda has none."""

from __future__ import annotations

from typing import Any

from accord.ledger.agenda_diff import agenda_changes


def _agenda() -> dict[str, Any]:
    return {
        "blocks": [{"id": "territory", "title": "Territory", "participants": None}],
        "issues": [
            {
                "id": "donbas",
                "number": 7,
                "title": "Donbas",
                "text": "",
                "block": "territory",
                "status_quo": "front-line",
                "options": [
                    {"id": "front-line", "label": "Front line", "text": ""},
                    {"id": "withdrawal", "label": "", "text": ""},
                ],
            },
            {"id": "amnesty", "title": "", "block": None, "options": [{"id": "full"}]},
        ],
    }


def test_an_equal_agenda_has_no_changes() -> None:
    assert agenda_changes(_agenda(), _agenda()) == []


def test_each_change_is_one_sentence_naming_the_point_by_number_and_title() -> None:
    new = _agenda()
    donbas, amnesty = new["issues"]
    donbas["options"].append({"id": "buffer", "label": "Buffer zone", "text": ""})
    donbas["options"][0]["text"] = "The line of contact holds."
    donbas["status_quo"] = None
    donbas["block"] = None
    new["issues"] = [amnesty, donbas]
    new["blocks"][0]["participants"] = ["ua", "ru"]
    new["issues"].append({"id": "sanctions", "number": 8, "title": "Sanctions", "options": []})
    assert agenda_changes(_agenda(), new) == [
        "block 'territory' is now negotiated by ua, ru",
        "point 8 (Sanctions) was added",
        "point 7 (Donbas) left its block",
        "point 7 (Donbas): its status quo is now none",
        "point 7 (Donbas): option 'front-line' (Front line) has a new wording",
        "point 7 (Donbas) gained an option 'buffer' (Buffer zone)",
        "the points were reordered",
    ]


def test_removals_and_renamings() -> None:
    new = _agenda()
    new["blocks"][0]["title"] = "Territorial questions"
    new["issues"][0]["options"].pop()
    new["issues"][0]["title"] = "The Donbas"
    new["issues"].pop()
    assert agenda_changes(_agenda(), new) == [
        "block 'territory' was renamed to 'Territorial questions'",
        "point 7 (The Donbas): its title changed",
        "point 7 (The Donbas) lost its option 'withdrawal'",
        "point amnesty was removed",
    ]
