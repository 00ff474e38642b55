"""The allocation page in chromium: dragging an exhibitor onto a free booth moves it; a drop on a booth of
another type is refused with the server's message and nothing changes."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from eventhub.booths.allocation.models import BoothAssignment
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BoothType
from eventhub.extensions import db
from tests.booths.factories import make_application, make_assignment, make_booth, make_plan

pytestmark = pytest.mark.e2e


def test_drag_an_exhibitor_to_another_booth(factory, page):
    organisation = factory.organisation()
    factory.user("phanbo@skhcn.vn", organisation=organisation)
    event = factory.event(organisation)
    plan = make_plan(event, hall_width_m=20, hall_depth_m=10)
    first = make_booth(plan, "A1", x_m=0, y_m=0)
    target = make_booth(plan, "A3", x_m=8, y_m=0)
    startup = make_booth(plan, "S1", x_m=14, y_m=0, booth_type=BoothType.STARTUP)
    application = make_application(event, status=ApplicationStatus.APPROVED)
    make_assignment(first, application)

    page.goto("/login")
    page.get_by_label("E-mail").fill("phanbo@skhcn.vn")
    page.get_by_label("Mật khẩu").fill(factory.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{event.id}/allocation")

    def drag(source, destination):
        page.locator(".allocation-map").scroll_into_view_if_needed()
        a = page.locator(f'[data-booth-id="{source.id}"] .fp-booth__body').bounding_box()
        b = page.locator(f'[data-booth-id="{destination.id}"] .fp-booth__body').bounding_box()
        page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] - 4)
        page.mouse.down()
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] - 4, steps=5)
        page.mouse.up()

    drag(first, startup)
    expect(page.locator(".allocation-status")).to_contain_text("không phải loại")

    drag(first, target)
    expect(page.locator(f'[data-booth-id="{target.id}"]')).to_have_attribute("data-application-id",
                                                                                str(application.id))
    db.session.expire_all()
    assert db.session.scalar(sa.select(BoothAssignment.booth_id)) == target.id
