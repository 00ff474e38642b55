"""A two-day demo agenda for the demo startup day: rooms, tracks, speakers and sessions, through the services."""
from datetime import datetime, time, timedelta

from ..events.models import Event
from ..extensions import db
from ..timeutil import from_local, to_local
from . import services
from .models import SessionType

ROOMS = [("Hội trường chính", 500), ("Phòng tập huấn A", 40), ("Sân khấu pitching", 200)]
TRACKS = [("Đào tạo", "#16a34a"), ("Tọa đàm", "#2563eb"), ("Gọi vốn", "#dc2626"), ("Khai mạc, trao giải", "#a16207")]
SPEAKERS = [
    ("TS. Nguyễn Văn Hùng", "Giám đốc Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"),
    ("ThS. Lê Thị Hoa", "Giảng viên, chuyên gia khởi nghiệp xanh", "Trường Đại học Tây Nguyên"),
    ("Ông Trần Minh Quân", "Nhà đầu tư thiên thần", "Mạng lưới nhà đầu tư khởi nghiệp Tây Nguyên"),
    ("Bà H'Linh Niê", "Chủ nhiệm Hợp tác xã cà phê", "HTX Cà phê Ea Tu"),
]
# (day, start, end, title, type, room, track, speakers, capacity, sign-up)
SESSIONS = [
    (0, "08:00", "09:00", "Khai mạc Ngày hội", SessionType.CEREMONY, 0, 3, [0], None, False),
    (0, "09:00", "11:00", "Tọa đàm: Thanh niên khởi nghiệp đổi mới sáng tạo thời 4.0", SessionType.PANEL, 0, 1,
     [2, 3], None, False),
    (0, "09:00", "11:30", "Tập huấn: Khởi nghiệp xanh trong nền kinh tế tuần hoàn", SessionType.TRAINING, 1, 0, [1],
     None, True),
    (0, "13:30", "16:30", "Bán kết cuộc thi ý tưởng khởi nghiệp", SessionType.COMPETITION_ROUND, 2, 2, [2], None,
     False),
    (0, "14:00", "16:00", "Workshop: Chuẩn bị hồ sơ gọi vốn", SessionType.WORKSHOP, 1, 2, [1], 30, True),
    (1, "08:00", "10:00", "Tập huấn: Kỹ năng thuyết trình dự án", SessionType.TRAINING, 1, 0, [1], None, True),
    (1, "08:30", "11:30", "Chung kết cuộc thi ý tưởng khởi nghiệp", SessionType.COMPETITION_ROUND, 2, 2, [2, 0],
     None, False),
    (1, "14:00", "15:45", "Pitching gặp gỡ nhà đầu tư", SessionType.PITCHING, 2, 2, [2], None, False),
    (1, "16:00", "17:00", "Trao giải và bế mạc", SessionType.CEREMONY, 0, 3, [0], None, False),
]


def _at(event: Event, day: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return from_local(datetime.combine(to_local(event.starts_at).date() + timedelta(days=day), time(hour, minute)))


def load_demo_agenda(event_id: int) -> None:
    """Once per event: nothing is added when the event already has rooms."""
    event = db.session.get(Event, event_id)
    if services.rooms(event.id):
        return
    rooms = [services.save_room(event.id, None, services.RoomDetails(name=name, capacity=capacity, position=n))
             for n, (name, capacity) in enumerate(ROOMS)]
    tracks = [services.save_track(event.id, None, services.TrackDetails(name=name, colour=colour))
              for name, colour in TRACKS]
    known = {s.name: s for s in services.speakers(event.organisation_id)}
    speakers = [known.get(name) or services.save_speaker(event.organisation_id, None, services.SpeakerDetails(
                    name=name, title=title, organisation_name=where))
                for name, title, where in SPEAKERS]
    for day, start, end, title, kind, room, track, who, capacity, signup_required in SESSIONS:
        services.create_session(event.id, services.SessionDetails(
            title=title, session_type=kind, starts_at=_at(event, day, start), ends_at=_at(event, day, end),
            room_id=rooms[room].id, track_id=tracks[track].id, speaker_ids=[speakers[n].id for n in who],
            capacity=capacity, signup_required=signup_required))
