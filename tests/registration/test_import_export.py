import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from eventhub.accounts.models import Role
from eventhub.events import services as events
from eventhub.extensions import db
from eventhub.registration import exports, importer, services, setup
from eventhub.registration.models import (
    Gender,
    ImportBatch,
    QuestionKind,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)

HEADER = "Họ và tên,Đối tượng,Điện thoại,E-mail,Giới tính,Năm sinh,Đơn vị,Tỉnh/thành phố,Xã/phường,Lĩnh vực,Quan tâm"
PEOPLE = [
    "Nguyễn Thị Hồng Nhung,Học sinh sinh viên,0912345671,nhung@example.vn,Nữ,2004,ĐH Tây Nguyên,Đắk Lắk,,Nông nghiệp,",
    "Trần Văn Đức,Doanh nghiệp,0912345672,,Nam,1990,HTX Cà phê Ea Tu,Đắk Lắk,Ea Tu,Công nghệ,Gọi vốn; Đào tạo",
    "Lê Minh Khôi,học sinh sinh viên,+84 912 345 673,khoi@example.vn,,,,,,Công nghệ,",
    "Phạm Thu Trang,Doanh nghiệp,,trang@example.vn,Khác,1988,,,,Nông nghiệp,Đào tạo",
]


@pytest.fixture
def event(factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation, publish=True, capacity=3, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    factory.category(event, "Học sinh, sinh viên")
    factory.category(event, "Doanh nghiệp", "enterprise")
    setup.save_question(event.id, None, setup.QuestionDetails(label="Lĩnh vực", kind=QuestionKind.SINGLE_CHOICE,
                                                              options=["Nông nghiệp", "Công nghệ"], required=True))
    setup.save_question(event.id, None, setup.QuestionDetails(label="Quan tâm", kind=QuestionKind.MULTIPLE_CHOICE,
                                                              options=["Gọi vốn", "Đào tạo"], required=False))
    return event


@pytest.fixture
def organiser(browser, event):
    browser.login("tochuc@example.vn")
    return browser


def csv_bytes(lines, *, bom=True, separator=","):
    text = "\r\n".join(line.replace(",", separator) for line in lines) + "\r\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(browser, event, data, filename="danh-sach.csv"):
    return browser.post(f"/manage/events/{event.id}/registrations/import", {"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def registrations(event):
    return list(db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)
                                   .order_by(Registration.id)))


def test_csv_with_bom_previews_then_imports_with_the_waiting_list_beyond_capacity(organiser, event):
    page = organiser.get(f"/manage/events/{event.id}/registrations/import").get_data(as_text=True)
    assert "Nghị định 13/2023/NĐ-CP" in page and "import-template.xlsx" in page
    response = upload(organiser, event, csv_bytes([HEADER] + PEOPLE))
    assert response.status_code == 302 and "/import/" in response.headers["Location"]
    preview = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Trần Văn Đức" in preview and "dòng hợp lệ" in preview and 'data-import-step="' in preview
    assert "js/import.js" in preview and registrations(event) == []
    batch = db.session.scalar(sa.select(ImportBatch))
    assert len(importer.valid_rows(batch)) == 4 and batch.processed == 0

    done = organiser.post(f"/manage/events/{event.id}/registrations/import/{batch.id}/confirm")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/manage/events/{event.id}/registrations")
    people = registrations(event)
    assert [p.status for p in people] == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED]
    assert {p.source for p in people} == {RegistrationSource.IMPORT} and {p.import_batch_id for p in people} == {
        batch.id}
    duc = people[1]
    assert duc.phone == "0912345672" and duc.gender == Gender.MALE and duc.birth_year == 1990
    assert duc.category.name == "Doanh nghiệp" and duc.sub_unit == "Ea Tu"
    assert sorted(services.answers_by_question(duc).values()) == ["Công nghệ", "Gọi vốn, Đào tạo"]
    assert people[2].phone == "0912345673" and people[2].category.name == "Học sinh, sinh viên"
    db.session.expire_all()
    batch = db.session.get(ImportBatch, batch.id)
    assert (batch.processed, batch.created_count, batch.skipped_count) == (4, 4, 0) and batch.finished_at
    with organiser.client.session_transaction() as session:
        flashed = " ".join(message for _category, message in session["_flashes"])
    assert "Đã nhập 4 người" in flashed and "1 danh sách chờ" in flashed


def test_semicolons_no_bom_and_headers_without_diacritics_are_understood(event):
    header = "HO VA TEN;doi tuong;Dien Thoai;email;gioi tinh;nam sinh;linh vuc;quan tam;Ghi chú riêng"
    data = csv_bytes([header, "Đặng Quốc Bảo;Doanh nghiep;0905111222;bao@example.vn;nam;1985;cong nghe;"
                              "goi von, Đào tạo;x"], bom=False)
    parsed = importer.parse_upload(event, "ds.csv", data)
    assert parsed.unknown_columns == ["Ghi chú riêng"]
    row = parsed.rows[0]
    assert row["errors"] == [] and row["data"]["gender"] == "male" and row["data"]["birth_year"] == 1985
    assert row["data"]["category_id"] == services.categories(event.id)[1].id
    field, interest = services.questions(event.id)
    assert row["data"]["answers"] == {str(field.id): "Công nghệ", str(interest.id): ["Gọi vốn", "Đào tạo"]}


def test_xlsx_upload_with_numbers_typed_as_numbers_then_steps_as_json(organiser, event):
    data = xlsx_bytes([HEADER.split(","), ["Hồ Thị Lan", "Doanh nghiệp", 912345688, None, "Nữ", 1999.0, None, None,
                                          None, "Nông nghiệp", None],
                       [None] * 3, ["Y Bih Niê", "Học sinh, sinh viên", "0912345689", None, None, None, None, None,
                                    None, "Công nghệ", "Gọi vốn"]])
    response = upload(organiser, event, data, "danh-sach.xlsx")
    assert response.status_code == 302
    batch = db.session.scalar(sa.select(ImportBatch))
    assert [row["errors"] for row in batch.rows] == [[], []] and [row["line"] for row in batch.rows] == [2, 4]
    token = organiser.csrf_token()
    step = organiser.client.post(f"/manage/events/{event.id}/registrations/import/{batch.id}/step",
                                 headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert step.status_code == 200
    body = step.get_json()
    assert {k: body[k] for k in ("processed", "total", "created", "skipped", "done")} == {
        "processed": 2, "total": 2, "created": 2, "skipped": 0, "done": True}
    assert [p.phone for p in registrations(event)] == ["0912345688", "0912345689"]
    assert registrations(event)[0].birth_year == 1999


def test_every_kind_of_row_error_is_shown_and_nothing_is_written(factory, organiser, event):
    factory.registration(event, services.categories(event.id)[0], full_name="Đã Có Vé", phone="0987654321",
                         email="daco@example.vn", answers={services.questions(event.id)[0].id: "Nông nghiệp"})
    rows = [HEADER,
            ",Doanh nghiệp,0911000001,,,,,,,Công nghệ,",
            "Người Số Hai,Doanh nghiệp,12345,,,,,,,Công nghệ,",
            "Người Số Ba,Doanh nghiệp,,khong-phai-email,,,,,,Công nghệ,",
            "Người Số Bốn,Nông dân,0911000004,,,,,,,Công nghệ,",
            "Người Số Năm,Doanh nghiệp,0911000005,,Nữ giới,,,,,Công nghệ,",
            "Người Số Sáu,Doanh nghiệp,0911000006,,,1850,,,,Công nghệ,",
            "Người Số Bảy,Doanh nghiệp,0911000007,,,,,,,Du lịch,",
            "Người Số Tám,Doanh nghiệp,0911000008,,,,,,,,",
            "Người Số Chín,Doanh nghiệp,0911000009,,,,,,,Công nghệ,",
            "Người Trùng,Doanh nghiệp,091 100 0009,,,,,,,Công nghệ,",
            "Đã Có Vé,Doanh nghiệp,,DACO@example.vn,,,,,,Công nghệ,",
            "Không Liên Lạc,Doanh nghiệp,,,,,,,,Công nghệ,"]
    response = upload(organiser, event, csv_bytes(rows))
    assert response.status_code == 302
    preview = organiser.get(response.headers["Location"]).get_data(as_text=True)
    for message in ("Họ và tên: Vui lòng nhập họ và tên.", "Điện thoại: Số điện thoại không hợp lệ",
                    "E-mail: Địa chỉ e-mail không hợp lệ.", "Đối tượng: Không có đối tượng “Nông dân”",
                    "Giới tính: Chỉ nhận Nữ, Nam hoặc Khác.", "Năm sinh: Năm sinh không hợp lệ",
                    "Lĩnh vực: Vui lòng chọn một trong các phương án.", "Lĩnh vực: Câu hỏi này là bắt buộc.",
                    "Trùng với dòng 10 trong tệp", "Người này đã đăng ký sự kiện",
                    "Cần ít nhất số điện thoại hoặc e-mail."):
        assert message in preview, message
    batch = db.session.scalar(sa.select(ImportBatch))
    assert [row["line"] for row in importer.valid_rows(batch)] == [10]
    assert sum(1 for row in batch.rows if row["errors"]) == 11
    assert len(registrations(event)) == 1


def test_reimporting_the_same_file_adds_nobody_twice(organiser, event):
    data = csv_bytes([HEADER] + PEOPLE[:2])
    first = upload(organiser, event, data).headers["Location"]
    second = upload(organiser, event, data).headers["Location"]  # both checked before anything is imported
    organiser.post(f"{first}/confirm")
    organiser.post(f"{second}/confirm")
    assert len(registrations(event)) == 2
    batches = db.session.scalars(sa.select(ImportBatch).order_by(ImportBatch.id)).all()
    assert [(b.created_count, b.skipped_count) for b in batches] == [(2, 0), (0, 2)]
    third = organiser.get(upload(organiser, event, data).headers["Location"]).get_data(as_text=True)
    assert "Không có dòng hợp lệ nào để nhập" in third and "Người này đã đăng ký sự kiện" in third
    third_batch = db.session.scalars(sa.select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    assert importer.run_all(third_batch.id)["created"] == 0 and len(registrations(event)) == 2


def test_steps_advance_chunk_by_chunk_and_a_finished_batch_does_nothing(event):
    parsed = importer.parse_upload(event, "ds.csv", csv_bytes([HEADER] + PEOPLE))
    batch = importer.create_batch(event.id, None, "ds.csv", parsed)
    assert importer.run_step(batch.id, limit=3) == {"processed": 3, "total": 4, "created": 3, "skipped": 0,
                                                    "done": False}
    assert importer.run_step(batch.id, limit=3)["done"] is True
    assert importer.run_step(batch.id, limit=3)["processed"] == 4 and len(registrations(event)) == 4


def test_a_cancelled_event_stops_the_import_and_leaves_the_rows_waiting(organiser, event):
    preview = upload(organiser, event, csv_bytes([HEADER] + PEOPLE)).headers["Location"]
    events.apply_transition(event.id, "cancel", reason="Hoãn vì mưa bão")
    response = organiser.post(f"{preview}/confirm")
    assert response.headers["Location"].endswith(preview) and registrations(event) == []
    assert db.session.scalar(sa.select(ImportBatch.processed)) == 0


def test_without_javascript_a_long_import_continues_over_several_requests(monkeypatch, organiser, event):
    from eventhub.registration import imports

    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    monkeypatch.setattr(imports, "CONFIRM_TIME_BUDGET", 0)
    preview = upload(organiser, event, csv_bytes([HEADER] + PEOPLE)).headers["Location"]
    first = organiser.post(f"{preview}/confirm")
    assert first.headers["Location"].endswith(preview) and len(registrations(event)) == 2
    page = organiser.get(preview).get_data(as_text=True)
    assert "Đã xử lý 2/4 dòng hợp lệ." in page and "Tiếp tục nhập" in page
    second = organiser.post(f"{preview}/confirm")
    assert second.headers["Location"].endswith("/registrations") and len(registrations(event)) == 4


@pytest.mark.parametrize(("data", "filename", "status", "message"), [
    (b"a" * (5 * 1024 * 1024 + 1), "lon.csv", 413, "Tệp lớn hơn 5 MB"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "anh.csv", 422, "mã UTF-8"),
    (b"PK\x03\x04 not really a workbook", "hong.xlsx", 422, "Không đọc được tệp Excel"),
    (b"%PDF-1.4", "tai-lieu.pdf", 415, "Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."),
    (b"", "rong.csv", 422, "Tệp không có dữ liệu."),
    ("Tên,Số điện thoại\nA,0912345678\n".encode(), "sai-cot.csv", 422, "Tệp thiếu cột: Họ và tên, Đối tượng"),
])
def test_unusable_files_are_refused_with_a_clear_message(organiser, event, data, filename, status, message):
    response = upload(organiser, event, data, filename)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_too_many_rows_and_missing_file_are_refused(organiser, event):
    lines = [HEADER] + [f"Người {n},Doanh nghiệp,,n{n}@example.vn,,,,,,Công nghệ," for n in range(5001)]
    with pytest.raises(importer.ImportRefused, match="hơn 5000 dòng"):
        importer.parse_upload(event, "ds.csv", csv_bytes(lines))
    response = organiser.post(f"/manage/events/{event.id}/registrations/import", {})
    assert response.status_code == 422 and "Vui lòng chọn tệp danh sách." in response.get_data(as_text=True)


def test_another_organisation_gets_404_on_every_import_and_export_route(factory, organiser, event, browser):
    batch = importer.create_batch(event.id, None, "ds.csv", importer.parse_upload(
        event, "ds.csv", csv_bytes([HEADER] + PEOPLE)))
    factory.user("khac@example.vn", organisation=factory.organisation("Sở KH&CN tỉnh khác"), role=Role.ADMIN)
    browser.logout()
    browser.login("khac@example.vn")
    base = f"/manage/events/{event.id}/registrations"
    for url in ("/export.csv", "/export.xlsx", "/import-template.csv", "/import-template.xlsx", "/import",
                f"/import/{batch.id}"):
        assert browser.get(base + url).status_code == 404, url
    for url in ("/import", f"/import/{batch.id}/step", f"/import/{batch.id}/confirm"):
        assert browser.post(base + url, {"file": (io.BytesIO(b"x"), "a.csv")}).status_code == 404, url
    assert registrations(event) == [] and db.session.get(ImportBatch, batch.id).processed == 0


def test_a_batch_of_another_event_is_404(factory, organiser, event):
    other = factory.event(event.organisation, publish=True, title="Hội thảo khác")
    batch = importer.create_batch(event.id, None, "ds.csv", importer.ParsedFile(rows=[]))
    for method, path in (("get", ""), ("post", "/step"), ("post", "/confirm")):
        url = f"/manage/events/{other.id}/registrations/import/{batch.id}{path}"
        assert getattr(organiser, method)(url).status_code == 404, url


@pytest.fixture
def exported(factory, event):
    students, firms = services.categories(event.id)
    field, interest = services.questions(event.id)
    factory.registration(event, students, full_name="=HYPERLINK(\"http://x\",\"Bấm\")", phone="0912000001",
                         email="congthuc@example.vn", answers={field.id: "Nông nghiệp"})
    factory.registration(event, firms, full_name="Đỗ Thị Ngọc Ánh", phone="0912000002", gender=Gender.FEMALE,
                         birth_year=1992, email="anh@example.vn", organisation_name="@Công ty Ánh Dương",
                         answers={field.id: "Công nghệ", interest.id: ["Gọi vốn", "Đào tạo"]})
    return event


def test_csv_export_has_a_bom_diacritics_answers_and_no_live_formula(organiser, exported):
    response = organiser.get(f"/manage/events/{exported.id}/registrations/export.csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"dang-ky-{exported.slug}.csv" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Mã vé,Họ và tên,Đối tượng,Trạng thái,Điện thoại,E-mail,Giới tính,Năm sinh,Đơn vị,")
    assert header.endswith("Nguồn,Thời gian đăng ký,Lĩnh vực,Quan tâm")
    assert "Đỗ Thị Ngọc Ánh,Doanh nghiệp,Đã xác nhận,0912000002,anh@example.vn,Nữ,1992," in text
    assert "'@Công ty Ánh Dương" in text and "\"Gọi vốn, Đào tạo\"" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    only = organiser.get(f"/manage/events/{exported.id}/registrations/export.csv?q=ngoc+anh").get_data()
    assert b"HYPERLINK" not in only and "Ánh".encode() in only


def test_xlsx_export_reads_back_with_the_right_header_and_values(organiser, exported):
    response = organiser.get(f"/manage/events/{exported.id}/registrations/export.xlsx")
    assert response.mimetype == exports.XLSX_MIMETYPE
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã vé", "Họ và tên", "Đối tượng", "Trạng thái") and rows[0][-2:] == ("Lĩnh vực", "Quan tâm")
    anh = next(row for row in rows if row[1] == "Đỗ Thị Ngọc Ánh")
    assert anh[2:8] == ("Doanh nghiệp", "Đã xác nhận", "0912000002", "anh@example.vn", "Nữ", 1992)
    assert anh[-2:] == ("Công nghệ", "Gọi vốn, Đào tạo") and anh[11] == "Tự đăng ký trực tuyến"
    assert len(anh[12]) == 16 and anh[12][2] == "/"  # dd/mm/yyyy HH:MM
    formula = next(cell for cell in sheet["B"] if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # shown as text, never evaluated
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_headers_and_categories_typed_by_organisers_stay_text_in_every_file(factory, organiser, event):
    setup.save_question(event.id, None, setup.QuestionDetails(label="=HYPERLINK(\"http://x\",\"Bấm\")",
                                                              kind=QuestionKind.SHORT_TEXT, required=False))
    guests = factory.category(event, "+Khách mời")
    field = services.questions(event.id)[0]
    factory.registration(event, guests, full_name="-Nguyễn Văn Bình", phone="0912000003", organisation_name="=1+1",
                         answers={field.id: "Nông nghiệp"})
    base = f"/manage/events/{event.id}/registrations"
    rows = list(csv.reader(io.StringIO(organiser.get(f"{base}/export.csv").get_data().decode("utf-8-sig"))))
    assert rows[0][-1] == "'=HYPERLINK(\"http://x\",\"Bấm\")"
    assert rows[1][1:3] == ["'-Nguyễn Văn Bình", "'+Khách mời"] and rows[1][8] == "'=1+1"
    sheet = load_workbook(io.BytesIO(organiser.get(f"{base}/export.xlsx").get_data())).active
    header, person = sheet[1][-1], sheet[2]
    assert (header.value, header.data_type, header.quotePrefix) == ("=HYPERLINK(\"http://x\",\"Bấm\")", "s", True)
    assert [(c.value, c.data_type) for c in person[1:3]] == [("-Nguyễn Văn Bình", "s"), ("+Khách mời", "s")]
    template = load_workbook(io.BytesIO(organiser.get(f"{base}/import-template.xlsx").get_data()))
    assert template.worksheets[0][1][-1].data_type == "s"
    listed = next(c for c in template.worksheets[1]["A"] if c.value == "+Khách mời")
    assert listed.data_type == "s" and listed.quotePrefix


def test_template_downloads_list_headers_categories_and_genders(organiser, event):
    base = f"/manage/events/{event.id}/registrations/import-template"
    csv_template = organiser.get(f"{base}.csv").get_data()
    assert csv_template == ("\ufeff" + HEADER + "\r\n").encode()
    response = organiser.get(f"{base}.xlsx")
    assert f"mau-nhap-{event.slug}.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet, lists = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == HEADER.split(",")
    assert sheet["A2"].value and sheet["B2"].value == "Học sinh, sinh viên"
    values = [row for row in lists.iter_rows(values_only=True)]
    assert values[0] == ("Đối tượng", "Giới tính")
    assert [row[0] for row in values[1:] if row[0]] == ["Học sinh, sinh viên", "Doanh nghiệp"]
    assert [row[1] for row in values[1:] if row[1]] == ["Nữ", "Nam", "Khác"]
    assert {str(v.sqref) for v in sheet.data_validations.dataValidation} == {"B2:B5001", "E2:E5001"}
    parsed = importer.parse_upload(event, "mau.xlsx", response.get_data())
    assert parsed.rows == [] and parsed.ignored_examples == 1
