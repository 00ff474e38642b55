"""Issued report pages: the form on the report page and on a snapshot, the list, the detail and the stored files."""
import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports import snapshots
from eventhub.reports.issued import services as issued
from eventhub.reports.issued.models import IssuedReport
from eventhub.reports.models import ReportSnapshot, SnapshotKind
from eventhub.timeutil import to_local, utcnow
from tests.reports import dataset
from tests.reports import factories as reports

OFFICER = "vanphong@example.vn"
SCOPE = {"period": "first_half", "year": "2026"}
SIGNED = {"number": "57/BC-SKHCN", "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc"}


@pytest.fixture
def data(factory, browser):
    built = dataset.build()
    built["officer"] = factory.user(OFFICER, organisation=built["province"], role=Role.ORGANISER)
    factory.user("hoi@example.vn", organisation=built["association"], role=Role.ADMIN)
    browser.login(OFFICER)
    built["scope"] = {**SCOPE, "organisation_ids": str(built["province"].id)}
    return built


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(IssuedReport))


def newest() -> IssuedReport:
    db.session.expire_all()
    return db.session.scalar(sa.select(IssuedReport).order_by(IssuedReport.id.desc()).limit(1))


def test_the_report_page_offers_the_issue_form_dated_today(data, browser):
    page = browser.get(f"/manage/reports?{urlencode(data['scope'])}").get_data(as_text=True)
    form = page[page.index('id="issue"'):]
    assert 'action="/manage/reports/issued"' in form
    assert f'<input type="hidden" name="organisation_ids" value="{data["province"].id}">' in form
    assert '<input type="hidden" name="period" value="first_half">' in form
    today = to_local(utcnow()).strftime("%d/%m/%Y")
    assert re.search(rf'name="issued_on"[^>]*value="{today}"', form)
    assert "Chưa có báo cáo nào được ban hành." in page


def test_the_form_sends_the_organisation_the_page_chose_by_default(data, browser):
    page = browser.get(f"/manage/reports?{urlencode(SCOPE)}").get_data(as_text=True)
    form = page[page.index('id="issue"'):]
    assert f'<input type="hidden" name="organisation_ids" value="{data["province"].id}">' in form
    query = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]+)">', form))
    assert browser.post("/manage/reports/issued", {**query, **SIGNED}).status_code == 302
    assert [o.id for o in newest().organisations] == [data["province"].id]


def test_issuing_then_downloading_the_same_bytes_after_new_registrations(data, browser):
    response = browser.post("/manage/reports/issued", {**data["scope"], **SIGNED, "issued_on": "02/07/2026"})
    report = newest()
    assert response.status_code == 302 and response.headers["Location"] == f"/manage/reports/issued/{report.id}"
    detail = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ban hành báo cáo số 57/BC-SKHCN." in detail
    assert report.pdf_sha256 in detail and report.xlsx_sha256 in detail and "Nguyễn Văn An, Giám đốc" in detail
    files = {fmt: browser.get(f"/manage/reports/issued/{report.id}/{fmt}") for fmt in ("pdf", "xlsx")}
    reports.people(data["workshop"], "youth", 3, first=700)
    live = browser.get(f"/manage/reports?{urlencode(data['scope'])}").get_data(as_text=True)
    assert re.search(r'data-row="participants">.*?<td class="num">17</td>', live, re.S)
    for fmt, first in files.items():
        again = browser.get(f"/manage/reports/issued/{report.id}/{fmt}")
        digest = getattr(report, f"{fmt}_sha256")
        assert first.status_code == again.status_code == 200
        assert again.data == first.data == getattr(report, fmt)
        assert hashlib.sha256(again.data).hexdigest() == digest and again.headers["ETag"] == f'"{digest}"'
        assert again.headers["Content-Disposition"] == f'attachment; filename="bao-cao-so-57-bc-skhcn-20260702.{fmt}"'
        cached = browser.get(f"/manage/reports/issued/{report.id}/{fmt}", headers={"If-None-Match": f'"{digest}"'})
        assert cached.status_code == 304 and cached.data == b""
    assert files["pdf"].mimetype == "application/pdf"
    issued_detail = browser.get(f"/manage/reports/issued/{report.id}").get_data(as_text=True)
    assert re.search(r'data-row="participants">.*?<td class="num">14</td>', issued_detail, re.S)


def test_a_refused_issue_shows_the_report_page_again_and_writes_nothing(data, browser):
    browser.post("/manage/reports/issued", {**data["scope"], **SIGNED})
    duplicate = browser.post("/manage/reports/issued", {**data["scope"], **SIGNED})
    page = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 422 and count() == 1
    assert "Số 57/BC-SKHCN đã dùng cho báo cáo ban hành ngày" in page
    assert 'id="indicator-table"' in page and 'value="Nguyễn Văn An"' in page  # the report and what was typed
    untitled = browser.post("/manage/reports/issued", {**data["scope"], **SIGNED, "number": "58/BC-SKHCN",
                                                       "signer_title": " "})
    assert untitled.status_code == 422 and "Trường này là bắt buộc." in untitled.get_data(as_text=True)
    bad_period = browser.post("/manage/reports/issued", {**data["scope"], **SIGNED, "number": "58/BC-SKHCN",
                                                         "period": "custom", "starts_on": "31/02/2026"})
    assert bad_period.status_code == 422 and count() == 1


def test_a_scope_the_user_cannot_report_on_is_a_404(data, browser):
    for organisation_ids in (data["association"].id, 987_654, 2**40):
        response = browser.post("/manage/reports/issued", {**SCOPE, **SIGNED, "organisation_ids": organisation_ids})
        assert response.status_code == 404, organisation_ids
    assert count() == 0


def test_a_correction_from_the_detail_page(data, browser):
    browser.post("/manage/reports/issued", {**data["scope"], **SIGNED, "issued_on": "01/07/2026"})
    first = newest()
    detail = browser.get(f"/manage/reports/issued/{first.id}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)#issue">Ban hành bản thay thế</a>', detail).group(1).replace("&amp;", "&")
    page = browser.get(link).get_data(as_text=True)
    assert re.search(rf'<option selected value="{first.id}">Số 57/BC-SKHCN ngày 01/07/2026</option>', page)
    query = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]+)">', page[page.index('id="issue"'):]))
    response = browser.post("/manage/reports/issued", {**query, **SIGNED, "number": "58/BC-SKHCN",
                                                       "replaces_id": first.id})
    second = newest()
    assert response.status_code == 302 and second.replaces_id == first.id
    old = browser.get(f"/manage/reports/issued/{first.id}").get_data(as_text=True)
    assert "Báo cáo này đã được thay thế bởi" in old and "báo cáo số 58/BC-SKHCN" in old
    assert "Ban hành bản thay thế" not in old
    listing = browser.get("/manage/reports/issued").get_data(as_text=True)
    assert "đã được thay thế bởi 58/BC-SKHCN" in listing and "thay thế 57/BC-SKHCN" in listing


def test_issuing_a_snapshot(data, browser):
    snapshots.take_due_snapshots(datetime(2026, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=7))))
    snapshot = db.session.scalar(sa.select(ReportSnapshot).where(
        ReportSnapshot.organisation_id == data["province"].id, ReportSnapshot.kind == SnapshotKind.MONTHLY))
    page = browser.get(f"/manage/reports/snapshots/{snapshot.id}").get_data(as_text=True)
    assert f'action="/manage/reports/snapshots/{snapshot.id}/issue"' in page
    refused = browser.post(f"/manage/reports/snapshots/{snapshot.id}/issue", {**SIGNED, "number": "57"})
    assert refused.status_code == 422 and "Số báo cáo có dạng số thứ tự/BC-ký hiệu cơ quan" in refused.get_data(
        as_text=True) and count() == 0
    response = browser.post(f"/manage/reports/snapshots/{snapshot.id}/issue", SIGNED)
    report = newest()
    assert response.status_code == 302 and report.snapshot_id == snapshot.id and report.figures == snapshot.payload
    detail = browser.get(f"/manage/reports/issued/{report.id}").get_data(as_text=True)
    assert "từ bản lưu ngày 01/07/2026 01:00" in detail
    link = re.search(r'<a href="([^"]+)#issue">Ban hành bản thay thế</a>', detail).group(1).replace("&amp;", "&")
    assert link == f"/manage/reports/snapshots/{snapshot.id}?replaces_id={report.id}"
    assert f'<option selected value="{report.id}">Số 57/BC-SKHCN' in browser.get(link).get_data(as_text=True)


def test_another_organisation_sees_nothing(data, browser):
    organisation_id = data["province"].id
    report = issued.issue_period_report([organisation_id], date(2026, 1, 1), date(2026, 6, 30), issued.IssueDetails(
        **SIGNED), issuer_id=organisation_id, issued_by_id=data["officer"].id)
    browser.logout()
    browser.login("hoi@example.vn")
    assert report.number not in browser.get("/manage/reports/issued").get_data(as_text=True)
    for path in ("", "/pdf", "/xlsx"):
        assert browser.get(f"/manage/reports/issued/{report.id}{path}").status_code == 404
