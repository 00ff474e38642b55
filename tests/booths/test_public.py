"""The published map: who is where, the diacritic-insensitive search, the directory PDF, and 404s."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from eventhub.booths.applications.models import ApplicationStatus, ProductGroup
from eventhub.booths.directory import services as directory
from eventhub.booths.floorplan import services as floorplan
from eventhub.booths.floorplan.models import BoothType
from eventhub.timeutil import utcnow
from tests.booths.factories import make_application, make_assignment, make_booth, make_exhibitor, make_plan, make_zone
from tests.support import factories


@pytest.fixture
def fair(app):
    event = factories.event(factories.organisation(), publish=True)
    plan = make_plan(event, hall_width_m=30, hall_depth_m=20, is_published=True)
    make_zone(plan, "Khu OCOP", x_m=0, y_m=0, width_m=15, depth_m=20)
    coffee_booth, tea_booth, tech_a, tech_b, held_booth = (
        make_booth(plan, "A01", x_m=0, y_m=0), make_booth(plan, "A02", x_m=3, y_m=0),
        make_booth(plan, "S01", x_m=20, y_m=0, booth_type=BoothType.STARTUP),
        make_booth(plan, "S02", x_m=23, y_m=0, booth_type=BoothType.STARTUP), make_booth(plan, "A03", x_m=6, y_m=0))
    coffee = make_application(event, make_exhibitor("HTX Nông nghiệp Cà phê Buôn Ma Thuột", province="Đắk Lắk",
                                                    sub_unit="Phường Tân Lợi"),
                              status=ApplicationStatus.APPROVED, products=[
                                  dict(name="Cà phê Buôn Ma Thuột rang mộc", product_group=ProductGroup.BEVERAGE,
                                       ocop_stars=5),
                                  dict(name="Mật ong hoa cà phê", product_group=ProductGroup.FOOD, ocop_stars=3)])
    tea = make_application(event, make_exhibitor("Công ty TNHH Trà Shan tuyết Hà Giang", province="Tuyên Quang"),
                           status=ApplicationStatus.APPROVED,
                           products=[dict(name="Trà Shan tuyết cổ thụ", product_group=ProductGroup.BEVERAGE,
                                          ocop_stars=4)])
    tech = make_application(event, make_exhibitor("Startup Nông trại số"), booth_type=BoothType.STARTUP,
                            booths_requested=2, status=ApplicationStatus.APPROVED,
                            products=[dict(name="Cảm biến độ ẩm đất", product_group=ProductGroup.TECHNOLOGY,
                                           ocop_stars=None)])
    pending = make_application(event, make_exhibitor("HTX Chưa xác nhận Sầu riêng"), status=ApplicationStatus.APPROVED)
    make_assignment(coffee_booth, coffee)
    make_assignment(tea_booth, tea)
    make_assignment(tech_a, tech)
    make_assignment(tech_b, tech)
    make_assignment(held_booth, pending, held_until=utcnow() + timedelta(minutes=5))
    return {"event": event, "plan": plan, "coffee": coffee, "tea": tea, "tech": tech,
            "booths": {"A01": coffee_booth, "A02": tea_booth, "S01": tech_a, "S02": tech_b, "A03": held_booth}}


def names(entries):
    return [e.exhibitor_name for e in entries]


def test_directory_lists_confirmed_exhibitors_by_booth(fair):
    entries = directory.directory(fair["plan"].id)
    assert names(entries) == ["HTX Nông nghiệp Cà phê Buôn Ma Thuột", "Công ty TNHH Trà Shan tuyết Hà Giang",
                              "Startup Nông trại số"]
    assert entries[2].booth_codes == ["S01", "S02"]
    assert entries[0].locality == "Phường Tân Lợi, Đắk Lắk"
    assert [(p.name, p.ocop_stars) for p in entries[0].products] == [("Cà phê Buôn Ma Thuột rang mộc", 5),
                                                                     ("Mật ong hoa cà phê", 3)]


@pytest.mark.parametrize("query, expected", [
    ("cà phê Buôn Ma Thuột", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột"]),
    ("ca phe buon ma thuot", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột"]),
    ("CÀ PHÊ   buôn ma thuột", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột"]),
    ("shan tuyet", ["Công ty TNHH Trà Shan tuyết Hà Giang"]),                      # a product name
    ("mật ong", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột"]),                          # a second product
    ("đồ uống", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột", "Công ty TNHH Trà Shan tuyết Hà Giang"]),  # a group
    ("công nghệ", ["Startup Nông trại số"]),
    ("sầu riêng", []),                                                               # only held, not confirmed
    ("%", ["HTX Nông nghiệp Cà phê Buôn Ma Thuột", "Công ty TNHH Trà Shan tuyết Hà Giang", "Startup Nông trại số"]),
    ("không có", []),
])
def test_search_by_exhibitor_product_or_group(fair, query, expected):
    assert names(directory.directory(fair["plan"].id, query)) == expected


def map_url(fair, **args):
    return f"/events/{fair['event'].slug}/map"


def test_public_map_shows_names_and_highlights_search_results(client, fair):
    page = client.get(map_url(fair)).get_data(as_text=True)
    assert "HTX Nông nghiệp Cà phê Buôn Ma Thuột" in page and "Startup Nông trại số" in page
    assert "Sầu riêng" not in page  # an unconfirmed hold is not published
    assert "fp-booth--found" not in page
    assert "OCOP ★★★★★" in page
    page = client.get(map_url(fair), query_string={"q": "cà phê Buôn Ma Thuột"}).get_data(as_text=True)
    coffee_id = fair["booths"]["A01"].id
    assert f'class="fp-booth fp-booth--ocop fp-booth--assigned fp-booth--found" data-booth-id="{coffee_id}"' in page
    assert page.count("fp-booth--found") == 1
    assert "Tìm thấy 1 đơn vị" in page and "Trà Shan tuyết" not in page.split("Kết quả")[1]
    page = client.get(map_url(fair), query_string={"q": "xyz"}).get_data(as_text=True)
    assert "Không tìm thấy đơn vị nào cho “xyz”." in page
    page = client.get(map_url(fair), query_string={"q": "%%"}).get_data(as_text=True)  # nothing to search for
    assert "fp-booth--found" not in page and "Tìm thấy" not in page


def test_portal_event_page_links_to_the_published_map(client, fair):
    page = client.get(f"/events/{fair['event'].slug}").get_data(as_text=True)
    assert f'href="/events/{fair["event"].slug}/map"' in page


def test_directory_pdf_is_readable_with_vietnamese_names(client, fair):
    response = client.get(f"{map_url(fair)}/directory.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Danh bạ gian hàng", "HTX Nông nghiệp Cà phê Buôn Ma Thuột",
                     "Công ty TNHH Trà Shan tuyết Hà Giang", "Cà phê Buôn Ma Thuột rang mộc", "OCOP ★★★★★",
                     "S01, S02", "Lối vào"):
        assert expected in text, expected


def test_unpublished_plan_and_hidden_event_are_404(client, fair):
    floorplan.set_published(fair["plan"].id, False)
    response = client.get(map_url(fair))
    assert response.status_code == 404
    assert "chưa công bố sơ đồ gian hàng" in response.get_data(as_text=True)
    assert client.get(f"{map_url(fair)}/directory.pdf").status_code == 404
    assert 'floor-plan' not in client.get(f"/events/{fair['event'].slug}").get_data(as_text=True)
    draft = factories.event(factories.organisation())
    make_plan(draft, is_published=True)
    assert client.get(f"/events/{draft.slug}/map").status_code == 404
    assert client.get("/events/khong-co/map").status_code == 404


def test_event_page_invites_exhibitors_only_while_the_fair_takes_applications(app, client):
    event = factories.event(factories.organisation(), publish=True)
    apply_url = f"/exhibitors/events/{event.id}/apply"
    assert apply_url not in client.get(f"/events/{event.slug}").get_data(as_text=True)
    make_plan(event)
    assert apply_url in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_login_page_leads_exhibitors_to_their_sign_up(client):
    assert "/exhibitors/signup" in client.get("/login").get_data(as_text=True)
