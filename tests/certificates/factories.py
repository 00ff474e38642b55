"""A finished training with people who completed it, came once, or never came, and its certificate templates."""
from datetime import UTC, datetime, timedelta

from eventhub.certificates import services
from eventhub.certificates.models import CertificateKind
from eventhub.checkin import completion
from eventhub.checkin import services as checkin
from eventhub.checkin.models import CompletionRuleKind
from eventhub.events import services as events
from eventhub.events.models import EventType
from eventhub.registration import services as registrations
from eventhub.registration.models import RegistrationSource
from eventhub.timeutil import utcnow

DAY_ONE = datetime(2027, 3, 8, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
AFTER = DAY_ONE + timedelta(days=5)
SCANNER = checkin.Scanner(gate="Cổng chính")
NAMES = ["Nguyễn Thị Ánh Tuyết", "H'Hen Niê", "Trần Đức Thắng", "Lê Văn Hưng", "Phạm Thị Hường"]


def template(event, kind=CertificateKind.COMPLETION, **overrides):
    title, body = services.DEFAULT_WORDING[kind]
    values = dict(title=str(title), body=str(body), signer_name="Nguyễn Thị Hồng Nhung",
                  signer_title="KT. Giám đốc - Phó Giám đốc")
    values.update(overrides)
    return services.save_template(event.id, kind, services.TemplateDetails(**values))


def make_training(factory, *, organisation=None, completers=3, once=1, absent=1, rule=CompletionRuleKind.EVERY_DAY,
                  day_one=DAY_ONE):
    """A two-day training from `day_one`: `completers` came both days, `once` only the first, `absent` never."""
    organisation = organisation or factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    event = factory.event(organisation, event_type=EventType.TRAINING,
                          title="Tập huấn “Khởi nghiệp xanh trong nền kinh tế tuần hoàn” 2027",
                          venue_name="Hội trường Sở Khoa học và Công nghệ", starts_at=day_one,
                          ends_at=day_one + timedelta(days=1, hours=8), capacity=None)
    events.apply_transition(event.id, "publish", now=day_one - timedelta(days=20))
    category = factory.category(event, "Thanh niên")
    gate = checkin.entrance_for(event.id)
    people = {"completed": [], "once": [], "absent": []}
    total = completers + once + absent
    for n in range(total):
        name = NAMES[n % len(NAMES)] + (f" {n}" if n >= len(NAMES) else "")
        person = registrations.register(event.id, factory.registrant(category, full_name=name),
                                        source=RegistrationSource.MANUAL, now=day_one - timedelta(days=10))
        group = "completed" if n < completers else "once" if n < completers + once else "absent"
        people[group].append(person)
        if group != "absent":
            checkin.scan(gate.id, registration_id=person.id, scanner=SCANNER, now=day_one + timedelta(minutes=n))
        if group == "completed":
            checkin.scan(gate.id, registration_id=person.id, scanner=SCANNER,
                         now=day_one + timedelta(days=1, minutes=n))
    completion.set_rule(event.id, completion.RuleDetails(rule))
    return event, people


def held_training(factory, **options):
    """The same training, held two weeks ago (pages and the API issue at the real time)."""
    day_one = (utcnow() - timedelta(days=14)).replace(hour=1, minute=0, second=0, microsecond=0)
    return make_training(factory, day_one=day_one, **options)
