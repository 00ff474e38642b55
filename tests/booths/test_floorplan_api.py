"""Floor plans through /api/v1: organiser CRUD with the editor's rules, the public map, OpenAPI."""
import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import Booth, BoothZone
from eventhub.extensions import db
from tests.booths.factories import make_application, make_assignment, make_booth, make_exhibitor, make_plan
from tests.support import factories


@pytest.fixture
def api(app, client):
    organisation = factories.organisation()
    user = factories.user(organisation=organisation)
    token, _ = accounts.issue_api_token(user.id, "Sơ đồ")
    event = factories.event(organisation, publish=True)
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, json=None, **kwargs):
        return client.open(f"/api/v1/events/{event.id}/floor-plan{path}", method=method, json=json,
                           headers=headers, **kwargs)

    call.event = event
    return call


HALL = {"hall_width_m": 30, "hall_depth_m": 20, "entrance_x_m": 0, "entrance_y_m": 10}


def test_plan_zone_booth_and_row_crud(api):
    assert api("GET", "").status_code == 404
    response = api("PUT", "", HALL)
    assert response.status_code == 200 and response.json["hall_width_m"] == 30 and response.json["booths"] == []
    zone = api("POST", "/zones", {"name": "Khu OCOP", "booth_type": "ocop", "x_m": 0, "y_m": 0, "width_m": 15,
                                  "depth_m": 20, "colour": "#fff4e0"})
    assert zone.status_code == 201
    zone_id = zone.json["id"]
    row = api("POST", "/rows", {"prefix": "A", "count": 4, "direction": "right", "booth_type": "ocop", "x_m": 0,
                                "y_m": 0, "width_m": 3, "depth_m": 3, "zone_id": zone_id, "price_vnd": 2000000})
    assert row.status_code == 201 and [b["code"] for b in row.json["items"]] == ["A01", "A02", "A03", "A04"]
    booth = api("POST", "/booths", {"code": "S01", "booth_type": "sponsor", "x_m": 20, "y_m": 10, "width_m": 6,
                                    "depth_m": 6, "price_vnd": 10000000, "premium": 3, "has_power": True})
    assert booth.status_code == 201 and booth.json["has_power"] is True and booth.json["zone_id"] is None
    moved = api("PUT", f"/booths/{booth.json['id']}", {"code": "S01", "booth_type": "sponsor", "x_m": 18.5,
                                                        "y_m": 10, "width_m": 6, "depth_m": 6})
    assert moved.status_code == 200 and moved.json["x_m"] == 18.5 and moved.json["has_power"] is False
    blocked = api("POST", f"/booths/{booth.json['id']}/block", {"blocked": True, "reason": "Sân khấu phụ"})
    assert blocked.status_code == 200 and blocked.json["status"] == "blocked"
    plan = api("GET", "").json
    assert len(plan["booths"]) == 5 and plan["zones"][0]["name"] == "Khu OCOP" and plan["version"] == 5
    assert api("GET", "/booths").json["items"][0]["code"] == "A01"
    assert api("DELETE", f"/booths/{booth.json['id']}").status_code == 204
    assert api("DELETE", f"/zones/{zone_id}").status_code == 204
    assert api("POST", "/publication", {"published": True}).json["is_published"] is True


def test_api_errors_are_specific_and_nothing_is_written(api):
    api("PUT", "", HALL)
    api("POST", "/booths", {"code": "A01", "booth_type": "ocop", "x_m": 0, "y_m": 0, "width_m": 3, "depth_m": 3})
    response = api("POST", "/rows", {"prefix": "B", "count": 20, "direction": "right", "booth_type": "startup",
                                     "x_m": 0, "y_m": 5, "width_m": 3, "depth_m": 3})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "outside_hall"
    assert response.json["error"]["message"] == "Gian hàng B11 nằm ngoài hội trường (rộng 30 m, sâu 20 m)."
    response = api("POST", "/booths", {"code": "A02", "booth_type": "ocop", "x_m": 1, "y_m": 1, "width_m": 3,
                                       "depth_m": 3})
    assert response.status_code == 422 and response.json["error"]["code"] == "booth_overlap"
    response = api("POST", "/booths", {"code": "A02", "booth_type": "kiosk", "x_m": 1, "y_m": 1, "width_m": 3,
                                       "depth_m": 3})
    assert response.status_code == 422 and "booth_type" in response.json["error"]["fields"]
    response = api("POST", "/booths", {"code": "A02", "booth_type": "ocop", "x_m": 10, "y_m": 1, "width_m": 0,
                                       "depth_m": 3})
    assert response.status_code == 422 and response.json["error"]["code"] == "size_not_positive"
    response = api("POST", "/booths", {"code": "A02", "booth_type": "ocop", "x_m": 10, "y_m": 1, "width_m": 3,
                                       "depth_m": 3, "zone_id": 999})
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_zone"
    assert api("POST", "/booths/1/block", {"blocked": "yes"}).status_code == 422
    assert api("PUT", "", {**HALL, "hall_width_m": -5}).status_code == 422
    assert api("POST", "/booths", [1, 2]).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booth)) == 1


def test_another_organisation_gets_404(api, client):
    api("PUT", "", HALL)
    zone = api("POST", "/zones", {"name": "Khu", "x_m": 0, "y_m": 0, "width_m": 5, "depth_m": 5}).json
    stranger = factories.user(organisation=factories.organisation())
    token, _ = accounts.issue_api_token(stranger.id, "B")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/events/{api.event.id}/floor-plan"
    assert client.get(base, headers=headers).status_code in (403, 404)
    assert client.delete(f"{base}/zones/{zone['id']}", headers=headers).status_code in (403, 404)
    assert client.put(base, json=HALL, headers=headers).status_code in (403, 404)
    assert client.get(base).status_code == 401
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothZone)) == 1


def test_public_map_json(api, client):
    event = api.event
    plan = make_plan(event, is_published=False)
    booth = make_booth(plan, "A01", price_vnd=3_000_000, note="Gần cột")
    make_booth(plan, "A02")
    make_assignment(booth, make_application(event, make_exhibitor("HTX Cà phê Buôn Ma Thuột"),
                                            status=ApplicationStatus.APPROVED))
    url = f"/api/v1/portal/events/{event.slug}/floor-plan"
    assert client.get(url).status_code == 404
    plan.is_published = True
    db.session.commit()
    body = client.get(url, query_string={"q": "ca phe buon ma thuot"}).json
    assert body["found_booth_ids"] == [booth.id]
    assert body["booths"][0] == {"id": booth.id, "code": "A01", "booth_type": "ocop", "zone_id": None, "x_m": 0.0,
                                 "y_m": 0.0, "width_m": 3.0, "depth_m": 3.0, "status": "assigned",
                                 "exhibitor": "HTX Cà phê Buôn Ma Thuột"}
    assert body["exhibitors"][0]["products"][0]["ocop_stars"] == 4
    assert client.get(url).json["found_booth_ids"] == []


def test_openapi_describes_the_floor_plan_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/events/{event_id}/floor-plan"]) == {"get", "put"}
    assert set(paths["/events/{event_id}/floor-plan/booths/{booth_id}"]) == {"put", "delete"}
    assert "post" in paths["/events/{event_id}/floor-plan/rows"]
    public = paths["/portal/events/{slug}/floor-plan"]["get"]
    assert "security" not in public and public["parameters"][-1]["name"] == "q"
