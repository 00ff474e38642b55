"""Certificates through /api/v1: the event's organisers list, issue (one, batch), revoke and download; the
operations are in the OpenAPI document."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus
from eventhub.extensions import db

from .factories import held_training, template


@pytest.fixture
def training(factory):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    user = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    event, people = held_training(factory, organisation=organisation)
    template(event)
    return event, people, factory.api_headers(user)


def test_batch_list_filter_revoke_and_pdf(client, training):
    event, people, headers = training
    base = f"/api/v1/events/{event.id}/certificates"
    assert client.get(base, headers=headers).get_json() == []
    first = client.post(f"{base}/batch", json={"kind": "completion"}, headers=headers)
    assert first.status_code == 200 and first.get_json()["issued"] == len(people["completed"])
    again = client.post(f"{base}/batch", json={"kind": "completion"}, headers=headers).get_json()
    assert again == {"issued": 0, "certificates": []}
    listed = client.get(base, headers=headers).get_json()
    assert {(c["holder_name"], c["kind"], c["status"]) for c in listed} == {
        (p.full_name, "completion", "valid") for p in people["completed"]}
    assert all(len(c["code"]) == 16 and c["verify_url"].endswith(f"/verify/{c['code']}") for c in listed)
    target = listed[0]
    refused = client.post(f"{base}/{target['id']}/revoke", json={"reason": ""}, headers=headers)
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    revoked = client.post(f"{base}/{target['id']}/revoke", json={"reason": "Cấp nhầm"}, headers=headers)
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert revoked.get_json()["revocation_reason"] == "Cấp nhầm" and revoked.get_json()["revoked_at"]
    twice = client.post(f"{base}/{target['id']}/revoke", json={"reason": "Lần nữa"}, headers=headers)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_revoked"
    only = client.get(base, query_string={"status": "revoked"}, headers=headers).get_json()
    assert [c["id"] for c in only] == [target["id"]]
    assert client.get(base, query_string={"kind": "nonsense"}, headers=headers).status_code == 422
    pdf = client.get(target["pdf_url"], headers=headers)
    assert pdf.status_code == 200 and target["number"] in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_one_by_one_and_its_refusals(client, training):
    event, people, headers = training
    base = f"/api/v1/events/{event.id}/certificates"
    person = people["completed"][0]
    made = client.post(base, json={"kind": "completion", "registration_id": person.id}, headers=headers)
    assert made.status_code == 201 and made.get_json()["registration_id"] == person.id
    same = client.post(base, json={"kind": "completion", "registration_id": person.id}, headers=headers)
    assert same.get_json()["id"] == made.get_json()["id"]
    for body, field in (({"kind": "completion", "registration_id": people["absent"][0].id}, "registration_id"),
                        ({"kind": "prize", "registration_id": person.id}, "kind"),
                        ({"kind": "completion", "registration_id": "x"}, "registration_id"),
                        ({"kind": "completion"}, "registration_id")):
        response = client.post(base, json=body, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], body
    no_template = client.post(base, json={"kind": "participation", "registration_id": person.id}, headers=headers)
    assert no_template.status_code == 409 and no_template.get_json()["error"]["code"] == "no_template"
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    assert db.session.scalar(sa.select(Certificate.status)) == CertificateStatus.VALID


def test_the_operations_are_described(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/events/{event_id}/certificates"]) == {"get", "post"}
    assert "post" in paths["/events/{event_id}/certificates/batch"]
    assert "post" in paths["/events/{event_id}/certificates/{certificate_id}/revoke"]
    assert "get" in paths["/events/{event_id}/certificates/{certificate_id}/pdf"]
    listed = paths["/events/{event_id}/certificates"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["items"] == {"$ref": "#/components/schemas/Certificate"}


def test_prize_certificates_from_holder_rows(client, training):
    event, _people, headers = training
    template(event, CertificateKind.PRIZE)
    path = f"/api/v1/events/{event.id}/certificates/prizes"
    winners = [{"holder_name": "Y Bhim Niê", "prize_title": "Giải Nhất", "source_kind": "competition_entry",
                "source_id": 4}, {"holder_name": "Lê Thị Hoa", "prize_title": "Giải Nhì"}]
    made = client.post(path, json={"winners": winners}, headers=headers)
    assert made.status_code == 200 and made.get_json()["issued"] == 2
    assert made.get_json()["certificates"][0]["source_id"] == 4
    assert client.post(path, json={"winners": winners}, headers=headers).get_json()["issued"] == 0
    for body in ({}, {"winners": []}, {"winners": "Y Bhim Niê"}, {"winners": [{"holder_name": "A"}]},
                 {"winners": [{"holder_name": "A", "prize_title": "B", "source_id": "4"}]},
                 {"winners": [{"holder_name": "A", "prize_title": "B", "extra": 1}]},
                 {"winners": [{"holder_name": " ", "prize_title": "B"}]}):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 422 and "winners" in response.get_json()["error"]["fields"], body
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 2
