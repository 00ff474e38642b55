"""Exhibitor sign-up, applications, documents and review, through the services (no HTTP)."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from eventhub.accounts.models import User
from eventhub.booths.allocation.models import AllocationSource, BoothAssignment
from eventhub.booths.applications import documents, review, services
from eventhub.booths.applications.models import (
    ApplicationDocument,
    ApplicationStatus,
    DocumentType,
    Exhibitor,
    ExhibitorKind,
    ProductGroup,
    StartupStage,
)
from eventhub.booths.applications.services import ApplicationDetails, ExhibitorDetails, ProductDetails
from eventhub.booths.applications.uploads import uploads_dir
from eventhub.booths.floorplan.models import BookingMode, BoothAuditLog, BoothStatus, BoothType
from eventhub.errors import DomainError, ValidationFailed
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.timeutil import utcnow
from tests.booths import factories as booths
from tests.support.factories import PASSWORD


def png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def coffee(**overrides) -> ProductDetails:
    values = dict(name="Cà phê rang xay Buôn Ma Thuột", product_group=ProductGroup.BEVERAGE, ocop_stars=4,
                  ocop_certificate_no="OCOP-DL-2024-015", ocop_certificate_year=2024)
    values.update(overrides)
    return ProductDetails(**values)


def details(**overrides) -> ApplicationDetails:
    values = dict(booth_type=BoothType.OCOP, booths_requested=1, staff_count=2, products=[coffee()])
    values.update(overrides)
    return ApplicationDetails(**values)


@pytest.fixture
def fair(factory):
    """A published event with a plan: four adjacent OCOP booths in a row, two startup booths apart."""
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event)
    zone = booths.make_zone(plan, "Khu OCOP")
    ocop = [booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=0, zone=zone) for i in range(1, 5)]
    startup = [booths.make_booth(plan, f"S{i}", x_m=10.0 * i, y_m=20, booth_type=BoothType.STARTUP)
               for i in range(1, 3)]
    return {"organisation": organisation, "event": event, "plan": plan, "zone": zone, "ocop": ocop,
            "startup": startup}


# Sign-up -------------------------------------------------------------------------------------------

def exhibitor_details(**overrides) -> ExhibitorDetails:
    values = dict(name="  Hợp tác xã   Cà phê Ea Tu ", kind=ExhibitorKind.COOPERATIVE, contact_name="Y Bhim Niê",
                  email=" HTX.EaTu@Example.vn ", phone="+84 912 345 678", province="Đắk Lắk",
                  registration_no="6000123456", sub_unit="Phường Ea Tu")
    values.update(overrides)
    return ExhibitorDetails(**values)


def test_sign_up_creates_an_account_without_membership_and_normalises_contacts():
    exhibitor = services.sign_up(exhibitor_details(), PASSWORD, now=utcnow())

    assert exhibitor.name == "Hợp tác xã Cà phê Ea Tu" and exhibitor.name_key == "hop tac xa ca phe ea tu"
    assert exhibitor.email == "htx.eatu@example.vn" and exhibitor.phone == "0912345678"
    assert exhibitor.consented_at == exhibitor.created_at
    user = db.session.get(User, exhibitor.user_id)
    assert user.email == "htx.eatu@example.vn" and user.memberships == []
    assert services.is_exhibitor_account(user)
    assert services.exhibitor_of(user).id == exhibitor.id


def test_sign_up_refuses_bad_input_and_writes_nothing(factory):
    factory.user("taken@example.vn")
    with pytest.raises(ValidationFailed) as error:
        services.sign_up(exhibitor_details(email="taken@example.vn", phone="12345", name=" "), "123")
    fields = error.value.fields
    assert set(fields) == {"email", "phone", "name", "password"}
    assert "đã có tài khoản" in str(fields["email"][0])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Exhibitor)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_an_organiser_is_not_an_exhibitor_account(factory):
    organisation = factory.organisation()
    organiser = factory.user(organisation=organisation)
    assert not services.is_exhibitor_account(organiser)
    with pytest.raises(DomainError) as error:
        services.require_exhibitor(organiser)
    assert error.value.status == 403


# Applying ----------------------------------------------------------------------------------------

def test_apply_saves_the_application_and_its_products(fair):
    exhibitor = booths.make_exhibitor()
    neighbour = booths.make_application(fair["event"]).exhibitor
    application = services.apply(fair["event"].id, exhibitor.id, details(
        booths_requested=2, preferred_zone_id=fair["zone"].id, near_exhibitor_ids=[neighbour.id],
        products=[coffee(), coffee(name="Mật ong hoa cà phê", product_group=ProductGroup.FOOD, ocop_stars=3,
                                   description="Mật ong nguyên chất", photo=png())]))

    assert application.status == ApplicationStatus.SUBMITTED
    assert application.near_exhibitor_ids == [neighbour.id] and application.booths_requested == 2
    assert [p.name for p in application.products] == ["Cà phê rang xay Buôn Ma Thuột", "Mật ong hoa cà phê"]
    honey = application.products[1]
    assert honey.photo.endswith(".png") and "mat ong" in honey.search_key
    assert (uploads_dir("booth-products") / honey.photo).read_bytes() == png()
    assert services.list_for_exhibitor(exhibitor.id) == [application]


def test_apply_needs_a_published_event_with_a_floor_plan(factory, fair):
    exhibitor = booths.make_exhibitor()
    draft = factory.event(fair["organisation"])
    booths.make_plan(draft)
    without_plan = factory.event(fair["organisation"], publish=True)
    for event, message in ((draft, "không nhận hồ sơ"), (without_plan, "chưa có sơ đồ")):
        with pytest.raises(DomainError) as error:
            services.apply(event.id, exhibitor.id, details())
        assert error.value.code == "fair_closed" and message in str(error.value)
    assert services.open_fairs() == [fair["event"]]


def test_one_open_application_per_exhibitor_and_event(fair):
    exhibitor = booths.make_exhibitor()
    first = services.apply(fair["event"].id, exhibitor.id, details())
    with pytest.raises(DomainError) as error:
        services.apply(fair["event"].id, exhibitor.id, details())
    assert error.value.code == "duplicate_application"
    services.withdraw(first.id, exhibitor.id)
    again = services.apply(fair["event"].id, exhibitor.id, details())
    assert again.id != first.id


@pytest.mark.parametrize("overrides, field, message", [
    ({"booth_type": BoothType.FOOD}, "booth_type", "không có gian hàng loại “Ẩm thực”"),
    ({"booths_requested": 5}, "booths_requested", "từ 1 đến 4"),
    ({"booths_requested": 0}, "booths_requested", "từ 1 đến 4"),
    ({"booth_type": BoothType.STARTUP, "booths_requested": 3, "startup_stage": StartupStage.MVP,
      "products": [coffee(ocop_stars=None)]}, "booths_requested", "chỉ có 2 gian hàng loại “Khởi nghiệp”"),
    ({"booth_type": BoothType.STARTUP, "booths_requested": 2, "startup_stage": StartupStage.MVP,
      "products": [coffee(ocop_stars=None)]}, "booths_requested", "liền kề"),
    ({"booth_type": BoothType.STARTUP, "products": [coffee(ocop_stars=None)]}, "startup_stage", "giai đoạn"),
    ({"staff_count": 0}, "staff_count", "nhân sự"),
    ({"products": []}, "products", "ít nhất một sản phẩm"),
    ({"products": [coffee(ocop_stars=None)]}, "products", "hạng sao OCOP"),
    ({"products": [coffee(ocop_stars=6)]}, "products", "từ 3 đến 5"),
    ({"products": [coffee(ocop_certificate_no="")]}, "products", "số giấy chứng nhận"),
    ({"products": [coffee(ocop_certificate_year=None)]}, "products", "năm cấp"),
    ({"products": [coffee(ocop_certificate_year=2010)]}, "products", "năm cấp giấy chứng nhận phải từ 2018"),
    ({"products": [coffee(name=" ", product_group=None)]}, "products", "chưa có tên"),
    ({"products": [coffee(photo=PDF)]}, "products", "JPEG hoặc PNG"),
    ({"near_exhibitor_ids": [999]}, "near_exhibitor_ids", "đã đăng ký gian hàng tại sự kiện này"),
])
def test_impossible_or_incomplete_requests_are_explained(fair, overrides, field, message):
    exhibitor = booths.make_exhibitor()
    with pytest.raises(ValidationFailed) as error:
        services.apply(fair["event"].id, exhibitor.id, details(**overrides))
    assert any(message in str(m) for m in error.value.fields[field]), error.value.fields
    assert services.list_for_exhibitor(exhibitor.id) == []


def test_blocked_booths_do_not_count(fair):
    from eventhub.booths.floorplan import services as floorplan

    for booth in fair["startup"]:
        floorplan.set_blocked(fair["plan"].id, booth.id, True)
    with pytest.raises(ValidationFailed) as error:
        services.apply(fair["event"].id, booths.make_exhibitor(kind=ExhibitorKind.STARTUP).id, details(
            booth_type=BoothType.STARTUP, startup_stage=StartupStage.IDEA, products=[coffee(ocop_stars=None)]))
    assert "không có gian hàng loại" in str(error.value.fields["booth_type"][0])


def test_near_and_avoid_must_differ_and_exclude_oneself(fair):
    exhibitor = booths.make_exhibitor()
    other = booths.make_application(fair["event"]).exhibitor
    own = booths.make_application(fair["event"], exhibitor)  # oneself is not a fellow applicant
    with pytest.raises(ValidationFailed) as error:
        review.update_organiser_fields(own.id, fair["event"].id, priority=5,
                                         near_exhibitor_ids=[other.id, exhibitor.id], avoid_exhibitor_ids=[other.id])
    assert set(error.value.fields) == {"near_exhibitor_ids", "avoid_exhibitor_ids"}


def test_a_startup_keeps_its_stage_others_do_not(fair):
    startup = booths.make_exhibitor(kind=ExhibitorKind.STARTUP)
    application = services.apply(fair["event"].id, startup.id, details(
        booth_type=BoothType.STARTUP, startup_stage=StartupStage.PROTOTYPE, products=[coffee(
            name="Máy sấy nông sản năng lượng mặt trời", product_group=ProductGroup.TECHNOLOGY, ocop_stars=None,
            ocop_certificate_no=None, ocop_certificate_year=None)]))
    assert application.startup_stage == StartupStage.PROTOTYPE
    cooperative = services.apply(fair["event"].id, booths.make_exhibitor().id,
                                 details(startup_stage=StartupStage.IDEA))
    assert cooperative.startup_stage is None


# Editing and withdrawing -------------------------------------------------------------------------

def test_edit_while_submitted_replaces_products_and_keeps_kept_photos(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details(
        products=[coffee(photo=png()), coffee(name="Tiêu đen Chư Sê", product_group=ProductGroup.AGRICULTURE,
                                              photo=jpeg())]))
    kept, dropped = application.products
    kept_photo, dropped_photo = kept.photo, dropped.photo
    folder = uploads_dir("booth-products")

    services.update_application(application.id, exhibitor.id, details(
        booths_requested=2, products=[coffee(product_id=kept.id, name="Cà phê Robusta")]))

    db.session.expire_all()
    application = services.get_application(application.id)
    assert application.booths_requested == 2
    assert [(p.id, p.name, p.photo) for p in application.products] == [(kept.id, "Cà phê Robusta", kept_photo)]
    assert (folder / kept_photo).exists() and not (folder / dropped_photo).exists()


def test_edit_refused_after_review_and_for_other_exhibitors(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    with pytest.raises(DomainError) as error:
        services.update_application(application.id, booths.make_exhibitor().id, details())
    assert error.value.status == 404
    other_product = booths.make_application(fair["event"]).products[0]
    with pytest.raises(DomainError) as error:
        services.update_application(application.id, exhibitor.id, details(
            products=[coffee(product_id=other_product.id)]))
    assert error.value.status == 404
    review.review(application.id, fair["event"].id, "approve", None)
    with pytest.raises(DomainError) as error:
        services.update_application(application.id, exhibitor.id, details(booths_requested=2))
    assert error.value.code == "not_editable"


def test_withdraw_twice_is_refused(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    assert services.withdraw(application.id, exhibitor.id).status == ApplicationStatus.WITHDRAWN
    with pytest.raises(DomainError) as error:
        services.withdraw(application.id, exhibitor.id)
    assert error.value.code == "illegal_status"


# Documents -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, content_type", [(PDF, "application/pdf"), (png(), "image/png"),
                                                (jpeg(), "image/jpeg")])
def test_documents_are_accepted_by_content(fair, data, content_type):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    document = documents.add_document(application.id, exhibitor.id, DocumentType.OCOP_CERTIFICATE,
                                     "C:\\Giấy tờ\\chứng nhận.bin", data)
    assert (document.content_type, document.size_bytes, document.original_name) == \
        (content_type, len(data), "chứng nhận.bin")
    assert (uploads_dir("booth-documents") / document.stored_name).read_bytes() == data


@pytest.mark.parametrize("data, message", [
    (b"", "Tệp rỗng"),
    (b"MZ\x90\x00 not a document", "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG"),
    (b"%PDF-1.4 truncated", "bị hỏng"),
    (b"GIF89a" + b"\x00" * 20, "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG"),
    (PDF + b"x" * (5 * 1024 * 1024), "vượt quá 5 MB"),
])
def test_bad_documents_are_refused_with_a_specific_message(fair, data, message):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    with pytest.raises(ValidationFailed) as error:
        documents.add_document(application.id, exhibitor.id, DocumentType.OTHER, "x.pdf", data)
    assert message in error.value.explanation()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationDocument)) == 0
    assert list(uploads_dir("booth-documents").iterdir()) == []


def test_a_gif_is_named_in_the_message(fair):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    with pytest.raises(ValidationFailed) as error:
        documents.add_document(application.id, exhibitor.id, DocumentType.OTHER, "x.gif", buffer.getvalue())
    assert "GIF" in error.value.explanation()


def test_documents_belong_to_their_exhibitor(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    document = documents.add_document(application.id, exhibitor.id, DocumentType.OTHER, "a.pdf", PDF)
    stranger = booths.make_exhibitor()
    with pytest.raises(DomainError) as error:
        documents.add_document(application.id, stranger.id, DocumentType.OTHER, "a.pdf", PDF)
    assert error.value.status == 404
    with pytest.raises(DomainError):
        documents.delete_document(application.id, stranger.id, document.id)
    documents.delete_document(application.id, exhibitor.id, document.id)
    assert not (uploads_dir("booth-documents") / document.stored_name).exists()


# Review ------------------------------------------------------------------------------------------------

def outbox():
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_review_moves_the_application_and_mails_the_exhibitor(factory, fair):
    organiser = factory.user(organisation=fair["organisation"])
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    application = services.apply(fair["event"].id, exhibitor.id, details())

    review.review(application.id, fair["event"].id, "waitlist", organiser.id)
    review.review(application.id, fair["event"].id, "approve", organiser.id, reason="Hẹn gặp tại hội chợ")

    assert application.status == ApplicationStatus.APPROVED and application.reviewed_by_id == organiser.id
    assert application.review_reason == "Hẹn gặp tại hội chợ"
    messages = outbox()
    assert [m.recipient for m in messages] == ["htx@example.vn"] * 2
    assert "danh sách chờ" in messages[0].subject and "được duyệt" in messages[1].subject
    assert "Hẹn gặp tại hội chợ" in messages[1].text_body and "/exhibitors/" in messages[1].text_body
    assert "Ban tổ chức sẽ thông báo vị trí gian hàng" in messages[1].text_body


def test_the_approval_mail_of_a_self_booking_fair_says_to_pick_a_booth(fair):
    fair["plan"].booking_mode = BookingMode.SELF_BOOKING
    db.session.commit()
    application = booths.make_application(fair["event"])
    review.review(application.id, fair["event"].id, "approve", None)
    assert "tự chọn gian hàng" in outbox()[0].text_body


def test_reject_needs_a_reason_and_says_it(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    with pytest.raises(ValidationFailed) as error:
        review.review(application.id, fair["event"].id, "reject", None, reason="  ")
    assert "reason" in error.value.fields and outbox() == []
    review.review(application.id, fair["event"].id, "reject", None, reason="Sản phẩm chưa có chứng nhận")
    assert application.status == ApplicationStatus.REJECTED
    assert "Sản phẩm chưa có chứng nhận" in outbox()[0].text_body


def test_illegal_review_steps_are_refused(fair):
    exhibitor = booths.make_exhibitor()
    application = services.apply(fair["event"].id, exhibitor.id, details())
    review.review(application.id, fair["event"].id, "reject", None, reason="Trùng hồ sơ")
    for action in ("approve", "waitlist"):
        with pytest.raises(DomainError) as error:
            review.review(application.id, fair["event"].id, action, None)
        assert error.value.code == "illegal_status" and "Không được duyệt" in str(error.value)
    with pytest.raises(DomainError) as error:
        review.review(application.id, fair["event"].id, "delete", None)
    assert error.value.code == "unknown_action"


def test_review_is_scoped_to_the_event(factory, fair):
    application = booths.make_application(fair["event"])
    other_event = factory.event(fair["organisation"], publish=True)
    with pytest.raises(DomainError) as error:
        review.review(application.id, other_event.id, "approve", None)
    assert error.value.status == 404


def test_leaving_approval_gives_the_booths_back(fair):
    application = booths.make_application(fair["event"], status=ApplicationStatus.APPROVED)
    booth = fair["ocop"][0]
    booths.make_assignment(booth, application, source=AllocationSource.AUTO)

    review.review(application.id, fair["event"].id, "reject", None, reason="Không đóng phí")

    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothAssignment)) == 0
    db.session.refresh(booth)
    assert booth.status == BoothStatus.AVAILABLE
    log = db.session.scalars(sa.select(BoothAuditLog)).all()
    assert [(entry.action, entry.booth_id, entry.application_id) for entry in log] == \
        [("release", booth.id, application.id)]


def test_organiser_fields(fair):
    application = booths.make_application(fair["event"])
    near = booths.make_application(fair["event"]).exhibitor
    avoid = booths.make_application(fair["event"]).exhibitor
    review.update_organiser_fields(application.id, fair["event"].id, priority=30, near_exhibitor_ids=[near.id],
                                     avoid_exhibitor_ids=[avoid.id, avoid.id])
    assert (application.priority, application.near_exhibitor_ids, application.avoid_exhibitor_ids) == \
        (30, [near.id], [avoid.id])
    with pytest.raises(ValidationFailed) as error:
        review.update_organiser_fields(application.id, fair["event"].id, priority=101, near_exhibitor_ids=[],
                                         avoid_exhibitor_ids=[])
    assert "priority" in error.value.fields


def test_review_list_filters(fair):
    ocop = booths.make_application(fair["event"], booths.make_exhibitor("HTX Cà phê Ea Tu"),
                                   preferred_zone_id=fair["zone"].id)
    startup = booths.make_application(fair["event"], booths.make_exhibitor("Công ty Nông nghiệp số"),
                                      booth_type=BoothType.STARTUP, status=ApplicationStatus.APPROVED)

    def found(**filters):
        return list(db.session.scalars(review.review_query(fair["event"].id, review.ReviewFilters(**filters))))

    assert found() == [ocop, startup]
    assert found(status=ApplicationStatus.APPROVED) == [startup]
    assert found(booth_type=BoothType.OCOP) == [ocop]
    assert found(zone_id=fair["zone"].id) == [ocop]
    assert found(q="ca phe") == [ocop]
    assert review.status_counts(fair["event"].id)[ApplicationStatus.SUBMITTED] == 1


def test_now_is_honoured(fair):
    exhibitor = booths.make_exhibitor()
    earlier = fair["event"].starts_at - timedelta(days=40)
    application = services.apply(fair["event"].id, exhibitor.id, details(), now=earlier)
    assert application.submitted_at == earlier


def test_withdrawing_an_approved_application_releases_its_booths(fair):
    application = booths.make_application(fair["event"], status=ApplicationStatus.APPROVED)
    booths.make_assignment(fair["ocop"][0], application)
    services.withdraw(application.id, application.exhibitor_id, actor_user_id=application.exhibitor.user_id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothAssignment)) == 0
    entry = db.session.scalars(sa.select(BoothAuditLog)).one()
    assert (entry.action, entry.actor_user_id, entry.detail) == \
        ("release", application.exhibitor.user_id, "application withdrawn")
