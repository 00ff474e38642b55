"""Booth test data shared by the floor-plan, application and allocation tests."""
from itertools import count

from eventhub.accounts import services as accounts
from eventhub.booths.allocation.models import AllocationSource, BoothAssignment
from eventhub.booths.applications.models import (
    ApplicationStatus,
    BoothApplication,
    Exhibitor,
    ExhibitorKind,
    ExhibitorProduct,
    ProductGroup,
)
from eventhub.booths.floorplan.models import Booth, BoothStatus, BoothType, BoothZone, FloorPlan
from eventhub.extensions import db
from eventhub.text import search_key
from tests.support.factories import PASSWORD

_sequence = count(1)


def make_plan(event, *, hall_width_m=60.0, hall_depth_m=40.0, entrance_x_m=0.0, entrance_y_m=20.0,
              **overrides) -> FloorPlan:
    plan = FloorPlan(event_id=event.id, hall_width_m=hall_width_m, hall_depth_m=hall_depth_m,
                     entrance_x_m=entrance_x_m, entrance_y_m=entrance_y_m, **overrides)
    db.session.add(plan)
    db.session.commit()
    return plan


def make_zone(plan, name=None, *, booth_type=BoothType.OCOP, x_m=0.0, y_m=0.0, width_m=30.0, depth_m=40.0,
              colour="#fff4e0") -> BoothZone:
    zone = BoothZone(plan_id=plan.id, name=name or f"Khu {next(_sequence)}", booth_type=booth_type, x_m=x_m,
                     y_m=y_m, width_m=width_m, depth_m=depth_m, colour=colour)
    db.session.add(zone)
    db.session.commit()
    return zone


def make_booth(plan, code=None, *, x_m=None, y_m=None, width_m=3.0, depth_m=3.0, booth_type=BoothType.OCOP,
               zone=None, price_vnd=2_000_000, **overrides) -> Booth:
    """Without a position, booths fill rows of 3 m slots from the hall's top-left corner, 1 m apart."""
    n = next(_sequence)
    if x_m is None or y_m is None:
        slot = db.session.query(Booth).filter_by(plan_id=plan.id).count()
        per_row = max(int(plan.hall_width_m // 4), 1)
        x_m, y_m = (slot % per_row) * 4.0, (slot // per_row) * 4.0
    booth = Booth(plan_id=plan.id, code=code or f"B{n:03d}", booth_type=booth_type, x_m=x_m, y_m=y_m,
                  width_m=width_m, depth_m=depth_m, price_vnd=price_vnd, zone_id=zone.id if zone else None,
                  **overrides)
    db.session.add(booth)
    db.session.commit()
    return booth


def make_exhibitor(name=None, *, kind=ExhibitorKind.COOPERATIVE, email=None, password=PASSWORD,
                   with_account=True, **overrides) -> Exhibitor:
    """An exhibitor with its sign-in account: an ordinary user without organisation membership."""
    n = next(_sequence)
    name = name or f"Hợp tác xã Nông sản Ea Kar {n}"
    email = email or f"gianhang{n}@example.vn"
    user = accounts.create_user(email, "Trần Thị Hoa", password) if with_account else None
    values = dict(name=name, name_key=search_key(name), kind=kind, registration_no=f"6000{n:06d}",
                  contact_name="Trần Thị Hoa", email=email, phone=f"09{n:08d}"[-10:], province="Đắk Lắk",
                  sub_unit="Xã Ea Kar", description="Sản xuất và chế biến nông sản sạch.",
                  user_id=user.id if user else None)
    values.update(overrides)
    exhibitor = Exhibitor(**values)
    db.session.add(exhibitor)
    db.session.commit()
    return exhibitor


def make_product(application, name="Cà phê rang xay Buôn Ma Thuột", *, product_group=ProductGroup.BEVERAGE,
                 ocop_stars=4, **overrides) -> ExhibitorProduct:
    values = dict(name=name, product_group=product_group, ocop_stars=ocop_stars,
                  ocop_certificate_no="OCOP-DL-2024-015" if ocop_stars else None,
                  ocop_certificate_year=2024 if ocop_stars else None, description=None)
    values.update(overrides)
    values.setdefault("search_key", search_key(" ".join(filter(None, [values["name"], values["description"]]))))
    product = ExhibitorProduct(application_id=application.id, **values)
    db.session.add(product)
    db.session.commit()
    return product


def make_application(event, exhibitor=None, *, status=ApplicationStatus.SUBMITTED, booth_type=BoothType.OCOP,
                     booths_requested=1, products=None, **overrides) -> BoothApplication:
    """`products` is a list of keyword dicts for `make_product`; by default one 4-star OCOP coffee."""
    exhibitor = exhibitor or make_exhibitor()
    application = BoothApplication(event_id=event.id, exhibitor_id=exhibitor.id, status=status,
                                   booth_type=booth_type, booths_requested=booths_requested, **overrides)
    db.session.add(application)
    db.session.commit()
    for product in ({},) if products is None else products:
        make_product(application, **product)
    return application


def make_assignment(booth, application, *, source=AllocationSource.MANUAL, locked=False, held_until=None,
                    assigned_by=None) -> BoothAssignment:
    assignment = BoothAssignment(booth_id=booth.id, application_id=application.id, source=source, locked=locked,
                                 held_until=held_until, assigned_by_id=assigned_by.id if assigned_by else None)
    booth.status = BoothStatus.HELD if held_until else BoothStatus.ASSIGNED
    db.session.add(assignment)
    db.session.commit()
    return assignment
