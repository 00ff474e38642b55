"""Issuing reports, without HTTP: what is stored, the number rule, dates, the correction chain, snapshots, who may
read them, and the database refusing any change to an issued report."""
import hashlib
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.errors import NotFound, ValidationFailed
from eventhub.extensions import db
from eventhub.reports import periods, snapshots
from eventhub.reports.issued import services as issued
from eventhub.reports.issued.models import IssuedReport
from eventhub.reports.models import ReportSnapshot, SnapshotKind
from tests.reports import dataset
from tests.reports import factories as reports

VIETNAM = timezone(timedelta(hours=7))
JULY_3 = datetime(2026, 7, 3, 9, 30, tzinfo=VIETNAM)
H1 = (date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture
def data(factory):
    built = dataset.build()
    built["officer"] = factory.user("vanphong@example.vn", organisation=built["province"], role=Role.ORGANISER)
    built["district_officer"] = factory.user("huyen@example.vn", organisation=built["district"], role=Role.ADMIN)
    return built


def details(number="57/BC-SKHCN", **extra) -> issued.IssueDetails:
    return issued.IssueDetails(**{"number": number, "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc",
                                  **extra})


def issue(data, number="57/BC-SKHCN", *, organisation="province", period=H1, now=JULY_3, **extra):
    organisation_id = data[organisation].id
    return issued.issue_period_report([organisation_id], *period, details(number, **extra),
                                      issuer_id=organisation_id, issued_by_id=data["officer"].id, now=now)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_issuing_keeps_the_figures_and_the_files_with_their_sha256(data):
    report = issue(data, " 57 / bc-skhcn ", issued_on=date(2026, 7, 2))
    db.session.expire_all()
    stored = db.session.get(IssuedReport, report.id)
    assert (stored.number, stored.issued_on, stored.issued_year) == ("57/BC-SKHCN", date(2026, 7, 2), 2026)
    assert (stored.starts_on, stored.ends_on, stored.organisation_id) == (*H1, data["province"].id)
    assert [o.id for o in stored.organisations] == [data["province"].id]
    assert stored.pdf_sha256 == hashlib.sha256(stored.pdf).hexdigest()
    assert stored.xlsx_sha256 == hashlib.sha256(stored.xlsx).hexdigest()
    live = periods.build_period_report([data["province"].id], *H1, now=JULY_3, compare_with_snapshot=False)
    assert stored.figures == periods.report_to_json(live)
    text = pdf_text(stored.pdf)
    assert "Số: 57/BC-SKHCN" in text and "Đắk Lắk, ngày 02 tháng 7 năm 2026" in text
    assert "GIÁM ĐỐC" in text and "Nguyễn Văn An" in text and "6 tháng đầu năm 2026" in text
    facts = {row[0]: row[1] for row in load_workbook(io.BytesIO(stored.xlsx))["Tổng hợp"].iter_rows(
        max_col=2, values_only=True) if row[0]}
    assert (facts["Số"], facts["Ngày ban hành"], facts["Người ký"], facts["Chức vụ"]) == (
        "57/BC-SKHCN", "02/07/2026", "Nguyễn Văn An", "Giám đốc")


def test_the_stored_files_do_not_follow_later_data(data):
    report = issue(data)
    pdf, xlsx, figures = report.pdf, report.xlsx, report.figures
    reports.people(data["workshop"], "youth", 3, first=700)
    later = periods.build_period_report([data["province"].id], *H1, compare_with_snapshot=False)
    assert {r.code: r.achieved for r in later.indicators}["participants"] == 17
    db.session.expire_all()
    stored = db.session.get(IssuedReport, report.id)
    assert (stored.pdf, stored.xlsx, stored.figures) == (pdf, xlsx, figures)
    assert {r.code: r.achieved for r in issued.figures_of(stored).indicators}["participants"] == 14


def test_the_issue_date_defaults_to_today_in_vietnam(data):
    late_utc = datetime(2026, 7, 3, 18, 0, tzinfo=UTC)  # 01:00 on 04/07 in Vietnam
    assert issue(data, now=late_utc).issued_on == date(2026, 7, 4)


@pytest.mark.parametrize("issued_on, message", [
    (date(2026, 7, 4), "Ngày ban hành không được sau hôm nay (03/07/2026)."),
    (date(2025, 12, 31), "Ngày ban hành không được trước ngày bắt đầu kỳ báo cáo (01/01/2026)."),
])
def test_issue_dates_outside_what_can_be_true_are_refused(data, issued_on, message):
    with pytest.raises(ValidationFailed) as refused:
        issue(data, issued_on=issued_on)
    assert [str(m) for m in refused.value.fields["issued_on"]] == [message]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedReport)) == 0


def test_a_six_month_report_may_be_issued_before_the_half_year_ends(data):
    june_15 = datetime(2026, 6, 15, 9, 0, tzinfo=VIETNAM)
    assert issue(data, now=june_15).issued_on == date(2026, 6, 15)


def test_a_number_is_used_once_a_year_by_one_organisation(data):
    first = issue(data, "57/BC-SKHCN", issued_on=date(2026, 7, 1))
    for same in ("57/BC-SKHCN", "57/bc-skhcn", " 57/BC-SKHCN "):
        with pytest.raises(ValidationFailed) as refused:
            issue(data, same)
        assert [str(m) for m in refused.value.fields["number"]] == [
            "Số 57/BC-SKHCN đã dùng cho báo cáo ban hành ngày 01/07/2026 của đơn vị; mỗi số chỉ dùng một lần trong "
            "năm 2026."]
    other_organisation = issue(data, "57/BC-SKHCN", organisation="district")
    next_year = issue(data, "57/BC-SKHCN", period=(date(2026, 1, 1), date(2026, 12, 31)),
                      now=datetime(2027, 1, 5, 9, 0, tzinfo=VIETNAM))
    assert (other_organisation.issued_year, next_year.issued_year) == (2026, 2027)
    assert first.id not in (other_organisation.id, next_year.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedReport)) == 3


def test_the_database_refuses_a_second_report_with_the_number(data):
    """Two issues at the same moment both pass the check; the unique key keeps one, the other gets the message."""
    first = issue(data)
    db.session.add(IssuedReport(**{c.key: getattr(first, c.key) for c in IssuedReport.__table__.c if c.key != "id"}))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("number", ["…/BC-SKHCN", "57", "57/KH-SKHCN", "BC-SKHCN", "57/BC-", "x" * 61,
                                    "57/BC-" + "S" * 60, ""])
def test_a_number_must_read_like_one(data, number):
    with pytest.raises(ValidationFailed) as refused:
        issue(data, number)
    assert [str(m) for m in refused.value.fields["number"]] == [
        "Số báo cáo có dạng số thứ tự/BC-ký hiệu cơ quan, ví dụ 57/BC-SKHCN."]


@pytest.mark.parametrize("field, value, message", [
    ("signer_name", "   ", "Trường này là bắt buộc."),
    ("signer_title", "", "Trường này là bắt buộc."),
    ("signer_name", "x" * 101, "Không được dài quá 100 ký tự."),
    ("signer_title", "x" * 151, "Không được dài quá 150 ký tự."),
])
def test_the_signer_is_required(data, field, value, message):
    organisation_id = data["province"].id
    with pytest.raises(ValidationFailed) as refused:
        issued.issue_period_report([organisation_id], *H1, issued.IssueDetails(**{
            "number": "57/BC-SKHCN", "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc", field: value}),
            issuer_id=organisation_id, issued_by_id=data["officer"].id, now=JULY_3)
    assert [str(m) for m in refused.value.fields[field]] == [message]


def test_a_correction_names_the_report_it_replaces(data):
    first = issue(data, "57/BC-SKHCN", issued_on=date(2026, 7, 1))
    second = issue(data, "58/BC-SKHCN", replaces_id=first.id)
    db.session.expire_all()
    first, second = db.session.get(IssuedReport, first.id), db.session.get(IssuedReport, second.id)
    assert (second.replaces, first.replaced_by, first.replaces, second.replaced_by) == (first, second, None, None)
    assert "Báo cáo này thay thế Báo cáo số 57/BC-SKHCN ngày 01/07/2026." in pdf_text(second.pdf)
    assert second.figures["snapshot_note"] == "Báo cáo này thay thế Báo cáo số 57/BC-SKHCN ngày 01/07/2026."
    with pytest.raises(ValidationFailed) as refused:
        issue(data, "59/BC-SKHCN", replaces_id=first.id)
    assert [str(m) for m in refused.value.fields["replaces_id"]] == [
        "Báo cáo số 57/BC-SKHCN đã được thay thế bởi báo cáo số 58/BC-SKHCN; hãy thay thế bản mới nhất."]
    third = issue(data, "59/BC-SKHCN", replaces_id=second.id)
    assert third.replaces_id == second.id


@pytest.mark.parametrize("replaces", ["district_report", 987_654, 2**40, 0])
def test_only_the_organisations_own_report_can_be_replaced(data, replaces):
    district_report = issue(data, "3/BC-UBND", organisation="district")
    replaces_id = district_report.id if replaces == "district_report" else replaces
    with pytest.raises(ValidationFailed) as refused:
        issue(data, replaces_id=replaces_id)
    assert [str(m) for m in refused.value.fields["replaces_id"]] == [
        "Đơn vị không có báo cáo đã ban hành nào như vậy để thay thế."]


def test_a_correction_is_not_dated_before_the_report_it_replaces(data):
    first = issue(data, "57/BC-SKHCN", issued_on=date(2026, 7, 3))
    with pytest.raises(ValidationFailed) as refused:
        issue(data, "58/BC-SKHCN", replaces_id=first.id, issued_on=date(2026, 7, 2))
    assert [str(m) for m in refused.value.fields["issued_on"]] == [
        "Bản thay thế không được ban hành trước báo cáo mà nó thay thế (03/07/2026)."]


def test_the_issuer_must_be_one_of_the_organisations_reported_on(data):
    with pytest.raises(NotFound):
        issued.issue_period_report([data["district"].id], *H1, details(), issuer_id=data["province"].id,
                                   issued_by_id=data["officer"].id, now=JULY_3)


def test_a_snapshot_is_issued_with_its_frozen_figures(data):
    snapshots.take_due_snapshots(datetime(2026, 7, 1, 1, 0, tzinfo=VIETNAM))
    snapshot = db.session.scalar(sa.select(ReportSnapshot).where(
        ReportSnapshot.organisation_id == data["province"].id, ReportSnapshot.kind == SnapshotKind.MONTHLY))
    reports.people(data["workshop"], "youth", 3, first=700)
    report = issued.issue_snapshot(snapshot.id, details(), issued_by_id=data["officer"].id, now=JULY_3)
    assert (report.snapshot_id, report.organisation_id, report.starts_on, report.ends_on) == (
        snapshot.id, data["province"].id, *H1)
    assert report.figures == snapshot.payload
    assert "Số liệu tổng hợp lúc 01/07/2026 01:00" in pdf_text(report.pdf)
    with pytest.raises(NotFound):
        issued.issue_snapshot(987_654, details("58/BC-SKHCN"), issued_by_id=data["officer"].id, now=JULY_3)


def test_who_may_read_an_issued_report(data):
    province_report = issue(data)
    district_report = issue(data, "3/BC-UBND", organisation="district")
    assert [r.id for r in issued.list_issued(data["officer"])] == [district_report.id, province_report.id]
    assert [r.id for r in issued.list_issued(data["district_officer"])] == [district_report.id]
    assert issued.get_issued(data["district_officer"], district_report.id) == district_report
    with pytest.raises(NotFound):
        issued.get_issued(data["district_officer"], province_report.id)
    with pytest.raises(NotFound):
        issued.get_issued(data["officer"], 2**40)
    scoped = issued.list_issued(data["officer"], organisation_ids=[data["province"].id], starts_on=H1[0],
                                ends_on=H1[1])
    assert [r.id for r in scoped] == [province_report.id]
    assert issued.list_issued(data["officer"], organisation_ids=[data["province"].id],
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)) == []


@pytest.mark.parametrize("statement", [
    "UPDATE issued_reports SET number = '99/BC-SKHCN'",
    "UPDATE issued_reports SET pdf = xlsx",
    "UPDATE issued_report_organisations SET organisation_id = organisation_id",
])
def test_the_database_refuses_to_change_an_issued_report(data, statement):
    report = issue(data)
    pdf = report.pdf
    with pytest.raises(sa.exc.DBAPIError, match="an issued report is never changed"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(IssuedReport, report.id)
    assert (stored.number, stored.pdf) == ("57/BC-SKHCN", pdf)


def test_an_orm_change_is_refused_too(data):
    report = issue(data)
    report.signer_name = "Người khác"
    with pytest.raises(sa.exc.DBAPIError, match="an issued report is never changed"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(IssuedReport, report.id).signer_name == "Nguyễn Văn An"


def test_the_file_names_and_formats(data):
    report = issue(data, issued_on=date(2026, 7, 2))
    pdf = issued.issued_file(report, "pdf")
    assert (pdf.filename, pdf.media_type, pdf.sha256) == ("bao-cao-so-57-bc-skhcn-20260702.pdf", "application/pdf",
                                                          report.pdf_sha256)
    assert issued.issued_file(report, "xlsx").content == report.xlsx
    with pytest.raises(NotFound):
        issued.issued_file(report, "csv")


def test_an_issue_that_loses_a_race_for_its_number_gets_the_message(data, monkeypatch):
    """The check passes for both (the other was not committed yet); the unique key refuses the second."""
    first = issue(data)
    calls, real = [], issued._numbered

    def numbered_once_too_early(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(issued, "_numbered", numbered_once_too_early)
    with pytest.raises(ValidationFailed) as refused:
        issue(data)
    assert "Số 57/BC-SKHCN đã dùng cho báo cáo ban hành ngày 03/07/2026" in str(refused.value.fields["number"][0])
    assert [r.id for r in db.session.scalars(sa.select(IssuedReport))] == [first.id]
