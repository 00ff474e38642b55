"""Lifecycle chores the clock triggers: registration closes at its deadline, and seats that are free
go to the waiting list. Both go through the owning module's services, so they are safe to repeat."""
from datetime import datetime

import sqlalchemy as sa

from ..errors import DomainError
from ..events.models import Event, EventStatus
from ..events.services import TRANSITIONS, apply_transition
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from ..registration.services import promote_waitlist
from ..scheduling import signup
from ..scheduling.models import AgendaSession, Room, SessionSignup, SessionStatus, SignupStatus


def close_due_registrations(now: datetime) -> list[int]:
    """Close registration of every event whose deadline has passed; returns the events closed."""
    transition = TRANSITIONS["close_registration"]
    due = list(db.session.scalars(sa.select(Event.id).where(
        Event.status.in_(transition.sources), Event.registration_closes_at <= now).order_by(Event.id)))
    closed = []
    for event_id in due:
        try:
            apply_transition(event_id, "close_registration", now=now)
        except DomainError as error:  # an organiser (or another run) changed its status meanwhile
            if error.code != "illegal_transition":
                raise
            continue
        closed.append(event_id)
    return closed


def promote_waiting_lists(now: datetime) -> dict[str, list[int]]:
    """Give free seats to waiting people of events not yet over and of sessions not yet begun (a safety
    net: cancellations and capacity increases promote at once). Returns the ids promoted."""
    confirmed = (sa.select(sa.func.count()).select_from(Registration)
                 .where(Registration.event_id == Event.id, Registration.status == RegistrationStatus.CONFIRMED)
                 .scalar_subquery())
    waiting = sa.exists().where(Registration.event_id == Event.id,
                                Registration.status == RegistrationStatus.WAITLISTED)
    event_ids = list(db.session.scalars(sa.select(Event.id).where(
        Event.status.in_((EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)), Event.ends_at > now, waiting,
        sa.or_(Event.capacity.is_(None), Event.capacity > confirmed)).order_by(Event.id)))
    return {"registrations": [item.id for event_id in event_ids for item in promote_waitlist(event_id, now=now)],
            "session_signups": [item.id for item in _fill_session_seats(now)]}


def _fill_session_seats(now: datetime) -> list[SessionSignup]:
    """The same for limited sessions not yet begun (a ticket cancelled frees its session seats too)."""
    holding = (sa.select(sa.func.count()).select_from(SessionSignup)
               .join(Registration, Registration.id == SessionSignup.registration_id)
               .where(SessionSignup.session_id == AgendaSession.id, SessionSignup.status == SignupStatus.CONFIRMED,
                      Registration.status == RegistrationStatus.CONFIRMED).scalar_subquery())
    waiting = sa.exists().where(SessionSignup.session_id == AgendaSession.id,
                                SessionSignup.status == SignupStatus.WAITLISTED)
    limit = sa.func.coalesce(AgendaSession.capacity, Room.capacity)
    session_ids = list(db.session.scalars(
        sa.select(AgendaSession.id).outerjoin(Room, Room.id == AgendaSession.room_id)
        .where(AgendaSession.status == SessionStatus.SCHEDULED, AgendaSession.signup_required.is_(True),
               AgendaSession.starts_at > now, waiting, sa.or_(limit.is_(None), limit > holding))
        .order_by(AgendaSession.id)))
    return [item for session_id in session_ids for item in signup.fill_from_waitlist(session_id)]
