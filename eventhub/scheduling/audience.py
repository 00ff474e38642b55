"""Who a session concerns: a session that needs sign-up concerns the tickets holding a seat in it; any
other session concerns every confirmed ticket of the event. The personal calendar and the change
e-mails follow this one rule, so whoever has a session in their calendar is told when it changes."""
import sqlalchemy as sa

from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from .models import AgendaSession, SessionSignup, SignupStatus


def _holds_seat(session_id, registration_id):
    return sa.exists().where(SessionSignup.session_id == session_id, SessionSignup.registration_id == registration_id,
                             SessionSignup.status == SignupStatus.CONFIRMED)


def sessions_of(registration: Registration) -> list[AgendaSession]:
    """The sessions in a ticket holder's personal agenda, cancelled ones included, in time order."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    return list(db.session.scalars(sa.select(AgendaSession).where(
        AgendaSession.event_id == registration.event_id,
        sa.or_(AgendaSession.signup_required.is_(False), _holds_seat(AgendaSession.id, registration.id)))
        .order_by(AgendaSession.starts_at, AgendaSession.id)))


def people_of(session: AgendaSession) -> list[Registration]:
    """The confirmed tickets the session concerns."""
    query = sa.select(Registration).where(Registration.event_id == session.event_id,
                                          Registration.status == RegistrationStatus.CONFIRMED)
    if session.signup_required:
        query = query.where(_holds_seat(session.id, Registration.id))
    return list(db.session.scalars(query.order_by(Registration.id)))
