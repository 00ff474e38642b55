"""Co-organisers by invitation: the lead organisation invites, the invited organisation's admins accept or
decline, the lead may withdraw. Only an accepted co-organiser counts (event page, reports) or gets in."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role, User
from ..accounts.services import EVENT_MANAGER_ROLES, ORGANISATION_ADMIN_ROLES, require_role, roles_in
from ..errors import DomainError, NotFound, PermissionDenied
from ..extensions import db
from ..timeutil import utcnow
from .models import CoOrganiser, CoOrganiserStatus, Event, EventStatus
from .signals import co_organiser_left

OPEN = (CoOrganiserStatus.INVITED, CoOrganiserStatus.ACCEPTED)
PARTNER_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})
RESPONSES = {"accept": CoOrganiserStatus.ACCEPTED, "decline": CoOrganiserStatus.DECLINED}


def named_ids(event: Event) -> list[int]:
    """The organisations the lead has named (invited or accepted): what the event form shows as ticked."""
    return [c.organisation_id for c in event.co_organiser_invitations if c.status in OPEN]


def sync_invitations(event: Event, organisation_ids: list[int], invited_by_id: int | None = None,
                     now: datetime | None = None) -> list[int]:
    """Make the named organisations the event's invitations (in the caller's transaction): a new name is
    invited, a declined or withdrawn one invited again, an unticked one withdrawn. Returns the organisations
    whose part ended, for `left` once committed."""
    now = now or utcnow()
    wanted = set(organisation_ids)
    rows = {c.organisation_id: c for c in event.co_organiser_invitations}
    ended = []
    for organisation_id, row in rows.items():
        if organisation_id not in wanted and row.status in OPEN:
            if row.status == CoOrganiserStatus.ACCEPTED:
                ended.append(organisation_id)
            row.status, row.responded_at, row.responded_by_id = CoOrganiserStatus.WITHDRAWN, now, None
        elif organisation_id in wanted and row.status not in OPEN:
            row.status, row.invited_at, row.invited_by_id = CoOrganiserStatus.INVITED, now, invited_by_id
            row.responded_at = row.responded_by_id = None
    for organisation_id in sorted(wanted - set(rows)):
        event.co_organiser_invitations.append(CoOrganiser(organisation_id=organisation_id, invited_at=now,
                                                          invited_by_id=invited_by_id,
                                                          status=CoOrganiserStatus.INVITED))
    return ended


def left(event_id: int, organisation_ids: list[int]) -> None:
    """Tell the modules above (check-in devices …) that these organisations no longer co-organise."""
    for organisation_id in organisation_ids:
        co_organiser_left.send(current_app._get_current_object(), event_id=event_id, organisation_id=organisation_id)
    if organisation_ids:
        db.session.commit()


def withdraw(event_id: int, organisation_id: int, now: datetime | None = None) -> CoOrganiser:
    """The lead takes its invitation back; an accepted co-organiser loses access at once."""
    invitation = get_invitation(event_id, organisation_id)
    was_accepted = invitation.status == CoOrganiserStatus.ACCEPTED
    _move(invitation, OPEN, CoOrganiserStatus.WITHDRAWN, None, now or utcnow())
    left(event_id, [organisation_id] if was_accepted else [])
    return invitation


def respond(user: User, organisation_id: int, event_id: int, action: str,
            now: datetime | None = None) -> CoOrganiser:
    """The invited organisation's admin accepts or declines; an accepted invitation may still be declined
    (the organisation leaves). The check and the change are one conditional UPDATE."""
    require_role(user, organisation_id, ORGANISATION_ADMIN_ROLES)
    return answer(event_id, organisation_id, action, user.id, now)


def answer(event_id: int, organisation_id: int, action: str, by_id: int | None = None,
           now: datetime | None = None) -> CoOrganiser:
    """Record the invited organisation's answer (its admin's, checked by `respond`; the demo's own)."""
    target = RESPONSES.get(action)
    if target is None:
        raise DomainError("unknown_action", _l("Thao tác không hợp lệ."))
    invitation = get_invitation(event_id, organisation_id)
    sources = (CoOrganiserStatus.INVITED,) if target == CoOrganiserStatus.ACCEPTED else OPEN
    was_accepted = invitation.status == CoOrganiserStatus.ACCEPTED
    _move(invitation, sources, target, by_id, now or utcnow())
    left(event_id, [organisation_id] if was_accepted and target == CoOrganiserStatus.DECLINED else [])
    return invitation


def _move(invitation: CoOrganiser, sources, target: CoOrganiserStatus, by_id: int | None, now: datetime) -> None:
    result = db.session.execute(sa.update(CoOrganiser).where(
        CoOrganiser.event_id == invitation.event_id, CoOrganiser.organisation_id == invitation.organisation_id,
        CoOrganiser.status.in_(sources)).values(status=target, responded_at=now, responded_by_id=by_id),
        execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(invitation)
        raise DomainError("illegal_transition", _l("Lời mời đang ở trạng thái “%(state)s”, không thể thay đổi."),
                          status=409, state=invitation.status.label)
    db.session.commit()
    db.session.refresh(invitation)


def is_accepted(event_id: int, organisation_id: int) -> bool:
    return db.session.scalar(sa.select(CoOrganiser.status).where(
        CoOrganiser.event_id == event_id, CoOrganiser.organisation_id == organisation_id)) == \
        CoOrganiserStatus.ACCEPTED


def get_invitation(event_id: int, organisation_id: int) -> CoOrganiser:
    invitation = db.session.get(CoOrganiser, (event_id, organisation_id))
    if invitation is None:
        raise NotFound()
    return invitation


def invitations_for(organisation_id: int) -> list[CoOrganiser]:
    """Every invitation an organisation received, open ones first, the newest first."""
    return list(db.session.scalars(sa.select(CoOrganiser).join(Event).where(
        CoOrganiser.organisation_id == organisation_id).order_by(
        (CoOrganiser.status != CoOrganiserStatus.INVITED), Event.starts_at.desc())))


# Access ---------------------------------------------------------------------------------------

def partner_events(user: User, roles: frozenset[Role] = PARTNER_ROLES) -> list[Event]:
    """Events not yet archived that one of the user's organisations co-organises (accepted), soonest first."""
    organisation_ids = [m.organisation_id for m in user.memberships if m.role in roles]
    if not organisation_ids:
        return []
    return list(db.session.scalars(sa.select(Event).join(CoOrganiser).where(
        CoOrganiser.organisation_id.in_(organisation_ids), CoOrganiser.status == CoOrganiserStatus.ACCEPTED,
        Event.status != EventStatus.ARCHIVED).order_by(Event.starts_at).distinct()))


def partner_organisation_id(user: User, event: Event, roles: frozenset[Role] = PARTNER_ROLES) -> int | None:
    """The accepted co-organiser of the event in which the user holds one of the roles, if any."""
    for organisation in event.co_organisers:  # accepted only
        if organisation.is_active and roles_in(user, organisation.id) & roles:
            return organisation.id
    return None


def get_partner_event(user: User, event_id: int, roles: frozenset[Role] = EVENT_MANAGER_ROLES,
                      partner_roles: frozenset[Role] = PARTNER_ROLES) -> tuple[Event, int | None]:
    """The event and, for a member of an accepted co-organiser, that organisation's id (None for the lead's
    members). Everyone else learns nothing (404), or is refused (403) as `require_role` does."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    try:
        require_role(user, event.organisation_id, roles)
        return event, None
    except (NotFound, PermissionDenied) as refusal:
        partner = partner_organisation_id(user, event, partner_roles)
        if partner is None:
            raise refusal from None
        return event, partner
