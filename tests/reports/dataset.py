"""One small province-year, used by the period, snapshot, API and cross-database tests.

Tỉnh (province) has a child district; "Hội Doanh nhân trẻ" is outside the tree but co-organises with both.
First half of 2026 (what the province counts):
  workshop 10/03 by the province, tagged "Khởi nghiệp xanh": students #1–5 (3 came), women #6–7 (both came)
  training 15/04 by the district: farmers #1–4 (the same people as students #1–4; 1 came); its rule is the
      default "checked in once" and the organisers marked farmer #2 completed: 2 trainees, not 4 registrations
  competition 20/05 by the association, co-organised by the province AND the district (counted once):
      enterprises #100–102
Exhibitors: a cooperative approved at the workshop (two OCOP products and one without stars) and at the
competition (one OCOP product); another exhibitor rejected at the workshop.
Not counted: the association's own fair on 01/03, a draft and a cancelled province event, the province's
talk on 10/08 (second half). A year earlier: a province workshop on 10/03/2025 with youth #200–201.
"""
from datetime import date

from eventhub.booths.applications.models import ApplicationStatus
from eventhub.checkin import completion
from eventhub.events import services as events
from eventhub.events.models import EventLevel, EventType
from eventhub.reports.models import Indicator
from tests.booths import factories as booths
from tests.competitions.factories import submitted_entries
from tests.reports import factories as reports
from tests.support import factories


def build():
    province = factories.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", short_name="Sở KH&CN Đắk Lắk")
    district = factories.organisation("UBND huyện Krông Pắc", parent_id=province.id)
    association = factories.organisation("Hội Doanh nhân trẻ tỉnh")
    workshop = reports.held_event(province, date(2026, 3, 10), event_type=EventType.WORKSHOP,
                                  tags=["Khởi nghiệp  xanh"], title="Diễn đàn khởi nghiệp xanh")
    reports.people(workshop, "student", 5, attended=3, first=1)
    reports.people(workshop, "women", 2, attended=2, first=6)
    training = reports.held_event(district, date(2026, 4, 15), event_type=EventType.TRAINING,
                                  level=EventLevel.LOCAL, title="Tập huấn lập kế hoạch kinh doanh")
    farmers = reports.people(training, "farmer", 4, attended=1, first=1)
    completion.decide(training.id, farmers[1].id, completion.Decision(True, "Học bù buổi chiều"), user_id=None)
    competition = reports.held_event(association, date(2026, 5, 20), event_type=EventType.COMPETITION,
                                     co_organisers=[province, district], title="Cuộc thi ý tưởng khởi nghiệp")
    reports.people(competition, "enterprise", 3, first=100)
    submitted_entries(competition, 3)  # "Số dự án dự thi" counts these, not the registrations
    fair = reports.held_event(association, date(2026, 3, 1), event_type=EventType.FAIR, title="Hội chợ OCOP")
    reports.people(fair, "farmer", 2, first=300)
    events.create_event(province.id, None, factories.event_details(title="Bản nháp", starts_at=workshop.starts_at,
                                                                    ends_at=workshop.ends_at))
    cancelled = reports.held_event(province, date(2026, 2, 2), finish=False, title="Sự kiện bị huỷ")
    events.apply_transition(cancelled.id, "cancel", reason="Thời tiết xấu")
    reports.held_event(province, date(2026, 8, 10), event_type=EventType.TALK, title="Tọa đàm tháng 8")
    last_year = reports.held_event(province, date(2025, 3, 10), event_type=EventType.WORKSHOP,
                                   title="Diễn đàn 2025")
    reports.people(last_year, "youth", 2, attended=1, first=200)
    cooperative = booths.make_exhibitor("Hợp tác xã Cà phê Ea Tu", with_account=False)
    booths.make_application(workshop, cooperative, status=ApplicationStatus.APPROVED, products=[
        {"ocop_stars": 4}, {"ocop_stars": 3, "name": "Mật ong hoa cà phê"}, {"ocop_stars": None, "name": "Bánh"}])
    booths.make_application(competition, cooperative, status=ApplicationStatus.APPROVED, products=[{"ocop_stars": 5}])
    booths.make_application(workshop, booths.make_exhibitor(with_account=False), status=ApplicationStatus.REJECTED)
    reports.supported(province, "Dự án cà phê sạch", date(2026, 3, 1), event_id=workshop.id)
    reports.supported(district, "Dự án mật ong", date(2026, 9, 1))
    reports.make_plan(province, 2026, targets=[
        reports.target(Indicator.EVENTS, 5, event_types=[EventType.WORKSHOP], label="Diễn đàn khởi nghiệp",
                       unit="diễn đàn"),
        reports.target(Indicator.TRAINEES, 10),
        reports.target(Indicator.PARTICIPANTS, 4, participant_group="women",
                       label="Phụ nữ tham gia"),
        reports.target(Indicator.EVENTS, 2, tags=["khởi nghiệp xanh"], label="Sự kiện khởi nghiệp xanh"),
        reports.target(Indicator.SUPPORTED_PROJECTS, 5),
    ])
    reports.make_plan(district, 2026, targets=[reports.target(Indicator.TRAINEES, 2)])
    return {"province": province, "district": district, "association": association, "workshop": workshop,
            "training": training, "competition": competition, "fair": fair}
