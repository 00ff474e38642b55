"""The registration forms and their services agree on every bound: what the form lets through, the service
accepts, and the API's schema states the same numbers."""
import pytest
from werkzeug.datastructures import MultiDict

from eventhub.errors import ValidationFailed
from eventhub.forms import form_schema
from eventhub.registration import services, setup
from eventhub.registration.forms import CategoryForm, QuestionForm, RegistrantFields
from eventhub.registration.models import QuestionKind
from eventhub.timeutil import utcnow


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True)


def _form_accepts(form_class, name, value) -> bool:
    form = form_class(formdata=MultiDict({name: str(value)}), meta={"csrf": False})
    return form[name].validate(form)


def _service_refuses(name, save) -> bool:
    try:
        save()
    except ValidationFailed as error:
        return name in error.fields
    return False


def test_form_and_service_agree_on_the_birth_year(app, event, factory):
    category = factory.category(event)
    this_year = utcnow().year
    with app.test_request_context():
        for year in (services.MIN_BIRTH_YEAR - 1, services.MIN_BIRTH_YEAR, this_year, this_year + 1, 2100):
            registrant = services.Registrant(full_name="Lê Văn An", category_id=category.id, phone="0912345678",
                                             birth_year=year)
            problems, _ = services.check_registrant(event, registrant, require_consent=False, now=utcnow())
            accepted = services.MIN_BIRTH_YEAR <= year <= this_year
            assert _form_accepts(RegistrantFields, "birth_year", year) is accepted, year
            assert ("birth_year" not in problems) is accepted, year


def test_form_and_service_agree_on_quotas_and_positions(app, event):
    def category(**values):
        return lambda: setup.save_category(event.id, None, setup.CategoryDetails(
            name=f"Đối tượng {values}", participant_group="youth", **values))

    def question(position):
        return lambda: setup.save_question(event.id, None, setup.QuestionDetails(
            label=f"Câu hỏi {position}", kind=QuestionKind.SHORT_TEXT, position=position))

    with app.test_request_context():
        for quota in (-1, 0, setup.MAX_QUOTA, setup.MAX_QUOTA + 1):
            accepted = 0 <= quota <= setup.MAX_QUOTA
            assert _form_accepts(CategoryForm, "quota", quota) is accepted, quota
            assert _service_refuses("quota", category(quota=quota)) is not accepted, quota
        for position in (-1, 0, setup.MAX_POSITION, setup.MAX_POSITION + 1):
            accepted = 0 <= position <= setup.MAX_POSITION
            for form_class in (CategoryForm, QuestionForm):
                assert _form_accepts(form_class, "position", position) is accepted, (form_class, position)
            assert _service_refuses("position", category(position=position)) is not accepted, position
            assert _service_refuses("position", question(position)) is not accepted, position


def test_the_registration_schema_states_the_service_bounds(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    generated = document["components"]["schemas"]["RegistrationInput"]
    properties = generated["properties"]
    assert properties["birth_year"]["minimum"] == services.MIN_BIRTH_YEAR
    assert properties["birth_year"]["maximum"] == utcnow().year
    assert properties["gender"]["enum"] == ["female", "male", "other"]
    assert {"answers", "consent_version"} <= set(properties) and "consent" not in properties
    assert set(generated["required"]) == {"category_id", "full_name", "consent_version"}
    with app.test_request_context():
        assert form_schema(RegistrantFields)["properties"]["birth_year"] == properties["birth_year"]
