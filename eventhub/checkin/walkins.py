"""Walk-ins registered offline at the door and uploaded later: each carries the scanner's own key, so however often
the upload arrives the person is registered and checked in once; a phone or e-mail already registered is merged
into that registration; a walk-in past the event's capacity is kept on the waiting list and flagged, never lost."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..errors import DomainError
from ..extensions import db
from ..registration import services as registrations
from ..registration.models import ConsentMethod, Registration, RegistrationSource, RegistrationStatus
from ..registration.provenance import Provenance
from ..timeutil import utcnow
from . import services


@dataclass
class WalkIn:
    registration: Registration
    outcome: services.Outcome
    merged: bool = False  # the phone or e-mail had registered already: that registration was checked in
    key: str | None = None  # the scanner's own key, sent back so the device knows what was applied

    @property
    def overflow(self) -> bool:
        """Over the event's capacity: registered on the waiting list, for the organiser to decide."""
        return self.registration.status == RegistrationStatus.WAITLISTED


def _by_key(key: str) -> Registration | None:
    return db.session.scalar(sa.select(Registration).where(Registration.walk_in_key == key))


def offline_walk_in(list_id: int, registrant: registrations.Registrant, scanner: services.Scanner, *, key: str,
                    scanned_at: datetime | None = None, now: datetime | None = None) -> WalkIn:
    """Register (or find again) the walk-in `key` names and check them in at the time of the offline scan."""
    now = now or utcnow()
    check_in_list = services.get_list(list_id)
    scoped = services._scoped(key, scanner, list_id)
    registration, merged = _by_key(scoped), False
    if registration is None:
        provenance = Provenance(ConsentMethod.STAFF, recorded_by_id=services._staff_of(scanner), walk_in_key=scoped)
        try:
            registration = registrations.register(check_in_list.event_id, registrant, now=now,
                                                  source=RegistrationSource.WALK_IN, provenance=provenance)
        except registrations.DuplicateRegistration as duplicate:
            registration, merged = duplicate.existing, True
        except DomainError as error:  # the same upload, arrived twice at once, took the key first
            registration = _by_key(scoped) if error.code == "conflict" else None
            if registration is None:
                raise
    outcome = services.scan(list_id, registration_id=registration.id, scanner=scanner, nonce=f"walk-in:{key}",
                            scanned_at=scanned_at, offline=scanned_at is not None, now=now)
    return WalkIn(registration, outcome, merged=merged or registration.walk_in_key != scoped, key=key)


def flagged(event_id: int) -> list[Registration]:
    """Walk-ins over capacity, waiting for the organiser (admit them by raising the capacity, or tell them)."""
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.source == RegistrationSource.WALK_IN,
        Registration.status == RegistrationStatus.WAITLISTED).order_by(Registration.created_at)))
