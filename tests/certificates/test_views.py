"""The organisers' certificate pages, the public verification page and the ticket page's certificates."""
import io

import pytest
import sqlalchemy as sa
from markupsafe import escape
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.certificates import services
from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus, CertificateTemplate
from eventhub.extensions import db

from .factories import held_training, template


@pytest.fixture
def training(factory, browser):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    return held_training(factory, organisation=organisation)


@pytest.fixture
def organiser(browser):
    browser.login("tochuc@example.vn")
    return browser


def url(event, tail=""):
    return f"/manage/events/{event.id}/certificates{tail}"


def test_an_organiser_saves_a_template_issues_a_batch_and_runs_it_again(training, organiser):
    browser = organiser
    event, people = training
    page = browser.get(url(event, "/templates/completion"))
    assert page.status_code == 200 and "{event_title}" in page.get_data(as_text=True)
    refused = browser.post(url(event, "/templates/completion"), {"title": "Giấy chứng nhận", "body": "Chào {ten}",
                                                                 "signer_name": "", "signer_title": "Giám đốc"})
    assert refused.status_code == 422 and "{ten}" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CertificateTemplate.id))) == 0
    saved = browser.post(url(event, "/templates/completion"), {
        "title": "Giấy chứng nhận", "body": "Đã hoàn thành {event_title}.", "signer_name": "Nguyễn Thị Hồng Nhung",
        "signer_title": "Giám đốc", "self_service": "y"})
    assert saved.status_code == 302
    assert services.template_for(event, CertificateKind.COMPLETION).self_service is True
    assert browser.post(url(event, "/batch"), {"kind": "completion"}).status_code == 302
    page = browser.get(url(event)).get_data(as_text=True)
    assert page.count('data-status="valid"') == len(people["completed"])
    for person in people["completed"]:
        assert escape(person.full_name) in page
    assert browser.post(url(event, "/batch"), {"kind": "completion"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == len(people["completed"])
    assert "Không có ai cần cấp thêm" in browser.get(url(event)).get_data(as_text=True)


def test_a_batch_without_a_template_says_so_and_writes_nothing(training, organiser):
    browser = organiser
    event, _people = training
    response = browser.post(url(event, "/batch"), {"kind": "participation"})
    assert response.status_code == 422 and "Chưa có mẫu giấy chứng nhận" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    assert browser.post(url(event, "/batch"), {"kind": "prize"}).status_code == 422


def test_one_by_one_refuses_someone_not_eligible(training, organiser):
    browser = organiser
    event, people = training
    template(event)
    response = browser.post(url(event, "/one"), {"kind": "completion", "registration_id": people["once"][0].id})
    assert response.status_code == 422 and "chưa hoàn thành" in response.get_data(as_text=True)
    assert browser.post(url(event, "/one"), {"kind": "completion",
                                             "registration_id": people["completed"][0].id}).status_code == 302
    [certificate] = db.session.scalars(sa.select(Certificate)).all()
    assert certificate.registration_id == people["completed"][0].id


def test_filters_the_pdfs_and_revocation_with_a_reason(training, organiser):
    browser = organiser
    event, people = training
    template(event)
    template(event, CertificateKind.PARTICIPATION)
    completed = services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None)
    services.issue_batch(event.id, CertificateKind.PARTICIPATION, issued_by=None)
    target = completed[0]
    refused = browser.post(url(event, f"/{target.id}/revoke"), {"reason": "  "})
    assert refused.status_code == 422
    assert db.session.get(Certificate, target.id).status == CertificateStatus.VALID
    assert browser.post(url(event, f"/{target.id}/revoke"), {"reason": "Cấp nhầm"}).status_code == 302
    only_revoked = browser.get(url(event), query_string={"status": "revoked"}).get_data(as_text=True)
    assert only_revoked.count("data-certificate=") == 1 and "Cấp nhầm" in only_revoked
    completion_only = browser.get(url(event), query_string={"kind": "completion", "status": "bogus"})
    assert completion_only.get_data(as_text=True).count("data-certificate=") == len(completed)
    batch = browser.get(url(event, "/batch.pdf"), query_string={"kind": "completion"})
    assert batch.status_code == 200 and batch.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(batch.data)).pages) == len(completed)
    one = browser.get(url(event, f"/{target.id}.pdf"))
    assert target.number in PdfReader(io.BytesIO(one.data)).pages[0].extract_text()
    empty = browser.get(url(event, "/batch.pdf"), query_string={"kind": "prize"})
    assert empty.status_code == 302


def test_the_verify_page_shows_the_holder_event_agency_and_status_without_contacts(training, client):
    event, people = training
    template(event)
    certificate = next(c for c in services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None)
                       if c.registration_id == people["completed"][0].id)
    person = people["completed"][0]
    page = client.get(f"/verify/{certificate.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in (escape(person.full_name), escape(event.title), services.event_dates(event),
                     "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "UBND tỉnh Đắk Lắk", certificate.number, "còn hiệu lực"):
        assert expected in text, expected
    assert person.phone not in text and person.email not in text and "@" not in text.split("<body")[1]
    services.revoke(event.id, certificate.id, "Cấp nhầm", user_id=None)
    revoked = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    revoked_on = db.session.get(Certificate, certificate.id).revoked_at
    assert "đã thu hồi" in revoked and "còn hiệu lực" not in revoked
    assert revoked_on.astimezone().strftime("%Y") in revoked


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "changed", "1%2FGCN-SKHCN"])
def test_an_unknown_or_altered_code_is_a_404_that_says_it_does_not_exist(training, client, code):
    event, _people = training
    template(event)
    [certificate, *_] = services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None)
    altered = certificate.code[:-1] + ("B" if certificate.code[-1] != "B" else "C")
    for tried in (code, altered):
        response = client.get(f"/verify/{tried}")
        assert response.status_code == 404 and "không tồn tại" in response.get_data(as_text=True)


def test_the_verify_page_is_rate_limited(app, training, client):
    event, _people = training
    template(event)
    [certificate, *_] = services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None)
    from eventhub.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.enabled = True
    try:
        statuses = [client.get(f"/verify/{certificate.code}").status_code for _ in range(31)]
    finally:
        limiter.reset()
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_the_ticket_page_links_the_certificate_once_issued(training, client):
    event, people = training
    person = people["completed"][0]
    template(event)
    ticket = f"/tickets/{person.access_key}"
    assert "Giấy chứng nhận" not in client.get(ticket).get_data(as_text=True)
    certificate = services.issue_certificate(event.id, CertificateKind.COMPLETION, person.id, issued_by=None)
    page = client.get(ticket).get_data(as_text=True)
    link = f"{ticket}/certificates/{certificate.code}.pdf"
    assert link in page and certificate.number in page
    pdf = client.get(link)
    assert pdf.status_code == 200 and person.full_name in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    # Another person's ticket does not open it, nor does a revoked certificate stay offered.
    other = people["completed"][1]
    assert client.get(f"/tickets/{other.access_key}/certificates/{certificate.code}.pdf").status_code == 404
    services.revoke(event.id, certificate.id, "Cấp nhầm", user_id=None)
    assert link not in client.get(ticket).get_data(as_text=True)
    assert client.get(link).status_code == 404


def test_a_completer_takes_their_own_certificate_when_the_organiser_allows_it(training, browser):
    event, people = training
    completer, once = people["completed"][0], people["once"][0]
    template(event)
    assert "Nhận giấy chứng nhận hoàn thành" not in browser.get(f"/tickets/{completer.access_key}").get_data(
        as_text=True)
    assert browser.post(f"/tickets/{completer.access_key}/certificates").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    template(event, self_service=True)
    assert "Nhận giấy chứng nhận hoàn thành" in browser.get(f"/tickets/{completer.access_key}").get_data(as_text=True)
    assert "Nhận giấy chứng nhận hoàn thành" not in browser.get(f"/tickets/{once.access_key}").get_data(as_text=True)
    assert browser.post(f"/tickets/{once.access_key}/certificates").status_code == 302
    assert browser.post(f"/tickets/{completer.access_key}/certificates").status_code == 302
    [certificate] = db.session.scalars(sa.select(Certificate)).all()
    assert certificate.registration_id == completer.id
    page = browser.get(f"/tickets/{completer.access_key}").get_data(as_text=True)
    assert f"/certificates/{certificate.code}.pdf" in page and "Nhận giấy chứng nhận hoàn thành" not in page


def test_prize_winners_typed_in_one_a_line(training, organiser):
    event, _people = training
    template(event, CertificateKind.PRIZE)
    bad = organiser.post(url(event, "/prizes"), {"winners": "Nguyễn Văn An | Giải Nhất\nThiếu tên giải"})
    assert bad.status_code == 422 and "Dòng 2" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    winners = "Nguyễn Văn An | Giải Nhất\n\nHTX Cà phê Ea Kar | Giải Khuyến khích\n"
    assert organiser.post(url(event, "/prizes"), {"winners": winners}).status_code == 302
    assert organiser.post(url(event, "/prizes"), {"winners": winners}).status_code == 302
    rows = db.session.execute(sa.select(Certificate.holder_name, Certificate.prize_title, Certificate.kind)).all()
    assert sorted(rows) == [("HTX Cà phê Ea Kar", "Giải Khuyến khích", CertificateKind.PRIZE),
                            ("Nguyễn Văn An", "Giải Nhất", CertificateKind.PRIZE)]
