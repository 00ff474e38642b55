"""Bad input to the booths endpoints, as outcome tables: each row is a value that reaches an endpoint's own rules
(the hall's bounds, overlaps, duplicate codes, ids of other events and ids no database holds, the values an
endpoint reads itself outside its form, query parameters, uploads) and states the outcome, stored with the value
read back from the database or refused with nothing written. The JSON types are proven on the validator
(tests/test_form_json.py). Rows are read with plain SQL, so the tests do not depend on where booth code lives."""
import io

import pytest

from eventhub.accounts import services as accounts
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BookingMode, BoothType
from eventhub.extensions import db
from tests.booths import factories as booths
from tests.support.sweep import NOT_FOUND, Refused, Stored, invalid, newest, outcome, row, send_json, snapshot

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BIG = 2**63  # beyond a PostgreSQL bigint: once a 500 there
BOOTH_TABLES = ("floor_plans", "booth_zones", "booths", "booth_applications", "exhibitor_products",
                "application_documents", "booth_assignments", "allocation_runs", "booth_audit_log", "outbox_messages")


@pytest.fixture
def fair(factory):
    """A self-booking fair: zone Khu A with OCOP booths A1–A3, a far startup booth S1, an organiser (signed in by
    token), an approved exhibitor (with its own token) and a second event of another organisation."""
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, booking_mode=BookingMode.SELF_BOOKING, self_booking_open=True)
    zone = booths.make_zone(plan, "Khu A", width_m=30, depth_m=40)
    booth_row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * (i - 1), y_m=0, zone=zone) for i in range(1, 4)]
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
    return {"event": event, "plan": plan, "zone": zone, "row": booth_row, "startup": startup, "organiser": organiser,
            "application": application, "headers": {"Authorization": f"Bearer {token}"},
            "exhibitor_headers": {"Authorization": f"Bearer {exhibitor_token}"}, "other_zone": other_zone,
            "other_booth": other_booth, "other_application": other_application}


def run_rows(client, method, url, base, rows, headers, read_back):
    actual = {}
    for label, (values, _) in rows.items():
        before = snapshot(*BOOTH_TABLES)
        actual[label] = outcome(send_json(client, method, url, {**base, **values}, headers), before, read_back)
    return actual


def expected_of(rows):
    return {label: expected for label, (_, expected) in rows.items()}


# 1. The JSON API -----------------------------------------------------------------------------------------------

NOT_FOUND_PAGE = Refused(404, "")
RECT = {"x_m": 40, "y_m": 30, "width_m": 3, "depth_m": 3}
OUTSIDE_HALL = Refused(422, "outside_hall", ("x_m",))
OVERLAP = Refused(422, "booth_overlap", ("x_m",))
ZONE_OUTSIDE_HALL = Refused(422, "zone_outside_hall", ("x_m",))
UNKNOWN_ZONE = Refused(422, "unknown_zone", ("zone_id",))


def _plan(fair):
    def read(_response):
        stored = row("floor_plans", id=fair["plan"].id)
        return (stored["hall_width_m"], stored["hall_depth_m"], stored["hold_minutes"], stored["self_booking_open"],
                stored["setup_instructions_md"])
    return read


def _booth(response):
    stored = row("booths", id=response.get_json()["id"])
    return (stored["code"], stored["x_m"], stored["width_m"], stored["zone_id"], stored["price_vnd"],
            stored["premium"], stored["has_power"])


def _zone(response):
    stored = row("booth_zones", id=response.get_json()["id"])
    return stored["name"], stored["x_m"], stored["width_m"], stored["colour"]


def api_tables(fair) -> dict:
    """endpoint: (method, url, good body, rows of values -> expected, read back)."""
    e, z, b, a = fair["event"].id, fair["zone"].id, fair["row"][0].id, fair["application"].id
    base = f"/api/v1/events/{e}/floor-plan"
    plan_body = {"hall_width_m": 60, "hall_depth_m": 40, "entrance_x_m": 0, "entrance_y_m": 0,
                 "booking_mode": "self_booking", "self_booking_open": True, "hold_minutes": 10,
                 "setup_instructions_md": "Dựng gian từ 06:00."}
    booth_body = {"code": "Z1", "booth_type": "ocop", "zone_id": None, **RECT, "price_vnd": 1_500_000, "premium": 1,
                  "has_power": True, "has_water": False, "is_corner": False, "note": "Gần cột"}
    return {
        "plan": ("PUT", base, plan_body, {
            "widest_hall": ({"hall_width_m": 1000}, Stored((1000, 40, 10, True, "Dựng gian từ 06:00."))),
            "metres_with_decimals": ({"hall_depth_m": 40.5}, Stored((60, 40.5, 10, True, "Dựng gian từ 06:00."))),
            "longest_hold": ({"hold_minutes": 120}, Stored((60, 40, 120, True, "Dựng gian từ 06:00."))),
            "closed": ({"self_booking_open": False}, Stored((60, 40, 10, False, "Dựng gian từ 06:00."))),
            "hall_too_wide": ({"hall_width_m": 1000.5}, invalid("hall_width_m")),
            "hall_of_1e308": ({"hall_width_m": 1e308}, invalid("hall_width_m")),
            "hall_smaller_than_its_booths": ({"hall_width_m": 20}, Refused(422, "hall_too_small", ("hall_width_m",))),
            "entrance_outside_the_hall": ({"entrance_x_m": 61}, Refused(422, "entrance_outside", ("entrance_x_m",))),
            "hold_too_long": ({"hold_minutes": 121}, invalid("hold_minutes")),
            "hold_zero": ({"hold_minutes": 0}, invalid("hold_minutes")),
            "unknown_mode": ({"booking_mode": "zzz"}, invalid("booking_mode")),
            "open_as_text": ({"self_booking_open": "true"}, invalid("self_booking_open")),
            "instructions_too_long": ({"setup_instructions_md": "x" * 10_001}, invalid("setup_instructions_md")),
        }, _plan(fair)),
        "publication": ("POST", f"{base}/publication", {"published": True}, {
            "published": ({}, Stored(True)),
            "unpublished": ({"published": False}, Stored(False)),
            "as_text": ({"published": "yes"}, invalid("published")),
            "as_number": ({"published": 1}, invalid("published")),
        }, lambda _r: row("floor_plans", id=fair["plan"].id)["is_published"]),
        "zone_create": ("POST", f"{base}/zones", {"name": "Khu B", "booth_type": "startup", **RECT,
                                                  "colour": "#ffffff"}, {
            "colour_upper_case": ({"colour": "#ABCDEF"}, Stored(("Khu B", 40, 3, "#abcdef"))),
            "name_with_spaces": ({"name": "  Khu C  ", "x_m": 45}, Stored(("Khu C", 45, 3, "#ffffff"))),
            "overlapping_khu_a": ({"name": "Khu D", "x_m": 29}, Refused(422, "zone_overlap", ("x_m",))),
            "outside_the_hall": ({"name": "Khu E", "x_m": 58}, ZONE_OUTSIDE_HALL),
            "name_too_long": ({"name": "x" * 101}, invalid("name")),
            "colour_by_name": ({"colour": "white"}, invalid("colour")),
            "unknown_type": ({"booth_type": "zzz"}, invalid("booth_type")),
            "no_width": ({"width_m": 0}, Refused(422, "size_not_positive", ("width_m",))),
            "negative_position": ({"x_m": -1}, invalid("x_m")),
            "nul_in_name": ({"name": "Khu\x00"}, invalid("name")),
        }, _zone),
        "zone_update": ("PUT", f"{base}/zones/{z}", {"name": "Khu A", "booth_type": "ocop", "x_m": 0, "y_m": 0,
                                                     "width_m": 30, "depth_m": 40, "colour": "#fff4e0"}, {
            "renamed": ({"name": "Khu A mới"}, Stored(("Khu A mới", 0, 30, "#fff4e0"))),
            "outside_the_hall": ({"width_m": 61}, ZONE_OUTSIDE_HALL),
            "name_true": ({"name": True}, invalid("name")),
        }, _zone),
        "booth_create": ("POST", f"{base}/booths", booth_body, {
            "code_with_spaces": ({"code": " Z2 "}, Stored(("Z2", 40, 3, None, 1_500_000, 1, True))),
            "in_khu_a": ({"code": "Z3", "x_m": 10, "y_m": 10, "zone_id": z}, Stored(("Z3", 10, 3, z, 1_500_000, 1,
                                                                                     True))),
            "highest_price": ({"code": "Z4", "x_m": 45, "price_vnd": 2_000_000_000},
                              Stored(("Z4", 45, 3, None, 2_000_000_000, 1, True))),
            "code_taken": ({"code": "A1"}, Refused(422, "duplicate_code", ("code",))),
            "overlapping_a1": ({"code": "Z5", "x_m": 1, "y_m": 1}, OVERLAP),
            "outside_the_hall": ({"code": "Z6", "x_m": 58}, OUTSIDE_HALL),
            "zone_of_another_event": ({"code": "Z7", "zone_id": fair["other_zone"].id}, UNKNOWN_ZONE),
            "zone_no_database_holds": ({"code": "Z8", "zone_id": BIG}, UNKNOWN_ZONE),
            "price_too_high": ({"price_vnd": 2_000_000_001}, invalid("price_vnd")),
            "price_beyond_bigint": ({"price_vnd": BIG}, invalid("price_vnd")),
            "premium_4": ({"premium": 4}, invalid("premium")),
            "power_as_text": ({"has_power": "y"}, invalid("has_power")),
            "code_too_long": ({"code": "x" * 21}, invalid("code")),
            "note_too_long": ({"note": "x" * 301}, invalid("note")),
        }, _booth),
        "booth_update": ("PUT", f"{base}/booths/{b}", {"code": "A1", "booth_type": "ocop", "zone_id": z, "x_m": 0,
                                                       "y_m": 0, "width_m": 3, "depth_m": 3, "price_vnd": 1,
                                                       "premium": 1}, {
            "premium_3": ({"premium": 3}, Stored(("A1", 0, 3, z, 1, 3, False))),
            "onto_a2": ({"x_m": 4}, OVERLAP),
            "code_of_a2": ({"code": "A2"}, Refused(422, "duplicate_code", ("code",))),
            "zone_no_database_holds": ({"zone_id": BIG}, UNKNOWN_ZONE),
        }, _booth),
        "booth_block": ("POST", f"{base}/booths/{b}/block", {"blocked": True, "reason": "Cột điện"}, {
            "blocked": ({}, Stored("blocked")),
            "unblocked": ({"blocked": False}, Stored("available")),
            "as_text": ({"blocked": "true"}, invalid("blocked")),
            "as_number": ({"blocked": 1}, invalid("blocked")),
            "missing": ({"blocked": None}, invalid("blocked")),
            "reason_too_long": ({"reason": "x" * 501}, invalid("reason")),
        }, lambda _r: row("booths", id=b)["status"].value),
        "row": ("POST", f"{base}/rows", {"prefix": "R", "first_number": 1, "digits": 2, "count": 2,
                                         "direction": "right", "booth_type": "ocop", "zone_id": None, **RECT,
                                         "price_vnd": 0, "has_power": False, "has_water": False}, {
            "two_booths": ({}, Stored(["R01", "R02"])),
            "numbered_from_9999": ({"prefix": "D", "first_number": 9999, "digits": 4, "count": 1, "y_m": 35},
                                   Stored(["D9999"])),
            "beyond_the_hall": ({"prefix": "T", "count": 10, "y_m": 20}, OUTSIDE_HALL),
            "too_many": ({"count": 101}, invalid("count")),
            "five_digits": ({"digits": 5}, invalid("digits")),
            "prefix_too_long": ({"prefix": "x" * 11}, invalid("prefix")),
            "upwards": ({"direction": "up"}, invalid("direction")),
            "zone_of_another_event": ({"prefix": "Q", "zone_id": fair["other_zone"].id}, UNKNOWN_ZONE),
        }, lambda response: [item["code"] for item in response.get_json()["items"]]),
        "review": ("POST", f"/api/v1/events/{e}/booth-applications/{a}/review", {"reason": "Chờ xét thêm"}, {
            "waitlisted": ({"action": "waitlist"}, Stored("waitlisted")),
            **{f"action_{label}": ({"action": value}, invalid("action")) for label, value in (
                ("list", []), ("in_a_list", ["approve"]), ("object", {}), ("object_with_a_key", {"approve": 1}),
                ("number", 1), ("true", True), ("null", None), ("upper_case", "APPROVE"), ("unknown", "delete"))},
            "reason_as_a_number": ({"action": "reject", "reason": 5}, invalid("reason")),
        }, lambda _r: row("booth_applications", id=a)["status"].value),
        "hold": ("POST", f"/api/v1/exhibitor/applications/{a}/hold", {}, {
            "a2": ({"booth_ids": [fair["row"][1].id]}, Stored(["A2"])),
            "a_startup_booth": ({"booth_ids": [fair["startup"].id]}, Refused(400, "wrong_type")),
            "booth_of_another_event": ({"booth_ids": [fair["other_booth"].id]}, Refused(404, "unknown_booth")),
            "beyond_integer": ({"booth_ids": [2**31]}, invalid("booth_ids")),
            "zero": ({"booth_ids": [0]}, invalid("booth_ids")),
            "true": ({"booth_ids": [True]}, invalid("booth_ids")),
            "text": ({"booth_ids": "1"}, invalid("booth_ids")),
            "missing": ({}, invalid("booth_ids")),
        }, lambda _r: _held_codes(a)),
        "allocation_run": ("POST", f"/api/v1/events/{e}/allocation/run", {
            "priority_basis": "stars", "zone_weight": 1, "priority_weight": 1, "near_weight": 1,
            "competitor_weight": 1, "time_limit_seconds": 2}, {
            "heaviest_weight": ({"zone_weight": 10}, Stored(1)),
            "weight_too_heavy": ({"zone_weight": 10.5}, invalid("zone_weight")),
            "negative_weight": ({"near_weight": -1}, invalid("near_weight")),
            "weight_as_text": ({"priority_weight": "1"}, invalid("priority_weight")),
            "too_little_time": ({"time_limit_seconds": 0.4}, invalid("time_limit_seconds")),
            "unknown_basis": ({"priority_basis": "zzz"}, invalid("priority_basis")),
        }, lambda _r: db.session.scalar(db.select(db.func.count()).select_from(
            db.metadata.tables["allocation_runs"]))),
        "allocation_move": ("POST", f"/api/v1/events/{e}/allocation/move", {"application_id": a, "booth_ids": [b]}, {
            "to_a1": ({}, Stored([fair["row"][0].id])),
            **{f"application_{value}": ({"application_id": value}, NOT_FOUND) for value in (2**31, BIG, 0, -1)},
            **{f"booth_{value}": ({"booth_ids": [value]}, Refused(400, "unknown_booth"))
               for value in (2**31, BIG, 0, -1)},
            "booth_of_another_event": ({"booth_ids": [fair["other_booth"].id]}, Refused(400, "unknown_booth")),
            "booths_as_text": ({"booth_ids": "1"}, Refused(422, "invalid_booths")),
            "booth_true": ({"booth_ids": [True]}, Refused(422, "invalid_booths")),
            "application_as_text": ({"application_id": str(a)}, invalid("application_id")),
        }, lambda _r: sorted(r["booth_id"] for r in _assignments(a))),
        "allocation_lock": ("POST", f"/api/v1/events/{e}/allocation/lock", {"application_id": a, "locked": True}, {
            **{f"application_{value}": ({"application_id": value}, NOT_FOUND) for value in (2**31, BIG, 0, -1)},
            "locked_as_text": ({"locked": "true"}, Refused(422, "invalid_locked")),
            "locked_null": ({"locked": None}, Refused(422, "invalid_locked")),
        }, lambda _r: [r["locked"] for r in _assignments(a)]),
    }


def _assignments(application_id):
    assignments = db.metadata.tables["booth_assignments"]
    return db.session.execute(db.select(assignments).where(assignments.c.application_id == application_id)) \
        .mappings().all()


def _held_codes(application_id):
    booth_table = db.metadata.tables["booths"]
    return sorted(db.session.scalars(db.select(booth_table.c.code).where(
        booth_table.c.id.in_([r["booth_id"] for r in _assignments(application_id)]))))


API_ENDPOINTS = ["plan", "publication", "zone_create", "zone_update", "booth_create", "booth_update", "booth_block",
                 "row", "review", "hold", "allocation_run", "allocation_move", "allocation_lock"]


def _headers(fair, url):
    return fair["exhibitor_headers"] if "/exhibitor/" in url else fair["headers"]


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
def test_api_input(client, fair, endpoint):
    method, url, good, rows, read_back = api_tables(fair)[endpoint]
    actual = run_rows(client, method, url, good, rows, _headers(fair, url), read_back)
    assert actual == expected_of(rows)


def test_api_bodies_that_are_not_objects_are_422(client, fair):
    raw_bodies = ["null", "[]", "1", '"x"', "{", "", "[{}]", '{"a": NaN}']
    failures = []
    for endpoint in API_ENDPOINTS:
        method, url, *_ = api_tables(fair)[endpoint]
        for raw in raw_bodies:
            before = snapshot(*BOOTH_TABLES)
            response = client.open(url, method=method, data=raw, content_type="application/json",
                                   headers=_headers(fair, url))
            if response.status_code != 422 or snapshot(*BOOTH_TABLES) != before:
                failures.append((endpoint, raw, response.status_code))
        response = client.open(url, method=method, data="a=1", content_type="application/x-www-form-urlencoded",
                               headers=_headers(fair, url))
        if response.status_code != 422:
            failures.append((endpoint, "form-encoded", response.status_code))
    assert failures == []


def test_allocation_api_event_ids_that_are_not_ids_are_404(client, fair):
    answers = {}
    for event_id in ["abc", "1.5", "-1", "99999999999999999999", str(2**31)]:
        for path, method in [("", "GET"), ("/run", "POST"), ("/move", "POST"), ("/lock", "POST")]:
            response = client.open(f"/api/v1/events/{event_id}/allocation{path}", method=method, json={},
                                   headers=fair["headers"])
            answers[(event_id, path)] = (response.status_code, response.get_json()["error"]["code"])
    assert set(answers.values()) == {(404, "not_found")}


def test_allocation_api_path_parameter_is_an_integer_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    parameters = paths["/events/{event_id}/allocation/run"]["post"]["parameters"]
    assert parameters == [{"name": "event_id", "in": "path", "required": True,
                           "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}]


def test_ids_of_another_event_are_refused(client, fair):
    e, a = fair["event"].id, fair["application"].id
    base = f"/api/v1/events/{e}/floor-plan"
    other_booth, other_zone = fair["other_booth"], fair["other_zone"]
    before = snapshot(*BOOTH_TABLES)
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
    assert snapshot(*BOOTH_TABLES) == before
    assert row("booth_applications", id=a)["status"] == ApplicationStatus.APPROVED


def test_application_list_filters(client, fair):
    expected = {
        "status=zzz": invalid("status"), "booth_type=zzz": invalid("booth_type"),
        "status=approved&status=rejected": Stored(1), "zone_id=99999999999999999999": Stored(1),
        "zone_id=abc": Stored(1), "q=" + "x" * 5000: Stored(0), "q=%25_": Stored(1), "page=-1": invalid("page"),
        "page=99999999999999999999": invalid("page"), "per_page=abc": invalid("per_page"),
    }
    url = f"/api/v1/events/{fair['event'].id}/booth-applications"
    actual = {query: outcome(client.get(f"{url}?{query}", headers=fair["headers"]), {},
                             lambda r: r.get_json()["total"]) for query in expected}
    assert actual == expected


def test_public_map_search(client, fair):
    booths.make_assignment(fair["row"][0], fair["application"])
    fair["plan"].is_published = True
    db.session.commit()
    slug = fair["event"].slug
    failures = []
    for q in ["x" * 5000, "%", "_", "'", "\\", "★", "%E2%98%85", "a%20%20b", "%F0%9F%98%80", "%C3%A0%CC%80"]:
        for url in (f"/api/v1/portal/events/{slug}/floor-plan?q={q}", f"/events/{slug}/map?q={q}"):
            if (status := client.get(url).status_code) != 200:
                failures.append((url[:80], status))
    assert failures == []


# 2. HTML forms and the pages' JSON endpoints -------------------------------------------------------------------

def _html_rows(fair):
    """form: (url, good data, rows of values -> expected, read back). Every value is text here."""
    e, b, a = fair["event"].id, fair["row"][0].id, fair["application"].id
    base = f"/manage/events/{e}/floor-plan"
    allocation = f"/manage/events/{e}/allocation"
    page = Refused(422, "")
    return {
        "settings": (f"{base}/settings", {"hall_width_m": "60", "hall_depth_m": "40", "entrance_x_m": "0",
                                          "entrance_y_m": "0", "booking_mode": "self_booking", "hold_minutes": "10",
                                          "setup_instructions_md": "Dựng gian"}, {
            "decimal_comma": ({"hall_depth_m": "40,5"}, Stored(40.5)),
            "nan": ({"hall_depth_m": "nan"}, page),
            "infinity": ({"hall_depth_m": "inf"}, page),
            "1e308": ({"hall_depth_m": "1e308"}, page),
            "superscript_two": ({"hall_depth_m": "²"}, page),
            "hold_beyond_bigint": ({"hold_minutes": str(BIG)}, page),
        }, lambda _r: row("floor_plans", id=fair["plan"].id)["hall_depth_m"]),
        "booth_create": (f"{base}/booths", {"code": "Z1", "booth_type": "ocop", "zone_id": "", "x_m": "40",
                                            "y_m": "30", "width_m": "3", "depth_m": "3", "price_vnd": "1",
                                            "premium": "1"}, {
            "decimal_comma": ({"width_m": "3,5"}, Stored(3.5)),
            "zone_as_text": ({"code": "Z2", "zone_id": "abc"}, page),
            "zone_beyond_bigint": ({"code": "Z3", "zone_id": str(BIG)}, page),
            "zone_of_another_event": ({"code": "Z4", "zone_id": str(fair["other_zone"].id)}, page),
            "price_beyond_bigint": ({"code": "Z5", "price_vnd": str(BIG)}, page),
            "premium_arabic_digit": ({"code": "Z6", "premium": "١"}, page),
        }, lambda _r: newest("booths")["width_m"]),
        "row": (f"{base}/rows", {"prefix": "R", "first_number": "1", "digits": "2", "count": "2",
                                 "direction": "right", "booth_type": "ocop", "zone_id": "", "x_m": "40",
                                 "y_m": "30", "width_m": "3", "depth_m": "3", "price_vnd": "0"}, {
            "two_booths": ({}, Stored("R02")),
            "count_beyond_bigint": ({"count": str(BIG)}, page),
            "count_as_a_list": ({"count": "[1]"}, page),
        }, lambda _r: newest("booths")["code"]),
        "allocation_run": (f"{allocation}/run", {"priority_basis": "stars", "zone_weight": "1",
                                                 "priority_weight": "1", "near_weight": "1",
                                                 "competitor_weight": "1", "time_limit_seconds": "2"}, {
            "weight_nan": ({"zone_weight": "nan"}, page),
            "time_infinite": ({"time_limit_seconds": "inf"}, page),
        }, lambda _r: newest("allocation_runs")["id"]),
        "allocation_move": (f"{allocation}/move", {"application_id": str(a), "booth_codes": "A1"}, {
            "to_a1": ({}, Stored(["A1"])),
            "unknown_code": ({"booth_codes": "Q9"}, Stored(["A1"])),  # a message on the page, nothing moved
            "application_beyond_integer": ({"application_id": str(2**31)}, Stored(["A1"])),
            "application_beyond_bigint": ({"application_id": str(BIG)}, Stored(["A1"])),
        }, lambda _r: _held_codes(a)),
        "allocation_swap": (f"{allocation}/swap", {"application_id": str(a), "other_application_id": str(a)}, {
            "application_beyond_bigint": ({"application_id": str(BIG)}, Stored([])),
            "other_beyond_integer": ({"other_application_id": str(2**31)}, Stored([])),
        }, lambda _r: _held_codes(a)),
        "organiser_fields": (f"/manage/events/{e}/booth-applications/{a}/organiser-fields", {"priority": "1"}, {
            "priority_beyond_bigint": ({"priority": str(BIG)}, page),
        }, lambda _r: "redirect"),
        "block": (f"{base}/booths/{b}/block", {"reason": "Cột điện"}, {
            "reason_too_long": ({"reason": "x" * 5000}, Stored("available")),  # a message on the page
        }, lambda _r: row("booths", id=b)["status"].value),
    }


@pytest.mark.parametrize("form", ["settings", "booth_create", "row", "allocation_run", "allocation_move",
                                  "allocation_swap", "organiser_fields", "block"])
def test_organiser_form_input(browser, fair, form):
    browser.login(fair["organiser"].email)
    token = browser.csrf_token()
    url, good, rows, read_back = _html_rows(fair)[form]
    actual = {}
    for label, (values, _) in rows.items():
        before = snapshot(*BOOTH_TABLES)
        response = browser.client.post(url, data={**good, **values, "csrf_token": token})
        actual[label] = outcome(response, before, read_back)
    assert actual == expected_of(rows)


def test_page_json_endpoints(browser, fair):
    browser.login(fair["organiser"].email)
    headers = {"X-CSRFToken": browser.csrf_token(), "Accept": "application/json"}
    e, b, a = fair["event"].id, fair["row"][0].id, fair["application"].id
    place = f"/manage/events/{e}/floor-plan/booths/{b}/place"
    move = f"/manage/events/{e}/allocation/move.json"
    rect = {"x_m": 40, "y_m": 30, "width_m": 3, "depth_m": 3}
    rows = {
        "placed": (place, {**rect, "width_m": 3.5}, Stored((40, 3.5))),
        "onto_a2": (place, {**rect, "x_m": 3.5, "y_m": 0}, OVERLAP),
        "outside_the_hall": (place, {**rect, "x_m": 59}, OUTSIDE_HALL),
        "width_as_text": (place, {**rect, "width_m": "3,5"}, invalid("width_m")),
        "x_nan": (place, {**rect, "x_m": float("nan")}, invalid("x_m")),
        "unknown_field": (place, {**rect, "colour": "#fff"}, invalid("colour")),
        "moved": (move, {"application_id": a, "booth_ids": [fair["row"][2].id]}, Stored((fair["row"][2].id,))),
        "booth_beyond_bigint": (move, {"application_id": a, "booth_ids": [BIG]}, Refused(400, "unknown_booth")),
        "application_beyond_bigint": (move, {"application_id": BIG, "booth_ids": [b]}, NOT_FOUND),
        "booths_as_text": (move, {"application_id": a, "booth_ids": "1"}, Refused(422, "invalid_booths")),
    }

    def read_back(response):
        if "booth" in response.get_json() or "x_m" in response.get_json():
            stored = row("booths", id=b)
            return stored["x_m"], stored["width_m"]
        return tuple(r["booth_id"] for r in _assignments(a))

    actual = {}
    for label, (url, body, _) in rows.items():
        before = snapshot(*BOOTH_TABLES)
        actual[label] = outcome(send_json(browser.client, "POST", url, body, headers), before, read_back)
    assert actual == {label: expected for label, (_, _, expected) in rows.items()}
    for url in (place, move):
        for raw in ["null", "[]", "1", '"x"', "{", "", "[{}]", '{"a": NaN}']:
            before = snapshot(*BOOTH_TABLES)
            response = browser.client.post(url, data=raw, content_type="application/json", headers=headers)
            assert (response.status_code, snapshot(*BOOTH_TABLES) == before) == (422, True), (url, raw)


@pytest.mark.parametrize("endpoint", ["place", "move"])
def test_page_json_endpoints_need_the_csrf_token(browser, fair, endpoint):
    browser.login(fair["organiser"].email)
    e, b = fair["event"].id, fair["row"][0].id
    url, good = {
        "place": (f"/manage/events/{e}/floor-plan/booths/{b}/place", {"x_m": 40, "y_m": 30, "width_m": 3,
                                                                       "depth_m": 3}),
        "move": (f"/manage/events/{e}/allocation/move.json", {"application_id": fair["application"].id,
                                                              "booth_ids": [b]}),
    }[endpoint]
    before = snapshot(*BOOTH_TABLES)
    response = browser.client.post(url, json=good, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    assert snapshot(*BOOTH_TABLES) == before


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


def test_application_form_input(browser, fair, newcomer):
    token = browser.csrf_token()
    url = f"/exhibitors/events/{fair['event'].id}/apply"
    page = Refused(422, "")
    rows = {
        "application": ({}, Stored((1, 2, None, "Cà phê rang xay", 4))),
        "in_khu_a": ({"preferred_zone_id": str(fair["zone"].id)}, Stored((1, 2, fair["zone"].id, "Cà phê rang xay",
                                                                           4))),
        "zone_of_another_event": ({"preferred_zone_id": str(fair["other_zone"].id)}, page),
        "zone_beyond_bigint": ({"preferred_zone_id": str(BIG)}, page),
        "booths_requested_zero": ({"booths_requested": "0"}, page),
        "booths_requested_beyond_bigint": ({"booths_requested": str(BIG)}, page),
        "staff_negative": ({"staff_count": "-1"}, page),
        "six_stars": ({"products-0-ocop_stars": "6"}, page),
        "certificate_of_year_0": ({"products-0-ocop_certificate_year": "0"}, page),
        "unknown_product_group": ({"products-0-product_group": "abc"}, page),
        "product_name_too_long": ({"products-0-name": "x" * 5000}, page),
        "product_of_another_exhibitor": ({"products-0-product_id": str(BIG)}, Stored((1, 2, None, "Cà phê rang xay",
                                                                                     4))),
    }

    def application(_response):
        stored = newest("booth_applications")
        product = newest("exhibitor_products")
        return (stored["booths_requested"], stored["staff_count"], stored["preferred_zone_id"], product["name"],
                product["ocop_stars"])

    actual = {}
    for label, (values, _) in rows.items():
        before = snapshot(*BOOTH_TABLES)
        response = browser.client.post(url, data={**APPLICATION, **values, "csrf_token": token})
        actual[label] = outcome(response, before, application)
        if response.status_code == 302:  # accepted: withdraw it, so that the next row can apply again
            browser.client.post(f"/exhibitors/applications/{newest('booth_applications')['id']}/withdraw",
                                data={"csrf_token": token})
    assert actual == expected_of(rows)


@pytest.mark.parametrize("product_id", ["²", "١٢", "1²", "⁵"])
def test_a_product_id_of_other_digits_is_a_new_product(browser, fair, newcomer, product_id):
    response = browser.post(f"/exhibitors/events/{fair['event'].id}/apply",
                            {**APPLICATION, "products-0-product_id": product_id})
    assert response.status_code == 302
    application = newest("booth_applications")
    products = db.metadata.tables["exhibitor_products"]
    names = db.session.scalars(db.select(products.c.name).where(products.c.application_id == application["id"])).all()
    assert application["exhibitor_id"] == newcomer.id and names == ["Cà phê rang xay"]


@pytest.mark.parametrize("zone_or_exhibitor", ["preferred_zone_id", "near_exhibitor_ids", "avoid_exhibitor_ids"])
def test_application_form_refuses_ids_of_another_event(browser, fair, newcomer, zone_or_exhibitor):
    value = fair["other_zone"].id if zone_or_exhibitor == "preferred_zone_id" else \
        fair["other_application"].exhibitor_id
    before = snapshot(*BOOTH_TABLES)
    response = browser.post(f"/exhibitors/events/{fair['event'].id}/apply", {**APPLICATION, zone_or_exhibitor: value})
    assert response.status_code == 422 and snapshot(*BOOTH_TABLES) == before


def test_exhibitor_form_input(browser, fair):
    application = fair["application"]
    browser.login(application.exhibitor.email)
    token = browser.csrf_token()
    a = application.id
    page = Refused(422, "")
    rows = {
        "hold_a2": (f"/exhibitors/applications/{a}/booths/hold", {"booth_ids": str(fair["row"][1].id)},
                    Stored(["A2"])),
        "hold_booth_of_another_event": (f"/exhibitors/applications/{a}/booths/hold",
                                        {"booth_ids": str(fair["other_booth"].id)}, page),
        "hold_a_startup_booth": (f"/exhibitors/applications/{a}/booths/hold", {"booth_ids": str(fair["startup"].id)},
                                 page),
        "hold_beyond_bigint": (f"/exhibitors/applications/{a}/booths/hold", {"booth_ids": str(BIG)}, page),
        "hold_as_text": (f"/exhibitors/applications/{a}/booths/hold", {"booth_ids": "abc"}, page),
        "badges_with_long_names": (f"/exhibitors/applications/{a}/badges.pdf", {"names": "x" * 5000}, page),
        "document_of_unknown_type": (f"/exhibitors/applications/{a}/documents", {"document_type": "abc"}, page),
        "document_without_a_file": (f"/exhibitors/applications/{a}/documents", {"document_type": "other"}, page),
    }

    actual = {}
    for label, (url, data, _) in rows.items():
        before = snapshot(*BOOTH_TABLES)
        actual[label] = outcome(browser.client.post(url, data={**data, "csrf_token": token}), before,
                                lambda _r: _held_codes(a))
    assert actual == {label: expected for label, (_, _, expected) in rows.items()}


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
    document = newest("application_documents")
    assert document["original_name"] == stored
    download = browser.get(f"/exhibitors/applications/{application.id}/documents/{document['id']}")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"%PDF-1.4 <html> no end",
                                  b"GIF89a" + b"\x00" * 20, b"", b"MZ\x90\x00"])
def test_documents_that_could_run_are_refused(browser, fair, data):
    application = fair["application"]
    browser.login(application.exhibitor.email)
    before = snapshot(*BOOTH_TABLES)
    response = browser.client.post(f"/exhibitors/applications/{application.id}/documents", data={
        "csrf_token": browser.csrf_token(), "document_type": "other", "file": (io.BytesIO(data), "trang.html")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and snapshot(*BOOTH_TABLES) == before
