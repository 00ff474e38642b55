"""The one parser of ids and enum values from query strings and JSON."""
import enum

import pytest
from werkzeug.datastructures import MultiDict

from eventhub.errors import ValidationFailed
from eventhub.params import MAX_DB_ID, enum_arg, id_arg, is_db_id


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


def test_the_largest_id_is_what_a_32_bit_column_holds():
    assert MAX_DB_ID == 2_147_483_647


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("42", 42), ("007", 7), (str(MAX_DB_ID), MAX_DB_ID),
    (str(MAX_DB_ID + 1), None), (str(2**63), None), ("99999999999999999999", None),
    ("0", None), ("-1", None), ("", None), ("abc", None), ("1.5", None), ("1e3", None), (None, None),
])
def test_id_arg(raw, expected):
    args = MultiDict() if raw is None else MultiDict([("id", raw)])
    assert id_arg(args, "id") == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1, True), (MAX_DB_ID, True), (MAX_DB_ID + 1, False), (2**63, False), (0, False), (-1, False),
    (True, False), (False, False), (1.0, False), ("1", False), (None, False), ([1], False),
])
def test_is_db_id(value, expected):
    assert is_db_id(value) is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("red", Colour.RED), ("blue", Colour.BLUE), (None, None), ("", None), ("RED", None), ("green", None),
])
def test_enum_arg_on_a_page_ignores_what_it_does_not_know(raw, expected):
    args = MultiDict() if raw is None else MultiDict([("colour", raw)])
    assert enum_arg(args, "colour", Colour) is expected


def test_enum_arg_gives_the_default_when_missing_empty_or_unknown():
    for args in (MultiDict(), MultiDict([("colour", "")]), MultiDict([("colour", "green")])):
        assert enum_arg(args, "colour", Colour, Colour.BLUE) is Colour.BLUE
    assert enum_arg(MultiDict([("colour", "red")]), "colour", Colour, Colour.BLUE) is Colour.RED


def test_a_strict_enum_arg_refuses_an_unknown_value_on_its_field(app):
    args = MultiDict([("colour", "green")])
    with app.test_request_context(), pytest.raises(ValidationFailed) as raised:
        enum_arg(args, "colour", Colour, strict=True)
    assert {k: [str(m) for m in v] for k, v in raised.value.fields.items()} == {"colour": ["Giá trị không hợp lệ."]}
    assert enum_arg(MultiDict([("colour", "")]), "colour", Colour, strict=True) is None
    assert enum_arg(MultiDict([("colour", "blue")]), "colour", Colour, strict=True) is Colour.BLUE
