"""Attendance per agenda session, booths occupied and OCOP products by stars and group, for one event: counted by
the database, equal to what the agenda, check-in and floor-plan services say, and shown on the statistics page."""
from datetime import timedelta

import pytest

from eventhub.booths.applications.models import ApplicationStatus, ProductGroup
from eventhub.booths.floorplan import services as floorplan
from eventhub.booths.floorplan.models import BoothStatus, BoothType
from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.registration import services as registrations
from eventhub.registration import tickets
from eventhub.reports import event_stats, programme_stats
from eventhub.scheduling import services as agenda
from eventhub.scheduling import signup
from eventhub.timeutil import utcnow
from tests.booths import factories as booths
from tests.reports import event_scenario
from tests.scheduling import factories as scheduling


@pytest.fixture
def scenario(factory):
    """The event statistics scenario plus an agenda, a floor plan and exhibitors:
    - "Khai mạc" (room of 50, sign-up, 2 seats): An and Bình hold seats, Cúc waits; An and Dũng come, and so does
      Mai, who then cancels her ticket. "Tọa đàm" (no room, 30 places): nobody yet. "Phiên huỷ": cancelled.
    - OCOP booths: 4, one blocked; two taken, one only held. Startup booths: 2, one taken.
    - The approved cooperative shows coffee (4★), tea (5★), dried fruit (3★) and a brocade bag with no rating;
      a rejected one's 4★ honey is not shown."""
    data = event_scenario.build(factory)
    event, start, (students, _officials, _enterprises) = data["event"], data["start"], data["categories"]
    people = data["people"]
    room = scheduling.make_room(event, "Hội trường A", capacity=50)
    opening = scheduling.make_session(event, "Khai mạc", room=room, capacity=2, signup_required=True,
                                      starts_at=start + timedelta(hours=1))
    talk = scheduling.make_session(event, "Tọa đàm khởi nghiệp xanh", capacity=30,
                                   starts_at=start + timedelta(hours=3))
    dropped = scheduling.make_session(event, "Phiên huỷ", starts_at=start + timedelta(hours=5))
    agenda.cancel_session(event.id, dropped.id, "Diễn giả ốm")
    for person in ("an", "binh", "cuc"):
        signup.sign_up(opening.id, people[person].id)
    mai = factory.registration(event, students, full_name="Nguyễn Thị Mai")
    opening_list = checkin.session_list(event.id, opening.id)
    for who in (people["an"], people["dung"], mai):
        assert checkin.scan(opening_list.id, code=tickets.qr_payload(who.ticket_code), scanner=event_scenario.GATE,
                            now=start + timedelta(minutes=65)).result.accepted
    registrations.cancel(mai.id)

    plan = booths.make_plan(event)
    ocop = [booths.make_booth(plan, f"O{n}", booth_type=BoothType.OCOP) for n in range(1, 5)]
    startup = [booths.make_booth(plan, f"S{n}", booth_type=BoothType.STARTUP) for n in range(1, 3)]
    ocop[3].status = BoothStatus.BLOCKED
    db.session.commit()
    cooperative = booths.make_application(event, status=ApplicationStatus.APPROVED, products=[
        {"name": "Cà phê rang xay", "product_group": ProductGroup.BEVERAGE, "ocop_stars": 4},
        {"name": "Trà atisô", "product_group": ProductGroup.BEVERAGE, "ocop_stars": 5},
        {"name": "Mít sấy", "product_group": ProductGroup.FOOD, "ocop_stars": 3},
        {"name": "Túi thổ cẩm", "product_group": ProductGroup.HANDICRAFT, "ocop_stars": None}])
    startup_app = booths.make_application(event, status=ApplicationStatus.APPROVED, booth_type=BoothType.STARTUP,
                                          products=[])
    holder = booths.make_application(event, status=ApplicationStatus.APPROVED, products=[])
    booths.make_application(event, status=ApplicationStatus.REJECTED, products=[
        {"name": "Mật ong", "product_group": ProductGroup.FOOD, "ocop_stars": 4}])
    booths.make_assignment(ocop[0], cooperative)
    booths.make_assignment(ocop[1], cooperative)
    booths.make_assignment(ocop[2], holder, held_until=utcnow() + timedelta(minutes=10))
    booths.make_assignment(startup[0], startup_app)
    return {**data, "opening": opening, "talk": talk, "dropped": dropped, "opening_list": opening_list,
            "plan": plan}


def test_attendance_per_session(scenario):
    rows = [(s.title, s.room, s.capacity, s.cancelled, s.signed_up, s.checked_in, s.percent)
            for s in programme_stats.sessions(scenario["event"].id)]
    assert rows == [("Khai mạc", "Hội trường A", 2, False, 2, 2, 100.0),
                    ("Tọa đàm khởi nghiệp xanh", None, 30, False, 0, 0, 0.0),
                    ("Phiên huỷ", None, None, True, 0, 0, None)]
    opening = scenario["opening"]
    assert rows[0][4] == signup.confirmed_count(opening.id)
    # Mai's check-in stays on the room's list, but she no longer holds a ticket.
    assert checkin.checked_in_count(scenario["opening_list"].id) == rows[0][5] + 1


def test_booths_occupied_by_type(scenario):
    rows = [(b.code, b.booths, b.occupied, b.percent) for b in programme_stats.booths(scenario["event"].id)]
    assert rows == [("ocop", 3, 2, 66.7), ("startup", 2, 1, 50.0)]
    assert sum(b[2] for b in rows) == floorplan.status_counts(scenario["plan"].id)[BoothStatus.ASSIGNED]


def test_ocop_products_by_group_and_stars(scenario):
    rows = [(o.code, o.label, o.three_stars, o.four_stars, o.five_stars, o.total)
            for o in programme_stats.ocop_products(scenario["event"].id)]
    assert rows == [("food", "Thực phẩm", 1, 0, 0, 1), ("beverage", "Đồ uống", 0, 1, 1, 2)]


def test_an_event_without_agenda_or_floor_plan(factory):
    event = factory.event(factory.organisation())
    assert programme_stats.sessions(event.id) == programme_stats.booths(event.id) == \
        programme_stats.ocop_products(event.id) == ()


def test_the_statistics_page_and_json_show_them(scenario, browser):
    stats = event_stats.event_statistics(scenario["event"].id)
    data = stats.to_json()
    assert data["sessions"][0]["checked_in"] == 2 and data["sessions"][0]["percent"] == 100.0
    assert data["booths"][0] == {"code": "ocop", "label": "Sản phẩm OCOP", "booths": 3, "occupied": 2,
                                 "percent": 66.7}
    assert data["ocop_products"][1]["total"] == 2
    browser.login(event_scenario.ORGANISER)
    page = browser.get(f"/manage/events/{scenario['event'].id}/statistics").get_data(as_text=True)
    assert page.count("<svg") == 10
    for text in ("Người tham dự theo phiên", "Gian hàng đã có đơn vị theo loại",
                 "Sản phẩm OCOP trưng bày theo nhóm và số sao", "Hội trường A", "(đã huỷ)"):
        assert text in page
    assert f'<tr data-session="{scenario["opening"].id}"><th scope="row">' in page
