"""Self-booking under real concurrency: the application under gunicorn with several worker processes, on
whichever database the run uses (EVENTHUB_TEST_DB=sqlite or postgresql). Many exhibitors pick the same
booth at the same moment: exactly one holds it, every other one is told it was just taken."""
from collections import Counter

import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.booths.allocation.models import BoothAssignment
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BookingMode, BoothAuditLog, BoothStatus
from eventhub.extensions import db
from tests.booths import factories as booths
from tests.support.server import JsonClient, all_at_once

EXHIBITORS = 24


def approved_exhibitors(event, count):
    picks = []
    for _ in range(count):
        application = booths.make_application(event, status=ApplicationStatus.APPROVED)
        token, _record = accounts.issue_api_token(application.exhibitor.user_id, "Chọn gian")
        picks.append((application.id, token))
    return picks


def test_many_exhibitors_picking_one_booth_at_once_get_it_once(factory, server_url):
    event = factory.event(factory.organisation(), publish=True)
    plan = booths.make_plan(event, booking_mode=BookingMode.SELF_BOOKING, self_booking_open=True)
    booth = booths.make_booth(plan, "A1")
    picks = approved_exhibitors(event, EXHIBITORS)

    answers = all_at_once(server_url, [(f"/api/v1/exhibitor/applications/{application_id}/hold",
                                        {"booth_ids": [booth.id]}, token) for application_id, token in picks])

    assert not [a for a in answers if a[0] >= 500], answers
    assert Counter(status for status, _ in answers) == {200: 1, 409: EXHIBITORS - 1}, answers
    refused = [body["error"] for status, body in answers if status == 409]
    assert {error["code"] for error in refused} == {"booth_taken"}
    assert all("A1 vừa có đơn vị khác chọn" in error["message"] for error in refused)
    winner = next(application_id for (application_id, _), (status, _) in zip(picks, answers, strict=True)
                  if status == 200)

    db.session.rollback()
    rows = db.session.scalars(sa.select(BoothAssignment)).all()
    assert [(row.booth_id, row.application_id) for row in rows] == [(booth.id, winner)]
    assert db.session.scalars(sa.select(BoothAuditLog.action)).all() == ["hold"]
    db.session.refresh(booth)
    assert booth.status == BoothStatus.HELD

    token = dict(picks)[winner]
    status, body = JsonClient(server_url).request(
        "POST", f"/api/v1/exhibitor/applications/{winner}/confirm", None, {"Authorization": f"Bearer {token}"})
    assert status == 200 and body == {"booths": ["A1"], "held_until": None}


def test_overlapping_pairs_at_once_never_share_a_booth(factory, server_url):
    """Two-booth picks that overlap pairwise (A1+A2, A2+A3, A3+A4 …): every booth ends up with one holder."""
    event = factory.event(factory.organisation(), publish=True)
    plan = booths.make_plan(event, booking_mode=BookingMode.SELF_BOOKING, self_booking_open=True)
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=0) for i in range(1, 9)]
    picks = []
    for index in range(len(row) - 1):
        application = booths.make_application(event, status=ApplicationStatus.APPROVED, booths_requested=2)
        token, _record = accounts.issue_api_token(application.exhibitor.user_id, "Chọn gian")
        picks.append((f"/api/v1/exhibitor/applications/{application.id}/hold",
                      {"booth_ids": [row[index].id, row[index + 1].id]}, token))

    answers = all_at_once(server_url, picks * 2)  # each exhibitor also sends its pick twice

    assert not [a for a in answers if a[0] >= 500], answers
    assert {status for status, _ in answers} <= {200, 409}
    db.session.rollback()
    holders = db.session.execute(sa.select(BoothAssignment.booth_id, BoothAssignment.application_id)).all()
    assert len(holders) == len({booth_id for booth_id, _ in holders})
    assert all(count == 2 for count in Counter(application_id for _, application_id in holders).values())
