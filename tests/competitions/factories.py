"""Competition test data built through the services."""
from datetime import timedelta

from eventhub.competitions.entries import services as entries
from eventhub.competitions.entries.models import MemberGender
from eventhub.competitions.judging import services as judging
from eventhub.events.models import EventType
from eventhub.timeutil import utcnow
from tests.support import factories

FIELDS = ["Nông nghiệp", "Công nghệ", "Tác động xã hội"]


def make_competition(organisation, *, deadline_days=10, fields=FIELDS, questions=("Sản phẩm đã có khách hàng?",)):
    event = factories.event(organisation, publish=True, event_type=EventType.COMPETITION,
                            title="Cuộc thi Khởi nghiệp tỉnh Đắk Lắk 2027")
    return entries.save_competition(event.id, entries.CompetitionDetails(
        entry_deadline=utcnow() + timedelta(days=deadline_days), fields=list(fields), questions=list(questions)))


def member(n=1, **overrides):
    values = dict(full_name=f"Trần Thị Bình {n}", phone=f"09{n:08d}", gender=MemberGender.FEMALE, consent=True,
                  email=f"tv{n}@example.vn", group_code="student")
    values.update(overrides)
    return entries.MemberDetails(**values)


def entry_details(competition, n=1, *, field_index=0, members=1, submit=True, **overrides):
    values = dict(team_name=f"Đội {n}", members=[member(n * 10 + i) for i in range(members)],
                  field_id=competition.fields[field_index].id, summary="Cà phê sạch",
                  answers={q.id: "Có" for q in competition.questions}, submit=submit)
    values.update(overrides)
    return entries.EntryDetails(**values)


def make_entry(competition, n=1, **overrides):
    entry, token = entries.start_entry(competition.id, entry_details(competition, n, **overrides))
    return entry, token


def make_judge(competition, n, *, field_indexes=(0,), chair=False):
    """A judge with an account of the tests' password (signed in with `browser.login`)."""
    from eventhub.accounts.models import User
    from eventhub.extensions import db

    if db.session.scalar(db.select(User.id).where(User.email == f"giamkhao{n}@example.vn")) is None:
        factories.user(f"giamkhao{n}@example.vn", full_name=f"Giám khảo {n}")
    judge, _password = judging.add_judge(competition.id, judging.JudgeDetails(
        email=f"giamkhao{n}@example.vn", full_name=f"Giám khảo {n}", is_chair=chair,
        field_ids=[competition.fields[i].id for i in field_indexes]))
    return judge


RUBRIC = [judging.CriterionDetails("Tính đổi mới", 30), judging.CriterionDetails("Thị trường", 25),
          judging.CriterionDetails("Mô hình kinh doanh", 20), judging.CriterionDetails("Đội ngũ", 15),
          judging.CriterionDetails("Tác động", 10)]


def make_round(competition, judges, *, k=2, name="Vòng hồ sơ", advance_count=2, **overrides):
    values = dict(name=name, criteria=RUBRIC, judges_per_entry=k, advance_count=advance_count,
                  judge_ids=[j.id for j in judges])
    values.update(overrides)
    return judging.save_round(competition.id, None, judging.RoundDetails(**values))


def submitted_entries(event, count, group="enterprise"):
    """`count` submitted entries of a held competition event, written as rows (its entry deadline has passed)."""
    import secrets

    from eventhub.competitions.entries.models import (
        Competition,
        Entry,
        EntryMember,
        EntryStatus,
        MemberGender,
        StartupProject,
    )
    from eventhub.extensions import db

    competition = Competition(event_id=event.id, entry_deadline=event.starts_at)
    db.session.add(competition)
    for n in range(count):
        db.session.add(Entry(competition=competition, team_name=f"Dự án {n + 1}", status=EntryStatus.SUBMITTED,
                             token_hash=secrets.token_hex(32), submitted_at=event.starts_at,
                             project=StartupProject(code=secrets.token_hex(4).upper(), name=f"Dự án {n + 1}"),
                             members=[EntryMember(full_name="Lê Văn A", phone=f"090{n:07d}", group_code=group,
                                                  gender=MemberGender.MALE, consent_version="2025-07-01",
                                                  consented_at=event.starts_at)]))
    db.session.add(Entry(competition=competition, team_name="Bản nháp", status=EntryStatus.DRAFT,
                         token_hash=secrets.token_hex(32),
                         project=StartupProject(code=secrets.token_hex(4).upper(), name="Bản nháp")))
    db.session.commit()
    return competition
