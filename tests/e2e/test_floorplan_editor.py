"""The floor-plan editor in chromium: dragging a booth saves its new place; a drag onto another booth
is refused with the server's message and the booth goes back."""
import pytest
from playwright.sync_api import expect

from eventhub.booths.floorplan import services as floorplan
from eventhub.extensions import db
from tests.booths.factories import make_booth, make_plan

pytestmark = pytest.mark.e2e


def test_drag_moves_a_booth_and_a_conflict_is_refused(factory, page):
    organisation = factory.organisation()
    factory.user("sodo@skhcn.vn", organisation=organisation)
    event = factory.event(organisation)
    plan = make_plan(event, hall_width_m=12, hall_depth_m=10)
    moving = make_booth(plan, "A01", x_m=0, y_m=0)
    make_booth(plan, "A02", x_m=6, y_m=0)

    page.goto("/login")
    page.get_by_label("E-mail").fill("sodo@skhcn.vn")
    page.get_by_label("Mật khẩu").fill(factory.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{event.id}/floor-plan")

    booth = page.locator(f'[data-booth-id="{moving.id}"] .fp-booth__body')
    box = booth.bounding_box()
    scale = float(page.locator("svg.floorplan").get_attribute("data-scale"))
    start = (box["x"] + 10, box["y"] + 30)

    def drag(dx_m, dy_m):
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + dx_m * scale / 2, start[1] + dy_m * scale / 2, steps=4)
        page.mouse.move(start[0] + dx_m * scale, start[1] + dy_m * scale, steps=4)
        page.mouse.up()

    drag(0, 4)  # 4 m down, into free space
    expect(page.locator(".floorplan-messages")).to_have_text("Đã lưu vị trí gian A01.")
    expect(page.locator(f"#booth-{moving.id} input[name=y_m]")).to_have_value("4")
    db.session.expire_all()
    assert (floorplan.get_booth(plan.id, moving.id).x_m, floorplan.get_booth(plan.id, moving.id).y_m) == (0, 4)

    box = booth.bounding_box()
    start = (box["x"] + 10, box["y"] + 30)
    drag(5, -4)  # onto A02
    expect(page.locator(".floorplan-messages")).to_have_text("Gian hàng A01 chồng lấn gian hàng A02.")
    expect(page.locator(f'[data-booth-id="{moving.id}"]')).to_have_attribute("data-y", "4")
    db.session.expire_all()
    assert floorplan.get_booth(plan.id, moving.id).y_m == 4
