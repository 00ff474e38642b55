"""A team enters on a phone, a judge scores on a phone, the organiser closes, advances, awards and publishes."""
import pytest
from playwright.sync_api import expect

from eventhub.accounts.models import Role
from eventhub.competitions.entries import services as entries
from eventhub.competitions.judging import services as judging
from eventhub.competitions.judging.models import Score
from eventhub.extensions import db
from tests.competitions.factories import make_competition, make_judge, make_round
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_team_enters_a_judge_scores_and_the_organiser_publishes(factory, page, tmp_path):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    competition = make_competition(organisation, questions=())
    judge = make_judge(competition, 1)

    page.goto(f"/events/{competition.event.slug}")
    page.get_by_role("link", name="Đăng ký dự thi trực tuyến").click()
    page.get_by_label("Tên đội / dự án").fill("Đội Cà phê Ea Tu")
    page.get_by_label("Lĩnh vực").select_option(label="Nông nghiệp")
    page.locator("#m0-full_name").fill("H'Lan Niê")
    page.locator("#m0-phone").fill("0905 123 456")
    page.locator("#m0-group_code").select_option("student")
    page.locator("#m0-consent").check()
    page.locator("#m1-full_name").fill("Y Bhim Êban")
    page.locator("#m1-phone").fill("0912345678")
    page.locator("#m1-gender").select_option("male")
    page.locator("#m1-consent").check()
    page.get_by_label("Nộp bài (vẫn sửa được đến hạn chót)").check()
    page.get_by_role("button", name="Lưu bài dự thi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu bài dự thi")
    expect(page.locator("h1 .badge")).to_have_text("Đã nộp")
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(PDF)
    page.locator("#file").set_input_files(str(plan))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã tải tệp lên")
    (entry,) = entries.list_entries(competition.id)
    assert [m.full_name for m in entry.members] == ["H'Lan Niê", "Y Bhim Êban"] and len(entry.files) == 1

    round_ = make_round(competition, [judge], k=1, advance_count=1)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    page.context.clear_cookies()
    sign_in(page, judge.user.email)
    page.goto("/judging/")
    page.get_by_role("link", name="Đội Cà phê Ea Tu").click()
    expect(page.get_by_role("link", name="ke-hoach.pdf")).to_be_visible()
    for value, slider in zip(("8", "7", "6", "9", "5"), page.locator("input[type=range]").all(), strict=True):
        slider.fill(value)
    page.context.set_offline(True)  # a bad network: the save waits on the phone and is sent again
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator("#save-status")).to_contain_text("Mất kết nối")
    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Đã lưu.", timeout=15_000)
    page.get_by_role("button", name="Lưu điểm").click()  # saved again unchanged: a new save, same scores
    expect(page.locator("#save-status")).to_have_text("Đã lưu.")
    db.session.expire_all()
    assert sorted(db.session.scalars(db.select(Score.value))) == [5, 6, 7, 8, 9]

    page.context.clear_cookies()
    sign_in(page, "tochuc@example.vn")
    page.goto(f"/manage/events/{competition.event_id}/competition")
    page.get_by_role("button", name="Đóng vòng chấm").click()
    page.get_by_role("link", name="Kết quả và chọn bài vào vòng sau").click()
    expect(page.locator("table.results tbody tr")).to_contain_text("7.20")  # (240 + 175 + 120 + 135 + 50) / 100
    page.get_by_role("button", name="Chọn bài vào vòng sau").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã chọn 1 bài vào vòng sau")
    page.goto(f"/manage/events/{competition.event_id}/competition")
    page.get_by_label("Giải").select_option("first")
    page.get_by_role("button", name="Trao giải").click()
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã công bố kết quả")
    page.goto(f"/events/{competition.event.slug}")
    expect(page.locator(".competition-box .prizes")).to_contain_text("Giải Nhất: Đội Cà phê Ea Tu")
