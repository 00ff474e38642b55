"""The demo province's finished training holds its completers' certificates, once however often the demo loads."""
import sqlalchemy as sa

from eventhub.certificates import services
from eventhub.certificates.models import Certificate, CertificateKind, CertificateStatus
from eventhub.checkin import completion
from eventhub.competitions.entries.models import Competition
from eventhub.competitions.results.services import prize_winners
from eventhub.demo import load_demo_data
from eventhub.events.models import Event, EventStatus, EventType
from eventhub.extensions import db


def test_the_finished_training_has_its_completion_certificates_once(app):
    load_demo_data()
    held = db.session.scalar(sa.select(Event).where(Event.status == EventStatus.FINISHED,
                                                    Event.event_type == EventType.TRAINING))
    certificates = services.list_certificates(held.id, CertificateKind.COMPLETION)
    assert {c.registration_id for c in certificates} == completion.completed_ids(held.id)
    assert len(certificates) == 31 and all(c.status == CertificateStatus.VALID for c in certificates)
    assert [c.serial for c in certificates] == list(range(1, 32))
    assert certificates[0].number == "1/GCN-SKHCN" and certificates[0].issued_on > held.ends_at.date()
    assert services.template_for(held, CertificateKind.COMPLETION).self_service
    load_demo_data()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.kind == CertificateKind.COMPLETION)) == 31


def test_every_member_of_the_demo_competitions_prized_teams_holds_a_prize_certificate_once(app):
    load_demo_data()
    competition = db.session.scalar(sa.select(Competition))
    expected = sorted((name, winner.prize_title) for winner in prize_winners(competition.id)
                      for name in winner.member_names)
    def held():
        return sorted((c.holder_name, c.prize_title)
                      for c in services.list_certificates(competition.event_id, CertificateKind.PRIZE))
    assert len(expected) >= 4 and held() == expected
    load_demo_data()
    assert held() == expected
