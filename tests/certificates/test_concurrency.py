"""Issuing under real concurrency (gunicorn with several worker processes, on the run's database): issuers of one
organisation at the same moment never share a number and leave no gap; the same batch or the same person sent
twice at once gets one certificate each."""
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.certificates.models import Certificate
from eventhub.extensions import db
from tests.support.server import all_at_once

from .factories import held_training, template

PEOPLE = 8


def test_issuers_at_the_same_moment_take_distinct_sequential_numbers(factory, server_url):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    user = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    trainings = [held_training(factory, organisation=organisation, completers=PEOPLE, once=0, absent=0)
                 for _ in range(3)]
    for event, _people in trainings:
        template(event)
    token = factory.api_headers(user)["Authorization"].split()[1]
    (first, _), (second, second_people), (third, _) = trainings
    person = second_people["completed"][0]
    requests = [(f"/api/v1/events/{first.id}/certificates/batch", {"kind": "completion"}),
                (f"/api/v1/events/{first.id}/certificates/batch", {"kind": "completion"}),
                (f"/api/v1/events/{second.id}/certificates", {"kind": "completion", "registration_id": person.id}),
                (f"/api/v1/events/{second.id}/certificates", {"kind": "completion", "registration_id": person.id}),
                (f"/api/v1/events/{second.id}/certificates/batch", {"kind": "completion"}),
                (f"/api/v1/events/{third.id}/certificates/batch", {"kind": "completion"})]
    answers = all_at_once(server_url, [(path, body, token) for path, body in requests])
    assert all(status in (200, 201) for status, _body in answers), answers
    batches = [answers[0][1]["issued"], answers[1][1]["issued"]]
    assert sorted(batches) == [0, PEOPLE]  # the same batch twice: one run issued everything, the other nothing
    assert answers[2][1]["id"] == answers[3][1]["id"]  # the same person twice: one certificate
    db.session.expire_all()
    rows = db.session.execute(sa.select(Certificate.serial, Certificate.number, Certificate.event_id,
                                        Certificate.holder_key)).all()
    assert len(rows) == 3 * PEOPLE
    assert sorted(serial for serial, *_ in rows) == list(range(1, 3 * PEOPLE + 1))
    assert len({number for _, number, *_ in rows}) == len(rows)
    assert len({(event_id, key) for *_, event_id, key in rows}) == len(rows)
