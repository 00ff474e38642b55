"""What an event offered and how it was used: attendance per agenda session, booths occupied, and the OCOP
products its approved exhibitors showed, by star rating and product group. Counted by the database."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..booths.allocation.models import BoothAssignment
from ..booths.applications.models import ApplicationStatus, BoothApplication, ExhibitorProduct, ProductGroup
from ..booths.floorplan.models import Booth, BoothStatus, BoothType, FloorPlan
from ..checkin.models import CheckIn, CheckInList
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from ..scheduling.models import AgendaSession, Room, SessionSignup, SessionStatus, SignupStatus
from .charts import percent

OCOP_STARS = (3, 4, 5)


@dataclass(frozen=True)
class SessionAttendance:
    session_id: int
    title: str
    starts_at: datetime
    room: str | None
    capacity: int | None  # the session's own, else its room's
    cancelled: bool
    signed_up: int  # confirmed seats (for sessions that take sign-ups)
    checked_in: int  # confirmed people checked in on the session's own list

    @property
    def percent(self) -> float | None:
        """How full the session was: people who came against its capacity."""
        return percent(self.checked_in, self.capacity or 0)


@dataclass(frozen=True)
class BoothUse:
    code: str
    label: str
    booths: int  # usable ones: blocked booths are left out
    occupied: int  # with a confirmed assignment (a self-booking hold is not yet an exhibitor)

    @property
    def percent(self) -> float | None:
        return percent(self.occupied, self.booths)


@dataclass(frozen=True)
class OcopCount:
    """OCOP products of one product group, by star rating."""

    code: str
    label: str
    three_stars: int
    four_stars: int
    five_stars: int

    @property
    def total(self) -> int:
        return self.three_stars + self.four_stars + self.five_stars


def sessions(event_id: int) -> tuple[SessionAttendance, ...]:
    """Every agenda session in time order, with its confirmed sign-ups and the confirmed people checked in on
    its list, each counted by a correlated subquery of the same SELECT."""
    signed_up = (sa.select(sa.func.count(SessionSignup.id))
                 .where(SessionSignup.session_id == AgendaSession.id, SessionSignup.status == SignupStatus.CONFIRMED)
                 .correlate(AgendaSession).scalar_subquery())
    came = (sa.select(sa.func.count(sa.distinct(CheckIn.registration_id)))
            .join(CheckInList, CheckInList.id == CheckIn.check_in_list_id)
            .join(Registration, Registration.id == CheckIn.registration_id)
            .where(CheckInList.session_id == AgendaSession.id, Registration.status == RegistrationStatus.CONFIRMED)
            .correlate(AgendaSession).scalar_subquery())
    rows = db.session.execute(
        sa.select(AgendaSession.id, AgendaSession.title, AgendaSession.starts_at, Room.name,
                  sa.func.coalesce(AgendaSession.capacity, Room.capacity), AgendaSession.status, signed_up, came)
        .outerjoin(Room, Room.id == AgendaSession.room_id).where(AgendaSession.event_id == event_id)
        .order_by(AgendaSession.starts_at, AgendaSession.id))
    return tuple(SessionAttendance(session_id, title, starts_at, room, capacity, status == SessionStatus.CANCELLED,
                                   signed, checked)
                 for session_id, title, starts_at, room, capacity, status, signed, checked in rows)


def booths(event_id: int) -> tuple[BoothUse, ...]:
    """Usable and occupied booths of the event's floor plan, by booth type."""
    taken = sa.select(BoothAssignment.id).where(BoothAssignment.booth_id == Booth.id,
                                                BoothAssignment.held_until.is_(None)).exists()
    rows = db.session.execute(
        sa.select(Booth.booth_type, sa.func.count(Booth.id), sa.func.sum(sa.case((taken, 1), else_=0)))
        .join(FloorPlan, FloorPlan.id == Booth.plan_id)
        .where(FloorPlan.event_id == event_id, Booth.status != BoothStatus.BLOCKED).group_by(Booth.booth_type))
    counts = {booth_type: (usable, int(occupied)) for booth_type, usable, occupied in rows}
    return tuple(BoothUse(t.value, str(t.label), *counts[t]) for t in BoothType if t in counts)


def ocop_products(event_id: int) -> tuple[OcopCount, ...]:
    """Products with an OCOP star rating shown by the event's approved exhibitors, by group and stars."""
    rows = db.session.execute(
        sa.select(ExhibitorProduct.product_group, ExhibitorProduct.ocop_stars, sa.func.count(ExhibitorProduct.id))
        .join(BoothApplication, BoothApplication.id == ExhibitorProduct.application_id)
        .where(BoothApplication.event_id == event_id, BoothApplication.status == ApplicationStatus.APPROVED,
               ExhibitorProduct.ocop_stars.is_not(None))
        .group_by(ExhibitorProduct.product_group, ExhibitorProduct.ocop_stars))
    counts: dict = {}
    for group, stars, count in rows:
        counts.setdefault(group, {})[stars] = count
    return tuple(OcopCount(g.value, str(g.label), *(counts[g].get(s, 0) for s in OCOP_STARS))
                 for g in ProductGroup if g in counts)
