"""SVG charts: Vietnamese numbers, escaping, accessibility, determinism, and that fpdf2 draws them in a PDF."""
import io
import xml.etree.ElementTree as ET

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from eventhub.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
# What fpdf2's SVG renderer draws (plus the accessible name and description, which it skips).
DRAWABLE = {"svg", "title", "desc", "rect", "line", "circle", "path", "text"}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def tags(root: ET.Element) -> set[str]:
    return {element.tag.removeprefix(SVG) for element in root.iter()}


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def every_chart():
    series = [charts.Series("Đã xác nhận", (1234, 5)), charts.Series("Đã check-in", (1000, 0))]
    return [
        charts.bar_chart("Theo tỉnh", ["Đắk Lắk", "Hà Nội"], [1234, 56]),
        charts.grouped_bar_chart("Theo đối tượng", ["Học sinh, sinh viên", "Phụ nữ"], series),
        charts.grouped_bar_chart("Đến và vắng", ["Học sinh, sinh viên", "Phụ nữ"], series, stacked=True),
        charts.time_series("Đăng ký theo ngày", ["01/03", "02/03", "03/03"], [3, 0, 12]),
        charts.donut_chart("Giới tính", ["Nữ", "Nam", "Không rõ"], [60, 38, 2]),
        charts.target_chart("So với chỉ tiêu", ["Số lớp tập huấn", "Số học viên"], [2, 1500], [1, 1200]),
    ]


def test_vietnamese_number_formats():
    assert charts.format_number(1234567) == "1.234.567"
    assert charts.format_number(12.345, 1) == "12,3"
    assert charts.format_number(0) == "0"
    assert charts.format_number(None) == "—"
    assert charts.format_percent(66.666) == "66,7%"
    assert charts.format_percent(None) == "—"
    assert charts.percent(2, 3) == 66.7 and charts.percent(1, 0) is None


def test_every_chart_is_accessible_and_draws_only_what_pdfs_can():
    for svg in every_chart():
        root = parse(svg)
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text and desc.text
        assert tags(root) <= DRAWABLE, tags(root)
        # the official documents' serif first (PDF reports), then the sans of other PDFs and of pages
        assert root.get("font-family") == "Tinos, DejaVu, sans-serif"


def test_numbers_are_written_the_vietnamese_way():
    bars, grouped, stacked, line, donut, _target = (parse(svg) for svg in every_chart())
    assert texts(bars) == ["Đắk Lắk", "1.234", "Hà Nội", "56"]
    assert "1.000" in texts(grouped) and "Đã check-in" in texts(grouped)
    assert "2.234" in texts(stacked)  # the stacked total
    # gridlines at zero, half and a round maximum above 12, then the time labels
    assert texts(line) == ["0", "10", "20", "01/03", "02/03", "03/03"]
    assert "Nữ: 60 (60,0%)" in texts(donut) and "100" in texts(donut)
    assert parse(every_chart()[0]).find(f"{SVG}desc").text == "Đắk Lắk: 1.234; Hà Nội: 56"


def test_labels_are_escaped_and_long_ones_clipped_with_the_full_text_in_the_description():
    label = 'Hội <b>"Doanh nhân trẻ"</b> & Hợp tác xã nông nghiệp tỉnh Đắk Lắk'
    svg = charts.bar_chart("<script>alert(1)</script>", [label], [3])
    assert "<script>" not in str(svg) and "<b>" not in str(svg)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    shown = texts(root)[0]
    assert shown.endswith("…") and len(shown) <= charts.LABEL_CHARS
    assert root.find(f"{SVG}desc").text == f"{label}: 3"


def test_the_same_data_draws_the_same_bytes():
    assert [str(svg) for svg in every_chart()] == [str(svg) for svg in every_chart()]
    assert parse(every_chart()[0]).find(f"{SVG}title").get("id") != parse(every_chart()[1]).find(
        f"{SVG}title").get("id")


def test_each_point_of_a_short_series_is_marked():
    assert len(parse(charts.time_series("Theo ngày", ["01/03"], [4])).findall(f"{SVG}circle")) == 1
    many = charts.time_series("Theo ngày", [str(i) for i in range(100)], [1] * 100)
    assert parse(many).findall(f"{SVG}circle") == []


def test_empty_data_says_so():
    for svg in (charts.bar_chart("Theo tỉnh", [], []), charts.time_series("Theo ngày", ["01/03"], [0]),
                charts.donut_chart("Giới tính", ["Nữ"], [0])):
        assert texts(parse(svg)) == ["Chưa có số liệu."]


def test_a_whole_ring_is_drawn_as_two_halves():
    path = parse(charts.donut_chart("Giới tính", ["Nữ", "Nam"], [5, 0])).find(f"{SVG}path").get("d")
    assert path.count("A ") == 4


def test_fpdf2_embeds_the_charts_with_their_vietnamese_text(app):
    pdf = FPDF()
    fonts = app.static_folder + "/vendor/dejavu"
    pdf.add_font("DejaVu", "", f"{fonts}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{fonts}/DejaVuSans-Bold.ttf")
    for svg in every_chart():
        pdf.add_page()
        pdf.image(io.BytesIO(str(svg).encode()), x=10, y=10, w=190)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf.output()))).pages]
    assert "Đắk Lắk" in pages[0] and "1.234" in pages[0]
    assert "Học sinh, sinh viên" in pages[1] and "Đã check-in" in pages[1]
    assert "2.234" in pages[2]
    assert "03/03" in pages[3]
    assert "Không rõ: 2 (2,0%)" in pages[4]


def test_targets_of_every_size_are_drawn_as_a_share_of_their_own_target():
    root = parse(charts.target_chart(
        "Kết quả so với chỉ tiêu", ["Số diễn đàn tổ chức trong năm theo kế hoạch của tỉnh", "Số học viên",
                                    "Cuộc thi", "Chưa giao chỉ tiêu"],
        [2, 1500, 1, 0], [1, 1200, 3, 9]))
    bars = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("fill") in charts.PALETTE[:2]][1:]
    track = max(float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("fill") == "#d9dee3")
    # 1 of 2 and 1.200 of 1.500 are both long enough to read (half and four fifths of the 100% track) ...
    assert bars[0] == pytest.approx(track * 0.5, abs=0.2) and bars[1] == pytest.approx(track * 0.8, abs=0.2)
    assert bars[2] == pytest.approx(track * 2, abs=0.2)  # ... and 300% stops at twice the track
    words = texts(root)
    assert "1/2 (50,0%)" in words and "1.200/1.500 (80,0%)" in words and "3/1 (300,0%)" in words
    assert not any("Chưa giao" in w for w in words if w)  # an indicator without a target has no bar
    assert "Số diễn đàn tổ chức trong" in words and "năm theo kế hoạch của tỉnh" in words  # wrapped, not cut
    longer = texts(parse(charts.target_chart("T", ["Số dự án khởi nghiệp đổi mới sáng tạo được hỗ trợ ươm tạo và "
                                                   "kết nối đầu tư trong năm"], [5], [2])))
    assert longer[2] == "Số dự án khởi nghiệp đổi" and longer[3].endswith("…") and len(longer[3]) <= charts.LABEL_CHARS
