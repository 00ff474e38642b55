"""Organiser pages for an event's certificates: the list with filters, templates, issuing (one or a batch), PDFs
(one or the filtered batch) and revocation. Each route reads the event through `get_managed_event` (another
organisation: 404)."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..competitions.entries.services import competition_for_event
from ..errors import DomainError
from ..events.services import get_managed_event
from ..forms import submit
from ..params import enum_arg
from ..text import slugify
from . import pdf, services
from .forms import ISSUABLE_KINDS, IssueBatchForm, IssueOneForm, PrizeWinnersForm, RevokeForm, TemplateForm
from .models import CertificateKind, CertificateStatus

bp = Blueprint("certificates", __name__, url_prefix="/manage/events/<int:event_id>/certificates")
ELIGIBLE_LIMIT = 500  # people offered for one-by-one issuing; the batch covers everyone


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks the event's organisation."""


def _filters():
    return (enum_arg(request.args, "kind", CertificateKind), enum_arg(request.args, "status", CertificateStatus))


def _page(event, *, batch_form=None, one_form=None, prize_form=None, revoke_form=None, revoke_for=None,
          status=200):
    kind, state = _filters()
    waiting = {k: services.missing_holders(event, k) for k in ISSUABLE_KINDS}
    missing = {k: len(holders) for k, holders in waiting.items()}
    eligible = {k: holders[:ELIGIBLE_LIMIT] for k, holders in waiting.items()}
    one_form = one_form or IssueOneForm(formdata=None)
    return render_template(
        "certificates/list.html", event=event, certificates=services.list_certificates(event.id, kind, state),
        kind=kind, state=state, kinds=list(CertificateKind), statuses=list(CertificateStatus), missing=missing,
        eligible=eligible, templates={k: services.template_for(event, k) for k in CertificateKind},
        batch_form=batch_form or IssueBatchForm(formdata=None), one_form=one_form,
        prize_form=prize_form or PrizeWinnersForm(formdata=None),
        revoke_form=revoke_form or RevokeForm(formdata=None), revoke_for=revoke_for,
        has_competition=competition_for_event(event.id) is not None), status


@bp.get("")
def index(event_id):
    return _page(get_managed_event(current_user, event_id))


def _submit(form, save):
    """`submit`, with a refused action (no template, not ended, already revoked) shown on the page's form."""
    try:
        return submit(form, save)
    except DomainError as error:
        form.form_errors.append(error.explanation())
        return None


def _issued(event, certificates):
    if certificates:
        flash(_("Đã cấp %(n)d giấy chứng nhận.", n=len(certificates)), "success")
    else:
        flash(_("Không có ai cần cấp thêm giấy chứng nhận."), "info")
    return redirect(url_for("certificates.index", event_id=event.id))


@bp.post("/batch")
def issue_batch(event_id):
    event = get_managed_event(current_user, event_id)
    form = IssueBatchForm()
    issued = _submit(form, lambda f: services.issue_batch(event.id, f.to_kind(), issued_by=current_user.id))
    if issued is None:
        return _page(event, batch_form=form, status=422)
    return _issued(event, issued)


@bp.post("/one")
def issue_one(event_id):
    event = get_managed_event(current_user, event_id)
    form = IssueOneForm()
    certificate = _submit(form, lambda f: services.issue_certificate(
        event.id, f.kind.data, f.registration_id.data, issued_by=current_user.id))
    if certificate is None:
        return _page(event, one_form=form, status=422)
    flash(_("Giấy chứng nhận số %(number)s cấp cho %(name)s.", number=certificate.number,
            name=certificate.holder_name), "success")
    return redirect(url_for("certificates.index", event_id=event.id))


@bp.post("/prizes")
def issue_prizes(event_id):
    event = get_managed_event(current_user, event_id)
    form = PrizeWinnersForm()
    issued = _submit(form, lambda f: services.issue_prize_certificates(event.id, f.to_holders(), current_user.id))
    if issued is None:
        return _page(event, prize_form=form, status=422)
    return _issued(event, issued)


@bp.post("/prizes/from-results")
def issue_competition_prizes(event_id):
    event = get_managed_event(current_user, event_id)
    try:
        issued = services.issue_competition_prize_certificates(event.id, current_user.id)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("certificates.index", event_id=event.id))
    return _issued(event, issued)


@bp.post("/<int:certificate_id>/revoke")
def revoke(event_id, certificate_id):
    event = get_managed_event(current_user, event_id)
    certificate = services.get_certificate(event.id, certificate_id)
    form = RevokeForm()
    revoked = _submit(form, lambda f: services.revoke(event.id, certificate.id, f.reason.data,
                                                      user_id=current_user.id))
    if revoked is None:
        return _page(event, revoke_form=form, revoke_for=certificate.id, status=422)
    flash(_("Đã thu hồi giấy chứng nhận số %(number)s.", number=revoked.number), "success")
    return redirect(url_for("certificates.index", event_id=event.id))


def pdf_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:certificate_id>.pdf")
def certificate_pdf(event_id, certificate_id):
    event = get_managed_event(current_user, event_id)
    certificate = services.get_certificate(event.id, certificate_id)
    return pdf_response(pdf.render([certificate]), f"giay-chung-nhan-{slugify(certificate.number)}.pdf")


@bp.get("/batch.pdf")
def batch_pdf(event_id):
    """Every certificate the list's filters show, one page each."""
    event = get_managed_event(current_user, event_id)
    certificates = services.list_certificates(event.id, *_filters())
    if not certificates:
        flash(_("Không có giấy chứng nhận nào để in."), "info")
        return redirect(url_for("certificates.index", event_id=event.id, **request.args))
    return pdf_response(pdf.render(certificates, _("Giấy chứng nhận – %(event)s", event=event.title)),
                        f"giay-chung-nhan-{event.slug}.pdf")


@bp.route("/templates/<any(completion, participation, prize):kind>", methods=["GET", "POST"])
def template(event_id, kind):
    event = get_managed_event(current_user, event_id)
    kind = CertificateKind(kind)
    existing = services.template_for(event, kind)
    form = TemplateForm(obj=existing if request.method == "GET" else None)
    if request.method == "GET":
        if existing is None:
            title, body = services.DEFAULT_WORDING[kind]
            form.title.data, form.body.data = str(title), str(body)
        else:
            form.for_organisation.data = existing.event_id is None
    saved = submit(form, lambda f: services.save_template(event.id, kind, f.to_details(), user_id=current_user.id))
    if saved is not None:
        flash(_("Đã lưu mẫu giấy chứng nhận."), "success")
        return redirect(url_for("certificates.index", event_id=event.id))
    return render_template("certificates/template.html", event=event, kind=kind, form=form, existing=existing,
                           placeholders="; ".join(
        f"{{{name}}} ({label})" for name, label in services.PLACEHOLDERS.items())), 200 if not form.errors else 422
