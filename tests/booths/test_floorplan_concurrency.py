"""Layout changes under real concurrency (gunicorn, several processes, the run's database): organisers
placing booths on the same spot, or with the same code, at the same moment get exactly one booth."""
from collections import Counter

import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.booths.floorplan.models import Booth, FloorPlan
from eventhub.extensions import db
from tests.booths.factories import make_plan
from tests.booths.test_selfbooking_concurrency import all_at_once

ORGANISERS = 8


def test_booths_placed_at_once_never_overlap_or_share_a_code(factory, server_url):
    organisation = factory.organisation()
    event = factory.event(organisation)
    plan = make_plan(event, hall_width_m=60, hall_depth_m=40)
    tokens = [accounts.issue_api_token(factory.user(organisation=organisation).id, "Sơ đồ")[0]
              for _ in range(ORGANISERS)]
    path = f"/api/v1/events/{event.id}/floor-plan/booths"
    same_spot = [(path, {"code": f"A{n:02d}", "booth_type": "ocop", "x_m": 10 + n * 0.25, "y_m": 10,
                         "width_m": 3, "depth_m": 3}, token) for n, token in enumerate(tokens)]
    same_code = [(path, {"code": "S01", "booth_type": "startup", "x_m": 4 * n, "y_m": 30, "width_m": 3,
                         "depth_m": 3}, token) for n, token in enumerate(tokens)]
    answers = all_at_once(server_url, same_spot + same_code)
    spot, code = answers[:ORGANISERS], answers[ORGANISERS:]
    assert Counter(status for status, _ in spot) == {201: 1, 422: ORGANISERS - 1}
    assert {body["error"]["code"] for status, body in spot if status == 422} == {"booth_overlap"}
    assert Counter(status for status, _ in code) == {201: 1, 422: ORGANISERS - 1}
    assert {body["error"]["code"] for status, body in code if status == 422} <= {"duplicate_code", "duplicate"}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booth)) == 2
    assert db.session.get(FloorPlan, plan.id).version == 2  # refused changes left no trace
