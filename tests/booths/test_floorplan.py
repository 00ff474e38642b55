"""Floor-plan services without HTTP: hall, zones, booths, rows, blocking, adjacency, SVG."""
import re

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from eventhub.booths.floorplan import services as floorplan
from eventhub.booths.floorplan.models import Booth, BoothAuditLog, BoothStatus, BoothType, FloorPlan
from eventhub.booths.floorplan.services import BoothSpec, PlanSettings, RowSpec, ZoneSpec
from eventhub.booths.floorplan.svg import render_plan_svg
from eventhub.errors import DomainError
from eventhub.extensions import db
from tests.booths.factories import make_application, make_assignment, make_booth, make_exhibitor, make_plan, make_zone
from tests.support import factories


@pytest.fixture
def event(app):
    return factories.event(factories.organisation())


@pytest.fixture
def plan(event):
    return make_plan(event, hall_width_m=30, hall_depth_m=20, entrance_x_m=0, entrance_y_m=10)


def spec(code="A01", x=0.0, y=0.0, w=3.0, d=3.0, **kw):
    return BoothSpec(code=code, booth_type=kw.pop("booth_type", BoothType.OCOP), x_m=x, y_m=y, width_m=w, depth_m=d,
                     **kw)


def booth_count(plan):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Booth).where(Booth.plan_id == plan.id))


def version(plan):
    return db.session.scalar(sa.select(FloorPlan.version).where(FloorPlan.id == plan.id))


def test_save_plan_creates_then_updates_the_hall(event):
    plan = floorplan.save_plan(event.id, PlanSettings(40, 25.5, 0, 12))
    assert (plan.hall_width_m, plan.hall_depth_m, plan.version) == (40, 25.5, 0)
    again = floorplan.save_plan(event.id, PlanSettings(50, 30, 25, 30, hold_minutes=15))
    assert again.id == plan.id and again.hold_minutes == 15 and version(plan) == 1


@pytest.mark.parametrize("settings, code", [
    (PlanSettings(0, 20, 0, 0), "hall_size"),
    (PlanSettings(30, -1, 0, 0), "hall_size"),
    (PlanSettings(30, 20, 31, 5), "entrance_outside"),
    (PlanSettings(30, 20, 0, 5, hold_minutes=0), "hold_minutes"),
])
def test_bad_hall_settings_are_refused(event, settings, code):
    with pytest.raises(DomainError) as error:
        floorplan.save_plan(event.id, settings)
    assert error.value.code == code and error.value.status == 422
    assert floorplan.get_plan(event.id) is None


def test_hall_cannot_shrink_below_its_booths(plan):
    make_booth(plan, "A01", x_m=24, y_m=0)
    with pytest.raises(DomainError, match="A01") as error:
        floorplan.save_plan(plan.event_id, PlanSettings(25, 20, 0, 10))
    assert error.value.code == "hall_too_small"
    db.session.refresh(plan)
    assert plan.hall_width_m == 30


def test_booth_is_saved_and_every_change_bumps_the_version(plan):
    booth = floorplan.save_booth(plan.id, None, spec(" a01 ", price_vnd=1_500_000, has_power=True))
    assert booth.code == "A01" and booth.status == BoothStatus.AVAILABLE and booth.has_power
    floorplan.place_booth(plan.id, booth.id, x_m=3.5, y_m=4, width_m=6, depth_m=3)
    db.session.refresh(booth)
    assert (booth.x_m, booth.y_m, booth.width_m, booth.has_power) == (3.5, 4, 6, True)
    assert version(plan) == 2


def test_touching_booths_are_fine_but_overlapping_ones_are_refused(plan):
    floorplan.save_booth(plan.id, None, spec("A01", 0, 0))
    floorplan.save_booth(plan.id, None, spec("A02", 3, 0))  # shares the edge x = 3
    floorplan.save_booth(plan.id, None, spec("B01", 0, 3))  # shares the edge y = 3
    with pytest.raises(DomainError) as error:
        floorplan.save_booth(plan.id, None, spec("A03", 5.5, 2.5))
    assert error.value.code == "booth_overlap"
    assert str(error.value) == "Gian hàng A03 chồng lấn gian hàng A02."
    assert error.value.fields == {"x_m": ["Gian hàng A03 chồng lấn gian hàng A02."]}
    assert booth_count(plan) == 3


def test_booth_outside_the_hall_is_refused(plan):
    with pytest.raises(DomainError) as error:
        floorplan.save_booth(plan.id, None, spec("Z9", 28, 0))
    assert error.value.code == "outside_hall"
    assert str(error.value) == "Gian hàng Z9 nằm ngoài hội trường (rộng 30 m, sâu 20 m)."
    with pytest.raises(DomainError, match="ngoài hội trường"):
        floorplan.save_booth(plan.id, None, spec("Z9", -0.5, 0))
    assert booth_count(plan) == 0


@pytest.mark.parametrize("kw, code", [
    (dict(w=0), "size_not_positive"),
    (dict(d=-3), "size_not_positive"),
    (dict(code="  "), "code_required"),
    (dict(price_vnd=-1), "negative_price"),
    (dict(price_vnd=floorplan.MAX_PRICE_VND + 1), "price_too_high"),
    (dict(premium=floorplan.MAX_PREMIUM + 1), "premium_range"),
])
def test_bad_booth_values_are_refused(plan, kw, code):
    with pytest.raises(DomainError) as error:
        floorplan.save_booth(plan.id, None, spec(**kw))
    assert error.value.code == code


def test_duplicate_code_is_refused_even_when_moving_another_booth(plan):
    floorplan.save_booth(plan.id, None, spec("A01", 0, 0))
    other = floorplan.save_booth(plan.id, None, spec("A02", 5, 0))
    with pytest.raises(DomainError, match="Mã gian hàng A01 đã có trong sơ đồ."):
        floorplan.save_booth(plan.id, other.id, spec("A01", 5, 0))
    with pytest.raises(DomainError, match="A01"):
        floorplan.save_booth(plan.id, None, spec("a01", 10, 0))


def test_booth_moves_onto_its_own_old_place(plan):
    booth = floorplan.save_booth(plan.id, None, spec("A01", 0, 0))
    moved = floorplan.place_booth(plan.id, booth.id, x_m=1, y_m=0, width_m=3, depth_m=3)
    assert moved.x_m == 1


def test_zone_rules(plan):
    ocop = floorplan.save_zone(plan.id, None, ZoneSpec("Khu OCOP", 0, 0, 15, 20, BoothType.OCOP, "#fff4e0"))
    with pytest.raises(DomainError, match="chồng lấn khu “Khu OCOP”") as error:
        floorplan.save_zone(plan.id, None, ZoneSpec("Khu khởi nghiệp", 14, 0, 10, 20))
    assert error.value.code == "zone_overlap"
    floorplan.save_zone(plan.id, None, ZoneSpec("Khu khởi nghiệp", 15, 0, 15, 20, BoothType.STARTUP))
    with pytest.raises(DomainError) as error:
        floorplan.save_zone(plan.id, None, ZoneSpec("Khu OCOP", 0, 0, 1, 1))
    assert error.value.code in ("duplicate_zone", "zone_overlap")
    with pytest.raises(DomainError) as error:
        floorplan.save_zone(plan.id, None, ZoneSpec("Ngoài", 0, 0, 31, 1))
    assert error.value.code == "zone_outside_hall"
    booth = floorplan.save_booth(plan.id, None, spec("A01", 12, 0, zone_id=ocop.id))
    with pytest.raises(DomainError, match="nằm ngoài khu “Khu OCOP”"):
        floorplan.save_booth(plan.id, booth.id, spec("A01", 14, 0, zone_id=ocop.id))
    with pytest.raises(DomainError, match="A01 sẽ nằm ngoài khu") as error:
        floorplan.save_zone(plan.id, ocop.id, ZoneSpec("Khu OCOP", 0, 0, 10, 20))
    assert error.value.code == "zone_leaves_booth"
    floorplan.delete_zone(plan.id, ocop.id)
    db.session.refresh(booth)
    assert booth.zone_id is None


def test_zone_of_another_plan_is_not_usable(plan):
    other_plan = make_plan(factories.event(factories.organisation()))
    foreign = make_zone(other_plan, x_m=0, y_m=0, width_m=10, depth_m=10)
    with pytest.raises(DomainError) as error:
        floorplan.save_booth(plan.id, None, spec(zone_id=foreign.id))
    assert error.value.code == "unknown_zone"
    with pytest.raises(DomainError) as error:
        floorplan.save_zone(plan.id, foreign.id, ZoneSpec("X", 0, 0, 1, 1))
    assert error.value.status == 404


def row(**kw):
    values = dict(x_m=0, y_m=0, direction="right", count=5, width_m=3, depth_m=3, booth_type=BoothType.OCOP,
                  prefix="A", first_number=1, digits=2, price_vnd=2_000_000)
    values.update(kw)
    return RowSpec(**values)


def test_generate_row_numbers_and_places_booths(plan):
    created = floorplan.generate_row(plan.id, row(has_power=True))
    assert [b.code for b in created] == ["A01", "A02", "A03", "A04", "A05"]
    assert [b.x_m for b in created] == [0, 3, 6, 9, 12]
    assert [b.is_corner for b in created] == [True, False, False, False, True]
    down = floorplan.generate_row(plan.id, row(x_m=27, direction="down", count=3, prefix="C", first_number=10,
                                               digits=3, booth_type=BoothType.STARTUP))
    assert [(b.code, b.y_m) for b in down] == [("C010", 0), ("C011", 3), ("C012", 6)]
    assert version(plan) == 2


@pytest.mark.parametrize("kw, code", [
    (dict(count=11), "outside_hall"),                 # 11 × 3 m > 30 m: the last booth would leave the hall
    (dict(x_m=0, y_m=1), "booth_overlap"),            # runs into B01 below
    (dict(first_number=1, prefix="B"), "duplicate_code"),
    (dict(count=0), "row_count"),
    (dict(direction="diagonal"), "row_direction"),
])
def test_a_row_that_breaks_a_rule_is_rejected_whole(plan, kw, code):
    make_booth(plan, "B01", x_m=9, y_m=3)
    with pytest.raises(DomainError) as error:
        floorplan.generate_row(plan.id, row(**kw))
    assert error.value.code == code
    assert booth_count(plan) == 1


def test_delete_booth_refuses_an_assigned_booth(plan, event):
    free = make_booth(plan, "A01")
    taken = make_booth(plan, "A02")
    make_assignment(taken, make_application(event))
    floorplan.delete_booth(plan.id, free.id)
    with pytest.raises(DomainError, match="A02 đã có đơn vị") as error:
        floorplan.delete_booth(plan.id, taken.id)
    assert error.value.status == 409
    assert booth_count(plan) == 1


def test_block_and_unblock_are_audited(plan, event):
    organiser = factories.user()
    booth = make_booth(plan, "A01")
    floorplan.set_blocked(plan.id, booth.id, True, actor_user_id=organiser.id, reason="Cột điện")
    assert booth.status == BoothStatus.BLOCKED
    with pytest.raises(DomainError) as error:
        floorplan.set_blocked(plan.id, booth.id, True)
    assert error.value.code == "booth_not_free"
    floorplan.set_blocked(plan.id, booth.id, False, actor_user_id=organiser.id)
    assert booth.status == BoothStatus.AVAILABLE
    with pytest.raises(DomainError) as error:
        floorplan.set_blocked(plan.id, booth.id, False)
    assert error.value.code == "booth_not_blocked"
    taken = make_booth(plan, "A02")
    make_assignment(taken, make_application(event))
    with pytest.raises(DomainError, match="Đã phân"):
        floorplan.set_blocked(plan.id, taken.id, True)
    log = db.session.scalars(sa.select(BoothAuditLog).order_by(BoothAuditLog.id)).all()
    assert [(e.action, e.booth_id, e.actor_user_id, e.detail) for e in log] == [
        ("block", booth.id, organiser.id, "Cột điện"), ("unblock", booth.id, organiser.id, "")]


def test_publish_and_unpublish(plan):
    assert floorplan.set_published(plan.id, True).is_published
    assert not floorplan.set_published(plan.id, False).is_published
    assert version(plan) == 2


class Box:
    def __init__(self, id, x, y, w=3.0, d=3.0):
        self.id, self.x_m, self.y_m, self.width_m, self.depth_m = id, x, y, w, d


def test_adjacent_pairs_need_a_shared_edge_of_positive_length():
    booths = [Box(1, 0, 0), Box(2, 3, 0), Box(3, 0, 3), Box(4, 3, 3), Box(5, 6, 6),  # 4 and 5 touch at a corner
              Box(6, 6, 0, 6, 3), Box(7, 20, 20), Box(8, 7.5, 3, 3, 3)]
    assert floorplan.adjacent_pairs(booths) == [(1, 2), (1, 3), (2, 4), (2, 6), (3, 4), (5, 8), (6, 8)]


def test_spot_quality_prefers_premium_and_the_entrance(plan):
    near = make_booth(plan, "A01", x_m=0, y_m=8.5)
    far = make_booth(plan, "A02", x_m=27, y_m=0)
    premium_far = make_booth(plan, "A03", x_m=27, y_m=17, premium=3)
    assert 0 <= floorplan.spot_quality(far, plan) < floorplan.spot_quality(near, plan) <= 1
    assert floorplan.spot_quality(premium_far, plan) > floorplan.spot_quality(far, plan)
    assert floorplan.spot_quality(near, plan) == pytest.approx(0.5 * (1 - 1.5 / (30 ** 2 + 20 ** 2) ** 0.5), abs=1e-3)


def test_occupants_skip_expired_holds(plan, event):
    from datetime import timedelta

    from eventhub.timeutil import utcnow

    a, b, c = make_booth(plan, "A01"), make_booth(plan, "A02"), make_booth(plan, "A03")
    make_assignment(a, make_application(event, make_exhibitor("HTX Cà phê Buôn Ma Thuột")))
    make_assignment(b, make_application(event), held_until=utcnow() + timedelta(minutes=5))
    make_assignment(c, make_application(event), held_until=utcnow() - timedelta(minutes=1))
    everyone = floorplan.occupants(plan.id)
    assert set(everyone) == {a.id, b.id} and everyone[b.id].held and not everyone[a.id].held
    assert everyone[a.id].exhibitor_name == "HTX Cà phê Buôn Ma Thuột"
    assert set(floorplan.occupants(plan.id, include_holds=False)) == {a.id}


def test_svg_draws_booths_zones_entrance_and_legend(plan, event):
    zone = make_zone(plan, "Khu OCOP", x_m=0, y_m=0, width_m=15, depth_m=20)
    assigned = make_booth(plan, "A01", x_m=0, y_m=0, zone=zone)
    blocked = make_booth(plan, "A02", x_m=3, y_m=0, booth_type=BoothType.STARTUP, status=BoothStatus.BLOCKED)
    make_assignment(assigned, make_application(event, make_exhibitor("HTX <Cà phê> & Ca cao")))
    svg = str(render_plan_svg(plan, floorplan.booths(plan.id), floorplan.zones(plan.id),
                              occupants=floorplan.occupants(plan.id), highlight=frozenset({assigned.id})))
    assert svg.startswith("<svg") and 'viewBox="0 0 648 ' in svg  # 30 m × 20 px + 2 × 24 px margin
    assert f'data-booth-id="{assigned.id}"' in svg and f'data-booth-id="{blocked.id}"' in svg
    assert "HTX &lt;Cà phê&gt; &amp; Ca cao" in svg and "<Cà phê>" not in svg
    assert re.search(rf'data-booth-id="{blocked.id}"[^>]*data-status="blocked"', svg)
    assert 'fill="url(#fp-blocked)"' in svg and "fp-booth--found" in svg and "fp-booth--startup" in svg
    assert "Khu OCOP" in svg and "Lối vào" in svg and "Chú giải" in svg and "Sản phẩm OCOP" in svg
    # A01 at (0, 0) is drawn at the margin, 3 m = 60 px wide.
    assert '<rect class="fp-booth__body" x="24" y="24" width="60" height="60"' in svg


def test_a_refused_change_leaves_the_version_alone(plan):
    floorplan.save_booth(plan.id, None, spec("A01"))
    with pytest.raises(DomainError):
        floorplan.save_booth(plan.id, None, spec("A02", 1, 1))
    with pytest.raises(DomainError):
        floorplan.generate_row(plan.id, row(count=20))
    assert version(plan) == 1


def test_blocking_drops_an_expired_hold_but_not_a_live_one(plan, event):
    from datetime import timedelta

    from eventhub.booths.allocation.models import BoothAssignment
    from eventhub.timeutil import utcnow

    expired, live = make_booth(plan, "A01"), make_booth(plan, "A02")
    make_assignment(expired, make_application(event), held_until=utcnow() - timedelta(minutes=1))
    make_assignment(live, make_application(event), held_until=utcnow() + timedelta(minutes=5))
    assert floorplan.set_blocked(plan.id, expired.id, True).status == BoothStatus.BLOCKED
    with pytest.raises(DomainError, match="Đang giữ chỗ"):
        floorplan.set_blocked(plan.id, live.id, True)
    assert db.session.scalars(sa.select(BoothAssignment.booth_id)).all() == [live.id]
    log = db.session.scalars(sa.select(BoothAuditLog.action).order_by(BoothAuditLog.id)).all()
    assert log == ["release", "block"]


def test_a_dragged_booth_joins_the_zone_it_lands_in(plan):
    ocop = make_zone(plan, "Khu OCOP", x_m=0, y_m=0, width_m=12, depth_m=20)
    startup = make_zone(plan, "Khu khởi nghiệp", x_m=18, y_m=0, width_m=12, depth_m=20)
    booth = make_booth(plan, "A01", x_m=0, y_m=0, zone=ocop)
    assert floorplan.place_booth(plan.id, booth.id, x_m=20, y_m=5, width_m=3, depth_m=3).zone_id == startup.id
    assert floorplan.place_booth(plan.id, booth.id, x_m=13, y_m=5, width_m=3, depth_m=3).zone_id is None
    assert floorplan.place_booth(plan.id, booth.id, x_m=10.5, y_m=5, width_m=3, depth_m=3).zone_id is None


def test_the_drawing_speaks_the_reader_s_language(plan, app):
    """Issue 17: the map's own words (legend, entrance, booth types) come from the catalogue."""
    make_booth(plan, "A01")
    with app.test_request_context(headers={"Accept-Language": "en"}, path="/api/v1/x"):
        refresh()
        svg = str(render_plan_svg(plan, floorplan.booths(plan.id), floorplan.zones(plan.id)))
    assert ">Legend</text>" in svg and ">Entrance</text>" in svg and "Chú giải" not in svg and "Lối vào" not in svg
    with app.test_request_context():
        refresh()  # the test's app context outlives the request that chose English
        svg = str(render_plan_svg(plan, floorplan.booths(plan.id), floorplan.zones(plan.id)))
    assert ">Chú giải</text>" in svg and ">Lối vào</text>" in svg
