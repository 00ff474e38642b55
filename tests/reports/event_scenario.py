"""One event with known people and check-ins, for the event statistics tests (services, page, API)."""
from datetime import timedelta

from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin
from eventhub.registration import services as registrations
from eventhub.registration import tickets
from eventhub.registration.models import Gender
from eventhub.timeutil import utcnow

GATE = checkin.Scanner(gate="Cổng 1")
ORGANISER = "tochuc-thongke@example.vn"


def build(factory) -> dict:
    """An event starting at 08:00 local time (01:00 UTC) in 2027 or later:
    - Sinh viên (students): An (F, 2005, Đắk Lắk) came 08:02; Bình (M, 2000, Đắk Lắk) came 08:20;
      Cúc (F, no birth year, Hà Nội) did not come.
    - Cán bộ (officials): Dũng (M, 1980, Đắk Lắk) came 08:14; Hà (no gender, 1960, no province) checked in only
      in a side room, so did not come through the entrance.
    - Doanh nghiệp (enterprises): Khánh (F, 1990, Hà Nội) came 09:40, then cancelled: no longer counted;
      Long (M, 1995, Gia Lai) registered and cancelled before the event.
    """
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    organiser = factory.user(ORGANISER, organisation=organisation, role=Role.ORGANISER)
    start = (utcnow() + timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = factory.event(organisation, publish=True, starts_at=start, ends_at=start + timedelta(hours=9))
    students = factory.category(event, "Sinh viên", "student")
    officials = factory.category(event, "Cán bộ", "official")
    enterprises = factory.category(event, "Doanh nghiệp", "enterprise")

    def person(category, name, gender, birth_year, province):
        return factory.registration(event, category, full_name=name, gender=gender, birth_year=birth_year,
                                    province=province)

    an = person(students, "Nguyễn Thị An", Gender.FEMALE, 2005, "Đắk Lắk")
    binh = person(students, "Trần Văn Bình", Gender.MALE, 2000, "Đắk Lắk")
    cuc = person(students, "Lê Thị Cúc", Gender.FEMALE, None, "Hà Nội")
    dung = person(officials, "Phạm Văn Dũng", Gender.MALE, 1980, "Đắk Lắk")
    ha = person(officials, "Võ Thu Hà", None, 1960, None)
    khanh = person(enterprises, "Đặng Thị Khánh", Gender.FEMALE, 1990, "Hà Nội")
    long_ = person(enterprises, "Hoàng Văn Long", Gender.MALE, 1995, "Gia Lai")
    registrations.cancel(long_.id)
    entrance = checkin.entrance_for(event.id)
    room = checkin.save_list(event.id, None, checkin.CheckInListDetails(name="Phòng hội thảo"))
    for who, minutes, check_in_list in ((an, 2, entrance), (dung, 14, entrance), (binh, 20, entrance),
                                        (khanh, 100, entrance), (ha, 30, room), (an, 40, room)):
        outcome = checkin.scan(check_in_list.id, code=tickets.qr_payload(who.ticket_code), scanner=GATE,
                               now=start + timedelta(minutes=minutes))
        assert outcome.result.accepted, outcome
    registrations.cancel(khanh.id)
    return {"organisation": organisation, "organiser": organiser, "event": event, "start": start,
            "entrance": entrance, "categories": (students, officials, enterprises),
            "people": {"an": an, "binh": binh, "cuc": cuc, "dung": dung, "ha": ha, "khanh": khanh, "long": long_}}
