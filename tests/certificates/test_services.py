"""Certificates through the services (no HTTP), on both databases: eligibility, numbering, idempotent batches,
prize rows, templates and revocation."""
import re

import pytest
import sqlalchemy as sa

from eventhub.certificates import services
from eventhub.certificates.models import Certificate, CertificateKind, CertificateSequence, CertificateStatus
from eventhub.checkin import completion
from eventhub.errors import DomainError, NotFound, ValidationFailed
from eventhub.extensions import db

from .factories import AFTER, DAY_ONE, make_training, template

COMPLETION, PARTICIPATION, PRIZE = CertificateKind.COMPLETION, CertificateKind.PARTICIPATION, CertificateKind.PRIZE


@pytest.fixture
def training(factory):
    event, people = make_training(factory)
    template(event)
    template(event, PARTICIPATION)
    return event, people


def test_completion_certificates_go_to_completers_only(training):
    event, people = training
    issued = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert sorted(c.registration_id for c in issued) == sorted(p.id for p in people["completed"])
    assert {c.holder_name for c in issued} == {p.full_name for p in people["completed"]}
    assert all(c.kind == COMPLETION and c.status == CertificateStatus.VALID for c in issued)


def test_an_organisers_decision_makes_a_completer(training):
    event, people = training
    completion.decide(event.id, people["once"][0].id, completion.Decision(True, "Học bù ngày thứ hai"), user_id=None)
    issued = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert people["once"][0].id in {c.registration_id for c in issued}


def test_participation_certificates_go_to_everyone_checked_in(training):
    event, people = training
    issued = services.issue_batch(event.id, PARTICIPATION, issued_by=None, now=AFTER)
    assert {c.registration_id for c in issued} == {p.id for p in people["completed"] + people["once"]}


def test_numbers_are_sequential_per_organisation_and_year_and_codes_unguessable(factory, training):
    event, _people = training
    completed = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    attended = services.issue_batch(event.id, PARTICIPATION, issued_by=None, now=AFTER)
    serials = [c.serial for c in completed + attended]
    assert serials == list(range(1, len(serials) + 1))
    assert [c.number for c in completed] == ["1/GCN-SKHCN", "2/GCN-SKHCN", "3/GCN-SKHCN"]
    assert all(c.issued_year == 2027 for c in completed)
    codes = [c.code for c in completed + attended]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"[A-Z2-7]{16}", c) for c in codes)
    # Another organisation starts at 1; the next year starts again at 1.
    other, _ = make_training(factory, organisation=factory.organisation("Tỉnh Đoàn Đắk Lắk"), completers=1)
    template(other)
    [first] = services.issue_batch(other.id, COMPLETION, issued_by=None, now=AFTER)
    assert first.number == "1/GCN-TĐĐL"
    later, _ = make_training(factory, organisation=event.organisation, completers=1, once=0, absent=0)
    template(later)
    [next_year] = services.issue_batch(later.id, COMPLETION, issued_by=None,
                                       now=AFTER.replace(year=2028))
    assert (next_year.serial, next_year.issued_year) == (1, 2028)


def test_a_batch_run_again_issues_only_the_missing_ones(training):
    event, people = training
    first = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER) == []
    completion.decide(event.id, people["once"][0].id, completion.Decision(True, "Học bù"), user_id=None)
    [added] = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert added.registration_id == people["once"][0].id and added.serial == len(first) + 1
    # No number was taken by the run that issued nothing.
    assert db.session.scalar(sa.select(CertificateSequence.last_number)) == len(first) + 1


def test_one_by_one_issues_once_and_refuses_people_not_eligible(training):
    event, people = training
    person = people["completed"][0]
    one = services.issue_certificate(event.id, COMPLETION, person.id, issued_by=None, now=AFTER)
    again = services.issue_certificate(event.id, COMPLETION, person.id, issued_by=None, now=AFTER)
    assert one.id == again.id and db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    for other in (people["once"][0], people["absent"][0]):
        with pytest.raises(ValidationFailed) as error:
            services.issue_certificate(event.id, COMPLETION, other.id, issued_by=None, now=AFTER)
        assert "registration_id" in error.value.fields
    with pytest.raises(ValidationFailed):
        services.issue_certificate(event.id, PARTICIPATION, people["absent"][0].id, issued_by=None, now=AFTER)
    with pytest.raises(ValidationFailed):
        services.issue_certificate(event.id, COMPLETION, 10**12, issued_by=None, now=AFTER)


def test_completion_waits_for_the_end_and_needs_a_template(factory, training):
    event, _people = training
    with pytest.raises(DomainError) as error:
        services.issue_batch(event.id, COMPLETION, issued_by=None, now=DAY_ONE)
    assert error.value.code == "not_ended"
    bare, _ = make_training(factory, organisation=factory.organisation())
    with pytest.raises(DomainError) as error:
        services.issue_batch(bare.id, COMPLETION, issued_by=None, now=AFTER)
    assert error.value.code == "no_template"
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_an_organisation_default_template_serves_its_events_and_an_event_template_wins(factory):
    event, _ = make_training(factory, completers=1)
    template(event, title="Giấy chứng nhận mặc định", for_organisation=True)
    [certificate] = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert certificate.title == "Giấy chứng nhận mặc định"
    template(event, title="Giấy chứng nhận riêng")
    assert services.template_for(event, COMPLETION).title == "Giấy chứng nhận riêng"
    # The issued certificate keeps the words it was issued with.
    db.session.refresh(certificate)
    assert certificate.title == "Giấy chứng nhận mặc định"


def test_the_body_fills_its_placeholders_and_refuses_unknown_ones(factory):
    event, people = make_training(factory, completers=1)
    template(event, body="Ông/Bà {holder_name} đã hoàn thành {event_title} {event_dates}.")
    [certificate] = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert certificate.body == (f"Ông/Bà {people['completed'][0].full_name} đã hoàn thành {event.title} "
                                "từ ngày 08/03/2027 đến ngày 09/03/2027.")
    with pytest.raises(ValidationFailed) as error:
        template(event, body="Chúc mừng {ho_ten}")
    assert "{ho_ten}" in str(error.value.fields["body"][0])
    with pytest.raises(ValidationFailed) as error:
        template(event, signer_name="  ")
    assert "signer_name" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        template(event, PARTICIPATION, self_service=True)
    assert "self_service" in error.value.fields


def test_prize_certificates_take_plain_holder_rows_once(factory):
    event = factory.event(factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk"), publish=True)
    template(event, PRIZE)
    winners = [services.PrizeHolder("Nguyễn Văn Hưng", "Giải Nhất", "competition_entry", 7),
               {"holder_name": "Nguyễn Văn Hùng", "prize_title": "Giải Nhất", "source_kind": "competition_entry",
                "source_id": 7},
               {"holder_name": "Đội Cà phê Xanh", "prize_title": "Giải Khuyến khích"}]
    issued = services.issue_prize_certificates(event.id, winners, None, now=AFTER)
    assert [(c.holder_name, c.prize_title, c.source_kind, c.source_id) for c in issued] == [
        ("Nguyễn Văn Hưng", "Giải Nhất", "competition_entry", 7),
        ("Nguyễn Văn Hùng", "Giải Nhất", "competition_entry", 7),
        ("Đội Cà phê Xanh", "Giải Khuyến khích", None, None)]
    assert "Giải Nhất" in issued[0].body
    assert services.issue_prize_certificates(event.id, [{"holder_name": " nguyễn  văn hưng ",
                                                         "prize_title": "giải nhất",
                                                         "source_kind": "competition_entry", "source_id": 7}],
                                             None, now=AFTER) == []
    with pytest.raises(ValidationFailed):
        services.issue_prize_certificates(event.id, [{"holder_name": "", "prize_title": "Giải Ba"}], None, now=AFTER)
    with pytest.raises(ValidationFailed):
        services.issue_batch(event.id, PRIZE, issued_by=None, now=AFTER)


def test_revocation_needs_a_reason_records_who_and_when_and_happens_once(factory, training):
    event, _people = training
    revoker = factory.user("thuhoi@example.vn", organisation=event.organisation)
    [certificate, *_] = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    with pytest.raises(ValidationFailed) as error:
        services.revoke(event.id, certificate.id, "   ", user_id=revoker.id)
    assert "reason" in error.value.fields
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.VALID
    revoked = services.revoke(event.id, certificate.id, "Cấp nhầm người", user_id=revoker.id, now=AFTER)
    assert (revoked.status, revoked.revocation_reason, revoked.revoked_by_id, revoked.revoked_at) == (
        CertificateStatus.REVOKED, "Cấp nhầm người", revoker.id, AFTER)
    with pytest.raises(DomainError) as error:
        services.revoke(event.id, certificate.id, "Lần nữa", user_id=revoker.id)
    assert error.value.code == "already_revoked"
    assert db.session.get(Certificate, certificate.id).revocation_reason == "Cấp nhầm người"
    # A revoked certificate is not issued again by the next batch.
    assert services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER) == []
    other = factory.event(factory.organisation(), publish=True)
    with pytest.raises(NotFound):
        services.revoke(other.id, certificate.id, "x", user_id=revoker.id)


def test_codes_find_their_certificate_and_altered_codes_do_not_exist(training):
    event, _people = training
    [certificate, *_] = services.issue_batch(event.id, COMPLETION, issued_by=None, now=AFTER)
    assert services.by_code(certificate.code).id == certificate.id
    altered = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    for code in (altered, certificate.code.lower(), "", "x" * 40, certificate.number):
        with pytest.raises(NotFound) as error:
            services.by_code(code)
        assert "không tồn tại" in str(error.value)


def test_self_service_needs_the_organisers_consent_and_a_completer(training):
    event, people = training
    completer, once = people["completed"][0], people["once"][0]
    assert not services.self_service_allowed(completer, now=AFTER)
    with pytest.raises(DomainError):
        services.self_issue(completer, now=AFTER)
    template(event, self_service=True)
    assert services.self_service_allowed(completer, now=AFTER)
    assert not services.self_service_allowed(once, now=AFTER)
    assert not services.self_service_allowed(completer, now=DAY_ONE)
    certificate = services.self_issue(completer, now=AFTER)
    assert certificate.registration_id == completer.id and certificate.issued_by_id is None
    assert services.of_registration(completer.id) == [certificate]
    with pytest.raises(DomainError):
        services.self_issue(once, now=AFTER)


def test_a_competitions_prize_rows_become_one_certificate_per_member(factory):
    event = factory.event(factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk"), publish=True)
    template(event, PRIZE)
    rows = [{"entry_id": 3, "team_name": "Cà phê Xanh", "member_names": ["Y Bhim Niê", "Lê Thị Hoa"],
             "prize_title": "Giải Nhất", "rank": 1},
            {"entry_id": 9, "team_name": "Nông sản số", "member_names": [], "prize_title": "Giải Ba", "rank": 3}]
    holders = services.prize_holders(rows)
    assert holders == [services.PrizeHolder("Y Bhim Niê", "Giải Nhất", "competition_entry", 3),
                       services.PrizeHolder("Lê Thị Hoa", "Giải Nhất", "competition_entry", 3),
                       services.PrizeHolder("Nông sản số", "Giải Ba", "competition_entry", 9)]
    issued = services.issue_prize_certificates(event.id, holders, None, now=AFTER)
    assert [c.serial for c in issued] == [1, 2, 3]
    assert services.issue_prize_certificates(event.id, services.prize_holders(rows), None, now=AFTER) == []
