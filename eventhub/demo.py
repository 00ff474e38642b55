"""A demo province modelled on the seed plans (Đắk Lắk's startup ecosystem plan and its events)."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from .accounts import services as accounts
from .accounts.models import Membership, Organisation, OrganisationKind, Role, User
from .booths import demo as booths_demo
from .certificates.demo import load_demo_certificates, load_demo_prize_certificates
from .checkin import completion
from .checkin import services as checkin
from .checkin.models import CompletionRuleKind
from .competitions.demo import load_demo_competition
from .events import coorganisers
from .events import services as events
from .events.models import Event, EventLevel, EventStatus, EventType
from .extensions import db
from .registration import services as registration
from .registration import setup as registration_setup
from .registration.models import Gender, RegistrationSource
from .reports.demo import load_demo_groups, load_demo_plan
from .reports.rounds.demo import load_demo_round
from .scheduling.demo import load_demo_agenda
from .timeutil import from_local, to_local, utcnow

DEMO_PASSWORD = "khoinghiep2025"
PROVINCE = "Đắk Lắk"

ORGANISATIONS = [
    ("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "Sở KH&CN Đắk Lắk", OrganisationKind.AGENCY, None, None),
    ("Tỉnh Đoàn Đắk Lắk", "Tỉnh Đoàn", OrganisationKind.UNION, None, None),
    ("Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk", "Hội LHPN tỉnh", OrganisationKind.UNION, None, None),
    ("Trường Đại học Tây Nguyên", "ĐH Tây Nguyên", OrganisationKind.SCHOOL, "Phường Buôn Ma Thuột", None),
    ("Hội Doanh nhân trẻ tỉnh Đắk Lắk", "Hội DNT Đắk Lắk", OrganisationKind.BUSINESS_ASSOCIATION, None, None),
    ("UBND xã Ea Kar", "UBND xã Ea Kar", OrganisationKind.DISTRICT, "Xã Ea Kar",
     "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"),
    ("UBND xã Krông Búk", "UBND xã Krông Búk", OrganisationKind.DISTRICT, "Xã Krông Búk",
     "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"),
]

USERS = [
    ("admin@eventhub.local", "Quản trị hệ thống", None, None, True),
    ("tochuc@skhcn.daklak.gov.vn", "Nguyễn Thị Hồng Nhung", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", Role.ADMIN, False),
    ("sukien@skhcn.daklak.gov.vn", "Trần Văn Minh", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", Role.ORGANISER, False),
    ("checkin@skhcn.daklak.gov.vn", "Y Bhim Niê", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", Role.CHECKIN_STAFF, False),
    ("bithu@tinhdoan.daklak.vn", "Lê Hoàng Anh", "Tỉnh Đoàn Đắk Lắk", Role.ADMIN, False),
]


CATEGORIES = {
    EventType.STARTUP_DAY: [
        ("Học sinh, sinh viên", "student", 600),
        ("Thanh niên khởi nghiệp", "youth", None),
        ("Doanh nghiệp, hợp tác xã", "enterprise", None),
        ("Cán bộ, công chức, viên chức", "official", 100),
    ],
    EventType.TRAINING: [
        ("Thanh niên", "youth", None),
        ("Phụ nữ", "women", None),
        ("Thành viên hợp tác xã", "enterprise", 20),
    ],
    EventType.WORKSHOP: [
        ("Thanh niên, sinh viên", "youth", None),
        ("Doanh nghiệp, nhà đầu tư", "enterprise", None),
    ],
}


def _events(ids: dict[str, int], now: datetime) -> list[tuple[str, events.EventDetails, EventStatus]]:
    """The demo's events, on days counted from the day the demo is loaded."""
    today = to_local(now).date()

    def _local(day_offset: int, hour: int, minute: int = 0) -> datetime:
        return from_local(datetime.combine(today + timedelta(days=day_offset), time(hour, minute)))

    sktcn = "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"
    return [
        (sktcn, events.EventDetails(
            title="Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Đắk Lắk năm 2026",
            summary="Trưng bày sản phẩm khởi nghiệp, OCOP; tọa đàm, gọi vốn và trao giải cuộc thi ý tưởng.",
            event_type=EventType.STARTUP_DAY, level=EventLevel.PROVINCE, province=PROVINCE,
            sub_unit="Phường Buôn Ma Thuột", venue_name="Trung tâm Hội nghị tỉnh Đắk Lắk",
            venue_address="Số 01 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
            starts_at=_local(21, 7, 30), ends_at=_local(22, 17, 0),
            registration_opens_at=_local(-7, 8), registration_closes_at=_local(19, 17), capacity=1200,
            description_md=(
                "## Nội dung chính\n\n- Khu trưng bày **100 gian hàng** sản phẩm khởi nghiệp, OCOP và sản phẩm "
                "công nghiệp nông thôn tiêu biểu\n- Tọa đàm *Học sinh, sinh viên và thanh niên khởi nghiệp đổi mới "
                "sáng tạo trong cuộc cách mạng 4.0*\n- Chung kết và trao giải cuộc thi ý tưởng khởi nghiệp\n\n"
                "Thực hiện Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh (Đề án 844)."),
            co_organiser_ids=[ids["Tỉnh Đoàn Đắk Lắk"], ids["Hội Doanh nhân trẻ tỉnh Đắk Lắk"]],
        ), EventStatus.PUBLISHED),
        (sktcn, events.EventDetails(
            title="Tập huấn “Khởi nghiệp xanh trong nền kinh tế tuần hoàn” 2026",
            summary="Lớp tập huấn cho thanh niên, phụ nữ và hợp tác xã về mô hình kinh doanh tuần hoàn.",
            event_type=EventType.TRAINING, level=EventLevel.PROVINCE, province=PROVINCE,
            sub_unit="Phường Buôn Ma Thuột", venue_name="Hội trường Sở Khoa học và Công nghệ",
            venue_address="Số 15 Lê Thánh Tông, phường Buôn Ma Thuột",
            starts_at=_local(10, 8), ends_at=_local(11, 16, 30),
            capacity=60, description_md="Giảng viên: chuyên gia mạng lưới cố vấn khởi nghiệp quốc gia.",
            co_organiser_ids=[ids["Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk"]],
        ), EventStatus.PUBLISHED),
        (sktcn, events.EventDetails(
            title="Tập huấn kỹ năng thuyết trình và xây dựng kế hoạch khởi nghiệp 2026",
            summary="Dành cho các đội vào vòng chung kết cuộc thi ý tưởng khởi nghiệp.",
            event_type=EventType.TRAINING, level=EventLevel.PROVINCE, province=PROVINCE,
            venue_name="Trường Đại học Tây Nguyên", venue_address="567 Lê Duẩn, phường Buôn Ma Thuột",
            starts_at=_local(14, 8), ends_at=_local(14, 17), capacity=40,
            description_md="Kết nối cố vấn khởi nghiệp cho các tổ chức, cá nhân có dự án được chọn.",
            co_organiser_ids=[ids["Trường Đại học Tây Nguyên"]],
        ), EventStatus.DRAFT),
        (sktcn, events.EventDetails(
            title="Tập huấn khởi nghiệp cho phụ nữ và hợp tác xã (đợt 1) 2026",
            summary="Lớp tập huấn đã tổ chức: lập kế hoạch kinh doanh, tiếp cận vốn, bán hàng trên sàn số.",
            event_type=EventType.TRAINING, level=EventLevel.PROVINCE, province=PROVINCE,
            sub_unit="Xã Ea Kar", venue_name="Hội trường UBND xã Ea Kar",
            starts_at=_local(-45, 8), ends_at=_local(-44, 16, 30), capacity=60,
            description_md="Phối hợp với Hội Liên hiệp Phụ nữ tỉnh.",
            co_organiser_ids=[ids["Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk"]],
        ), EventStatus.FINISHED),
        ("Tỉnh Đoàn Đắk Lắk", events.EventDetails(
            title="Diễn đàn thanh niên khởi nghiệp đổi mới sáng tạo tỉnh Đắk Lắk 2026",
            summary="Đối thoại giữa thanh niên khởi nghiệp, nhà đầu tư và lãnh đạo tỉnh.",
            event_type=EventType.WORKSHOP, level=EventLevel.PROVINCE, province=PROVINCE,
            venue_name="Nhà Văn hóa Thanh niên tỉnh", starts_at=_local(30, 8), ends_at=_local(30, 11, 30),
            capacity=300, description_md="Chủ đề: *Đổi mới tư duy để bứt phá trong khởi nghiệp*.",
        ), EventStatus.PUBLISHED),
    ]


FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "H'Linh", "Y", "Võ", "Đặng", "Bùi", "Hoàng"]
GIVEN_NAMES = [("Thị Mai", Gender.FEMALE), ("Văn Hùng", Gender.MALE), ("Thị Hoa", Gender.FEMALE),
               ("Minh Quân", Gender.MALE), ("Thu Trang", Gender.FEMALE), ("Đức Anh", Gender.MALE),
               ("Ngọc Ánh", Gender.FEMALE)]
COMMUNES = ["Phường Buôn Ma Thuột", "Xã Ea Kar", "Xã Krông Pắc", "Phường Tân Lợi", "Xã Cư M'gar"]


def _attendance(event_id: int, *, people: int, came: int, now: datetime) -> list:
    """Registrations (entered by the organisers, as from a paper list, never later than `now`) and, for an event
    already held, check-ins at the main gate spread over its first morning (returned): what the statistics and
    reports count."""
    event = db.session.get(Event, event_id)
    categories = registration.categories(event_id)
    gate = checkin.entrance_for(event_id)
    arrived = []
    for n in range(people):
        given, gender = GIVEN_NAMES[n % len(GIVEN_NAMES)]
        person = registration.register(event_id, registration.Registrant(
            full_name=f"{FAMILY_NAMES[n % len(FAMILY_NAMES)]} {given}", category_id=categories[n % len(categories)].id,
            phone=f"09{event_id:02d}{n:06d}", gender=gender, birth_year=1975 + (n * 7) % 32, province=PROVINCE,
            sub_unit=COMMUNES[n % len(COMMUNES)]), source=RegistrationSource.MANUAL,
            now=min(now, event.starts_at - timedelta(days=10)) - timedelta(hours=n))
        if n < came:
            checkin.scan(gate.id, registration_id=person.id, scanner=checkin.Scanner(gate="Cổng chính"),
                         now=event.starts_at - timedelta(minutes=40) + timedelta(minutes=2 * n))
            arrived.append(person)
    return arrived


def _completion(event_id: int, came: list, *, second_day: int, organiser_id: int | None, now: datetime) -> None:
    """The held training's rule, present every day: of the people who came, the first `second_day` came back on its
    second day, and the organisers marked one more completed (a second day missed with leave, made up later)."""
    event = db.session.get(Event, event_id)
    gate = checkin.entrance_for(event_id)
    for n, person in enumerate(came[:second_day]):
        checkin.scan(gate.id, registration_id=person.id, scanner=checkin.Scanner(gate="Cổng chính"),
                     now=event.starts_at + timedelta(days=1, minutes=-30 + n))
    completion.set_rule(event_id, completion.RuleDetails(CompletionRuleKind.EVERY_DAY), user_id=organiser_id,
                        now=min(now, event.starts_at))
    completion.decide(event_id, came[second_day].id, completion.Decision(
        True, "Vắng ngày thứ hai có phép, đã học bù"), user_id=organiser_id,
        now=min(now, event.ends_at + timedelta(days=3)))


def _demo_messages(event_id: int, organiser_id: int | None, now: datetime) -> None:
    """The outbox on all three channels: the registration notices went by SMS (the people gave phones only),
    booth reviews by e-mail; then the organisation turns on Zalo ZNS and writes to the young entrepreneurs."""
    from .broadcasts import services as broadcasts
    from .broadcasts.models import OrganiserMessage
    from .mail.models import ChannelPolicy

    event = db.session.get(Event, event_id)
    if db.session.scalar(sa.select(OrganiserMessage.id).where(OrganiserMessage.event_id == event_id).limit(1)):
        return
    if db.session.get(ChannelPolicy, event.organisation_id) is None:
        db.session.add(ChannelPolicy(organisation_id=event.organisation_id, use_zns=True))
        db.session.commit()
    broadcasts.send(event, broadcasts.MessageDetails(
        "Hướng dẫn đến hội trường", "Mời các bạn đến sớm 15 phút; lối vào dành cho khách ở cổng phía đông.",
        broadcasts.Audience(groups=["youth"])), user_id=organiser_id, now=min(now, event.starts_at))


def load_demo_data(now: datetime | None = None) -> str:
    """The demo province with its events around `now` (held, running or planned as of then), idempotent."""
    now = now or utcnow()
    ids = {o.name: o.id for o in db.session.scalars(sa.select(Organisation))}
    for name, short_name, kind, sub_unit, parent in ORGANISATIONS:
        if name not in ids:
            ids[name] = accounts.save_organisation(None, accounts.OrganisationDetails(
                name=name, short_name=short_name, kind=kind, province=PROVINCE, sub_unit=sub_unit,
                parent_id=ids.get(parent))).id
    for email, full_name, organisation, role, is_admin in USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email, full_name, DEMO_PASSWORD, is_platform_admin=is_admin)
        if organisation and not db.session.scalar(sa.select(Membership.id).where(
                Membership.user_id == user.id, Membership.organisation_id == ids[organisation])):
            db.session.add(Membership(user_id=user.id, organisation_id=ids[organisation], role=role))
            db.session.commit()
    organiser_id = db.session.scalar(sa.select(User.id).where(User.email == USERS[1][0]))
    created = 0
    for organisation, details, status in _events(ids, now):
        event_id = db.session.scalar(sa.select(Event.id).where(Event.title == details.title))
        if event_id is None:
            event = events.create_event(ids[organisation], None, details)
            for partner_id in details.co_organiser_ids:  # the demo's partners accepted their invitations
                coorganisers.answer(event.id, partner_id, "accept")
            if status != EventStatus.DRAFT:  # a finished event was published before it was held
                events.apply_transition(event.id, "publish", now=min(now, details.starts_at - timedelta(days=20)))
            event_id, created = event.id, created + 1
            for position, (name, group, quota) in enumerate(CATEGORIES[details.event_type]):
                registration_setup.save_category(event_id, None, registration_setup.CategoryDetails(
                    name=name, participant_group=group, quota=quota, position=position))
            if status == EventStatus.FINISHED:
                came = _attendance(event_id, people=42, came=34, now=now)
                _completion(event_id, came, second_day=30, organiser_id=organiser_id, now=now)
                events.apply_transition(event_id, "finish", now=now)
            elif details.event_type == EventType.STARTUP_DAY:
                _attendance(event_id, people=80, came=0, now=now)
        if status == EventStatus.FINISHED and details.event_type == EventType.TRAINING:
            load_demo_certificates(event_id, issued_by=organiser_id, now=now)
        if details.event_type == EventType.STARTUP_DAY:
            fair_id = event_id
            load_demo_agenda(event_id)
    fair = booths_demo.load_demo_floor_plan(fair_id, password=DEMO_PASSWORD, reviewer_id=organiser_id)
    load_demo_plan(ids["Sở Khoa học và Công nghệ tỉnh Đắk Lắk"], to_local(now).year, to_local(now).date())
    load_demo_groups()
    load_demo_round(ids["Sở Khoa học và Công nghệ tỉnh Đắk Lắk"], organiser_id=organiser_id, now=now)
    competition_event = load_demo_competition(ids["Sở Khoa học và Công nghệ tỉnh Đắk Lắk"], DEMO_PASSWORD, now)
    if competition_event is not None:  # its prizes are published: the prized teams' members get certificates
        load_demo_prize_certificates(competition_event.id, issued_by=organiser_id, now=now)
    _demo_messages(fair_id, organiser_id, now)
    return (f"{len(ids)} organisations, {len(USERS)} accounts, {created} new events"
            f"{', a booth fair' if fair else ''} (password: {DEMO_PASSWORD})")
