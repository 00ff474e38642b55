"""The demo province's startup competition: 12 entries in three fields, a jury of 5 (one declared conflict), two
rounds scored and closed, prizes published. Idempotent: loaded once, by the competition's title."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..accounts import services as accounts
from ..accounts.models import User
from ..events import services as events
from ..events.models import Event, EventLevel, EventType
from ..extensions import db
from ..timeutil import utcnow
from .entries import services as entries
from .entries.models import MemberGender
from .judging import services as judging
from .judging.models import AdvancementRule
from .results import services as results
from .results.models import PrizeKind

TITLE = "Cuộc thi Khởi nghiệp, khởi sự kinh doanh tỉnh Đắk Lắk"
FIELDS = ["Nông nghiệp công nghệ cao", "Công nghệ số", "Tác động xã hội"]
TEAMS = [
    ("Cà phê Ea Tu sạch", 0), ("Sầu riêng truy xuất nguồn gốc", 0), ("Mật ong rừng M'Drắk", 0), ("Phân bón vi sinh", 0),
    ("Ứng dụng đặt xe buýt", 1), ("Sàn nông sản trực tuyến", 1), ("Chatbot tiếng Ê Đê", 1), ("Cảm biến tưới tiêu", 1),
    ("Thổ cẩm Buôn Đôn", 2), ("Du lịch cộng đồng Lắk", 2), ("Bếp ăn cho trẻ vùng cao", 2), ("Tái chế nhựa ven hồ", 2),
]
JUDGES = [("giamkhao1@example.vn", "PGS.TS Nguyễn Văn Bình", (0, 1, 2), True),
          ("giamkhao2@example.vn", "ThS. Trần Thị Lan", (0, 2), False),
          ("giamkhao3@example.vn", "Ông Lê Quang Huy", (1,), False),
          ("giamkhao4@example.vn", "Bà H'Hen Niê", (0, 1, 2), False),
          ("giamkhao5@example.vn", "TS. Phạm Minh Tuấn", (1, 2), False)]
RUBRIC = [("Tính đổi mới sáng tạo", 30), ("Tiềm năng thị trường", 25), ("Mô hình kinh doanh", 20),
          ("Năng lực đội ngũ", 15), ("Tác động xã hội, môi trường", 10)]
PITCH = [("Trình bày (5 phút)", 40), ("Trả lời câu hỏi (3 phút)", 30), ("Khả năng triển khai", 30)]


def load_demo_competition(organisation_id: int, password: str, now: datetime | None = None) -> Event | None:
    now = now or utcnow()
    if db.session.scalar(sa.select(Event.id).where(Event.title == f"{TITLE} {now.year}")) is not None:
        return None
    event = events.create_event(organisation_id, None, events.EventDetails(
        title=f"{TITLE} {now.year}", summary="Vòng hồ sơ, chung kết thuyết trình 5 phút và 3 phút hỏi đáp.",
        event_type=EventType.COMPETITION, level=EventLevel.PROVINCE, province="Đắk Lắk",
        venue_name="Trung tâm Hỗ trợ khởi nghiệp tỉnh", starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=8), description_md="Cuộc thi dành cho đội 1–5 thành viên."))
    events.apply_transition(event.id, "publish", now=now - timedelta(days=60))
    competition = entries.save_competition(event.id, entries.CompetitionDetails(
        entry_deadline=now - timedelta(days=30), fields=FIELDS,
        questions=["Dự án đã có khách hàng chưa?", "Nhu cầu hỗ trợ của đội"]))
    made = []
    for n, (team, field_index) in enumerate(TEAMS, 1):
        members = [entries.MemberDetails(full_name=f"Thành viên {n}.{m}", phone=f"0905{n:02d}{m:04d}",
                                         gender=MemberGender.FEMALE if (n + m) % 2 else MemberGender.MALE,
                                         consent=True, group_code="student" if n % 3 else "youth",
                                         email=f"doi{n}.tv{m}@example.vn" if m == 1 else None)
                   for m in range(1, 2 + n % 4)]
        entry, _token = entries.start_entry(competition.id, entries.EntryDetails(
            team_name=team, members=members, field_id=competition.fields[field_index].id,
            summary=f"Dự án {team.lower()}.", submit=True,
            answers={q.id: "Có" for q in competition.questions}), now=now - timedelta(days=45 - n))
        made.append(entry)
    jury = []
    for email, name, fields, chair in JUDGES:
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            accounts.create_user(email, name, password)
        judge, _ = judging.add_judge(competition.id, judging.JudgeDetails(
            email, name, chair, [competition.fields[i].id for i in fields]))
        jury.append(judge)
    judging.declare_conflict(competition.id, jury[1].id, made[0].id, "Cố vấn của đội")
    first = _scored_round(competition.id, "Vòng hồ sơ", RUBRIC, jury, now - timedelta(days=20),
                          AdvancementRule.TOP_N, advance_count=6)
    results.advance(competition.id, first.id, now=now - timedelta(days=15))
    final = _scored_round(competition.id, "Chung kết", PITCH, jury, now - timedelta(days=3), AdvancementRule.PICK,
                          judges_per_entry=3)
    ranked = [r.entry.id for r in results.round_results(final) if r.mean is not None]
    for entry_id, kind in zip(ranked, [PrizeKind.FIRST, PrizeKind.SECOND, PrizeKind.THIRD, PrizeKind.CONSOLATION,
                                       PrizeKind.CONSOLATION], strict=False):
        results.award_prize(competition.id, entry_id, kind)
    results.publish_results(competition.id, now=now - timedelta(days=2))
    events.apply_transition(event.id, "finish", now=now - timedelta(days=2))
    return event


def _scored_round(competition_id, name, rubric, jury, closed_at, rule, advance_count=None, judges_per_entry=2):
    round_ = judging.save_round(competition_id, None, judging.RoundDetails(
        name=name, criteria=[judging.CriterionDetails(c, w) for c, w in rubric], judges_per_entry=judges_per_entry,
        rule=rule, advance_count=advance_count, judge_ids=[j.id for j in jury]))
    judging.assign_round(competition_id, round_.id)
    judging.open_round(competition_id, round_.id, now=closed_at - timedelta(days=5))
    for judge in jury:
        for assignment in judging.judge_assignments(judge.user_id, competition_id):
            if assignment.round_id != round_.id:
                continue
            # Scores that differ by entry and judge, the same every time the demo loads.
            values = {c.id: float((assignment.entry_id * 7 + judge.id * 3 + c.position * 5) % 6 + 4)
                      for c in round_.criteria}
            judging.save_scores(judge.user_id, assignment.id, judging.ScoreDetails(
                values, f"demo-save-{assignment.id}", comment="Ý tưởng rõ ràng, cần làm rõ thị trường."),
                now=closed_at - timedelta(days=1))
    return judging.close_round(competition_id, round_.id, now=closed_at)
