"""Organiser pages: settings (mode, categories, questions), the attendee list and per-person actions."""
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError, ValidationFailed
from ..events.coorganisers import get_partner_event
from ..events.services import get_managed_event
from ..forms import submit
from ..localities import PROVINCES
from ..pagination import paginate
from ..params import enum_arg, id_arg
from ..timeutil import utcnow
from . import delegations, services, setup
from .forms import (
    CategoryForm,
    DelegationForm,
    ManualRegistrationForm,
    QuestionForm,
    RejectForm,
    SettingsForm,
    registration_form_class,
)
from .models import RegistrationSource, RegistrationStatus

bp = Blueprint("registrations", __name__, url_prefix="/manage/events/<int:event_id>/registrations")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _back(event_id, **args):
    return redirect(url_for("registrations.attendees", event_id=event_id, **args))


def attendee_filters() -> dict:
    """The attendee list's query arguments, shared by the list, its exports and badges."""
    return {"q": (request.args.get("q") or "").strip() or None,
            "category_id": id_arg(request.args, "category_id"),
            "status": enum_arg(request.args, "status", RegistrationStatus)}


@bp.get("")
def attendees(event_id):
    event, partner_id = get_partner_event(current_user, event_id)
    filters = attendee_filters()
    page = paginate(services.attendee_query(event.id, **filters, partner_id=partner_id), 50)
    return render_template("registration/manage/attendees.html", event=event, page=page, q=filters["q"] or "",
                           category_id=filters["category_id"], status=filters["status"],
                           statuses=list(RegistrationStatus),
                           categories=services.categories(event.id), counts=services.status_counts(event.id),
                           settings=services.settings_for(event.id), reject_form=RejectForm(formdata=None),
                           partner_id=partner_id)


@bp.get("/<int:registration_id>")
def attendee(event_id, registration_id):
    event = get_managed_event(current_user, event_id)
    registration = services.get_registration(registration_id, event.id)
    return render_template("registration/manage/attendee.html", event=event, registration=registration,
                           answers=services.answers_by_question(registration),
                           questions=services.questions(event.id), reject_form=RejectForm(formdata=None),
                           position=services.waitlist_position(registration))


@bp.post("/<int:registration_id>/<any(approve, cancel, resend):action>")
def act(event_id, registration_id, action):
    event = get_managed_event(current_user, event_id)
    registration = services.get_registration(registration_id, event.id)
    try:
        if action == "approve":
            services.approve(registration.id)
            flash(_("Đã duyệt: %(name)s (%(status)s).", name=registration.full_name,
                    status=registration.status.label), "success")
        elif action == "cancel":
            services.cancel(registration.id)
            flash(_("Đã huỷ đăng ký của %(name)s.", name=registration.full_name), "success")
        elif services.resend_ticket(registration.id):
            flash(_("Đã gửi lại vé cho %(name)s.", name=registration.full_name), "success")
        else:
            flash(_("Người này không có e-mail hay số điện thoại để gửi lại."), "warning")
    except DomainError as error:
        flash(error.explanation(), "error")
    return redirect(request.form.get("next") or url_for("registrations.attendees", event_id=event.id))


@bp.post("/<int:registration_id>/reject")
def reject(event_id, registration_id):
    event = get_managed_event(current_user, event_id)
    registration = services.get_registration(registration_id, event.id)
    form = RejectForm()
    try:
        if not form.validate():
            raise ValidationFailed(form.errors)
        services.reject(registration.id, form.reason.data)
        flash(_("Đã từ chối %(name)s và gửi e-mail thông báo.", name=registration.full_name), "success")
    except DomainError as error:
        flash(error.explanation(), "error")
    return redirect(url_for("registrations.attendee", event_id=event.id, registration_id=registration.id))


@bp.route("/new", methods=["GET", "POST"])
def add(event_id):
    event = get_managed_event(current_user, event_id)
    question_list = services.questions(event.id)
    form = registration_form_class(question_list, ManualRegistrationForm)().bind(services.categories(event.id))
    try:
        registration = submit(form, lambda f: services.register(event.id, f.to_registrant(question_list),
                                                                 source=RegistrationSource.MANUAL,
                                                                 question_list=question_list,
                                                                 provenance=f.provenance(current_user.id)),
                              check=lambda f: services.check_registrant(event, f.to_registrant(question_list),
                                                                        require_consent=False, now=utcnow(),
                                                                        question_list=question_list)[0])
    except DomainError as error:
        form.form_errors.append(error.explanation())
    else:
        if registration is not None:
            flash(_("Đã thêm %(name)s (%(status)s).", name=registration.full_name,
                    status=registration.status.label), "success")
            return redirect(url_for("registrations.attendees", event_id=event.id))
    return render_template("registration/manage/add.html", event=event, form=form, questions=question_list,
                           provinces=PROVINCES), 200 if not form.errors and not form.form_errors else 422


# Settings --------------------------------------------------------------------------------------

def _settings_page(event, *, settings_form=None, category_form=None, question_form=None, status=200):
    settings = services.settings_for(event.id)
    return render_template(
        "registration/manage/settings.html", event=event, settings=settings,
        settings_form=settings_form or SettingsForm(formdata=None, data={"mode": settings.mode.value}),
        category_form=category_form or CategoryForm(formdata=None).bind(None, event.co_organisers),
        question_form=question_form or
        QuestionForm(formdata=None), categories=services.categories(event.id), questions=services.questions(event.id),
        confirmed={c.id: services.confirmed_count(event.id, c.id) for c in services.categories(event.id)},
    ), status


@bp.get("/settings")
def settings(event_id):
    return _settings_page(get_managed_event(current_user, event_id))


@bp.post("/settings")
def save_settings(event_id):
    event = get_managed_event(current_user, event_id)
    form = SettingsForm()
    if not form.validate():
        return _settings_page(event, settings_form=form, status=422)
    setup.set_mode(event.id, form.mode.data)
    flash(_("Đã lưu cách xác nhận đăng ký."), "success")
    return redirect(url_for("registrations.settings", event_id=event.id))


def _save_setup_item(event, form, save, success: str, existing: bool, page_form: str):
    """Validate a category or question form and save it; a new item's errors are shown beside its
    form, an existing row's in a message (its form is a table row)."""
    if submit(form, save) is not None:
        flash(success, "success")
        return redirect(url_for("registrations.settings", event_id=event.id))
    if existing:
        flash(" ".join(str(m) for messages in form.errors.values() for m in messages), "error")
        return redirect(url_for("registrations.settings", event_id=event.id))
    return _settings_page(event, **{page_form: form}, status=422)


@bp.post("/categories", defaults={"category_id": None})
@bp.post("/categories/<int:category_id>")
def save_category(event_id, category_id):
    event = get_managed_event(current_user, event_id)
    current = setup.category_group(event.id, category_id) if category_id is not None else None
    form = CategoryForm().bind(current, event.co_organisers)
    return _save_setup_item(
        event, form, lambda f: setup.save_category(event.id, category_id, f.to_details()),
        _("Đã lưu đối tượng “%(name)s”.", name=form.name.data), category_id is not None, "category_form")


@bp.post("/categories/<int:category_id>/delete")
def delete_category(event_id, category_id):
    event = get_managed_event(current_user, event_id)
    try:
        setup.delete_category(event.id, category_id)
        flash(_("Đã xoá đối tượng."), "success")
    except DomainError as error:
        if error.status == 404:
            raise
        flash(error.explanation(), "error")
    return redirect(url_for("registrations.settings", event_id=event.id))


@bp.post("/questions", defaults={"question_id": None})
@bp.post("/questions/<int:question_id>")
def save_question(event_id, question_id):
    event = get_managed_event(current_user, event_id)
    return _save_setup_item(
        event, QuestionForm(), lambda f: setup.save_question(event.id, question_id, f.to_details()),
        _("Đã lưu câu hỏi."), question_id is not None, "question_form")


@bp.post("/questions/<int:question_id>/delete")
def delete_question(event_id, question_id):
    event = get_managed_event(current_user, event_id)
    setup.delete_question(event.id, question_id)
    flash(_("Đã xoá câu hỏi."), "success")
    return redirect(url_for("registrations.settings", event_id=event.id))


# Delegations ------------------------------------------------------------------------------------

def _mobilisers(event, partner_id):
    """Who may mobilise a delegation: the lead's members pick the lead or an accepted co-organiser; a
    co-organiser's members only their own organisation."""
    if partner_id is not None:
        return [o for o in event.co_organisers if o.id == partner_id]
    return [event.organisation, *event.co_organisers]


@bp.route("/delegations", methods=["GET", "POST"])
def delegation_list(event_id):
    event, partner_id = get_partner_event(current_user, event_id)
    organisations = _mobilisers(event, partner_id)
    form = DelegationForm().bind(organisations, services.categories(event.id, active_only=True))
    created = submit(form, lambda f: delegations.save_delegation(
        event.id, None, f.to_details(), [o.id for o in organisations], created_by_id=current_user.id))
    if created is not None:
        flash(_("Đã tạo đoàn “%(name)s”. Gửi đường dẫn riêng cho trưởng đoàn.", name=created.name), "success")
        return redirect(url_for(".delegation_list", event_id=event.id))
    response = make_response(render_template(
        "registration/manage/delegations.html", event=event, form=form, partner_id=partner_id,
        delegations=delegations.delegations_of(event.id, partner_id), used=delegations.used,
        figures=delegations.figures(event.id)), 200 if not form.errors else 422)
    response.headers["Cache-Control"] = "no-store"  # the leaders' secret links are on it
    return response
