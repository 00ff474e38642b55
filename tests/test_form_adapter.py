"""The form as the one adapter between HTTP and a service: the JSON schema generated from a form, and the
submit helpers that hand a form to its service for a page and for the API alike."""
from dataclasses import dataclass

import pytest
from flask_wtf.file import FileField
from openapi_spec_validator import validate
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, EmailField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from eventhub.api import form_input, route
from eventhub.errors import ValidationFailed
from eventhub.forms import (
    BaseForm,
    LocalDateField,
    LocalDateTimeField,
    choices,
    enum_select,
    form_schema,
    optional_id,
    submit,
    submit_json,
)
from eventhub.scheduling import services as agenda
from eventhub.scheduling.forms import RoomForm, SessionForm, TrackForm
from eventhub.scheduling.models import SessionType
from eventhub.scheduling.services import HEX_COLOUR, MAX_CAPACITY, MIN_CAPACITY


@dataclass
class _Details:
    name: str
    seats: int | None


class _SampleForm(BaseForm):
    name = StringField(validators=[InputRequired(), Length(min=2, max=40)])
    code = StringField(validators=[Optional(), Regexp(r"^[A-Z]{3}$")])
    email = EmailField(validators=[Optional()])
    seats = IntegerField(validators=[Optional(), NumberRange(min=1, max=500)])
    kind = enum_select(SessionType, "kind", validators=[InputRequired()])
    fixed = SelectField(choices=choices([("a", "A"), ("b", "B")]))
    room_id = SelectField(coerce=optional_id, choices=[], validate_choice=True)
    speaker_ids = SelectMultipleField(coerce=int, choices=[], validate_choice=True)
    public = BooleanField(description="Shown on the portal")
    starts_at = LocalDateTimeField(validators=[InputRequired()])
    day = LocalDateField(validators=[Optional()])

    NULLABLE_FIELDS = ("seats", "room_id")

    def bind(self, rooms):
        self.room_id.choices = choices([("", "—")] + [(n, f"Phòng {n}") for n in rooms])
        return self

    def to_details(self) -> _Details:
        return _Details(name=self.name.data, seats=self.seats.data)


def test_the_schema_of_a_form_declares_types_required_fields_and_bounds(app):
    with app.test_request_context():
        generated = form_schema(_SampleForm)
    properties = generated["properties"]
    assert properties["name"] == {"type": "string", "maxLength": 40, "minLength": 2}
    assert properties["code"] == {"type": "string", "pattern": "^[A-Z]{3}$"}
    assert properties["email"] == {"type": "string", "format": "email"}
    assert properties["seats"] == {"type": "integer", "minimum": 1, "maximum": 500, "nullable": True}
    assert properties["kind"] == {"type": "string", "enum": [t.value for t in SessionType]}
    assert properties["fixed"] == {"type": "string", "enum": ["a", "b"]}
    assert properties["room_id"] == {"type": "integer", "nullable": True}
    assert properties["speaker_ids"] == {"type": "array", "items": {"type": "integer"}}
    assert properties["public"] == {"type": "boolean", "description": "Shown on the portal"}
    assert properties["starts_at"]["type"] == "string" and properties["starts_at"]["format"] == "date-time"
    assert properties["day"]["format"] == "date"
    # Only the declared nullable fields accept null; "fixed" has no empty option and no default: required.
    assert {name for name, p in properties.items() if p.get("nullable")} == {"seats", "room_id"}
    assert generated["required"] == ["name", "kind", "fixed", "starts_at"]
    assert generated["additionalProperties"] is False


def test_a_partial_schema_requires_nothing_and_extra_properties_are_added(app):
    with app.test_request_context():
        generated = form_schema(_SampleForm, partial=True, extra={"organisation_id": {"type": "integer"}})
    assert "required" not in generated
    assert generated["properties"]["organisation_id"] == {"type": "integer"}


def test_without_declared_nullable_fields_null_is_allowed_where_the_json_reader_allows_it(app):
    class Undeclared(BaseForm):
        name = StringField(validators=[InputRequired()])
        note = StringField()
        size = IntegerField(default=3)

    with app.test_request_context():
        properties = form_schema(Undeclared)["properties"]
    assert [name for name, p in properties.items() if p.get("nullable")] == ["note"]


def test_a_field_with_no_json_form_is_refused_rather_than_described_wrongly(app):
    class WithUpload(BaseForm):
        cover = FileField()

    with app.test_request_context(), pytest.raises(TypeError):
        form_schema(WithUpload)


def test_the_agenda_schemas_take_their_bounds_from_the_service(app):
    with app.test_request_context():
        room, track, session = form_schema(RoomForm), form_schema(TrackForm), form_schema(SessionForm)
    assert room["properties"]["capacity"] == {"type": "integer", "minimum": MIN_CAPACITY, "maximum": MAX_CAPACITY}
    assert room["required"] == ["name", "capacity"]
    assert track["properties"]["colour"]["pattern"] == HEX_COLOUR.pattern
    assert session["properties"]["capacity"]["maximum"] == MAX_CAPACITY
    assert session["properties"]["speaker_ids"] == {"type": "array", "items": {"type": "integer"}}
    assert set(session["required"]) == {"title", "session_type", "starts_at", "ends_at"}


def test_the_openapi_document_takes_request_schemas_from_the_forms(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    rooms = document["paths"]["/events/{event_id}/rooms"]["post"]["requestBody"]["content"]["application/json"]
    assert rooms["schema"] == {"$ref": "#/components/schemas/RoomInput"}
    with app.test_request_context():
        assert document["components"]["schemas"]["RoomInput"] == form_schema(RoomForm)
    sessions = document["paths"]["/events/{event_id}/sessions/conflicts"]["post"]["requestBody"]
    assert sessions["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/AgendaSessionInput"}


def test_one_schema_name_cannot_stand_for_two_forms():
    class RoomForm(BaseForm):  # another module's form with the same class name
        name = StringField()

    with pytest.raises(ValueError):
        form_input(RoomForm)
    with pytest.raises(ValueError):
        route("/unused", "POST", summary="unused", tags=["test"], form=_SampleForm, body={"type": "object"})


def _refusing(details):
    raise ValidationFailed({"name": ["Tên đã có."], "elsewhere": ["Không lưu được."]})


def test_submit_puts_the_service_errors_back_on_the_page_form(app):
    body = {"name": "Hội trường", "kind": "talk", "fixed": "a", "starts_at": "08/03/2027 07:30", "room_id": "2"}
    with app.test_request_context(method="POST", data=body):
        form = _SampleForm(meta={"csrf": False}).bind([1, 2])
        assert submit(form, lambda f: f.to_details()) == _Details("Hội trường", None)
        form = _SampleForm(meta={"csrf": False}).bind([1, 2])
        assert submit(form, lambda f: _refusing(f.to_details())) is None
        assert form.name.errors == ["Tên đã có."] and form.form_errors == ["Không lưu được."]
    with app.test_request_context(method="POST", data={**body, "room_id": "9"}):
        form = _SampleForm(meta={"csrf": False}).bind([1, 2])
        assert submit(form, lambda f: pytest.fail("an invalid form reached the service")) is None
        assert list(form.errors) == ["room_id"]
    with app.test_request_context(method="GET"):
        assert submit(_SampleForm(meta={"csrf": False}), lambda f: pytest.fail("a GET is not a submission")) is None


def test_submit_json_validates_with_the_same_form_and_lets_service_errors_through(app):
    body = {"name": "Hội trường", "kind": "talk", "fixed": "a", "starts_at": "2027-03-08T07:30", "room_id": 2,
            "seats": None}
    with app.test_request_context(method="POST", json=body):
        assert submit_json(_SampleForm, lambda f: f.to_details(), [1, 2]) == _Details("Hội trường", None)
        with pytest.raises(ValidationFailed) as refused:
            submit_json(_SampleForm, lambda f: _refusing(f.to_details()), [1, 2])
        assert set(refused.value.fields) == {"name", "elsewhere"}
        with pytest.raises(ValidationFailed) as refused:
            submit_json(_SampleForm, lambda f: pytest.fail("unbound choices reached the service"), [1])
        assert list(refused.value.fields) == ["room_id"]
        with pytest.raises(ValidationFailed) as refused:
            submit_json(_SampleForm, lambda f: pytest.fail("a bad payload reached the service"), [2],
                        payload={**body, "surprise": 1})
        assert list(refused.value.fields) == ["surprise"]


def test_the_room_form_and_service_agree_on_capacity(app, factory):
    event = factory.event(factory.organisation())
    with app.test_request_context():
        for capacity in (MIN_CAPACITY - 1, MIN_CAPACITY, MAX_CAPACITY, MAX_CAPACITY + 1):
            form = RoomForm(formdata=MultiDict({"name": f"Phòng {capacity}", "capacity": str(capacity)}),
                            meta={"csrf": False})
            accepted = MIN_CAPACITY <= capacity <= MAX_CAPACITY
            assert form.validate() is accepted, capacity
            try:
                agenda.save_room(event.id, None, form.to_details())
            except ValidationFailed as error:
                assert not accepted and list(error.fields) == ["capacity"], capacity
            else:
                assert accepted, capacity
