"""Public pages: the registration form, the ticket page and what a person can do with their data."""
import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..errors import DomainError
from ..events.services import get_portal_event
from ..extensions import db, limiter
from ..forms import submit
from ..localities import PROVINCES
from ..ratelimits import account_limit, submitted_account
from ..security import FORM_TOKEN_FIELD, HONEYPOT_FIELD, form_token, human_check
from ..text import render_markdown
from ..timeutil import utcnow
from . import delegations, provenance, services, tickets
from .exports import MAX_BYTES
from .forms import DelegationRowsForm, ResendForm, registration_form_class
from .imports import UploadForm
from .models import PersonalDataAction, RegistrationStatus

bp = Blueprint("registration", __name__)


@bp.app_context_processor
def registration_context():
    return {"registration_summary": summary_for_portal}


def summary_for_portal(event) -> dict:
    reason = services.registration_window_problem(event, utcnow())
    if reason is None and not services.categories(event.id, active_only=True):
        reason = _("Ban tổ chức chưa mở đối tượng đăng ký.")
    seats_left = None if event.capacity is None else max(event.capacity - services.confirmed_count(event.id), 0)
    return {"open": reason is None, "reason": reason, "seats_left": seats_left}


def _registration_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def private(response: Response) -> Response:
    """Ticket pages carry a secret link: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(_registration_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=submitted_account("phone", "email"))
def register(slug):
    event = get_portal_event(slug)
    category_list = services.categories(event.id, active_only=True)
    question_list = services.questions(event.id)
    consent = services.current_consent()
    form = registration_form_class(question_list)().bind(category_list)
    closed = services.registration_window_problem(event, utcnow()) or (
        None if category_list else _("Ban tổ chức chưa mở đối tượng đăng ký."))
    duplicate = False
    bot = human_check(request.form) if request.method == "POST" and not closed else None
    if bot is not None:
        form.validate_on_submit()  # the person's other mistakes are shown at the same time
        form.form_errors.append(str(bot))
    elif not closed:
        try:
            registration = submit(form, lambda f: services.register(
                event.id, f.to_registrant(question_list, consent.version), question_list=question_list),
                check=lambda f: services.check_registrant(event, f.to_registrant(question_list, consent.version),
                                                          require_consent=True, now=utcnow(),
                                                          question_list=question_list)[0])
        except services.DuplicateRegistration as error:
            form.form_errors.append(str(error))
            duplicate = True
        except DomainError as error:
            closed = str(error)
        else:
            if registration is not None:
                session["just_registered"] = registration.access_key  # the ticket page then says so, once
                return redirect(url_for("registration.ticket", access_key=registration.access_key))
    status = 200 if not form.errors and not duplicate and bot is None else 422
    translation = services.consent_translation(consent.version, str(get_locale()))
    return render_template("registration/register.html", event=event, form=form, closed=closed,
                           duplicate=duplicate, resend_form=ResendForm(formdata=None), provinces=PROVINCES,
                           consent_html=render_markdown(consent.body), questions=question_list,
                           consent_translation=render_markdown(translation) if translation else None,
                           form_token=form_token(), honeypot=HONEYPOT_FIELD, token_field=FORM_TOKEN_FIELD), status


@bp.post("/events/<slug>/resend")
@limiter.limit(_registration_limit)
def resend(slug):
    event = get_portal_event(slug)
    form = ResendForm()
    if form.validate():
        services.resend_for_contact(event.id, form.contact.data)
    # The same answer whether or not the contact is known, so nobody can probe who registered.
    flash(_("Nếu thông tin khớp với một đăng ký có e-mail, vé đã được gửi lại vào e-mail đó."), "info")
    return redirect(url_for("portal.event_page", slug=event.slug))


@bp.get("/tickets/<access_key>")
def ticket(access_key):
    registration = services.by_access_key(access_key)
    page = render_template("registration/ticket.html", registration=registration, event=registration.event,
                           just_registered=session.pop("just_registered", None) == access_key,
                           position=services.waitlist_position(registration),
                           answers=services.answers_by_question(registration),
                           questions={q.id: q for q in services.questions(registration.event_id)},
                           consent_obtained=provenance.describe(registration))
    return private(Response(page))


def _confirmed(access_key):
    registration = services.by_access_key(access_key)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError("no_ticket", _("Vé chỉ có khi đăng ký đã được xác nhận."), status=404)
    return registration


@bp.get("/tickets/<access_key>/qr.png")
def ticket_qr(access_key):
    registration = _confirmed(access_key)
    png = tickets.qr_png(tickets.qr_payload(registration.ticket_code))
    return private(Response(png, mimetype="image/png"))


@bp.get("/tickets/<access_key>/ticket.pdf")
def ticket_pdf(access_key):
    registration = _confirmed(access_key)
    response = Response(tickets.ticket_pdf(registration), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="ve-{registration.event.slug}.pdf"'
    return private(response)


@bp.post("/tickets/<access_key>/cancel")
def cancel(access_key):
    registration = services.by_access_key(access_key)
    try:
        services.cancel(registration.id)
        flash(_("Đã huỷ đăng ký. Cảm ơn bạn đã báo để nhường chỗ cho người khác."), "success")
    except DomainError as error:
        flash(error.explanation(), "error")
    return redirect(url_for("registration.ticket", access_key=access_key))


@bp.get("/tickets/<access_key>/my-data.json")
def my_data(access_key):
    """Everything stored about the person (Decree 13: the right to access); the download is logged."""
    registration = services.by_access_key(access_key)
    data = services.personal_data(registration)
    services.log_personal_data(PersonalDataAction.DOWNLOAD, event_id=registration.event_id,
                               registration_id=registration.id)
    db.session.commit()
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
    return private(response)


@bp.post("/tickets/<access_key>/erase")
def erase(access_key):
    registration = services.by_access_key(access_key)
    services.anonymise(registration.id)
    flash(_("Đã xoá dữ liệu cá nhân của bạn. Chỉ còn số liệu thống kê ẩn danh."), "success")
    return redirect(url_for("portal.event_page", slug=registration.event.slug))


# A delegation leader's pages: the secret link is the only key (no account), like a ticket's. -----------------

def _delegation_page(delegation, *, rows_form=None, upload_form=None, result=None, status=200):
    page = render_template(
        "registration/delegation.html", delegation=delegation, event=delegation.event,
        used=delegations.used(delegation.id), members=delegations.members(delegation.id),
        rows_form=rows_form or DelegationRowsForm(formdata=None), upload_form=upload_form or UploadForm(formdata=None),
        preview=delegation.pending_rows, labels=delegations.RowStatus.LABELS, result=result)
    return private(Response(page, status))


@bp.get("/delegations/<access_key>")
def delegation_page(access_key):
    return _delegation_page(delegations.by_access_key(access_key))


@bp.post("/delegations/<access_key>/upload")
def delegation_upload(access_key):
    delegation = delegations.by_access_key(access_key)
    form = UploadForm()
    if not form.validate():
        return _delegation_page(delegation, upload_form=form, status=422)
    try:
        delegations.preview_upload(delegation, form.file.data.filename, form.file.data.stream.read(MAX_BYTES + 1))
    except DomainError as error:
        form.form_errors.append(error.explanation())
        return _delegation_page(delegation, upload_form=form, status=error.status)
    return redirect(url_for(".delegation_page", access_key=access_key))


@bp.post("/delegations/<access_key>/rows")
def delegation_rows(access_key):
    delegation = delegations.by_access_key(access_key)
    form = DelegationRowsForm()
    if submit(form, lambda f: delegations.preview_rows(delegation, f.to_rows())) is None:
        return _delegation_page(delegation, rows_form=form, status=422)
    return redirect(url_for(".delegation_page", access_key=access_key))


@bp.post("/delegations/<access_key>/confirm")
def delegation_confirm(access_key):
    delegation = delegations.by_access_key(access_key)
    try:
        result = delegations.confirm(delegation)
    except DomainError as error:
        flash(error.explanation(), "error")
        return redirect(url_for(".delegation_page", access_key=access_key))
    flash(_("Đã đăng ký %(n)d người (%(waiting)d vào danh sách chờ vì sự kiện đã đủ chỗ); %(over)d vượt chỉ tiêu, "
            "%(skipped)d bị bỏ qua.", n=len(result.registered), waiting=result.waitlisted, over=result.over_quota,
            skipped=result.skipped), "success")
    return redirect(url_for(".delegation_page", access_key=access_key))


@bp.get("/delegations/<access_key>/tickets.pdf")
def delegation_tickets(access_key):
    delegation = delegations.by_access_key(access_key)
    people = delegations.confirmed_members(delegation)
    if not people:
        raise DomainError("no_ticket", _("Đoàn chưa có vé nào được xác nhận."), status=404)
    response = Response(tickets.tickets_pdf(people), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="ve-doan-{delegation.id}.pdf"'
    return private(response)
