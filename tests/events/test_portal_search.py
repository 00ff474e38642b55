"""The portal's word search (every word, any order, part of a word, without diacritics, title/venue/organiser)
and the page that invites: result count, clear filters, folded filters, covers, seats, organiser contact, no
internal status and no developer links for citizens."""
import pytest

from eventhub.accounts import services as accounts
from eventhub.events import services
from eventhub.events.models import EventType
from eventhub.events.portal import initials
from eventhub.extensions import db
from eventhub.text import search_key


def test_normalisation_sweep():
    cases = {
        "Ngày hội khởi nghiệp huyện Krông Pắc": "ngay hoi khoi nghiep huyen krong pac",
        "ĐẮK LẮK – Đà Lạt": "dak lak da lat",
        "H'Nhi Niê": "h nhi nie",
        "Buôn Ma Thuột, 2027!": "buon ma thuot 2027",
        "Hợp tác xã \u0110ồng Xoài": "hop tac xa dong xoai",  # a capital Đ typed as U+0110
        "Khởi nghiệp\u0301 (decomposed tone)": "khoi nghiep decomposed tone",
        "   ": "",
        "100% _ %": "100",
        "Ủy ban nhân dân": "uy ban nhan dan",
    }
    assert {text: search_key(text) for text in cases} == cases
    assert services.search_words("  Khởi   nghiệp KRÔNG khởi ") == ["khoi", "nghiep", "krong"]
    assert services.search_words("%%% ___") == [] and services.search_words(None) == []
    assert len(services.search_words(" ".join(f"w{n}" for n in range(30)))) == 10


@pytest.fixture
def events(factory):
    krong = factory.organisation("UBND huyện Krông Pắc")
    youth = factory.organisation("Tỉnh Đoàn Đắk Lắk")
    made = [
        factory.event(krong, publish=True, title="Ngày hội khởi nghiệp huyện Krông Pắc 2027",
                      venue_name="Nhà văn hoá huyện"),
        factory.event(youth, publish=True, title="Tập huấn khởi nghiệp xanh", venue_name="Trường Đại học Tây Nguyên",
                      event_type=EventType.TRAINING),
        factory.event(youth, publish=True, title="Cuộc thi ý tưởng sáng tạo thanh niên", venue_name="Krông Pắc",
                      event_type=EventType.COMPETITION),
    ]
    return made


def titles(**filters):
    return [e.title for e in db.session.scalars(services.portal_query(services.PortalFilters(**filters)))]


@pytest.mark.parametrize(("q", "expected"), [
    ("khoi nghiep krong", ["Ngày hội khởi nghiệp huyện Krông Pắc 2027"]),
    ("KRONG khởi", ["Ngày hội khởi nghiệp huyện Krông Pắc 2027"]),  # any order, any case, diacritics or not
    ("krong", ["Ngày hội khởi nghiệp huyện Krông Pắc 2027", "Cuộc thi ý tưởng sáng tạo thanh niên"]),  # the venue
    ("tinh doan", ["Tập huấn khởi nghiệp xanh", "Cuộc thi ý tưởng sáng tạo thanh niên"]),  # the organiser
    ("nghi", ["Ngày hội khởi nghiệp huyện Krông Pắc 2027", "Tập huấn khởi nghiệp xanh"]),  # part of a word
    ("khoi nghiep tay nguyen", ["Tập huấn khởi nghiệp xanh"]),
    ("khoi nghiep hanoi", []),  # every word must match
    ("đắk lắk xanh", ["Tập huấn khởi nghiệp xanh"]),
    ("%", ["Ngày hội khởi nghiệp huyện Krông Pắc 2027", "Tập huấn khởi nghiệp xanh",
           "Cuộc thi ý tưởng sáng tạo thanh niên"]),  # nothing to search for: everything
])
def test_word_search(events, q, expected):
    assert titles(q=q) == expected


def test_the_search_text_follows_the_details(events):
    event = events[1]
    details = services.EventDetails.of(event)
    details.venue_name = "Hội trường Buôn Đôn"
    services.update_event(event.id, details)
    assert titles(q="buon don") == ["Tập huấn khởi nghiệp xanh"] and titles(q="tay nguyen") == []


def test_a_renamed_organiser_is_found_by_its_new_name(events):
    organisation = events[0].organisation
    accounts.save_organisation(organisation.id, accounts.OrganisationDetails(
        name="UBND xã Ea Kly", kind=organisation.kind, province=organisation.province))
    assert titles(q="ea kly") == ["Ngày hội khởi nghiệp huyện Krông Pắc 2027"]


def test_initials_of_a_generated_cover():
    assert initials("Ngày hội khởi nghiệp") == "NHK"
    assert initials("“OCOP” fair") == "F"
    assert initials("Đắk Lắk") == "ĐL"


def test_the_portal_page_invites(factory, client, events):
    page = client.get("/?q=khoi+nghiep+krong").get_data(as_text=True)
    assert "Tìm thấy 1 sự kiện." in page and 'href="/">Xoá bộ lọc</a>' in page
    assert '<details class="filter-panel" data-open-wide>' in page  # folded until opened (or a wide screen)
    assert 'class="generated-cover"' in page and ">NHK</text>" in page
    assert "UBND huyện Krông Pắc" in page  # the organiser on the card
    filtered = client.get("/?event_type=training").get_data(as_text=True)
    assert "Tìm thấy 1 sự kiện." in filtered and "(1 đang áp dụng)" in filtered and " open>" in filtered
    assert "3 sự kiện sắp diễn ra." in client.get("/").get_data(as_text=True)
    nothing = client.get("/?q=khong+co+gi").get_data(as_text=True)
    assert "Tìm thấy 0 sự kiện." in nothing and "Xem mọi sự kiện" in nothing


def test_cards_and_event_page_show_seats_left_and_no_internal_status(factory, client, events):
    event = events[0]
    factory.category(event)
    page = client.get("/").get_data(as_text=True)
    assert "Còn 500 chỗ." in page and "Đã công bố" not in page
    event_page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Đã công bố" not in event_page and "badge-published" not in event_page
    services.apply_transition(event.id, "close_registration")
    assert "Đã hết hạn đăng ký" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_the_event_page_gives_the_organisers_contact(factory, client, events):
    event = events[0]
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "UBND huyện Krông Pắc" in page and "tel:" not in page and "mailto:" not in page
    organisation = event.organisation
    accounts.save_organisation(organisation.id, accounts.OrganisationDetails(
        name=organisation.name, kind=organisation.kind, province=organisation.province,
        contact_email=" VanPhong@KrongPac.DakLak.gov.vn ", contact_phone="+84 912 345 678"))
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert 'href="tel:0912345678"' in page and 'href="mailto:vanphong@krongpac.daklak.gov.vn"' in page


def test_a_wrong_organisation_phone_is_refused(factory):
    organisation = factory.organisation()
    with pytest.raises(services.ValidationFailed) as error:
        accounts.save_organisation(organisation.id, accounts.OrganisationDetails(
            name=organisation.name, kind=organisation.kind, province=organisation.province, contact_phone="12345"))
    assert "contact_phone" in error.value.fields


def test_developer_feeds_are_for_organisers_not_citizens(factory, client, browser, events):
    event = events[0]
    public = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "schedule.json" not in public and "frab" not in public
    assert client.get(f"/events/{event.slug}/agenda/schedule.json").status_code == 200  # the feed itself stays
    factory.user("tochuc@krong.vn", organisation=event.organisation)
    browser.login("tochuc@krong.vn")
    editor = browser.get(f"/manage/events/{event.id}/agenda").get_data(as_text=True)
    assert "schedule.json" in editor and "schedule.xml (frab)" in editor
