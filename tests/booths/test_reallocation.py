"""Re-running the allocation: a preview first, placements exhibitors were told kept unless the organiser confirms,
a notice to every told exhibitor whose booth changes, and a plain reason for every booth."""
import re

import pytest
import sqlalchemy as sa

from eventhub.booths.allocation import services as service
from eventhub.booths.allocation.models import BoothAssignment
from eventhub.booths.allocation.notices import booth_reason
from eventhub.booths.floorplan import services as floorplan
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from tests.booths import factories as booths
from tests.booths.test_allocation_service import RULES, approved, fair, held_by  # noqa: F401 (fair is a fixture)


def notices() -> list[tuple[str, str]]:
    return [(m.recipient, m.subject) for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]


@pytest.fixture
def told(fair):  # noqa: F811
    """A 3-star cooperative placed at the entrance (A1) and told so by e-mail."""
    first = approved(fair, 3, exhibitor=booths.make_exhibitor("HTX Ea Kar", email="eakar@example.vn"))
    service.run(fair["event"].id, RULES)
    assert held_by() == {"A1": first.id} and notices() == []
    assert service.announce(fair["event"].id) == 1
    assert notices() == [("eakar@example.vn", f"Gian hàng của bạn tại {fair['event'].title}: A1")]
    return first


def test_a_rerun_previews_and_keeps_a_told_placement(fair, told):  # noqa: F811
    better = approved(fair, 5, exhibitor=booths.make_exhibitor("HTX Cà phê 5 sao", email="nam@example.vn"))
    preview = service.preview(fair["event"].id, RULES)
    assert held_by() == {"A1": told.id}  # a preview writes nothing
    [move] = preview.moves
    assert (move.application.id, move.before, move.told) == (better.id, (), False) and move.after != ("A1",)
    assert [(a.id, codes) for a, codes in preview.pinned] == [(told.id, ("A1",))]
    service.run(fair["event"].id, RULES, expected_digest=preview.digest)
    assert held_by() == {"A1": told.id, move.after[0]: better.id}
    assert len(notices()) == 1  # nobody told anything changed


def test_moving_a_told_placement_needs_confirmation_and_notifies(fair, told):  # noqa: F811
    better = approved(fair, 5, exhibitor=booths.make_exhibitor("HTX Cà phê 5 sao", email="nam@example.vn"))
    preview = service.preview(fair["event"].id, RULES, move_told=True)
    moves = {m.application.id: (m.before, m.after, m.told) for m in preview.moves}
    new = moves[told.id][1][0]
    assert moves == {told.id: (("A1",), (new,), True), better.id: ((), ("A1",), False)} and preview.pinned == []
    service.run(fair["event"].id, RULES, move_told=True, expected_digest=preview.digest)
    assert held_by() == {"A1": better.id, new: told.id}
    title = fair["event"].title
    assert notices()[1:] == [("eakar@example.vn", f"Gian hàng của bạn tại {title} đã đổi: A1 → {new}")]
    mail = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert f"đã đổi từ A1 sang {new}" in mail.text_body and "Lý do: Gian được xếp tự động" in mail.text_body
    # the new booth is told too: a further run keeps it
    assert db.session.scalar(sa.select(BoothAssignment.announced_at).where(
        BoothAssignment.application_id == told.id)) is not None


def test_applying_a_result_other_than_the_preview_is_refused(fair, told):  # noqa: F811
    preview = service.preview(fair["event"].id, RULES, move_told=True)
    approved(fair, 5)  # arrives between the preview and the click
    with pytest.raises(DomainError) as error:
        service.run(fair["event"].id, RULES, move_told=True, expected_digest=preview.digest)
    assert error.value.code == "preview_outdated"
    assert held_by() == {"A1": told.id} and len(notices()) == 1


def test_a_published_map_counts_as_told(fair):  # noqa: F811
    first = approved(fair, 3)
    service.run(fair["event"].id, RULES)
    floorplan.set_published(fair["plan"].id, True)
    approved(fair, 5)
    preview = service.preview(fair["event"].id, RULES)
    assert [(a.id, codes) for a, codes in preview.pinned] == [(first.id, ("A1",))]
    assert all(m.application.id != first.id for m in preview.moves)


def test_manual_changes_notify_only_exhibitors_who_were_told(fair, told):  # noqa: F811
    quiet = approved(fair, 3, exhibitor=booths.make_exhibitor("HTX chưa báo", email="chuabao@example.vn"))
    service.move(fair["event"].id, quiet.id, [fair["row"][3].id])
    assert len(notices()) == 1  # never told: nothing to correct
    service.move(fair["event"].id, told.id, [fair["row"][2].id])
    assert notices()[-1][1].endswith("đã đổi: A1 → A3")
    service.swap(fair["event"].id, told.id, quiet.id)
    assert notices()[-1] == ("eakar@example.vn", f"Gian hàng của bạn tại {fair['event'].title} đã đổi: A3 → A4")
    service.unassign(fair["event"].id, told.id)
    assert notices()[-1] == ("eakar@example.vn", f"Gian hàng của bạn tại {fair['event'].title} đã bị gỡ")
    assert all(recipient != "chuabao@example.vn" for recipient, _ in notices())


def test_each_booth_has_a_plain_reason(fair):  # noqa: F811
    zone = booths.make_zone(fair["plan"], "Khu cà phê", x_m=0, y_m=0, width_m=6, depth_m=3)
    for booth in fair["row"][:2]:
        booth.zone_id = zone.id
    db.session.commit()
    wanted = approved(fair, 4, preferred_zone_id=zone.id)
    service.run(fair["event"].id, RULES)
    reason = booth_reason(wanted, wanted.assignments)
    assert reason.startswith("Gian được xếp tự động theo loại gian “Sản phẩm OCOP” đơn vị đã đăng ký; "
                             "trong khu “Khu cà phê” đơn vị mong muốn;")
    assert "Cận trên" not in reason and reason.endswith(".")
    service.move(fair["event"].id, wanted.id, [fair["row"][3].id])
    db.session.expire_all()
    assert booth_reason(wanted, wanted.assignments) == (
        "Ban tổ chức xếp trực tiếp gian này cho đơn vị; khu “Khu cà phê” đơn vị mong muốn không còn gian phù hợp.")


def test_the_page_previews_then_applies_in_officer_words(fair, told, browser):  # noqa: F811
    approved(fair, 5, exhibitor=booths.make_exhibitor("HTX Cà phê 5 sao", email="nam@example.vn"))
    browser.login("tochuc@example.vn")
    base = f"/manage/events/{fair['event'].id}/allocation"
    rules = {"priority_basis": "stars", "zone_weight": "1", "priority_weight": "1", "near_weight": "1",
             "competitor_weight": "1", "time_limit_seconds": "5"}
    html = browser.post(f"{base}/run", data=rules).get_data(as_text=True)
    assert "Xem trước phân bổ tự động" in html and "HTX Cà phê 5 sao" in html
    assert "Giữ nguyên vì đơn vị đã được báo gian (1)" in html and "HTX Ea Kar: A1" in html
    assert "Xem phương án nếu cho phép chuyển cả các đơn vị này" in html
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html).group(1)
    assert held_by() == {"A1": told.id}
    browser.post(f"{base}/run/apply", data=dict(rules, digest=digest))
    assert held_by()["A1"] == told.id and len(held_by()) == 2
    page = browser.get(base).get_data(as_text=True)
    for solver_word in ("Cận trên", "Khoảng cách tối ưu", "cận trên", "chứng minh tối ưu"):
        assert solver_word not in page
    assert "điểm tốt nhất có thể" in page and "1 đơn vị đã có gian nhưng chưa được báo." in page
    browser.post(f"{base}/announce")
    assert notices()[-1][0] == "nam@example.vn" and len(notices()) == 2
    stale = browser.post(f"{base}/run/apply", data=dict(rules, digest="0" * 16), follow_redirects=True)
    assert "đã khác bản xem trước" in stale.get_data(as_text=True)


def test_the_exhibitor_reads_why_it_has_its_booth(fair, told, browser):  # noqa: F811
    browser.login("eakar@example.vn")
    html = browser.get(f"/exhibitors/applications/{told.id}").get_data(as_text=True)
    assert "Gian hàng: A1" in html
    assert "Vì sao gian này: Gian được xếp tự động theo loại gian “Sản phẩm OCOP” đơn vị đã đăng ký" in html
