"""The demo fair: built through the services, allocated, published, and built only once."""
import sqlalchemy as sa

from eventhub.booths.applications.models import Exhibitor
from eventhub.booths.directory import services as directory
from eventhub.booths.floorplan import services as floorplan
from eventhub.booths.floorplan.models import BoothStatus, BoothType
from eventhub.events.models import Event
from eventhub.extensions import db


def test_demo_builds_a_published_fair_once(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["eventhub", "demo"]).exit_code == 0
    event = db.session.scalar(sa.select(Event).where(Event.title.startswith("Ngày hội khởi nghiệp")))
    plan = floorplan.get_plan(event.id)
    assert plan.is_published and (plan.hall_width_m, plan.hall_depth_m) == (48, 30)
    assert [z.name for z in floorplan.zones(plan.id)] == ["Khu khởi nghiệp đổi mới sáng tạo", "Khu sản phẩm OCOP"]
    booths = {b.code: b for b in floorplan.booths(plan.id)}
    assert len(booths) == 50
    assert (booths["A25"].width_m, booths["A25"].depth_m) == (6, 3)
    assert booths["TT01"].booth_type == BoothType.SPONSOR and booths["TT01"].zone_id is None
    assert booths["A01"].is_corner and not booths["A02"].is_corner
    assert booths["S24"].status == BoothStatus.BLOCKED
    entries = directory.directory(plan.id)
    assert len(entries) == 7
    assert sum(len(e.booth_codes) for e in entries) == 9
    assert [e.exhibitor_name for e in directory.directory(plan.id, "cà phê Buôn Ma Thuột")] == [
        "HTX Nông nghiệp dịch vụ Cà phê Buôn Ma Thuột"]
    page = client.get(f"/events/{event.slug}/map").get_data(as_text=True)
    assert "HTX Ca cao Ea Kar" in page
    exhibitors = db.session.scalar(sa.select(sa.func.count()).select_from(Exhibitor))
    second = runner.invoke(args=["eventhub", "demo"])
    assert second.exit_code == 0 and "booth fair" not in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Exhibitor)) == exhibitors
