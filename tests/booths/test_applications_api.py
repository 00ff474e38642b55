"""Booth applications through /api/v1: organiser list, detail and review (token, organisation-scoped), the
exhibitor's self-booking endpoints, and the OpenAPI document."""
import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BookingMode, BoothType
from eventhub.extensions import db
from tests.booths import factories as booths


@pytest.fixture
def setup(factory):
    organisation = factory.organisation()
    organiser = factory.user(organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event)
    zone = booths.make_zone(plan, "Khu OCOP")
    booth = booths.make_booth(plan, "A1", zone=zone)
    token, _ = accounts.issue_api_token(organiser.id, "API")
    return {"event": event, "plan": plan, "zone": zone, "booth": booth,
            "headers": {"Authorization": f"Bearer {token}"}}


def test_list_and_filter(client, setup):
    ocop = booths.make_application(setup["event"], booths.make_exhibitor("HTX Cà phê Ea Tu"),
                                   preferred_zone_id=setup["zone"].id)
    booths.make_application(setup["event"], booth_type=BoothType.STARTUP, status=ApplicationStatus.APPROVED)
    url = f"/api/v1/events/{setup['event'].id}/booth-applications"

    everything = client.get(url, headers=setup["headers"]).get_json()
    assert everything["total"] == 2
    first = everything["items"][0]
    assert first["exhibitor"]["name"] == "HTX Cà phê Ea Tu" and first["status"] == "submitted"
    assert first["products"][0]["ocop_stars"] == 4 and first["booths"] == []

    for query in ("?status=submitted", "?booth_type=ocop", f"?zone_id={setup['zone'].id}", "?q=ca%20phe"):
        items = client.get(url + query, headers=setup["headers"]).get_json()["items"]
        assert [item["id"] for item in items] == [ocop.id], query
    bad = client.get(url + "?status=maybe", headers=setup["headers"])
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"]["status"]


def test_detail_and_review(client, setup):
    application = booths.make_application(setup["event"])
    url = f"/api/v1/events/{setup['event'].id}/booth-applications/{application.id}"
    assert client.get(url, headers=setup["headers"]).get_json()["id"] == application.id

    missing_reason = client.post(url + "/review", json={"action": "reject"}, headers=setup["headers"])
    assert missing_reason.status_code == 422 and "reason" in missing_reason.get_json()["error"]["fields"]
    unknown = client.post(url + "/review", json={"action": "delete"}, headers=setup["headers"])
    assert unknown.status_code == 422
    extra = client.post(url + "/review", json={"action": "approve", "priority": 3}, headers=setup["headers"])
    assert extra.status_code == 422
    approved = client.post(url + "/review", json={"action": "approve", "reason": "Chào mừng"},
                           headers=setup["headers"])
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    again = client.post(url + "/review", json={"action": "approve"}, headers=setup["headers"])
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_status"


def test_other_organisations_and_anonymous_are_refused(client, factory, setup):
    application = booths.make_application(setup["event"])
    outsider = factory.user(organisation=factory.organisation(), role=Role.ADMIN)
    token, _ = accounts.issue_api_token(outsider.id, "B")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/events/{setup['event'].id}/booth-applications"
    assert client.get(base, headers=headers).status_code == 404
    assert client.get(f"{base}/{application.id}", headers=headers).status_code == 404
    assert client.post(f"{base}/{application.id}/review", json={"action": "approve"},
                       headers=headers).status_code == 404
    assert client.get(base).status_code == 401
    db.session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED


def test_exhibitor_self_booking_endpoints(client, factory, setup):
    setup["plan"].booking_mode = BookingMode.SELF_BOOKING
    setup["plan"].self_booking_open = True
    db.session.commit()
    application = booths.make_application(setup["event"], status=ApplicationStatus.APPROVED)
    token, _ = accounts.issue_api_token(application.exhibitor.user_id, "Chọn gian")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/exhibitor/applications/{application.id}"

    for body in ({"booth_ids": "A1"}, {"booth_ids": [True]}, {"booth_ids": [2**40]}, {}):
        assert client.post(url + "/hold", json=body, headers=headers).status_code == 422, body
    not_held = client.post(url + "/confirm", headers=headers)
    assert not_held.status_code == 409 and not_held.get_json()["error"]["code"] == "hold_expired"
    held = client.post(url + "/hold", json={"booth_ids": [setup["booth"].id]}, headers=headers).get_json()
    assert held["booths"] == ["A1"] and held["held_until"]
    assert client.post(url + "/confirm", headers=headers).get_json() == {"booths": ["A1"], "held_until": None}
    assert client.get(f"/api/v1/events/{setup['event'].id}/booth-applications/{application.id}",
                      headers=setup["headers"]).get_json()["booths"] == ["A1"]

    # An organiser's token is not an exhibitor's; another exhibitor's token finds nothing.
    assert client.post(url + "/hold", json={"booth_ids": [1]}, headers=setup["headers"]).status_code == 403
    stranger = booths.make_exhibitor()
    other_token, _ = accounts.issue_api_token(stranger.user_id, "X")
    assert client.post(url + "/confirm", headers={"Authorization": f"Bearer {other_token}"}).status_code == 404


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/events/{event_id}/booth-applications"]) == {"get"}
    assert set(paths["/events/{event_id}/booth-applications/{application_id}/review"]) == {"post"}
    assert "post" in paths["/exhibitor/applications/{application_id}/hold"]
    assert "post" in paths["/exhibitor/applications/{application_id}/confirm"]
