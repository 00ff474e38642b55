"""An organiser writes to "Phụ nữ, đã check-in" and sees the exact count and channel mix before sending."""
import sqlalchemy as sa

from eventhub.broadcasts.models import OrganiserMessage
from eventhub.extensions import db
from tests.broadcasts.test_services import fair  # noqa: F401  (the fixture)


def test_the_preview_counts_women_checked_in_then_the_message_is_sent(fair, factory, page):  # noqa: F811
    from eventhub.accounts.models import Organisation

    event, _people = fair
    factory.user("tochuc@example.vn", organisation=db.session.get(Organisation, event.organisation_id))
    page.goto("/login")
    page.get_by_label("E-mail").fill("tochuc@example.vn")
    page.get_by_label("Mật khẩu").fill(factory.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{event.id}/messages")
    page.get_by_label("Tiêu đề").fill("Đổi khu gian hàng")
    page.get_by_label("Nội dung").fill("Gian hàng hội viên phụ nữ chuyển sang khu B.")
    page.get_by_label("Phụ nữ", exact=True).check()
    page.get_by_label("Check-in").select_option(label="Đã check-in")
    page.get_by_role("button", name="Xem trước số người nhận").click()
    preview = page.locator("#message-preview")
    assert preview.locator("[data-count]").get_attribute("data-count") == "2"
    assert preview.locator('[data-channel="email"]').inner_text() == "1"
    assert preview.locator('[data-channel="sms"]').inner_text() == "1"
    assert page.get_by_label("Phụ nữ", exact=True).is_checked()  # the filter stays as chosen
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.get_by_text("tới 2 người").wait_for()
    assert db.session.scalar(sa.select(OrganiserMessage.recipients)) == 2
