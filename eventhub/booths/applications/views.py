"""Organiser pages for booth applications: the list with filters, one application with its products and
documents, the review decisions and the organiser's priority and neighbour wishes."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError, ValidationFailed
from ...events.services import get_managed_event
from ...forms import choices
from ...pagination import id_arg, paginate
from ..floorplan import services as floorplan
from ..floorplan.models import BoothType
from . import documents, review, services
from .forms import OrganiserFieldsForm, ReviewForm
from .models import ApplicationStatus
from .portal import send_document

bp = Blueprint("booth_review", __name__, url_prefix="/manage/events/<int:event_id>/booth-applications")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _enum_arg(enum_class, name):
    value = request.args.get(name) or None
    return next((member for member in enum_class if member.value == value), None)


def review_filters() -> review.ReviewFilters:
    """The list's query arguments; a value that does not parse is ignored, never an error."""
    return review.ReviewFilters(status=_enum_arg(ApplicationStatus, "status"),
                                  booth_type=_enum_arg(BoothType, "booth_type"), zone_id=id_arg("zone_id"),
                                  q=(request.args.get("q") or "").strip() or None)


@bp.get("")
def applications(event_id):
    event = get_managed_event(current_user, event_id)
    filters = review_filters()
    plan = floorplan.get_plan(event.id)
    return render_template("booths/review_list.html", event=event, filters=filters,
                           page=paginate(review.review_query(event.id, filters), 50),
                           counts=review.status_counts(event.id), statuses=list(ApplicationStatus),
                           booth_types=list(BoothType), zones=floorplan.zones(plan.id) if plan else [])


def _organiser_form(application) -> OrganiserFieldsForm:
    if request.method == "GET":
        form = OrganiserFieldsForm(formdata=None, obj=application)
    else:
        form = OrganiserFieldsForm()
    others = choices((e.id, e.name) for e in services.fellow_applicants(application.event_id,
                                                                         application.exhibitor_id))
    form.near_exhibitor_ids.choices = others
    form.avoid_exhibitor_ids.choices = others
    return form


def _detail(event, application, *, review_form=None, organiser_form=None, status=200):
    names = {e.id: e.name for e in services.fellow_applicants(event.id)}
    return render_template(
        "booths/review_detail.html", event=event, application=application,
        assignments=services.assignments_of(application.id), names=names,
        review_form=review_form or ReviewForm(formdata=None),
        organiser_form=organiser_form or _organiser_form(application), decisions=review.DECISIONS,
    ), status


@bp.get("/<int:application_id>")
def application(event_id, application_id):
    event = get_managed_event(current_user, event_id)
    return _detail(event, services.get_application(application_id, event_id=event.id))


@bp.post("/<int:application_id>/<any(approve, waitlist, reject):action>")
def decide(event_id, application_id, action):
    event = get_managed_event(current_user, event_id)
    application = services.get_application(application_id, event_id=event.id)
    form = ReviewForm()
    try:
        if not form.validate():
            raise ValidationFailed(form.errors)
        review.review(application.id, event.id, action, current_user.id, reason=form.reason.data)
    except ValidationFailed as error:
        form.apply_errors(error)
        return _detail(event, application, review_form=form, status=422)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã cập nhật hồ sơ %(name)s: %(status)s. Đã gửi e-mail cho đơn vị.",
                name=application.exhibitor.name, status=application.status.label), "success")
    return redirect(url_for("booth_review.application", event_id=event.id, application_id=application.id))


@bp.post("/<int:application_id>/organiser-fields")
def organiser_fields(event_id, application_id):
    event = get_managed_event(current_user, event_id)
    application = services.get_application(application_id, event_id=event.id)
    form = _organiser_form(application)
    if form.validate():
        try:
            review.update_organiser_fields(application.id, event.id, priority=form.priority.data,
                                             near_exhibitor_ids=form.near_exhibitor_ids.data or [],
                                             avoid_exhibitor_ids=form.avoid_exhibitor_ids.data or [])
        except ValidationFailed as error:
            form.apply_errors(error)
        else:
            flash(_("Đã lưu điểm ưu tiên và mong muốn vị trí."), "success")
            return redirect(url_for("booth_review.application", event_id=event.id, application_id=application.id))
    return _detail(event, application, organiser_form=form, status=422)


@bp.get("/<int:application_id>/documents/<int:document_id>")
def document(event_id, application_id, document_id):
    event = get_managed_event(current_user, event_id)
    application = services.get_application(application_id, event_id=event.id)
    return send_document(documents.get_document(application.id, document_id))
