import pytest
from openapi_spec_validator import validate

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.api import described_paths
from eventhub.events.models import Event
from eventhub.extensions import db


@pytest.fixture
def organiser(factory):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Gia Lai")
    user = factory.user("api@skhcn.vn", organisation=organisation)
    token, _ = accounts.issue_api_token(user.id, "Tích hợp cổng tỉnh")
    return organisation, {"Authorization": f"Bearer {token}"}


def event_payload(factory, **overrides):
    start = factory.event_details().starts_at
    payload = {"title": "Diễn đàn khởi nghiệp Gia Lai 2027", "event_type": "workshop", "level": "province",
               "province": "Gia Lai", "venue_name": "Hội trường tỉnh", "starts_at": start.isoformat(),
               "ends_at": start.replace(hour=(start.hour + 3) % 24).isoformat() if start.hour < 20 else None,
               "capacity": 300}
    if payload["ends_at"] is None:
        from datetime import timedelta
        payload["ends_at"] = (start + timedelta(hours=3)).isoformat()
    payload.update(overrides)
    return payload


def test_openapi_document_is_valid_and_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    described = {path: set(ops) for path, ops in document["paths"].items()}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi_document":
            continue
        path = rule.rule.removeprefix("/api/v1")
        for converter in ("<int:", "<"):
            path = path.replace(converter, "{")
        path = path.replace(">", "}")
        methods = {m.lower() for m in rule.methods} - {"head", "options"}
        assert methods <= described.get(path, set()), f"{rule.rule} {methods} is not in the OpenAPI document"
    assert described == described_paths()


def test_requests_without_a_valid_token_get_json_401(client):
    for headers in ({}, {"Authorization": "Bearer sai"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/events", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_session_cookies_do_not_authenticate_the_api(factory, browser):
    organisation = factory.organisation()
    factory.user("web@example.vn", organisation=organisation)
    browser.login("web@example.vn")
    assert browser.get("/api/v1/me").status_code == 401


def test_me_lists_memberships(organiser, client):
    organisation, headers = organiser
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body["email"] == "api@skhcn.vn"
    assert body["memberships"] == [{"organisation_id": organisation.id, "organisation_name": organisation.name,
                                    "role": "organiser"}]


def test_create_read_update_and_list(organiser, factory, client):
    organisation, headers = organiser
    response = client.post("/api/v1/events", json=event_payload(factory), headers=headers)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "draft" and created["organisation"]["id"] == organisation.id
    assert created["starts_at"].endswith("+07:00")
    response = client.patch(f"/api/v1/events/{created['id']}", json={"capacity": 450, "summary": "Cập nhật"},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    updated = response.get_json()
    assert updated["capacity"] == 450 and updated["title"] == created["title"]
    assert updated["starts_at"] == created["starts_at"]
    assert client.get(f"/api/v1/events/{created['id']}", headers=headers).get_json()["capacity"] == 450
    listing = client.get("/api/v1/events?status=draft", headers=headers).get_json()
    assert [e["id"] for e in listing["items"]] == [created["id"]] and listing["total"] == 1


def test_local_times_without_offset_are_read_as_vietnam_time(organiser, factory, client):
    _, headers = organiser
    payload = event_payload(factory, starts_at="2027-03-08T08:00", ends_at="2027-03-08T11:30")
    body = client.post("/api/v1/events", json=payload, headers=headers).get_json()
    assert body["starts_at"] == "2027-03-08T08:00:00+07:00"
    event = db.session.get(Event, body["id"])
    assert event.starts_at.hour == 1  # stored in UTC


def test_bad_input_gets_field_errors_and_saves_nothing(organiser, factory, client):
    _, headers = organiser
    payload = event_payload(factory, title="", event_type="party", capacity="nhiều", starts_at="hôm nay",
                            unknown_field=1)
    response = client.post("/api/v1/events", json=payload, headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields == {"unknown_field": ["Trường không được hỗ trợ."], "capacity": ["Trường này phải là số nguyên."]}
    del payload["unknown_field"]
    payload["capacity"] = 0  # a JSON number this time, so the form's own rules answer
    fields = client.post("/api/v1/events", json=payload, headers=headers).get_json()["error"]["fields"]
    assert {"title", "event_type", "capacity", "starts_at"} <= set(fields)
    assert fields["title"] == ["Trường này là bắt buộc."]
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_business_rule_errors_come_back_per_field(organiser, factory, client):
    _, headers = organiser
    payload = event_payload(factory, starts_at="2027-03-08T08:00", ends_at="2027-03-08T07:00")
    response = client.post("/api/v1/events", json=payload, headers=headers)
    assert response.status_code == 422
    assert "ends_at" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", ["không phải json", "[1, 2]", "null"])
def test_non_object_bodies_are_refused(organiser, client, body):
    _, headers = organiser
    response = client.post("/api/v1/events", data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_english_messages_on_request(organiser, factory, client):
    _, headers = organiser
    response = client.post("/api/v1/events", json=event_payload(factory, title=""),
                           headers={**headers, "Accept-Language": "en"})
    assert response.get_json()["error"]["fields"]["title"] == ["This field is required."]


def test_transitions_and_clone(organiser, factory, client):
    organisation, headers = organiser
    event = factory.event(organisation)
    response = client.post(f"/api/v1/events/{event.id}/transitions", json={"action": "publish"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "published"
    response = client.post(f"/api/v1/events/{event.id}/transitions", json={"action": "publish"}, headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "illegal_transition"
    response = client.post(f"/api/v1/events/{event.id}/transitions", json={"action": "cancel"}, headers=headers)
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/events/{event.id}/clone", json={
        "title": "Bản sao 2028", "starts_at": "2028-01-10T08:00", "ends_at": "2028-01-10T17:00"}, headers=headers)
    assert response.status_code == 201 and response.get_json()["status"] == "draft"


def test_organisation_must_be_named_when_you_manage_several(factory, client):
    first, second = factory.organisation(), factory.organisation()
    user = factory.user("hai-don-vi@example.vn", organisation=first)
    accounts.add_member(second.id, accounts.NewMember(user.email, user.full_name, Role.ORGANISER))
    token, _ = accounts.issue_api_token(user.id, "x")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/v1/events", json=event_payload(factory), headers=headers)
    assert response.status_code == 422 and "organisation_id" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/events", json=event_payload(factory, organisation_id=second.id), headers=headers)
    assert response.status_code == 201 and response.get_json()["organisation"]["id"] == second.id
    outsider = factory.organisation()
    response = client.post("/api/v1/events", json=event_payload(factory, organisation_id=outsider.id), headers=headers)
    assert response.status_code == 404


def test_public_portal_api_needs_no_token_and_hides_drafts(factory, client):
    organisation = factory.organisation()
    published = factory.event(organisation, title="Hội chợ OCOP 2027", publish=True)
    draft = factory.event(organisation, title="Nháp 2027")
    body = client.get("/api/v1/portal/events").get_json()
    assert [e["slug"] for e in body["items"]] == [published.slug]
    assert "visibility" not in body["items"][0]
    assert client.get(f"/api/v1/portal/events/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/portal/events/{published.slug}").get_json()["title"] == "Hội chợ OCOP 2027"
    assert client.get("/api/v1/portal/events?event_type=party").status_code == 422
