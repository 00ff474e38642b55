"""Certificates for a whole training: 200 completers of a held two-day training, issued as one batch (numbers taken
under the organisation's counter lock) and printed as one batch PDF (landscape A4, Tinos, a QR per page), through
the application's services on a fresh database.

    .venv/bin/python bench/certificates.py [--db sqlite|postgresql] [--count 200]

Prints one JSON object; exits non-zero unless every completer got one certificate, the PDF has one page each, and
issuing plus printing takes under TARGET_SECONDS ("well under a minute")."""
import argparse
import io
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["EVENTHUB_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", "eventhub-bench-secret-of-32-characters")
os.environ.setdefault("RATELIMIT_ENABLED", "false")  # measured without limits (no Redis here), as the servers run

from bench.common import fresh_database  # noqa: E402

DAY_ONE = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam, a Monday
TARGET_SECONDS = 30.0  # "well under a minute", on a shared two-core machine


def seed(count: int) -> int:
    """A province agency, its held two-day training with `count` people present both days, and its template."""
    from eventhub.accounts import services as accounts
    from eventhub.accounts.models import OrganisationKind
    from eventhub.certificates import services as certificates
    from eventhub.certificates.models import CertificateKind
    from eventhub.checkin import completion
    from eventhub.checkin import services as checkin
    from eventhub.checkin.models import CompletionRuleKind
    from eventhub.events import services as events
    from eventhub.events.models import EventLevel, EventType
    from eventhub.registration import services as registrations
    from eventhub.registration import setup
    from eventhub.registration.models import RegistrationSource

    organisation = accounts.save_organisation(None, accounts.OrganisationDetails(
        name="Sở Khoa học và Công nghệ tỉnh Đắk Lắk", short_name="Sở KH&CN Đắk Lắk", kind=OrganisationKind.AGENCY,
        province="Đắk Lắk", sub_unit=None, parent_id=None))
    event = events.create_event(organisation.id, None, events.EventDetails(
        title="Tập huấn “Khởi nghiệp xanh trong nền kinh tế tuần hoàn” 2026", event_type=EventType.TRAINING,
        level=EventLevel.PROVINCE, province="Đắk Lắk", venue_name="Hội trường Sở Khoa học và Công nghệ",
        starts_at=DAY_ONE, ends_at=DAY_ONE + timedelta(days=1, hours=8), capacity=None, description_md=""))
    events.apply_transition(event.id, "publish", now=DAY_ONE - timedelta(days=20))
    category = setup.save_category(event.id, None, setup.CategoryDetails(name="Thanh niên", participant_group="youth"))
    gate = checkin.entrance_for(event.id)
    scanner = checkin.Scanner(gate="Cổng chính")
    for n in range(count):
        person = registrations.register(event.id, registrations.Registrant(
            full_name=f"Nguyễn Thị Ánh Tuyết {n + 1}", category_id=category.id, phone=f"09{n:08d}"),
            source=RegistrationSource.MANUAL, now=DAY_ONE - timedelta(days=10))
        for day in (0, 1):
            checkin.scan(gate.id, registration_id=person.id, scanner=scanner,
                         now=DAY_ONE + timedelta(days=day, seconds=n))
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.EVERY_DAY))
    title, body = certificates.DEFAULT_WORDING[CertificateKind.COMPLETION]
    certificates.save_template(event.id, CertificateKind.COMPLETION, certificates.TemplateDetails(
        str(title), str(body), "Nguyễn Thị Hồng Nhung", "KT. Giám đốc - Phó Giám đốc"))
    return event.id


def run(kind: str, count: int) -> dict:
    from flask_migrate import upgrade
    from pypdf import PdfReader

    from eventhub import create_app
    from eventhub.certificates import pdf, services
    from eventhub.certificates.models import CertificateKind

    with fresh_database(kind) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        with app.app_context(), app.test_request_context():
            upgrade()
            began = time.perf_counter()
            event_id = seed(count)
            seed_seconds = time.perf_counter() - began
            began = time.perf_counter()
            issued = services.issue_batch(event_id, CertificateKind.COMPLETION, issued_by=None,
                                          now=DAY_ONE + timedelta(days=5))
            issue_seconds = time.perf_counter() - began
            began, cpu = time.perf_counter(), time.process_time()
            document = pdf.render(services.list_certificates(event_id, CertificateKind.COMPLETION))
            pdf_seconds, pdf_cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
            pages = len(PdfReader(io.BytesIO(document)).pages)
            again = services.issue_batch(event_id, CertificateKind.COMPLETION, issued_by=None,
                                         now=DAY_ONE + timedelta(days=5))
            serials = sorted(c.serial for c in issued)
    total = issue_seconds + pdf_seconds
    right = len(issued) == count and pages == count and again == [] and serials == list(range(1, count + 1))
    return {"bench": "certificates", "db": kind, "certificates": len(issued), "pages": pages,
            "seed_seconds": round(seed_seconds, 2), "issue_seconds": round(issue_seconds, 3),
            "pdf_seconds": round(pdf_seconds, 3), "pdf_cpu_seconds": round(pdf_cpu_seconds, 3),
            "pdf_bytes": len(document),
            "per_certificate_ms": round(1000 * total / max(count, 1), 1), "total_seconds": round(total, 2),
            "target_seconds": TARGET_SECONDS, "counted_right": right, "ok": right and total < TARGET_SECONDS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--count", type=int, default=200)
    options = parser.parse_args()
    result = run(options.db, options.count)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
