from collections import Counter
from tests.registration.test_concurrency import *  # noqa
from tests.registration.test_concurrency import all_at_once, registration_form, server, server_url  # noqa

def test_probe(factory, server_url):
    for rnd in range(3):
        event = factory.event(factory.organisation(), publish=True, capacity=5)
        students = factory.category(event)
        category_id, consent_version = registration_form(server_url, event.slug)
        bodies = [{"category_id": category_id, "full_name": f"X {i}", "email": f"p{rnd}x{i}@example.vn",
                   "phone": f"0988{rnd}{i:05d}", "consent_version": consent_version} for i in range(80)]
        answers = all_at_once(server_url, bodies, f"/api/v1/portal/events/{event.slug}/registrations")
        pos = [b["waitlist_position"] for s, b in answers if b["status"] == "waitlisted"]
        dup = {p: c for p, c in Counter(pos).items() if c > 1}
        print("round", rnd, "waitlisted", len(pos), "max", max(pos), "duplicated positions", dup)
