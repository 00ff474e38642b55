"""Allocation through /api/v1: run, read, move, lock; errors as JSON; other organisations refused."""
import pytest

from eventhub.accounts import services as accounts
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BoothType
from tests.booths import factories as booths


@pytest.fixture
def fair(factory):
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, entrance_x_m=0, entrance_y_m=0)
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * (i - 1), y_m=0) for i in range(1, 4)]
    startup = booths.make_booth(plan, "S1", x_m=30, y_m=30, booth_type=BoothType.STARTUP)
    organiser = factory.user("tochuc@example.vn", organisation=organisation)
    token, _record = accounts.issue_api_token(organiser.id, "allocation")
    application = booths.make_application(event, status=ApplicationStatus.APPROVED)
    return {"event": event, "row": row, "startup": startup, "application": application,
            "headers": {"Authorization": f"Bearer {token}"}}


def test_run_read_move_lock(client, fair):
    base = f"/api/v1/events/{fair['event'].id}/allocation"
    assert client.get(base, headers=fair["headers"]).get_json() == {"run": None, "assignments": []}

    ran = client.post(f"{base}/run", json={"zone_weight": 2}, headers=fair["headers"])
    assert ran.status_code == 200
    body = ran.get_json()
    assert body["run"]["assigned"] == 1 and body["run"]["proven_optimal"] is True
    assert body["assignments"] == [{"application_id": fair["application"].id, "exhibitor": body["assignments"][0][
        "exhibitor"], "booths": ["A1"], "locked": False}]

    moved = client.post(f"{base}/move", json={"application_id": fair["application"].id,
                                              "booth_ids": [fair["row"][2].id]}, headers=fair["headers"])
    assert moved.status_code == 200 and moved.get_json()["assignments"][0]["booths"] == ["A3"]
    locked = client.post(f"{base}/lock", json={"application_id": fair["application"].id, "locked": True},
                         headers=fair["headers"])
    assert locked.get_json()["assignments"][0]["locked"] is True
    again = client.post(f"{base}/run", json={}, headers=fair["headers"]).get_json()
    assert again["assignments"][0]["booths"] == ["A3"]  # locked: the run leaves it


def test_bad_input_gets_json_errors(client, fair):
    base = f"/api/v1/events/{fair['event'].id}/allocation"
    bad_weight = client.post(f"{base}/run", json={"zone_weight": -1}, headers=fair["headers"])
    assert bad_weight.status_code == 422 and "zone_weight" in bad_weight.get_json()["error"]["fields"]
    wrong_type = client.post(f"{base}/move", json={"application_id": fair["application"].id,
                                                   "booth_ids": [fair["startup"].id]}, headers=fair["headers"])
    assert wrong_type.status_code == 400 and wrong_type.get_json()["error"]["code"] == "wrong_type"
    not_a_list = client.post(f"{base}/move", json={"application_id": fair["application"].id, "booth_ids": "A1"},
                             headers=fair["headers"])
    assert not_a_list.status_code == 422
    not_assigned = client.post(f"{base}/lock", json={"application_id": fair["application"].id, "locked": True},
                               headers=fair["headers"])
    assert not_assigned.status_code == 400 and not_assigned.get_json()["error"]["code"] == "not_assigned"


def test_openapi_lists_the_allocation_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/events/{event_id}/allocation", "/events/{event_id}/allocation/run", "/events/{event_id}/allocation/move",
            "/events/{event_id}/allocation/lock"} <= {p.removeprefix("/api/v1") for p in paths}


def test_the_allocation_request_schemas_are_the_page_forms(client):
    from eventhub.booths.allocation import services as service
    from eventhub.booths.allocation.forms import DropForm, RunPageForm
    from eventhub.forms import form_schema

    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    with client.application.test_request_context():
        assert schemas["AllocationRules"] == form_schema(RunPageForm, partial=True)
        drop = form_schema(DropForm)
    assert "required" not in schemas["AllocationRules"]  # a missing rule takes its default
    limit = schemas["AllocationRules"]["properties"]["time_limit_seconds"]
    assert (limit["minimum"], limit["maximum"]) == (service.MIN_TIME_LIMIT, service.MAX_TIME_LIMIT)
    assert schemas["AllocationRules"]["properties"]["zone_weight"]["maximum"] == service.MAX_WEIGHT
    assert schemas["AllocationRules"]["properties"]["move_told"]["type"] == "boolean"
    assert schemas["AllocationMove"]["properties"] == {
        **drop["properties"], "booth_ids": {"type": "array", "items": {"type": "integer"}}}
    assert schemas["AllocationMove"]["required"] == ["application_id", "booth_ids"]
    assert schemas["AllocationLock"]["required"] == ["application_id", "locked"]


def test_preview_then_run_through_the_api(client, factory):
    from eventhub.booths.allocation import services as service
    from tests.booths.test_allocation_service import RULES

    organisation = factory.organisation()
    owner = factory.user("api-tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, entrance_x_m=0, entrance_y_m=0)
    for i in range(1, 3):
        booths.make_booth(plan, f"A{i}", x_m=3.0 * (i - 1), y_m=0)
    first = booths.make_application(event, status=ApplicationStatus.APPROVED, products=[{"ocop_stars": 3}])
    service.run(event.id, RULES)
    service.announce(event.id)
    better = booths.make_application(event, status=ApplicationStatus.APPROVED, products=[{"ocop_stars": 5}])
    headers = factory.api_headers(owner)
    base = f"/api/v1/events/{event.id}/allocation"
    kept = client.post(f"{base}/preview", json={}, headers=headers).get_json()
    assert [m["application_id"] for m in kept["moves"]] == [better.id]
    assert kept["pinned"] == [{"application_id": first.id, "exhibitor": first.exhibitor.name, "booths": ["A1"]}]
    moved = client.post(f"{base}/preview", json={"move_told": True}, headers=headers).get_json()
    assert {m["application_id"]: m["told"] for m in moved["moves"]} == {first.id: True, better.id: False}
    stale = client.post(f"{base}/run", json={"move_told": True, "digest": kept["digest"]}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "preview_outdated"
    done = client.post(f"{base}/run", json={"move_told": True, "digest": moved["digest"]}, headers=headers)
    assert done.status_code == 200
    assert {a["application_id"]: a["booths"] for a in done.get_json()["assignments"]} == {
        better.id: ["A1"], first.id: ["A2"]}
