import pytest

from eventhub.accounts import services as accounts
from eventhub.registration import setup, tickets
from eventhub.registration.models import QuestionKind


@pytest.fixture
def event(factory):
    event = factory.event(factory.organisation(), publish=True, capacity=1, title="Diễn đàn khởi nghiệp 2027")
    factory.category(event, "Thanh niên")
    return event


def payload(client, event, **overrides):
    form = client.get(f"/api/v1/portal/events/{event.slug}/registration-form").get_json()
    body = {"category_id": form["categories"][0]["id"], "full_name": "Võ Minh Tuấn", "phone": "0905123456",
            "email": "tuan@example.vn", "consent_version": form["consent"]["version"]}
    body.update(overrides)
    return body


def test_registration_form_describes_categories_questions_and_consent(event, client):
    setup.save_question(event.id, None, setup.QuestionDetails(label="Lĩnh vực", kind=QuestionKind.SINGLE_CHOICE,
                                                              options=["Nông nghiệp", "Du lịch"], required=True))
    body = client.get(f"/api/v1/portal/events/{event.slug}/registration-form").get_json()
    assert body["open"] is True and body["categories"][0]["name"] == "Thanh niên"
    assert body["questions"][0]["options"] == ["Nông nghiệp", "Du lịch"]
    assert "Nghị định 13/2023" in body["consent"]["text"]


def test_register_through_the_api_then_read_the_ticket(event, client):
    response = client.post(f"/api/v1/portal/events/{event.slug}/registrations", json=payload(client, event))
    assert response.status_code == 201, response.get_json()
    ticket = response.get_json()
    assert ticket["status"] == "confirmed"
    assert tickets.verify_payload(ticket["qr_payload"])
    again = client.get("/api/v1/ticket", headers={"X-Ticket-Key": ticket["access_key"]}).get_json()
    assert again["full_name"] == "Võ Minh Tuấn" and again["qr_payload"] == ticket["qr_payload"]
    assert client.get("/api/v1/ticket").status_code == 401
    assert client.get("/api/v1/ticket", headers={"X-Ticket-Key": "sai"}).status_code == 404


def test_api_answers_waitlist_duplicates_and_field_errors(event, client):
    url = f"/api/v1/portal/events/{event.slug}/registrations"
    client.post(url, json=payload(client, event))
    second = client.post(url, json=payload(client, event, phone="0905000000", email="b@example.vn")).get_json()
    assert second["status"] == "waitlisted" and second["waitlist_position"] == 1 and second["qr_payload"] is None
    duplicate = client.post(url, json=payload(client, event, email="khac@example.vn"))
    assert duplicate.status_code == 409 and duplicate.get_json()["error"]["code"] == "duplicate"
    bad = client.post(url, json=payload(client, event, full_name="", phone="123", consent_version="cu"))
    fields = bad.get_json()["error"]["fields"]
    assert bad.status_code == 422 and "full_name" in fields
    bad = client.post(url, json=payload(client, event, phone="123", consent_version="cu"))
    assert {"phone", "consent"} <= set(bad.get_json()["error"]["fields"])
    assert client.post(url, json=payload(client, event, answers=[1])).status_code == 422


def test_answers_are_sent_by_question_id(event, client):
    question = setup.save_question(event.id, None, setup.QuestionDetails(
        label="Lĩnh vực", kind=QuestionKind.MULTIPLE_CHOICE, options=["Nông nghiệp", "Du lịch"], required=True))
    url = f"/api/v1/portal/events/{event.slug}/registrations"
    missing = client.post(url, json=payload(client, event))
    assert f"q_{question.id}" in missing.get_json()["error"]["fields"]
    ok = client.post(url, json=payload(client, event, answers={str(question.id): ["Du lịch", "Nông nghiệp"]}))
    assert ok.status_code == 201


def test_organisers_list_attendees_with_their_token(event, client, factory):
    owner = factory.user(organisation=event.organisation)
    token, _ = accounts.issue_api_token(owner.id, "Báo cáo")
    client.post(f"/api/v1/portal/events/{event.slug}/registrations", json=payload(client, event))
    body = client.get(f"/api/v1/events/{event.id}/registrations",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["total"] == 1 and body["items"][0]["full_name"] == "Võ Minh Tuấn"
    outsider = factory.user(organisation=factory.organisation())
    other_token, _ = accounts.issue_api_token(outsider.id, "x")
    assert client.get(f"/api/v1/events/{event.id}/registrations",
                      headers={"Authorization": f"Bearer {other_token}"}).status_code == 404


def test_scanners_can_fetch_the_public_key(client):
    body = client.get("/api/v1/ticket-signing-key").get_json()
    assert body["algorithm"] == "Ed25519" and body["public_key"] == tickets.public_key_text()


def test_public_api_registration_is_rate_limited(app, event, client):
    app.config["REGISTRATION_RATE_LIMIT"] = "2 per minute"
    try:
        url = f"/api/v1/portal/events/{event.slug}/registrations"
        codes = [client.post(url, json=payload(client, event, phone=f"09050000{n:02d}",
                                               email=f"r{n}@example.vn")).status_code for n in range(3)]
    finally:
        app.config["REGISTRATION_RATE_LIMIT"] = "10 per minute;100 per hour"
    assert codes == [201, 201, 429]
