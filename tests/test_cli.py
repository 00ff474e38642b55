import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from eventhub.accounts.models import Membership, Organisation, User
from eventhub.accounts.services import authenticate
from eventhub.checkin import completion
from eventhub.checkin.models import CheckIn, CompletionRuleKind
from eventhub.demo import DEMO_PASSWORD
from eventhub.events.models import Event, EventStatus, EventType
from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.reports import periods
from eventhub.timeutil import to_local, utcnow


def counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Organisation, User, Membership, Event)]


def test_demo_data_loads_a_province_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["eventhub", "demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    assert after_first[0] >= 5 and after_first[3] >= 4
    second = runner.invoke(args=["eventhub", "demo"])
    assert second.exit_code == 0 and "0 new events" in second.output
    assert counts() == after_first
    titles = set(db.session.scalars(sa.select(Event.title)))
    assert any(t.startswith("Ngày hội khởi nghiệp đổi mới sáng tạo") for t in titles)
    assert sum(t.startswith("Tập huấn") for t in titles) == 3
    assert any(t.startswith("Diễn đàn") for t in titles)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(
        Event.status == EventStatus.PUBLISHED)) >= 3
    assert authenticate("admin@eventhub.local", DEMO_PASSWORD).is_platform_admin
    # A training already held, with the attendance that statistics and reports count.
    held = db.session.scalar(sa.select(Event).where(Event.status == EventStatus.FINISHED,
                                                    Event.event_type == EventType.TRAINING))
    assert held.ends_at < utcnow()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).join(
        Registration, Registration.id == CheckIn.registration_id).where(Registration.event_id == held.id)) == 34
    # Its rule is "present every day": 30 came back on the second day and the organisers marked one more completed.
    summary = completion.summary(held.id)
    assert summary.rule.kind == CompletionRuleKind.EVERY_DAY and summary.days == 2
    assert (summary.confirmed, summary.completers, summary.marked_completed) == (42, 31, 1)
    # The year's report counts its trainees as its completers, not its 42 registrations.
    year = to_local(held.starts_at).year
    organisation_id = db.session.scalar(sa.select(Organisation.id).where(
        Organisation.name == "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"))
    report = periods.build_period_report([organisation_id], date(year, 1, 1), date(year, 12, 31))
    assert {row.code: row.achieved for row in report.indicators}["trainees"] == 31
    # The outbox holds messages on all three channels, waiting without providers: SMS for the phone-only
    # registrants, e-mail for the exhibitors, Zalo for the organiser message to the young entrepreneurs.
    from eventhub.mail.models import OutboxMessage

    channels = set(db.session.scalars(sa.select(OutboxMessage.channel).distinct()))
    assert {c.value for c in channels} == {"email", "sms", "zns"}


def readme_accounts() -> list[str]:
    """The demo accounts the README lists, with "gianhang1@… … gianhang7@…" spelled out."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("Demo accounts", 1)[1].split("\n\n", 2)[1]
    accounts = []
    for first, last in re.findall(r"^\| `([^`]+)`(?: … `([^`]+)`)? \|", table, flags=re.M):
        if last:
            stem, start, domain = re.fullmatch(r"(\D+)(\d+)(@.+)", first).groups()
            end = int(re.fullmatch(r"\D+(\d+)@.+", last).group(1))
            accounts += [f"{stem}{number}{domain}" for number in range(int(start), end + 1)]
        else:
            accounts.append(first)
    return accounts


def test_every_account_the_readme_lists_signs_in_through_the_page(app, browser):
    assert app.test_cli_runner().invoke(args=["eventhub", "demo"]).exit_code == 0
    accounts = readme_accounts()
    assert "admin@eventhub.local" in accounts and "gianhang7@example.vn" in accounts and len(accounts) == 12
    for email in accounts:
        response = browser.post("/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (email, response.get_data(as_text=True)[:2000])
        browser.logout()


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["eventhub", "create-admin", "--email", "root@so.gov.vn", "--name", "Quản trị"],
                           input="mat-khau-quan-tri\nmat-khau-quan-tri\n")
    assert result.exit_code == 0, result.output
    assert authenticate("root@so.gov.vn", "mat-khau-quan-tri").is_platform_admin
    weak = runner.invoke(args=["eventhub", "create-admin", "--email", "x@so.gov.vn", "--name", "X"],
                         input="123\n123\n")
    assert weak.exit_code != 0 and "10" in weak.output


def test_create_admin_accepts_exactly_the_addresses_the_sign_in_page_accepts(app, browser):
    """One validator: an operator can neither lock themselves out with an address the sign-in refuses nor be
    refused an address (admin@eventhub.local, a special-use domain) the sign-in accepts."""
    runner = app.test_cli_runner()
    local = runner.invoke(args=["eventhub", "create-admin", "--email", "ops@eventhub.local", "--name", "Vận hành"],
                          input="mat-khau-van-hanh\nmat-khau-van-hanh\n")
    assert local.exit_code == 0, local.output
    assert browser.post("/login", {"email": "ops@eventhub.local", "password": "mat-khau-van-hanh"}).status_code == 302
    browser.logout()
    for bad in ("khong-co-a-cong", "hai@@so.gov.vn", "co cach@so.gov.vn", "x" * 250 + "@so.vn"):
        refused = runner.invoke(args=["eventhub", "create-admin", "--email", bad, "--name", "X"],
                                input="mat-khau-van-hanh\nmat-khau-van-hanh\n")
        assert refused.exit_code != 0 and "không hợp lệ" in refused.output, (bad, refused.output)
        page = browser.post("/login", {"email": bad, "password": "mat-khau-van-hanh"})
        assert page.status_code == 422 and "không hợp lệ" in page.get_data(as_text=True), bad
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_demo_timestamps_are_consistent_with_today(app):
    """Past registrations in the past, future events in the future, finished events with their check-ins, no
    sign-up plotted on a day that has not come."""
    from eventhub.reports.event_stats import registrations_by_day
    assert app.test_cli_runner().invoke(args=["eventhub", "demo"]).exit_code == 0
    now = utcnow()
    today = to_local(now).date()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.created_at > now)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.checked_in_at > now)) == 0
    for event in db.session.scalars(sa.select(Event)):
        if event.status == EventStatus.FINISHED:
            assert event.ends_at < now
            checked_in = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).join(
                Registration, Registration.id == CheckIn.registration_id).where(Registration.event_id == event.id))
            # A competition's record is its entries and rounds (tests/competitions/test_demo.py), not check-ins.
            assert checked_in > 0 or event.event_type == EventType.COMPETITION, event.title
        elif event.status == EventStatus.PUBLISHED:
            assert event.starts_at > now, event.title
        days = registrations_by_day(event)
        assert all(d.day <= today for d in days), event.title
