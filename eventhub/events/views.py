"""Organiser pages for events: list, create, edit, lifecycle, clone."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.services import ORGANISATION_ADMIN_ROLES, get_organisation, organisations_where, require_role
from ..errors import DomainError, PermissionDenied, ValidationFailed
from ..forms import submit
from ..localities import PROVINCES
from ..pagination import paginate
from ..params import enum_arg
from ..text import render_markdown
from . import coorganisers, services
from .forms import CloneForm, EventPageForm, InvitationResponseForm, TransitionPageForm
from .models import EventStatus

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@login_required
def require_sign_in():
    """Every organiser page needs a signed-in user; each route then checks role and organisation."""


def _event_form(event=None) -> EventPageForm:
    form = EventPageForm(obj=event).bind(event, current_user)
    if event is not None and request.method == "GET":
        form.co_organiser_ids.data = coorganisers.named_ids(event)
    return form


@bp.get("/")
def dashboard():
    status = enum_arg(request.args, "status", EventStatus)
    q = (request.args.get("q") or "").strip()
    events = paginate(services.managed_events_query(current_user, status=status, q=q), 20)
    return render_template("events/dashboard.html", events=events, statuses=list(EventStatus), status=status, q=q,
                           upcoming=[] if status or q else services.upcoming_managed_events(current_user, 3),
                           admin_organisations=organisations_where(current_user, ORGANISATION_ADMIN_ROLES),
                           partner_events=coorganisers.partner_events(current_user))


@bp.route("/events/new", methods=["GET", "POST"])
def create_event():
    form = _event_form()
    if not form.organisation_id.choices:
        raise PermissionDenied()
    event = submit(form, lambda f: services.create_event(f.organisation_id.data, current_user.id, f.to_details(),
                                                         cover=f.cover()),
                   check=lambda f: services.detail_problems(f.to_details(), f.organisation_id.data))
    if event is not None:
        flash(_("Đã lưu bản nháp “%(title)s”.", title=event.title), "success")
        return redirect(url_for("manage.event_detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None, provinces=PROVINCES), \
        200 if not form.errors else 422


@bp.get("/events/<int:event_id>")
def event_detail(event_id):
    event = services.get_managed_event(current_user, event_id)
    return render_template("events/detail.html", event=event, description=render_markdown(event.description_md),
                           actions=services.available_actions(event), transitions=services.TRANSITIONS,
                           transition_form=TransitionPageForm(formdata=None))


@bp.get("/events/<int:event_id>/preview")
def preview_event(event_id):
    """The public page as citizens will see it, for the organisers, also before it is published."""
    event = services.get_managed_event(current_user, event_id)
    page = render_template("events/preview.html", event=event, description=render_markdown(event.description_md))
    return page, 200, {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id):
    event = services.get_managed_event(current_user, event_id)
    form = _event_form(event)
    try:
        saved = submit(form, lambda f: services.update_event(event.id, f.to_details(), cover=f.cover()),
                       check=lambda f: services.detail_problems(f.to_details(), event.organisation_id))
    except DomainError as error:
        flash(error.explanation(), "error")
        return redirect(url_for("manage.event_detail", event_id=event.id))
    if saved is not None:
        flash(_("Đã lưu thay đổi."), "success")
        return redirect(url_for("manage.event_detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, provinces=PROVINCES), \
        200 if not form.errors else 422


@bp.post("/events/<int:event_id>/transition")
def transition_event(event_id):
    event = services.get_managed_event(current_user, event_id)
    form = TransitionPageForm()
    if not form.validate():
        raise ValidationFailed(form.errors)
    if form.action.data == "cancel" and not form.confirmed.data:  # cancelling is only ever done from its own page
        return redirect(url_for("manage.cancel_event", event_id=event.id))
    try:
        services.apply_transition(event.id, form.action.data, reason=form.reason.data)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã cập nhật trạng thái: %(status)s.", status=event.status.label), "success")
    return redirect(url_for("manage.event_detail", event_id=event.id))


@bp.get("/events/<int:event_id>/cancel")
def cancel_event(event_id):
    """The confirmation step before cancelling: what will happen, and the reason."""
    event = services.get_managed_event(current_user, event_id)
    if "cancel" not in services.available_actions(event):
        flash(_("Sự kiện ở trạng thái “%(state)s” không thể huỷ.", state=event.status.label), "error")
        return redirect(url_for("manage.event_detail", event_id=event.id))
    return render_template("events/cancel.html", event=event, form=TransitionPageForm(formdata=None))


@bp.route("/events/<int:event_id>/clone", methods=["GET", "POST"])
def clone_event(event_id):
    event = services.get_managed_event(current_user, event_id)
    form = CloneForm(data={"title": event.title} if request.method == "GET" else None)
    clone = submit(form, lambda f: services.clone_event(event.id, f.to_details(), created_by_id=current_user.id))
    if clone is not None:
        flash(_("Đã tạo bản sao. Hãy kiểm tra lại thông tin trước khi công bố."), "success")
        return redirect(url_for("manage.edit_event", event_id=clone.id))
    return render_template("events/clone.html", form=form, event=event), 200 if not form.errors else 422


# Co-organiser invitations -----------------------------------------------------------------------

@bp.get("/organisations/<int:organisation_id>/invitations")
def invitations(organisation_id):
    """The invitations to co-organise that the organisation received, for its admins to answer."""
    require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    return render_template("events/invitations.html", organisation=get_organisation(organisation_id),
                           invitations=coorganisers.invitations_for(organisation_id),
                           form=InvitationResponseForm(formdata=None))


@bp.post("/organisations/<int:organisation_id>/invitations/<int:event_id>")
def respond_to_invitation(organisation_id, event_id):
    require_role(current_user, organisation_id, ORGANISATION_ADMIN_ROLES)
    form = InvitationResponseForm()
    if not form.validate():
        raise ValidationFailed(form.errors)
    try:
        invitation = coorganisers.respond(current_user, organisation_id, event_id, form.action.data)
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    else:
        flash(_("Đã trả lời lời mời: %(state)s.", state=invitation.status.label), "success")
    return redirect(url_for("manage.invitations", organisation_id=organisation_id))


@bp.post("/events/<int:event_id>/co-organisers/<int:organisation_id>/withdraw")
def withdraw_invitation(event_id, organisation_id):
    event = services.get_managed_event(current_user, event_id)
    try:  # CSRF is checked for every POST (CSRFProtect)
        coorganisers.withdraw(event.id, organisation_id)
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    else:
        flash(_("Đã rút lời mời phối hợp."), "success")
    return redirect(url_for("manage.event_detail", event_id=event.id))
