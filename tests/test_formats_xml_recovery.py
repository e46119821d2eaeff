"""The lenient XML reader: strict when it can be, each GENIUS-style repair said with its line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.formats.xml_recovery import parse_xml

HERE = Path("fixture.xml")


def test_valid_xml_is_parsed_strictly_without_repairs() -> None:
    parsed = parse_xml(HERE, b'<a x="AT &amp; T">\n  <b y="1" z="2"/>\n</a>')
    assert parsed.repairs == ()
    assert parsed.root.get("x") == "AT & T"
    (child,) = parsed.root
    assert parsed.positions[child] == (2, 3)


def test_each_repair_is_said_in_line_order() -> None:
    data = '<a x="1"y="2">\n<b v="R&D" w="a &amp; b"/>\n<c v="5 €"/></a>'.encode("cp1252")
    parsed = parse_xml(HERE, data)
    assert parsed.root.get("y") == "2"
    b, c = parsed.root
    assert (b.get("v"), b.get("w"), c.get("v")) == ("R&D", "a & b", "5 €")
    assert [(p.line, p.column, p.message.split(";")[0]) for p in parsed.repairs] == [
        (1, 9, "repaired: no space between two attributes"),
        (
            2,
            8,
            "repaired: an '&' that starts no entity reference is read as the character '&' "
            "(GENIUS keeps it as written",
        ),
        (
            3,
            9,
            "repaired: byte 0x80 is not UTF-8 and the file declares no encoding: the line "
            "is read as Windows-1252 ('€'), as GENIUS's reader does on Windows",
        ),
    ]
    assert positions_are_lines(parsed.positions, {"a": 1, "b": 2, "c": 3})


def positions_are_lines(positions: dict, lines: dict[str, int]) -> bool:
    return all(
        positions_line == lines[element.tag] for element, (positions_line, _) in positions.items()
    )


def test_a_declared_utf8_that_is_not_says_so() -> None:
    parsed = parse_xml(HERE, '<?xml version="1.0" encoding="UTF-8"?>\n<a v="€"/>'.encode("cp1252"))
    assert parsed.root.get("v") == "€"
    (repair,) = parsed.repairs
    assert repair.line == 2 and "the file declares UTF-8" in repair.message


def test_another_declared_encoding_is_expat_s() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a v="é"/>'.encode("latin-1")
    parsed = parse_xml(HERE, data)
    assert parsed.root.get("v") == "é" and parsed.repairs == ()


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [(b"<a>\n<b></a>", 2, 6), (b'<a v="1" v="2"/>', 1, 10), (b"<a>\n<b x=1/></a>", 2, 6)],
)
def test_what_no_repair_explains_is_an_error_with_its_place(
    data: bytes, line: int, column: int
) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_xml(HERE, data)
    (problem,) = caught.value.problems
    assert problem.message.startswith("malformed XML")
    assert (problem.source, problem.line, problem.column) == (str(HERE), line, column)


ATTRIBUTE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12
)


@given(st.lists(ATTRIBUTE_TEXT, min_size=1, max_size=5))
def test_well_formed_xml_is_never_repaired(values: list[str]) -> None:
    root = ET.Element("issue")
    for value in values:
        ET.SubElement(root, "item", value=value)
    parsed = parse_xml(HERE, ET.tostring(root, encoding="utf-8"))
    assert parsed.repairs == ()
    assert [item.get("value") for item in parsed.root] == values


@given(st.lists(st.sampled_from(["AT & T", "R&D", "a &b", "&", "x&&y", "5 € & 6"]), min_size=1))
def test_every_bare_ampersand_is_read_as_written_and_said(values: list[str]) -> None:
    lines = "".join(f'<item value="{value}"/>\n' for value in values)
    parsed = parse_xml(HERE, f"<issue>\n{lines}</issue>".encode())
    assert [item.get("value") for item in parsed.root] == values
    ampersands = [line for line, value in enumerate(values, 2) for _ in range(value.count("&"))]
    assert [problem.line for problem in parsed.repairs] == ampersands
