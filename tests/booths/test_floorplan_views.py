"""The organiser's floor-plan editor through HTTP: forms, the JSON place endpoint, print, access."""
import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.booths.floorplan import services as floorplan
from eventhub.booths.floorplan.models import Booth, BoothStatus, BoothZone, FloorPlan
from eventhub.extensions import db
from tests.booths.factories import make_booth, make_plan, make_zone
from tests.support import factories


@pytest.fixture
def organiser_event(app, browser):
    organisation = factories.organisation()
    factories.user("bantochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("bantochuc@example.vn")
    return factories.event(organisation, publish=True)


def base(event):
    return f"/manage/events/{event.id}/floor-plan"


def booths_of(plan):
    return db.session.scalars(sa.select(Booth).where(Booth.plan_id == plan.id).order_by(Booth.code)).all()


def test_event_page_links_to_the_editor(browser, organiser_event):
    page = browser.get(f"/manage/events/{organiser_event.id}").get_data(as_text=True)
    assert f'href="{base(organiser_event)}"' in page and "Sơ đồ gian hàng" in page


def test_create_plan_from_the_empty_editor(browser, organiser_event):
    page = browser.get(base(organiser_event)).get_data(as_text=True)
    assert "Tạo sơ đồ" in page
    response = browser.post(f"{base(organiser_event)}/settings", {
        "hall_width_m": "40,5", "hall_depth_m": "30", "entrance_x_m": "0", "entrance_y_m": "15",
        "booking_mode": "allocation", "hold_minutes": "10"})
    assert response.status_code == 302
    plan = floorplan.get_plan(organiser_event.id)
    assert plan.hall_width_m == 40.5
    page = browser.get(base(organiser_event)).get_data(as_text=True)
    assert "<svg" in page and "js/floorplan.js" in page and "Tạo một dãy gian hàng" in page


def test_bad_hall_shows_the_message_beside_the_form(browser, organiser_event):
    response = browser.post(f"{base(organiser_event)}/settings", {
        "hall_width_m": "30", "hall_depth_m": "20", "entrance_x_m": "45", "entrance_y_m": "5",
        "booking_mode": "allocation", "hold_minutes": "10"})
    assert response.status_code == 422
    assert "Lối vào phải nằm trong hoặc trên cạnh hội trường." in response.get_data(as_text=True)
    assert floorplan.get_plan(organiser_event.id) is None


def test_row_generator_and_its_refusal(browser, organiser_event):
    plan = make_plan(organiser_event, hall_width_m=30, hall_depth_m=20)
    row = {"prefix": "A", "first_number": "1", "digits": "2", "count": "5", "direction": "right", "x_m": "0",
           "y_m": "0", "width_m": "3", "depth_m": "3", "booth_type": "ocop", "zone_id": "", "price_vnd": "2000000",
           "has_power": "y"}
    assert browser.post(f"{base(organiser_event)}/rows", row).status_code == 302
    assert [b.code for b in booths_of(plan)] == ["A01", "A02", "A03", "A04", "A05"]
    response = browser.post(f"{base(organiser_event)}/rows", {**row, "prefix": "B", "y_m": "3", "count": "11"})
    assert response.status_code == 422
    assert "Gian hàng B11 nằm ngoài hội trường (rộng 30 m, sâu 20 m)." in response.get_data(as_text=True)
    assert len(booths_of(plan)) == 5


def test_add_booth_overlap_message_and_inline_edit(browser, organiser_event):
    plan = make_plan(organiser_event, hall_width_m=30, hall_depth_m=20)
    make_booth(plan, "A01", x_m=0, y_m=0)
    fields = {"code": "S01", "booth_type": "sponsor", "zone_id": "", "x_m": "2", "y_m": "1", "width_m": "6",
              "depth_m": "6", "price_vnd": "10000000", "premium": "3"}
    response = browser.post(f"{base(organiser_event)}/booths", fields)
    assert response.status_code == 422
    assert "Gian hàng S01 chồng lấn gian hàng A01." in response.get_data(as_text=True)
    assert browser.post(f"{base(organiser_event)}/booths", {**fields, "x_m": "10"}).status_code == 302
    sponsor = next(b for b in booths_of(plan) if b.code == "S01")
    # An existing booth's inline form: errors come back as a message on the editor.
    response = browser.post(f"{base(organiser_event)}/booths/{sponsor.id}", {**fields, "x_m": "27"},
                            follow_redirects=True)
    assert "Gian hàng S01 nằm ngoài hội trường" in response.get_data(as_text=True)
    response = browser.post(f"{base(organiser_event)}/booths/{sponsor.id}", {**fields, "x_m": "abc"},
                            follow_redirects=True)
    assert "Vui lòng nhập một số." in response.get_data(as_text=True)
    db.session.refresh(sponsor)
    assert sponsor.x_m == 10


def test_zone_forms(browser, organiser_event):
    plan = make_plan(organiser_event, hall_width_m=30, hall_depth_m=20)
    zone = {"name": "Khu OCOP", "booth_type": "ocop", "x_m": "0", "y_m": "0", "width_m": "15", "depth_m": "20",
            "colour": "#FFF4E0"}
    assert browser.post(f"{base(organiser_event)}/zones", zone).status_code == 302
    response = browser.post(f"{base(organiser_event)}/zones", {**zone, "name": "Khu khởi nghiệp", "x_m": "10"})
    assert response.status_code == 422 and "chồng lấn khu “Khu OCOP”" in response.get_data(as_text=True)
    response = browser.post(f"{base(organiser_event)}/zones", {**zone, "name": "Khu B", "colour": "red"})
    assert response.status_code == 422 and "Màu phải có dạng #RRGGBB." in response.get_data(as_text=True)
    saved = db.session.scalar(sa.select(BoothZone).where(BoothZone.plan_id == plan.id))
    assert saved.colour == "#fff4e0"
    assert browser.post(f"{base(organiser_event)}/zones/{saved.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothZone)) == 0


def place(browser, event, booth, body, token=True):
    headers = {"Accept": "application/json"}
    if token:
        headers["X-CSRFToken"] = browser.csrf_token()
    return browser.client.post(f"{base(event)}/booths/{booth.id}/place", json=body, headers=headers)


def test_place_endpoint_moves_and_refuses_conflicts_as_json(browser, organiser_event):
    plan = make_plan(organiser_event, hall_width_m=30, hall_depth_m=20)
    a = make_booth(plan, "A01", x_m=0, y_m=0)
    make_booth(plan, "A02", x_m=3, y_m=0)
    response = place(browser, organiser_event, a, {"x_m": 0, "y_m": 5.5, "width_m": 4.5, "depth_m": 3})
    assert response.status_code == 200
    assert response.json["booth"]["y_m"] == 5.5 and response.json["booth"]["width_m"] == 4.5
    assert response.json["version"] == 1
    response = place(browser, organiser_event, a, {"x_m": 2, "y_m": 0, "width_m": 3, "depth_m": 3})
    assert response.status_code == 422
    assert response.json["error"] == {"code": "booth_overlap", "message": "Gian hàng A01 chồng lấn gian hàng A02.",
                                      "fields": {"x_m": ["Gian hàng A01 chồng lấn gian hàng A02."]}}
    response = place(browser, organiser_event, a, {"x_m": "x", "y_m": 0, "width_m": 3, "depth_m": 3})
    assert response.status_code == 422 and response.json["error"]["code"] == "validation_error"
    response = place(browser, organiser_event, a, {"x_m": 28, "y_m": 0, "width_m": 3, "depth_m": 3})
    assert response.status_code == 422 and response.json["error"]["code"] == "outside_hall"
    assert place(browser, organiser_event, a, {"x_m": 9, "y_m": 9, "width_m": 3, "depth_m": 3},
                 token=False).status_code == 400
    db.session.refresh(a)
    assert (a.x_m, a.y_m) == (0, 5.5)


def test_block_unblock_delete_and_publish(browser, organiser_event):
    plan = make_plan(organiser_event)
    booth = make_booth(plan, "A01")
    response = browser.post(f"{base(organiser_event)}/booths/{booth.id}/block", {"reason": "Cột điện"},
                            follow_redirects=True)
    assert "Đã khoá gian hàng A01." in response.get_data(as_text=True)
    db.session.refresh(booth)
    assert booth.status == BoothStatus.BLOCKED
    page = browser.get(base(organiser_event)).get_data(as_text=True)
    assert "Khoá gian" in page and "Cột điện" in page  # the audit log
    browser.post(f"{base(organiser_event)}/booths/{booth.id}/unblock")
    assert browser.post(f"{base(organiser_event)}/publish").status_code == 302
    db.session.refresh(plan)
    assert plan.is_published
    assert browser.post(f"{base(organiser_event)}/booths/{booth.id}/delete").status_code == 302
    assert booths_of(plan) == []


def test_print_view(browser, organiser_event):
    plan = make_plan(organiser_event)
    make_zone(plan, "Khu OCOP", width_m=20, depth_m=20)
    make_booth(plan, "A01", price_vnd=1_500_000, has_power=True)
    page = browser.get(f"{base(organiser_event)}/print").get_data(as_text=True)
    assert "floorplan--print" in page and "A01" in page and "1.500.000" in page and "Khu OCOP" in page


def test_other_organisation_cannot_touch_the_plan(app, browser, client):
    mine = factories.organisation()
    event = factories.event(mine)
    plan = make_plan(event)
    booth = make_booth(plan, "A01")
    theirs = factories.organisation()
    factories.user("khac@example.vn", organisation=theirs)
    browser.login("khac@example.vn")
    assert browser.get(base(event)).status_code in (403, 404)
    assert browser.post(f"{base(event)}/booths/{booth.id}/delete").status_code in (403, 404)
    assert place(browser, event, booth, {"x_m": 9, "y_m": 9, "width_m": 3, "depth_m": 3}).status_code in (403, 404)
    # The organiser's own booth ids do not work through another event either.
    other_event = factories.event(theirs)
    make_plan(other_event)
    assert browser.post(f"{base(other_event)}/booths/{booth.id}/delete").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booth)) == 1
    assert db.session.get(FloorPlan, plan.id).version == 0
