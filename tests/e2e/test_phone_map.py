"""The public booth map on a 390×844 phone: it fits the width (the far end of the hall is on screen), and zooms
and pans with the buttons and a drag, in chromium."""
import pytest
from playwright.sync_api import expect

from tests.booths import factories as booths

pytestmark = pytest.mark.e2e


def view_box(page) -> list[float]:
    return [float(n) for n in page.locator("svg.floorplan--public").get_attribute("viewBox").split()]


def test_the_public_map_fits_a_phone_and_zooms_and_pans(factory, page):
    event = factory.event(factory.organisation(), publish=True, title="Hội chợ OCOP Đắk Lắk 2027")
    plan = booths.make_plan(event, hall_width_m=60, hall_depth_m=30, is_published=True)
    booths.make_booth(plan, "A01", x_m=0, y_m=0)
    far = booths.make_booth(plan, "Z99", x_m=56, y_m=26)
    booths.make_assignment(far, booths.make_application(event, booths.make_exhibitor("HTX Cuối hội trường")))

    page.goto(f"/events/{event.slug}/map")
    svg = page.locator("svg.floorplan--public")
    expect(svg).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    corner = page.locator('.fp-booth[data-code="Z99"]').bounding_box()
    assert corner["x"] + corner["width"] <= 390  # the far end of the hall is on screen, not cut off
    full = view_box(page)

    page.get_by_role("button", name="Phóng to").click()
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(full[2] / 1.6, rel=0.01)
    assert page.locator("[data-map-zoom]").get_attribute("class").endswith("is-zoomed")

    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(centre_x, centre_y)
    page.mouse.down()
    page.mouse.move(centre_x - 80, centre_y, steps=5)
    page.mouse.up()
    panned = view_box(page)
    assert panned[0] > zoomed[0] and panned[2] == zoomed[2]  # dragged left: the view moved right

    page.get_by_role("button", name="Vừa màn hình").click()
    assert view_box(page) == full
    page.get_by_role("button", name="Thu nhỏ").click()
    assert view_box(page) == full  # never smaller than the whole plan


def test_a_search_zooms_onto_the_booths_found(factory, page):
    event = factory.event(factory.organisation(), publish=True)
    plan = booths.make_plan(event, hall_width_m=60, hall_depth_m=30, is_published=True)
    booths.make_booth(plan, "A01", x_m=0, y_m=0)
    far = booths.make_booth(plan, "Z99", x_m=56, y_m=26)
    booths.make_assignment(far, booths.make_application(event, booths.make_exhibitor("HTX Cà phê Ea Tu")))
    page.goto(f"/events/{event.slug}/map?q=ca+phe")
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 1 đơn vị")
    x, y, width, _height = view_box(page)
    assert width < 600 and x + width >= 24 + 56 * 20  # zoomed in, and the far booth is inside the view
    found = page.locator('.fp-booth[data-code="Z99"]').bounding_box()
    assert found["x"] >= 0 and found["x"] + found["width"] <= 390 and found["width"] > 40  # big enough to read
