"""Hostile or careless input on every booths form and JSON endpoint: wrong types, nulls, huge and non-finite
numbers, long strings, NUL, lists where one value is expected, unknown choices, ids of other events and ids no
database holds. Never a 500, and a refused request writes nothing."""
import io
import json

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.booths.applications.models import ApplicationDocument, ApplicationStatus, BoothApplication
from eventhub.booths.floorplan.models import BookingMode, BoothType
from eventhub.extensions import db
from tests.booths import factories as booths

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HUGE = [2**31, 2**63, 2**64]
JSON_VALUES = [None, "", "abc", *HUGE, -1, 0, 3.7, 1e308, -1e308, float("nan"), float("inf"), float("-inf"), True,
               "NaN", "Infinity", "1e400", "x" * 5000, "a\x00b", "\ud800", [], {}, [1], [None], [[1]], [{}], ["1"],
               [2**63], [-1], [True]]
FORM_VALUES = ["", "abc", *map(str, HUGE), "-1", "0", "1e308", "nan", "inf", "-inf", "x" * 5000, "²", "١", "None",
               "3,5", "[1]", "{}"]
RAW_BODIES = ["null", "[]", "1", '"x"', "{", "", "[{}]", '{"a": NaN}']


@pytest.fixture
def fair(factory):
    """A self-booking fair: zone Khu A with OCOP booths A1–A3, a far startup booth S1, an organiser (signed in by
    token), an approved exhibitor (with its own token) and a second event of another organisation."""
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, booking_mode=BookingMode.SELF_BOOKING, self_booking_open=True)
    zone = booths.make_zone(plan, "Khu A", width_m=30, depth_m=40)
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * (i - 1), y_m=0, zone=zone) for i in range(1, 4)]
    startup = booths.make_booth(plan, "S1", x_m=50, y_m=30, booth_type=BoothType.STARTUP)
    organiser = factory.user("tochuc@example.vn", organisation=organisation)
    token, _ = accounts.issue_api_token(organiser.id, "Kiểm thử")
    application = booths.make_application(event, status=ApplicationStatus.APPROVED)
    exhibitor_token, _ = accounts.issue_api_token(application.exhibitor.user_id, "Chọn gian")
    elsewhere = factory.event(factory.organisation("Sở KH&CN tỉnh khác"), publish=True)
    other_plan = booths.make_plan(elsewhere)
    other_zone = booths.make_zone(other_plan, "Khu ngoài")
    other_booth = booths.make_booth(other_plan, "X1", zone=other_zone)
    other_application = booths.make_application(elsewhere, status=ApplicationStatus.APPROVED)
    return {"event": event, "plan": plan, "zone": zone, "row": row, "startup": startup, "organiser": organiser,
            "application": application, "headers": {"Authorization": f"Bearer {token}"},
            "exhibitor_headers": {"Authorization": f"Bearer {exhibitor_token}"}, "other_zone": other_zone,
            "other_booth": other_booth, "other_application": other_application}


def snapshot() -> dict:
    """Everything a booths request may write."""
    tables = ("floor_plans", "booth_zones", "booths", "booth_applications", "exhibitor_products",
              "application_documents", "booth_assignments", "allocation_runs", "booth_audit_log", "outbox_messages")
    state = {}
    for name in tables:
        table = db.metadata.tables[name]
        columns = [c for c in table.c if c.name not in ("updated_at",)]
        state[name] = sorted(map(repr, db.session.execute(sa.select(*columns)).all()))
    return state


def check(response, before, failures, label):
    """No 500; an error is JSON or a page with a message, and wrote nothing."""
    if response.status_code >= 500:
        failures.append(f"{label}: {response.status_code}")
    elif response.status_code >= 400:
        db.session.expire_all()
        if snapshot() != before:
            failures.append(f"{label}: {response.status_code} but data changed")
        if response.is_json:
            error = response.get_json()["error"]
            if not error["code"] or not error["message"]:
                failures.append(f"{label}: error without code or message")


# 1. JSON API bodies --------------------------------------------------------------------------------

def api_endpoints(fair) -> dict:
    e, z, b, a = fair["event"].id, fair["zone"].id, fair["row"][0].id, fair["application"].id
    base = f"/api/v1/events/{e}/floor-plan"
    rect = {"x_m": 40, "y_m": 30, "width_m": 3, "depth_m": 3}
    return {
        "plan": ("PUT", base, {"hall_width_m": 60, "hall_depth_m": 40, "entrance_x_m": 0, "entrance_y_m": 0,
                               "booking_mode": "self_booking", "self_booking_open": True, "hold_minutes": 10,
                               "setup_instructions_md": "Dựng gian từ 06:00."}),
        "publication": ("POST", f"{base}/publication", {"published": True}),
        "zone_create": ("POST", f"{base}/zones", {"name": "Khu B", "booth_type": "startup", **rect,
                                                  "colour": "#ffffff"}),
        "zone_update": ("PUT", f"{base}/zones/{z}", {"name": "Khu A", "booth_type": "ocop", "x_m": 0, "y_m": 0,
                                                     "width_m": 30, "depth_m": 40, "colour": "#fff4e0"}),
        "booth_create": ("POST", f"{base}/booths", {"code": "Z1", "booth_type": "ocop", "zone_id": None, **rect,
                                                    "price_vnd": 1_500_000, "premium": 1, "has_power": True,
                                                    "has_water": False, "is_corner": False, "note": "Gần cột"}),
        "booth_update": ("PUT", f"{base}/booths/{b}", {"code": "A1", "booth_type": "ocop", "zone_id": z, "x_m": 0,
                                                       "y_m": 0, "width_m": 3, "depth_m": 3, "price_vnd": 1,
                                                       "premium": 1}),
        "booth_block": ("POST", f"{base}/booths/{b}/block", {"blocked": True, "reason": "Cột điện"}),
        "row": ("POST", f"{base}/rows", {"prefix": "R", "first_number": 1, "digits": 2, "count": 2,
                                         "direction": "right", "booth_type": "ocop", "zone_id": None, **rect,
                                         "price_vnd": 0, "has_power": False, "has_water": False}),
        "review": ("POST", f"/api/v1/events/{e}/booth-applications/{a}/review",
                   {"action": "waitlist", "reason": "Chờ xét thêm"}),
        "hold": ("POST", f"/api/v1/exhibitor/applications/{a}/hold", {"booth_ids": [b]}),
        "allocation_run": ("POST", f"/api/v1/events/{e}/allocation/run", {
            "priority_basis": "stars", "zone_weight": 1, "priority_weight": 1, "near_weight": 1,
            "competitor_weight": 1, "time_limit_seconds": 2}),
        "allocation_move": ("POST", f"/api/v1/events/{e}/allocation/move", {"application_id": a, "booth_ids": [b]}),
        "allocation_lock": ("POST", f"/api/v1/events/{e}/allocation/lock", {"application_id": a, "locked": True}),
    }


API_ENDPOINTS = ["plan", "publication", "zone_create", "zone_update", "booth_create", "booth_update", "booth_block",
                 "row", "review", "hold", "allocation_run", "allocation_move", "allocation_lock"]


def _headers(fair, url):
    return fair["exhibitor_headers"] if "/exhibitor/" in url else fair["headers"]


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
def test_api_bodies_with_hostile_values_are_refused_cleanly(client, fair, endpoint):
    method, url, good = api_endpoints(fair)[endpoint]
    failures = []
    for key in [*good, "unknown_field"]:
        for value in JSON_VALUES:
            body = json.dumps({**good, key: value})
            before = snapshot()
            response = client.open(url, method=method, data=body, content_type="application/json",
                                   headers=_headers(fair, url))
            check(response, before, failures, f"{key}={value!r:.40}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
def test_api_bodies_that_are_not_objects_are_422(client, fair, endpoint):
    method, url, _good = api_endpoints(fair)[endpoint]
    for raw in RAW_BODIES:
        before = snapshot()
        response = client.open(url, method=method, data=raw, content_type="application/json",
                               headers=_headers(fair, url))
        assert response.status_code == 422, (raw, response.status_code)
        assert snapshot() == before
    response = client.open(url, method=method, data="a=1", content_type="application/x-www-form-urlencoded",
                           headers=_headers(fair, url))
    assert response.status_code == 422


@pytest.mark.parametrize("event_id", ["abc", "1.5", "-1", "99999999999999999999", str(2**31)])
@pytest.mark.parametrize("path, method", [("", "GET"), ("/run", "POST"), ("/move", "POST"), ("/lock", "POST")])
def test_allocation_api_event_ids_that_are_not_ids_are_404(client, fair, event_id, path, method):
    response = client.open(f"/api/v1/events/{event_id}/allocation{path}", method=method, json={},
                           headers=fair["headers"])
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_allocation_api_path_parameter_is_an_integer_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    parameters = paths["/events/{event_id}/allocation/run"]["post"]["parameters"]
    assert parameters == [{"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


@pytest.mark.parametrize("action", [[], ["approve"], {}, {"approve": 1}, 1, True, None, "APPROVE", "delete"])
def test_review_action_of_the_wrong_type_is_a_field_error(client, fair, action):
    url = f"/api/v1/events/{fair['event'].id}/booth-applications/{fair['application'].id}/review"
    response = client.post(url, json={"action": action}, headers=fair["headers"])
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["action"]
    db.session.expire_all()
    assert db.session.get(BoothApplication, fair["application"].id).status == ApplicationStatus.APPROVED


@pytest.mark.parametrize("application_id", [*HUGE, 0, -1])
@pytest.mark.parametrize("path", ["move", "lock"])
def test_allocation_application_ids_no_database_holds_are_404(client, fair, application_id, path):
    body = {"application_id": application_id, **({"booth_ids": [fair["row"][0].id]} if path == "move" else
                                                  {"locked": True})}
    response = client.post(f"/api/v1/events/{fair['event'].id}/allocation/{path}", json=body,
                           headers=fair["headers"])
    assert response.status_code == 404


@pytest.mark.parametrize("booth_id", [*HUGE, 0, -1])
def test_allocation_booth_ids_no_database_holds_are_unknown_booths(client, fair, booth_id):
    body = {"application_id": fair["application"].id, "booth_ids": [booth_id]}
    response = client.post(f"/api/v1/events/{fair['event'].id}/allocation/move", json=body, headers=fair["headers"])
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_booth"


def test_ids_of_another_event_are_refused(client, fair):
    e, a = fair["event"].id, fair["application"].id
    base = f"/api/v1/events/{e}/floor-plan"
    other_booth, other_zone = fair["other_booth"], fair["other_zone"]
    before = snapshot()
    answers = [
        client.put(f"{base}/booths/{other_booth.id}", json={"code": "X1", "booth_type": "ocop", "x_m": 40, "y_m": 30,
                                                           "width_m": 3, "depth_m": 3}, headers=fair["headers"]),
        client.post(f"{base}/booths/{other_booth.id}/block", json={"blocked": True}, headers=fair["headers"]),
        client.delete(f"{base}/booths/{other_booth.id}", headers=fair["headers"]),
        client.delete(f"{base}/zones/{other_zone.id}", headers=fair["headers"]),
        client.post(f"/api/v1/events/{e}/booth-applications/{fair['other_application'].id}/review",
                    json={"action": "reject", "reason": "x"}, headers=fair["headers"]),
        client.post(f"/api/v1/events/{e}/allocation/move", json={"application_id": fair["other_application"].id,
                                                                 "booth_ids": [fair["row"][0].id]},
                    headers=fair["headers"]),
        client.post(f"/api/v1/exhibitor/applications/{fair['other_application'].id}/hold",
                    json={"booth_ids": [fair["row"][0].id]}, headers=fair["exhibitor_headers"]),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    for url, body, headers in [
        (f"{base}/booths", {"code": "Z9", "booth_type": "ocop", "zone_id": other_zone.id, "x_m": 40, "y_m": 30,
                            "width_m": 3, "depth_m": 3}, fair["headers"]),
        (f"/api/v1/events/{e}/allocation/move", {"application_id": a, "booth_ids": [other_booth.id]},
         fair["headers"]),
        (f"/api/v1/exhibitor/applications/{a}/hold", {"booth_ids": [other_booth.id]}, fair["exhibitor_headers"]),
    ]:
        response = client.post(url, json=body, headers=headers)
        assert 400 <= response.status_code < 500 and response.is_json, (url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("query", ["status=zzz", "booth_type=zzz", "zone_id=99999999999999999999", "zone_id=abc",
                                   "q=" + "x" * 5000, "q=%25_", "page=-1", "page=99999999999999999999",
                                   "per_page=abc", "status=approved&status=rejected"])
def test_application_list_filters(client, fair, query):
    response = client.get(f"/api/v1/events/{fair['event'].id}/booth-applications?{query}", headers=fair["headers"])
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert list(response.get_json()["error"]["fields"]) in (["status"], ["booth_type"])


@pytest.mark.parametrize("q", ["x" * 5000, "%", "_", "'", "\\", "★", "%E2%98%85", "a%20%20b", "%F0%9F%98%80",
                               "%C3%A0%CC%80"])
def test_public_map_search(client, fair, q):
    booths.make_assignment(fair["row"][0], fair["application"])
    db.session.get(type(fair["plan"]), fair["plan"].id).is_published = True
    db.session.commit()
    slug = fair["event"].slug
    for url in (f"/api/v1/portal/events/{slug}/floor-plan?q={q}", f"/events/{slug}/map?q={q}"):
        assert client.get(url).status_code == 200, url


# 2. HTML forms and the pages' JSON endpoints ---------------------------------------------------------------

def organiser_forms(fair) -> dict:
    e, z, b, a = fair["event"].id, fair["zone"].id, fair["row"][0].id, fair["application"].id
    base = f"/manage/events/{e}/floor-plan"
    allocation = f"/manage/events/{e}/allocation"
    review = f"/manage/events/{e}/booth-applications/{a}"
    return {
        "settings": (f"{base}/settings", {"hall_width_m": "60", "hall_depth_m": "40", "entrance_x_m": "0",
                                          "entrance_y_m": "0", "booking_mode": "self_booking", "hold_minutes": "10",
                                          "setup_instructions_md": "Dựng gian"}),
        "zone_create": (f"{base}/zones", {"name": "Khu B", "booth_type": "startup", "x_m": "40", "y_m": "30",
                                          "width_m": "3", "depth_m": "3", "colour": "#ffffff"}),
        "zone_update": (f"{base}/zones/{z}", {"name": "Khu A", "booth_type": "ocop", "x_m": "0", "y_m": "0",
                                              "width_m": "30", "depth_m": "40", "colour": "#fff4e0"}),
        "booth_create": (f"{base}/booths", {"code": "Z1", "booth_type": "ocop", "zone_id": "", "x_m": "40",
                                            "y_m": "30", "width_m": "3", "depth_m": "3", "price_vnd": "1",
                                            "premium": "1"}),
        "booth_update": (f"{base}/booths/{b}", {"code": "A1", "booth_type": "ocop", "zone_id": str(z), "x_m": "0",
                                                "y_m": "0", "width_m": "3", "depth_m": "3", "price_vnd": "1",
                                                "premium": "1"}),
        "row": (f"{base}/rows", {"prefix": "R", "first_number": "1", "digits": "2", "count": "2",
                                 "direction": "right", "booth_type": "ocop", "zone_id": "", "x_m": "40",
                                 "y_m": "30", "width_m": "3", "depth_m": "3", "price_vnd": "0"}),
        "block": (f"{base}/booths/{b}/block", {"reason": "Cột điện"}),
        "allocation_run": (f"{allocation}/run", {"priority_basis": "stars", "zone_weight": "1",
                                                 "priority_weight": "1", "near_weight": "1",
                                                 "competitor_weight": "1", "time_limit_seconds": "2"}),
        "allocation_move": (f"{allocation}/move", {"application_id": str(a), "booth_codes": "A1"}),
        "allocation_swap": (f"{allocation}/swap", {"application_id": str(a), "other_application_id": str(a)}),
        "review": (f"{review}/waitlist", {"reason": "Chờ"}),
        "organiser_fields": (f"{review}/organiser-fields", {"priority": "1"}),
    }


@pytest.mark.parametrize("form", ["settings", "zone_create", "zone_update", "booth_create", "booth_update", "row",
                                  "block", "allocation_run", "allocation_move", "allocation_swap", "review",
                                  "organiser_fields"])
def test_organiser_forms_with_hostile_values_never_fail(browser, fair, form):
    browser.login(fair["organiser"].email)
    token = browser.csrf_token()
    url, good = organiser_forms(fair)[form]
    failures = []
    for key in good:
        for value in FORM_VALUES:
            before = snapshot()
            response = browser.client.post(url, data={**good, key: value, "csrf_token": token})
            check(response, before, failures, f"{key}={value!r:.40}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("field", ["application_id", "other_application_id"])
@pytest.mark.parametrize("value", HUGE)
def test_swap_and_move_forms_with_ids_no_database_holds(browser, fair, field, value):
    browser.login(fair["organiser"].email)
    base = f"/manage/events/{fair['event'].id}/allocation"
    data = {"application_id": str(fair["application"].id), "other_application_id": str(fair["application"].id),
            "booth_codes": "A1", field: str(value)}
    for action in ("swap", "move"):
        response = browser.post(f"{base}/{action}", data)
        assert response.status_code in (302, 404), (action, response.status_code)


def page_json_endpoints(fair) -> dict:
    e, b = fair["event"].id, fair["row"][0].id
    return {
        "place": (f"/manage/events/{e}/floor-plan/booths/{b}/place", {"x_m": 40, "y_m": 30, "width_m": 3,
                                                                       "depth_m": 3}),
        "move": (f"/manage/events/{e}/allocation/move.json", {"application_id": fair["application"].id,
                                                              "booth_ids": [b]}),
    }


@pytest.mark.parametrize("endpoint", ["place", "move"])
def test_page_json_endpoints_with_hostile_values(browser, fair, endpoint):
    browser.login(fair["organiser"].email)
    headers = {"X-CSRFToken": browser.csrf_token(), "Accept": "application/json"}
    url, good = page_json_endpoints(fair)[endpoint]
    failures = []
    for key in [*good, "unknown_field"]:
        for value in JSON_VALUES:
            before = snapshot()
            response = browser.client.post(url, data=json.dumps({**good, key: value}),
                                           content_type="application/json", headers=headers)
            check(response, before, failures, f"{key}={value!r:.40}")
    for raw in RAW_BODIES:
        before = snapshot()
        response = browser.client.post(url, data=raw, content_type="application/json", headers=headers)
        check(response, before, failures, f"raw {raw}")
        if response.status_code != 422:
            failures.append(f"raw {raw}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("endpoint", ["place", "move"])
def test_page_json_endpoints_need_the_csrf_token(browser, fair, endpoint):
    browser.login(fair["organiser"].email)
    url, good = page_json_endpoints(fair)[endpoint]
    before = snapshot()
    response = browser.client.post(url, json=good, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    assert snapshot() == before


APPLICATION = {"booth_type": "ocop", "booths_requested": "1", "staff_count": "2", "preferred_zone_id": "",
               "startup_stage": "", "products-0-name": "Cà phê rang xay", "products-0-product_group": "beverage",
               "products-0-ocop_stars": "4", "products-0-ocop_certificate_no": "OCOP-DL-2024-015",
               "products-0-ocop_certificate_year": "2024", "products-0-product_id": ""}


@pytest.fixture
def newcomer(browser, fair):
    """A signed-in exhibitor with no application yet to the fair."""
    exhibitor = booths.make_exhibitor(email="moi@example.vn")
    browser.login(exhibitor.email)
    return exhibitor


@pytest.mark.parametrize("field", sorted(APPLICATION))
def test_application_form_with_hostile_values_never_fails(browser, fair, newcomer, field):
    token = browser.csrf_token()
    url = f"/exhibitors/events/{fair['event'].id}/apply"
    failures = []
    for value in [*FORM_VALUES, str(fair["other_zone"].id), str(fair["other_application"].exhibitor_id)]:
        before = snapshot()
        response = browser.client.post(url, data={**APPLICATION, field: value, "csrf_token": token})
        check(response, before, failures, f"{field}={value!r:.40}")
        if response.status_code == 302:  # accepted: withdraw it, so that the next value can apply again
            application = db.session.scalar(sa.select(BoothApplication).where(
                BoothApplication.exhibitor_id == newcomer.id, BoothApplication.status != ApplicationStatus.WITHDRAWN))
            browser.client.post(f"/exhibitors/applications/{application.id}/withdraw", data={"csrf_token": token})
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("product_id", ["²", "١٢", "1²", "⁵"])
def test_a_product_id_of_other_digits_is_a_new_product(browser, fair, newcomer, product_id):
    response = browser.post(f"/exhibitors/events/{fair['event'].id}/apply",
                            {**APPLICATION, "products-0-product_id": product_id})
    assert response.status_code == 302
    application = db.session.scalar(sa.select(BoothApplication).where(BoothApplication.exhibitor_id == newcomer.id))
    assert [p.name for p in application.products] == ["Cà phê rang xay"]


@pytest.mark.parametrize("zone_or_exhibitor", ["preferred_zone_id", "near_exhibitor_ids", "avoid_exhibitor_ids"])
def test_application_form_refuses_ids_of_another_event(browser, fair, newcomer, zone_or_exhibitor):
    value = fair["other_zone"].id if zone_or_exhibitor == "preferred_zone_id" else \
        fair["other_application"].exhibitor_id
    response = browser.post(f"/exhibitors/events/{fair['event'].id}/apply", {**APPLICATION, zone_or_exhibitor: value})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).where(BoothApplication.exhibitor_id == newcomer.id)) == 0


def exhibitor_forms(fair) -> dict:
    a = fair["application"].id
    return {
        "hold": (f"/exhibitors/applications/{a}/booths/hold", {"booth_ids": str(fair["row"][1].id)}),
        "badges": (f"/exhibitors/applications/{a}/badges.pdf", {"names": "Nguyễn Văn An"}),
        "document": (f"/exhibitors/applications/{a}/documents", {"document_type": "other"}),
    }


@pytest.mark.parametrize("form", ["hold", "badges", "document"])
def test_exhibitor_forms_with_hostile_values_never_fail(browser, fair, form):
    browser.login(fair["application"].exhibitor.email)
    token = browser.csrf_token()
    url, good = exhibitor_forms(fair)[form]
    failures = []
    for key in good:
        for value in [*FORM_VALUES, str(fair["other_booth"].id), str(fair["startup"].id)]:
            before = snapshot()
            response = browser.client.post(url, data={**good, key: value, "csrf_token": token})
            check(response, before, failures, f"{key}={value!r:.40}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("sent, stored", [
    ("giay\x00phep.pdf", "giayphep.pdf"),
    ("\u202efdp.exe", "fdp.exe"),
    ("giấy phép\t2024.pdf", "giấy phép2024.pdf"),
    ("../../etc/giay-phep.pdf", "giay-phep.pdf"),
    ("\x00", "tai-lieu.pdf"),
])
def test_document_names_lose_characters_no_database_or_person_should_see(browser, fair, sent, stored):
    application = fair["application"]
    browser.login(application.exhibitor.email)
    response = browser.client.post(f"/exhibitors/applications/{application.id}/documents", data={
        "csrf_token": browser.csrf_token(), "document_type": "business_registration",
        "file": (io.BytesIO(PDF), sent)}, content_type="multipart/form-data")
    assert response.status_code == 302
    document = db.session.scalar(sa.select(ApplicationDocument))
    assert document.original_name == stored
    download = browser.get(f"/exhibitors/applications/{application.id}/documents/{document.id}")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"%PDF-1.4 <html> no end",
                                  b"GIF89a" + b"\x00" * 20, b"", b"MZ\x90\x00"])
def test_documents_that_could_run_are_refused(browser, fair, data):
    application = fair["application"]
    browser.login(application.exhibitor.email)
    response = browser.client.post(f"/exhibitors/applications/{application.id}/documents", data={
        "csrf_token": browser.csrf_token(), "document_type": "other", "file": (io.BytesIO(data), "trang.html")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationDocument)) == 0
