"""The demo startup day's fair: a 48 × 30 m hall with an OCOP zone and a startup zone, rows of 3 × 3 m
booths, a double booth and a sponsor island, a few approved exhibitors allocated and the map published.
Built through the same services as the pages, and only once."""
from .allocation import services as allocation_service
from .allocation.solver import Rules
from .applications import review
from .applications import services as applications
from .applications.models import ExhibitorKind, ProductGroup, StartupStage
from .floorplan import services as floorplan
from .floorplan.models import BoothType
from .floorplan.services import BoothSpec, PlanSettings, RowSpec, ZoneSpec

OCOP_ZONE = ZoneSpec("Khu sản phẩm OCOP", 0, 0, 20, 30, BoothType.OCOP, "#fff4e0")
STARTUP_ZONE = ZoneSpec("Khu khởi nghiệp đổi mới sáng tạo", 28, 0, 20, 30, BoothType.STARTUP, "#e6f0fb")

SETUP_INSTRUCTIONS = (
    "- Nhận gian hàng từ **14:00 đến 21:00** ngày trước khai mạc; xe chở hàng vào cổng số 2 đường Lê Duẩn.\n"
    "- Mỗi gian 3 × 3 m có 1 bàn, 2 ghế, ổ điện 220 V (gian có điện) và bảng tên.\n"
    "- Không dùng bếp gas trong hội trường; hoàn tất trang trí trước 07:00 ngày khai mạc.")

# (name, kind, contact, phone, sub-unit, booth type, booths, stage, products as (name, group, stars))
EXHIBITORS = [
    ("HTX Nông nghiệp dịch vụ Cà phê Buôn Ma Thuột", ExhibitorKind.COOPERATIVE, "H'Linh Niê", "0905111222",
     "Phường Tân Lợi", BoothType.OCOP, 1, None,
     [("Cà phê Buôn Ma Thuột rang xay", ProductGroup.BEVERAGE, 5),
      ("Cà phê hạt Robusta Ea Tu", ProductGroup.BEVERAGE, 4)]),
    ("Công ty TNHH Mật ong Tây Nguyên", ExhibitorKind.ENTERPRISE, "Phạm Văn Hùng", "0905333444", "Xã Cư M'gar",
     BoothType.OCOP, 2, None, [("Mật ong hoa cà phê", ProductGroup.FOOD, 4)]),
    ("HTX Sầu riêng Krông Pắc", ExhibitorKind.COOPERATIVE, "Võ Thị Lan", "0905555666", "Xã Krông Pắc",
     BoothType.OCOP, 1, None, [("Sầu riêng Ri6 sấy thăng hoa", ProductGroup.AGRICULTURE, 4)]),
    ("HTX Ca cao Ea Kar", ExhibitorKind.COOPERATIVE, "Nguyễn Văn Tâm", "0905777888", "Xã Ea Kar",
     BoothType.OCOP, 1, None, [("Sô-cô-la đen ca cao Ea Kar", ProductGroup.FOOD, 3)]),
    ("Hộ kinh doanh Thổ cẩm Buôn Đôn", ExhibitorKind.HOUSEHOLD, "H'Yơn Byă", "0905999000", "Xã Buôn Đôn",
     BoothType.OCOP, 1, None, [("Khăn thổ cẩm Ê Đê dệt tay", ProductGroup.TEXTILE, 3)]),
    ("Công ty CP Nông nghiệp số Tây Nguyên", ExhibitorKind.STARTUP, "Trần Minh Khoa", "0906111222",
     "Phường Buôn Ma Thuột", BoothType.STARTUP, 2, StartupStage.MVP,
     [("Cảm biến tưới thông minh AgriSense", ProductGroup.TECHNOLOGY, None)]),
    ("Dự án Cascara Ban Mê", ExhibitorKind.STARTUP, "Lê Thu Hà", "0906333444", "Phường Buôn Ma Thuột",
     BoothType.STARTUP, 1, StartupStage.PROTOTYPE, [("Trà vỏ cà phê Cascara", ProductGroup.BEVERAGE, None)]),
]
DEMO_EMAIL = "gianhang{n}@example.vn"


def _layout(plan_id: int) -> None:
    ocop = floorplan.save_zone(plan_id, None, OCOP_ZONE)
    startup = floorplan.save_zone(plan_id, None, STARTUP_ZONE)
    # Four rows per zone: one along the back wall, two back to back, one more across the aisle.
    for number, y in enumerate((1, 7, 10, 16)):
        floorplan.generate_row(plan_id, RowSpec(
            x_m=1, y_m=y, direction="right", count=6, width_m=3, depth_m=3, booth_type=BoothType.OCOP, prefix="A",
            first_number=number * 6 + 1, price_vnd=2_000_000, zone_id=ocop.id, has_power=True))
        floorplan.generate_row(plan_id, RowSpec(
            x_m=29, y_m=y, direction="right", count=6, width_m=3, depth_m=3, booth_type=BoothType.STARTUP,
            prefix="S", first_number=number * 6 + 1, price_vnd=1_500_000, zone_id=startup.id, has_power=True))
    floorplan.save_booth(plan_id, None, BoothSpec(
        code="A25", booth_type=BoothType.OCOP, x_m=1, y_m=23, width_m=6, depth_m=3, price_vnd=4_000_000,
        zone_id=ocop.id, has_power=True, has_water=True, is_corner=True, premium=2, note="Gian đôi"))
    floorplan.save_booth(plan_id, None, BoothSpec(
        code="TT01", booth_type=BoothType.SPONSOR, x_m=21, y_m=10, width_m=6, depth_m=6, price_vnd=30_000_000,
        has_power=True, has_water=True, is_corner=True, premium=3, note="Đảo nhà tài trợ"))


def _exhibitors(event_id: int, password: str, reviewer_id: int | None) -> None:
    for n, (name, kind, contact, phone, sub_unit, booth_type, count, stage, products) in enumerate(EXHIBITORS, 1):
        exhibitor = applications.sign_up(applications.ExhibitorDetails(
            name=name, kind=kind, contact_name=contact, email=DEMO_EMAIL.format(n=n), phone=phone,
            province="Đắk Lắk", sub_unit=sub_unit, registration_no=f"60{n:08d}"), password)
        application = applications.apply(event_id, exhibitor.id, applications.ApplicationDetails(
            booth_type=booth_type, booths_requested=count, staff_count=2, startup_stage=stage, products=[
                applications.ProductDetails(name=product, product_group=group, ocop_stars=stars,
                                            ocop_certificate_no=f"OCOP-DL-2024-{n:03d}" if stars else None,
                                            ocop_certificate_year=2024 if stars else None)
                for product, group, stars in products]))
        review.review(application.id, event_id, "approve", reviewer_id)


def load_demo_floor_plan(event_id: int, *, password: str, reviewer_id: int | None = None) -> bool:
    """Create the demo fair for the event unless it already has a floor plan; True when created."""
    if floorplan.get_plan(event_id) is not None:
        return False
    plan = floorplan.save_plan(event_id, PlanSettings(48, 30, 24, 30, setup_instructions_md=SETUP_INSTRUCTIONS))
    _layout(plan.id)
    blocked = next(b for b in floorplan.booths(plan.id) if b.code == "S24")
    floorplan.set_blocked(plan.id, blocked.id, True, actor_user_id=reviewer_id, reason="Lối thoát hiểm")
    _exhibitors(event_id, password, reviewer_id)
    allocation_service.run(event_id, Rules(time_limit_seconds=2.0), actor_user_id=reviewer_id)
    floorplan.set_published(plan.id, True)
    return True
