"""The JSON→form validator, proven once for every kind of field and every odd JSON value: each row states whether
the value is accepted (and the exact data the form then holds) or refused (and with which field message). The
endpoints' own bad-input tables only send what reaches their own rules."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    FileField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired

from eventhub.errors import ValidationFailed
from eventhub.forms import (
    BaseForm,
    LocalDateField,
    LocalDateTimeField,
    _json_items,
    choices,
    field_schema,
    form_from_json,
)


class EveryKind(BaseForm):
    """One optional field of each kind the forms use; choices are not checked, so only the JSON types decide."""
    text = StringField()
    long_text = TextAreaField()
    email = EmailField()
    at = LocalDateTimeField()
    day = LocalDateField()
    flag = BooleanField()
    count = IntegerField()
    amount = FloatField()
    price = DecimalField()
    colour = SelectField(choices=[], validate_choice=False)
    room_id = SelectField(coerce=int, choices=[], validate_choice=False)
    zone_id = SelectField(coerce=lambda v: int(v) if v not in (None, "") else None, choices=[], validate_choice=False)
    tags = SelectMultipleField(choices=[], validate_choice=False)
    ids = SelectMultipleField(coerce=int, choices=[], validate_choice=False)
    cover = FileField()


HUGE = 10**400  # JSON allows it; no float holds it
LONG = "x" * 100_000
VALUES = {
    "null": None, "true": True, "false": False, "zero": 0, "minus_one": -1, "big": 2**63, "huge": HUGE,
    "half": 1.5, "max_float": 1e308, "nan": float("nan"), "nan_text": "NaN", "empty": "", "space": " ",
    "long": LONG, "nul": "a\x00b", "surrogate": "\ud800", "digits": "12", "decimal_text": "1.5",
    "local_date": "08/03/2026", "local_time": "08/03/2026 07:30", "no_date": "31/02/2026",
    "iso": "2026-03-08T07:30+07:00", "no_list": [], "list": ["a"], "int_list": [1], "digits_list": ["1"],
    "none_list": [None], "nul_list": ["1\x00"], "object_list": [{}], "nested_list": [[1]], "object": {},
}


def ok(data):
    return ("accepted", data)


TEXT = "Trường này phải là chuỗi ký tự."
ID = "Trường này phải là số nguyên hoặc chuỗi ký tự."
BOOLEAN = "Trường này phải là true hoặc false."
INTEGER = "Trường này phải là số nguyên."
NUMBER = "Trường này phải là số."
LIST = "Trường này phải là một danh sách."
ONE = "Trường này chỉ nhận một giá trị."
NO_JSON = "Trường này không nhận giá trị JSON."
CHARACTERS = "Có ký tự không hợp lệ."
CHOICE = "Lựa chọn không hợp lệ."
CHOICES = "Có lựa chọn không hợp lệ."
DATE = "Ngày không hợp lệ."
DATETIME = "Thời gian không hợp lệ, hãy nhập dạng ngày/tháng/năm giờ:phút, ví dụ 08/03/2027 07:30."
LISTS_FOR_ONE = {"no_list": ONE, "list": ONE, "int_list": ONE, "digits_list": ONE, "none_list": ONE,
                 "nul_list": ONE, "object_list": ONE, "nested_list": ONE}
NOT_LISTS = {name: LIST for name, value in VALUES.items() if name != "null" and not isinstance(value, list)}

TEXT_OUTCOMES = {
    "null": ok(None), "true": TEXT, "false": TEXT, "zero": TEXT, "minus_one": TEXT, "big": TEXT, "huge": TEXT,
    "half": TEXT, "max_float": TEXT, "nan": TEXT, "nan_text": ok("NaN"), "empty": ok(""), "space": ok(" "),
    "long": ok(LONG), "nul": CHARACTERS, "surrogate": CHARACTERS, "digits": ok("12"), "decimal_text": ok("1.5"),
    "local_date": ok("08/03/2026"), "local_time": ok("08/03/2026 07:30"), "no_date": ok("31/02/2026"),
    "iso": ok("2026-03-08T07:30+07:00"), **LISTS_FOR_ONE, "object": TEXT,
}
EXPECTED = {
    "text": TEXT_OUTCOMES,
    "long_text": TEXT_OUTCOMES,
    "email": TEXT_OUTCOMES,
    "at": {
        "null": ok(None), "true": TEXT, "false": TEXT, "zero": TEXT, "minus_one": TEXT, "big": TEXT, "huge": TEXT,
        "half": TEXT, "max_float": TEXT, "nan": TEXT, "nan_text": DATETIME, "empty": ok(None), "space": ok(None),
        "long": DATETIME, "nul": CHARACTERS, "surrogate": CHARACTERS, "digits": DATETIME, "decimal_text": DATETIME,
        "local_date": ok(datetime(2026, 3, 7, 17, 0, tzinfo=UTC)),
        "local_time": ok(datetime(2026, 3, 8, 0, 30, tzinfo=UTC)), "no_date": DATETIME,
        "iso": ok(datetime(2026, 3, 8, 0, 30, tzinfo=UTC)), **LISTS_FOR_ONE, "object": TEXT,
    },
    "day": {
        "null": ok(None), "true": TEXT, "false": TEXT, "zero": TEXT, "minus_one": TEXT, "big": TEXT, "huge": TEXT,
        "half": TEXT, "max_float": TEXT, "nan": TEXT, "nan_text": DATE, "empty": DATE, "space": DATE, "long": DATE,
        "nul": CHARACTERS, "surrogate": CHARACTERS, "digits": DATE, "decimal_text": DATE,
        "local_date": ok(datetime(2026, 3, 8).date()), "local_time": DATE, "no_date": DATE, "iso": DATE,
        **LISTS_FOR_ONE, "object": TEXT,
    },
    "flag": {
        "null": ok(False), "true": ok(True), "false": ok(False), "zero": BOOLEAN, "minus_one": BOOLEAN,
        "big": BOOLEAN, "huge": BOOLEAN, "half": BOOLEAN, "max_float": BOOLEAN, "nan": BOOLEAN, "nan_text": BOOLEAN,
        "empty": BOOLEAN, "space": BOOLEAN, "long": BOOLEAN, "nul": BOOLEAN, "surrogate": BOOLEAN, "digits": BOOLEAN,
        "decimal_text": BOOLEAN, "local_date": BOOLEAN, "local_time": BOOLEAN, "no_date": BOOLEAN, "iso": BOOLEAN,
        **LISTS_FOR_ONE, "object": BOOLEAN,
    },
    "count": {
        "null": ok(None), "true": INTEGER, "false": INTEGER, "zero": ok(0), "minus_one": ok(-1), "big": ok(2**63),
        "huge": ok(HUGE), "half": INTEGER, "max_float": INTEGER, "nan": INTEGER, "nan_text": INTEGER,
        "empty": INTEGER, "space": INTEGER, "long": INTEGER, "nul": INTEGER, "surrogate": INTEGER, "digits": INTEGER,
        "decimal_text": INTEGER, "local_date": INTEGER, "local_time": INTEGER, "no_date": INTEGER, "iso": INTEGER,
        **LISTS_FOR_ONE, "object": INTEGER,
    },
    "amount": {
        "null": ok(None), "true": NUMBER, "false": NUMBER, "zero": ok(0.0), "minus_one": ok(-1.0),
        "big": ok(float(2**63)), "huge": NUMBER, "half": ok(1.5), "max_float": ok(1e308), "nan": NUMBER,
        "nan_text": NUMBER, "empty": NUMBER, "space": NUMBER, "long": NUMBER, "nul": NUMBER, "surrogate": NUMBER,
        "digits": NUMBER, "decimal_text": NUMBER, "local_date": NUMBER, "local_time": NUMBER, "no_date": NUMBER,
        "iso": NUMBER, **LISTS_FOR_ONE, "object": NUMBER,
    },
    "price": {
        "null": ok(None), "true": NUMBER, "false": NUMBER, "zero": ok(Decimal(0)), "minus_one": ok(Decimal(-1)),
        "big": ok(Decimal(2**63)), "huge": NUMBER, "half": ok(Decimal("1.5")), "max_float": ok(Decimal("1e308")),
        "nan": NUMBER, "nan_text": NUMBER, "empty": NUMBER, "space": NUMBER, "long": NUMBER, "nul": NUMBER,
        "surrogate": NUMBER, "digits": NUMBER, "decimal_text": NUMBER, "local_date": NUMBER, "local_time": NUMBER,
        "no_date": NUMBER, "iso": NUMBER, **LISTS_FOR_ONE, "object": NUMBER,
    },
    "colour": TEXT_OUTCOMES,
    "room_id": {
        "null": ok(None), "true": ID, "false": ID, "zero": ok(0), "minus_one": ok(-1), "big": ok(2**63),
        "huge": ok(HUGE), "half": ID, "max_float": ID, "nan": ID, "nan_text": CHOICE, "empty": CHOICE,
        "space": CHOICE, "long": CHOICE, "nul": CHARACTERS, "surrogate": CHARACTERS, "digits": ok(12),
        "decimal_text": CHOICE, "local_date": CHOICE, "local_time": CHOICE, "no_date": CHOICE, "iso": CHOICE,
        **LISTS_FOR_ONE, "object": ID,
    },
    "zone_id": {
        "null": ok(None), "true": ID, "false": ID, "zero": ok(0), "minus_one": ok(-1), "big": ok(2**63),
        "huge": ok(HUGE), "half": ID, "max_float": ID, "nan": ID, "nan_text": CHOICE, "empty": ok(None),
        "space": CHOICE, "long": CHOICE, "nul": CHARACTERS, "surrogate": CHARACTERS, "digits": ok(12),
        "decimal_text": CHOICE, "local_date": CHOICE, "local_time": CHOICE, "no_date": CHOICE, "iso": CHOICE,
        **LISTS_FOR_ONE, "object": ID,
    },
    "tags": {
        "null": ok([]), **NOT_LISTS, "no_list": ok([]), "list": ok(["a"]), "int_list": TEXT,
        "digits_list": ok(["1"]), "none_list": TEXT, "nul_list": CHARACTERS, "object_list": TEXT,
        "nested_list": TEXT,
    },
    "ids": {
        "null": ok([]), **NOT_LISTS, "no_list": ok([]), "list": CHOICES, "int_list": ok([1]), "digits_list": ok([1]),
        "none_list": ID, "nul_list": CHARACTERS, "object_list": ID, "nested_list": ID,
    },
    "cover": {"null": ok(None), **{name: NO_JSON for name in VALUES if name != "null"}},
}


def outcome(form_class, name, value):
    try:
        form = form_from_json(form_class, {name: value})
    except ValidationFailed as refused:
        assert list(refused.fields) == [name]
        [message] = refused.fields[name]
        return str(message)
    return ok(form[name].data)


def test_the_matrix_covers_every_field_and_every_value():
    assert set(EXPECTED) == {name for name, value in vars(EveryKind).items() if isinstance(value, UnboundField)}
    assert all(set(rows) == set(VALUES) for rows in EXPECTED.values())


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_json_value_is_accepted_with_its_data_or_refused_with_a_field_message(app, name):
    with app.test_request_context():
        actual = {label: outcome(EveryKind, name, value) for label, value in VALUES.items()}
    assert actual == EXPECTED[name]


JSON_SAMPLES = {"string": "x", "integer": 1, "number": 1.5, "boolean": True, "array": [], "object": {}}


def test_the_openapi_type_of_a_field_is_what_the_validator_takes(app):
    """The API's document (generated from the form) and the validator agree: the declared JSON type is taken, the
    others are refused, except that an id select also takes the text of the id, as the page sends it."""
    lenient = {("integer", "string")}
    with app.test_request_context():
        form = EveryKind(formdata=None, meta={"csrf": False})
        disagreements = []
        for name, field in form._fields.items():
            if name == "cover":
                with pytest.raises(TypeError):
                    field_schema(field)
                continue
            schema = field_schema(field)
            declared = schema["type"] if schema["type"] != "array" else schema["items"]["type"]
            for json_type, sample in JSON_SAMPLES.items():
                value = [sample] if schema["type"] == "array" else sample
                taken = _json_items(field, value)[1] is None
                should = json_type == declared or (declared, json_type) in lenient and "coerce" in vars(field) \
                    or (declared, json_type) == ("number", "integer")
                if taken != should:
                    disagreements.append((name, declared, json_type, taken))
    assert disagreements == []


def test_a_room_named_true_is_refused_not_stored_as_y(app):
    class RoomName(BaseForm):
        name = StringField(validators=[InputRequired()])

    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            form_from_json(RoomName, {"name": True})
        assert {k: [str(m) for m in v] for k, v in refused.value.fields.items()} == {"name": [TEXT]}


def test_every_problem_of_a_body_is_reported_at_once(app):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            form_from_json(EveryKind, {"text": 1, "count": "2", "flag": "true", "unknown": 1})
    assert {k: [str(m) for m in v] for k, v in refused.value.fields.items()} == {
        "text": [TEXT], "count": [INTEGER], "flag": [BOOLEAN], "unknown": ["Trường không được hỗ trợ."]}


@pytest.mark.parametrize("body", [None, [], "x", 1, True])
def test_a_body_that_is_not_an_object_is_refused(app, body):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            form_from_json(EveryKind, body)
    assert [str(m) for m in refused.value.fields["_body"]] == ["Nội dung yêu cầu phải là một đối tượng JSON."]


@pytest.mark.parametrize("key", ["a\x00", "\udfff"])
def test_a_key_with_invalid_characters_is_refused(app, key):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as refused:
            form_from_json(EveryKind, {key: "x"})
    assert [str(m) for m in refused.value.fields["_body"]] == [CHARACTERS]


# Null, allowed extras and prepare (moved from tests/test_hardening.py) -----------------------------------------

EMPTY = "Trường này không được để trống."


class _SampleForm(BaseForm):
    name = StringField(validators=[InputRequired()])
    note = StringField()
    tags = SelectMultipleField(choices=choices([("a", "a"), ("b", "b")]))


class _DeclaringForm(_SampleForm):
    NULLABLE_FIELDS = ("name",)


def test_form_from_json_takes_declared_nullable_fields(app):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            form_from_json(_SampleForm, {"name": "x", "note": None}, nullable=())
        assert {k: [str(m) for m in v] for k, v in caught.value.fields.items()} == {"note": [EMPTY]}
        with pytest.raises(ValidationFailed) as caught:
            form_from_json(_DeclaringForm, {"name": None, "note": None})
        assert list(caught.value.fields) == ["note"]
        # Undeclared: null is "empty" for fields that are optional and have no default.
        form = form_from_json(_SampleForm, {"name": "x", "note": None, "tags": None})
        assert form.note.data is None and form.tags.data == []
        with pytest.raises(ValidationFailed) as caught:
            form_from_json(_SampleForm, {"name": None})
        assert list(caught.value.fields) == ["name"]


def test_null_is_refused_where_a_default_would_silently_be_picked(app):
    class Defaults(BaseForm):
        position = IntegerField(default=0)
        weight = FloatField(default=1.0)

    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            form_from_json(Defaults, {"position": None, "weight": None})
    assert {k: [str(m) for m in v] for k, v in caught.value.fields.items()} == {"position": [EMPTY],
                                                                               "weight": [EMPTY]}


def test_form_from_json_keeps_allowed_extra_and_prepare(app):
    prepared = []

    def prepare(form):
        form.tags.choices = choices([("c", "c")])
        prepared.append(form)

    with app.test_request_context():
        form = form_from_json(_SampleForm, {"name": "x", "tags": ["c"], "owner": 3}, allowed_extra=("owner",),
                              prepare=prepare)
        assert prepared == [form] and form.tags.data == ["c"]
        with pytest.raises(ValidationFailed) as caught:
            form_from_json(_SampleForm, {"name": "x", "owner": 3})
        assert list(caught.value.fields) == ["owner"]
