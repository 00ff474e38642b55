"""The official document frame (Decree 30/2020/NĐ-CP) read back from the PDF with pypdf: each text with the font,
size and place it is drawn in, the fonts embedded, the page numbers; and the header's defaults."""
import io
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from eventhub import document
from eventhub.accounts.models import OrganisationKind
from eventhub.reports import exports
from eventhub.reports.periods import EventRow
from tests.reports.test_exports import HEADER, sample_report

SIGNED = replace(HEADER, signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn An",
                 recipients=("UBND tỉnh Đắk Lắk (để báo cáo)", "Bộ Khoa học và Công nghệ (để báo cáo)"))
A4_WIDTH = 595.28  # points
TEXT_CENTRE = (30 + (210 - 15)) / 2 * 72 / 25.4  # between the 30 mm and 15 mm margins, in points


@dataclass(frozen=True)
class Run:
    text: str
    font: str  # "Tinos", "TinosBold", "TinosItalic", "TinosBoldItalic"
    size: float
    x: float  # points from the left edge
    y: float  # points from the bottom edge


def runs(data: bytes) -> list[list[Run]]:
    """Every piece of text of every page, in drawing order."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found = []

        def visit(text, _cm, tm, font, size, found=found):
            if text.strip() and font is not None:
                found.append(Run(text.strip(), font["/BaseFont"].split("+")[-1], round(size, 1), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def run(page: list[Run], text: str) -> Run:
    return next(r for r in page if r.text == text)


def many_events(count: int):
    return tuple(EventRow(n, f"Tập huấn khởi nghiệp đổi mới sáng tạo số {n}", "Tập huấn, đào tạo", "Cấp tỉnh",
                          "Sở KH&CN Đắk Lắk", datetime(2026, 3, 10, 1, 0, tzinfo=UTC), "Đắk Lắk", 100 + n, 80 + n)
                 for n in range(1, count + 1))


def test_the_header_is_laid_out_as_the_decree_says(app):
    first = runs(exports.to_pdf(sample_report(), HEADER))[0]
    governing, agency = run(first, "UBND TỈNH ĐẮK LẮK"), run(first, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    number = run(first, "Số: 125/BC-SKHCN")
    nation, motto = run(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), run(first, "Độc lập - Tự do - Hạnh phúc")
    date_line = run(first, "Đắk Lắk, ngày 05 tháng 7 năm 2026")
    # governing body over the agency in bold, the number under them, all in the left column
    assert (governing.font, governing.size, agency.font, agency.size) == ("Tinos", 12, "TinosBold", 12)
    assert governing.y > agency.y > number.y and number.font == "Tinos"
    assert max(governing.x, agency.x, number.x) < A4_WIDTH * 0.4
    # national name and motto in bold on the right, the italic place and date on the number's line
    assert (nation.font, motto.font, motto.size) == ("TinosBold", "TinosBold", 13)
    assert min(nation.x, motto.x, date_line.x) > A4_WIDTH * 0.45 and nation.y == governing.y > motto.y
    assert (date_line.font, date_line.size) == ("TinosItalic", 13) and date_line.y == number.y
    kind = run(first, "BÁO CÁO")
    assert kind.font == "TinosBold" and kind.size == 14 and kind.y < number.y
    assert first.index(kind) < first.index(run(first, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"))


def test_only_the_vendored_serif_is_embedded_even_in_the_charts(app):
    reader = PdfReader(io.BytesIO(exports.to_pdf(sample_report(), SIGNED)))
    fonts = {font.get_object()["/BaseFont"].split("+")[-1]
             for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts == {"Tinos", "TinosBold", "TinosItalic", "TinosBoldItalic"}
    descriptors = [page["/Resources"]["/Font"][key].get_object()["/DescendantFonts"][0].get_object()
                   ["/FontDescriptor"] for page in reader.pages for key in page["/Resources"]["/Font"]]
    assert all("/FontFile2" in descriptor for descriptor in descriptors)  # embedded, never a system font
    texts = {r.text: r.font for page in runs(exports.to_pdf(sample_report(), SIGNED)) for r in page}
    assert texts["Cùng kỳ năm trước"].startswith("Tinos")  # a chart's legend


def test_pages_after_the_first_are_numbered_at_the_top(app):
    pages = runs(exports.to_pdf(sample_report(events=many_events(40)), SIGNED))
    assert len(pages) >= 4
    assert pages[0][0].text == "UBND TỈNH ĐẮK LẮK"  # the decree shows no number on the first page
    for number, page in enumerate(pages[1:], 2):
        top = page[0]
        assert (top.text, top.font, top.size) == (str(number), "Tinos", 13)
        assert top.y == max(r.y for r in page) and abs(top.x - TEXT_CENTRE) < 8  # centred


def test_the_recipients_and_the_signature_close_the_document(app):
    last = runs(exports.to_pdf(sample_report(events=many_events(40)), SIGNED))[-1]
    received = run(last, "Nơi nhận:")
    assert (received.font, received.size) == ("TinosBoldItalic", 12) and received.x < A4_WIDTH / 2
    lines = [r.text for r in last if r.text.startswith("- ")]
    assert lines == ["- UBND tỉnh Đắk Lắk (để báo cáo);", "- Bộ Khoa học và Công nghệ (để báo cáo);", "- Lưu: VT."]
    title, deputy, name = run(last, "KT. GIÁM ĐỐC"), run(last, "PHÓ GIÁM ĐỐC"), run(last, "Nguyễn Văn An")
    assert {title.font, deputy.font, name.font} == {"TinosBold"} and min(title.x, name.x) > A4_WIDTH / 2
    assert abs(title.y - received.y) < 2 and title.y > deputy.y > name.y
    assert deputy.y - name.y > 60  # room for the signature and the seal
    assert last[-1] == name


def test_an_unsigned_draft_says_who_signs(app):
    last = runs(exports.to_pdf(sample_report(), HEADER))[-1]
    assert run(last, "THỦ TRƯỞNG ĐƠN VỊ").font == "TinosBold"
    assert run(last, "(Ký, ghi rõ họ tên và đóng dấu)").font == "TinosItalic"
    assert [r.text for r in last if r.text.startswith("- ")] == ["- Lưu: VT."]


@pytest.mark.parametrize(("agency", "governing_body", "printed"), [
    ("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "UBND tỉnh Đắk Lắk", "Sở Khoa học và Công nghệ"),
    ("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "UBND TỈNH ĐẮK LẮK", "Sở Khoa học và Công nghệ"),
    ("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "UBND tỉnh Gia Lai", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"),
    ("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", None, "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"),
    ("Phòng Kinh tế huyện Krông Pắc", "UBND huyện Krông Pắc", "Phòng Kinh tế"),
    ("Trường Đại học Tây Nguyên", "Bộ Giáo dục và Đào tạo", "Trường Đại học Tây Nguyên"),
    ("Ban Chỉ đạo Đề án 844 tỉnh", "UBND tỉnh Đắk Lắk", "Ban Chỉ đạo Đề án 844 tỉnh"),
])
def test_the_agency_drops_only_the_locality_its_governing_body_names(agency, governing_body, printed):
    header = document.DocumentHeader(agency, "1/BC", "Đắk Lắk", date(2026, 12, 4), governing_body)
    assert header.agency_line == printed


def test_governing_body_and_recipients_come_from_the_organisation(factory):
    province = factory.organisation("UBND tỉnh Đắk Lắk", kind=OrganisationKind.DISTRICT)
    department = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    commune = factory.organisation("UBND xã Ea Kar", kind=OrganisationKind.DISTRICT, parent_id=department.id)
    union = factory.organisation("Tỉnh Đoàn Đắk Lắk", kind=OrganisationKind.UNION)
    school = factory.organisation("Trường THPT Buôn Ma Thuột", kind=OrganisationKind.SCHOOL, parent_id=province.id)
    today = date(2026, 12, 4)
    assert document.default_header(department, today) == document.DocumentHeader(
        "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "…/BC-SKHCN", "Đắk Lắk", today, "UBND tỉnh Đắk Lắk",
        ("UBND tỉnh Đắk Lắk (để báo cáo)",))
    # a People's Committee heads its own documents, and reports to the department that runs the round
    assert document.default_header(commune, today).governing_body is None
    assert document.default_header(commune, today).recipients == (
        "Sở Khoa học và Công nghệ tỉnh Đắk Lắk (để báo cáo)",)
    assert document.default_header(province, today).governing_body is None
    assert document.default_header(province, today).recipients == ()
    assert document.default_header(union, today).governing_body is None
    assert document.default_header(school, today).governing_body == "UBND tỉnh Đắk Lắk"


@pytest.mark.parametrize(("kind", "sub_unit", "place"), [
    (OrganisationKind.DISTRICT, "Xã Ea Kar", "Ea Kar"),
    (OrganisationKind.DISTRICT, "phường Buôn Ma Thuột", "Buôn Ma Thuột"),
    (OrganisationKind.DISTRICT, "Huyện Krông Pắc", "Krông Pắc"),
    (OrganisationKind.DISTRICT, "Thị trấn Phước An", "Phước An"),
    (OrganisationKind.DISTRICT, "Ea Tu", "Ea Tu"),
    (OrganisationKind.DISTRICT, None, "Đắk Lắk"),
    (OrganisationKind.DISTRICT, "Xã", "Đắk Lắk"),
    (OrganisationKind.SCHOOL, "Phường Buôn Ma Thuột", "Đắk Lắk"),  # only People's Committees name their unit
    (OrganisationKind.AGENCY, "Phường Tân Lập", "Đắk Lắk"),
])
def test_the_place_is_the_province_or_a_peoples_committees_own_unit(factory, kind, sub_unit, place):
    organisation = factory.organisation(kind=kind, sub_unit=sub_unit)
    assert document.default_header(organisation, date(2026, 12, 4)).place == place


def test_long_names_wrap_inside_their_column(app):
    header = replace(HEADER, governing_body="Ủy ban nhân dân tỉnh Đắk Lắk",
                     agency="Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo và Chuyển giao công nghệ tỉnh Đắk Lắk")
    first = runs(exports.to_pdf(sample_report(), header))[0]
    assert first[0].text == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"
    agency = [r for r in first if r.font == "TinosBold" and r.y > run(first, "BÁO CÁO").y and r.x < A4_WIDTH * 0.4]
    assert " ".join(r.text for r in agency) == "TRUNG TÂM HỖ TRỢ KHỞI NGHIỆP ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN GIAO CÔNG NGHỆ"
    assert len(agency) >= 2 and all(r.x > 85 for r in agency)  # wrapped, never into the margin
    nation = run(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert nation.x > A4_WIDTH * 0.45 and nation.y == first[0].y


def test_the_vendored_font_covers_vietnamese_may_be_embedded_and_carries_its_licence(app):
    from fontTools.ttLib import TTFont

    folder = Path(app.static_folder) / "vendor" / "tinos"
    assert "SIL Open Font License" in (folder / "LICENSE").read_text()
    makefile = (Path(app.root_path).parent / "Makefile").read_text()
    letters = "ẮẰẲẴẶẤẦẨẪẬĐÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰÝỲỶỸỴắằẳẵặđếềểễệốồổỗộớờởỡợứừửữựỳỵỷỹ–…₫"
    for file in document.FONT_FILES.values():
        assert file in makefile  # `make vendor` brings it from npm
        font = TTFont(folder / file)
        assert [c for c in letters if ord(c) not in font.getBestCmap()] == []
        assert font["OS/2"].fsType & 0x0002 == 0  # no "restricted licence embedding"
        assert font["name"].getDebugName(1) == "Tinos"


def test_the_motto_is_underlined_and_the_agency_and_title_have_their_short_rules(app):
    data = exports.to_pdf(sample_report(), HEADER)
    first = runs(data)[0]
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    rules = [tuple(map(float, found)) for found in re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", content)]
    assert len(rules) == 3 and all(y1 == y2 for _x1, y1, _x2, y2 in rules)
    (agency_rule, motto_rule, title_rule) = sorted(rules, key=lambda r: (-r[1], r[0]))
    agency, motto = run(first, "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), run(first, "Độc lập - Tự do - Hạnh phúc")
    # the motto's line is as long as the motto, right under it
    assert abs(motto_rule[0] - motto.x) < 1 and 0 < motto.y - motto_rule[1] < 8
    # the agency's and the title's run a third to a half of their text, centred under it
    centre = (agency_rule[0] + agency_rule[2]) / 2
    assert 1 / 3 <= (agency_rule[2] - agency_rule[0]) / (2 * (centre - agency.x)) <= 1 / 2
    assert 0 < agency.y - agency_rule[1] < 8 and agency_rule[1] > run(first, "Số: 125/BC-SKHCN").y
    title = run(first, "tạo 6 tháng đầu năm 2026")
    assert 0 < title.y - title_rule[1] < 8 and abs((title_rule[0] + title_rule[2]) / 2 - TEXT_CENTRE) < 1
